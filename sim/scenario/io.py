"""Reading scenario files: YAML in, a validated :class:`Scenario` or a :class:`ScenarioError` out.

Every problem found is reported as a :class:`ScenarioProblem` with the dotted field path as the
analyst wrote it (pydantic's internal union tags removed), the line in the file, what is allowed
and, for a mistyped key, the nearest valid one. Command-line overrides (``--set path=value``) are
applied to the parsed mapping before validation.
"""

from __future__ import annotations

import contextlib
import copy
import difflib
import os
import re
import types
import typing
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from sim.errors import ArgumentTypeError, ScenarioError, ScenarioProblem
from sim.scenario.arguments import check_mapping, check_overrides, require_path
from sim.scenario.distributions import DISTRIBUTION_KINDS
from sim.scenario.guard import MAX_SCENARIO_BYTES, YamlLimitError, check_yaml_limits, load_value
from sim.scenario.scenario import NAME_PATTERN, Scenario

__all__ = ["apply_overrides", "as_scenario", "load_scenario", "scenario_from_mapping"]

_Path = tuple[str, ...]
_Lines = tuple[dict[_Path, int], dict[_Path, int]]  # lines of the values and of the keys
_FORM = "expected the form path.to.field=value"
_MARKER = re.compile(r"^function-(before|after|wrap|plain)\[.*\]$")
_KINDS: dict[str, type[BaseModel]] = {
    typing.get_args(cls.model_fields["kind"].annotation)[0]: cls for cls in DISTRIBUTION_KINDS
}
_BOUNDS = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<"}
_PATTERN_WORDS = {
    NAME_PATTERN: "letters, digits, '_', '.' and '-', starting with a letter or digit; it names "
    "the results folder",
}
"""The schema's text patterns in words, for error reports."""
_BOUND_ERRORS = {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}


def load_scenario(path: str | os.PathLike[str], overrides: Sequence[str] = ()) -> Scenario:
    """Read the YAML scenario file at ``path``, apply ``--set`` overrides and validate it.

    Raises :class:`ScenarioError` (``file`` = ``str(path)``) listing every problem: an unreadable
    file, a YAML syntax error, a top level that is not a mapping, malformed overrides, or fields
    that do not validate.
    """
    require_path(path, "the scenario file's path")
    file = str(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_SCENARIO_BYTES + 1)  # never more than the limit and a byte
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        message = f"cannot read the file: {getattr(exc, 'strerror', None) or exc}"
        if isinstance(exc, FileNotFoundError):
            message = "file not found"
        elif isinstance(exc, IsADirectoryError):
            message = "is a directory, not a scenario file"
        raise ScenarioError(file, [ScenarioProblem("", message)]) from None
    if len(raw) > MAX_SCENARIO_BYTES:
        message = f"the file is larger than the limit of {MAX_SCENARIO_BYTES:,} bytes"
        raise ScenarioError(file, [ScenarioProblem("", message)])
    try:
        data, node, duplicates = _parse(raw)
    except (yaml.YAMLError, YamlLimitError) as exc:
        raise ScenarioError(file, [_yaml_problem(exc)]) from None
    except (ValueError, OverflowError) as exc:  # a scalar YAML cannot build: 2001-02-30, 1e5000
        message = f"a value cannot be read: {exc}"
        raise ScenarioError(file, [ScenarioProblem("", message)]) from None
    if duplicates:
        raise ScenarioError(file, duplicates)
    return _validate(data, file, overrides, _line_maps(node))


def as_scenario(item: Scenario | str | os.PathLike[str], overrides: Sequence[str] = ()) -> Scenario:
    """``item`` itself if it is a :class:`Scenario`, else the scenario file it names.

    ``overrides`` apply to a file only. Raises :class:`ScenarioError` for a bad file and
    ``TypeError`` for anything that is neither a scenario nor a path.
    """
    if isinstance(item, Scenario):
        return item
    if isinstance(item, str | os.PathLike):
        return load_scenario(item, overrides)
    raise ArgumentTypeError(
        f"a scenario must be a Scenario or a scenario file's path, not {type(item).__name__}"
    )


