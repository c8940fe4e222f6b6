"""Unit tests of the pure pieces: skills, call thresholds, one attempt's path, distributions,
confidence intervals, quotas, the shift's breaks and the named random streams."""

from __future__ import annotations

import math
from array import array
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError
from scipy import stats

from sim.analysis.stats import t_interval
from sim.model.decisions import (
    GATEKEEPER_NONE,
    GATEKEEPER_PASSED,
    GATEKEEPER_STOPPED,
    CallParams,
    apply_skill,
    compile_call_params,
    decide_attempt,
)
from sim.model.outcomes import Outcome
from sim.model.streams import SPARE_DRAWS_PER_ATTEMPT, AttemptDraw, CompanyDraws
from sim.records.quota import evaluate_quota
from sim.records.replication import simulate_replication
from sim.scenario import (
    Constant,
    Distribution,
    Empirical,
    Exponential,
    Gamma,
    Lognormal,
    Profile,
    QuotaTarget,
    Segment,
    Shift,
    Uniform,
)
from sim.scenario.presets import PROFILE_PRESETS, SEGMENT_PRESETS
from tests.builders import build, constant_scenario

# --- apply_skill --------------------------------------------------------------------------------

probability = st.floats(0.0, 1.0)
skill = st.floats(0.0, 10.0)


@st.composite
def base_split(draw: st.DrawFn) -> tuple[list[float], list[float]]:
    """Base 'good' and 'bad' probabilities summing to 1 (the last bad one is the remainder)."""
    n_good = draw(st.integers(1, 3))
    n_bad = draw(st.integers(1, 3))
    weights = draw(
        st.lists(
            st.sampled_from([0.0, 0.1, 1.0]) | st.floats(0.0, 1.0),
            min_size=n_good + n_bad,
            max_size=n_good + n_bad,
        )
    )
    total = sum(weights)
    if total == 0.0:
        weights = [0.0] * (n_good + n_bad - 1) + [1.0]
        total = 1.0
    probs = [w / total for w in weights]
    return probs[:n_good], probs[n_good:]


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(split=base_split(), s=skill)
def test_apply_skill_gives_probabilities_summing_to_one(
    split: tuple[list[float], list[float]], s: float
) -> None:
    good, bad = split
    scaled, shared = apply_skill(good, bad, s)
    assert len(scaled) == len(good)
    assert len(shared) == len(bad)
    assert all(0.0 <= p <= 1.0 + 1e-12 for p in scaled + shared)
    assert sum(scaled) + sum(shared) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(split=base_split(), s=skill)
def test_apply_skill_scales_good_clamps_at_one_and_keeps_bad_proportions(
    split: tuple[list[float], list[float]], s: float
) -> None:
    good, bad = split
    scaled, shared = apply_skill(good, bad, s)
    raw = sum(good) * s
    if raw <= 1.0:
        assert scaled == pytest.approx([g * s for g in good], abs=1e-12)
    else:  # clamped: the good outcomes take everything, in their base proportions
        assert scaled == pytest.approx([g / sum(good) for g in good], abs=1e-12)
        assert shared == pytest.approx([0.0] * len(bad), abs=1e-12)
    rest = 1.0 - sum(scaled)
    if sum(bad) > 0.0:
        assert shared == pytest.approx([b / sum(bad) * rest for b in bad], abs=1e-12)
    else:
        assert shared[:-1] == [0.0] * (len(bad) - 1)
        assert shared[-1] == pytest.approx(rest, abs=1e-12)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(split=base_split(), s1=skill, s2=skill)
def test_apply_skill_is_monotone_in_skill(
    split: tuple[list[float], list[float]], s1: float, s2: float
) -> None:
    good, bad = split
    low, high = sorted((s1, s2))
    good_low, bad_low = apply_skill(good, bad, low)
    good_high, bad_high = apply_skill(good, bad, high)
    assert all(h >= lo - 1e-12 for h, lo in zip(good_high, good_low, strict=True))
    assert all(h <= lo + 1e-12 for h, lo in zip(bad_high, bad_low, strict=True))
    assert sum(good_high) >= sum(good_low) - 1e-12


@given(split=base_split())
def test_apply_skill_of_one_leaves_a_complete_distribution_unchanged(
    split: tuple[list[float], list[float]],
) -> None:
    good, bad = split
    scaled, shared = apply_skill(good, bad, 1.0)
    assert scaled == pytest.approx(good, abs=1e-12)
    assert shared == pytest.approx(bad, abs=1e-12)


