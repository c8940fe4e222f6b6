"""Pay and money from the tables: payroll by part, cost per contact, meeting and sale, margin.

Computed per replication from ``operator_days`` and ``meetings`` (issue #12), so a test can
recompute every figure by hand. Callers (per team group):

- **fixed**: ``profiles.<p>.pay.fixed_per_month`` per caller-month. A *month* is a block of
  ``working_days_per_month`` working days of the horizon (the last may be shorter and is paid
  pro rata). With ``sales.pay.<p>.fixed_only_if_plan_met`` the fixed pay of a caller-month is
  earned only when the caller booked at least ``plan_meetings_per_month`` meetings in it (pro
  rata in a shorter month, rounded up);
- **bonus**: ``bonus_per_meeting_booked`` per meeting booked plus ``bonus_per_meeting_held``
  per meeting the client came to (held in the horizon);
- **commission**: ``commission_share`` of the value of the orders from the caller's meetings
  signed in the horizon.

Sellers (per seller group): ``hourly_cost * hours_per_day`` per seller and working day (fixed)
and ``commission_share`` of the value of the group's orders signed in the horizon.

Team totals: ``payroll = fixed + bonus + commission``; ``revenue`` = the orders' values signed
in the horizon; ``gross_margin = revenue - payroll``; ``cost_per_dm_contact``,
``cost_per_meeting`` (booked), ``cost_per_sale``; ``payback_day``: the first day of the
horizon on which the revenue so far covers the payroll so far (payroll accrued evenly per day;
NaN if never).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.analysis.stats import t_interval
from sim.scenario import Scenario
from sim.scenario.sales import CallerPay

PAY_PARTS = ("fixed", "bonus", "commission")
MONEY_METRICS = (
    "payroll_fixed",
    "payroll_bonus",
    "payroll_commission",
    "payroll",
    "revenue",
    "gross_margin",
    "dm_contacts",
    "meetings",
    "meetings_held",
    "sales",
    "cost_per_dm_contact",
    "cost_per_meeting",
    "cost_per_sale",
    "payback_day",
)
"""The team's money KPIs, one value per replication (currency; counts; a day)."""


def _signed(meetings: pd.DataFrame, horizon: int) -> np.ndarray:
    """Per meeting row: an order signed within the horizon."""
    day = meetings["sale_day"].to_numpy(dtype=float, na_value=np.inf)
    return meetings["sale"].to_numpy(dtype=bool) & (day < horizon)


def caller_pay(
    scenario: Scenario, operator_days: pd.DataFrame, meetings: pd.DataFrame | None
) -> pd.DataFrame:
    """Per replication and caller: ``group``, ``profile``, ``fixed``, ``bonus``, ``commission``."""
    horizon = scenario.horizon_days
    days = operator_days[["replication", "day", "operator", "group", "profile", "meetings"]]
    rows = []
    for profile_name, part in days.groupby("profile", observed=True):
        profile = scenario.profiles[str(profile_name)]
        rule = scenario.sales.pay.get(str(profile_name), CallerPay())
        month_days = max(1, round(profile.pay.working_days_per_month))
        month = part["day"].to_numpy() // month_days
        per_month = part.assign(month=month).groupby(
            ["replication", "operator", "month"], observed=True
        )
        booked = per_month["meetings"].sum()
        length = per_month["day"].count()
        share = length / profile.pay.working_days_per_month
        fixed = share * profile.pay.fixed_per_month
        if rule.fixed_only_if_plan_met and rule.plan_meetings_per_month > 0:
            plan = np.ceil(rule.plan_meetings_per_month * length / month_days - 1e-9)
            fixed = fixed.where(booked >= plan, 0.0)
        fixed_sum = fixed.groupby(["replication", "operator"], observed=True).sum()
        booked_sum = booked.groupby(["replication", "operator"], observed=True).sum()
        frame = pd.DataFrame({"fixed": fixed_sum, "booked": booked_sum})
        frame["profile"] = str(profile_name)
        frame["held_rate"] = rule.bonus_per_meeting_held
        frame["share"] = rule.commission_share
        frame["bonus"] = rule.bonus_per_meeting_booked * frame["booked"]
        rows.append(frame)
    pay = pd.concat(rows)
    groups = days.groupby(["replication", "operator"], observed=True)["group"].first()
    pay["group"] = groups.reindex(pay.index).astype(str)
    shown = pd.Series(0.0, index=pay.index)
    value = pd.Series(0.0, index=pay.index)
    if meetings is not None and len(meetings):
        m = meetings.assign(
            came=meetings["shown"].fillna(False).to_numpy(dtype=bool),
            value=np.where(_signed(meetings, horizon), meetings["sale_value"].to_numpy(), 0.0),
        )
        by_caller = m.groupby(["replication", "booked_by"], observed=True)[["came", "value"]].sum()
        by_caller.index = by_caller.index.set_names(["replication", "operator"])
        shown = by_caller["came"].reindex(pay.index, fill_value=0).astype(float)
        value = by_caller["value"].reindex(pay.index, fill_value=0.0)
    pay["bonus"] = pay["bonus"] + pay["held_rate"] * shown
    pay["commission"] = pay["share"] * value
    pay = pay.reset_index()
    return pay[["replication", "operator", "group", "profile", "fixed", "bonus", "commission"]]


