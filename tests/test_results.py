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


def test_quota_rows_for_all_callers_are_empty_when_profiles_count_different_things(
    two_profile_results: sim.Results,
) -> None:
    summary = two_profile_results.summary().set_index(["metric", "profile"])
    assert np.isnan(summary.at[("quota_met", "all"), "mean"])
    assert np.isnan(summary.at[("quota_units", "all"), "mean"])
    assert 0.0 <= summary.at[("quota_met", "caller"), "mean"] <= 1.0
    assert summary.at[("quota_units", "closer"), "mean"] == pytest.approx(
        summary.at[("meetings", "closer"), "mean"]
    )