def test_apply_skill_hand_computed_cases() -> None:
    # pass 0.4 x 1.5 = 0.6; dm out, email, refusal 0.2, 0.1, 0.3 share 0.4 as 2:1:3
    scaled, shared = apply_skill([0.4], [0.2, 0.1, 0.3], 1.5)
    assert scaled == pytest.approx([0.6])
    assert shared == pytest.approx([0.4 * 2 / 6, 0.4 * 1 / 6, 0.4 * 3 / 6])
    # Clamping: 0.4 + 0.8 = 1.2 > 1 scales down to 1/3, 2/3; nothing left for the bad ones.
    scaled, shared = apply_skill([0.1, 0.2], [0.3, 0.4], 4.0)
    assert scaled == pytest.approx([1 / 3, 2 / 3])
    assert shared == [0.0, 0.0]
    # Zero skill: the bad outcomes take everything; with no bad mass, the remainder does.
    assert apply_skill([0.5], [0.2, 0.3], 0.0) == ([0.0], pytest.approx([0.4, 0.6]))
    assert apply_skill([1.0], [0.0, 0.0], 0.0) == ([0.0], [0.0, 1.0])
    assert apply_skill([1.0], [0.0, 0.0], 0.5) == ([0.5], [0.0, 0.5])


# --- compile_call_params -----------------------------------------------------------------------

NEUTRAL_PROFILE: dict[str, Any] = {}


def nondecreasing_in_unit_interval(cuts: tuple[float, ...], strict: bool = False) -> bool:
    steps = np.diff(np.asarray(cuts))
    ordered = bool((steps > 0).all() if strict else (steps >= -1e-15).all())
    return ordered and all(-1e-15 <= c <= 1.0 + 1e-12 for c in cuts)


@pytest.mark.parametrize("profile_name", [*PROFILE_PRESETS, "neutral"])
@pytest.mark.parametrize("segment_name", list(SEGMENT_PRESETS))
def test_compiled_preset_thresholds_are_increasing_cut_points_within_unit_interval(
    segment_name: str, profile_name: str
) -> None:
    segment = Segment.model_validate(SEGMENT_PRESETS[segment_name])
    profile = Profile.model_validate(PROFILE_PRESETS.get(profile_name, NEUTRAL_PROFILE))
    p = compile_call_params(segment, profile)
    assert nondecreasing_in_unit_interval(p.line_cuts, strict=True)
    assert nondecreasing_in_unit_interval(p.gatekeeper_cuts, strict=True)
    assert nondecreasing_in_unit_interval(p.needs_cuts, strict=True)
    assert nondecreasing_in_unit_interval(p.referral_cuts)
    assert p.referral_cuts[-1] == pytest.approx(1.0, abs=1e-12)
    assert len(p.referral_cuts) == len(p.referral_hops) == len(p.referral_reached_dm)
    assert all(0 <= h <= segment.referral.max_hops for h in p.referral_hops)
    assert p.referral_reached_dm[0] and p.referral_hops[0] == 0
    assert p.referral_cuts[0] == pytest.approx(segment.referral.direct_to_dm_prob)
    # The line is not affected by skills; the cuts are the cumulative probabilities.
    line = segment.line
    assert p.line_cuts == pytest.approx(
        (
            line.busy_prob,
            line.busy_prob + line.no_answer_prob,
            line.busy_prob + line.no_answer_prob + line.invalid_prob,
        )
    )
    assert p.line_cuts[-1] == pytest.approx(1.0 - line.answered_prob)
    assert p.gatekeeper_present_prob == segment.gatekeeper.present_prob
    assert p.gatekeeper_cuts[0] == pytest.approx(
        min(1.0, segment.gatekeeper.pass_prob * profile.gatekeeper_skill)
    )
    assert p.dm_available_prob == segment.decision_maker.available_prob
    needs = segment.needs
    assert p.needs_cuts[1] == pytest.approx(
        min(1.0, (needs.immediate_prob + needs.long_term_prob) * profile.discovery_skill)
    )
    assert 0.0 <= p.meeting_booking_prob <= 1.0
    assert p.meeting_booking_prob == pytest.approx(
        min(1.0, needs.meeting_booking_prob * profile.booking_skill)
    )


def test_compiled_thresholds_clamp_when_skills_push_probabilities_past_one() -> None:
    segment = Segment.model_validate(
        {
            "gatekeeper": {"pass_prob": 0.5, "dm_out_prob": 0.2, "email_prob": 0.1},
            "needs": {
                "immediate_prob": 0.3,
                "long_term_prob": 0.3,
                "refusal_prob": 0.2,
                "meeting_booking_prob": 0.8,
            },
        }
    )
    profile = Profile(gatekeeper_skill=5.0, discovery_skill=5.0, booking_skill=5.0)
    p = compile_call_params(segment, profile)
    assert p.gatekeeper_cuts == pytest.approx((1.0, 1.0, 1.0))
    assert p.needs_cuts == pytest.approx((0.5, 1.0, 1.0))
    assert p.meeting_booking_prob == 1.0


# --- decide_attempt -----------------------------------------------------------------------------