def scenario_from_mapping(
    data: Mapping[str, Any],
    *,
    file: str | None = None,
    overrides: Sequence[str] = (),
    source_text: str | None = None,
) -> Scenario:
    """Validate an already-parsed scenario mapping (after applying ``overrides``).

    ``source_text``, the YAML the mapping was parsed from, lets problems carry line numbers;
    ``file`` names it in the :class:`ScenarioError` raised when the scenario is invalid.
    """
    check_mapping(data, file=file, source_text=source_text)
    node = None
    if source_text is not None:
        with contextlib.suppress(yaml.YAMLError, YamlLimitError):
            node = _parse(source_text)[1]
    return _validate(data, file, overrides, _line_maps(node))


def apply_overrides(
    data: Mapping[str, Any], overrides: Sequence[str], *, file: str | None = None
) -> dict[str, Any]:
    """Return a deep copy of ``data`` with each ``path.to.field=value`` override set.

    The value is parsed as YAML (``3``, ``0.5``, ``null``, ``[1, 2]``, ``{kind: constant,
    value_min: 1}``); integer path elements index into lists (``team.0.count=5``); missing
    intermediate mappings are created. Raises :class:`ScenarioError` (with ``file``) naming
    every malformed override.
    """
    overrides = check_overrides(overrides, file)
    result: dict[str, Any] = copy.deepcopy(dict(data))
    problems = []
    for override in overrides:
        problem = _apply_one(result, override)
        if problem is not None:
            problems.append(problem)
    if problems:
        raise ScenarioError(file, problems)
    return result


def _apply_one(data: dict[str, Any], override: str) -> ScenarioProblem | None:
    """Set one override in ``data`` in place; return the problem if it is malformed."""
    dotted, sep, text = override.partition("=")
    dotted = dotted.strip()
    if not sep or not dotted:
        return ScenarioProblem(dotted or override, f"malformed override {override!r}: {_FORM}")
    keys = dotted.split(".")
    if any(not key for key in keys):
        return ScenarioProblem(dotted, f"empty element in override path {dotted!r}: {_FORM}")
    try:
        value = load_value(text)
    except YamlLimitError as exc:
        return ScenarioProblem(dotted, f"value refused: {exc}")
    except yaml.YAMLError as exc:
        reason = getattr(exc, "problem", None) or exc
        return ScenarioProblem(dotted, f"value {text!r} is not valid YAML ({reason}): {_FORM}")
    missing = _names_nothing(data, keys, value)
    if missing is not None:
        return ScenarioProblem(dotted, missing)
    container: Any = data
    for depth, key in enumerate(keys):
        where = ".".join(keys[:depth]) or "the top level"
        index: str | int = key
        if isinstance(container, list):
            if not (key.isascii() and key.isdigit()):
                message = f"{where} is a list; {key!r} is not an index"
                return ScenarioProblem(dotted, f"{message}: {_FORM}")
            index = int(key)
            if index >= len(container):
                message = f"index {key} is out of range ({where} has {len(container)} item(s))"
                return ScenarioProblem(dotted, f"{message}: {_FORM}")
        elif not isinstance(container, dict):
            message = f"{where} is a single value ({container!r}), not a mapping or list"
            return ScenarioProblem(dotted, f"{message}: {_FORM}")
        if depth == len(keys) - 1:
            container[index] = value
        else:
            if (isinstance(container, dict) and index not in container) or container[index] is None:
                container[index] = {}
            container = container[index]
    return None


