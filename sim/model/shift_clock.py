"""A caller's clock within a shift: when breaks fall due, and steps that always arrive.

:class:`BreakClock` keeps one shift's break schedule (breaks fall due at fixed times into the
shift and start at the first attempt boundary after that); :func:`clock_step` is the float
step that brings a clock exactly to a target time.
"""

from __future__ import annotations

import math

from sim.scenario import Shift

__all__ = ["BreakClock", "clock_step"]


class BreakClock:
    """One shift's breaks: when the next falls due, and the break minutes taken (minutes).

    A break falls due at fixed times into the shift and starts at the first attempt boundary
    after that (nobody hangs up for a break); one cut short by the shift end ends with it.
    """

    __slots__ = ("_due", "_next", "end", "length", "next_stop", "taken_min")

    def __init__(self, start: float, shift: Shift) -> None:
        self.end = start + shift.length_min
        self.length = shift.break_length_min
        self._due = [start + b for b in shift.break_due_times_min()] + [math.inf]
        self._next = 0
        self.taken_min = 0.0
        self.next_stop = min(self.end, self._due[0])
        """The earliest of the next break's due time and the shift end."""

    def take_break(self, free_at: float) -> float:
        """Minutes of the break a caller free at ``free_at`` (a break due, shift not over) takes."""
        pause = min(self.length, self.end - free_at)
        self._next += 1
        self.next_stop = min(self.end, self._due[self._next])
        self.taken_min += pause
        return pause


def clock_step(now: float, until: float) -> float:
    """The smallest step ``d`` with ``now + d >= until`` in floating point (minutes).

    ``until - now`` rounds, and ``now + (until - now)`` can fall one unit in the last place
    short of ``until``: a caller waking there would find its callback not yet due and wait a
    step that no longer moves the clock, forever. Exact whenever ``until - now`` is.
    """
    step = until - now
    while now + step < until:
        step = math.nextafter(step, math.inf)
    return step
