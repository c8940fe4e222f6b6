"""Realism mechanisms of issue #11: callers who differ, wrong numbers, wrap-up by call ending.

- **Callers differ**: with the spreads at 0 every caller is the profile (multipliers exactly
  1) and the shipped mixed scenario's tables are those of a model that draws no traits; with
  a speed spread the between-caller variance of monthly calls matches the configured spread
  within sampling error, and the mean over callers stays within its interval of the
  profile's mean.
- **A wrong number stays wrong**: with ``retry.invalid_delay_min: null`` no company whose
  number was invalid is dialled again (call log), and it closes with status ``invalid``.
- **Wrap-up by how the call ended**: constant durations give the exact count of attempts, and
  the minutes identity holds.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import sim.model.build as build_module
from sim import load_scenario
from sim.analysis.callers import caller_months, caller_spread
from sim.model.build import caller_traits
from sim.records.replication import simulate_replication
from sim.records.tables import ReplicationTables
from sim.scenario import Scenario
from tests.builders import build, constant_scenario

TIME_COLUMNS = ["talk_min", "dial_min", "wrap_min", "break_min", "idle_min"]


def run(scenario: Scenario, seed: int = 1, replication: int = 0) -> ReplicationTables:
    tables = simulate_replication(scenario, seed, replication, call_log=True)
    assert tables.calls is not None
    return tables


def assert_time_adds_up(days: pd.DataFrame) -> None:
    """Every operator-day: talk + dial + wrap + break + idle = shift + overrun."""
    total = days[TIME_COLUMNS].sum(axis=1)
    assert np.allclose(total, days["shift_min"] + days["overrun_min"], rtol=0, atol=1e-9)


# --- callers differ ---------------------------------------------------------------------------


def no_need_team(callers: int, **profile: Any) -> dict[str, Any]:
    """Every attempt is a 2.5-minute DM conversation without need (0.5 dial + 2 talk), all of
    it the caller's own time (no ring time), on a default 400-minute day for 5 days."""
    return constant_scenario(
        profile=profile,
        callers=callers,
        horizon_days=5,
        shift={"length_min": 480.0, "break_every_min": 60.0, "break_length_min": 10.0},
        segments={"seg": {"companies": 200_000}},
    )


def test_zero_spread_gives_every_caller_the_profile_exactly() -> None:
    profile = build(no_need_team(1)).profiles["caller"]
    for k in range(50):
        traits = caller_traits(profile, 7, 3, "caller", k)
        assert traits.speed == 1.0
        assert traits.skill == 1.0


def test_zero_spread_on_the_presets_is_the_model_without_personal_traits(monkeypatch) -> None:
    """The off-switch, on the shipped mixed scenario: with both spreads at 0 the tables are
    those of a model that draws no traits and personalises nothing (``caller_traits``
    replaced by the profile itself), call by call."""
    path = Path(__file__).resolve().parent.parent / "scenarios" / "students-vs-experienced.yaml"
    off = ["horizon_days=2"] + [
        f"profiles.{p}.{spread}=0"
        for p in ("student", "experienced")
        for spread in ("speed_spread", "skill_spread")
    ]
    scenario = load_scenario(path, off)
    with_switch = run(scenario, seed=3)
    # The spreads are not idle: the presets' own spreads move the same run.
    spread = run(load_scenario(path, ["horizon_days=2"]), seed=3)
    assert not spread.operator_days["dials"].equals(with_switch.operator_days["dials"])
    monkeypatch.setattr(
        build_module, "caller_traits", lambda *args: build_module.CallerTraits(1.0, 1.0)
    )
    without = run(scenario, seed=3)
    pd.testing.assert_frame_equal(with_switch.operator_days, without.operator_days)
    pd.testing.assert_frame_equal(with_switch.calls, without.calls)
    pd.testing.assert_frame_equal(with_switch.leads, without.leads)


def test_a_spread_on_one_trait_leaves_the_other_and_every_other_stream_alone() -> None:
    """Speed and skill have their own normals: a speed spread moves no skill, and the calls
    of a team without spreads are what they were (the company and duration streams)."""
    scenario = build(no_need_team(3, skill_spread=0.3))
    off = run(build(no_need_team(3)))
    skilled = run(scenario)
    # Every attempt is a no-need conversation: skill moves no outcome here, so the tables match.
    pd.testing.assert_frame_equal(off.operator_days, skilled.operator_days)
    profile = scenario.profiles["caller"]
    with_speed = profile.model_copy(update={"speed_spread": 0.2})
    for k in range(10):
        assert (
            caller_traits(profile, 1, 0, "caller", k).skill
            == caller_traits(with_speed, 1, 0, "caller", k).skill
        )