DECISION_SEGMENT = Segment.model_validate(
    {
        "line": {"busy_prob": 0.1, "no_answer_prob": 0.2, "invalid_prob": 0.1},
        "gatekeeper": {
            "present_prob": 0.5,
            "pass_prob": 0.4,
            "dm_out_prob": 0.2,
            "email_prob": 0.1,
        },
        # chain: DM at once 0.5 | hop 1: lost 0.1, DM 0.2 | hop 2: lost 0.04, DM 0.08 | gave up 0.08
        # cut points: 0.5, 0.6, 0.8, 0.84, 0.92, 1.0
        "referral": {
            "direct_to_dm_prob": 0.5,
            "thread_lost_prob": 0.2,
            "next_is_dm_prob": 0.5,
            "max_hops": 2,
        },
        "decision_maker": {"available_prob": 0.6},
        "needs": {
            "immediate_prob": 0.1,
            "long_term_prob": 0.2,
            "refusal_prob": 0.3,
            "meeting_booking_prob": 0.5,
        },
    }
)


@pytest.fixture(scope="module")
def decision_params() -> CallParams:
    return compile_call_params(DECISION_SEGMENT, Profile())


def uniforms(
    line: float = 0.9,
    gk_present: float = 0.9,
    gk_outcome: float = 0.0,
    referral: float = 0.0,
    dm: float = 0.0,
    needs: float = 0.5,
    booking: float = 0.0,
) -> array[float]:
    """A company attempt's uniforms; defaults: answered, no gatekeeper, DM at once, no need.

    A flat array of C doubles, as the lead pool hands them to ``decide_attempt`` (the compiled
    core reads them through a typed memoryview).
    """
    u = [0.0] * len(AttemptDraw)
    u[AttemptDraw.LINE] = line
    u[AttemptDraw.GATEKEEPER_PRESENT] = gk_present
    u[AttemptDraw.GATEKEEPER_OUTCOME] = gk_outcome
    u[AttemptDraw.REFERRAL_CHAIN] = referral
    u[AttemptDraw.DM_AVAILABLE] = dm
    u[AttemptDraw.NEEDS] = needs
    u[AttemptDraw.MEETING_BOOKED] = booking
    return array("d", u)


NONE, PASSED, STOPPED = GATEKEEPER_NONE, GATEKEEPER_PASSED, GATEKEEPER_STOPPED
DECISION_CASES: list[tuple[str, dict[str, float], bool, tuple[Outcome, int, int]]] = [
    ("busy", {"line": 0.05}, False, (Outcome.BUSY, NONE, 0)),
    ("busy at zero", {"line": 0.0}, False, (Outcome.BUSY, NONE, 0)),
    ("no answer at the busy cut", {"line": 0.1}, False, (Outcome.NO_ANSWER, NONE, 0)),
    ("no answer", {"line": 0.2}, False, (Outcome.NO_ANSWER, NONE, 0)),
    ("invalid", {"line": 0.35}, False, (Outcome.INVALID, NONE, 0)),
    ("busy even with DM known", {"line": 0.05}, True, (Outcome.BUSY, NONE, 0)),
    (
        "gatekeeper: DM out",
        {"gk_present": 0.1, "gk_outcome": 0.5},
        False,
        (Outcome.GATEKEEPER_DM_OUT, STOPPED, 0),
    ),
    (
        "gatekeeper: email",
        {"gk_present": 0.1, "gk_outcome": 0.65},
        False,
        (Outcome.GATEKEEPER_EMAIL, STOPPED, 0),
    ),
    (
        "gatekeeper: refusal",
        {"gk_present": 0.1, "gk_outcome": 0.9},
        False,
        (Outcome.GATEKEEPER_REFUSAL, STOPPED, 0),
    ),
    (
        "gatekeeper passes, DM unavailable",
        {"gk_present": 0.1, "gk_outcome": 0.2, "dm": 0.9},
        False,
        (Outcome.DM_UNAVAILABLE, PASSED, 0),
    ),
    ("thread lost at hop 1", {"referral": 0.55}, False, (Outcome.THREAD_LOST, NONE, 1)),
    ("DM after one hop", {"referral": 0.7}, False, (Outcome.NO_NEED, NONE, 1)),
    ("thread lost at hop 2", {"referral": 0.82}, False, (Outcome.THREAD_LOST, NONE, 2)),
    ("DM after two hops", {"referral": 0.9}, False, (Outcome.NO_NEED, NONE, 2)),
    ("gave up after max hops", {"referral": 0.95}, False, (Outcome.THREAD_LOST, NONE, 2)),
    (
        "gave up, past a gatekeeper",
        {"gk_present": 0.1, "gk_outcome": 0.2, "referral": 0.99},
        False,
        (Outcome.THREAD_LOST, PASSED, 2),
    ),
    ("meeting", {"needs": 0.05, "booking": 0.2}, False, (Outcome.MEETING, NONE, 0)),
    ("hot lead", {"needs": 0.05, "booking": 0.7}, False, (Outcome.HOT_LEAD, NONE, 0)),
    ("long-term need", {"needs": 0.2}, False, (Outcome.LONG_TERM_NEED, NONE, 0)),
    ("no need", {"needs": 0.5}, False, (Outcome.NO_NEED, NONE, 0)),
    ("DM refusal", {"needs": 0.9}, False, (Outcome.DM_REFUSAL, NONE, 0)),
    (
        "meeting after gatekeeper and two hops",
        {"gk_present": 0.1, "gk_outcome": 0.2, "referral": 0.9, "needs": 0.05, "booking": 0.1},
        False,
        (Outcome.MEETING, PASSED, 2),
    ),
    (
        "DM known skips the gatekeeper's refusal",
        {"gk_present": 0.1, "gk_outcome": 0.9, "needs": 0.5},
        True,
        (Outcome.NO_NEED, NONE, 0),
    ),
    (
        "DM known skips a lost thread",
        {"referral": 0.95, "needs": 0.2},
        True,
        (Outcome.LONG_TERM_NEED, NONE, 0),
    ),
    (
        "DM known, DM unavailable",
        {"gk_present": 0.1, "gk_outcome": 0.5, "dm": 0.7},
        True,
        (Outcome.DM_UNAVAILABLE, NONE, 0),
    ),
    (
        "DM known, meeting",
        {"referral": 0.82, "needs": 0.0, "booking": 0.0},
        True,
        (Outcome.MEETING, NONE, 0),
    ),
]


