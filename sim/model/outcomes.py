"""How a call attempt ends, and what becomes of the company afterwards: the outcome table.

Every dial ends in exactly one :class:`Outcome`. :data:`OUTCOME_TABLE` says, per outcome, the
stage of the call it ends at, whether a person answered, whether the decision-maker (DM)
becomes known, whether it counts as a DM contact, a need or a meeting, the status it closes
the company to, and which retry rule applies. Everything else is derived from the table: the
funnel counts reported per operator-day, the closing statuses, the retry delays of the lead
pool, and the lookup tuples the per-attempt loop binds to local names. Adding an outcome is
one row here (plus the decision that produces it in :mod:`sim.model.decisions`); nothing
depends on the order of the enum's values.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Literal

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
    INVALID = 7
    """The number is wrong (``retry.invalid_delay_min`` null): never dialled again."""

    @property
    def label(self) -> str:
        """Lower-case name used in tables."""
        return self.name.lower()


class Stage(IntEnum):
    """The stage of the call an attempt ends at."""

    LINE = 0
    GATEKEEPER = 1
    REFERRAL_CHAIN = 2
    DM_AVAILABILITY = 3
    NEEDS_DISCOVERY = 4


GATEKEEPER_NONE = 0
"""No gatekeeper on the path (none present, the line failed, or the DM's line was dialled)."""
GATEKEEPER_PASSED = 1
"""A gatekeeper put the call through."""
GATEKEEPER_STOPPED = 2
"""A gatekeeper ended the attempt (DM out, send an email, refusal)."""

RetryRule = Literal["delay_min", "cool_off_days", "long_term", "close"]
"""What follows an outcome: a callback after a delay in minutes (``RetryPolicy.<field>``), a
cool-off in working days (refused if the field is None), a long-term callback that restarts
the retry budget, or closing the company for good."""


@dataclass(frozen=True)
class OutcomeSpec:
    """One row of the outcome table (see the module docstring)."""

    outcome: Outcome
    stage: Stage
    answered: bool
    """Someone picked up: the dial used the answered ring time and the longer wrap-up."""
    learns_dm: bool
    """The DM's direct line is known afterwards: later attempts skip gatekeeper and referrals."""
    dm_contact: bool
    """A conversation with the DM about needs."""
    need: Literal["immediate", "long_term"] | None
    meeting: bool
    closes_to: LeadStatus | None
    """The company's final status, for outcomes that close it."""
    retry: RetryRule
    retry_field: str | None = None
    """The :class:`~sim.scenario.RetryPolicy` field giving the delay or cool-off."""
    closes_without_retry: LeadStatus = LeadStatus.REFUSED
    """The status the company closes to when its retry field is null (no callback at all)."""


_S = Stage
OUTCOME_TABLE: tuple[OutcomeSpec, ...] = (
    # outcome, stage, answered, learns_dm, dm_contact, need, meeting, closes_to, retry rule
    OutcomeSpec(Outcome.BUSY, _S.LINE, False, False, False, None, False, None,
                "delay_min", "busy_delay_min"),
    OutcomeSpec(Outcome.NO_ANSWER, _S.LINE, False, False, False, None, False, None,
                "delay_min", "no_answer_delay_min"),
    OutcomeSpec(Outcome.INVALID, _S.LINE, False, False, False, None, False, None,
                "delay_min", "invalid_delay_min", LeadStatus.INVALID),
    OutcomeSpec(Outcome.GATEKEEPER_DM_OUT, _S.GATEKEEPER, True, False, False, None, False,
                None, "delay_min", "gatekeeper_dm_out_delay_min"),
    OutcomeSpec(Outcome.GATEKEEPER_EMAIL, _S.GATEKEEPER, True, False, False, None, False, None,
                "cool_off_days", "email_cool_off_days"),
    OutcomeSpec(Outcome.GATEKEEPER_REFUSAL, _S.GATEKEEPER, True, False, False, None, False,
                None, "cool_off_days", "gatekeeper_refusal_cool_off_days"),
    OutcomeSpec(Outcome.THREAD_LOST, _S.REFERRAL_CHAIN, True, False, False, None, False, None,
                "delay_min", "thread_lost_delay_min"),
    OutcomeSpec(Outcome.DM_UNAVAILABLE, _S.DM_AVAILABILITY, True, True, False, None, False,
                None, "delay_min", "dm_unavailable_delay_min"),
    OutcomeSpec(Outcome.MEETING, _S.NEEDS_DISCOVERY, True, True, True, "immediate", True,
                LeadStatus.MEETING, "close"),
    OutcomeSpec(Outcome.HOT_LEAD, _S.NEEDS_DISCOVERY, True, True, True, "immediate", False,
                LeadStatus.HOT_LEAD, "close"),
    OutcomeSpec(Outcome.LONG_TERM_NEED, _S.NEEDS_DISCOVERY, True, True, True, "long_term",
                False, None, "long_term", "long_term_callback_days"),
    OutcomeSpec(Outcome.NO_NEED, _S.NEEDS_DISCOVERY, True, True, True, None, False,
                LeadStatus.NO_NEED, "close"),
    OutcomeSpec(Outcome.DM_REFUSAL, _S.NEEDS_DISCOVERY, True, True, True, None, False,
                LeadStatus.REFUSED, "close"),
)  # fmt: skip
"""One row per :class:`Outcome`, in code order (``OUTCOME_TABLE[code].outcome == code``)."""

N_OUTCOMES = len(Outcome)
assert [spec.outcome for spec in OUTCOME_TABLE] == list(Outcome), "one row per outcome, in order"

# Lookup tuples indexed by outcome code, for the per-attempt loop.
ANSWERED: tuple[bool, ...] = tuple(spec.answered for spec in OUTCOME_TABLE)
LEARNS_DM: tuple[bool, ...] = tuple(spec.learns_dm for spec in OUTCOME_TABLE)
DM_CONTACT: tuple[bool, ...] = tuple(spec.dm_contact for spec in OUTCOME_TABLE)

CLOSING_STATUS: dict[Outcome, LeadStatus] = {
    spec.outcome: spec.closes_to for spec in OUTCOME_TABLE if spec.closes_to is not None
}
"""Outcomes that close the company for good, and the status they leave."""


def _indicator(selected: list[bool]) -> np.ndarray:
    return np.asarray(selected, dtype=np.int64)


FUNNEL_BY_OUTCOME: dict[str, np.ndarray] = {
    "busy": _indicator([s.outcome == Outcome.BUSY for s in OUTCOME_TABLE]),
    "no_answer": _indicator([s.outcome == Outcome.NO_ANSWER for s in OUTCOME_TABLE]),
    "invalid": _indicator([s.outcome == Outcome.INVALID for s in OUTCOME_TABLE]),
    "answered": _indicator([s.answered for s in OUTCOME_TABLE]),
    "dm_contacts": _indicator([s.dm_contact for s in OUTCOME_TABLE]),
    "needs_immediate": _indicator([s.need == "immediate" for s in OUTCOME_TABLE]),
    "needs_long_term": _indicator([s.need == "long_term" for s in OUTCOME_TABLE]),
    "meetings": _indicator([s.meeting for s in OUTCOME_TABLE]),
}
"""0/1 per outcome code: does an attempt with this outcome count towards the funnel column?"""