def test_between_caller_variance_of_monthly_calls_matches_the_configured_speed_spread() -> None:
    spread, callers = 0.25, 80
    base = run(build(no_need_team(1)))
    profile_calls = base.operator_days["calls_excl_busy_no_answer"].sum()
    tables = run(build(no_need_team(callers, speed_spread=spread)))
    monthly = tables.operator_days.groupby("operator", observed=True)[
        "calls_excl_busy_no_answer"
    ].sum()
    assert len(monthly) == callers
    # Every minute of an attempt is the caller's own, so calls are proportional to speed and
    # log(calls) has the configured log-sd: (n - 1) s² / σ² is chi-square with n - 1 df.
    log_var = float(np.var(np.log(monthly.to_numpy(dtype=float)), ddof=1))
    low, high = stats.chi2.ppf([0.005, 0.995], callers - 1) / (callers - 1)
    assert low * spread**2 <= log_var <= high * spread**2
    # The speed multiplier has mean 1: the mean over callers is the profile's within its CI.
    values = monthly.to_numpy(dtype=float) / profile_calls
    half = stats.t.ppf(0.995, callers - 1) * values.std(ddof=1) / math.sqrt(callers)
    assert abs(values.mean() - 1.0) <= half
    assert_time_adds_up(tables.operator_days)


def test_skill_spread_multiplies_each_callers_three_skills() -> None:
    scenario = build(no_need_team(200, skill_spread=0.4))
    profile = scenario.profiles["caller"]
    skills = np.array([caller_traits(profile, 5, 0, "caller", k).skill for k in range(200)])
    assert skills.std() > 0
    log_sd = float(np.log(skills).std(ddof=1))
    low, high = np.sqrt(stats.chi2.ppf([0.005, 0.995], 199) / 199) * 0.4
    assert low <= log_sd <= high
    # A caller with twice the skill discovers needs twice as often (before clamping).
    team = no_need_team(100, skill_spread=0.4)
    team["horizon_days"] = 2
    team["segments"]["seg"]["needs"].update({"immediate_prob": 0.1, "refusal_prob": 0.0})
    tables = run(build(team), seed=5)
    per_caller = tables.operator_days.groupby("operator", observed=True)["needs"].sum()
    rho = stats.spearmanr(skills[:100], per_caller.to_numpy()).statistic
    assert rho > 0.3


def test_caller_months_and_spread_report_each_callers_month_and_quota_attainment() -> None:
    data = no_need_team(10, speed_spread=0.3)
    data["profiles"]["caller"]["quota"] = [{"counts": "calls_excl_busy_no_answer", "target": 160}]
    scenario = build(data)
    tables = [run(scenario, replication=r) for r in range(2)]
    days = pd.concat(
        [t.operator_days.assign(replication=r) for r, t in enumerate(tables)], ignore_index=True
    )
    months = caller_months(days)
    assert len(months) == 20  # 10 callers x 2 replications
    assert months["days"].eq(5).all()
    first = days[(days["replication"] == 0) & (days["operator"] == months["operator"].iloc[0])]
    assert months["calls_excl_busy_no_answer"].iloc[0] == first["calls_excl_busy_no_answer"].sum()
    assert months["quota_met_share"].iloc[0] == first["quota_met"].mean()
    spread = caller_spread(days, "calls_excl_busy_no_answer", attained_share=0.8)
    row = spread.set_index("profile").loc["caller"]
    assert row["callers"] == 10
    assert row["cv"] > 0.1  # the speed spread shows between callers
    attained = months.groupby("replication")["quota_met_share"].apply(lambda s: (s >= 0.8).mean())
    assert row["callers_attaining"] == pytest.approx(attained.mean())


# --- a wrong number stays wrong ---------------------------------------------------------------


