"""A seat's career: who sits in it day by day, their tenure, and the ramp-up it drives.

A :class:`Career` is the caller's :class:`~sim.model.operator.DayThresholds` and gives the
loop the caller's duration streams for each working day (``durations_on_day``; None when the
seat is empty). Both follow the caller's *level* on that day's tenure
(:meth:`sim.scenario.people.RampUp.level`): skills are multiplied by it, the caller's own
times divided by it. At level 1 the caller's base thresholds and streams are used as they
are, so a ramp that is always at 1 changes nothing.

**Turnover** (:class:`sim.scenario.people.Turnover`): at the start of each working day the
career decides whether the caller who worked the day before quit after it, reading one
uniform of the seat's own stream (:attr:`~sim.model.streams.Purpose.TURNOVER`) against the
hazard (raised by the run of days without a meeting, read from that day's tallies). A quit
seat stays empty ``hiring_delay_days`` working days, then a novice starts at tenure 0 with the
seat's personal multipliers and streams. The quit of the last simulated day is not decided
(nobody observes it).

The career records each day worked in the recorder's ``people`` log: one row
``[day, operator, tenure_day, hired, quit]`` (simulated days numbered from 0; ``hired`` 1 on
a replacement's first day, ``quit`` 1 on a caller's last day).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sim.model.behaviour import BoxTicker
from sim.model.decisions import CallParams
from sim.model.operator import SegmentDurations
from sim.model.outcomes import Outcome
from sim.model.records import CALLBACK_STATES, GATEKEEPER_STATES, TALLY_SUMS, path_index
from sim.scenario.people import RampUp, Turnover

MEETING_SLOTS = tuple(
    TALLY_SUMS + path_index(int(Outcome.MEETING), g, c)
    for g in range(GATEKEEPER_STATES)
    for c in range(CALLBACK_STATES)
)
"""Positions in a tally of every attempt path that ends in a meeting."""

ParamsFactory = Callable[[float, float], tuple[CallParams | None, ...]]
"""Thresholds by segment for a caller whose skills are multiplied by the first factor, under
box-ticking pressure the second (0: none; :mod:`sim.model.behaviour`)."""
DurationsFactory = Callable[[float, float], list[SegmentDurations | None]]
"""Duration streams by segment for a caller whose own times are divided by the first factor,
under box-ticking pressure the second."""


class Career:
    """One seat's caller over the simulated days: tenure, level, thresholds and durations."""

    __slots__ = (
        "_base_durations",
        "_base_params",
        "_days",
        "_durations",
        "_durations_level",
        "_fatigued",
        "_last_row",
        "_make_durations",
        "_make_params",
        "_no_meeting_run",
        "_params",
        "_params_level",
        "_quit_uniforms",
        "_vacant_until",
        "box",
        "first_tenure_day",
        "log",
        "operator",
        "ramp",
        "turnover",
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
        log: list[list[int]],
        turnover: Turnover | None = None,
        quit_uniforms: Iterator[float] | None = None,
        days: list[tuple[Any, ...]] | None = None,
        box: BoxTicker | None = None,
    ) -> None:
        """``days``: the recorder's operator-day records (read for the day's meetings)."""
        self.operator = operator
        self.box = box
        self.turnover = turnover
        self._quit_uniforms = quit_uniforms
        self._days = days if days is not None else []
        self._last_row: list[int] | None = None
        self._no_meeting_run = 0
        self._vacant_until: int | None = None
        self._fatigued: dict[
            tuple[float, float, float],
            tuple[Sequence[CallParams | None], Sequence[SegmentDurations | None]],
        ] = {}
        self.ramp = ramp
        self.first_tenure_day = first_tenure_day
        """Tenure on simulated day 0 (may be negative: not yet working at full count)."""
        self.log = log
        self._base_params, self._base_durations = base_params, base_durations
        self._make_params, self._make_durations = make_params, make_durations
        self._params_level: tuple[float, float] = (1.0, 0.0)
        self._params: Sequence[CallParams | None] = base_params
        self._durations_level: tuple[float, float] = (1.0, 0.0)
        self._durations: Sequence[SegmentDurations | None] = base_durations

    def tenure(self, day: int) -> int:
        """Working days the caller had worked before simulated ``day`` (at least 0)."""
        return max(0, self.first_tenure_day + day)

    def level(self, day: int) -> float:
        """The caller's level on simulated ``day``: 1 without a ramp."""
        return 1.0 if self.ramp is None else self.ramp.level(self.tenure(day))

    def on_day(self, day: int) -> Sequence[CallParams | None]:
        """Thresholds by segment on ``day`` (skills times the level); records the day."""
        level = self.level(day) if self.ramp is not None and self.ramp.skills else 1.0
        key = (level, self.pressure(day))
        if key != self._params_level:
            self._params_level = key
            self._params = self._base_params if key == (1.0, 0.0) else self._make_params(*key)
        return self._params

    def pressure(self, day: int) -> float:
        """Box-ticking pressure on ``day`` (0 without box-ticking or when on plan)."""
        return 0.0 if self.box is None else self.box.pressure(day)

    def durations_on_day(self, day: int) -> Sequence[SegmentDurations | None] | None:
        """Duration streams by segment on ``day`` (own times divided by the level).

        None when the seat is empty that day. Called first each working day: it settles
        who works today and records the day. Streams are rebuilt only when the level changes
        (once per stage of a staged ramp); they draw from the caller's own duration stream,
        so results depend only on the seed.
        """
        hired = 0
        if self.turnover is not None:
            if self._vacant_until is None:
                self._decide_quit(day, self.turnover)
            if self._vacant_until is not None:
                if day < self._vacant_until:
                    return None
                self._vacant_until = None
                self.first_tenure_day = -day
                self._no_meeting_run = 0
                hired = 1
        self._last_row = [day, self.operator, self.tenure(day), hired, 0]
        self.log.append(self._last_row)
        level = self.level(day) if self.ramp is not None and self.ramp.speed else 1.0
        key = (level, self.pressure(day))
        if key != self._durations_level:
            self._durations_level = key
            self._durations = (
                self._base_durations if key == (1.0, 0.0) else self._make_durations(*key)
            )
        return self._durations

    def fatigued(
        self, day: int, speed: float, skill: float
    ) -> tuple[Sequence[CallParams | None], Sequence[SegmentDurations | None]]:
        """Thresholds and streams by segment on ``day`` for a tired caller.

        ``speed`` and ``skill`` are the fatigue levels on pace and quality (rounded to 0.01,
        so few sets are built); they apply on top of the day's ramp level. Sets are kept
        while the ramp level stays the same.
        """
        ramp = self.ramp
        speed_level = self.level(day) if ramp is not None and ramp.speed else 1.0
        skill_level = self.level(day) if ramp is not None and ramp.skills else 1.0
        cut = self.pressure(day)
        key = (speed_level * speed, skill_level * skill, cut)
        hit = self._fatigued.get(key)
        if hit is None:
            if len(self._fatigued) > 200:
                self._fatigued.clear()
            plain = cut == 0.0
            params = (
                self._base_params if plain and key[1] == 1.0 else self._make_params(key[1], cut)
            )
            durations = (
                self._base_durations
                if plain and key[0] == 1.0
                else self._make_durations(key[0], cut)
            )
            hit = self._fatigued[key] = (params, durations)
        return hit

    def _decide_quit(self, day: int, turnover: Turnover) -> None:
        """Did the caller who worked ``day - 1`` quit after it? Empties the seat if so."""
        last = self._last_row
        if last is None or last[0] != day - 1 or self._quit_uniforms is None:
            return
        if turnover.rise_per_day_without_meeting > 0.0:
            if self._meetings_on(day - 1):
                self._no_meeting_run = 0
            else:
                self._no_meeting_run += 1
        hazard = turnover.daily_quit_prob * (
            1.0 + turnover.rise_per_day_without_meeting * self._no_meeting_run
        )
        if next(self._quit_uniforms) < hazard:
            last[4] = 1
            self._vacant_until = day + turnover.hiring_delay_days

    def _meetings_on(self, day: int) -> int:
        """Meetings the caller booked on ``day`` (the last operator-day it recorded)."""
        for record in reversed(self._days):
            if record[1] == self.operator and record[0] == day:
                return sum(t[i] for t in record[2] if t is not None for i in MEETING_SLOTS)
        return 0
