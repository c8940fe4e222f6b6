"""The per-attempt hooks of issue #12 (fit, long-term return, lists, meetings), and their wiring.

The caller's loop (:mod:`sim.model.operator`) calls a :class:`SalesDesk` only when the
scenario's ``sales`` block switches something on (``OperatorDesk.sales`` is None otherwise, and
the loop pays one ``is not None`` test per attempt):

- :meth:`SalesDesk.attempt` re-decides the needs stage of a DM conversation with the
  company's fit (and the conversion of a long-term need called back after its delay), books a
  meeting with the sellers, and adds a targeted list's research minutes to a company's first
  dial (research counts as dial time).
- :attr:`SalesDesk.hold` (callers who hold their own meetings) is asked once per working day
  for the minutes the caller's meetings take off the end of that day's calling.
"""

from __future__ import annotations

import simpy

from sim.model.decisions import MEETING, CallParams
from sim.model.fit import SegmentFit, needs_with_fit
from sim.model.leads import LONG_TERM_STATUS, Lead, LeadPool, called_segments
from sim.model.lists import ListPicker, ranked_companies
from sim.model.outcomes import OUTCOME_TABLE, Stage
from sim.model.sellers import SalesBook, start_sellers
from sim.model.streams import DRAWS_PER_ATTEMPT, AttemptDraw, SpareDraw
from sim.scenario import Scenario
from sim.scenario.sales import ListPolicy

_NEEDS = int(AttemptDraw.NEEDS)
_BOOKED = int(AttemptDraw.MEETING_BOOKED)
_CONVERT = int(SpareDraw.LONG_TERM_CONVERT)
_AT_NEEDS = tuple(spec.stage == Stage.NEEDS_DISCOVERY for spec in OUTCOME_TABLE)
"""Per outcome code: the attempt reached needs discovery (a DM conversation)."""


class SalesDesk:
    """One team group's sales hooks (shared by the group's callers)."""

    __slots__ = ("book", "convert_prob", "fresh", "hold", "pool", "research_min")

    def __init__(
        self,
        book: SalesBook,
        pool: LeadPool,
        convert_prob: float,
        research_min: float,
        picker: ListPicker | None,
        holds_meetings: bool = False,
    ) -> None:
        self.book = book
        self.pool = pool
        self.convert_prob = convert_prob
        self.research_min = research_min
        self.fresh = None if picker is None else picker.fresh
        """The group's fresh-lead source in place of ``LeadPool.fresh`` (None: the pool's)."""
        self.hold = book.hold_own if holds_meetings else None
        """``hold(operator, day)``: meeting minutes of a caller-seller's day (None: not one)."""

    def attempt(
        self, lead: Lead, params: CallParams, outcome: int, dial: float, operator: int, day: int
    ) -> tuple[int, float]:
        """The attempt's outcome and dial minutes with the sales mechanisms applied.

        The needs stage is re-decided with the company's fit (and a long-term need's
        conversion); a meeting is booked with the sellers; a company's first dial by a group
        on a targeted list takes the research minutes longer.
        """
        attempt_no = lead.attempts
        if _AT_NEEDS[outcome]:
            outcome = self.decide(lead, params, outcome, attempt_no)
            if outcome == MEETING:
                self.book.book(day, operator, lead.segment, lead.index, attempt_no)
        if attempt_no == 0:
            dial += self.research_min
        return outcome, dial

    def decide(self, lead: Lead, params: CallParams, outcome: int, attempt_no: int) -> int:
        """The needs stage's outcome with the company's fit applied."""
        start = lead.draws_offset + attempt_no * DRAWS_PER_ATTEMPT
        multiplier = self.book.multiplier(lead.segment, lead.index)
        x_convert = 1.0
        convert = 0.0
        if self.convert_prob > 0.0 and lead.status == LONG_TERM_STATUS:
            convert = self.convert_prob
            x_convert = self.pool.draws[lead.segment].spare_row(lead.index, attempt_no)[_CONVERT]
        return needs_with_fit(
            lead.draws[start + _NEEDS],
            lead.draws[start + _BOOKED],
            params,
            multiplier,
            convert,
            x_convert,
        )


def build_sales(
    scenario: Scenario, root_seed: int, replication: int, pool: LeadPool, env: simpy.Environment
) -> tuple[SalesBook | None, dict[str, SalesDesk]]:
    """The replication's meeting book and each team group's desk (none if all is off)."""
    sales = scenario.sales
    if not (sales.model_on or sales.sellers):
        return None, {}
    fits: list[SegmentFit | None] = [
        SegmentFit(sales.fit[name], root_seed, replication, name)
        if name in sales.fit and sales.fit[name].sd > 0.0
        else None
        for name in scenario.segments
    ]
    book = SalesBook(fits=fits, groups=list(sales.sellers))
    operators: dict[str, list[int]] = {}
    for label, group in zip(scenario.group_labels, scenario.team, strict=True):
        first = sum(len(ids) for ids in operators.values())
        operators[label] = list(range(first, first + group.count))
    if sales.sellers:
        start_sellers(env, book, scenario.simulated_days, scenario.shift.length_min, operators)
    holding = {g.team_group for g in sales.sellers if g.team_group is not None}
    taken = [bytearray(size) for size in pool.sizes]
    desks = {}
    pickers: list[ListPicker] = []
    for label, group in zip(scenario.group_labels, scenario.team, strict=True):
        policy = sales.lists.get(label, ListPolicy())
        picker = None
        if sales.targeted:
            orders = {
                s: ranked_companies(pool.sizes[s], policy, fits[s])
                for s in called_segments(scenario, group)
            }
            picker = ListPicker(pool, orders, taken)
            pickers.append(picker)
        research = policy.research_min if policy.policy == "targeted" else 0.0
        desks[label] = SalesDesk(
            book, pool, sales.long_term_convert_prob, research, picker, label in holding
        )
    if pickers:
        # Fresh companies run out per group's list, no longer per segment for everyone.
        pool.fresh_open = lambda segments: any(p.has_fresh(segments) for p in pickers)
    return book, desks
