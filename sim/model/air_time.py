"""The air-time mandate in the per-attempt loop: stretched conversations, and what they sell.

A caller whose profile has an ``air_time`` rule (:class:`sim.scenario.people.AirTimeRule`)
gets an :class:`AirTime` hook; the loop hands it every answered attempt's talk minutes. It
keeps the caller's talk so far today, stretches a DM conversation to the rule (a floor in
minutes, or a multiplier while behind the day's pro-rata air-time pace), and, if the analyst
assumes length sells (``length_effect_per_min > 0``), turns a conversation that did not end
in a meeting into one with probability ``1 - exp(-effect * added minutes)``, read from the
company's spare uniform :attr:`~sim.model.streams.SpareDraw.LENGTH_PERSUADES` (so two
scenarios meet the same company with the same answer). It reads the caller's own clock,
passed in, never SimPy's. Callers without a rule get no hook and their loop is unchanged.
"""

from __future__ import annotations

import math

from sim.model.decisions import MEETING
from sim.model.leads import Lead, LeadPool
from sim.model.outcomes import DM_CONTACT
from sim.model.sales_desk import SalesDesk
from sim.model.streams import SpareDraw
from sim.scenario.people import AirTimeRule

_PERSUADES = int(SpareDraw.LENGTH_PERSUADES)


class AirTime:
    """One caller's air-time rule: its talk today, and the stretch of each conversation."""

    __slots__ = (
        "_air_min",
        "_day",
        "effect",
        "floor_min",
        "operator",
        "pool",
        "sales",
        "shift_min",
        "stretch",
        "target_min",
    )

    def __init__(
        self,
        rule: AirTimeRule,
        shift_min: float,
        pool: LeadPool,
        operator: int,
        sales: SalesDesk | None = None,
    ) -> None:
        """``shift_min``: the shift's length; ``sales``: the group's desk, to book meetings."""
        self.floor_min = rule.min_talk_min or 0.0
        self.target_min = (rule.min_air_hours_per_day or 0.0) * 60.0
        self.stretch = rule.stretch_when_behind
        self.effect = rule.length_effect_per_min
        self.shift_min = shift_min
        self.pool, self.operator, self.sales = pool, operator, sales
        self._day = -1
        self._air_min = 0.0

    def talk(
        self, lead: Lead, attempt_no: int, outcome: int, talk: float, day: int, minute: float
    ) -> tuple[int, float]:
        """The attempt's outcome and talk minutes under the rule.

        ``talk``: the attempt's natural talk minutes (all of it: gatekeeper, hops, the DM);
        ``minute``: when the attempt starts, minutes into the caller's shift on ``day``.
        """
        if day != self._day:
            self._day, self._air_min = day, 0.0
        if DM_CONTACT[outcome]:
            natural = talk
            if self.target_min and self._air_min < self.target_min * min(
                1.0, minute / self.shift_min
            ):
                talk *= self.stretch
            talk = max(talk, self.floor_min)
            added = talk - natural
            if self.effect > 0.0 and added > 0.0 and outcome != MEETING:
                u = self.pool.draws[lead.segment].spare_row(lead.index, attempt_no)[_PERSUADES]
                if u < -math.expm1(-self.effect * added):
                    outcome = MEETING
                    if self.sales is not None:
                        self.sales.book.book(
                            day, self.operator, lead.segment, lead.index, attempt_no
                        )
        self._air_min += talk
        return outcome, talk
