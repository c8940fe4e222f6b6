"""A caller's career: tenure day by day and the ramp-up of speed and skills it drives.

A :class:`Career` is the caller's :class:`~sim.model.operator.DayThresholds` and gives the
loop the caller's duration streams for each working day (``durations_on_day``). Both follow
the caller's *level* on that day's tenure (:meth:`sim.scenario.people.RampUp.level`): skills
are multiplied by it, the caller's own times divided by it. At level 1 the caller's base
thresholds and streams are used as they are, so a ramp that is always at 1 changes nothing.

The career records each working day's tenure in the recorder's ``people`` log (one
``(day, operator, tenure_day)`` row per operator-day worked, simulated days numbered from 0).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sim.model.decisions import CallParams
from sim.model.operator import SegmentDurations
from sim.scenario.people import RampUp

ParamsFactory = Callable[[float], tuple[CallParams | None, ...]]
"""Thresholds by segment for a caller whose skills are multiplied by the given factor."""
DurationsFactory = Callable[[float], list[SegmentDurations | None]]
"""Duration streams by segment for a caller whose own times are divided by the given factor."""


class Career:
    """One seat's caller over the simulated days: tenure, level, thresholds and durations."""

    __slots__ = (
        "_base_durations",
        "_base_params",
        "_durations",
        "_durations_level",
        "_make_durations",
        "_make_params",
        "_params",
        "_params_level",
        "first_tenure_day",
        "log",
        "operator",
        "ramp",
    )

    def __init__(
        self,
        operator: int,
        ramp: RampUp | None,
        first_tenure_day: int,
        base_params: tuple[CallParams | None, ...],
        base_durations: list[SegmentDurations | None],
        make_params: ParamsFactory,
        make_durations: DurationsFactory,
        log: list[tuple[Any, ...]],
    ) -> None:
        self.operator = operator
        self.ramp = ramp
        self.first_tenure_day = first_tenure_day
        """Tenure on simulated day 0 (may be negative: not yet working at full count)."""
        self.log = log
        self._base_params, self._base_durations = base_params, base_durations
        self._make_params, self._make_durations = make_params, make_durations
        self._params_level, self._params = 1.0, base_params
        self._durations_level, self._durations = 1.0, base_durations

    def tenure(self, day: int) -> int:
        """Working days the caller had worked before simulated ``day`` (at least 0)."""
        return max(0, self.first_tenure_day + day)

    def level(self, day: int) -> float:
        """The caller's level on simulated ``day``: 1 without a ramp."""
        return 1.0 if self.ramp is None else self.ramp.level(self.tenure(day))

    def on_day(self, day: int) -> Sequence[CallParams | None]:
        """Thresholds by segment on ``day`` (skills times the level); records the tenure."""
        self.log.append((day, self.operator, self.tenure(day)))
        level = self.level(day) if self.ramp is not None and self.ramp.skills else 1.0
        if level != self._params_level:
            self._params_level = level
            self._params = self._base_params if level == 1.0 else self._make_params(level)
        return self._params

    def durations_on_day(self, day: int) -> Sequence[SegmentDurations | None]:
        """Duration streams by segment on ``day`` (own times divided by the level).

        Streams are rebuilt only when the level changes (once per stage of a staged ramp);
        they draw from the caller's own duration stream, so results depend only on the seed.
        """
        level = self.level(day) if self.ramp is not None and self.ramp.speed else 1.0
        if level != self._durations_level:
            self._durations_level = level
            self._durations = self._base_durations if level == 1.0 else self._make_durations(level)
        return self._durations