@pytest.mark.parametrize(
    ("values", "dm_known", "expected"),
    [case[1:] for case in DECISION_CASES],
    ids=[case[0] for case in DECISION_CASES],
)
def test_decide_attempt_maps_hand_made_uniforms_to_the_path(
    decision_params: CallParams,
    values: dict[str, float],
    dm_known: bool,
    expected: tuple[Outcome, int, int],
) -> None:
    outcome, gatekeeper, hops = decide_attempt(uniforms(**values), decision_params, dm_known)
    assert (Outcome(outcome), gatekeeper, hops) == expected


def test_a_uniform_equal_to_a_cut_point_takes_the_next_outcome(decision_params: CallParams) -> None:
    # Inverse transform: the outcome is the first one whose cut point lies above u.
    p = decision_params
    line = [decide_attempt(uniforms(line=c), p, False)[0] for c in p.line_cuts]
    assert line == [Outcome.NO_ANSWER, Outcome.INVALID, Outcome.NO_NEED]
    gk = [
        decide_attempt(uniforms(gk_present=0.0, gk_outcome=c), p, False)[0]
        for c in p.gatekeeper_cuts
    ]
    assert gk == [Outcome.GATEKEEPER_DM_OUT, Outcome.GATEKEEPER_EMAIL, Outcome.GATEKEEPER_REFUSAL]
    assert decide_attempt(uniforms(gk_present=p.gatekeeper_present_prob), p, False)[1] == NONE
    # Referral chain entries: (hops, reached) of the entry after each cut point.
    chain = [decide_attempt(uniforms(referral=c), p, False) for c in p.referral_cuts[:-1]]
    assert [(Outcome(o), h) for o, _, h in chain] == [
        (Outcome.THREAD_LOST, 1),
        (Outcome.NO_NEED, 1),
        (Outcome.THREAD_LOST, 2),
        (Outcome.NO_NEED, 2),
        (Outcome.THREAD_LOST, 2),
    ]
    assert decide_attempt(uniforms(dm=p.dm_available_prob), p, False)[0] == Outcome.DM_UNAVAILABLE
    needs = [decide_attempt(uniforms(needs=c), p, False)[0] for c in p.needs_cuts]
    assert needs == [Outcome.LONG_TERM_NEED, Outcome.NO_NEED, Outcome.DM_REFUSAL]
    booked = decide_attempt(uniforms(needs=0.0, booking=p.meeting_booking_prob), p, False)
    assert booked[0] == Outcome.HOT_LEAD


def test_decide_attempt_cases_cover_every_outcome() -> None:
    assert {case[3][0] for case in DECISION_CASES} == set(Outcome)


NEEDS_RANK = {
    Outcome.MEETING: 0,
    Outcome.HOT_LEAD: 0,
    Outcome.LONG_TERM_NEED: 1,
    Outcome.NO_NEED: 2,
    Outcome.DM_REFUSAL: 3,
}


@settings(max_examples=300, deadline=None)
@given(
    u=st.lists(
        st.floats(0.0, 1.0, exclude_max=True), min_size=len(AttemptDraw), max_size=len(AttemptDraw)
    ),
    s1=st.floats(0.0, 5.0),
    s2=st.floats(0.0, 5.0),
    dm_known=st.booleans(),
)
def test_better_skill_never_worsens_the_same_company_attempt(
    u: list[float], s1: float, s2: float, dm_known: bool
) -> None:
    low, high = sorted((s1, s2))
    p_low = compile_call_params(
        DECISION_SEGMENT, Profile(gatekeeper_skill=low, discovery_skill=low, booking_skill=low)
    )
    p_high = compile_call_params(
        DECISION_SEGMENT, Profile(gatekeeper_skill=high, discovery_skill=high, booking_skill=high)
    )
    draws = array("d", u)
    out_low, gk_low, _ = decide_attempt(draws, p_low, dm_known)
    out_high, gk_high, _ = decide_attempt(draws, p_high, dm_known)
    if gk_low == GATEKEEPER_PASSED:
        assert gk_high == GATEKEEPER_PASSED
    if Outcome(out_low) in NEEDS_RANK and Outcome(out_high) in NEEDS_RANK:
        assert NEEDS_RANK[Outcome(out_high)] <= NEEDS_RANK[Outcome(out_low)]
    if Outcome(out_low) == Outcome.MEETING:
        assert Outcome(out_high) == Outcome.MEETING


