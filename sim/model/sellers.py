"""Experienced sellers holding the meetings callers book: SimPy processes with a calendar.

A meeting booked on working day ``d`` is due on ``d + booking_lead_days`` of the seller group
it goes to (meetings go to the sellers in turn: meeting ``k`` to seller ``k mod sellers``'s
group). Each seller is a SimPy process that, at the end of every working day's shift, holds up
to ``meetings_per_day`` of its group's meetings that are due, earliest due first (then in
booking order). Meetings beyond the capacity wait: the **backlog** on a day is the meetings due
and not yet held, the **wait** of a meeting the working days from its due day to the day held.
**Callers who hold their own meetings** (a group with ``team_group``, the forum's
alternative) have no process: the caller's loop asks :meth:`SalesBook.hold_own` at the start
of each working day, which holds up to ``meetings_per_day`` of the caller's due meetings (as
many as fit in the shift) and returns their minutes, taken off the end of that day's calling.
A caller-seller holds the meetings they booked; the rest of the team's go round the other
sellers in turn, or round the caller-sellers when there are no others.

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
    meeting_group: list[int] = field(default_factory=list)
    """Per meeting, the position in ``groups`` of the seller group it went to."""
    caller_seller: dict[int, int] = field(default_factory=dict)
    """Operator number -> seller number, for callers who hold their own meetings."""
    rotation: list[int] = field(default_factory=list)
    """Sellers taking, in turn, the meetings of callers who do not hold their own."""
    own_queues: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    """Per caller-seller, a heap of ``(due_day, meeting)`` not yet held."""
    away: list[tuple[int, int, float]] = field(default_factory=list)
    """``(day, operator, minutes)``: a caller-seller's meeting minutes on a working day."""
    shift_length_min: float = 0.0
    """The shift's length (minutes): a caller-seller holds no more meetings than fit in it."""
    turn: int = 0
    """Meetings handed round ``rotation`` so far."""

    def multiplier(self, segment: int, company: int) -> float:
        """``fit / mean`` of a company (1 without fit spread)."""
        fit = self.fits[segment]
        return 1.0 if fit is None else fit.of(company) / fit.fit.mean

    def book(self, day: int, operator: int, segment: int, company: int, attempt_no: int) -> None:
        """Record a meeting booked on ``day``; queue it with its seller group, if any."""
        self.booked.append((day, operator, segment, company, attempt_no))
        if self.seller_group:
            meeting = len(self.meeting_group)
            seller = self.caller_seller.get(operator)
            if seller is None:
                seller = self.rotation[self.turn % len(self.rotation)]
                self.turn += 1
            g = self.seller_group[seller]
            self.meeting_group.append(g)
            due = (day + self.groups[g].booking_lead_days, meeting)
            heappush(self.own_queues[seller] if seller in self.own_queues else self.queues[g], due)

    def hold_own(self, operator: int, day: int) -> float:
        """Hold a caller-seller's due meetings on ``day``: minutes taken from its calling."""
        seller = self.caller_seller[operator]
        queue, group = self.own_queues[seller], self.groups[self.seller_group[seller]]
        capacity = group.meetings_per_day
        if group.meeting_min > 0.0:  # no more meetings than fit in the shift
            capacity = min(capacity, int(self.shift_length_min // group.meeting_min))
        held = 0
        while held < capacity and queue and queue[0][0] <= day:
            _, meeting = heappop(queue)
            self.held.append((meeting, day, seller))
            held += 1
        minutes = held * group.meeting_min
        if minutes:
            self.away.append((day, operator, minutes))
        return minutes


def start_sellers(
    env: simpy.Environment,
    book: SalesBook,
    days: int,
    shift_length_min: float,
    group_operators: dict[str, list[int]],
) -> None:
    """One SimPy process per seller of ``book.groups``, over ``days`` working days.

    A group of callers (``team_group``) has no process: its sellers are the callers
    ``group_operators[team_group]`` (operator numbers), who hold their meetings themselves.
    """
    book.queues = [[] for _ in book.groups]
    book.shift_length_min = shift_length_min
    for g, group in enumerate(book.groups):
        for k in range(group.count):
            seller = len(book.seller_group)
            book.seller_group.append(g)
            if group.team_group is not None:
                book.caller_seller[group_operators[group.team_group][k]] = seller
                book.own_queues[seller] = []
                continue
            env.process(
                _seller_process(
                    env, book, seller, g, group.meetings_per_day, days, shift_length_min
                )
            )
    others = [s for s in range(len(book.seller_group)) if s not in book.own_queues]
    book.rotation = others or list(book.own_queues)


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
