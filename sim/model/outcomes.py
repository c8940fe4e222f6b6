"""How a call attempt ends, and what becomes of the company afterwards.

Every dial ends in exactly one :class:`Outcome`. The funnel counts reported per operator-day
(answered, DM contacts, needs, ...) are fixed functions of the outcome, tabulated here once so
that the simulation records one small integer per attempt and every KPI is derived after the
run.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class Outcome(IntEnum):
    """The single final outcome of one call attempt."""

    BUSY = 0
    NO_ANSWER = 1
    INVALID = 2
    GATEKEEPER_DM_OUT = 3
    GATEKEEPER_EMAIL = 4
    GATEKEEPER_REFUSAL = 5
    THREAD_LOST = 6
    DM_UNAVAILABLE = 7
    MEETING = 8
    HOT_LEAD = 9
    LONG_TERM_NEED = 10
    NO_NEED = 11
    DM_REFUSAL = 12

    @property
    def label(self) -> str:
        """Lower-case name used in tables."""
        return self.name.lower()


class LeadStatus(IntEnum):
    """A company's state in the calling base."""

    OPEN = 0
    MEETING = 1
    HOT_LEAD = 2
    LONG_TERM_NEED = 3
    NO_NEED = 4
    REFUSED = 5
    EXHAUSTED = 6

    @property
    def label(self) -> str:
        """Lower-case name used in tables."""
        return self.name.lower()


N_OUTCOMES = len(Outcome)

_DM_CONVERSATIONS = (
    Outcome.MEETING,
    Outcome.HOT_LEAD,
    Outcome.LONG_TERM_NEED,
    Outcome.NO_NEED,
    Outcome.DM_REFUSAL,
)


def _indicator(*outcomes: Outcome) -> np.ndarray:
    table = np.zeros(N_OUTCOMES, dtype=np.int64)
    table[list(outcomes)] = 1
    return table


FUNNEL_BY_OUTCOME: dict[str, np.ndarray] = {
    "busy": _indicator(Outcome.BUSY),
    "no_answer": _indicator(Outcome.NO_ANSWER),
    "invalid": _indicator(Outcome.INVALID),
    "answered": _indicator(*[o for o in Outcome if o >= Outcome.GATEKEEPER_DM_OUT]),
    "dm_contacts": _indicator(*_DM_CONVERSATIONS),
    "needs_immediate": _indicator(Outcome.MEETING, Outcome.HOT_LEAD),
    "needs_long_term": _indicator(Outcome.LONG_TERM_NEED),
    "meetings": _indicator(Outcome.MEETING),
}
"""0/1 per outcome code: does an attempt with this outcome count towards the funnel column?"""

CONVERSATION_OUTCOMES = FUNNEL_BY_OUTCOME["answered"].astype(bool)
"""Outcomes in which someone answered (wrap-up then takes the longer, conversation form)."""

CLOSING_STATUS: dict[Outcome, LeadStatus] = {
    Outcome.MEETING: LeadStatus.MEETING,
    Outcome.HOT_LEAD: LeadStatus.HOT_LEAD,
    Outcome.NO_NEED: LeadStatus.NO_NEED,
    Outcome.DM_REFUSAL: LeadStatus.REFUSED,
}
"""Outcomes that close the company for good, and the status they leave."""
