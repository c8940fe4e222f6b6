"""Words for a scenario field path: what ``team.0.count`` or ``shift.length_min`` means.

Charts of a sweep label their axes with the varied field's own description from the schema
(the pydantic ``Field(description=...)``), the block it sits in (``segment large``, ``team
group 0 (student)``) and its unit, read from the name's suffix (``_min`` minutes, ``_days``
working days) or, for money, the scenario's currency.
"""

from __future__ import annotations

import re
import types
import typing
from typing import Any

from pydantic import BaseModel

from sim.scenario.scenario import Scenario

CONTAINER_NAMES = {
    "segments": "segment",
    "profiles": "profile",
    "team": "team group",
    "quota": "quota part",
}
"""How one item of a list or mapping field is called in a label."""

SUFFIX_UNITS = {"min": "min", "days": "working days"}
"""Units of field names by suffix (``talk_time_min``: minutes)."""

_TRAILING_UNIT = re.compile(r",\s*(min|minutes)\b(\s*\([^)]*\))?$")


def field_label(path: str, scenario: Scenario | None = None) -> str:
    """How the scenario field at ``path`` reads on an axis, with its unit.

    ``team.0.count`` -> ``team group 0 (student): number of callers in the group`` (the group's
    name from ``scenario``), ``segments.large.needs.immediate_prob`` -> ``segment large:
    P(immediate need | DM conversation)``, ``shift.length_min`` -> ``shift length, min``,
    ``profiles.student.dial_time.mean_min`` -> ``profile student: looking up and dialling a
    number by hand: mean duration, min``. A path the schema does not know is returned as it is.
    """
    parts = path.split(".")
    context: list[str] = []
    descriptions: list[str] = []
    tp: Any = Scenario
    container = ""
    in_distribution = False
    for part in parts:
        shape, inner = _unwrap(tp)
        in_distribution = shape == "union"
        if in_distribution:
            inner = next((m for m in inner if part in m.model_fields), None)
            shape = "model" if inner is not None else None
        if shape == "model":
            field = inner.model_fields.get(part)
            if field is None:
                return path
            descriptions.append(_clean(field.description or part.replace("_", " ")))
            container, tp = part, field.annotation
        elif shape in ("dict", "list"):
            name = f"{CONTAINER_NAMES.get(container, container.replace('_', ' '))} {part}"
            if container == "team" and scenario is not None and part.isdigit():
                index = int(part)
                if index < len(scenario.team):
                    name += f" ({scenario.group_labels[index]})"
            if descriptions and container not in CONTAINER_NAMES:
                context.append(descriptions.pop())  # e.g. a profile's segment weights
            context.append(name)
            container, tp = "", inner
        else:
            return path
    if not descriptions:
        return ": ".join(context) or path
    words = descriptions[-1]
    if in_distribution and len(descriptions) > 1:
        # A field of a duration distribution keeps its parent's words.
        words = f"{_TRAILING_UNIT.sub('', descriptions[-2])}: {words}"
    return ": ".join([*context, _with_unit(words, parts[-1], scenario)])


def _clean(description: str) -> str:
    """A description as part of a label: its first clause, a lower-case first word."""
    text = description.split(";")[0].strip().rstrip(".")
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        text = text[0].lower() + text[1:]
    return text


def _with_unit(words: str, name: str, scenario: Scenario | None) -> str:
    """``words`` ending in the unit of field ``name`` (``, min``); money in the currency."""
    suffix = name.rsplit("_", 1)[-1] if "_" in name else ""
    unit = SUFFIX_UNITS.get(suffix)
    if unit == "min":
        words = f"{_TRAILING_UNIT.sub('', words)}, min"
    elif unit is not None and unit.split()[-1] not in words:
        words = f"{words}, {unit}"
    if "currency units" in words:
        words = words.replace("currency units", scenario.currency if scenario else "currency")
    return words


def _unwrap(tp: Any) -> tuple[str | None, Any]:
    """Classify a field type: ``model``, ``dict``/``list``, ``union`` or None.

    With it: the model class, the item type, the union's model members (a distribution), or
    None (a plain value).
    """
    while True:
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin is typing.Annotated:
            tp = args[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in args if a is not type(None)]
            if len(members) == 1:
                tp = members[0]
                continue
            models = [a for a in members if isinstance(a, type) and issubclass(a, BaseModel)]
            return ("union", models) if models else (None, None)
        elif origin is dict:
            return "dict", args[1]
        elif origin is list:
            return "list", args[0]
        elif isinstance(tp, type) and issubclass(tp, BaseModel):
            return "model", tp
        else:
            return None, None
