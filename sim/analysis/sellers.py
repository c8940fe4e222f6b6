"""The sellers' side of a run: backlog of meetings over the horizon and the funnel to sales.

Read from the ``meetings`` table (:mod:`sim.records.meetings`) and the operator-days.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

BACKLOG_COLUMNS = ["replication", "day", "due", "held", "backlog"]
"""Columns of :func:`backlog_by_day`."""


def backlog_by_day(
    meetings: pd.DataFrame, horizon_days: int, replications: int | None = None
) -> pd.DataFrame:
    """Per replication and day of the horizon: meetings ``due``, ``held`` and ``backlog``.

    ``due`` and ``held`` are the day's counts; ``backlog`` the meetings due by the end of the
    day and not yet held (meetings booked in a warm-up are not in the table, so a warm-up's
    backlog is not counted). With ``replications`` (the run's count), a replication that
    booked no meeting has its rows too (all 0), so means over replications count it.
    """
    rows = []
    days = np.arange(horizon_days)
    parts = dict(iter(meetings.groupby("replication", sort=True)))
    numbers = sorted(parts) if replications is None else range(replications)
    for replication in numbers:
        part = parts.get(replication, meetings.iloc[:0])
        due = np.bincount(
            np.clip(part["day_due"].to_numpy(dtype=float, na_value=np.inf), 0, horizon_days).astype(
                np.int64
            ),
            minlength=horizon_days + 1,
        )[:horizon_days]
        held_days = part["day_held"].dropna().to_numpy(dtype=np.int64)
        held = np.bincount(held_days[held_days < horizon_days], minlength=horizon_days)
        rows.append(
            pd.DataFrame(
                {
                    "replication": replication,
                    "day": days,
                    "due": due,
                    "held": held,
                    "backlog": np.cumsum(due) - np.cumsum(held),
                }
            )
        )
    if not rows:
        return pd.DataFrame(
            {name: np.zeros(0, dtype=np.int64) for name in BACKLOG_COLUMNS}, columns=BACKLOG_COLUMNS
        )
    return pd.concat(rows, ignore_index=True)


def funnel_totals(operator_days: pd.DataFrame, meetings: pd.DataFrame | None) -> pd.DataFrame:
    """Per replication and team group: dials, calls, DM contacts, meetings booked, shown, sales.

    ``sales`` counts orders signed within the horizon; ``revenue`` is their value (currency).
    """
    stages = ["dials", "calls_excl_busy_no_answer", "dm_contacts", "meetings"]
    calls = (
        operator_days.groupby(["replication", "group"], observed=True)[stages]
        .sum()
        .rename(columns={"calls_excl_busy_no_answer": "calls", "meetings": "booked"})
    )
    if meetings is None or meetings.empty:
        return calls.assign(held=0, shown=0, sales=0, revenue=0.0).reset_index()
    horizon = int(operator_days["day"].max()) + 1
    signed = meetings["sale"].to_numpy() & (
        meetings["sale_day"].to_numpy(dtype=float, na_value=np.inf) < horizon
    )
    frame = meetings.assign(
        held=meetings["day_held"].notna(),
        shown=meetings["shown"].fillna(False).astype(bool),
        signed=signed,
        revenue=np.where(signed, meetings["sale_value"].to_numpy(), 0.0),
    )
    after = frame.groupby(["replication", "group"], observed=True).agg(
        held=("held", "sum"),
        shown=("shown", "sum"),
        sales=("signed", "sum"),
        revenue=("revenue", "sum"),
    )
    return (
        calls.join(after, how="left")
        .fillna({"held": 0, "shown": 0, "sales": 0, "revenue": 0.0})
        .reset_index()
    )
