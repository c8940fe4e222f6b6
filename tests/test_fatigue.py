"""Fatigue within the day (issue #13): pace and quality decline over the shift, breaks restore.

- Off-switch: no loss per hour gives the tables of a caller who never tires.
- Pace: with constant durations every attempt takes exactly the rested time divided by the
  fatigue level at its start (breaks at their due times restoring part of the loss).
- Quality: late in the shift a tired caller discovers fewer needs per DM conversation.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from sim.records.replication import simulate_replication
from sim.records.tables import ReplicationTables
from sim.scenario import Scenario
from sim.scenario.people import Fatigue
from tests.builders import build, constant_scenario

BREAKS = {"length_min": 480.0, "break_every_min": 120.0, "break_length_min": 15.0}


def tiring(fatigue: dict[str, Any] | None, shift: dict[str, Any], **segment: Any) -> Scenario:
    """2.5-minute DM conversations (0.5 dial + 2 talk, all the caller's own time)."""
    return build(
        constant_scenario(
            segment=segment,
            profile={} if fatigue is None else {"fatigue": fatigue},
            callers=2,
            horizon_days=2,
            shift=shift,
            segments={"seg": {"companies": 200_000}},
        )
    )


def run(scenario: Scenario) -> ReplicationTables:
    tables = simulate_replication(scenario, 1, 0, call_log=True)
    assert tables.calls is not None
    return tables


def test_no_loss_changes_nothing() -> None:
    off = run(tiring(None, BREAKS))
    on = run(tiring({"loss_per_hour": 0.0}, BREAKS))
    pd.testing.assert_frame_equal(off.operator_days, on.operator_days.drop(columns="tenure_day"))
    for name in ("segment_days", "leads", "calls"):
        pd.testing.assert_frame_equal(getattr(off, name), getattr(on, name))


def test_each_attempt_takes_the_rested_time_over_the_fatigue_level() -> None:
    spec = {"loss_per_hour": 0.1, "break_recovery": 0.6, "floor": 0.3, "quality": False}
    scenario = tiring(spec, BREAKS)
    calls = run(scenario).calls
    assert calls is not None
    fatigue = Fatigue.model_validate(spec)
    due = scenario.shift.break_due_times_min()
    level = np.array([fatigue.level(m, due, 15.0) for m in calls["start_min"]])
    took = (calls["dial_min"] + calls["talk_min"] + calls["wrap_min"]).to_numpy()
    assert np.allclose(took, 2.5 / level, rtol=1e-12)
    assert level.min() < 0.8
    # A break restores: the first attempt after each break is faster than the last before it.
    day0 = calls[calls["day"] == 0]
    for b in due[:2]:
        before = took[day0.index[day0["start_min"] < b][-1]]
        after = took[day0.index[day0["start_min"] > b + 15.0][0]]
        assert after < before


def test_a_tired_caller_discovers_fewer_needs_late_in_the_shift() -> None:
    spec = {"loss_per_hour": 0.15, "break_recovery": 0.0, "floor": 0.2, "pace": False}
    segment = {"needs": {"immediate_prob": 0.4}}
    shift = {"length_min": 480.0}
    tired = run(tiring(spec, shift, **segment)).calls
    rested = run(tiring(None, shift, **segment)).calls
    assert tired is not None and rested is not None

    def need_share(calls: pd.DataFrame, late: bool) -> float:
        part = calls[(calls["start_min"] >= 360) == late]
        return float(part["outcome"].astype(str).isin(["meeting", "hot lead"]).mean())

    assert need_share(tired, late=True) < 0.6 * need_share(rested, late=True)
    assert need_share(tired, late=False) > need_share(tired, late=True)
