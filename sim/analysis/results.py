"""Results of a Monte Carlo run: the tidy tables and their summary.

Pure data: :mod:`sim.storage` saves and loads them.

Every KPI is a mean **per operator-day**: first averaged within each replication (over the
horizon's days and the profile's callers), then summarised over replications with a Student-t
confidence interval. Ratio metrics (cost per meeting, ...) are ratios of totals within a
replication, summarised the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.stats import Interval, ratio_pseudo_values, t_interval
from sim.records.tables import COUNT_COLUMNS, MINUTE_COLUMNS
from sim.scenario import Scenario
from sim.scenario.scenario import AGGREGATE_NAME

log = logging.getLogger(__name__)

ALL_PROFILES = AGGREGATE_NAME
PER_DAY_METRICS = (
    *COUNT_COLUMNS,
    *MINUTE_COLUMNS,
    "break_min",
    "idle_min",
    "overrun_min",
    "quota_units",
    "quota_met",
    "cost",
)
"""Metrics summarised as means per operator-day."""

RATIO_METRICS: dict[str, tuple[str, str, float]] = {
    "cost_per_dm_contact": ("cost", "dm_contacts", 1.0),
    "cost_per_meeting": ("cost", "meetings", 1.0),
    "meetings_per_talk_hour": ("meetings", "talk_min", 60.0),
    "needs_per_100_calls": ("needs", "calls_excl_busy_no_answer", 100.0),
}
"""Ratio metrics: ``name -> (numerator, denominator, scale)``, totals within a replication."""

TableSource = pd.DataFrame | Callable[[], pd.DataFrame | None] | None
"""A table, ``None`` (not recorded), or a zero-argument loader called on first access."""


class Results:
    """The tables of a run, the scenario that produced them, and how it was run.

    Tables may be given as DataFrames or as loaders (see :data:`TableSource`): results read
    from disk load each table only when it is first used, so a 2,000-replication run's
    ``leads`` table stays on disk unless asked for.
    """

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        replications: int,
        operator_days: TableSource,
        segment_days: TableSource,
        leads: TableSource,
        calls: TableSource = None,
        wall_time_s: float = 0.0,
        extra_manifest: dict[str, Any] | None = None,
    ) -> None:
        self.scenario = scenario
        self.seed = seed
        self.replications = replications
        self.wall_time_s = wall_time_s
        self.extra_manifest: dict[str, Any] = dict(extra_manifest or {})
        self._sources: dict[str, TableSource] = {
            "operator_days": operator_days,
            "segment_days": segment_days,
            "leads": leads,
            "calls": calls,
        }

    def __repr__(self) -> str:
        return (
            f"Results(scenario={self.scenario.name!r}, seed={self.seed}, "
            f"replications={self.replications})"
        )

    def _table(self, name: str) -> pd.DataFrame | None:
        source = self._sources[name]
        if callable(source) and not isinstance(source, pd.DataFrame):
            source = source()
            self._sources[name] = source
        return source

    def _required(self, name: str) -> pd.DataFrame:
        table = self._table(name)
        if table is None:
            raise ValueError(f"these results did not keep the {name} table")
        return table

    def table_source(self, name: str) -> TableSource:
        """What table ``name`` is now: a DataFrame, None, or its loader if not yet read."""
        return self._sources[name]

    def has_table(self, name: str) -> bool:
        """True if the run kept table ``name`` (without loading it)."""
        return self._sources[name] is not None

    def is_loaded(self, name: str) -> bool:
        """True once table ``name`` is in memory (always, for results computed in memory)."""
        source = self._sources[name]
        return source is None or isinstance(source, pd.DataFrame)

    @property
    def operator_days(self) -> pd.DataFrame:
        """One row per (replication, day, operator)."""
        return self._required("operator_days")

    @property
    def segment_days(self) -> pd.DataFrame:
        """One row per (replication, day, operator, segment called)."""
        return self._required("segment_days")

    @property
    def leads(self) -> pd.DataFrame:
        """The final state of every company, one row per (replication, company)."""
        return self._required("leads")

    @property
    def calls(self) -> pd.DataFrame | None:
        """The call log (one row per attempt), or None when it was not recorded."""
        return self._table("calls")

    def table(self, name: str) -> pd.DataFrame | None:
        """A table by name (``operator_days``, ``segment_days``, ``leads`` or ``calls``)."""
        return self._table(name)

    def to_frame(self) -> pd.DataFrame:
        """The operator-day table: one row per (replication, day, operator)."""
        return self.operator_days

    def profiles(self) -> list[str]:
        """Profiles that have callers on the team, in scenario order."""
        present = set(self.operator_days["profile"].astype(str))
        return [p for p in self.scenario.profiles if p in present]

    def replication_values(self, metric: str, profile: str | None = None) -> pd.Series:
        """One value of ``metric`` per replication (mean per operator-day, or a ratio).

        Quota metrics for all callers together are NaN unless every profile on the team has
        the same quota: adding up calls of one and DM contacts of another means nothing.
        """
        values = replication_values(self.operator_days, metric, profile)
        if metric in ("quota_units", "quota_met") and profile in (None, ALL_PROFILES):
            quotas = {tuple(self.scenario.profiles[p].quota) for p in self.profiles()}
            if len(quotas) > 1:
                return values * np.nan
        return values

    def confidence_interval(
        self, metric: str, level: float = 0.95, profile: str | None = None
    ) -> Interval:
        """Student-t interval over replications for ``metric`` (all callers or one profile)."""
        return t_interval(self.replication_values(metric, profile).to_numpy(), level)

    def summary(self, level: float = 0.95) -> pd.DataFrame:
        """Per metric and profile (plus ``all``): mean with its confidence interval."""
        rows = []
        for profile in [*self.profiles(), ALL_PROFILES]:
            for metric in (*PER_DAY_METRICS, *RATIO_METRICS):
                ci = self.confidence_interval(metric, level, profile)
                rows.append(
                    {
                        "metric": metric,
                        "profile": profile,
                        "mean": ci.mean,
                        "ci_low": ci.low,
                        "ci_high": ci.high,
                        "half_width": ci.half_width,
                        "sd": ci.sd,
                        "replications": ci.n,
                        "level": level,
                        "unit": "ratio" if metric in RATIO_METRICS else "per operator-day",
                    }
                )
        return pd.DataFrame(rows)


def profile_rows(frame: pd.DataFrame, profile: str | None) -> pd.DataFrame:
    """The operator-days of ``profile`` (every row for ``None`` or ``"all"``)."""
    if profile in (None, ALL_PROFILES):
        return frame
    return frame[frame["profile"] == profile]


def replication_values(frame: pd.DataFrame, metric: str, profile: str | None = None) -> pd.Series:
    """One value of ``metric`` per replication, from an operator-day table.

    Per-day metrics: the mean over the replication's operator-days of ``profile``. Ratio
    metrics (:data:`RATIO_METRICS`): the estimator is the ratio of totals over all
    replications, and each replication's value is its delta-method pseudo-value
    (:func:`sim.analysis.stats.ratio_pseudo_values`): their mean is that ratio and their Student-t
    interval is the delta-method interval. (A replication without meetings thus still counts,
    instead of being dropped as an infinite cost per meeting.)
    """
    part = profile_rows(frame, profile)
    if metric in RATIO_METRICS:
        num, den, scale = RATIO_METRICS[metric]
        totals = part.groupby("replication", sort=True)[[num, den]].sum()
        pseudo = ratio_pseudo_values(
            totals[num].to_numpy(dtype=float), totals[den].to_numpy(dtype=float), scale
        )
        return pd.Series(pseudo, index=totals.index, name=metric)
    if metric not in PER_DAY_METRICS:
        known = ", ".join((*PER_DAY_METRICS, *RATIO_METRICS))
        raise KeyError(f"unknown metric {metric!r}; known: {known}")
    values = part[metric]
    if values.dtype == "boolean":
        values = values.astype("Float64").astype(float)
    return values.groupby(part["replication"], sort=True).mean().astype(float)


def team_profiles(scenarios: Sequence[Scenario]) -> list[str]:
    """Profiles with at least one caller in any of ``scenarios``, in first-seen order."""
    seen: list[str] = []
    for scenario in scenarios:
        staffed = {group.profile for group in scenario.team if group.count > 0}
        seen += [p for p in scenario.profiles if p in staffed and p not in seen]
    return seen
