"""Time of day and weekday: how a segment's odds change over the shift and the week.

Optional and off by default (``Scenario.time_of_day`` is empty): every hour is the same.
For a segment named there, three probabilities are multiplied by an hour-of-shift factor
times a weekday factor (unlisted hours and weekdays: 1):

- ``answer``: the chance the line is answered (busy and no answer share the rest in their
  proportions; the share of invalid numbers does not change with the hour);
- ``gatekeeper_pass``: the gatekeeper's chance to put the caller through (the other
  gatekeeper outcomes share the rest in their proportions);
- ``dm_available``: the chance the decision-maker is in and free.

Each product is capped so that the probabilities stay valid. Hour ``k`` is the ``k``-th hour
since the shift started (0 = the first); weekdays count from the horizon's first day as a
Monday of a five-day week (day ``d`` is weekday ``d mod 5``). Sources: public call-timing
studies report a lunch dip and better early and late hours; the factors are assumptions to
set per market.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from sim.scenario.base import Frozen as _Frozen

Factor = Annotated[float, Field(ge=0.0, le=100.0, allow_inf_nan=False)]
MAX_HOURS = 24
WEEKDAYS = 5


class TimeOfDay(_Frozen):
    """One segment's multipliers by hour of the shift and by weekday (1 where not listed)."""

    answer_by_hour: list[Factor] = Field(
        default_factory=list, max_length=MAX_HOURS, description="x answered share, by hour."
    )
    gatekeeper_pass_by_hour: list[Factor] = Field(
        default_factory=list, max_length=MAX_HOURS, description="x gatekeeper pass, by hour."
    )
    dm_available_by_hour: list[Factor] = Field(
        default_factory=list, max_length=MAX_HOURS, description="x DM available, by hour."
    )
    answer_by_weekday: list[Factor] = Field(
        default_factory=list, max_length=WEEKDAYS, description="x answered share, Mon..Fri."
    )
    gatekeeper_pass_by_weekday: list[Factor] = Field(
        default_factory=list, max_length=WEEKDAYS, description="x gatekeeper pass, Mon..Fri."
    )
    dm_available_by_weekday: list[Factor] = Field(
        default_factory=list, max_length=WEEKDAYS, description="x DM available, Mon..Fri."
    )

    def multipliers(self, weekday: int, hour: int) -> tuple[float, float, float]:
        """``(answer, gatekeeper_pass, dm_available)`` factors on ``weekday`` at ``hour``."""

        def at(values: list[float], k: int) -> float:
            return values[k] if k < len(values) else 1.0

        return (
            at(self.answer_by_hour, hour) * at(self.answer_by_weekday, weekday),
            at(self.gatekeeper_pass_by_hour, hour) * at(self.gatekeeper_pass_by_weekday, weekday),
            at(self.dm_available_by_hour, hour) * at(self.dm_available_by_weekday, weekday),
        )
