"""The shipped scenarios and presets reproduce the practitioners' figures (forum targets T1-T6).

Bands are wide enough for a few short replications and tight enough to catch a preset that
drifts away from the thread's figures; ``docs/validation.md`` has the full table.
"""

from pathlib import Path

import pytest

import sim

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
SHORT = ["horizon_days=5"]


def mean(results: sim.Results, metric: str, profile: str) -> float:
    return results.confidence_interval(metric, profile=profile).mean


@pytest.fixture(scope="module")
def mixed() -> sim.Results:
    scenario = sim.load_scenario(SCENARIOS / "students-vs-experienced.yaml", SHORT)
    return sim.run(scenario, replications=3, seed=7)


@pytest.fixture(scope="module")
def call_centre() -> sim.Results:
    scenario = sim.load_scenario(SCENARIOS / "call-centre-120-12.yaml", SHORT)
    return sim.run(scenario, replications=3, seed=7)


def single_segment(profile: str, segment: str) -> sim.Results:
    scenario = sim.scenario_from_mapping(
        {
            "name": f"{profile}-{segment}",
            "horizon_days": 5,
            "segments": {segment: {"companies": 20000}},
            "team": [{"profile": profile, "count": 4}],
        }
    )
    return sim.run(scenario, replications=3, seed=7)


def test_t1_an_eight_hour_day_leaves_about_400_working_minutes(mixed: sim.Results) -> None:
    days = mixed.operator_days
    working = (
        days["dial_min"]
        + days["talk_min"]
        + days["wrap_min"]
        + days["idle_min"]
        - days["overrun_min"]
    ).mean()
    assert working == pytest.approx(400, abs=6)


def test_t2_trained_callers_make_about_80_calls_and_students_fewer(mixed: sim.Results) -> None:
    experienced = mean(mixed, "calls_excl_busy_no_answer", "experienced")
    students = mean(mixed, "calls_excl_busy_no_answer", "student")
    assert 70 <= experienced <= 95
    assert 50 <= students < experienced


def test_t3_needs_are_two_and_a_half_to_five_percent_of_calls(
    mixed: sim.Results, call_centre: sim.Results
) -> None:
    assert 2.5 <= mean(mixed, "needs_per_100_calls", "experienced") <= 5.0
    assert 2.5 <= mean(call_centre, "needs_per_100_calls", "operator") <= 5.0


def test_t4_fast_dialling_gives_130_to_170_dials_and_under_3_hours_on_air(
    call_centre: sim.Results,
) -> None:
    assert 130 <= mean(call_centre, "dials", "operator") <= 170
    assert mean(call_centre, "talk_min", "operator") < 180


def test_t5_the_120_calls_and_12_needs_mandate_is_practically_never_met(
    call_centre: sim.Results,
) -> None:
    assert mean(call_centre, "quota_met", "operator") < 0.02


@pytest.mark.parametrize(("segment", "low", "high"), [("medium", 25, 36), ("large", 8, 13)])
def test_t6_experienced_reach_about_30_dms_a_day_on_medium_and_10_on_large(
    segment: str, low: float, high: float
) -> None:
    assert low <= mean(single_segment("experienced", segment), "dm_contacts", "experienced") <= high


def test_t6_students_cannot_reach_60_dms_a_day_on_large_enterprises() -> None:
    scenario = sim.load_scenario(SCENARIOS / "students-large-enterprises.yaml", SHORT)
    results = sim.run(scenario, replications=3, seed=7)
    assert mean(results, "dm_contacts", "student") <= 10
    assert mean(results, "quota_met", "student") == 0.0


def test_small_firms_are_much_easier_than_large_enterprises_for_students() -> None:
    small = mean(single_segment("student", "small"), "dm_contacts", "student")
    large = mean(single_segment("student", "large"), "dm_contacts", "student")
    assert small > 5 * large