def wrong_numbers(delay: float | None) -> Scenario:
    return build(
        constant_scenario(
            segment={
                "companies": 300,
                "line": {"invalid_prob": 0.3, "no_answer_prob": 0.5, "ring_time_invalid": 0.2},
            },
            retry={"invalid_delay_min": delay, "no_answer_delay_min": 1.0},
            horizon_days=3,
        )
    )


def test_an_invalid_number_is_never_dialled_again_and_closes_as_invalid() -> None:
    tables = run(wrong_numbers(None))
    calls = tables.calls
    assert calls is not None
    first_invalid = (
        calls[calls["outcome"] == "invalid"].groupby("company", observed=True)["attempt"].min()
    )
    assert len(first_invalid) > 20
    later = calls.merge(first_invalid.rename("invalid_at"), on="company")
    assert (later["attempt"] <= later["invalid_at"]).all()
    leads = tables.leads.set_index("company")
    assert (leads.loc[first_invalid.index, "status"] == "invalid").all()
    assert (leads["status"] == "invalid").sum() == len(first_invalid)


def test_with_a_retry_delay_invalid_numbers_are_dialled_again() -> None:
    calls = run(wrong_numbers(1.0)).calls
    assert calls is not None
    first_invalid = (
        calls[calls["outcome"] == "invalid"].groupby("company", observed=True)["attempt"].min()
    )
    later = calls.merge(first_invalid.rename("invalid_at"), on="company")
    assert (later["attempt"] > later["invalid_at"]).any()


# --- wrap-up by how the call ended ------------------------------------------------------------

GATEKEEPER_REFUSES = {"gatekeeper": {"present_prob": 1.0, "pass_prob": 0.0, "talk_time": 1.0}}


def test_a_gatekeeper_refusal_takes_the_short_form_exact_count() -> None:
    """0.5 dial + 1.0 gatekeeper + 1.0 wrap-up = 2.5 min: exactly 24 attempts in 60 minutes."""
    profile = {"wrap_up_time_conversation": 5.0, "wrap_up_time_no_dm": 1.0}
    tables = run(build(constant_scenario(segment=GATEKEEPER_REFUSES, profile=profile)))
    calls, day = tables.calls, tables.operator_days.iloc[0]
    assert calls is not None
    assert len(calls) == 24
    assert (calls["outcome"] == "gatekeeper_refusal").all()
    assert (calls["wrap_min"] == 1.0).all()
    assert day["wrap_min"] == 24.0
    assert day["overrun_min"] == 0.0
    assert_time_adds_up(tables.operator_days)


def test_without_the_short_form_a_refusal_takes_the_conversation_form() -> None:
    """0.5 + 1.0 + 5.0 = 6.5 min: 10 attempts, the last overrunning by 5 minutes."""
    profile = {"wrap_up_time_conversation": 5.0}
    tables = run(build(constant_scenario(segment=GATEKEEPER_REFUSES, profile=profile)))
    calls, day = tables.calls, tables.operator_days.iloc[0]
    assert calls is not None
    assert len(calls) == 10
    assert day["overrun_min"] == pytest.approx(5.0)
    assert_time_adds_up(tables.operator_days)


def test_dm_conversations_keep_the_conversation_form_and_silent_lines_the_short_one() -> None:
    """Alternating outcomes: DM conversations (2 min no-need talk) take the 5-minute form, the
    gatekeeper-only calls the 1-minute form, unanswered dials ``wrap_up_time``."""
    segment = {
        "line": {"no_answer_prob": 0.3, "ring_time_no_answer": 0.5},
        "gatekeeper": {"present_prob": 0.5, "pass_prob": 0.0, "talk_time": 1.0},
    }
    profile = {"wrap_up_time": 0.25, "wrap_up_time_conversation": 5.0, "wrap_up_time_no_dm": 1.0}
    scenario = build(constant_scenario(segment=segment, profile=profile, horizon_days=3))
    tables = run(scenario)
    calls = tables.calls
    assert calls is not None
    expected = {"no_need": 5.0, "gatekeeper_refusal": 1.0, "no_answer": 0.25}
    assert set(calls["outcome"].astype(str)) == set(expected)
    for outcome, wrap in expected.items():
        assert (calls.loc[calls["outcome"] == outcome, "wrap_min"] == wrap).all()
    assert tables.operator_days["wrap_min"].sum() == pytest.approx(calls["wrap_min"].sum())
    assert_time_adds_up(tables.operator_days)
