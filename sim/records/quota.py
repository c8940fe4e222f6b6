"""Daily quotas: what a manager's norm counts and whether an operator-day met it.

A quota is a list of :class:`~sim.scenario.QuotaTarget` parts ("120 calls and 12 needs" is two);
an operator-day meets the quota when it meets every part. ``quota_units`` reports the first
part's count, the headline number of the norm.
"""

from __future__ import annotations

from typing import get_args

import numpy as np
import pandas as pd

from sim.records.kpis import COUNT_COLUMNS
from sim.scenario import QuotaTarget, QuotaUnit

QUOTA_UNITS: tuple[str, ...] = get_args(QuotaUnit)
"""What a quota may count: each is a count column of the operator-day table (a KPI)."""
assert set(QUOTA_UNITS) <= set(COUNT_COLUMNS), "every quota unit must be a recorded count"


def quota_unit_counts(days: pd.DataFrame, unit: QuotaUnit) -> np.ndarray:
    """Units of ``unit`` achieved on each operator-day of ``days``."""
    return days[unit].to_numpy(dtype=float)


def evaluate_quota(days: pd.DataFrame, quota: list[QuotaTarget]) -> tuple[np.ndarray, np.ndarray]:
    """``(quota_units, quota_met)`` per operator-day; NaN / all-False-free arrays if no quota.

    ``quota_met`` is a float array of 1.0/0.0, NaN where the profile has no quota.
    """
    n = len(days)
    if not quota:
        return np.full(n, np.nan), np.full(n, np.nan)
    met = np.ones(n, dtype=bool)
    headline = None
    for part in quota:
        units = quota_unit_counts(days, part.counts)
        if headline is None:
            headline = units
        met &= units >= part.target
    assert headline is not None
    return headline, met.astype(float)