# --- distributions ----------------------------------------------------------------------------

DISTRIBUTIONS = [
    Exponential(kind="exponential", mean_min=1.5),
    Lognormal(kind="lognormal", mean_min=2.0, sd_min=1.0),
    Lognormal(kind="lognormal", mean_min=0.6, sd_min=0.3),
    Gamma(kind="gamma", mean_min=3.0, sd_min=1.2),
    Gamma(kind="gamma", mean_min=0.5, sd_min=1.0),
    Uniform(kind="uniform", low_min=0.2, high_min=1.4),
    Empirical(kind="empirical", values_min=[0.5, 1.0, 4.0], weights=[1.0, 2.0, 1.0]),
    Empirical(kind="empirical", values_min=[0.3, 0.9, 2.0, 2.0]),
]


@pytest.mark.parametrize("distribution", DISTRIBUTIONS, ids=lambda d: f"{d.kind}")
def test_sample_mean_and_variance_match_the_analytic_moments(distribution: Any) -> None:
    n = 400_000
    x = distribution.sample(np.random.default_rng(12345), n)
    assert x.shape == (n,)
    assert (x >= 0.0).all()
    mean, var = float(x.mean()), float(x.var(ddof=1))
    se_mean = math.sqrt(distribution.variance_min2 / n)
    assert abs(mean - distribution.expected_min) <= 5 * se_mean
    # SE of the sample variance: sqrt((mu4 - sigma^4) / n), mu4 estimated from the sample.
    mu4 = float(np.mean((x - mean) ** 4))
    se_var = math.sqrt(max(mu4 - var**2, 0.0) / n)
    assert abs(var - distribution.variance_min2) <= 5 * se_var


TINY = 5e-324  # the smallest positive float


@settings(max_examples=200, deadline=None)
@given(
    kind=st.sampled_from(["lognormal", "gamma"]),
    mean=st.sampled_from([TINY, 1e-300, 1e-170, 1e-9, 0.5, 10_000.0])
    | st.floats(TINY, 10_000.0, allow_subnormal=True),
    cv=st.sampled_from([TINY, 1e-300, 1e-160, 1e-9, 3e-8, 1e-3, 1.0, 10.0])
    | st.floats(TINY, 10.0, allow_subnormal=True),
)
def test_draws_stay_finite_and_non_negative_for_any_valid_mean_and_spread(
    kind: str, mean: float, cv: float
) -> None:
    # A NaN duration once stopped the clock: `now >= shift end` is never true for NaN, and a
    # one-caller run with a 1e-9 min gamma wrap-up (sd 5e-324) never ended.
    sd = min(mean * cv, 10.0 * mean) if kind == "lognormal" else max(mean * cv, TINY)
    if sd > 10.0 * mean:
        return
    distribution = (Lognormal if kind == "lognormal" else Gamma)(
        kind=kind, mean_min=mean, sd_min=sd
    )
    x = distribution.sample(np.random.default_rng(7), 512)
    assert np.isfinite(x).all()
    assert (x >= 0.0).all()


def test_a_gamma_too_narrow_for_floating_point_draws_its_mean() -> None:
    for mean, sd in [(1e-9, TINY), (1.0, 1e-8), (1e-170, 1e-169)]:
        x = Gamma(kind="gamma", mean_min=mean, sd_min=sd).sample(np.random.default_rng(1), 64)
        assert (x == mean).all()
    # Just wide enough: a real gamma draw, close to the mean.
    x = Gamma(kind="gamma", mean_min=1.0, sd_min=1e-7).sample(np.random.default_rng(1), 64)
    assert not (x == 1.0).all()
    assert np.allclose(x, 1.0, rtol=1e-5)


def test_analytic_moments_of_each_distribution() -> None:
    assert (
        Exponential(kind="exponential", mean_min=2.0).expected_min,
        Exponential(kind="exponential", mean_min=2.0).variance_min2,
    ) == (2.0, 4.0)
    uniform = Uniform(kind="uniform", low_min=1.0, high_min=4.0)
    assert (uniform.expected_min, uniform.variance_min2) == (2.5, 0.75)
    empirical = Empirical(kind="empirical", values_min=[1.0, 3.0], weights=[3.0, 1.0])
    assert empirical.expected_min == pytest.approx(1.5)
    assert empirical.variance_min2 == pytest.approx(0.75)
    lognormal = Lognormal(kind="lognormal", mean_min=2.0, sd_min=0.5)
    assert (lognormal.expected_min, lognormal.variance_min2) == (2.0, 0.25)


