"""Callers as people: each caller's month, the spread between callers, quota per caller.

Per operator-day figures average over callers and days alike; a manager setting a norm also
asks how far apart the callers are, and how many of them meet the norm on most of their days.
:func:`caller_months` sums each caller's horizon (a "month" of ``horizon_days`` working days)
per replication; :func:`caller_spread` summarises, per profile, the spread of one monthly
figure between the callers of a replication and the share of callers whose days meet the
quota often enough, each averaged over replications.

With ``speed_spread`` and ``skill_spread`` at 0 (the default) the callers of a profile differ
only by chance, so the spread here is day-to-day noise summed over the month; with a spread
it also shows the callers' personal multipliers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.errors import ArgumentValueError, UnknownNameError
from sim.records.kpis import COUNT_COLUMNS

CALLER_METRICS = ("calls_excl_busy_no_answer", "dm_contacts", "meetings")
"""Monthly figures whose spread between callers a run reports (``callers.csv``)."""
CALLER_KEYS = ("replication", "profile", "group", "operator")
"""Columns naming one caller of one replication."""

SPREAD_COLUMNS = (
    "profile",
    "metric",
    "callers",
    "mean",
    "sd",
    "cv",
    "p10",
    "p50",
    "p90",
    "attained_share",
    "callers_attaining",
)
"""Columns of :func:`caller_spread`, in order."""


def caller_months(operator_days: pd.DataFrame) -> pd.DataFrame:
    """One row per caller and replication: the caller's whole horizon.

    Count columns (dials, calls, DM contacts, needs, meetings, ...) and ``talk_min`` are summed
    over the caller's operator-days; ``days`` counts them; ``quota_met_share`` is the share of
    the caller's days that met the profile's quota (NaN without a quota).
    """
    days = operator_days
    if "replication" not in days.columns:
        days = days.assign(replication=0)
    counts = [c for c in (*COUNT_COLUMNS, "talk_min") if c in days.columns]
    grouped = days.groupby(list(CALLER_KEYS), observed=True, sort=True)
    months = grouped[counts].sum()
    months.insert(0, "days", grouped.size())
    if "quota_met" in days.columns:
        months["quota_met_share"] = grouped["quota_met"].mean()
    return months.reset_index()


def caller_spread(
    operator_days: pd.DataFrame,
    metric: str = "calls_excl_busy_no_answer",
    attained_share: float = 0.8,
) -> pd.DataFrame:
    """Per profile and team group: the spread of a monthly figure between callers; quota per caller.

    Within each replication, over the profile's callers: the mean of ``metric`` per caller-month,
    its standard deviation between callers (``sd``), ``cv`` = sd / mean, the 10th, 50th and 90th
    percentile, and ``callers_attaining``: the share of callers whose days met the quota on at
    least ``attained_share`` of the horizon's days (NaN without a quota). Each column is then the
    mean over replications; ``callers`` is the number of callers per replication. After the
    profiles' rows come the team groups with a results row of their own (a group whose label
    is not its profile's name, e.g. ``new-hires`` of ``experienced``), labelled in the
    ``profile`` column as in ``summary.csv``: a profile's row alone would mix, say, ramping new
    hires with trained callers.
    """
    if not 0.0 <= attained_share <= 1.0:
        raise ArgumentValueError(f"attained_share must be within [0, 1], got {attained_share}")
    months = caller_months(operator_days)
    if metric not in months.columns:
        raise UnknownNameError(
            f"no per-caller monthly {metric!r}; known: {', '.join(months.columns)}"
        )
    own_rows = months[months["group"].astype(str) != months["profile"].astype(str)]
    parts = [
        *months.groupby("profile", observed=True, sort=True),
        *own_rows.groupby("group", observed=True, sort=True),
    ]
    rows = []
    for label, part in parts:
        per_replication = []
        for _, callers in part.groupby("replication", sort=True):
            values = callers[metric].to_numpy(dtype=float)
            mean = float(values.mean())
            sd = float(values.std(ddof=1)) if len(values) > 1 else float("nan")
            p10, p50, p90 = np.percentile(values, [10, 50, 90])
            quota = callers.get("quota_met_share")
            attaining = (
                float((quota >= attained_share).mean())
                if quota is not None and quota.notna().all()
                else float("nan")
            )
            per_replication.append(
                (len(values), mean, sd, sd / mean if mean else float("nan"), p10, p50, p90,
                 attaining)
            )  # fmt: skip
        averaged = pd.DataFrame(per_replication, dtype=float).mean().to_numpy()
        rows.append((str(label), metric, *averaged[:7], attained_share, averaged[7]))
    return pd.DataFrame(rows, columns=list(SPREAD_COLUMNS))


def callers_table(
    operator_days: pd.DataFrame,
    metrics: tuple[str, ...] = CALLER_METRICS,
    attained_share: float = 0.8,
) -> pd.DataFrame:
    """:func:`caller_spread` of each of ``metrics``, one after the other (``callers.csv``)."""
    return pd.concat(
        [caller_spread(operator_days, metric, attained_share) for metric in metrics],
        ignore_index=True,
    )
