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
from typing import TYPE_CHECKING

from sim.model.outcomes import CLOSING_STATUS, N_OUTCOMES, LeadStatus, Outcome
from sim.scenario import MINUTES_PER_DAY, RetryPolicy
from sim.streams import ATTEMPTS_PER_BLOCK, DRAWS_PER_ATTEMPT, CompanyDraws

if TYPE_CHECKING:
    from sim.scenario import Scenario

_OPEN = int(LeadStatus.OPEN)
_LONG_TERM_STATUS = int(LeadStatus.LONG_TERM_NEED)
_EXHAUSTED = int(LeadStatus.EXHAUSTED)
_LONG_TERM = int(Outcome.LONG_TERM_NEED)
_FIRST_DM_KNOWN = int(Outcome.DM_UNAVAILABLE)
_FIRST_DM_CONVERSATION = int(Outcome.MEETING)


class Lead:
    """One company of the calling base and its state."""

    __slots__ = ("attempts", "budget_used", "callback_seq", "dm_contact_attempt",
                 "dm_contact_day", "dm_known", "draws", "draws_end", "draws_offset", "first_day",
                 "index",
                 "segment", "status")

    def __init__(self, segment: int, index: int, draws: tuple[array[float], int],
                 first_day: int) -> None:
        self.segment = segment
        self.first_day = first_day
        """Working day of the company's first attempt."""
        self.callback_seq = -1
        """Sequence number of the lead's pending callback entry; -1 when none is pending."""
        # Uniforms of the company's attempts up to ``draws_end``: a shared block of
        # :class:`sim.streams.CompanyDraws`, and an offset such that attempt ``k`` starts at
        # ``draws_offset + k * DRAWS_PER_ATTEMPT`` (see :meth:`LeadPool.load_draws`).
        self.draws, self.draws_offset = draws
        self.draws_end = ATTEMPTS_PER_BLOCK
        self.index = index
        self.attempts = 0
        self.budget_used = 0
        self.dm_known = False
        self.status = _OPEN
        self.dm_contact_day = -1
        self.dm_contact_attempt = -1


def retry_rules(retry: RetryPolicy) -> list[tuple[int | None, float | None]]:
    """Per outcome code: ``(closing status, callback delay in minutes)``; one is None.

    A long-term need is special-cased by the pool: it sets its own status and restarts the
    retry budget.
    """
    def cool_off(days: float | None) -> tuple[int | None, float | None]:
        if days is None:
            return int(LeadStatus.REFUSED), None
        return None, days * MINUTES_PER_DAY

    rules: list[tuple[int | None, float | None]] = [(None, None)] * N_OUTCOMES
    rules[Outcome.BUSY] = (None, retry.busy_delay_min)
    rules[Outcome.NO_ANSWER] = (None, retry.no_answer_delay_min)
    rules[Outcome.INVALID] = (None, retry.invalid_delay_min)
    rules[Outcome.GATEKEEPER_DM_OUT] = (None, retry.gatekeeper_dm_out_delay_min)
    rules[Outcome.GATEKEEPER_EMAIL] = cool_off(retry.email_cool_off_days)
    rules[Outcome.GATEKEEPER_REFUSAL] = cool_off(retry.gatekeeper_refusal_cool_off_days)
    rules[Outcome.THREAD_LOST] = (None, retry.thread_lost_delay_min)
    rules[Outcome.DM_UNAVAILABLE] = (None, retry.dm_unavailable_delay_min)
    rules[Outcome.LONG_TERM_NEED] = (None, retry.long_term_callback_days * MINUTES_PER_DAY)
    for outcome, status in CLOSING_STATUS.items():
        rules[outcome] = (int(status), None)
    return rules


