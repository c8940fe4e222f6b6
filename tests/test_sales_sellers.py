"""Issue #12, sellers: meetings held on a calendar, backlog, no-shows, sales and their values."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import sim
from sim.analysis.sellers import backlog_by_day, funnel_totals
from sim.model.build import build_replication
from sim.records.replication import simulate_replication
from sim.records.tables import TABLE_COLUMNS
from tests.builders import build, deep_update

SELLERS: dict[str, Any] = {
    "name": "sellers",
    "horizon_days": 8,
    "seed": 11,
    "segments": {"medium": {"companies": 4000}},
    "team": [{"profile": "student", "count": 4, "name": "callers"}],
    "sales": {
        "sellers": [
            {
                "name": "closers",
                "count": 2,
                "meetings_per_day": 50,
                "booking_lead_days": 1,
                "no_show_prob": 0.25,
                "close_prob": 0.4,
                "deal_value": {"mean": 100_000, "sd": 40_000},
                "sales_cycle_days": 2,
            }
        ]
    },
}


def meetings_of(data: dict[str, Any], replications: int) -> pd.DataFrame:
    scenario = build(data)
    frames = [simulate_replication(scenario, 1, r).meetings for r in range(replications)]
    return pd.concat(frames, ignore_index=True)


def test_the_meetings_table_has_its_declared_columns_and_a_row_per_meeting_booked() -> None:
    scenario = build(SELLERS)
    tables = simulate_replication(scenario, 1, 0)
    meetings = tables.meetings
    assert meetings is not None
    assert list(meetings.columns) == list(TABLE_COLUMNS["meetings"])
    assert len(meetings) == tables.operator_days["meetings"].sum() > 0
    booked_by = meetings.groupby("booked_by", observed=True).size()
    per_caller = tables.operator_days.groupby("operator", observed=True)["meetings"].sum()
    assert booked_by.to_dict() == per_caller[per_caller > 0].to_dict()


def test_without_a_sellers_block_there_is_no_meetings_table() -> None:
    data = {k: v for k, v in SELLERS.items() if k != "sales"}
    assert simulate_replication(build(data), 1, 0).meetings is None


def test_with_ample_capacity_there_is_no_backlog_and_shows_follow_the_no_show_rate() -> None:
    meetings = meetings_of(SELLERS, 6)
    due_in_horizon = meetings["day_due"] < SELLERS["horizon_days"]
    assert meetings.loc[due_in_horizon, "wait_days"].eq(0).all()
    assert (backlog_by_day(meetings, SELLERS["horizon_days"])["backlog"] == 0).all()
    held = meetings[meetings["day_held"].notna()]
    shares = held.groupby("replication")["shown"].mean()
    se = np.sqrt(0.75 * 0.25 / len(held))
    assert abs(held["shown"].mean() - 0.75) < 4 * se
    assert len(shares) == 6


def test_a_replication_without_meetings_counts_in_the_backlog_as_zero() -> None:
    meetings = meetings_of(SELLERS, 2)
    only_first = meetings[meetings["replication"] == 0]
    days = SELLERS["horizon_days"]
    backlog = backlog_by_day(only_first, days, replications=3)
    assert sorted(backlog["replication"].unique()) == [0, 1, 2]
    assert (backlog[backlog["replication"] > 0][["due", "held", "backlog"]] == 0).all().all()
    empty = backlog_by_day(meetings.iloc[:0], days, replications=2)
    assert len(empty) == 2 * days and (empty["backlog"] == 0).all()
    assert backlog_by_day(meetings.iloc[:0], days).empty


def test_beyond_capacity_the_backlog_grows_at_booking_rate_minus_capacity() -> None:
    """One seller holding 1 meeting a day against ~5 bookings a day: slope = rate - 1."""
    data = deep_update(SELLERS, {"horizon_days": 10})
    data["team"] = [{"profile": "student", "count": 12, "name": "callers"}]
    data["sales"]["sellers"][0].update({"count": 1, "meetings_per_day": 1})
    slopes, rates = [], []
    for replication in range(6):
        tables = simulate_replication(build(data), 1, replication)
        meetings = tables.meetings
        assert meetings is not None
        backlog = backlog_by_day(meetings, 10)
        assert (backlog["held"] <= 1).all()
        # Days 1..11: meetings booked from day 0 on are due (lead time 1 day).
        days = backlog["day"].to_numpy()[1:]
        slopes.append(np.polyfit(days, backlog["backlog"].to_numpy()[1:], 1)[0])
        booked_per_day = tables.operator_days.groupby("day")["meetings"].sum().to_numpy()
        rates.append(booked_per_day[:-1].mean() - 1.0)
    slopes_arr, rates_arr = np.array(slopes), np.array(rates)
    diff = slopes_arr - rates_arr
    se = diff.std(ddof=1) / np.sqrt(len(diff))
    assert rates_arr.mean() > 2.0  # booking well above capacity
    assert abs(diff.mean()) < 4 * se + 0.05
    assert meetings["wait_days"].max() > 3  # the last meetings held waited for days


def test_doubling_deal_values_doubles_revenue_and_leaves_meetings_alone() -> None:
    doubled = deep_update(SELLERS, {})
    doubled["sales"]["sellers"][0]["deal_value"] = {"mean": 200_000, "sd": 80_000}
    base, twice = meetings_of(SELLERS, 2), meetings_of(doubled, 2)
    pd.testing.assert_frame_equal(base.drop(columns="sale_value"), twice.drop(columns="sale_value"))
    assert base["sale"].sum() > 0
    np.testing.assert_allclose(twice["sale_value"], 2.0 * base["sale_value"], rtol=1e-12)


def test_fit_raises_show_up_and_close_of_good_companies() -> None:
    data = deep_update(SELLERS, {"sales": {"fit": {"medium": {"mean": 0.3, "sd": 0.2}}}})
    scenario = build(data)
    meetings = meetings_of(data, 3)
    env, _, recorder = build_replication(scenario, 1, 0)
    env.run()
    fits = recorder.sales.fits[0]
    first = meetings[meetings["replication"] == 0]
    fit = np.array([fits.of(int(c)) for c in first["company"]])
    sold = first["sale"].to_numpy()
    assert sold.any() and (~sold).any()
    assert fit[sold].mean() > fit[~sold].mean()


def test_a_run_keeps_the_meetings_table_through_save_and_load(tmp_path: Any) -> None:
    results = sim.run(build(deep_update(SELLERS, {"horizon_days": 3})), replications=2)
    assert results.meetings is not None
    sim.save(results, tmp_path / "out")
    loaded = sim.load(tmp_path / "out")
    pd.testing.assert_frame_equal(loaded.meetings, results.meetings)
    funnel = funnel_totals(results.operator_days, results.meetings)
    assert (funnel["booked"] >= funnel["held"]).all()
    assert (funnel["held"] >= funnel["shown"]).all()
    assert (funnel["shown"] >= funnel["sales"]).all()


@pytest.mark.parametrize("bad", [{"no_show_prob": 1.5}, {"count": 0}, {"meetings_per_day": 0}])
def test_bad_seller_settings_are_refused(bad: dict[str, Any]) -> None:
    data = deep_update(SELLERS, {})
    data["sales"]["sellers"][0].update(bad)
    with pytest.raises(ValueError):
        build(data)
