"""Confidence intervals over Monte Carlo replications.

Replications are independent and identically distributed, so a metric's per-replication values
give a Student-t interval for its expectation. Ratios of totals (cost per meeting) are formed
per replication first; their interval is then the t interval of those per-replication ratios.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats


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


def t_interval(values: np.ndarray | list[float], level: float = 0.95) -> Interval:
    """Student-t interval for the mean of i.i.d. ``values`` (NaNs dropped).

    With one value the interval is degenerate (NaN bounds); with zero spread it is the point.
    """
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be in (0, 1), got {level}")
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