def seller_pay(
    scenario: Scenario, meetings: pd.DataFrame | None, replications: list[int]
) -> pd.DataFrame:
    """Per replication and seller group: ``group``, ``fixed`` (hours), ``commission``."""
    rows = []
    horizon = scenario.horizon_days
    for group in scenario.sales.sellers:
        fixed = group.hourly_cost * group.hours_per_day * group.count * horizon
        for r in replications:
            value = 0.0
            if meetings is not None and len(meetings):
                mine = (meetings["replication"] == r).to_numpy() & (
                    meetings["seller_group"].astype(str) == group.name
                ).to_numpy()
                value = float(
                    meetings["sale_value"].to_numpy()[mine & _signed(meetings, horizon)].sum()
                )
            rows.append(
                {
                    "replication": r,
                    "group": group.name,
                    "fixed": fixed,
                    "bonus": 0.0,
                    "commission": group.commission_share * value,
                }
            )
    return pd.DataFrame(rows, columns=["replication", "group", "fixed", "bonus", "commission"])


def money_by_replication(
    scenario: Scenario, operator_days: pd.DataFrame, meetings: pd.DataFrame | None
) -> pd.DataFrame:
    """The team's :data:`MONEY_METRICS`, one row per replication."""
    horizon = scenario.horizon_days
    replications = sorted(int(r) for r in operator_days["replication"].unique())
    pay = pd.concat(
        [
            caller_pay(scenario, operator_days, meetings).drop(columns=["operator", "profile"]),
            seller_pay(scenario, meetings, replications),
        ]
    )
    parts = pay.groupby("replication")[list(PAY_PARTS)].sum().reindex(replications)
    counts = operator_days.groupby("replication")[["dm_contacts", "meetings"]].sum()
    out = pd.DataFrame(index=pd.Index(replications, name="replication"))
    for part in PAY_PARTS:
        out[f"payroll_{part}"] = parts[part].to_numpy()
    out["payroll"] = out[[f"payroll_{p}" for p in PAY_PARTS]].sum(axis=1)
    out["dm_contacts"] = counts["dm_contacts"].reindex(replications).to_numpy()
    out["meetings"] = counts["meetings"].reindex(replications).to_numpy()
    revenue = np.zeros(len(replications))
    held = np.zeros(len(replications))
    sales = np.zeros(len(replications))
    payback = np.full(len(replications), np.nan)
    if meetings is not None and len(meetings):
        signed = _signed(meetings, horizon)
        for i, r in enumerate(replications):
            mine = (meetings["replication"] == r).to_numpy()
            values = meetings["sale_value"].to_numpy()[mine & signed]
            revenue[i] = values.sum()
            sales[i] = (mine & signed).sum()
            held[i] = meetings["shown"].fillna(False).to_numpy(dtype=bool)[mine].sum()
            sale_days = meetings["sale_day"].to_numpy(dtype=float, na_value=np.inf)[mine & signed]
            daily = np.bincount(sale_days.astype(np.int64), weights=values, minlength=horizon)
            accrued = out["payroll"].iloc[i] * np.arange(1, horizon + 1) / horizon
            covered = np.flatnonzero(np.cumsum(daily)[:horizon] >= accrued)
            payback[i] = float(covered[0]) if len(covered) else math.nan
    out["revenue"] = revenue
    out["gross_margin"] = out["revenue"] - out["payroll"]
    out["meetings_held"] = held
    out["sales"] = sales
    with np.errstate(divide="ignore", invalid="ignore"):
        for name, base in (
            ("dm_contact", "dm_contacts"),
            ("meeting", "meetings"),
            ("sale", "sales"),
        ):
            out[f"cost_per_{name}"] = np.where(out[base] > 0, out["payroll"] / out[base], np.nan)
    out["payback_day"] = payback
    return out[list(MONEY_METRICS)].reset_index()


def money_summary(
    scenario: Scenario, operator_days: pd.DataFrame, meetings: pd.DataFrame | None
) -> pd.DataFrame:
    """Mean and 95 % interval of each money metric over replications (``metric`` rows)."""
    per_rep = money_by_replication(scenario, operator_days, meetings)
    rows = []
    for metric in MONEY_METRICS:
        ci = t_interval(per_rep[metric].to_numpy(dtype=float))
        rows.append(
            {"metric": metric, "mean": ci.mean, "ci_low": ci.low, "ci_high": ci.high, "n": ci.n}
        )
    return pd.DataFrame(rows)


def money_by_group(
    scenario: Scenario, operator_days: pd.DataFrame, meetings: pd.DataFrame | None
) -> pd.DataFrame:
    """Per replication and team group: callers' pay by part, meetings, sales and their costs.

    The sellers' pay is not split between the groups: see :func:`seller_pay`. ``cost_per_sale``
    here is the callers' payroll per order signed from the group's meetings in the horizon.
    """
    pay = caller_pay(scenario, operator_days, meetings)
    out = pay.groupby(["replication", "group"])[list(PAY_PARTS)].sum()
    out["payroll"] = out[list(PAY_PARTS)].sum(axis=1)
    days = operator_days.assign(group=operator_days["group"].astype(str))
    counts = days.groupby(["replication", "group"])[["dm_contacts", "meetings"]].sum()
    out = out.join(counts)
    out["sales"] = 0
    out["revenue"] = 0.0
    if meetings is not None and len(meetings):
        signed = meetings[_signed(meetings, scenario.horizon_days)]
        sold = signed.assign(group=signed["group"].astype(str)).groupby(["replication", "group"])
        out["sales"] = sold.size().reindex(out.index, fill_value=0)
        out["revenue"] = sold["sale_value"].sum().reindex(out.index, fill_value=0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        for name, base in (("meeting", "meetings"), ("sale", "sales")):
            out[f"cost_per_{name}"] = np.where(out[base] > 0, out["payroll"] / out[base], np.nan)
    return out.reset_index()
