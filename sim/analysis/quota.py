"""Quota attainment: how often a quota is met, and what a fair norm would be.

Per profile with a quota: the probability that an operator-day meets the whole quota (the
mean over replications of the share of operator-days that met it, Student-t interval), and
the quota level met on at least 50%, 80% and 95% of operator-days, in the profile's headline
quota units (first part of the quota), each the mean over replications of the replication's
quantile with a Student-t interval (see :mod:`sim.analysis.observations`). A norm that 80%
of operator-days reach is one most callers can meet on most days.
"""

from __future__ import annotations

import pandas as pd

from sim.analysis.observations import QUOTA_NORM_METRICS, QUOTA_NORM_SHARES, observations
from sim.analysis.results import Results
from sim.analysis.stats import t_interval


def quota_attainment(results: Results, level: float = 0.95) -> pd.DataFrame:
    """One row per profile with a quota.

    Columns: ``profile, unit, target, p_met, p_met_low, p_met_high`` and, for each share
    (50, 80, 95), ``norm_pXX, norm_pXX_low, norm_pXX_high`` (units per operator-day).
    """
    obs = observations(
        results.operator_days, results.profiles(), results.replications, results.scenario
    )
    rows = []
    for profile in results.profiles():
        quota = results.scenario.profiles[profile].quota
        if not quota:
            continue
        met = t_interval(obs[("quota_met", profile)].to_numpy(dtype=float), level)
        row: dict[str, object] = {
            "profile": profile,
            "unit": quota[0].counts,
            "target": quota[0].target,
            "quota": " and ".join(f"{q.target:g} {q.counts}" for q in quota),
            "p_met": met.mean,
            "p_met_low": met.low,
            "p_met_high": met.high,
        }
        for metric in QUOTA_NORM_METRICS:
            ci = t_interval(obs[(metric, profile)].to_numpy(dtype=float), level)
            name = f"norm_p{round(QUOTA_NORM_SHARES[metric] * 100)}"
            row[name], row[f"{name}_low"], row[f"{name}_high"] = ci.mean, ci.low, ci.high
        rows.append(row)
    return pd.DataFrame(rows)
