"""Time of day and weekday in the per-attempt loop, at no cost to callers without it.

The loop looks up ``(thresholds, durations)`` of the attempt's segment in the day's kit list
(``day_kits[seg]``). A caller whose segments have time-of-day factors
(:class:`sim.scenario.time_of_day.TimeOfDay`) gets an :class:`HourlyKits` list instead of a
plain one: its item lookup reads the clock and hands out the thresholds of that weekday and
hour of the shift. Callers without factors keep a plain list, so their loop is unchanged.

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
from sim.scenario import MINUTES_PER_DAY
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


class HourlyTable:
    """One caller's time-of-day factors by segment number, and their adjusted thresholds."""

    __slots__ = ("_cache", "by_segment", "env", "warm_up_days")

    def __init__(
        self, env: simpy.Environment, by_segment: list[TimeOfDay | None], warm_up_days: int
    ) -> None:
        self.env = env
        self.by_segment = by_segment
        self.warm_up_days = warm_up_days
        self._cache: dict[tuple[int, int, int], tuple[CallParams, CallParams]] = {}

    def __call__(self, kits: Iterable[tuple[Any, Any]]) -> HourlyKits:
        """The day's kit list (built at the shift's start: the clock is its start)."""
        now = self.env.now
        weekday = (int(now // MINUTES_PER_DAY) - self.warm_up_days) % WEEKDAYS
        return HourlyKits(kits, self, now, weekday)

    def adjusted(self, params: CallParams, seg: int, weekday: int, hour: int) -> CallParams:
        """``params`` of segment ``seg`` at ``weekday`` and ``hour`` of the shift."""
        factors = self.by_segment[seg]
        if factors is None:
            return params
        key = (seg, weekday, hour)
        hit = self._cache.get(key)
        if hit is not None and hit[0] is params:
            return hit[1]
        scaled = scale_call_params(params, *factors.multipliers(weekday, hour))
        self._cache[key] = (params, scaled)
        return scaled


class HourlyKits(list[Any]):
    """The day's ``(thresholds, durations)`` by segment, thresholds as of the lookup's hour."""

    __slots__ = ("_start", "_table", "_weekday")

    def __init__(
        self, kits: Iterable[tuple[Any, Any]], table: HourlyTable, start: float, weekday: int
    ) -> None:
        super().__init__(kits)
        self._table, self._start, self._weekday = table, start, weekday

    def __getitem__(self, seg: Any) -> Any:
        params, times = list.__getitem__(self, seg)
        hour = int((self._table.env.now - self._start) // MINUTES_PER_HOUR)
        return self._table.adjusted(params, seg, self._weekday, hour), times
