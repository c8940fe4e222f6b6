"""Statistics of an experiment from per-replication observations (see ``observations``).

- Each scenario's mean with a Student-t interval over its replications.
- The paired difference against a baseline: replication ``i`` of both scenarios ran on the
  same random numbers, so ``B_i - A_i`` are i.i.d. and their t interval is the interval of the
  difference (:func:`sim.analysis.stats.paired_interval`); for ratio metrics these are differences
  of
  delta-method pseudo-values, i.e. the delta-method interval of ``R_B - R_A``.
- The CRN variance ratio ``Var(B - A) / (Var(A) + Var(B))``
  (:func:`sim.analysis.stats.variance_ratio`):
  the variance of the paired difference against what independent streams would give.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.estimator import ALL_PROFILES, TEAM
from sim.analysis.observations import QUOTA_NORM_METRICS
from sim.analysis.results import row_groups
from sim.analysis.stats import (
    Interval,
    interval_row,
    paired_interval,
    t_interval,
    variance_ratio,
)
from sim.errors import UnknownNameError
from sim.scenario import Scenario


def mean_rows(obs: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Per (metric, profile): ``mean, ci_low, ci_high, replications`` (non-NaN replications)."""
    rows = []
    for (metric, profile), values in obs.items():
        ci = t_interval(values.to_numpy(dtype=float), level)
        rows.append({**interval_row(metric, profile, ci), "replications": ci.n})
    return pd.DataFrame(rows)


def reported_rows(table: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """The rows of :func:`mean_rows` an experiment reports for one scenario.

    The scenario's staffed profiles, ``all`` and ``team``; no rows without a single value
    (quota norms of a profile without a quota, quota figures of the team).
    """
    groups = {*row_groups([scenario]), ALL_PROFILES, TEAM}
    empty = table["replications"] == 0
    keep = table["profile"].isin(groups) & ~(
        empty & (table["metric"].isin(QUOTA_NORM_METRICS) | (table["profile"] == TEAM))
    )
    return table[keep]


def paired_rows(baseline: pd.DataFrame, other: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Per (metric, profile) of ``other``: paired difference to ``baseline`` and CRN ratio.

    Columns ``metric, profile, diff_mean, diff_ci_low, diff_ci_high, var_ratio``; NaN where
    the baseline has no such column (a profile only ``other`` has).
    """
    rows = []
    for key, values in other.items():
        b = values.to_numpy(dtype=float)
        if key in baseline.columns:
            a = baseline[key].reindex(values.index).to_numpy(dtype=float)
            diff = paired_interval(a, b, level)
            ratio = variance_ratio(a, b)
        else:
            diff, ratio = Interval(np.nan, np.nan, np.nan, level, 0, np.nan), np.nan
        rows.append(
            {
                "metric": key[0],
                "profile": key[1],
                "diff_mean": diff.mean,
                "diff_ci_low": diff.low,
                "diff_ci_high": diff.high,
                "var_ratio": ratio,
            }
        )
    return pd.DataFrame(rows)


def interval_of(obs: pd.DataFrame, metric: str, profile: str, level: float = 0.95) -> Interval:
    """The t interval of one (metric, profile) column (KeyError naming it if absent).

    The error names the rows (profiles, team groups, ``all``, ``team``) or metrics there are,
    as a run's :meth:`~sim.analysis.results.Results.confidence_interval` does.
    """
    if (metric, profile) not in obs.columns:
        metrics = list(dict.fromkeys(str(m) for m, _ in obs.columns))
        rows = list(dict.fromkeys(str(p) for _, p in obs.columns))
        if metric not in metrics:
            raise UnknownNameError(f"no metric {metric!r}; known: {', '.join(metrics)}")
        raise UnknownNameError(
            f"no metric {metric!r} for row {profile!r}; known rows: {', '.join(rows)}"
        )
    return t_interval(obs[(metric, profile)].to_numpy(dtype=float), level)
