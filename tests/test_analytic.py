"""Statistical checks of the simulation against theory computed independently in the tests.

Every check uses fixed seeds, so the tests are deterministic; tolerances are 4 standard errors
of the estimate (binomial or from the theoretical variance), wide enough that a correct model
passes for essentially any seed and narrow enough to catch a wrong probability or formula.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from sim.model.decisions import compile_call_params, referral_chain_outcomes
from sim.records.replication import simulate_replication
from sim.scenario import ReferralParams, Scenario
from tests.builders import build, constant_scenario

Z = 4.0
"""Tolerance in standard errors."""

LONG_SHIFT = {"length_min": 480.0, "break_every_min": None, "break_length_min": 0.0}
NEVER = 1e7
"""A retry delay far beyond any horizon used here: the callback is never made."""

DM_CONVERSATIONS = ["meeting", "hot_lead", "long_term_need", "no_need", "dm_refusal"]


def run_calls(scenario: Scenario, replications: int, seed: int = 2024) -> pd.DataFrame:
    frames = []
    for r in range(replications):
        calls = simulate_replication(scenario, seed, r, call_log=True).calls
        assert calls is not None
        frames.append(calls)
    return pd.concat(frames, ignore_index=True)


def run_days(scenario: Scenario, replications: int, seed: int = 2024) -> pd.DataFrame:
    return pd.concat(
        [simulate_replication(scenario, seed, r).operator_days for r in range(replications)],
        ignore_index=True,
    )


def assert_share(hits: int, n: int, p: float, what: str = "") -> None:
    """``hits`` out of ``n`` is within Z binomial standard errors of ``p`` (exact if p is 0/1)."""
    assert n > 0, what
    share = hits / n
    if p <= 0.0 or p >= 1.0:
        assert share == p, f"{what}: {hits}/{n} but p = {p}"
        return
    se = math.sqrt(p * (1.0 - p) / n)
    assert abs(share - p) <= Z * se, f"{what}: {share:.5f} vs {p:.5f} (n={n}, se={se:.5f})"


def assert_mean(values: np.ndarray, expected: float, sd: float, what: str = "") -> None:
    """The mean of ``values`` is within Z standard errors (from the theoretical ``sd``)."""
    se = sd / math.sqrt(len(values))
    mean = float(np.mean(values))
    assert abs(mean - expected) <= Z * se, f"{what}: {mean:.5f} vs {expected:.5f} (se={se:.5f})"


# --- the referral chain as an absorbing Markov chain -------------------------------------------

DM, LOST = 0, 1


def referral_markov_chain(
    p0: float, lost: float, next_dm: float, max_hops: int
) -> tuple[np.ndarray, np.ndarray]:
    """``(N, R)`` of the referral chain: fundamental matrix and absorption probabilities.

    Transient state 0 is "about to meet the first person past the gatekeeper", state k (1..H)
    "talking to the k-th specialist"; absorbing states are DM reached and thread lost. A visit
    to state k >= 1 is one hop.
    """
    n = max_hops + 1
    q = np.zeros((n, n))
    r = np.zeros((n, 2))
    q[0, 1] = 1.0 - p0
    r[0, DM] = p0
    for k in range(1, n):
        r[k, DM] = (1.0 - lost) * next_dm
        r[k, LOST] = lost
        onwards = (1.0 - lost) * (1.0 - next_dm)
        if k < max_hops:
            q[k, k + 1] = onwards
        else:  # after the last specialist the caller gives up
            r[k, LOST] += onwards
    fundamental = np.linalg.inv(np.eye(n) - q)
    return fundamental, r


def chain_distribution(
    p0: float, lost: float, next_dm: float, max_hops: int
) -> dict[tuple[int, bool], float]:
    """P(hops, reached the DM) from the Markov chain (visits to hop states times exits)."""
    fundamental, r = referral_markov_chain(p0, lost, next_dm, max_hops)
    out = {}
    for k in range(max_hops + 1):
        out[(k, True)] = fundamental[0, k] * r[k, DM]
        out[(k, False)] = fundamental[0, k] * r[k, LOST]
    return out


def aggregate(outcomes: list[tuple[float, int, bool]]) -> dict[tuple[int, bool], float]:
    out: dict[tuple[int, bool], float] = defaultdict(float)
    for probability, hops, reached in outcomes:
        out[(hops, reached)] += probability
    return out


@settings(max_examples=150, deadline=None)
@given(
    p0=st.floats(0.0, 1.0),
    lost=st.floats(0.0, 1.0),
    next_dm=st.floats(0.0, 1.0),
    max_hops=st.integers(1, 12),
)
def test_referral_chain_outcomes_sum_to_one_and_match_the_absorbing_markov_chain(
    p0: float, lost: float, next_dm: float, max_hops: int
) -> None:
    params = ReferralParams(
        direct_to_dm_prob=p0, thread_lost_prob=lost, next_is_dm_prob=next_dm, max_hops=max_hops
    )
    outcomes = referral_chain_outcomes(params)
    assert all(p >= 0.0 for p, _, _ in outcomes)
    assert all(0 <= h <= max_hops for _, h, _ in outcomes)
    assert sum(p for p, _, _ in outcomes) == pytest.approx(1.0, abs=1e-12)
    got = aggregate(outcomes)
    expected = chain_distribution(p0, lost, next_dm, max_hops)
    for key in set(got) | set(expected):
        assert got.get(key, 0.0) == pytest.approx(expected.get(key, 0.0), abs=1e-12), key
    fundamental, r = referral_markov_chain(p0, lost, next_dm, max_hops)
    absorbed = fundamental @ r
    assert sum(p for p, _, reached in outcomes if reached) == pytest.approx(
        absorbed[0, DM], abs=1e-12
    )


@pytest.mark.parametrize(
    ("p0", "lost", "next_dm", "max_hops", "p_dm"),
    [
        (1.0, 0.3, 0.5, 3, 1.0),
        (0.0, 0.0, 1.0, 4, 1.0),
        (0.0, 1.0, 0.5, 4, 0.0),
        (0.0, 0.0, 0.0, 5, 0.0),
        # 0.5 + 0.5 * (0.5 + 0.5 * 0.5) with no losses and two hops
        (0.5, 0.0, 0.5, 2, 0.875),
    ],
)
def test_referral_chain_reaches_the_dm_with_hand_computed_probability(
    p0: float, lost: float, next_dm: float, max_hops: int, p_dm: float
) -> None:
    params = ReferralParams(
        direct_to_dm_prob=p0, thread_lost_prob=lost, next_is_dm_prob=next_dm, max_hops=max_hops
    )
    reached = sum(p for p, _, r in referral_chain_outcomes(params) if r)
    assert reached == pytest.approx(p_dm, abs=1e-12)
    fundamental, r = referral_markov_chain(p0, lost, next_dm, max_hops)
    assert (fundamental @ r)[0, DM] == pytest.approx(p_dm, abs=1e-12)


REFERRAL_SEGMENT = {
    "line": {"busy_prob": 0.2, "ring_time_busy": 0.1, "ring_time_answered": 0.1},
    "gatekeeper": {
        "present_prob": 0.5,
        "pass_prob": 0.6,
        "dm_out_prob": 0.4,
        "email_prob": 0.0,
        "talk_time": 0.1,
    },
    "referral": {
        "direct_to_dm_prob": 0.3,
        "thread_lost_prob": 0.2,
        "next_is_dm_prob": 0.4,
        "max_hops": 3,
        "hop_talk_time": 0.1,
    },
    "decision_maker": {"available_prob": 0.7, "unavailable_talk_time": 0.1},
    "needs": {"talk_time_no_need": 0.1},
}


def test_simulated_referral_chain_matches_the_absorbing_markov_chain() -> None:
    # Once the DM is reached the company closes (no need) or its callback (DM unavailable)
    # falls beyond the horizon, so every attempt past the line and gatekeeper runs the chain.
    scenario = build(
        constant_scenario(
            segment=REFERRAL_SEGMENT,
            profile={"dial_time": 0.1},
            callers=10,
            shift=LONG_SHIFT,
            retry={"dm_unavailable_delay_min": NEVER, "busy_delay_min": 0.0},
        )
    )
    calls = run_calls(scenario, replications=3)
    passed = calls[calls["outcome"].isin(["thread_lost", "dm_unavailable", *DM_CONVERSATIONS])]
    assert passed["gatekeeper"].isin(["none", "passed"]).all()
    n = len(passed)
    assert n > 10_000
    reached = passed["outcome"] != "thread_lost"
    p0, lost, next_dm, max_hops = 0.3, 0.2, 0.4, 3
    fundamental, r = referral_markov_chain(p0, lost, next_dm, max_hops)
    p_dm = float((fundamental @ r)[0, DM])
    assert_share(int(reached.sum()), n, p_dm, "P(reach DM)")
    # dm_contacts + DM unavailable among the attempts that passed line and gatekeeper
    dm_stage = calls["outcome"].isin(["dm_unavailable", *DM_CONVERSATIONS]).sum()
    assert dm_stage == reached.sum()
    # The number of specialists talked to, jointly with whether the DM was reached.
    for (hops, got_dm), p in chain_distribution(p0, lost, next_dm, max_hops).items():
        hits = int(((passed["referral_hops"] == hops) & (reached == got_dm)).sum())
        assert_share(hits, n, p, f"hops={hops}, reached={got_dm}")
    expected_hops = float(fundamental[0, 1:].sum())
    hops_sd = float(
        np.sqrt(
            sum(
                p * (h - expected_hops) ** 2
                for (h, _), p in chain_distribution(p0, lost, next_dm, max_hops).items()
            )
        )
    )
    assert_mean(passed["referral_hops"].to_numpy(), expected_hops, hops_sd, "mean hops")


# --- the line ----------------------------------------------------------------------------------


def test_answered_share_of_dials_is_one_minus_busy_no_answer_invalid() -> None:
    line = {
        "busy_prob": 0.1,
        "no_answer_prob": 0.3,
        "invalid_prob": 0.05,
        "ring_time_busy": 0.1,
        "ring_time_no_answer": 0.4,
        "ring_time_invalid": 0.2,
    }
    scenario = build(
        constant_scenario(
            segment={"line": line, "needs": {"talk_time_no_need": 0.25}},
            profile={"dial_time": 0.25},
            callers=10,
            shift=LONG_SHIFT,
            retry={"busy_delay_min": 1.0, "no_answer_delay_min": 5.0, "invalid_delay_min": 0.0},
        )
    )
    days = run_days(scenario, replications=3)
    dials = int(days["dials"].sum())
    assert dials > 25_000
    assert_share(int(days["answered"].sum()), dials, 1.0 - 0.1 - 0.3 - 0.05, "answered")
    assert_share(int(days["busy"].sum()), dials, 0.1, "busy")
    assert_share(int(days["no_answer"].sum()), dials, 0.3, "no answer")
    assert_share(int(days["invalid"].sum()), dials, 0.05, "invalid")


# --- throughput: renewal theory ------------------------------------------------------------------


def attempts_scenario(dial: Any, callers: int = 20, shift_min: float = 60.0) -> Scenario:
    """Every attempt is unanswered and lasts exactly one dial time (no ring, no wrap-up)."""
    return build(
        constant_scenario(
            segment={"line": {"no_answer_prob": 1.0, "ring_time_no_answer": 0.0}},
            profile={"dial_time": dial, "wrap_up_time": 0.0},
            callers=callers,
            shift={"length_min": shift_min, "break_every_min": None},
        )
    )


@pytest.mark.parametrize("mean", [0.5, 2.0])
def test_exponential_attempts_per_day_average_shift_over_mean_plus_one(mean: float) -> None:
    # Attempts start at the renewal epochs S_0 = 0, S_1, ... while S_k < T: N = 1 + Poisson(T/mu)
    # for exponential durations, so E[N] = T/mu + 1 and Var[N] = T/mu.
    shift_min = 60.0
    days = run_days(attempts_scenario({"kind": "exponential", "mean_min": mean}), 6)
    assert len(days) == 120
    assert (days["idle_min"] == 0.0).all()
    rate = shift_min / mean
    assert_mean(days["dials"].to_numpy(), rate + 1.0, math.sqrt(rate), "attempts per day")
    # Memorylessness: the last attempt runs past the shift end by an Exp(mean) overrun.
    assert_mean(days["overrun_min"].to_numpy(), mean, mean, "overrun")


def test_erlang_attempts_per_day_match_the_exact_renewal_function() -> None:
    # Gamma(mean 2, sd 1) is Erlang(4, rate 2): S_k < T iff at least 4k phase completions of a
    # rate-2 Poisson process fall in (0, T), so N = 1 + floor(M / 4) with M ~ Poisson(2T).
    shift_min, shape, rate = 60.0, 4, 2.0
    days = run_days(attempts_scenario({"kind": "gamma", "mean_min": 2.0, "sd_min": 1.0}), 6)
    m = np.arange(0, 1000)
    pmf = stats.poisson.pmf(m, rate * shift_min)
    n = 1 + m // shape
    expected = float(np.sum(pmf * n))
    sd = float(np.sqrt(np.sum(pmf * (n - expected) ** 2)))
    assert expected == pytest.approx(shift_min / 2.0 + (1.0 + 4.0) / (2.0 * 4.0), abs=0.01)
    assert_mean(days["dials"].to_numpy(), expected, sd, "attempts per day")


@pytest.mark.parametrize(
    ("duration", "attempts"), [(0.75, 80), (1.25, 48), (7.0, 9), (6.0, 10), (61.0, 1)]
)
def test_constant_attempts_per_day_are_exactly_the_ceiling_of_shift_over_duration(
    duration: float, attempts: int
) -> None:
    assert attempts == math.ceil(60.0 / duration)
    days = run_days(attempts_scenario(duration, callers=3), 2)
    assert (days["dials"] == attempts).all()
    assert (days["overrun_min"] == attempts * duration - 60.0).all()


def path_distribution(
    segment: dict[str, Any], scale: float, wrap: float, wrap_conversation: float
) -> tuple[np.ndarray, np.ndarray]:
    """``(probabilities, durations)`` of every attempt path except the dial, from the theory.

    Works on the constant-duration ``segment`` dict below with the DM never yet known.
    """
    line, gk, ref = segment["line"], segment["gatekeeper"], segment["referral"]
    dm, needs = segment["decision_maker"], segment["needs"]
    paths: list[tuple[float, float]] = []
    answered = 1.0 - line["busy_prob"] - line["no_answer_prob"] - line["invalid_prob"]
    for kind in ("busy", "no_answer", "invalid"):
        paths.append((line[f"{kind}_prob"], line[f"ring_time_{kind}"] + wrap))
    base = line["ring_time_answered"] + wrap_conversation
    gk_refusal = 1.0 - gk["pass_prob"] - gk["dm_out_prob"] - gk["email_prob"]
    stopped = gk["dm_out_prob"] + gk["email_prob"] + gk_refusal
    paths.append((answered * gk["present_prob"] * stopped, base + scale * gk["talk_time"]))
    chain = chain_distribution(
        ref["direct_to_dm_prob"], ref["thread_lost_prob"], ref["next_is_dm_prob"], ref["max_hops"]
    )
    no_need = 1.0 - needs["immediate_prob"] - needs["long_term_prob"] - needs["refusal_prob"]
    discovery = [
        (
            needs["immediate_prob"] * needs["meeting_booking_prob"],
            needs["talk_time_immediate"] + needs["meeting_booking_talk_time"],
        ),
        (
            needs["immediate_prob"] * (1.0 - needs["meeting_booking_prob"]),
            needs["talk_time_immediate"],
        ),
        (needs["long_term_prob"], needs["talk_time_long_term"]),
        (no_need, needs["talk_time_no_need"]),
        (needs["refusal_prob"], needs["talk_time_refusal"]),
    ]
    for met_gk, p_gk in (
        (True, gk["present_prob"] * gk["pass_prob"]),
        (False, 1.0 - gk["present_prob"]),
    ):
        talk0 = gk["talk_time"] if met_gk else 0.0
        for (hops, reached), p_chain in chain.items():
            talk1 = talk0 + hops * ref["hop_talk_time"]
            p = answered * p_gk * p_chain
            if not reached:
                paths.append((p, base + scale * talk1))
                continue
            paths.append(
                (
                    p * (1.0 - dm["available_prob"]),
                    base + scale * (talk1 + dm["unavailable_talk_time"]),
                )
            )
            for p_need, talk2 in discovery:
                paths.append((p * dm["available_prob"] * p_need, base + scale * (talk1 + talk2)))
    probabilities = np.array([p for p, _ in paths])
    durations = np.array([d for _, d in paths])
    return probabilities, durations


MIXED_SEGMENT = {
    "line": {
        "busy_prob": 0.1,
        "no_answer_prob": 0.25,
        "invalid_prob": 0.05,
        "ring_time_busy": 0.2,
        "ring_time_no_answer": 0.6,
        "ring_time_invalid": 0.3,
        "ring_time_answered": 0.25,
    },
    "gatekeeper": {
        "present_prob": 0.5,
        "pass_prob": 0.6,
        "dm_out_prob": 0.2,
        "email_prob": 0.1,
        "talk_time": 0.7,
    },
    "referral": {
        "direct_to_dm_prob": 0.5,
        "thread_lost_prob": 0.2,
        "next_is_dm_prob": 0.5,
        "max_hops": 2,
        "hop_talk_time": 0.9,
    },
    "decision_maker": {"available_prob": 0.6, "unavailable_talk_time": 0.4},
    "needs": {
        "immediate_prob": 0.1,
        "long_term_prob": 0.1,
        "refusal_prob": 0.3,
        "meeting_booking_prob": 0.5,
        "talk_time_immediate": 5.0,
        "talk_time_long_term": 3.0,
        "talk_time_no_need": 1.5,
        "talk_time_refusal": 0.5,
        "meeting_booking_talk_time": 1.5,
    },
}


def test_dials_per_day_with_mixed_outcomes_match_renewal_asymptotics() -> None:
    # Attempt durations are i.i.d.: an exponential dial plus a constant per path (no callback
    # that would meet a known DM falls inside the horizon). For a non-lattice duration D with
    # mean mu and variance s2, E[N(T)] = m(T) + 1 -> T/mu + (s2 + mu^2) / (2 mu^2).
    scale, wrap, wrap_conversation, dial_mean = 1.2, 0.2, 0.8, 0.4
    probabilities, talk = path_distribution(MIXED_SEGMENT, scale, wrap, wrap_conversation)
    assert probabilities.sum() == pytest.approx(1.0, abs=1e-12)
    mu = dial_mean + float(probabilities @ talk)
    var = dial_mean**2 + float(probabilities @ talk**2) - float(probabilities @ talk) ** 2
    shift_min = 480.0
    expected = shift_min / mu + (var + mu**2) / (2.0 * mu**2)
    sd = math.sqrt(shift_min * var / mu**3)
    scenario = build(
        constant_scenario(
            segment=MIXED_SEGMENT,
            callers=20,
            shift=LONG_SHIFT,
            profile={
                "dial_time": {"kind": "exponential", "mean_min": dial_mean},
                "talk_time_scale": scale,
                "wrap_up_time": wrap,
                "wrap_up_time_conversation": wrap_conversation,
            },
            retry={
                "dm_unavailable_delay_min": NEVER,
                "gatekeeper_dm_out_delay_min": NEVER,
                "thread_lost_delay_min": NEVER,
                "long_term_callback_days": 1e4,
            },
        )
    )
    days, calls = [], []
    for r in range(8):
        tables = simulate_replication(scenario, 2024, r, call_log=True)
        days.append(tables.operator_days)
        calls.append(tables.calls)
    day_table, call_table = pd.concat(days), pd.concat(calls)
    assert (day_table["idle_min"] == 0.0).all()
    assert_mean(day_table["dials"].to_numpy(), expected, sd, "dials per day")
    # Renewal-reward: the time spent per attempt averages mu.
    durations = call_table[["dial_min", "talk_min", "wrap_min"]].sum(axis=1).to_numpy()
    assert_mean(durations, mu, math.sqrt(var), "attempt duration")


# --- retries ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("p", "max_attempts"), [(0.3, 4), (0.6, 2), (0.1, 6), (0.5, 1)])
def test_retries_reach_one_minus_q_to_the_k_and_attempts_are_truncated_geometric(
    p: float, max_attempts: int
) -> None:
    # Each dial is answered with p; an answered call reaches the DM, who has no need: the
    # company closes. Unanswered ones are retried at once until max_attempts. The base is small
    # enough for every company to be finished within the shift.
    companies = 3000
    scenario = build(
        constant_scenario(
            segment={
                "companies": companies,
                "line": {"no_answer_prob": 1.0 - p},
                "needs": {"talk_time_no_need": 0.25},
            },
            profile={"dial_time": 0.25},
            callers=10,
            shift=LONG_SHIFT,
            retry={"max_attempts": max_attempts, "no_answer_delay_min": 0.0},
        )
    )
    tables = simulate_replication(scenario, 99, 0)
    leads = tables.leads
    assert (leads["attempts"] > 0).all()
    assert set(leads["status"].astype(str)) <= {"no_need", "exhausted"}
    q = 1.0 - p
    answered = int((leads["status"] == "no_need").sum())
    assert_share(answered, companies, 1.0 - q**max_attempts, "ever answered")
    assert (leads.loc[leads["status"] == "exhausted", "attempts"] == max_attempts).all()
    attempts = leads["attempts"].to_numpy()
    assert attempts.max() <= max_attempts
    for j in range(1, max_attempts + 1):
        p_j = q ** (j - 1) * (p if j < max_attempts else 1.0)
        assert_share(int((attempts == j).sum()), companies, p_j, f"P(attempts = {j})")
    mean = (1.0 - q**max_attempts) / p
    sd = math.sqrt(
        sum(
            q ** (j - 1) * (p if j < max_attempts else 1.0) * (j - mean) ** 2
            for j in range(1, max_attempts + 1)
        )
    )
    if sd > 0:
        assert_mean(attempts, mean, sd, "attempts per company")
    assert tables.operator_days["dials"].sum() == attempts.sum()


# --- stage probabilities with skills ------------------------------------------------------------

STAGE_SEGMENT = {
    "line": {"ring_time_answered": 0.1},
    "gatekeeper": {
        "present_prob": 0.7,
        "pass_prob": 0.4,
        "dm_out_prob": 0.2,
        "email_prob": 0.1,
        "talk_time": 0.1,
    },
    "referral": {"direct_to_dm_prob": 1.0},
    "decision_maker": {"available_prob": 0.6, "unavailable_talk_time": 0.1},
    "needs": {
        "immediate_prob": 0.1,
        "long_term_prob": 0.2,
        "refusal_prob": 0.3,
        "meeting_booking_prob": 0.5,
        "talk_time_immediate": 0.1,
        "talk_time_long_term": 0.1,
        "talk_time_no_need": 0.1,
        "talk_time_refusal": 0.1,
        "meeting_booking_talk_time": 0.1,
    },
}


@pytest.mark.parametrize(
    ("skills", "theory"),
    [
        # (gatekeeper, discovery, booking) skills -> hand-computed
        # (pass, dm out, email, refusal), (immediate, long term, no need, refusal), booking
        ((1.0, 1.0, 1.0), ((0.4, 0.2, 0.1, 0.3), (0.1, 0.2, 0.4, 0.3), 0.5)),
        (
            (1.5, 2.0, 1.5),
            ((0.6, 0.4 / 3, 0.2 / 3, 0.2), (0.2, 0.4, 0.4 * 4 / 7, 0.4 * 3 / 7), 0.75),
        ),
        (
            (0.5, 0.5, 0.5),
            ((0.2, 0.8 / 3, 0.4 / 3, 0.4), (0.05, 0.1, 0.85 * 4 / 7, 0.85 * 3 / 7), 0.25),
        ),
        ((3.0, 4.0, 3.0), ((1.0, 0.0, 0.0, 0.0), (1 / 3, 2 / 3, 0.0, 0.0), 1.0)),
    ],
    ids=["neutral", "skilled", "unskilled", "clamped"],
)
def test_stage_outcome_shares_match_the_skill_adjusted_probabilities(
    skills: tuple[float, float, float], theory: tuple[Any, Any, float]
) -> None:
    gk_skill, discovery_skill, booking_skill = skills
    profile = {
        "dial_time": 0.1,
        "gatekeeper_skill": gk_skill,
        "discovery_skill": discovery_skill,
        "booking_skill": booking_skill,
    }
    scenario = build(
        constant_scenario(
            segment=STAGE_SEGMENT,
            profile=profile,
            callers=10,
            shift=LONG_SHIFT,
            retry={"dm_unavailable_delay_min": NEVER},
        )
    )
    params = compile_call_params(scenario.segments["seg"], scenario.profiles["caller"])
    gk_theory, needs_theory, booking = theory
    gk_cuts = np.cumsum(gk_theory)[:3]
    needs_cuts = np.cumsum([needs_theory[0], needs_theory[1], needs_theory[2]])
    np.testing.assert_allclose(params.gatekeeper_cuts, gk_cuts, atol=1e-12)
    np.testing.assert_allclose(params.needs_cuts, needs_cuts, atol=1e-12)
    assert params.meeting_booking_prob == pytest.approx(booking, abs=1e-12)

    calls = run_calls(scenario, replications=2)
    # Every attempt is a first call to its company (all callbacks fall beyond the horizon).
    assert (calls["attempt"] == 1).all()
    n = len(calls)
    assert n > 20_000
    outcome = calls["outcome"].astype(str)
    met_gk = calls["gatekeeper"] != "none"
    assert_share(int(met_gk.sum()), n, params.gatekeeper_present_prob, "gatekeeper present")
    contacts = int(met_gk.sum())
    for label, p in zip(
        ["passed", "gatekeeper_dm_out", "gatekeeper_email", "gatekeeper_refusal"],
        gk_theory,
        strict=True,
    ):
        hits = (calls["gatekeeper"] == "passed") if label == "passed" else (outcome == label)
        assert_share(int((hits & met_gk).sum()), contacts, p, label)
    dm_stage = outcome.isin(["dm_unavailable", *DM_CONVERSATIONS])
    conversations = outcome.isin(DM_CONVERSATIONS)
    assert_share(
        int(conversations.sum()), int(dm_stage.sum()), params.dm_available_prob, "DM available"
    )
    n_conv = int(conversations.sum())
    immediate = outcome.isin(["meeting", "hot_lead"])
    for hits, p, what in [
        (immediate, needs_theory[0], "immediate"),
        (outcome == "long_term_need", needs_theory[1], "long term"),
        (outcome == "no_need", needs_theory[2], "no need"),
        (outcome == "dm_refusal", needs_theory[3], "refusal"),
    ]:
        assert_share(int(hits.sum()), n_conv, p, what)
    assert_share(int((outcome == "meeting").sum()), int(immediate.sum()), booking, "booking")
