"""Pydantic's validation errors translated into problems an analyst can act on.

Each error becomes a :class:`ScenarioProblem` with the dotted field path as the analyst wrote
it (pydantic's internal union tags and validator markers removed), the line in the file (or a
note that ``--set`` gave the value), what is allowed (a range, the valid keys, the kinds of
distribution) and, for a mistyped key, the nearest valid one.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any

from pydantic import BaseModel

from sim.errors import ScenarioProblem
from sim.scenario.distributions import DISTRIBUTION_KINDS
from sim.scenario.names import NAME_PATTERN
from sim.scenario.scenario import Scenario
from sim.scenario.yaml_source import LineMaps, YamlPath

__all__ = ["problem_from_error"]

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


def problem_from_error(
    error: Any, data: Any, lines: LineMaps, set_paths: list[YamlPath]
) -> ScenarioProblem:
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


def _resolve(loc: tuple[Any, ...], data: Any) -> tuple[YamlPath, type[BaseModel] | None, Any, list]:
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
