"""Per-replication observations of every experiment metric: the raw material of the CIs.

For each replication, metric and profile (plus ``all``) one number:

- per-day and ratio metrics (:data:`sim.records.kpis.KPIS`): the value of the one estimator,
  :mod:`sim.analysis.estimator` (a mean per operator-day, or a ratio of totals as its
  delta-method pseudo-value), as in the run summary;
- quota norms (:data:`QUOTA_NORM_METRICS`): the quota level met on at least 50/80/95% of the
  replication's operator-days of the profile, in the profile's headline quota units (the
  largest whole level at least that share of days reach). The estimate is the mean over
  replications, the usual replication approach to quantiles in simulation.

Student-t intervals over replications, paired differences and variance ratios then treat
every metric alike.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sim.analysis.estimator import (
    ALL_PROFILES,
    TEAM,
    group_means,
    mixed_quota_units,
    profile_rows,
    ratio_totals,
    ratio_values,
)
from sim.records.kpis import PER_DAY_METRICS, RATIO_METRICS
from sim.scenario import Scenario

QUOTA_NORM_SHARES = {"quota_norm_p50": 0.50, "quota_norm_p80": 0.80, "quota_norm_p95": 0.95}
"""Quota level met on at least this share of operator-days, per profile."""
QUOTA_NORM_METRICS = tuple(QUOTA_NORM_SHARES)
EXPERIMENT_METRICS = (*PER_DAY_METRICS, *RATIO_METRICS, *QUOTA_NORM_METRICS)
"""Every metric reported by compare and sweep, in this order."""


def observations(
    operator_days: pd.DataFrame,
    profiles: list[str],
    replications: int | None = None,
    scenario: Scenario | None = None,
) -> pd.DataFrame:
    """Observations of every metric, index = replication, columns = (metric, profile).

    ``profiles`` are reported in that order, then ``all``; a profile without callers in the
    run gives NaN columns. ``replications`` (default: those present) fixes the index to
    ``0 .. replications-1`` so runs of an experiment align replication by replication.
    ``scenario`` (the run's) applies the rule for quotas of all callers together
    (:mod:`sim.analysis.estimator`). Every value comes from the estimator's functions.
    """
    reps = (
        np.arange(replications)
        if replications is not None
        else np.sort(operator_days["replication"].unique())
    )
    index = pd.Index(reps, name="replication")
    staffed = sorted(set(operator_days["profile"].astype(str)))
    columns: dict[tuple[str, str], np.ndarray] = {}
    for profile in [*profiles, ALL_PROFILES, TEAM]:
        part = profile_rows(operator_days, profile)
        grouped = group_means(operator_days, profile, PER_DAY_METRICS).reindex(index)
        for metric in PER_DAY_METRICS:
            columns[(metric, profile)] = grouped[metric].to_numpy(dtype=float)
        if (
            profile == ALL_PROFILES
            and scenario is not None
            and mixed_quota_units(scenario, staffed)
        ):
            columns[("quota_units", profile)] = np.full(len(index), np.nan)
        for metric in RATIO_METRICS:
            totals = ratio_totals(part, metric).reindex(index)
            columns[(metric, profile)] = ratio_values(totals, metric)
        norms = _quota_norms(part, index) if profile not in (ALL_PROFILES, TEAM) else None
        for metric in QUOTA_NORM_METRICS:
            columns[(metric, profile)] = (
                norms[metric].to_numpy(dtype=float)
                if norms is not None
                else np.full(len(index), np.nan)
            )
    frame = pd.DataFrame(columns, index=index)
    frame.columns = pd.MultiIndex.from_tuples(frame.columns, names=["metric", "profile"])
    return frame


def norm_levels(
    values: pd.Series, replications: pd.Series, shares: Sequence[float]
) -> dict[float, pd.Series]:
    """Per replication, the norm met on at least each share of operator-days.

    ``values`` are units per operator-day and ``replications`` each day's replication. The
    norm is the largest whole level ``q`` with ``P(units >= q) >= share`` among the
    replication's operator-days (the rule of
    :func:`sim.presentation.plots.quota_charts.attainable_norms`, which applies it to all
    replications pooled). Days with a NaN value do not count.
    """
    frame = pd.DataFrame({"rep": replications.to_numpy(), "units": values.to_numpy(dtype=float)})
    frame = frame.dropna()
    out: dict[float, dict[object, float]] = {share: {} for share in shares}
    for rep, part in frame.groupby("rep", sort=True)["units"]:
        ordered = np.sort(part.to_numpy(dtype=float))
        n = len(ordered)
        for share in shares:
            out[share][rep] = float(np.floor(ordered[n - int(np.ceil(share * n - 1e-9))]))
    return {share: pd.Series(by_rep, dtype=float) for share, by_rep in out.items()}


def _quota_norms(part: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    """Per replication, the headline quota level met on at least each share of operator-days."""
    out = pd.DataFrame(np.nan, index=index, columns=list(QUOTA_NORM_METRICS))
    if part.empty:
        return out
    norms = norm_levels(part["quota_units"], part["replication"], list(QUOTA_NORM_SHARES.values()))
    for metric, share in QUOTA_NORM_SHARES.items():
        found = norms[share]
        out.loc[found.index.intersection(index), metric] = found
    return out
