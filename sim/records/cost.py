"""What an operator-day costs. The single place the pay model lives.

Callers are paid a fixed wage: ``fixed_per_month / working_days_per_month`` per operator-day
(:func:`operator_day_cost`). A scenario's ``sales.pay`` rules (issue #12) then move the
``cost`` column to the two-part pay (:func:`with_pay_rules`), day by day, so that a caller's
``cost`` over the horizon is exactly the callers' pay of ``money.csv``
(:func:`sim.analysis.money.caller_pay`):

- **fixed** only when the plan is met (``fixed_only_if_plan_met``): in a caller-month (a block
  of ``round(working_days_per_month)`` days of the horizon; a shorter last block has a pro-rata
  plan, rounded up) with fewer meetings booked than the plan, that month's days lose their
  fixed wage;
- **bonus**: ``bonus_per_meeting_booked`` on the day a meeting is booked, and
  ``bonus_per_meeting_held`` on the booking caller's row of the day the client came;
- **commission**: ``commission_share`` of an order's value on the booking caller's row of the
  day it is signed (orders signed within the horizon).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.scenario import Profile, Scenario


def operator_day_cost(days: pd.DataFrame, profile: Profile) -> np.ndarray:
    """Cost of each operator-day in ``days`` (all of one profile), in the scenario currency."""
    return np.full(len(days), profile.pay.cost_per_day)


def _on_caller_days(days: pd.DataFrame, by: pd.DataFrame, values: np.ndarray) -> np.ndarray:
    """``values`` summed onto the rows of ``days`` matching ``by``'s ``operator`` and ``day``."""
    if not len(by):
        return np.zeros(len(days))
    summed = pd.Series(values).groupby([by["operator"].to_numpy(), by["day"].to_numpy()]).sum()
    where = pd.MultiIndex.from_arrays(
        [days["operator"].astype(str).to_numpy(), days["day"].to_numpy(dtype=np.int64)]
    )
    return summed.reindex(where, fill_value=0.0).to_numpy(dtype=float)


def with_pay_rules(
    scenario: Scenario, days: pd.DataFrame, meetings: pd.DataFrame | None
) -> np.ndarray:
    """The ``cost`` column of one replication's ``days`` under the ``sales.pay`` rules."""
    cost = days["cost"].to_numpy(dtype=float).copy()
    profile_of = days["profile"].astype(str).to_numpy()
    horizon = scenario.horizon_days
    for name, rule in scenario.sales.pay.items():
        mask = profile_of == name
        if not mask.any():
            continue
        profile = scenario.profiles[name]
        part = days.loc[mask, ["operator", "day", "meetings"]]
        if rule.fixed_only_if_plan_met and rule.plan_meetings_per_month > 0:
            month_days = max(1, round(profile.pay.working_days_per_month))
            grouped = part.assign(month=part["day"].to_numpy() // month_days).groupby(
                ["operator", "month"], observed=True
            )
            booked = grouped["meetings"].transform("sum").to_numpy()
            length = grouped["day"].transform("count").to_numpy()
            plan = np.ceil(rule.plan_meetings_per_month * length / month_days - 1e-9)
            cost[mask] -= np.where(booked >= plan, 0.0, profile.pay.cost_per_day)
        cost[mask] += rule.bonus_per_meeting_booked * part["meetings"].to_numpy()
        if meetings is None or not len(meetings):
            continue
        booked_by = meetings["booked_by"].astype(str).to_numpy()
        shown = meetings["shown"].fillna(False).to_numpy(dtype=bool)
        held = pd.DataFrame(
            {
                "operator": booked_by[shown],
                "day": meetings["day_held"].to_numpy(np.int64, na_value=-1)[shown],
            }
        )
        extra = rule.bonus_per_meeting_held * _on_caller_days(part, held, np.ones(int(shown.sum())))
        sale_day = meetings["sale_day"].to_numpy(dtype=float, na_value=np.inf)
        signed = meetings["sale"].to_numpy(dtype=bool) & (sale_day < horizon)
        sold = pd.DataFrame(
            {"operator": booked_by[signed], "day": sale_day[signed].astype(np.int64)}
        )
        values = meetings["sale_value"].to_numpy(dtype=float)[signed]
        extra += rule.commission_share * _on_caller_days(part, sold, values)
        cost[mask] += extra
    return cost
