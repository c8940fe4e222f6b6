"""The calling base: companies, their state across attempts and days, and lead selection.

Each company (a *lead*) remembers how often it was called, whether its decision-maker (DM) has
been identified (so later attempts dial the DM directly), when it is due to be called back and
its status. A caller asks the :class:`LeadPool` for the next lead: the earliest **due callback**
in the caller's segments first, then a **fresh** company from a segment drawn by the caller's
weighted segment mix. A lead is handed to one caller at a time: fresh leads leave the fresh
queue when taken and a callback is only due after the attempt that scheduled it has ended.
"""

from __future__ import annotations

import heapq
import math
from array import array
from bisect import bisect_right
from collections.abc import Callable
from itertools import count
from typing import TYPE_CHECKING

from sim.model.outcomes import CLOSING_STATUS, N_OUTCOMES, OUTCOME_TABLE, LeadStatus
from sim.model.streams import (
    ATTEMPTS_PER_BLOCK,
    COMPANIES_PER_BLOCK,
    DRAWS_PER_ATTEMPT,
    CompanyDraws,
)
from sim.scenario import MINUTES_PER_DAY, RetryPolicy
from sim.scenario.time_of_day import WEEKDAYS

if TYPE_CHECKING:
    from sim.scenario import Scenario, TeamGroup

OPEN = int(LeadStatus.OPEN)
LONG_TERM_STATUS = int(LeadStatus.LONG_TERM_NEED)
EXHAUSTED = int(LeadStatus.EXHAUSTED)


class Lead:
    """One company of the calling base and its state.

    ``draws`` and ``draws_offset`` locate the company's uniforms (see
    :class:`sim.model.streams.CompanyDraws`): attempt ``k`` reads ``DRAWS_PER_ATTEMPT`` values of
    ``draws`` from ``draws_offset + k * DRAWS_PER_ATTEMPT``, for ``k < draws_end``; later
    attempts need :meth:`LeadPool.load_draws` first.
    """

    __slots__ = (
        "attempts",
        "budget_start",
        "callback_seq",
        "dm_contact_attempt",
        "dm_contact_day",
        "dm_known",
        "draws",
        "draws_end",
        "draws_offset",
        "first_day",
        "index",
        "segment",
        "status",
    )

    def __init__(
        self, segment: int, index: int, draws: array[float], draws_offset: int, first_day: int
    ) -> None:
        self.segment = segment
        self.index = index
        self.draws = draws
        self.draws_offset = draws_offset
        self.draws_end = ATTEMPTS_PER_BLOCK
        self.first_day = first_day
        """Working day of the company's first attempt."""
        self.attempts = 0
        self.budget_start = 0
        """Attempts made when the retry budget last restarted (a long-term need restarts it)."""
        self.dm_known = False
        self.status = OPEN
        self.dm_contact_day = -1
        self.dm_contact_attempt = -1
        self.callback_seq = 0
        """Sequence number of the lead's pending callback entries (0: none pending)."""


def called_segments(scenario: Scenario, group: TeamGroup) -> dict[int, float]:
    """The segments a team group calls, by segment number, with their (positive) weights."""
    index = {name: i for i, name in enumerate(scenario.segments)}
    return {
        index[name]: weight
        for name, weight in scenario.segment_weights(group).items()
        if weight > 0
    }


def retry_delays(retry: RetryPolicy) -> list[float | None]:
    """Per outcome code: the callback delay in minutes, or None where LeadPool.settle decides.

    Read from each outcome's retry rule (:data:`~sim.model.outcomes.OUTCOME_TABLE`): a delay
    in minutes, or a cool-off in working days (None when the policy sets none: the company
    refuses). None also marks the outcomes that close the company, and the long-term need,
    which restarts the retry budget.
    """
    delays: list[float | None] = [None] * N_OUTCOMES
    for spec in OUTCOME_TABLE:
        value = getattr(retry, spec.retry_field) if spec.retry_field else None
        if spec.retry == "delay_min":
            delays[spec.outcome] = value
        elif spec.retry == "cool_off_days":
            delays[spec.outcome] = None if value is None else value * MINUTES_PER_DAY
    return delays