@pytest.mark.parametrize(
    "distribution",
    [
        Constant(value_min=0.7),
        Lognormal(kind="lognormal", mean_min=1.3, sd_min=0.0),
        Uniform(kind="uniform", low_min=0.4, high_min=0.4),
        Empirical(kind="empirical", values_min=[2.5]),
    ],
    ids=["constant", "lognormal_sd0", "uniform_point", "empirical_one"],
)
def test_degenerate_distributions_always_draw_their_mean(distribution: Any) -> None:
    x = distribution.sample(np.random.default_rng(1), 1000)
    assert (x == distribution.expected_min).all()
    assert distribution.variance_min2 == 0.0


def test_a_bare_number_validates_to_a_constant_duration() -> None:
    adapter: TypeAdapter[Any] = TypeAdapter(Distribution)
    assert adapter.validate_python(0.5) == Constant(value_min=0.5)
    assert adapter.validate_python(2) == Constant(value_min=2.0)
    assert Profile(wrap_up_time=0.25).wrap_up_time == Constant(value_min=0.25)
    assert Profile.model_validate({"dial_time": 1}).dial_time == Constant(value_min=1.0)
    for bad in (True, -0.5, float("nan"), float("inf"), "0.5"):
        with pytest.raises(ValidationError):
            adapter.validate_python(bad)


def test_invalid_distribution_parameters_are_rejected() -> None:
    adapter: TypeAdapter[Any] = TypeAdapter(Distribution)
    for bad in (
        {"kind": "gamma", "mean_min": 1.0, "sd_min": 0.0},
        {"kind": "uniform", "low_min": 2.0, "high_min": 1.0},
        {"kind": "exponential", "mean_min": 0.0},
        {"kind": "empirical", "values_min": []},
        {"kind": "empirical", "values_min": [1.0], "weights": [0.0]},
        {"kind": "empirical", "values_min": [1.0, 2.0], "weights": [1.0]},
        {"kind": "weibull", "mean_min": 1.0},
    ):
        with pytest.raises(ValidationError):
            adapter.validate_python(bad)


# --- t_interval ---------------------------------------------------------------------------------

SAMPLE = [1.2, 3.4, 2.2, 5.1, 0.3, 2.8, 4.4]


@pytest.mark.parametrize("level", [0.5, 0.9, 0.95, 0.99])
def test_t_interval_matches_scipy(level: float) -> None:
    x = np.asarray(SAMPLE)
    got = t_interval(x, level)
    low, high = stats.t.interval(level, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
    assert got.mean == pytest.approx(x.mean(), rel=1e-12)
    assert got.low == pytest.approx(low, rel=1e-12)
    assert got.high == pytest.approx(high, rel=1e-12)
    assert got.half_width == pytest.approx((high - low) / 2, rel=1e-12)
    assert got.n == len(x)
    assert got.sd == pytest.approx(x.std(ddof=1), rel=1e-12)
    assert got.level == level


def test_t_interval_drops_non_finite_values() -> None:
    with_gaps = [*SAMPLE, float("nan"), float("inf")]
    assert t_interval(with_gaps) == t_interval(SAMPLE)


def test_t_interval_degenerate_cases() -> None:
    empty = t_interval([])
    assert empty.n == 0
    assert all(math.isnan(v) for v in (empty.mean, empty.low, empty.high, empty.sd))
    one = t_interval([3.5, float("nan")])
    assert (one.n, one.mean) == (1, 3.5)
    assert math.isnan(one.low) and math.isnan(one.high)
    flat = t_interval([2.0, 2.0, 2.0])
    assert (flat.mean, flat.low, flat.high, flat.sd, flat.n) == (2.0, 2.0, 2.0, 0.0, 3)
    for level in (0.0, 1.0, -0.1, 95.0):
        with pytest.raises(ValueError):
            t_interval(SAMPLE, level)


# --- quotas ------------------------------------------------------------------------------------


def quota_days() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "dials": [150, 150, 90, 200, 0],
            "calls_excl_busy_no_answer": [60, 59, 70, 80, 0],
            "answered": [40, 40, 50, 60, 0],
            "dm_contacts": [10, 12, 20, 15, 0],
            "needs_immediate": [1, 3, 0, 2, 0],
            "needs_long_term": [1, 0, 1, 2, 0],
            "needs": [2, 3, 1, 4, 0],  # as tabulated: immediate + long-term
            "meetings": [1, 2, 0, 1, 0],
        }
    )