def _names_nothing(data: Mapping[str, Any], keys: list[str], value: Any) -> str | None:
    """Why an override would add a segment, profile or team group, if it would.

    ``--set`` changes existing fields only: ``segments.meduim.companies=20000`` must not create
    a fourth segment that the team then calls, and neither may a whole block written at once
    (``segments={..., huge: {...}}``) or a longer ``team`` list. A profile the team uses from
    the presets exists even when the file does not write it out.
    """
    if keys == ["team"]:
        team = data.get("team")
        have = len(team) if isinstance(team, list) else 0
        if isinstance(value, list) and len(value) > have:
            return (
                f"the scenario's team has {have} group(s) and this list has {len(value)}: "
                "--set and --vary change existing fields only; define a new team group in the file"
            )
        return None
    if not keys or keys[0] not in ("segments", "profiles"):
        return None
    if len(keys) == 1:
        named = [str(k) for k in value] if isinstance(value, dict) else []
    else:
        named = [keys[1]]
    known = _known_names(data, keys[0])
    for name in named:
        if name in known:
            continue
        kind = keys[0][:-1]
        close = difflib.get_close_matches(name, [str(k) for k in known], n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return (
            f"the scenario has no {kind} {name!r} ({', '.join(map(str, known)) or 'none'}){hint}; "
            f"--set and --vary change existing fields only; define a new {kind} in the file"
        )
    return None


def _known_names(data: Mapping[str, Any], block_name: str) -> list[Any]:
    """The segments or profiles ``data`` has: its block's keys (and the team's profiles)."""
    block = data.get(block_name)
    known = list(block) if isinstance(block, dict) else []
    if block_name == "profiles":
        team = data.get("team")
        for group in team if isinstance(team, list) else []:
            profile = group.get("profile") if isinstance(group, dict) else None
            if isinstance(profile, str) and profile not in known:
                known.append(profile)
    return known


def _parse(source: str | bytes) -> tuple[Any, yaml.Node | None, list[ScenarioProblem]]:
    """Parse one YAML document as ``yaml.safe_load`` does, keeping its node tree for lines.

    Also returns the keys given twice in one mapping, found before merge keys are folded in.
    Text over the limits of :mod:`sim.scenario.guard` raises :class:`YamlLimitError` before
    any node is built.
    """
    check_yaml_limits(source)
    loader = yaml.SafeLoader(source)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None, []
        duplicates = _duplicate_keys(node)
        # construct_document also folds merge keys (<<) into the mapping nodes.
        return loader.construct_document(node), node, duplicates
    finally:
        loader.dispose()


_MERGE_TAG = "tag:yaml.org,2002:merge"
_Visit = tuple[_Path, yaml.Node, yaml.ScalarNode | None]


def _tree(node: yaml.Node) -> Iterator[_Visit]:
    """Every node of a YAML tree once, root first, with its path and (in a mapping) its key node.

    A node reached again through an alias (``*name``) is not walked again, under its first path
    only: that stops recursive aliases, and "billion laughs" files whose aliases nest a few
    nodes into billions of paths.
    """
    seen: set[int] = set()

    def walk(current: yaml.Node, path: _Path, key: yaml.ScalarNode | None) -> Iterator[_Visit]:
        if id(current) in seen:
            return
        seen.add(id(current))
        yield path, current, key
        if isinstance(current, yaml.MappingNode):
            for child_key, child in current.value:
                if isinstance(child_key, yaml.ScalarNode):
                    yield from walk(child, (*path, child_key.value), child_key)
        elif isinstance(current, yaml.SequenceNode):
            for index, child in enumerate(current.value):
                yield from walk(child, (*path, str(index)), None)

    yield from walk(node, (), None)


def _duplicate_keys(node: yaml.Node) -> list[ScenarioProblem]:
    """A problem for each key given twice in one mapping (YAML would keep the last silently).

    Keys brought in by a merge (``<<: *defaults``) may be overridden: only keys written in the
    mapping itself count. What lies below a duplicate is not reported again.
    """
    problems: list[ScenarioProblem] = []
    first_line: dict[_Path, int] = {}
    duplicated: set[_Path] = set()
    for path, _, key in _tree(node):
        if key is None or key.tag == _MERGE_TAG:
            continue
        line = key.start_mark.line + 1
        if path not in first_line:
            first_line[path] = line
        elif not any(path[:n] in duplicated for n in range(1, len(path))):
            duplicated.add(path)
            problems.append(
                ScenarioProblem(
                    ".".join(path),
                    f"duplicate key {key.value!r}: already given on line {first_line[path]}; "
                    "YAML would silently keep only the last",
                    line=line,
                    allowed="each key once per mapping",
                )
            )
    return problems


def _yaml_problem(exc: yaml.YAMLError | YamlLimitError) -> ScenarioProblem:
    """Describe a YAML parsing error or a refused size, with the line it was found at."""
    if isinstance(exc, YamlLimitError):
        return ScenarioProblem("", f"scenario refused before reading it: {exc}", line=exc.line)
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        reason = "; ".join(part for part in (exc.context, exc.problem) if part)
        line = mark.line + 1 if mark is not None else None
        return ScenarioProblem("", f"YAML syntax error: {reason}", line=line)
    if isinstance(exc, yaml.reader.ReaderError):
        return ScenarioProblem("", f"unreadable text at character {exc.position}: {exc.reason}")
    return ScenarioProblem("", f"YAML error: {exc}")


def _line_maps(node: yaml.Node | None) -> _Lines:
    """Map each path in the YAML tree to the 1-based line of its value and of its key."""
    values: dict[_Path, int] = {}
    keys: dict[_Path, int] = {}
    if node is not None:
        for path, current, key in _tree(node):
            values[path] = current.start_mark.line + 1
            if key is not None:
                keys[path] = key.start_mark.line + 1
    return values, keys


def _validate(data: Any, file: str | None, overrides: Sequence[str], lines: _Lines) -> Scenario:
    """Apply overrides and validate, translating every pydantic error into a problem."""
    if not isinstance(data, Mapping):
        what = "empty" if data is None else f"a {type(data).__name__}"
        message = f"the top level is {what}; expected a mapping of scenario fields"
        raise ScenarioError(file, [ScenarioProblem("", message, line=lines[0].get(()))])
    data = apply_overrides(data, overrides, file=file)
    set_paths = [tuple(o.partition("=")[0].strip().split(".")) for o in overrides]
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False)
        raise ScenarioError(file, [_problem(e, data, lines, set_paths) for e in errors]) from None


