"""Experienced sellers holding the meetings callers book: SimPy processes with a calendar.

A meeting booked on working day ``d`` is due on ``d + booking_lead_days`` of the seller group
it goes to (meetings go to the sellers in turn: meeting ``k`` to seller ``k mod sellers``'s
group). Each seller is a SimPy process that, at the end of every working day's shift, holds up
to ``meetings_per_day`` of its group's meetings that are due, earliest due first (then in
booking order). Meetings beyond the capacity wait: the **backlog** on a day is the meetings due
and not yet held, the **wait** of a meeting the working days from its due day to the day held.
Whether the client shows up and whether the meeting becomes a sale are decided from the
company's spare uniforms when the records are tabulated (:mod:`sim.records.meetings`): a
no-show still takes the seller's slot.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from heapq import heappop, heappush
from typing import Any

import simpy

from sim.model.fit import SegmentFit
from sim.scenario import MINUTES_PER_DAY
from sim.scenario.sales import SellerGroup


@dataclass
class SalesBook:
    """A replication's meetings: who booked them, and when and by whom they were held."""

    fits: list[SegmentFit | None]
    """Per segment number, the companies' fit (None: every company average)."""
    groups: list[SellerGroup]
    seller_group: list[int] = field(default_factory=list)
    """Per seller number, its group's position in ``groups``."""
    queues: list[list[tuple[int, int]]] = field(default_factory=list)
    """Per seller group, a heap of ``(due_day, meeting)`` not yet held."""
    booked: list[tuple[int, int, int, int, int]] = field(default_factory=list)
    """Per meeting (its number is its position): ``(day, operator, segment, company,
    attempt_no)`` of the attempt that booked it (day counts warm-up days too)."""
    held: list[tuple[int, int, int]] = field(default_factory=list)
    """``(meeting, day_held, seller)`` per meeting held."""

    def multiplier(self, segment: int, company: int) -> float:
        """``fit / mean`` of a company (1 without fit spread)."""
        fit = self.fits[segment]
        return 1.0 if fit is None else fit.of(company) / fit.fit.mean

    def book(self, day: int, operator: int, segment: int, company: int, attempt_no: int) -> None:
        """Record a meeting booked on ``day``; queue it with its seller group, if any."""
        meeting = len(self.booked)
        self.booked.append((day, operator, segment, company, attempt_no))
        if self.seller_group:
            g = self.seller_group[meeting % len(self.seller_group)]
            heappush(self.queues[g], (day + self.groups[g].booking_lead_days, meeting))


def start_sellers(
    env: simpy.Environment, book: SalesBook, days: int, shift_length_min: float
) -> None:
    """One SimPy process per seller of ``book.groups``, over ``days`` working days."""
    book.queues = [[] for _ in book.groups]
    for g, group in enumerate(book.groups):
        for _ in range(group.count):
            seller = len(book.seller_group)
            book.seller_group.append(g)
            env.process(
                _seller_process(
                    env, book, seller, g, group.meetings_per_day, days, shift_length_min
                )
            )


def _seller_process(
    env: simpy.Environment,
    book: SalesBook,
    seller: int,
    group: int,
    capacity: int,
    days: int,
    shift_length_min: float,
) -> Generator[simpy.Event, Any, None]:
    """Hold up to ``capacity`` due meetings at the end of each working day's shift."""
    queue = book.queues[group]
    for day in range(days):
        yield env.timeout(day * MINUTES_PER_DAY + shift_length_min - env.now)
        held = 0
        while held < capacity and queue and queue[0][0] <= day:
            _, meeting = heappop(queue)
            book.held.append((meeting, day, seller))
            held += 1
