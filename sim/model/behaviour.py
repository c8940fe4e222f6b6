"""Box-tickers: a caller behind a count-only quota drifts to the easiest segment.

A :class:`BoxTicker` watches its caller's days: on a working day after one on which the
caller missed a quota that counts only volume (dials, calls, answered calls), it is *behind*
and its pressure is the profile's ``strength``. Its :class:`DriftingChoice` wraps the
caller's fresh-lead segment uniforms: on a day behind, with probability ``strength`` (a coin
from the seat's own :attr:`~sim.model.streams.Purpose.BEHAVIOUR` stream) the pick lands in
the easiest segment, at the same relative place within it (the selection uniform is reused,
so picks stay coupled across strengths). The :class:`~sim.model.ramp.Career` reads the same
pressure to shorten talk and lower discovery. With strength 0 nothing is wrapped and no coin
is drawn, so results are those without the mechanism.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import simpy

from sim.model.outcomes import ANSWERED, Outcome
from sim.model.records import CALLBACK_STATES, GATEKEEPER_STATES, TALLY_SUMS, path_index
from sim.scenario import MINUTES_PER_DAY, QuotaTarget


def _slots(counted: list[bool]) -> tuple[int, ...]:
    """Tally positions of every path whose outcome ``counted`` marks."""
    return tuple(
        TALLY_SUMS + path_index(int(o), g, c)
        for o in Outcome
        if counted[int(o)]
        for g in range(GATEKEEPER_STATES)
        for c in range(CALLBACK_STATES)
    )


UNIT_SLOTS: dict[str, tuple[int, ...]] = {
    "dials": _slots([True] * len(Outcome)),
    "calls_excl_busy_no_answer": _slots(
        [o not in (Outcome.BUSY, Outcome.NO_ANSWER) for o in Outcome]
    ),
    "answered": _slots([ANSWERED[int(o)] for o in Outcome]),
}
"""Tally positions counted by each count-only quota unit."""


class BoxTicker:
    """Whether a caller is behind its count-only quota on a day, and the pressure then."""

    __slots__ = ("_behind_day", "_days", "_is_behind", "operator", "quota", "strength")

    def __init__(
        self, operator: int, quota: list[QuotaTarget], strength: float, days: list[Any]
    ) -> None:
        """``quota``: count-only parts; ``days``: the recorder's operator-day records."""
        self.operator = operator
        self.quota = [(UNIT_SLOTS[q.counts], q.target) for q in quota]
        self.strength = strength
        self._days = days
        self._behind_day = -1
        self._is_behind = False

    def behind(self, day: int) -> bool:
        """Whether the caller missed the quota on ``day - 1`` (worked and recorded)."""
        if day != self._behind_day:
            self._behind_day = day
            self._is_behind = self._missed(day - 1)
        return self._is_behind

    def pressure(self, day: int) -> float:
        """The drift share and cut factor on ``day``: ``strength`` if behind, else 0."""
        return self.strength if self.behind(day) else 0.0

    def _missed(self, day: int) -> bool:
        for record in reversed(self._days):
            if record[1] == self.operator and record[0] == day:
                tallies = [t for t in record[2] if t is not None]
                return any(
                    sum(t[i] for t in tallies for i in slots) < target
                    for slots, target in self.quota
                )
            if record[0] < day - 1:
                break
        return False


class DriftingChoice:
    """Segment-pick uniforms of a box-ticker: drawn to the easiest segment when behind."""

    __slots__ = ("_base", "_box", "_coins", "_env", "_high", "_low")

    def __init__(
        self,
        env: simpy.Environment,
        base: Iterator[float],
        coins: Iterator[float],
        box: BoxTicker,
        low: float,
        high: float,
    ) -> None:
        """``[low, high)``: the easiest segment's share of the caller's cumulative weights."""
        self._env, self._base, self._coins, self._box = env, base, coins, box
        self._low, self._high = low, high

    def __iter__(self) -> DriftingChoice:
        return self

    def __next__(self) -> float:
        u = next(self._base)
        pressure = self._box.pressure(int(self._env.now // MINUTES_PER_DAY))
        if pressure > 0.0 and next(self._coins) < pressure:
            value = self._low + u * (self._high - self._low)
            return min(value, math.nextafter(self._high, 0.0))
        return u
