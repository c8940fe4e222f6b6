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

Per team group and per profile (:func:`money_by`): the same figures for the row's callers,
with the sellers' pay split between the rows (:func:`seller_shares`: fixed pay by meetings
held, commission by where the orders came from), so a row's cost per sale includes its share
of the sellers who held its meetings.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.analysis.stats import t_interval
from sim.errors import ArgumentValueError
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
    _add_unit_costs(out)
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


def seller_shares(
    scenario: Scenario,
    operator_days: pd.DataFrame,
    meetings: pd.DataFrame | None,
    by: str,
) -> pd.DataFrame:
    """Per replication and caller row (``by``: ``group`` or ``profile``): the sellers' pay.

    **Allocation rule.** A seller group's fixed pay (its hours) in a replication is split
    between the rows in proportion to the meetings it *held* (a slot taken, shown or not) that
    the row's callers booked; its commission goes to the row whose meetings the orders came
    from (exactly where it arose). A seller group that held no meeting of the horizon's
    bookings in a replication has nothing to split by: its fixed pay stays with the team
    (:func:`money_by_replication`) and no row carries it. Columns: ``replication``, ``by``,
    ``seller_fixed``, ``seller_commission`` (currency).
    """
    rows = ["replication", by]
    empty = pd.DataFrame(columns=[*rows, "seller_fixed", "seller_commission"])
    if meetings is None or not len(meetings) or not scenario.sales.sellers:
        return empty
    replications = sorted(int(r) for r in operator_days["replication"].unique())
    pay = seller_pay(scenario, meetings, replications).set_index(["replication", "group"])
    caller_of = operator_days.groupby("operator", observed=True)[by].first().astype(str)
    m = pd.DataFrame(
        {
            "replication": meetings["replication"].to_numpy(),
            by: caller_of.reindex(meetings["booked_by"].astype(str)).to_numpy(),
            "seller_group": meetings["seller_group"].astype(str).to_numpy(),
            "held": meetings["day_held"].notna().to_numpy(),
            "value": np.where(
                _signed(meetings, scenario.horizon_days), meetings["sale_value"].to_numpy(), 0.0
            ),
        }
    )
    shares = {g.name: g.commission_share for g in scenario.sales.sellers}
    m["seller_commission"] = m["value"] * m["seller_group"].map(shares).to_numpy(dtype=float)
    held = m.groupby(["replication", "seller_group"])["held"].transform("sum").to_numpy()
    fixed = pay["fixed"].reindex(pd.MultiIndex.from_frame(m[["replication", "seller_group"]]))
    m["seller_fixed"] = np.where(
        m["held"].to_numpy() & (held > 0), fixed.to_numpy() / np.maximum(held, 1), 0.0
    )
    return m.groupby(rows)[["seller_fixed", "seller_commission"]].sum().reset_index()


def money_by(
    scenario: Scenario, operator_days: pd.DataFrame, meetings: pd.DataFrame | None, by: str
) -> pd.DataFrame:
    """Per replication and caller row (``by``: ``group`` or ``profile``): pay, counts, costs.

    ``fixed``, ``bonus``, ``commission``: the row's callers' pay by part; ``seller_fixed``,
    ``seller_commission``: its share of the sellers' pay (:func:`seller_shares`);
    ``payroll``: all five; ``cost_per_dm_contact``, ``cost_per_meeting`` (booked) and
    ``cost_per_sale`` (orders signed in the horizon from the row's meetings) divide that
    payroll, so a row's cost per sale includes the sellers who closed its sales;
    ``gross_margin`` = ``revenue - payroll``.
    """
    if by not in ("group", "profile"):
        raise ArgumentValueError(f"money rows are by 'group' or 'profile', not {by!r}")
    keys = ["replication", by]
    pay = caller_pay(scenario, operator_days, meetings)
    out = pay.groupby(keys)[list(PAY_PARTS)].sum()
    days = operator_days.assign(**{by: operator_days[by].astype(str)})
    out = out.join(days.groupby(keys)[["dm_contacts", "meetings"]].sum())
    shares = seller_shares(scenario, operator_days, meetings, by).set_index(keys)
    for column in ("seller_fixed", "seller_commission"):
        out[column] = shares[column].reindex(out.index, fill_value=0.0).astype(float)
    out["payroll"] = out[[*PAY_PARTS, "seller_fixed", "seller_commission"]].sum(axis=1)
    out["sales"] = 0
    out["revenue"] = 0.0
    if meetings is not None and len(meetings):
        signed = meetings[_signed(meetings, scenario.horizon_days)]
        caller_of = operator_days.groupby("operator", observed=True)[by].first().astype(str)
        row = caller_of.reindex(signed["booked_by"].astype(str)).to_numpy()
        sold = signed.assign(**{by: row}).groupby(keys)
        out["sales"] = sold.size().reindex(out.index, fill_value=0)
        out["revenue"] = sold["sale_value"].sum().reindex(out.index, fill_value=0.0)
    out["gross_margin"] = out["revenue"] - out["payroll"]
    _add_unit_costs(out)
    return out.reset_index()


def money_by_group(
    scenario: Scenario, operator_days: pd.DataFrame, meetings: pd.DataFrame | None
) -> pd.DataFrame:
    """Per replication and team group: :func:`money_by` with ``by="group"``."""
    return money_by(scenario, operator_days, meetings, "group")


def money_by_profile(
    scenario: Scenario, operator_days: pd.DataFrame, meetings: pd.DataFrame | None
) -> pd.DataFrame:
    """Per replication and caller profile: :func:`money_by` with ``by="profile"``."""
    return money_by(scenario, operator_days, meetings, "profile")


def _add_unit_costs(out: pd.DataFrame) -> None:
    """Payroll per DM contact, meeting and sale (NaN where there were none), in place."""
    with np.errstate(divide="ignore", invalid="ignore"):
        for name, base in (
            ("dm_contact", "dm_contacts"),
            ("meeting", "meetings"),
            ("sale", "sales"),
        ):
            out[f"cost_per_{name}"] = np.where(out[base] > 0, out["payroll"] / out[base], np.nan)
