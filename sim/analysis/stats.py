"""Confidence intervals over Monte Carlo replications.

Replications are independent and identically distributed, so a metric's per-replication values
give a Student-t interval for its expectation. Ratios of totals (cost per meeting) are formed
per replication first; their interval is then the t interval of those per-replication ratios
(the run summary). Experiments (compare, sweep, precision targets) instead estimate a ratio as
a ratio of totals over replications, with a delta-method interval (:func:`ratio_pseudo_values`),
and compare scenarios by paired differences under common random numbers
(:func:`paired_interval`, :func:`variance_ratio`).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np
from scipy import stats

from sim.errors import ArgumentValueError


@dataclass(frozen=True)
class Interval:
    """A mean with its two-sided confidence interval."""

    mean: float
    low: float
    high: float
    level: float
    n: int
    sd: float

    @property
    def half_width(self) -> float:
        """Half the interval's width."""
        return (self.high - self.low) / 2.0


def interval_row(metric: str, profile: str, ci: Interval) -> dict[str, object]:
    """The leading columns of a table row of intervals: metric, profile, mean and bounds."""
    return {
        "metric": metric,
        "profile": profile,
        "mean": ci.mean,
        "ci_low": ci.low,
        "ci_high": ci.high,
    }


def t_interval(values: np.ndarray | list[float], level: float = 0.95) -> Interval:
    """Student-t interval for the mean of i.i.d. ``values`` (NaNs dropped).

    With one value the interval is degenerate (NaN bounds); with zero spread it is the point.
    """
    if isinstance(level, bool) or not isinstance(level, numbers.Real) or not 0.0 < level < 1.0:
        raise ArgumentValueError(f"level must be in (0, 1), got {level!r}")
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = len(x)
    if n == 0:
        return Interval(np.nan, np.nan, np.nan, level, 0, np.nan)
    mean = float(x.mean())
    if n == 1:
        return Interval(mean, np.nan, np.nan, level, 1, np.nan)
    sd = float(x.std(ddof=1))
    half = float(stats.t.ppf(0.5 + level / 2.0, n - 1)) * sd / np.sqrt(n)
    return Interval(mean, mean - half, mean + half, level, n, sd)


def ratio_pseudo_values(
    numerator: np.ndarray, denominator: np.ndarray, scale: float = 1.0
) -> np.ndarray:
    """Delta-method linearisation of a ratio of means, one pseudo-value per replication.

    The estimator is ``R = scale * mean(num) / mean(den)`` (a ratio of totals over all
    replications, e.g. cost per meeting = total cost / total meetings). Its first-order (delta
    method) expansion around the true ratio is the mean of the pseudo-values
    ``u_i = R + scale * (num_i - (R / scale) * den_i) / mean(den)``: ``mean(u) == R`` exactly and
    ``var(u) / n`` is the delta-method variance of ``R``. A Student-t interval of ``u`` is
    therefore the delta-method interval of ``R``; paired differences of two scenarios'
    pseudo-values give the delta-method interval of ``R_B - R_A`` under common random numbers.
    Pairs with a non-finite value are dropped (NaN pseudo-value); all NaN if ``sum(den) == 0``.
    """
    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    ok = np.isfinite(num) & np.isfinite(den)
    out = np.full(len(num), np.nan)
    if not ok.any() or den[ok].sum() <= 0:
        return out
    mean_den = den[ok].mean()
    ratio = num[ok].mean() / mean_den
    out[ok] = scale * (ratio + (num[ok] - ratio * den[ok]) / mean_den)
    return out


def paired_interval(baseline: np.ndarray, other: np.ndarray, level: float = 0.95) -> Interval:
    """Student-t interval for the mean of ``other - baseline`` over paired replications.

    Replication ``i`` of both scenarios ran on the same random numbers, so the differences are
    i.i.d. and their t interval is the interval of the difference in expectations. Pairs with
    a NaN on either side are dropped. Identical inputs give exactly zero with a zero width.
    """
    a, b = np.asarray(baseline, dtype=float), np.asarray(other, dtype=float)
    return t_interval(b - a, level)


def variance_ratio(baseline: np.ndarray, other: np.ndarray) -> float:
    """``Var(B - A) / (Var(A) + Var(B))`` over paired replications (sample variances).

    The variance of a paired difference under common random numbers against the variance
    the same difference would have with independent random streams: below 1 means CRN helps
    (``1 - ratio`` of the variance is removed), 0 for identical scenarios. NaN with fewer
    than two complete pairs or zero variance on both sides.
    """
    a, b = np.asarray(baseline, dtype=float), np.asarray(other, dtype=float)
    ok = np.isfinite(a) & np.isfinite(b)
    if ok.sum() < 2:
        return float("nan")
    a, b = a[ok], b[ok]
    independent = a.var(ddof=1) + b.var(ddof=1)
    if independent <= 0:
        return float("nan")
    return float((b - a).var(ddof=1) / independent)