def _problem(error: Any, data: Any, lines: _Lines, set_paths: list[_Path]) -> ScenarioProblem:
    """Translate one entry of ``ValidationError.errors()``."""
    kind, ctx = error["type"], error.get("ctx") or {}
    # A cross-field check about one item of its field says which (NestedValueError.within).
    within = getattr(ctx.get("error"), "within", ())
    path, model, tp, metadata = _resolve((*error["loc"], *within), data)
    message = str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    allowed = suggestion = None
    if kind == "extra_forbidden" and model is not None:
        valid = sorted(f.alias or name for name, f in model.model_fields.items())
        allowed = "one of: " + ", ".join(valid)
        close = difflib.get_close_matches(path[-1], valid, n=1, cutoff=0.6)
        if close:
            suggestion = close[0]
    elif kind == "literal_error" and "expected" in ctx:
        allowed = f"one of {ctx['expected']}"
    elif kind == "union_tag_invalid" and "expected_tags" in ctx:
        allowed = f"kind one of {ctx['expected_tags']}"
    elif kind == "union_tag_not_found" and tp == "union":
        allowed = "kind one of " + ", ".join(f"'{k}'" for k in _KINDS)
    elif kind in _BOUND_ERRORS:
        allowed = _bounds(ctx, metadata)
    elif kind == "too_short" and "min_length" in ctx:
        allowed = f"at least {ctx['min_length']} item(s)"
    elif kind == "string_pattern_mismatch" and "pattern" in ctx:
        words = _PATTERN_WORDS.get(ctx["pattern"])
        if words is not None:
            message, allowed = "not an allowed name", words
        else:
            allowed = f"text matching {ctx['pattern']}"
    line = None
    if path:
        values, keys = lines
        by_set = any(path[: len(p)] == p for p in set_paths) or (
            path not in values and any(p[: len(path)] == path for p in set_paths)
        )
        if by_set:
            message += " (set by --set)"
        elif kind == "extra_forbidden" and path in keys:
            line = keys[path]
        else:
            line = next(
                (values[path[:n]] for n in range(len(path), 0, -1) if path[:n] in values), None
            )
    return ScenarioProblem(".".join(path), message, line, allowed, suggestion)


