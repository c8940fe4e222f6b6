"""Box-tickers (issue #13): under a count-only quota a caller behind plan pads the count.

- Strength 0, or a quota with a quality part, changes no table (the people columns aside).
- Strength > 0 raises the easiest segment's share of dials, with a paired 95 % interval
  above 0 over replications (common random numbers).
- Behind plan, conversations are shorter; the drift costs meetings per rouble when the hard
  segment is where the needs are, so a quality-weighted quota books more for the same pay.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from sim.analysis.stats import paired_interval
from sim.records.replication import simulate_replication
from sim.records.tables import ReplicationTables
from sim.scenario import Scenario
from tests.builders import build, constant_scenario, constant_segment

COUNT_QUOTA = [{"counts": "calls_excl_busy_no_answer", "target": 1000}]
QUALITY_QUOTA = [*COUNT_QUOTA, {"counts": "dm_contacts", "target": 5}]


def team(strength: float | None, quota: list[dict[str, Any]] = COUNT_QUOTA) -> Scenario:
    """Callers split between a hard segment (30 % answered, needs) and an easy one (90 %)."""
    profile: dict[str, Any] = {"quota": quota}
    if strength is not None:
        profile["box_ticking"] = {"strength": strength}
    data = constant_scenario(
        profile=profile, callers=4, horizon_days=5, shift={"length_min": 120.0}
    )
    data["segments"] = {
        "hard": constant_segment(
            line={"busy_prob": 0.4, "no_answer_prob": 0.3, "ring_time_busy": 0.5},
            needs={"immediate_prob": 0.3},
        ),
        "easy": constant_segment(line={"busy_prob": 0.1, "ring_time_busy": 0.5}),
    }
    return build(data)


def run(scenario: Scenario, replication: int = 0) -> ReplicationTables:
    return simulate_replication(scenario, 1, replication)


def easy_share(tables: ReplicationTables, days: slice = slice(None)) -> float:
    seg = tables.segment_days
    seg = seg[seg["day"].isin(range(5)[days])]
    dials = seg.groupby("segment", observed=True)["dials"].sum()
    return float(dials["easy"] / dials.sum())


@pytest.mark.parametrize(
    ("strength", "quota"),
    [(0.0, COUNT_QUOTA), (0.8, QUALITY_QUOTA)],
    ids=["strength-0", "quality-quota"],
)
def test_no_drift_changes_nothing(strength: float, quota: list[dict[str, Any]]) -> None:
    off, on = run(team(None, quota)), run(team(strength, quota))
    pd.testing.assert_frame_equal(off.operator_days, on.operator_days.drop(columns="tenure_day"))
    pd.testing.assert_frame_equal(off.segment_days, on.segment_days)
    pd.testing.assert_frame_equal(off.leads, on.leads)


def test_strength_raises_the_easy_segments_share_of_dials() -> None:
    reps = range(5)
    base = np.array([easy_share(run(team(0.0), r)) for r in reps])
    drift = np.array([easy_share(run(team(0.6), r)) for r in reps])
    ci = paired_interval(base, drift)
    assert ci.low > 0.0, ci
    # Day 0 follows no missed day: no drift yet.
    assert easy_share(run(team(0.6)), slice(0, 1)) == easy_share(run(team(0.0)), slice(0, 1))


def test_behind_plan_talks_are_shorter_and_meetings_per_rouble_fall() -> None:
    drift, quality = run(team(1.0)), run(team(1.0, QUALITY_QUOTA))
    talk = drift.operator_days["talk_min"] / drift.operator_days["dm_contacts"]
    days = drift.operator_days.assign(talk_per_contact=talk)
    by_day = days.groupby("day")["talk_per_contact"].mean()
    assert by_day[1:].max() < by_day[0]

    def meetings_per_rouble(tables: ReplicationTables) -> float:
        days = tables.operator_days
        return float(days["meetings"].sum() / days["cost"].sum())

    assert meetings_per_rouble(drift) < meetings_per_rouble(quality)