class LeadPool:
    """All segments' companies in one replication: fresh queues and callback queues.

    Callbacks wait in one heap per distinct *set of segments* that callers call (usually a
    single set), ordered by due time, then by when they were scheduled. A callback for a
    segment is entered in every set's heap that contains the segment; the first caller to take
    it makes the other entries stale (``Lead.callback_seq`` no longer matches), and stale
    entries are dropped when they reach the top.
    """

    def __init__(self, scenario: Scenario, root_seed: int, replication: int) -> None:
        self.segment_names = list(scenario.segments)
        self.sizes = [seg.companies for seg in scenario.segments.values()]
        self.fresh_next = [0] * len(self.sizes)
        self.queues: list[list[tuple[float, int, Lead]]] = []
        self._queue_of_set: dict[tuple[int, ...], int] = {}
        self._queues_of_segment: list[list[list[tuple[float, int, Lead]]]] = [
            [] for _ in self.sizes]
        self.touched: list[list[Lead]] = [[] for _ in self.sizes]
        self.draws = [CompanyDraws(root_seed, replication, name) for name in self.segment_names]
        self.max_attempts = scenario.retry.max_attempts
        # Callbacks due after this can never be made (the horizon is over, with a day's margin
        # for a last shift delayed by an extreme overrun): they count as scheduled but are not
        # queued, which keeps the heaps small.
        self.last_callable_min = (scenario.horizon_days + 1) * MINUTES_PER_DAY
        self.rules = retry_rules(scenario.retry)
        self._seq = 0

    def callback_queue(self, segments: tuple[int, ...]) -> int:
        """The id of the callback queue serving callers of ``segments`` (created on demand)."""
        key = tuple(sorted(segments))
        if key not in self._queue_of_set:
            queue: list[tuple[float, int, Lead]] = []
            self._queue_of_set[key] = len(self.queues)
            self.queues.append(queue)
            for s in key:
                self._queues_of_segment[s].append(queue)
        return self._queue_of_set[key]

    def select(self, now: float, queue_id: int, segments: tuple[int, ...],
               cum_weights: tuple[float, ...], uniform: float) -> Lead | None:
        """The next lead for a caller of ``segments``, or None if nothing is callable now.

        The earliest due callback of the caller's queue comes first; otherwise a fresh lead
        from a segment picked by ``uniform`` on the caller's cumulative weights.
        """
        queue = self.queues[queue_id]
        while queue:
            due, seq, lead = queue[0]
            if lead.callback_seq != seq:
                heapq.heappop(queue)  # taken through another segment set's queue
                continue
            if due > now:
                break
            heapq.heappop(queue)
            lead.callback_seq = -1
            return lead
        return self._fresh(now, segments, cum_weights, uniform)

    def _fresh(self, now: float, segments: tuple[int, ...], cum_weights: tuple[float, ...],
               uniform: float) -> Lead | None:
        fresh_next, sizes = self.fresh_next, self.sizes
        if len(segments) == 1:
            chosen = segments[0]
        else:
            chosen = segments[bisect_right(cum_weights, uniform * cum_weights[-1])]
        if fresh_next[chosen] >= sizes[chosen]:
            chosen = self._fresh_among_remaining(segments, cum_weights, uniform)
            if chosen < 0:
                return None
        index = fresh_next[chosen]
        fresh_next[chosen] = index + 1
        lead = Lead(chosen, index, self.draws[chosen].attempts(index),
                    int(now // MINUTES_PER_DAY))
        self.touched[chosen].append(lead)
        return lead

    def _fresh_among_remaining(self, segments: tuple[int, ...], cum_weights: tuple[float, ...],
                               uniform: float) -> int:
        """Renormalise the mix over segments that still have fresh companies (-1 if none)."""
        weights, previous = [], 0.0
        for s, cum in zip(segments, cum_weights, strict=True):
            weights.append(cum - previous if self.fresh_next[s] < self.sizes[s] else 0.0)
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

    def next_due_min(self, queue_id: int) -> float:
        """Clock time of the earliest pending callback in a queue (inf if none)."""
        queue = self.queues[queue_id]
        while queue and queue[0][2].callback_seq != queue[0][1]:
            heapq.heappop(queue)
        return queue[0][0] if queue else math.inf

    def finish(self, lead: Lead, outcome: int, end_min: float, day: int) -> bool:
        """Update ``lead`` after an attempt ending at ``end_min``; True if a callback is set."""
        lead.attempts += 1
        if outcome >= _FIRST_DM_KNOWN:
            lead.dm_known = True
            if outcome >= _FIRST_DM_CONVERSATION and lead.dm_contact_day < 0:
                lead.dm_contact_day = day
                lead.dm_contact_attempt = lead.attempts
        status, delay = self.rules[outcome]
        if status is not None:
            lead.status = status
            return False
        if outcome == _LONG_TERM:
            lead.status = _LONG_TERM_STATUS
            lead.budget_used = 0
        else:
            lead.budget_used += 1
            if lead.budget_used >= self.max_attempts:
                if lead.status == _OPEN:
                    lead.status = _EXHAUSTED
                return False
        due = end_min + delay
        if due > self.last_callable_min:
            return True
        self._seq = seq = self._seq + 1
        lead.callback_seq = seq
        entry = (due, seq, lead)
        for queue in self._queues_of_segment[lead.segment]:
            heapq.heappush(queue, entry)
        return True

    def load_draws(self, lead: Lead) -> None:
        """Point ``lead`` at the block of uniforms holding its next attempt's."""
        attempt_block = lead.attempts // ATTEMPTS_PER_BLOCK
        block, offset = self.draws[lead.segment].attempts(lead.index, attempt_block)
        first = attempt_block * ATTEMPTS_PER_BLOCK
        lead.draws = block
        lead.draws_offset = offset - first * DRAWS_PER_ATTEMPT
        lead.draws_end = first + ATTEMPTS_PER_BLOCK
