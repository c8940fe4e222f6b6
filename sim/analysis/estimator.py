"""The one estimator: a metric's value per replication, for a group of callers.

Every interval callsim reports (a run's summary, compare and sweep tables, quota attainment,
the precision target) is a Student-t interval over these per-replication values:

- per-day metrics (counts, minutes, cost, quota units, :data:`~sim.records.kpis.KPIS` of any
  kind but ``ratio``): the mean over the replication's operator-days of the group;
- ``quota_met`` (a share): the share of those operator-days that met their own profile's
  quota, counting only operator-days whose profile has a quota;
- ratio metrics: the estimator is the ratio of totals over all replications, and each
  replication's value is its delta-method pseudo-value
  (:func:`sim.analysis.stats.ratio_pseudo_values`): their mean is that ratio and their
  Student-t interval is the delta-method interval. (A replication without meetings still
  counts, instead of being dropped as an infinite cost per meeting.)

**The rule for quotas of all callers together.** ``quota_met`` for ``all`` is the share of all
operator-days with a quota that met it, each day against its own profile's quota (students on
"60 calls" and salespeople on "3 meetings" together: how often a caller meets the norm set for
them). ``quota_units`` for ``all`` is the mean headline quota count only when every staffed
profile with a quota counts the same unit; otherwise it is NaN, because adding one profile's
calls to another's meetings means nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sim.analysis.stats import ratio_pseudo_values
from sim.records.kpis import KPIS, RATIO_METRICS, kpi
from sim.scenario import Scenario
from sim.scenario.names import AGGREGATE_NAME, TEAM_NAME

ALL_PROFILES = AGGREGATE_NAME
"""The group of every caller on the team, summarised per caller-day (operator-day)."""
TEAM = TEAM_NAME
"""The whole team as one unit, summarised per team-day: what a staffing decision compares.

Counts, minutes and cost per team-day are the team's daily totals (the sum over its callers,
averaged over the horizon's days); ratios are ratios of the team's totals (the same as for
``all``); quota figures have no team-day meaning and are NaN.
"""
TEAM_METRICS: tuple[str, ...] = tuple(
    k.name for k in KPIS if k.kind in ("count", "minutes", "cost")
)
"""Per-day metrics that add up over a team's callers."""


def profile_rows(frame: pd.DataFrame, profile: str | None) -> pd.DataFrame:
    """The operator-days of ``profile`` or of the team group of that label.

    Every row for ``None``, ``all`` or ``team``. A name is a profile first, then a group
    label (a group labelled with its own profile's name is that profile's only group, so
    both read the same rows); a name that is neither selects no rows.
    """
    if profile in (None, ALL_PROFILES, TEAM):
        return frame
    rows = (frame["profile"] == profile).to_numpy()
    if not rows.any() and "group" in frame.columns:
        rows = (frame["group"] == profile).to_numpy()
    return frame[rows]


def mixed_quota_units(scenario: Scenario, profiles: Sequence[str]) -> bool:
    """True if the staffed ``profiles`` with a quota count different headline units."""
    units = {scenario.profiles[p].quota[0].counts for p in profiles if scenario.profiles[p].quota}
    return len(units) > 1


def per_day_means(part: pd.DataFrame, metrics: Sequence[str]) -> pd.DataFrame:
    """Per replication, the mean over ``part``'s operator-days of each per-day metric.

    Operator-days where a metric is NaN (no quota) do not count towards its mean.
    """
    values = part[list(metrics)].copy()
    for metric in metrics:
        if values[metric].dtype == "boolean":
            values[metric] = values[metric].astype("Float64").astype(float)
    return values.groupby(part["replication"], sort=True).mean().astype(float)


def group_means(frame: pd.DataFrame, group: str | None, metrics: Sequence[str]) -> pd.DataFrame:
    """Per replication, each per-day metric for ``group``: a profile, ``all`` or ``team``.

    A profile and ``all``: the mean per operator-day (:func:`per_day_means`). ``team``: the
    mean per team-day of the team's daily total, NaN for metrics that do not add up.
    """
    if group != TEAM:
        return per_day_means(profile_rows(frame, group), metrics)
    if "day" not in frame.columns:  # not an operator-day table: no team-days to add up
        return per_day_means(frame, metrics) * np.nan
    summed = [m for m in metrics if m in TEAM_METRICS]
    totals = frame.groupby(["replication", "day"], sort=True)[summed].sum()
    means = totals.groupby(level="replication", sort=True).mean().astype(float)
    return means.reindex(columns=list(metrics))


def ratio_totals(part: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Per replication, the totals of a ratio metric's numerator and denominator."""
    num, den, _ = RATIO_METRICS[metric]
    return part.groupby("replication", sort=True)[[num, den]].sum()


def ratio_values(totals: pd.DataFrame, metric: str) -> np.ndarray:
    """Delta-method pseudo-values of a ratio metric from :func:`ratio_totals`."""
    num, den, scale = RATIO_METRICS[metric]
    return ratio_pseudo_values(
        totals[num].to_numpy(dtype=float), totals[den].to_numpy(dtype=float), scale
    )


def replication_values(
    frame: pd.DataFrame,
    metric: str,
    profile: str | None = None,
    scenario: Scenario | None = None,
) -> pd.Series:
    """One value of ``metric`` per replication for ``profile``'s callers (default: all).

    ``frame`` is an operator-day table. ``scenario`` (the one that produced it) applies the
    quota rule for all callers (module docstring); without it ``quota_units`` is averaged
    over every operator-day with a quota.
    """
    kpi(metric)  # KeyError naming the known metrics
    part = profile_rows(frame, profile)
    if metric in RATIO_METRICS:
        totals = ratio_totals(part, metric)
        return pd.Series(ratio_values(totals, metric), index=totals.index, name=metric)
    values = group_means(frame, profile, [metric])[metric].rename(metric)
    if (
        metric == "quota_units"
        and profile in (None, ALL_PROFILES)
        and scenario is not None
        and mixed_quota_units(scenario, sorted(set(frame["profile"].astype(str))))
    ):
        return values * np.nan
    return values