def _bounds(ctx: dict[str, Any], metadata: list[Any]) -> str:
    """State a numeric range, e.g. ``>= 0 and <= 1``: the violated bound plus the field's other."""
    found = {k: getattr(m, k) for m in metadata for k in _BOUNDS if getattr(m, k, None) is not None}
    parts = []
    for side in (("ge", "gt"), ("le", "lt")):
        key = next((k for k in side if k in ctx), None) or next(
            (k for k in side if k in found), None
        )
        if key:
            parts.append(f"{_BOUNDS[key]} {_number(ctx.get(key, found.get(key)))}")
    return " and ".join(parts)


def _number(value: Any) -> str:
    """Format a bound: ``0.0`` as ``0``, ``0.5`` as ``0.5``."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _resolve(loc: tuple[Any, ...], data: Any) -> tuple[_Path, type[BaseModel] | None, Any, list]:
    """Walk a pydantic ``loc`` through the models and the data.

    Returns the path as the analyst wrote it (union tags and validator markers dropped, and the
    implicit ``value_min`` of a bare-number constant), the model whose field the last element
    names (None for free dict keys and list items), the type reached ("union" for the
    distribution union) and the constraint metadata of the last element.
    """
    path: list[str] = []
    tp: Any = Scenario
    node: Any = data
    model: type[BaseModel] | None = None
    metadata: list[Any] = []
    bare_constant = False
    for element in loc:
        if isinstance(element, str) and _MARKER.match(element):
            continue
        shape, inner, _ = _unwrap(tp)
        if element in _KINDS and (
            shape == "union" or (shape is None and not (isinstance(node, dict) and element in node))
        ):
            tp = _KINDS[element]
            bare_constant = element == "constant" and isinstance(node, int | float)
            continue
        if shape == "model":
            model = inner
            fields = model.model_fields.items()
            field = next((f for n, f in fields if element in (n, f.alias)), None)
            tp = field.annotation if field is not None else None
            metadata = list(field.metadata) if field is not None else []
        elif shape in ("dict", "list"):
            model, tp, metadata = None, inner, []
        else:
            model, tp, metadata = None, None, []
        if bare_constant and element == "value_min":
            continue  # the analyst wrote a bare number, not a value_min key
        path.append(str(element))
        if isinstance(node, dict):
            node = node.get(element)
        elif isinstance(node, list) and isinstance(element, int) and 0 <= element < len(node):
            node = node[element]
        else:
            node = None
    shape, _, extra = _unwrap(tp)
    return tuple(path), model, shape, metadata + extra


def _unwrap(tp: Any) -> tuple[str | None, Any, list[Any]]:
    """Classify a type: ("model", cls), ("dict", value type), ("list", item type), ("union", ..)."""
    metadata: list[Any] = []
    while True:
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin is typing.Annotated:
            tp = args[0]
            for item in args[1:]:
                metadata.extend(getattr(item, "metadata", None) or [item])
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in args if a is not type(None)]
            if len(members) != 1:
                models = all(isinstance(a, type) and issubclass(a, BaseModel) for a in members)
                return ("union" if models else None), members, metadata
            tp = members[0]
        elif origin is dict:
            return "dict", args[1], metadata
        elif origin is list:
            return "list", args[0], metadata
        elif isinstance(tp, type) and issubclass(tp, BaseModel):
            return "model", tp, metadata
        else:
            return None, tp, metadata