def test_two_part_quota_is_met_only_when_every_part_is_met() -> None:
    quota = [
        QuotaTarget(counts="calls_excl_busy_no_answer", target=60),
        QuotaTarget(counts="needs", target=2),
    ]
    units, met = evaluate_quota(quota_days(), quota)
    # The headline is the first part's count.
    np.testing.assert_array_equal(units, [60, 59, 70, 80, 0])
    # day 0: 60 calls (target met exactly), 2 needs -> met; day 1: 59 calls -> not;
    # day 2: 1 need -> not; day 3: both; day 4: nothing.
    np.testing.assert_array_equal(met, [1.0, 0.0, 0.0, 1.0, 0.0])
    assert units.dtype == float and met.dtype == float


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ("dials", [150, 150, 90, 200, 0]),
        ("answered", [40, 40, 50, 60, 0]),
        ("dm_contacts", [10, 12, 20, 15, 0]),
        ("needs", [2, 3, 1, 4, 0]),
        ("needs_immediate", [1, 3, 0, 2, 0]),
        ("meetings", [1, 2, 0, 1, 0]),
    ],
)
def test_each_quota_unit_counts_its_columns(counts: str, expected: list[int]) -> None:
    units, met = evaluate_quota(quota_days(), [QuotaTarget(counts=counts, target=2)])  # type: ignore[arg-type]
    np.testing.assert_array_equal(units, expected)
    np.testing.assert_array_equal(met, [float(v >= 2) for v in expected])


def test_no_quota_gives_nan_units_and_nan_met() -> None:
    units, met = evaluate_quota(quota_days(), [])
    assert np.isnan(units).all() and np.isnan(met).all()
    assert len(units) == len(met) == 5
    zero_target = evaluate_quota(quota_days(), [QuotaTarget(counts="meetings", target=0)])[1]
    assert (zero_target == 1.0).all()


# --- the shift ---------------------------------------------------------------------------------


def test_default_shift_has_eight_breaks_due_ten_minutes_before_each_hour_and_400_working_min() -> (
    None
):
    shift = Shift()
    assert shift.break_due_times_min() == [50.0, 110.0, 170.0, 230.0, 290.0, 350.0, 410.0, 470.0]
    assert shift.working_min == 400.0


@pytest.mark.parametrize(
    ("shift", "due", "working"),
    [
        ({"length_min": 60.0, "break_every_min": None}, [], 60.0),
        ({"length_min": 480.0, "break_every_min": 60.0, "break_length_min": 0.0}, [], 480.0),
        (
            {"length_min": 240.0, "break_every_min": 120.0, "break_length_min": 15.0},
            [105.0, 225.0],
            210.0,
        ),
        ({"length_min": 100.0, "break_every_min": 120.0, "break_length_min": 15.0}, [], 100.0),
        (
            {"length_min": 480.0, "break_every_min": 90.0, "break_length_min": 5.0},
            [85.0, 175.0, 265.0, 355.0, 445.0],
            455.0,
        ),
    ],
)
def test_break_due_times_and_working_minutes(
    shift: dict[str, Any], due: list[float], working: float
) -> None:
    validated = Shift.model_validate(shift)
    assert validated.break_due_times_min() == due
    assert validated.working_min == working


def test_a_break_as_long_as_its_period_is_rejected() -> None:
    with pytest.raises(ValidationError):
        Shift(break_every_min=10.0, break_length_min=10.0)


# --- named random streams ----------------------------------------------------------------------

ROWS = [(0, 0), (0, 3), (0, 4), (0, 9), (5, 1), (511, 2), (512, 0), (1500, 7), (3, 0)]


def test_company_rows_do_not_depend_on_the_order_they_are_requested_in() -> None:
    forward = CompanyDraws(7, 0, "small")
    backward = CompanyDraws(7, 0, "small")
    first = {key: forward.row(*key) for key in ROWS}
    second = {key: backward.row(*key) for key in reversed(ROWS)}
    assert first == second
    single = {key: CompanyDraws(7, 0, "small").row(*key) for key in ROWS}  # fresh each time
    assert first == single
    # Asking again gives the same uniforms.
    assert all(forward.row(*key) == first[key] for key in ROWS)


def test_company_rows_are_uniforms_enough_for_one_attempt() -> None:
    draws = CompanyDraws(7, 0, "small")
    values = np.array([draws.row(c, k) for c in range(200) for k in range(6)])
    assert values.shape[1] >= max(AttemptDraw) + 1  # one uniform per decision at least
    assert ((values >= 0.0) & (values < 1.0)).all()
    assert len(np.unique(values)) == values.size
    # Crude uniformity: the mean of 9600 uniforms is within 5 SE of 1/2.
    assert abs(values.mean() - 0.5) <= 5 * math.sqrt(1 / 12 / values.size)


def test_company_rows_differ_between_replications_seeds_and_segments() -> None:
    base = CompanyDraws(7, 0, "small")
    others = [CompanyDraws(7, 1, "small"), CompanyDraws(8, 0, "small"), CompanyDraws(7, 0, "large")]
    for other in others:
        for key in ROWS:
            assert other.row(*key) != base.row(*key)
    # Different companies and different attempts of one company differ too.
    assert base.row(0, 0) != base.row(1, 0)
    assert base.row(0, 0) != base.row(0, 1)


