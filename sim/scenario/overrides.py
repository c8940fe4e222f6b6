"""``--set path=value`` overrides: applied to a parsed scenario mapping before validation.

An override changes an existing field only: it may not add a segment, a profile or a team
group (those are defined in the file), and every malformed one is reported with the form
expected.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from sim.errors import ScenarioError, ScenarioProblem
from sim.scenario.arguments import check_overrides
from sim.scenario.guard import YamlLimitError, load_value

__all__ = ["apply_overrides"]

_FORM = "expected the form path.to.field=value"


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
