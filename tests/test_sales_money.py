"""Issue #12, pay and money: the forum's two-part pay (T8) recomputed by hand from the tables."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from sim.analysis.money import (
    MONEY_METRICS,
    caller_pay,
    money_by,
    money_by_replication,
    money_summary,
)
from sim.records.replication import simulate_replication
from sim.scenario import Scenario
from tests.builders import build, deep_update

T8: dict[str, Any] = {
    "name": "t8",
    "horizon_days": 11,
    "seed": 4,
    "segments": {"medium": {"companies": 4000}},
    "profiles": {"student": {"pay": {"fixed_per_month": 15000, "working_days_per_month": 11}}},
    "team": [{"profile": "student", "count": 4, "name": "callers"}],
    "sales": {
        "fit": {"medium": {"mean": 0.3, "sd": 0.15}},
        "sellers": [
            {
                "name": "closers",
                "count": 2,
                "meetings_per_day": 10,
                "booking_lead_days": 1,
                "no_show_prob": 0.2,
                "close_prob": 0.4,
                "deal_value": {"mean": 150_000, "sd": 60_000},
                "sales_cycle_days": 2,
                "hourly_cost": 500,
                "commission_share": 0.05,
            }
        ],
        "pay": {
            "student": {
                "plan_meetings_per_month": 4,
                "fixed_only_if_plan_met": True,
                "bonus_per_meeting_held": 100,
                "commission_share": 0.01,
            }
        },
    },
}


def tables_of(data: dict[str, Any], replications: int = 2) -> tuple[Scenario, Any, Any]:
    scenario = build(data)
    parts = [simulate_replication(scenario, 2, r) for r in range(replications)]
    days = pd.concat([p.operator_days for p in parts], ignore_index=True)
    meetings = pd.concat([p.meetings for p in parts], ignore_index=True)
    return scenario, days, meetings


def test_t8_pay_recomputed_by_hand_to_the_cent() -> None:
    scenario, days, meetings = tables_of(T8)
    pay = caller_pay(scenario, days, meetings).set_index(["replication", "operator"])
    booked = days.groupby(["replication", "operator"], observed=True)["meetings"].sum()
    assert (booked >= 4).any() and (booked < 4).any(), "the plan must split the callers"
    signed = meetings["sale"] & (meetings["sale_day"].fillna(10**6) < 11)
    for (r, op), n in booked.items():
        mine = (meetings["replication"] == r) & (meetings["booked_by"] == op)
        fixed = 15000.0 if n >= 4 else 0.0
        bonus = 100.0 * int(meetings.loc[mine, "shown"].fillna(False).sum())
        commission = 0.01 * float(meetings.loc[mine & signed, "sale_value"].sum())
        row = pay.loc[(r, op)]
        assert round(row["fixed"], 2) == round(fixed, 2)
        assert round(row["bonus"], 2) == round(bonus, 2)
        assert round(row["commission"], 2) == round(commission, 2)


def test_pay_identities_hold_to_the_cent() -> None:
    scenario, days, meetings = tables_of(T8)
    money = money_by_replication(scenario, days, meetings)
    parts = money[["payroll_fixed", "payroll_bonus", "payroll_commission"]].sum(axis=1)
    np.testing.assert_array_equal(np.round(parts, 2), np.round(money["payroll"], 2))
    signed = meetings["sale"] & (meetings["sale_day"].fillna(10**6) < 11)
    revenue = meetings[signed].groupby("replication")["sale_value"].sum()
    np.testing.assert_array_equal(np.round(money["revenue"], 2), np.round(revenue.to_numpy(), 2))
    sellers_fixed = 500 * 8 * 2 * 11
    callers_fixed = caller_pay(scenario, days, meetings).groupby("replication")["fixed"].sum()
    np.testing.assert_allclose(money["payroll_fixed"], callers_fixed.to_numpy() + sellers_fixed)
    np.testing.assert_allclose(money["gross_margin"], money["revenue"] - money["payroll"])
    np.testing.assert_allclose(money["cost_per_meeting"], money["payroll"] / money["meetings"])


def test_doubling_deal_values_doubles_commission_and_revenue_only() -> None:
    doubled = deep_update(T8, {})
    doubled["sales"]["sellers"][0]["deal_value"] = {"mean": 300_000, "sd": 120_000}
    base = money_by_replication(*tables_of(T8))
    twice = money_by_replication(*tables_of(doubled))
    for metric in ("payroll_commission", "revenue"):
        np.testing.assert_allclose(twice[metric], 2 * base[metric], rtol=1e-12)
    for metric in ("meetings", "meetings_held", "sales", "payroll_fixed", "payroll_bonus"):
        np.testing.assert_array_equal(twice[metric], base[metric])
    assert base["revenue"].gt(0).all()


def test_fixed_pay_without_a_plan_rule_is_the_wage() -> None:
    data = deep_update(T8, {"sales": {"pay": {"student": {"fixed_only_if_plan_met": False}}}})
    scenario, days, meetings = tables_of(data, 1)
    pay = caller_pay(scenario, days, meetings)
    assert pay["fixed"].eq(15000.0).all()


def test_the_money_summary_has_every_metric_with_an_interval() -> None:
    summary = money_summary(*tables_of(T8))
    assert list(summary["metric"]) == list(MONEY_METRICS)
    revenue = summary.set_index("metric").loc["revenue"]
    assert revenue["ci_low"] <= revenue["mean"] <= revenue["ci_high"]


@pytest.mark.parametrize("share", [-0.1, 1.5])
def test_a_commission_share_outside_0_1_is_refused(share: float) -> None:
    with pytest.raises(ValueError):
        build(deep_update(T8, {"sales": {"pay": {"student": {"commission_share": share}}}}))


def _two_profiles() -> dict[str, Any]:
    data = deep_update(T8, {"profiles": {"senior": {"pay": {"fixed_per_month": 40000}}}})
    data["team"] = [
        *T8["team"],
        {"profile": "senior", "count": 2, "name": "seniors"},
        {"profile": "student", "count": 2, "name": "nights"},
    ]
    return data


@pytest.mark.parametrize("by", ["group", "profile"])
def test_money_rows_add_up_to_the_team_with_the_sellers_split_by_meetings_held(by: str) -> None:
    scenario, days, meetings = tables_of(_two_profiles())
    rows = money_by(scenario, days, meetings, by)
    names = {"group": {"callers", "seniors", "nights"}, "profile": {"student", "senior"}}[by]
    assert set(rows[by]) == names
    team = money_by_replication(scenario, days, meetings).set_index("replication")
    summed = rows.groupby("replication")[["payroll", "revenue", "meetings", "sales"]].sum()
    for column in ("payroll", "revenue"):  # every seller group held meetings: nothing left over
        np.testing.assert_array_equal(np.round(summed[column], 2), np.round(team[column], 2))
    np.testing.assert_array_equal(summed["sales"], team["sales"])
    # The rule by hand: the sellers' hours split by meetings held, commission on own orders.
    sellers_fixed = 500 * 8 * 2 * 11
    caller_row = days.groupby("operator", observed=True)[by].first().astype(str)
    signed = meetings["sale"] & (meetings["sale_day"].fillna(10**6) < 11)
    for _, row in rows.iterrows():
        in_rep = meetings["replication"] == row["replication"]
        mine = in_rep & (
            caller_row.reindex(meetings["booked_by"].astype(str)).to_numpy() == row[by]
        )
        held = meetings["day_held"].notna()
        share = sellers_fixed * (mine & held).sum() / (in_rep & held).sum()
        commission = 0.05 * meetings.loc[mine & signed, "sale_value"].sum()
        assert round(row["seller_fixed"], 2) == round(share, 2)
        assert round(row["seller_commission"], 2) == round(commission, 2)
        parts = row[["fixed", "bonus", "commission", "seller_fixed", "seller_commission"]].sum()
        assert round(parts, 2) == round(row["payroll"], 2)
        if row["sales"] > 0:
            assert row["cost_per_sale"] == pytest.approx(row["payroll"] / row["sales"])


def test_operator_day_cost_is_the_two_part_pay_to_the_cent() -> None:
    """``operator_days.cost`` per caller sums to the callers' pay of money.csv, part by part."""
    data = deep_update(T8, {"horizon_days": 16})  # a full month and a shorter pro-rata one
    data["sales"]["pay"]["student"]["bonus_per_meeting_booked"] = 30
    scenario, days, meetings = tables_of(data)
    pay = caller_pay(scenario, days, meetings)
    total = pay.set_index(["replication", "operator"])[["fixed", "bonus", "commission"]].sum(axis=1)
    cost = days.groupby(["replication", "operator"], observed=True)["cost"].sum()
    np.testing.assert_array_equal(np.round(cost.reindex(total.index), 2), np.round(total, 2))
    assert (pay["fixed"] == 0).any() and (pay["fixed"] > 0).any()  # the plan splits the callers
    assert (pay["commission"] > 0).any()
    # Day by day: a month without the plan costs only its bonuses and commission.
    wage = 15000 / 11
    missed = days["cost"] < wage - 1e-9
    assert missed.any() and (days.loc[~missed, "cost"] >= wage - 1e-9).all()
    money = money_by_replication(scenario, days, meetings).set_index("replication")
    sellers = 500 * 8 * 2 * 16 + 0.05 * money["revenue"]
    team = days.groupby("replication")["cost"].sum() + sellers
    np.testing.assert_array_equal(np.round(team, 2), np.round(money["payroll"], 2))


def test_without_pay_rules_the_cost_is_the_fixed_wage() -> None:
    data = deep_update(T8, {})
    del data["sales"]["pay"]
    _, days, _ = tables_of(data)
    np.testing.assert_array_equal(days["cost"].to_numpy(), np.full(len(days), 15000 / 11))