class LeadPool:
    """All segments' companies in one replication: fresh queues and callback queues.

    Callbacks wait in one heap per distinct *set of segments* that callers call (usually a
    single set) as entries ``(due_min, seq, lead)``, ordered by due time, then by when they
    were scheduled (``seq``, from 1). A callback for a segment is entered in every set's heap
    that contains the segment; the caller who takes it resets ``lead.callback_seq`` to 0,
    which makes the other heaps' copies stale (their ``seq`` no longer matches), and stale
    entries are dropped when they reach the top.

    After an attempt, :data:`retry_delays` gives the callback delay of the common outcomes;
    :meth:`settle` handles the rest and the end of the retry budget.
    """

    def __init__(self, scenario: Scenario, root_seed: int, replication: int) -> None:
        self.segment_names = list(scenario.segments)
        self.sizes = [seg.companies for seg in scenario.segments.values()]
        self.touched: list[list[Lead]] = [[] for _ in self.sizes]
        """Per segment, the companies called so far, in the order first called: the pool takes
        fresh leads in index order (``touched[s][i].index == i``), a targeted list
        (:class:`sim.model.lists.ListPicker`) by score, so ``index`` names the company."""
        self.draws = [CompanyDraws(root_seed, replication, name) for name in self.segment_names]
        self._fresh_block: list[array[float]] = [array("d") for _ in self.sizes]
        self.max_attempts = scenario.retry.max_attempts
        # Callbacks due after this can never be made (the horizon is over, with a day's margin
        # for a last shift delayed by an extreme overrun): they count as scheduled but are not
        # queued, which keeps the heaps small.
        self.last_callable_min = (scenario.simulated_days + 1) * MINUTES_PER_DAY
        self.retry_delays = retry_delays(scenario.retry)
        self._warm_up_days = scenario.warm_up_days
        self._callback_at: list[tuple[float, int | None] | None] = [None] * N_OUTCOMES
        """Per outcome code: ``(minute into the shift, weekday)`` of a timed callback."""
        for spec in OUTCOME_TABLE:
            timed = scenario.retry.callback_at.get(spec.outcome.label)  # type: ignore[call-overload]
            if timed is not None:  # settle() decides: it knows when the attempt ended
                self._callback_at[spec.outcome] = (timed.hour * 60.0, timed.weekday)
                self.retry_delays[spec.outcome] = None
        self._long_term_delay_min = scenario.retry.long_term_callback_days * MINUTES_PER_DAY
        self._restarts_budget = tuple(spec.retry == "long_term" for spec in OUTCOME_TABLE)
        self._no_retry_status = tuple(int(spec.closes_without_retry) for spec in OUTCOME_TABLE)
        self._closing_status: list[int | None] = [None] * N_OUTCOMES
        for outcome, status in CLOSING_STATUS.items():
            self._closing_status[outcome] = int(status)
        self.sequence = count(1)
        """Numbers callback entries in the order they are scheduled (ties on due time)."""
        # One callback heap per set of segments some group calls, all made before the first
        # attempt so that every callback reaches every heap it belongs in.
        self.queues: dict[tuple[int, ...], list[tuple[float, int, Lead]]] = {}
        self._claims: dict[tuple[int, ...], dict[float, int]] = {}
        self.fresh_open: Callable[[tuple[int, ...]], bool] | None = None
        """Whether some caller may still take a fresh company of the segments, once one
        caller has none left; set where fresh companies run out per caller rather than per
        segment (lists of issue #12). None: a segment's fresh companies run out for all."""
        self.queues_of_segment: list[list[list[tuple[float, int, Lead]]]] = [[] for _ in self.sizes]
        for group in scenario.team:
            key = tuple(sorted(called_segments(scenario, group)))
            if key not in self.queues:
                queue: list[tuple[float, int, Lead]] = []
                self.queues[key] = queue
                self._claims[key] = {}
                for s in key:
                    self.queues_of_segment[s].append(queue)

    def callback_queue(self, segments: tuple[int, ...]) -> list[tuple[float, int, Lead]]:
        """The callback heap of callers of ``segments``: entries ``(due_min, seq, lead)``."""
        return self.queues[tuple(sorted(segments))]

    def fresh(
        self, day: int, segments: tuple[int, ...], cum_weights: tuple[float, ...], uniform: float
    ) -> Lead | None:
        """A company not called before, or None if the caller's segments have none left.

        The segment is picked by ``uniform`` on the caller's cumulative weights (ending at
        exactly 1), renormalised over the segments that still have fresh companies; ``day`` is
        the caller's working day, recorded as the company's first.
        """
        chosen = segments[bisect_right(cum_weights, uniform)] if len(segments) > 1 else segments[0]
        touched = self.touched[chosen]
        index = len(touched)
        if index >= self.sizes[chosen]:
            chosen = self._fresh_among_remaining(segments, cum_weights, uniform)
            if chosen < 0:
                return None
            touched = self.touched[chosen]
            index = len(touched)
        # Fresh companies are taken in index order, so their first block of uniforms is
        # fetched once per COMPANIES_PER_BLOCK companies.
        within = index % COMPANIES_PER_BLOCK
        if within == 0:
            self._fresh_block[chosen] = self.draws[chosen].attempts(index)[0]
        lead = Lead(
            chosen,
            index,
            self._fresh_block[chosen],
            within * ATTEMPTS_PER_BLOCK * DRAWS_PER_ATTEMPT,
            day,
        )
        touched.append(lead)
        return lead

    def _fresh_among_remaining(
        self, segments: tuple[int, ...], cum_weights: tuple[float, ...], uniform: float
    ) -> int:
        """Renormalise the mix over segments that still have fresh companies (-1 if none)."""
        weights, previous = [], 0.0
        for s, cum in zip(segments, cum_weights, strict=True):
            weights.append(cum - previous if len(self.touched[s]) < self.sizes[s] else 0.0)
            previous = cum
        total = sum(weights)
        if total <= 0.0:
            return -1
        target, acc = uniform * total, 0.0
        for s, w in zip(segments, weights, strict=True):
            acc += w
            if w > 0.0 and target < acc:
                return s
        return next(s for s, w in zip(segments, weights, strict=True) if w > 0.0)

    @staticmethod
    def next_due_min(queue: list[tuple[float, int, Lead]]) -> float:
        """Clock time of the earliest pending callback in a heap (inf if none).

        Once the fresh companies of a heap's segments have run out, nothing due earlier can
        join the heap before this time: a new callback in these segments needs an attempt on
        one of their companies, and every one left waits in the heap, due no earlier.
        """
        while queue and queue[0][2].callback_seq != queue[0][1]:
            heapq.heappop(queue)
        return queue[0][0] if queue else math.inf

    @staticmethod
    def pending_until(
        queue: list[tuple[float, int, Lead]], until_min: float
    ) -> tuple[int, tuple[float, int, Lead] | None]:
        """Pending callbacks of a heap due by ``until_min``, and the earliest one due after.

        Returns their number and the entry ``(due_min, seq, lead)`` of the earliest pending
        callback due later (None if there is none). Walks only the part of the heap due by
        ``until_min`` and, from there, the entries in due order until a pending one.
        """
        size = len(queue)
        waiting = 0
        later: list[tuple[float, int, int]] = []
        stack = [0] if size else []
        while stack:
            i = stack.pop()
            due, seq, lead = queue[i]
            if due <= until_min:
                waiting += lead.callback_seq == seq
                stack.extend(c for c in (2 * i + 1, 2 * i + 2) if c < size)
            else:
                heapq.heappush(later, (due, seq, i))
        while later:
            due, seq, i = heapq.heappop(later)
            if queue[i][2].callback_seq == seq:
                return waiting, queue[i]
            for c in (2 * i + 1, 2 * i + 2):
                if c < size:
                    heapq.heappush(later, (queue[c][0], queue[c][1], c))
        return waiting, None

    def claims(self, segments: tuple[int, ...]) -> dict[float, int]:
        """Callers of ``segments`` catching up at each break end (minutes) to take a callback."""
        return self._claims[tuple(sorted(segments))]

    def settle(self, lead: Lead, outcome: int, end_min: float) -> float | None:
        """Apply the retry rules the per-attempt loop leaves here; the callback delay or None.

        Returns the delay in minutes, or None if the company is not called back. Called after
        ``lead.attempts`` counts the attempt, for outcomes without a plain retry delay and
        when the retry budget is used up. Closing outcomes set their final status;
        a long-term need sets its own status, restarts the retry budget and calls back after
        ``long_term_callback_days``; an outcome whose retry field is null closes the company
        (a gatekeeper's refusal or "send an email" as refused, an invalid number as invalid);
        a company that used its budget is exhausted unless it already holds a long-term need;
        a callback set for a time of day (``retry.callback_at``) is due then, counted from
        ``end_min``, the attempt's end (minutes).
        """
        closing = self._closing_status[outcome]
        if closing is not None:
            lead.status = closing
            return None
        if self._restarts_budget[outcome]:
            lead.status = LONG_TERM_STATUS
            lead.budget_start = lead.attempts
            return self._long_term_delay_min
        delay = self.retry_delays[outcome]
        if delay is None:
            timed = self._callback_at[outcome]
            if timed is None:  # no retry set: a refusal, or a number known to be wrong
                lead.status = self._no_retry_status[outcome]
                return None
            delay = self._timed_delay(timed, end_min)
        if lead.attempts - lead.budget_start < self.max_attempts:
            return delay
        if lead.status == OPEN:
            lead.status = EXHAUSTED
        return None

    def _timed_delay(self, timed: tuple[float, int | None], end_min: float) -> float:
        """Minutes from ``end_min`` to the first timed callback moment at or after it.

        ``timed``: minute into the shift and weekday (any if None; as in ``time_of_day``).
        """
        minute, weekday = timed
        day = int(end_min // MINUTES_PER_DAY)
        while True:
            due = day * MINUTES_PER_DAY + minute
            if due >= end_min and (
                weekday is None or (day - self._warm_up_days) % WEEKDAYS == weekday
            ):
                return due - end_min
            day += 1

    def load_draws(self, lead: Lead) -> None:
        """Point ``lead`` at the block of uniforms holding its next attempt's."""
        attempt_block = lead.attempts // ATTEMPTS_PER_BLOCK
        block, offset = self.draws[lead.segment].attempts(lead.index, attempt_block)
        first = attempt_block * ATTEMPTS_PER_BLOCK
        lead.draws = block
        lead.draws_offset = offset - first * DRAWS_PER_ATTEMPT
        lead.draws_end = first + ATTEMPTS_PER_BLOCK
