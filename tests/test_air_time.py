"""The air-time mandate (issue #13): a manager's rule stretches talk; does it sell more?

- A rule that never binds changes no table (off-switch: no rule is the golden scenarios).
- With no true effect of length (the default), "no sales talk under 15 minutes" or "3 hours
  on air" raises air time (paired 95 % interval above 0, common random numbers) but not
  meetings (the paired interval covers 0).
- With a true effect of length, the same rule raises meetings.
- The floor and the pace stretch act on DM conversations only, as the call log shows.
- A meeting the rule books is held by the sellers like any other (issue #12's sales block).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml

from sim.analysis.stats import paired_interval
from sim.model.air_time import AirTime
from sim.model.outcomes import Outcome
from sim.records.replication import simulate_replication
from sim.scenario import Scenario
from sim.scenario.io import scenario_from_mapping
from sim.scenario.people import AirTimeRule
from tests.builders import build, constant_scenario

ROOT = Path(__file__).resolve().parent.parent
REPLICATIONS = range(6)


def team(rule: dict[str, Any] | None, **segment: Any) -> Scenario:
    """Three callers work out a list of 150 companies in five 4-hour days."""
    profile = {} if rule is None else {"air_time": rule}
    needs = {
        "immediate_prob": 0.15,
        "long_term_prob": 0.1,
        "refusal_prob": 0.3,
        "meeting_booking_prob": 0.5,
        "talk_time_immediate": {"kind": "lognormal", "mean_min": 6.0, "sd_min": 3.0},
        "talk_time_no_need": {"kind": "lognormal", "mean_min": 3.0, "sd_min": 1.5},
        "talk_time_refusal": {"kind": "lognormal", "mean_min": 1.5, "sd_min": 1.0},
    }
    data = constant_scenario(
        profile=profile,
        callers=3,
        horizon_days=5,
        shift={"length_min": 240.0},
        segment={
            "companies": 150,
            "line": {"busy_prob": 0.3, "ring_time_busy": 0.5},
            "needs": needs,
            **segment,
        },
    )
    return build(data)


def totals(scenario: Scenario) -> tuple[np.ndarray, np.ndarray]:
    """Talk minutes and meetings per replication."""
    rows = [simulate_replication(scenario, 1, r).operator_days for r in REPLICATIONS]
    talk = np.array([float(d["talk_min"].sum()) for d in rows])
    meetings = np.array([float(d["meetings"].sum()) for d in rows])
    return talk, meetings


def test_a_rule_that_never_binds_changes_nothing() -> None:
    data = constant_scenario(callers=2, horizon_days=2)
    off = simulate_replication(build(data), 1, 0)
    data["profiles"]["caller"]["air_time"] = {"min_talk_min": 0.5}  # every DM talk is longer
    on = simulate_replication(build(data), 1, 0)
    pd.testing.assert_frame_equal(off.operator_days, on.operator_days)
    pd.testing.assert_frame_equal(off.segment_days, on.segment_days)
    pd.testing.assert_frame_equal(off.leads, on.leads)


@pytest.mark.parametrize(
    "rule", [{"min_talk_min": 15.0}, {"min_air_hours_per_day": 3.0}], ids=["floor", "hours"]
)
def test_without_a_true_effect_the_rule_raises_air_time_not_meetings(
    rule: dict[str, Any],
) -> None:
    base_talk, base_meetings = totals(team(None))
    talk, meetings = totals(team(rule))
    assert paired_interval(base_talk, talk).low > 0.0
    ci = paired_interval(base_meetings, meetings)
    assert ci.low <= 0.0 <= ci.high, ci


def test_with_a_true_effect_the_rule_raises_meetings() -> None:
    _, base_meetings = totals(team(None))
    _, meetings = totals(team({"min_talk_min": 15.0, "length_effect_per_min": 0.03}))
    assert paired_interval(base_meetings, meetings).low > 0.0


def test_the_floor_stretches_dm_conversations_only() -> None:
    data = constant_scenario(
        profile={"air_time": {"min_talk_min": 4.0}},
        segment={"decision_maker": {"available_prob": 0.5}, "needs": {"refusal_prob": 1.0}},
    )
    tables = simulate_replication(build(data), 1, 0, call_log=True)
    calls = tables.calls
    assert calls is not None
    dm = calls["outcome"] == Outcome.DM_REFUSAL.label
    unavailable = calls["outcome"] == Outcome.DM_UNAVAILABLE.label
    assert dm.any() and unavailable.any()
    assert (calls.loc[dm, "talk_min"] == 4.0).all()  # 1 minute of refusal, floored at 4
    assert (calls.loc[unavailable, "talk_min"] == 0.5).all()  # no DM conversation


def test_behind_the_pace_a_conversation_is_stretched() -> None:
    rule = AirTimeRule(min_air_hours_per_day=1.0, stretch_when_behind=2.0)
    air = AirTime(rule, 120.0, None, 0)  # type: ignore[arg-type]  # no effect: no draws
    refusal = int(Outcome.DM_REFUSAL)
    # 60 minutes in, 30 minutes of air due and none done: behind, stretched to 100; then at
    # 100 minutes, 50 due and 100 done: not behind.
    assert air.talk(None, 0, refusal, 50.0, 0, 60.0) == (refusal, 100.0)  # type: ignore[arg-type]
    assert air.talk(None, 0, refusal, 5.0, 0, 100.0) == (refusal, 5.0)  # type: ignore[arg-type]
    # A new day starts from no air time: behind at once.
    assert air.talk(None, 0, refusal, 5.0, 1, 10.0) == (refusal, 10.0)  # type: ignore[arg-type]
    # Only DM conversations stretch.
    unavailable = int(Outcome.DM_UNAVAILABLE)
    assert air.talk(None, 0, unavailable, 1.0, 2, 60.0) == (unavailable, 1.0)  # type: ignore[arg-type]


def test_a_meeting_the_rule_books_goes_to_the_sellers() -> None:
    data = yaml.safe_load((ROOT / "scenarios" / "forum" / "pay-schemes.yaml").read_text())
    data["horizon_days"] = 3
    data["profiles"]["student"]["air_time"] = {"min_talk_min": 10, "length_effect_per_min": 0.05}
    off = simulate_replication(scenario_from_mapping({**data, "profiles": {}}), 1, 0)
    tables = simulate_replication(scenario_from_mapping(data), 1, 0)
    assert tables.meetings is not None
    booked = int(tables.operator_days["meetings"].sum())
    assert booked > int(off.operator_days["meetings"].sum())
    assert len(tables.meetings) == booked