def test_a_segments_calls_do_not_depend_on_other_segments_or_the_team() -> None:
    # Common random numbers: the k-th attempt to company c of segment "small" has the same
    # outcome whatever other segments the scenario defines and however many callers call it.
    segment = {
        "line": {"busy_prob": 0.2, "no_answer_prob": 0.3, "invalid_prob": 0.1},
        "gatekeeper": {"present_prob": 0.5, "pass_prob": 0.5, "dm_out_prob": 0.3},
        "referral": {"direct_to_dm_prob": 0.4, "thread_lost_prob": 0.3, "max_hops": 3},
        "decision_maker": {"available_prob": 0.5},
        "needs": {"immediate_prob": 0.2, "long_term_prob": 0.2, "refusal_prob": 0.2},
        "companies": 50,
    }
    retry = {
        "busy_delay_min": 1.0,
        "no_answer_delay_min": 2.0,
        "invalid_delay_min": 0.0,
        "gatekeeper_dm_out_delay_min": 3.0,
        "thread_lost_delay_min": 0.0,
        "dm_unavailable_delay_min": 1.0,
        "max_attempts": 8,
    }
    shift = {"length_min": 240.0}
    alone = constant_scenario(retry=retry, callers=1, shift=shift)
    alone["segments"] = {"small": segment}
    crowded = constant_scenario(retry=retry, callers=3, shift=shift)
    crowded["segments"] = {"alpha": dict(segment), "small": segment, "zeta": dict(segment)}
    crowded["team"] = [{"profile": "caller", "count": 3, "segments": {"small": 1.0}}]

    def outcomes(data: dict[str, Any]) -> pd.Series:
        calls = simulate_replication(build(data), 11, 2, call_log=True).calls
        assert calls is not None
        small = calls[calls["segment"] == "small"]
        return small.set_index(["company", "attempt"])["outcome"].astype(str)

    one, three = outcomes(alone), outcomes(crowded)
    common = one.index.intersection(three.index)
    assert len(common) > 100
    pd.testing.assert_series_equal(one.loc[common], three.loc[common])


def test_the_kth_attempt_is_decided_by_the_companys_kth_row_of_uniforms() -> None:
    # One company whose DM is never reached (so never known), retried at once: 30 attempts
    # span several blocks of draws; each attempt's outcome is decide_attempt on its own row.
    segment = {
        "companies": 1,
        "line": {"busy_prob": 0.2, "no_answer_prob": 0.2, "invalid_prob": 0.1},
        "gatekeeper": {"present_prob": 0.5, "pass_prob": 0.5, "dm_out_prob": 0.5},
        "referral": {
            "direct_to_dm_prob": 0.0,
            "next_is_dm_prob": 0.0,
            "thread_lost_prob": 0.5,
            "max_hops": 3,
        },
    }
    retry = {
        "busy_delay_min": 0.0,
        "no_answer_delay_min": 0.0,
        "invalid_delay_min": 0.0,
        "gatekeeper_dm_out_delay_min": 0.0,
        "thread_lost_delay_min": 0.0,
        "max_attempts": 30,
    }
    scenario = build(constant_scenario(segment=segment, retry=retry))
    calls = simulate_replication(scenario, 3, 1, call_log=True).calls
    assert calls is not None
    params = compile_call_params(scenario.segments["seg"], scenario.profiles["caller"])
    draws = CompanyDraws(3, 1, "seg")
    expected = [decide_attempt(draws.row(0, k), params, dm_known=False) for k in range(30)]
    assert len(calls) == 30
    assert calls["outcome"].astype(str).tolist() == [Outcome(o).label for o, _, _ in expected]
    assert calls["referral_hops"].tolist() == [hops for _, _, hops in expected]
    assert calls["outcome"].nunique() >= 4


def test_spare_uniforms_are_a_companion_stream_that_moves_nothing() -> None:
    # Reading the spares (as a future decision stage would) leaves every company's decision
    # uniforms as they were: a new stage cannot change any existing result for a seed.
    untouched = CompanyDraws(7, 0, "small")
    with_spares = CompanyDraws(7, 0, "small")
    spares = {key: with_spares.spare_row(*key) for key in ROWS}
    assert {key: with_spares.row(*key) for key in ROWS} == {
        key: untouched.row(*key) for key in ROWS
    }
    assert all(len(row) == SPARE_DRAWS_PER_ATTEMPT for row in spares.values())
    assert all(spares[key] != untouched.row(*key)[: len(spares[key])] for key in ROWS)
    # Reproducible, and different for another company or attempt.
    assert CompanyDraws(7, 0, "small").spare_row(1500, 7) == spares[(1500, 7)]
    assert with_spares.spare_row(0, 0) != with_spares.spare_row(1, 0)
    assert with_spares.spare_row(0, 0) != with_spares.spare_row(0, 1)
