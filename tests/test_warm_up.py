"""``warm_up_days``: simulated before the horizon, left out of every figure (issue 10).

A list already being worked has callbacks and cool-offs under way. Warming up for W days and
measuring H must give exactly days W..W+H-1 of a run over W+H days, renumbered from 0.
"""

from __future__ import annotations

import pandas as pd
import pytest

import sim
from tests.builders import build, constant_scenario


def _scenario(warm_up: int, horizon: int) -> sim.Scenario:
    data = constant_scenario(horizon_days=horizon)
    data["warm_up_days"] = warm_up
    data["profiles"] = {"student": {}}
    data["team"] = [{"profile": "student", "count": 2}]
    return build(data)


@pytest.fixture(scope="module")
def runs() -> tuple[sim.Results, sim.Results]:
    warmed = sim.run(_scenario(3, 4), replications=2, seed=4, call_log=True)
    whole = sim.run(_scenario(0, 7), replications=2, seed=4, call_log=True)
    return warmed, whole


def test_warm_up_days_are_the_first_days_of_a_longer_run_left_out(runs) -> None:
    warmed, whole = runs
    later = whole.operator_days[whole.operator_days["day"] >= 3].copy()
    later["day"] -= 3
    pd.testing.assert_frame_equal(
        warmed.operator_days.reset_index(drop=True), later.reset_index(drop=True)
    )
    segs = whole.segment_days[whole.segment_days["day"] >= 3].copy()
    segs["day"] -= 3
    pd.testing.assert_frame_equal(
        warmed.segment_days.reset_index(drop=True), segs.reset_index(drop=True)
    )


def test_the_call_log_covers_the_horizon_only(runs) -> None:
    warmed, whole = runs
    calls = warmed.calls
    assert calls is not None and calls["day"].min() == 0
    assert len(calls) == warmed.operator_days["dials"].sum()
    assert len(whole.calls) == whole.operator_days["dials"].sum()


def test_lead_days_count_from_the_horizon_with_warm_up_days_negative(runs) -> None:
    warmed, whole = runs
    first_w = warmed.leads["first_attempt_day"].astype("Float64")
    first_0 = whole.leads["first_attempt_day"].astype("Float64")
    pd.testing.assert_series_equal(first_w, first_0 - 3, check_names=False)
    assert (first_w < 0).any()  # companies first called during the warm-up
    assert (
        warmed.all_leads()["first_attempt_day"].isna().sum()
        == whole.all_leads()["first_attempt_day"].isna().sum()
    )
