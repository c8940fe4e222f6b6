"""A target segment: a finite list of companies and the obstacles a call to them meets.

A call attempt to a company of a segment passes through the stages of B2B calling, each
described by one block of parameters here, in the order the caller meets them:

1. ``line``: the number is dialled and rings: busy, no answer, invalid number, or answered;
2. ``gatekeeper``: a secretary or switchboard may pick up and put the caller through, say the
   decision-maker (DM) is out, ask for an email, or refuse;
3. ``referral``: the person reached may not be the DM and refer the caller onwards;
4. ``decision_maker``: the DM may be out of the office or busy;
5. ``needs``: the needs-discovery conversation with the DM ends in an immediate need (a meeting),
   a long-term need, no need, or a refusal.

Probabilities are per attempt and conditional on reaching the stage. Caller skills (see
:mod:`sim.scenario.team`) multiply the "good" probabilities of stages 2 and 5.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from sim.scenario.base import Frozen as _Frozen
from sim.scenario.distributions import Distribution

Probability = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
_SUM_TOLERANCE = 1e-9


def _check_total(block: str, **probabilities: float) -> None:
    total = sum(probabilities.values())
    if total > 1.0 + _SUM_TOLERANCE:
        names = " + ".join(probabilities)
        raise ValueError(f"{block}: {names} = {total:.6g} must not exceed 1")


class LineParams(_Frozen):
    """Dial and ring. The probability that a human answers is what the other three leave."""

    busy_prob: Probability = Field(0.10, description="P(line busy) per dial.")
    no_answer_prob: Probability = Field(0.30, description="P(rings out unanswered) per dial.")
    invalid_prob: Probability = Field(
        0.03, description="P(number invalid or disconnected) per dial."
    )
    ring_time_busy: Distribution = Field(
        0.1, validate_default=True, description="Time until the busy tone, min."
    )
    ring_time_no_answer: Distribution = Field(
        0.6,
        validate_default=True,
        description="Ringing before the caller gives up on an unanswered call, min.",
    )
    ring_time_invalid: Distribution = Field(
        0.2,
        validate_default=True,
        description="Time to hear the 'number not in service' message, min.",
    )
    ring_time_answered: Distribution = Field(
        0.25, validate_default=True, description="Ringing before someone picks up, min."
    )

    @model_validator(mode="after")
    def _total(self) -> LineParams:
        _check_total(
            "line",
            busy_prob=self.busy_prob,
            no_answer_prob=self.no_answer_prob,
            invalid_prob=self.invalid_prob,
        )
        return self

    @property
    def answered_prob(self) -> float:
        """P(a human answers) per dial."""
        return max(0.0, 1.0 - self.busy_prob - self.no_answer_prob - self.invalid_prob)


class GatekeeperParams(_Frozen):
    """The secretary or switchboard. Refusal is what the other outcomes leave.

    The gatekeeper is skipped once the DM's direct line is known. ``pass_prob`` is multiplied by
    the caller's ``gatekeeper_skill`` (clamped to 1); the remaining outcomes share what is left in
    their original proportions.
    """

    present_prob: Probability = Field(
        0.6, description="P(an answered call reaches a gatekeeper rather than a specialist)."
    )
    pass_prob: Probability = Field(0.5, description="P(put through | gatekeeper), base.")
    dm_out_prob: Probability = Field(
        0.2, description="P('the DM is out, call back' | gatekeeper): a callback is scheduled."
    )
    email_prob: Probability = Field(
        0.15, description="P('send us an email' | gatekeeper): the lead cools off or closes."
    )
    talk_time: Distribution = Field(
        0.7, validate_default=True, description="Conversation with the gatekeeper, min."
    )

    @model_validator(mode="after")
    def _total(self) -> GatekeeperParams:
        _check_total(
            "gatekeeper",
            pass_prob=self.pass_prob,
            dm_out_prob=self.dm_out_prob,
            email_prob=self.email_prob,
        )
        return self

    @property
    def refusal_prob(self) -> float:
        """P(the gatekeeper refuses outright | gatekeeper), base."""
        return max(0.0, 1.0 - self.pass_prob - self.dm_out_prob - self.email_prob)


class ReferralParams(_Frozen):
    """Being passed from one specialist to another before reaching the DM.

    After the gatekeeper (or straight after answering when there is none), the first person
    reached is the DM with ``direct_to_dm_prob``. Otherwise the caller talks to a specialist (one
    *hop*, costing ``hop_talk_time``); at each hop the thread is lost with ``thread_lost_prob``,
    else the caller is transferred and the next person is the DM with ``next_is_dm_prob``.
    After ``max_hops`` specialists without reaching the DM the caller gives up (thread lost).
    The DM identified this way is remembered: later attempts dial the DM's direct line.
    """

    direct_to_dm_prob: Probability = Field(
        0.5, description="P(the first person reached past the gatekeeper is the DM)."
    )
    next_is_dm_prob: Probability = Field(
        0.5, description="P(the next person after a transfer is the DM), per hop."
    )
    thread_lost_prob: Probability = Field(
        0.15, description="P(the thread is lost at a hop: dropped transfer, 'call later'), per hop."
    )
    max_hops: int = Field(4, ge=1, le=50, description="Most specialists talked to in one call.")
    hop_talk_time: Distribution = Field(
        1.0, validate_default=True, description="Talk with one specialist, min."
    )


class DecisionMakerParams(_Frozen):
    """Whether the DM, once reached or asked for, is in and free to talk."""

    available_prob: Probability = Field(
        0.6, description="P(the DM is in and free); otherwise a callback with the contact learned."
    )
    unavailable_talk_time: Distribution = Field(
        0.5,
        validate_default=True,
        description="Talk to learn the DM's contact and when to call back, min.",
    )


class NeedsParams(_Frozen):
    """Needs discovery with the DM. 'No need' is what the other outcomes leave.

    ``immediate_prob`` and ``long_term_prob`` are multiplied by the caller's
    ``discovery_skill``; an immediate need becomes a booked meeting with
    ``meeting_booking_prob`` times the caller's ``booking_skill``, else a hot lead is handed over.
    """

    immediate_prob: Probability = Field(0.05, description="P(immediate need | DM conversation).")
    long_term_prob: Probability = Field(
        0.08, description="P(long-term need, 'call us in half a year' | DM conversation)."
    )
    refusal_prob: Probability = Field(
        0.25, description="P(the DM refuses to talk | DM conversation); closes the lead."
    )
    meeting_booking_prob: Probability = Field(
        0.7, description="P(a meeting is booked | immediate need), base."
    )
    talk_time_immediate: Distribution = Field(
        5.0, validate_default=True, description="Discovery ending in a need, min."
    )
    talk_time_long_term: Distribution = Field(
        3.0, validate_default=True, description="Discovery: long-term need, min."
    )
    talk_time_no_need: Distribution = Field(
        1.5, validate_default=True, description="Discovery: no need, min."
    )
    talk_time_refusal: Distribution = Field(
        0.6, validate_default=True, description="A refusal, min."
    )
    meeting_booking_talk_time: Distribution = Field(
        1.5, validate_default=True, description="Extra talk to agree a meeting slot, min."
    )

    @model_validator(mode="after")
    def _total(self) -> NeedsParams:
        _check_total(
            "needs",
            immediate_prob=self.immediate_prob,
            long_term_prob=self.long_term_prob,
            refusal_prob=self.refusal_prob,
        )
        return self

    @property
    def no_need_prob(self) -> float:
        """P(no need | DM conversation), base."""
        return max(0.0, 1.0 - self.immediate_prob - self.long_term_prob - self.refusal_prob)


class Segment(_Frozen):
    """A segment of the target base (``small``, ``medium``, ``large`` or user-named)."""

    companies: int = Field(
        2000, ge=0, le=10_000_000, description="Number of companies in the calling base."
    )
    source: str = Field("", description="Where the figures come from (free text, for readers).")
    line: LineParams = Field(default_factory=LineParams, description="Dial and ring stage.")
    gatekeeper: GatekeeperParams = Field(
        default_factory=GatekeeperParams, description="Secretary / switchboard stage."
    )
    referral: ReferralParams = Field(
        default_factory=ReferralParams, description="Referral chain to the DM."
    )
    decision_maker: DecisionMakerParams = Field(
        default_factory=DecisionMakerParams, description="Whether the DM is in and free."
    )
    needs: NeedsParams = Field(
        default_factory=NeedsParams, description="Needs discovery and meeting booking."
    )
