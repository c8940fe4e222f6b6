"""Issue #12, the forum's alternative: experienced callers hold the meetings they book.

Their meetings take minutes off the end of their calling day, so their dials per day fall by
the meeting minutes over the minutes one dial takes (the cycle time); they close with their
group's ``close_prob x skill``; and the rest of the team keeps its sellers.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from sim.records.replication import simulate_replication
from tests.builders import build, deep_update

SENIORS: dict[str, Any] = {
    "name": "seniors-meet",
    "horizon_days": 10,
    "seed": 12,
    "shift": {"length_min": 480, "break_every_min": None},
    "segments": {"medium": {"companies": 20000, "needs": {"immediate_prob": 0.15}}},
    "team": [{"profile": "student", "count": 4, "name": "seniors"}],
    "sales": {
        "sellers": [
            {
                "name": "own",
                "count": 4,
                "team_group": "seniors",
                "meetings_per_day": 2,
                "meeting_min": 90,
                "booking_lead_days": 1,
                "no_show_prob": 0.2,
                "close_prob": 0.4,
                "skill": 1.5,
                "sales_cycle_days": 0,
            }
        ]
    },
}


def test_meetings_take_calling_time_dials_fall_by_meeting_minutes_over_cycle_time() -> None:
    data = deep_update(SENIORS, {})
    data["sales"]["sellers"] = [{**SENIORS["sales"]["sellers"][0], "meeting_min": 0}]
    off = build(data)
    on = build(SENIORS)
    drops, predicted = [], []
    for r in range(6):
        base = simulate_replication(off, 3, r).operator_days
        busy = base[["dial_min", "talk_min", "wrap_min"]].to_numpy().sum()
        cycle_min = (busy + base["idle_min"].sum()) / base["dials"].sum()
        days = simulate_replication(on, 3, r).operator_days
        assert (base["meeting_min"] == 0).all() and days["meeting_min"].gt(0).any()
        drops.append(base["dials"].mean() - days["dials"].mean())
        predicted.append(days["meeting_min"].mean() / cycle_min)
        # Every minute of the shift is accounted for, meetings included.
        worked = days[["dial_min", "talk_min", "wrap_min", "break_min", "idle_min"]].sum(axis=1)
        np.testing.assert_allclose(
            worked + days["meeting_min"], days["shift_min"] + days["overrun_min"], atol=1e-6
        )
    drops_a, predicted_a = np.array(drops), np.array(predicted)
    assert predicted_a.mean() > 3.0  # the meetings cost a visible share of the day
    se = np.std(drops_a - predicted_a, ddof=1) / np.sqrt(len(drops_a))
    assert abs(drops_a.mean() - predicted_a.mean()) < 4 * se + 0.01 * predicted_a.mean()


def test_a_caller_seller_holds_its_own_meetings_and_closes_with_its_skill() -> None:
    scenario = build(SENIORS)
    frames = [simulate_replication(scenario, 4, r).meetings for r in range(6)]
    meetings = pd.concat(frames, ignore_index=True)
    held = meetings[meetings["day_held"].notna()]
    assert len(held) > 150
    assert (held["seller"].astype(str) == held["booked_by"].astype(str)).all()
    assert (held["seller_group"] == "own").all()
    per_day = held.groupby(["replication", "seller", "day_held"], observed=True).size()
    assert per_day.max() <= 2
    shown = held[held["shown"].astype(bool)]
    p = 0.4 * 1.5
    assert abs(shown["sale"].mean() - p) < 4 * np.sqrt(p * (1 - p) / len(shown))


def test_the_rest_of_the_team_keeps_its_sellers_and_the_off_case_is_unchanged() -> None:
    data = deep_update(SENIORS, {})
    data["team"] = [*SENIORS["team"], {"profile": "student", "count": 3, "name": "juniors"}]
    data["sales"]["sellers"] = [
        *SENIORS["sales"]["sellers"],
        {"name": "closers", "count": 2, "meetings_per_day": 50, "booking_lead_days": 1},
    ]
    tables = simulate_replication(build(data), 5, 0)
    meetings = tables.meetings
    assert meetings is not None
    juniors = meetings["group"] == "juniors"
    assert (meetings.loc[juniors, "seller_group"] == "closers").all()
    assert (meetings.loc[~juniors, "seller_group"] == "own").all()
    days = tables.operator_days
    assert (days.loc[days["group"] == "juniors", "meeting_min"] == 0).all()


def test_a_caller_seller_group_must_match_its_team_group() -> None:
    data = deep_update(SENIORS, {})
    data["sales"]["sellers"] = [{**SENIORS["sales"]["sellers"][0], "count": 3}]
    with pytest.raises(ValueError, match="set count: 4"):
        build(data)
    data["sales"]["sellers"] = [{**SENIORS["sales"]["sellers"][0], "team_group": "nobody"}]
    with pytest.raises(ValueError, match="not a team group"):
        build(data)
