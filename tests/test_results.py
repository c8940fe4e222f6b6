"""Results summaries: ratios of totals; quota rows only where they mean something."""

import numpy as np
import pytest

import sim
from tests.builders import build, constant_scenario


@pytest.fixture(scope="module")
def two_profile_results() -> sim.Results:
    data = constant_scenario(
        segment={
            "line": {"no_answer_prob": 0.5},
            "needs": {"immediate_prob": 0.2, "meeting_booking_prob": 0.5},
        },
        horizon_days=2,
    )
    data["profiles"]["closer"] = dict(
        data["profiles"]["caller"], quota=[{"counts": "meetings", "target": 1}]
    )
    data["profiles"]["caller"]["quota"] = [{"counts": "dials", "target": 50}]
    data["team"].append({"profile": "closer", "count": 2})
    return sim.run(build(data), replications=6, seed=3)


def test_ratio_metric_mean_is_the_ratio_of_totals(two_profile_results: sim.Results) -> None:
    days = two_profile_results.operator_days
    ci = two_profile_results.confidence_interval("cost_per_meeting")
    assert ci.mean == pytest.approx(days["cost"].sum() / days["meetings"].sum())
    assert ci.low < ci.mean < ci.high


def test_team_quota_met_is_the_share_of_days_meeting_their_own_quota(
    two_profile_results: sim.Results,
) -> None:
    # The one rule (sim.analysis.estimator): each operator-day against its own profile's quota.
    days = two_profile_results.operator_days
    summary = two_profile_results.summary().set_index(["metric", "profile"])
    per_replication = days.groupby("replication")["quota_met"].mean()
    assert summary.at[("quota_met", "all"), "mean"] == pytest.approx(per_replication.mean())
    assert 0.0 <= summary.at[("quota_met", "caller"), "mean"] <= 1.0


def test_team_quota_units_are_empty_when_profiles_count_different_units(
    two_profile_results: sim.Results,
) -> None:
    summary = two_profile_results.summary().set_index(["metric", "profile"])
    assert np.isnan(summary.at[("quota_units", "all"), "mean"])
    assert summary.at[("quota_units", "closer"), "mean"] == pytest.approx(
        summary.at[("meetings", "closer"), "mean"]
    )


def test_compare_and_the_run_summary_give_the_same_team_quota_figures() -> None:
    # One estimator everywhere: the run summary, compare observations and the precision
    # tracker agree, including the team rows under mixed quotas.
    data = constant_scenario(
        segment={"line": {"no_answer_prob": 0.5}, "needs": {"immediate_prob": 0.2}}, horizon_days=2
    )
    data["profiles"]["closer"] = dict(
        data["profiles"]["caller"], quota=[{"counts": "meetings", "target": 1}]
    )
    data["profiles"]["caller"]["quota"] = [{"counts": "dials", "target": 50}]
    data["team"].append({"profile": "closer", "count": 1})
    scenario = build(data)
    other = build({**data, "name": "other"})
    comparison = sim.compare([scenario, other], replications=4, seed=2)
    run = comparison.results[comparison.labels[0]]
    table = comparison.to_frame().set_index(["label", "metric", "profile"])
    summary = run.summary().set_index(["metric", "profile"])
    label = comparison.labels[0]
    for metric in ("quota_met", "dials", "cost_per_meeting"):
        assert table.at[(label, metric, "all"), "mean"] == pytest.approx(
            summary.at[(metric, "all"), "mean"]
        )
    assert ("quota_units", "all") not in table.reset_index(level=0).index or np.isnan(
        table.at[(label, "quota_units", "all"), "mean"]
    )
