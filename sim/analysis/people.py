"""People over time from the operator-day table: headcount, quits, hires, tenure, ramp.

These read the optional columns a people mechanism adds (:mod:`sim.records.people`):
``tenure_day`` with a ramp or turnover, ``hired`` and ``quit`` with turnover (whose table
holds only the days worked, so a day's rows are that day's headcount).

- :func:`headcount_by_day`: callers at work per replication and horizon day;
- :func:`turnover_by_replication`: per replication, mean headcount, quits, hires, mean tenure
  of the days worked and the cost of turnover (hires times the profile's hiring cost);
- :func:`turnover_summary`: those figures' means over replications with 95 % intervals;
- :func:`by_tenure_week`: a per-day metric by tenure week (0 = the first five days worked),
  mean over replications with a 95 % interval, for the ramp's trajectory;
- :func:`air_time_summary`: air minutes per operator-day and talk per DM contact of each
  profile with an air-time rule, for comparison with the rule.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.stats import t_interval
from sim.errors import ArgumentValueError
from sim.scenario import Scenario

TURNOVER_METRICS = ("headcount", "quits", "hires", "tenure_days", "turnover_cost")
"""Per replication: mean callers at work per day, quits, hires, mean tenure of the days worked
(working days worked before each), hires times their profile's hiring cost."""
DAYS_PER_TENURE_WEEK = 5


def has_people_columns(operator_days: pd.DataFrame) -> bool:
    """Whether a people mechanism was on (the table has ``tenure_day``)."""
    return "tenure_day" in operator_days.columns


def has_turnover_columns(operator_days: pd.DataFrame) -> bool:
    """Whether turnover was on (the table has ``hired`` and ``quit``)."""
    return {"hired", "quit"} <= set(operator_days.columns)


def headcount_by_day(operator_days: pd.DataFrame) -> pd.DataFrame:
    """Callers at work per (replication, day): columns ``replication``, ``day``, ``headcount``.

    Without turnover every seat works every day, so this is the team size throughout.
    """
    counts = operator_days.groupby(["replication", "day"], sort=True).size()
    return counts.rename("headcount").reset_index()


def turnover_by_replication(operator_days: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Per replication (index), the columns of :data:`TURNOVER_METRICS`.

    ``operator_days`` must come from a run with turnover (columns ``hired`` and ``quit``).
    """
    if not has_turnover_columns(operator_days):
        raise ArgumentValueError("the operator-day table has no turnover columns (hired, quit)")
    reps = operator_days.groupby("replication", sort=True)
    headcount = headcount_by_day(operator_days).groupby("replication")["headcount"].mean()
    hiring_cost = {
        name: (0.0 if p.turnover is None else p.turnover.hiring_cost)
        for name, p in scenario.profiles.items()
    }
    hired = operator_days["hired"].to_numpy(dtype=bool)
    cost = np.where(hired, operator_days["profile"].astype(str).map(hiring_cost), 0.0)
    return pd.DataFrame(
        {
            "headcount": headcount,
            "quits": reps["quit"].sum().astype(int),
            "hires": reps["hired"].sum().astype(int),
            "tenure_days": reps["tenure_day"].mean(),
            "turnover_cost": pd.Series(cost, index=operator_days.index)
            .groupby(operator_days["replication"])
            .sum(),
        }
    )


def turnover_summary(operator_days: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Means over replications of :func:`turnover_by_replication` with 95 % t intervals.

    Columns ``metric``, ``mean``, ``ci_low``, ``ci_high``; one row per turnover metric.
    """
    per_rep = turnover_by_replication(operator_days, scenario)
    rows = []
    for metric in TURNOVER_METRICS:
        ci = t_interval(per_rep[metric].to_numpy(dtype=float))
        rows.append({"metric": metric, "mean": ci.mean, "ci_low": ci.low, "ci_high": ci.high})
    return pd.DataFrame(rows)


def by_tenure_week(operator_days: pd.DataFrame, metric: str) -> pd.DataFrame:
    """``metric`` per operator-day by tenure week, averaged per replication, then over them.

    Columns ``tenure_week``, ``mean``, ``ci_low``, ``ci_high``, ``operator_days`` (rows of
    that week over all replications). Needs ``tenure_day`` (a ramp or turnover on).
    """
    if not has_people_columns(operator_days):
        raise ArgumentValueError(
            "the operator-day table has no tenure_day column (no ramp or turnover)"
        )
    week = operator_days["tenure_day"].to_numpy() // DAYS_PER_TENURE_WEEK
    frame = pd.DataFrame(
        {
            "replication": operator_days["replication"].to_numpy(),
            "tenure_week": week,
            "value": operator_days[metric].to_numpy(dtype=float),
        }
    )
    per_rep = frame.groupby(["tenure_week", "replication"], sort=True)["value"].mean()
    rows = []
    for w, values in per_rep.groupby(level="tenure_week", sort=True):
        ci = t_interval(values.to_numpy(dtype=float))
        rows.append(
            {
                "tenure_week": int(w),
                "mean": ci.mean,
                "ci_low": ci.low,
                "ci_high": ci.high,
                "operator_days": int((week == w).sum()),
            }
        )
    return pd.DataFrame(rows)


AIR_TIME_METRICS = ("air_min_per_day", "talk_min_per_dm_contact")
"""Per replication: air (talk) minutes per operator-day, and talk minutes per DM contact
(gatekeeper and referral talk included, as the air-time rule's floor counts it)."""


def air_time_summary(operator_days: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Air time of each profile with an air-time rule, against its rule.

    Per replication, the profile's mean talk minutes per operator-day and its talk minutes
    per DM contact (total talk over total DM contacts); their means over replications with
    95 % t intervals. Columns ``profile``, ``metric`` (:data:`AIR_TIME_METRICS`), ``mean``,
    ``ci_low``, ``ci_high``. Empty when no profile of the table has a rule.
    """
    rows = []
    for name, profile in scenario.profiles.items():
        if profile.air_time is None:
            continue
        days = operator_days[(operator_days["profile"] == name).to_numpy()]
        if days.empty:
            continue
        reps = days.groupby("replication", sort=True, observed=True)
        talk = reps["talk_min"].sum().to_numpy(dtype=float)
        contacts = reps["dm_contacts"].sum().to_numpy(dtype=float)
        per_rep = {
            "air_min_per_day": reps["talk_min"].mean().to_numpy(dtype=float),
            # A replication without DM contacts has no talk per contact (NaN, left out).
            "talk_min_per_dm_contact": talk / np.where(contacts > 0, contacts, np.nan),
        }
        for metric in AIR_TIME_METRICS:
            ci = t_interval(per_rep[metric])
            rows.append(
                {
                    "profile": name,
                    "metric": metric,
                    "mean": ci.mean,
                    "ci_low": ci.low,
                    "ci_high": ci.high,
                }
            )
    return pd.DataFrame(rows, columns=["profile", "metric", "mean", "ci_low", "ci_high"])
