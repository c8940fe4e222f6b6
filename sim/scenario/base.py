"""The base of every scenario block: frozen, unknown keys rejected, defaults validated.

Also the limits that keep every figure of a simulation finite: no duration, delay, weight or
pay figure may be so large (or so small) that sums of them overflow, and ``true``/``false``
is never taken for a number (YAML's ``count: true`` would otherwise be 1 caller).
"""

from __future__ import annotations

import difflib
import typing
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator

MAX_DURATION_MIN = 10_000.0
"""Longest duration (a constant, a mean, a bound or an observed value) of any activity, min
(about a week: a marathon call may overrun into the next working day)."""
MAX_CV = 10.0
"""Largest coefficient of variation (sd_min / mean_min) of a lognormal or gamma duration."""
MIN_ATTEMPT_MIN = 0.01
"""Shortest expected call attempt (dial, ring and wrap-up), min: at most 120,000 attempts a
shift, so a run always ends."""
MAX_DELAY_MIN = 1e9
"""Longest retry delay, min (about 700,000 working days: "never", yet finite)."""
MAX_DELAY_DAYS = 1e6
"""Longest cool-off or callback delay, working days ("never", yet finite)."""
MAX_WEIGHT = 1e9
"""Largest relative weight (segment mixes, empirical durations)."""
MAX_MONEY = 1e12
"""Largest pay figure, currency units per month."""
MAX_SEED = 2**63 - 1
"""Largest root seed (it is stored as a 64-bit integer)."""


def not_bool(value: Any) -> Any:
    """Refuse ``true``/``false`` where a number is expected (pydantic would take it as 1/0)."""
    if isinstance(value, bool):
        raise ValueError("expected a number, not true/false")
    return value


NotBool = BeforeValidator(not_bool)
"""Annotation refusing booleans for a number (for the items of lists and mappings)."""
Weight = Annotated[float, NotBool, Field(ge=0.0, le=MAX_WEIGHT, allow_inf_nan=False)]
"""A relative weight, 0 to :data:`MAX_WEIGHT`."""


class Frozen(BaseModel):
    """A scenario block: immutable once validated, and a typo'd key is an error, not ignored.

    A Distribution field with a bare-number default repeats ``validate_default=True`` in its
    ``Field()``: the number is validated into a Constant either way, and pydantic then types
    the ``Field()`` as Any rather than float, so type checkers accept the default.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)

    @field_validator("*", mode="before")
    @classmethod
    def _booleans_are_not_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, bool) and info.field_name is not None:
            annotation = cls.model_fields[info.field_name].annotation
            if annotation is not bool and bool not in typing.get_args(annotation):
                return not_bool(value)
        return value


def did_you_mean(unknown: typing.Iterable[str], known: typing.Iterable[str]) -> str:
    """``"; did you mean 'medium'?"`` for the first name in ``unknown`` close to a ``known`` one.

    Appended to the error of a block that names a segment, profile or team group the scenario
    does not have (``sales.fit``, ``time_of_day``, a group's ``segments``): a typo there is
    refused with the nearest valid name, as it is under ``segments`` and ``profiles``.
    """
    choices = [str(name) for name in known]
    for name in unknown:
        close = difflib.get_close_matches(str(name), choices, n=1, cutoff=0.6)
        if not close:
            lowered = {choice.lower(): choice for choice in choices}
            close = [lowered[str(name).lower()]] if str(name).lower() in lowered else []
        if close:
            return f"; did you mean {close[0]!r}?"
    return ""


class NestedValueError(ValueError):
    """A validator's complaint about one item inside the field it validates.

    ``within`` is the item's path below that field (``0, "profile"`` for the first team group's
    profile), so that the error report names the item and its line, not the whole block.
    """

    def __init__(self, message: str, *within: str | int) -> None:
        super().__init__(message)
        self.within = within
