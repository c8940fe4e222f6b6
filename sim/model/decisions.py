"""Pure decision logic of one call attempt, testable without SimPy.

:func:`compile_call_params` turns a segment's parameters and a caller profile's skills into
cumulative thresholds (:class:`CallParams`), once per caller and segment called.
:func:`decide_attempt` then maps a company attempt's uniforms to the path of the call by
inverse transform: each stage reads its own uniform, so a caller's better skill moves an
outcome only towards a better one for the same company attempt (the coupling behind common
random numbers).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from sim.model.outcomes import GATEKEEPER_NONE, GATEKEEPER_PASSED, GATEKEEPER_STOPPED, Outcome
from sim.model.streams import AttemptDraw
from sim.scenario import Profile, ReferralParams, Segment

# Positions of each decision's uniform in a company attempt's draws, as plain ints.
assert int(AttemptDraw.LINE) == 0, "the line's uniform comes first: decide_attempt reads u[start]"
_GK_PRESENT = int(AttemptDraw.GATEKEEPER_PRESENT)
_GK_OUTCOME = int(AttemptDraw.GATEKEEPER_OUTCOME)
_REFERRAL = int(AttemptDraw.REFERRAL_CHAIN)
_DM_AVAILABLE = int(AttemptDraw.DM_AVAILABLE)
_NEEDS = int(AttemptDraw.NEEDS)
_BOOKED = int(AttemptDraw.MEETING_BOOKED)

# Outcome codes as plain ints: enum attribute lookups are too slow for the per-attempt path.
BUSY, NO_ANSWER, INVALID = int(Outcome.BUSY), int(Outcome.NO_ANSWER), int(Outcome.INVALID)
GK_DM_OUT, GK_EMAIL = int(Outcome.GATEKEEPER_DM_OUT), int(Outcome.GATEKEEPER_EMAIL)
GK_REFUSAL, THREAD_LOST = int(Outcome.GATEKEEPER_REFUSAL), int(Outcome.THREAD_LOST)
DM_UNAVAILABLE, MEETING, HOT_LEAD = (
    int(Outcome.DM_UNAVAILABLE),
    int(Outcome.MEETING),
    int(Outcome.HOT_LEAD),
)
LONG_TERM, NO_NEED, DM_REFUSAL = (
    int(Outcome.LONG_TERM_NEED),
    int(Outcome.NO_NEED),
    int(Outcome.DM_REFUSAL),
)


def apply_skill(
    good: list[float], bad: list[float], skill: float
) -> tuple[list[float], list[float]]:
    """Scale the 'good' outcome probabilities by a caller's skill and renormalise.

    The good probabilities are multiplied by ``skill``; if they then exceed 1 in total they are
    scaled down to sum to 1. The bad outcomes share what is left in their base proportions; if
    they had no base mass, the last one (the remainder outcome) takes it all.
    """
    scaled = [g * skill for g in good]
    total = sum(scaled)
    if total > 1.0:
        scaled = [g / total for g in scaled]
        total = 1.0
    rest = max(0.0, 1.0 - total)
    bad_total = sum(bad)
    if bad_total > 0.0:
        shared = [rest * (b / bad_total) for b in bad]
    else:
        shared = [0.0] * len(bad)
        if shared:
            shared[-1] = rest
    return scaled, shared


def referral_chain_outcomes(params: ReferralParams) -> list[tuple[float, int, bool]]:
    """The referral chain as a discrete distribution: ``(probability, hops, reached_dm)``.

    A *hop* is one conversation with a specialist who is not the DM. The chain is an absorbing
    Markov chain: the first person is the DM with ``direct_to_dm_prob`` (0 hops); at hop ``k``
    the thread is lost with ``thread_lost_prob``, else the next person is the DM with
    ``next_is_dm_prob``; after ``max_hops`` hops the caller gives up (thread lost).
    """
    lost, next_dm = params.thread_lost_prob, params.next_is_dm_prob
    outcomes = [(params.direct_to_dm_prob, 0, True)]
    in_chain = 1.0 - params.direct_to_dm_prob
    for hop in range(1, params.max_hops + 1):
        outcomes.append((in_chain * lost, hop, False))
        outcomes.append((in_chain * (1.0 - lost) * next_dm, hop, True))
        in_chain *= (1.0 - lost) * (1.0 - next_dm)
    outcomes.append((in_chain, params.max_hops, False))
    return outcomes


def _cumulative(probabilities: list[float]) -> tuple[float, ...]:
    cuts, total = [], 0.0
    for p in probabilities:
        total += p
        cuts.append(total)
    return tuple(cuts)


# No slots=True: the compiled core makes this an extension type (see the .pxd).
@dataclass(frozen=True)
class CallParams:
    """Cumulative thresholds for one caller group calling one segment.

    Each stage compares its uniform ``u`` with increasing cut points: the first cut above ``u``
    names the outcome (e.g. ``u < line_cuts[0]`` is busy).
    """

    line_cuts: tuple[float, float, float]
    """busy, no answer, invalid (answered above the last cut)."""
    gatekeeper_present_prob: float
    gatekeeper_cuts: tuple[float, float, float]
    """put through, DM out, email (refusal above the last cut)."""
    referral_cuts: tuple[float, ...]
    referral_hops: tuple[int, ...]
    referral_reached_dm: tuple[bool, ...]
    dm_available_prob: float
    needs_cuts: tuple[float, float, float]
    """immediate, long-term, no need (refusal above the last cut)."""
    meeting_booking_prob: float


def compile_call_params(segment: Segment, profile: Profile) -> CallParams:
    """Thresholds for ``profile``'s callers on ``segment``, skills applied and clamped."""
    line = segment.line
    gk = segment.gatekeeper
    (gk_pass,), (dm_out, email, _refusal) = apply_skill(
        [gk.pass_prob], [gk.dm_out_prob, gk.email_prob, gk.refusal_prob], profile.gatekeeper_skill
    )
    needs = segment.needs
    (immediate, long_term), (_refusal, no_need) = apply_skill(
        [needs.immediate_prob, needs.long_term_prob],
        [needs.refusal_prob, needs.no_need_prob],
        profile.discovery_skill,
    )
    chain = referral_chain_outcomes(segment.referral)
    return CallParams(
        line_cuts=_cumulative([line.busy_prob, line.no_answer_prob, line.invalid_prob]),  # type: ignore[arg-type]
        gatekeeper_present_prob=gk.present_prob,
        gatekeeper_cuts=_cumulative([gk_pass, dm_out, email]),  # type: ignore[arg-type]
        referral_cuts=_cumulative([p for p, _, _ in chain]),
        referral_hops=tuple(h for _, h, _ in chain),
        referral_reached_dm=tuple(r for _, _, r in chain),
        dm_available_prob=segment.decision_maker.available_prob,
        needs_cuts=_cumulative([immediate, long_term, no_need]),  # type: ignore[arg-type]
        meeting_booking_prob=min(1.0, needs.meeting_booking_prob * profile.booking_skill),
    )


