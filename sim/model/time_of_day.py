"""Time of day, weekday and fatigue in the per-attempt loop, at no cost to callers without.

The loop looks up ``(thresholds, durations)`` of the attempt's segment in the day's kit list
(``day_kits[seg]``). A caller whose segments have time-of-day factors
(:class:`sim.scenario.time_of_day.TimeOfDay`) or whose profile tires
(:class:`sim.scenario.people.Fatigue`) gets a :class:`TimedKits` list instead of a plain one:
its item lookup reads the clock and hands out the thresholds (and, when tired, the streams)
of that moment of the shift. Callers without either keep a plain list, so their loop is
unchanged.

Thresholds are adjusted from the day's own (a ramp's skills included) by
:func:`scale_call_params` and cached per (segment, weekday, hour); a factor of exactly 1
leaves its stage untouched, so a flat profile gives identical results.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import simpy

from sim.model.decisions import CallParams
from sim.model.ramp import Career
from sim.scenario import MINUTES_PER_DAY, Shift
from sim.scenario.people import Fatigue
from sim.scenario.time_of_day import WEEKDAYS, TimeOfDay

MINUTES_PER_HOUR = 60.0


def _scaled_share(probs: list[float], index: int, factor: float, cap: float) -> list[float]:
    """``probs`` with ``probs[index]`` times ``factor``, capped at ``cap``.

    The others share what is left of ``cap`` in their proportions (the last takes it all if
    they had none).
    """
    target = min(cap, probs[index] * factor)
    others = [p for i, p in enumerate(probs) if i != index]
    rest = sum(others)
    room = cap - target
    if rest > 0.0:
        shared = [p * room / rest for p in others]
    else:
        shared = [0.0] * len(others)
        if shared:
            shared[-1] = room
    return [*shared[:index], target, *shared[index:]]


def _cumulative(values: list[float]) -> tuple[float, ...]:
    total, out = 0.0, []
    for v in values:
        total += v
        out.append(total)
    return tuple(out)


def scale_call_params(
    params: CallParams, answer: float, gatekeeper_pass: float, dm_available: float
) -> CallParams:
    """``params`` with the answered share, gatekeeper pass and DM availability multiplied.

    Answered = 1 - busy - no answer - invalid: busy and no answer share what the new answered
    share leaves (invalid numbers stay as they are). The gatekeeper's DM-out, email and
    refusal share what the new pass probability leaves. Each is capped at what is possible.
    """
    changes: dict[str, Any] = {}
    if answer != 1.0:
        busy_cut, no_answer_cut, invalid_cut = params.line_cuts
        invalid = invalid_cut - no_answer_cut
        busy, no_answer = busy_cut, no_answer_cut - busy_cut
        answered = 1.0 - invalid_cut
        busy, no_answer, answered = _scaled_share(
            [busy, no_answer, answered], 2, answer, 1.0 - invalid
        )
        changes["line_cuts"] = _cumulative([busy, no_answer, invalid])
    if gatekeeper_pass != 1.0:
        pass_cut, out_cut, email_cut = params.gatekeeper_cuts
        probs = [pass_cut, out_cut - pass_cut, email_cut - out_cut, 1.0 - email_cut]
        scaled = _scaled_share(probs, 0, gatekeeper_pass, 1.0)
        changes["gatekeeper_cuts"] = _cumulative(scaled[:3])
    if dm_available != 1.0:
        changes["dm_available_prob"] = min(1.0, params.dm_available_prob * dm_available)
    return replace(params, **changes) if changes else params


class TimedTable:
    """One caller's factors that follow the clock within a shift, and their thresholds.

    Time-of-day factors by segment number (None where a segment has none or is not called)
    and the profile's fatigue (with the caller's :class:`~sim.model.ramp.Career`, which
    builds a tired caller's thresholds and streams). Called once per working day at the
    shift's start, it makes that day's :class:`TimedKits`.
    """

    __slots__ = (
        "_cache",
        "break_due_min",
        "break_length_min",
        "by_segment",
        "career",
        "env",
        "fatigue",
        "warm_up_days",
    )

    def __init__(
        self,
        env: simpy.Environment,
        by_segment: list[TimeOfDay | None] | None,
        warm_up_days: int,
        fatigue: Fatigue | None = None,
        career: Career | None = None,
        shift: Shift | None = None,
    ) -> None:
        self.env = env
        self.by_segment = by_segment
        self.warm_up_days = warm_up_days
        self.fatigue = fatigue
        self.career = career
        self.break_due_min = [] if shift is None else shift.break_due_times_min()
        self.break_length_min = 0.0 if shift is None else shift.break_length_min
        self._cache: dict[tuple[int, int, int, int], tuple[CallParams, CallParams]] = {}

    def __call__(self, kits: Iterable[tuple[Any, Any]]) -> TimedKits:
        """The day's kit list (built at the shift's start: the clock is its start)."""
        now = self.env.now
        day = int(now // MINUTES_PER_DAY)
        return TimedKits(kits, self, now, day, (day - self.warm_up_days) % WEEKDAYS)

    def adjusted(self, params: CallParams, seg: int, weekday: int, hour: int) -> CallParams:
        """``params`` of segment ``seg`` at ``weekday`` and ``hour`` of the shift."""
        factors = None if self.by_segment is None else self.by_segment[seg]
        if factors is None:
            return params
        key = (seg, weekday, hour, id(params))
        hit = self._cache.get(key)
        if hit is not None and hit[0] is params:
            return hit[1]
        if len(self._cache) > 10_000:
            self._cache.clear()
        scaled = scale_call_params(params, *factors.multipliers(weekday, hour))
        self._cache[key] = (params, scaled)
        return scaled


class TimedKits(list[Any]):
    """The day's ``(thresholds, durations)`` by segment, as of the lookup's time in the shift."""

    __slots__ = ("_day", "_start", "_table", "_weekday")

    def __init__(
        self,
        kits: Iterable[tuple[Any, Any]],
        table: TimedTable,
        start: float,
        day: int,
        weekday: int,
    ) -> None:
        super().__init__(kits)
        self._table, self._start, self._day, self._weekday = table, start, day, weekday

    def __getitem__(self, seg: Any) -> Any:
        params, times = list.__getitem__(self, seg)
        table = self._table
        minute = table.env.now - self._start
        fatigue, career = table.fatigue, table.career
        if fatigue is not None and career is not None:
            level = fatigue.level(minute, table.break_due_min, table.break_length_min)
            if level != 1.0:
                by_seg, durations = career.fatigued(
                    self._day,
                    level if fatigue.pace else 1.0,
                    level if fatigue.quality else 1.0,
                )
                params, times = by_seg[seg], durations[seg]
        return table.adjusted(params, seg, self._weekday, int(minute // MINUTES_PER_HOUR)), times
