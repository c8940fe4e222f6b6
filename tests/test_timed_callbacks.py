"""Callbacks set for a time of day (issue #13): "call back Tuesday at 10".

With constant durations the call log shows exactly when each callback is made; without
``retry.callback_at`` nothing changes.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from sim.records.replication import simulate_replication
from sim.scenario import Scenario
from tests.builders import build, constant_scenario


def scenario(callback_at: dict[str, Any] | None, warm_up_days: int = 0) -> Scenario:
    """One caller, one company whose DM is never available; three attempts in all."""
    retry: dict[str, Any] = {"max_attempts": 3, "dm_unavailable_delay_min": 10.0}
    if callback_at is not None:
        retry["callback_at"] = callback_at
    data = constant_scenario(
        segment={"companies": 1, "decision_maker": {"available_prob": 0.0}},
        horizon_days=10,
        warm_up_days=warm_up_days,
        retry=retry,
    )
    return build(data)


def attempts(scn: Scenario) -> list[tuple[int, float]]:
    calls = simulate_replication(scn, 1, 0, call_log=True).calls
    assert calls is not None
    assert (calls["outcome"] == "dm_unavailable").all()
    return [(int(d), float(m)) for d, m in zip(calls["day"], calls["start_min"], strict=True)]


def test_a_weekday_callback_waits_for_that_day_at_that_hour() -> None:
    # The first attempt (day 0, Monday) ends at minute 1.0 (0.5 dial + 0.5 talk): called back
    # Tuesday (day 1) half an hour into the shift, then the next Tuesday (day 6).
    timed = {"dm_unavailable": {"hour": 0.5, "weekday": 1}}
    assert attempts(scenario(timed)) == [(0, 0.0), (1, 30.0), (6, 30.0)]


def test_weekdays_count_from_the_horizons_first_day() -> None:
    # Two warm-up days: the first attempt falls on a warm-up day (not in the tables), the
    # callbacks on the horizon's Tuesdays, its days 1 and 6.
    timed = {"dm_unavailable": {"hour": 0.5, "weekday": 1}}
    assert attempts(scenario(timed, warm_up_days=2)) == [(1, 30.0), (6, 30.0)]


def test_without_a_weekday_the_first_time_at_that_hour() -> None:
    # Ending at minute 1.0 of day 0: minute 30 of the same day is still ahead.
    assert attempts(scenario({"dm_unavailable": {"hour": 0.5}})) == [
        (0, 0.0),
        (0, 30.0),
        (1, 30.0),
    ]


def test_without_timed_callbacks_the_delay_applies() -> None:
    assert attempts(scenario(None)) == [(0, 0.0), (0, 11.0), (0, 22.0)]


def test_an_empty_callback_at_changes_nothing() -> None:
    off = simulate_replication(build(constant_scenario(callers=2, horizon_days=2)), 1, 0)
    data = constant_scenario(callers=2, horizon_days=2, retry={"callback_at": {}})
    on = simulate_replication(build(data), 1, 0)
    pd.testing.assert_frame_equal(off.operator_days, on.operator_days)
    pd.testing.assert_frame_equal(off.leads, on.leads)


def test_only_retry_outcomes_take_a_time() -> None:
    with pytest.raises(ValueError, match="callback_at"):
        scenario({"meeting": {"hour": 1.0}})