# Paths that end before anyone is reached, as ready-made results of decide_attempt.
_BUSY_PATH = (BUSY, GATEKEEPER_NONE, 0)
_NO_ANSWER_PATH = (NO_ANSWER, GATEKEEPER_NONE, 0)
_INVALID_PATH = (INVALID, GATEKEEPER_NONE, 0)
_GK_DM_OUT_PATH = (GK_DM_OUT, GATEKEEPER_STOPPED, 0)
_GK_EMAIL_PATH = (GK_EMAIL, GATEKEEPER_STOPPED, 0)
_GK_REFUSAL_PATH = (GK_REFUSAL, GATEKEEPER_STOPPED, 0)


def decide_attempt(
    u: Sequence[float], p: CallParams, dm_known: bool, start: int = 0
) -> tuple[int, int, int]:
    """The path of one attempt: ``(outcome, gatekeeper, hops)``.

    ``u[start:start + DRAWS_PER_ATTEMPT]`` holds the company attempt's uniforms (indexed as
    :class:`sim.model.streams.AttemptDraw`); ``dm_known`` means the DM's direct line is known,
    skipping gatekeeper and referrals. ``gatekeeper`` is ``GATEKEEPER_NONE``, ``_PASSED`` or
    ``_STOPPED``; ``hops`` counts specialists talked to before the DM or before losing the
    thread.
    """
    # Hot path: plain comparisons, no allocation beyond the result tuple (``start`` spares the
    # caller a slice of the company's block of uniforms).
    x = u[start]  # AttemptDraw.LINE: the first of the attempt's uniforms
    line = p.line_cuts
    if x < line[0]:
        return _BUSY_PATH
    if x < line[1]:
        return _NO_ANSWER_PATH
    if x < line[2]:
        return _INVALID_PATH
    gatekeeper = GATEKEEPER_NONE
    hops = 0
    if not dm_known:
        if u[start + _GK_PRESENT] < p.gatekeeper_present_prob:
            x = u[start + _GK_OUTCOME]
            gk = p.gatekeeper_cuts
            if x >= gk[0]:
                if x < gk[1]:
                    return _GK_DM_OUT_PATH
                if x < gk[2]:
                    return _GK_EMAIL_PATH
                return _GK_REFUSAL_PATH
            gatekeeper = GATEKEEPER_PASSED
        x = u[start + _REFERRAL]
        chain = p.referral_cuts
        if x >= chain[0]:
            # The chain's outcomes in order; the last absorbs rounding (cuts may end below 1).
            i = min(bisect_right(chain, x), len(chain) - 1)
            hops = p.referral_hops[i]
            if not p.referral_reached_dm[i]:
                return THREAD_LOST, gatekeeper, hops
    if u[start + _DM_AVAILABLE] >= p.dm_available_prob:
        return DM_UNAVAILABLE, gatekeeper, hops
    x = u[start + _NEEDS]
    needs = p.needs_cuts
    if x < needs[0]:
        if u[start + _BOOKED] < p.meeting_booking_prob:
            return MEETING, gatekeeper, hops
        return HOT_LEAD, gatekeeper, hops
    if x < needs[1]:
        return LONG_TERM, gatekeeper, hops
    if x < needs[2]:
        return NO_NEED, gatekeeper, hops
    return DM_REFUSAL, gatekeeper, hops
