"""The one metric a sensitivity analysis or a break-even search is about: ``M[:GROUP]``.

``M`` is a KPI of the registry (:data:`sim.records.kpis.KPIS`) and ``GROUP`` a caller row
of the observations: a profile name, a team group with a row of its own (its ``name``, or
``profile-INDEX``: :func:`sim.analysis.results.row_groups`), ``all`` (per caller-day) or
``team`` (per team-day).
Without a group the rule of ``compare`` and ``sweep`` applies
(:func:`sim.analysis.results.headline_group`): ``team`` when the scenarios evaluated differ in
headcount, else ``all``; quota metrics, which have no team-day meaning, always default to
``all``. For ratio metrics ``team`` and ``all`` are the same number (a ratio of the team's
totals).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis.estimator import ALL_PROFILES, TEAM, TEAM_METRICS
from sim.analysis.observations import EXPERIMENT_METRICS
from sim.analysis.results import headline_group, row_groups
from sim.errors import ExperimentError
from sim.records.kpis import KPI_BY_NAME, RATIO_METRICS
from sim.scenario import Scenario
from sim.scenario.arguments import require_text


@dataclass(frozen=True)
class TargetMetric:
    """A metric of one caller group: what an effect or a break-even is measured in."""

    metric: str
    group: str

    @property
    def unit(self) -> str:
        """The unit of one value, e.g. ``meetings per team-day`` or ``currency``."""
        found = KPI_BY_NAME.get(self.metric)
        unit = found.unit if found is not None else ""
        if self.metric in RATIO_METRICS or (found is not None and found.kind == "share"):
            return unit
        return f"{unit} per {'team-day' if self.group == TEAM else 'operator-day'}"

    @property
    def label(self) -> str:
        """How the metric reads on an axis, with its group: ``meetings booked (team)``."""
        found = KPI_BY_NAME.get(self.metric)
        name = found.label if found is not None else self.metric.replace("_", " ")
        return f"{name} ({self.group})"

    def __str__(self) -> str:
        return f"{self.metric}:{self.group}"

    def values(self, observations: pd.DataFrame) -> np.ndarray:
        """The metric's per-replication values in one run's observations (NaN if absent)."""
        key = (self.metric, self.group)
        if key not in observations.columns:
            return np.full(len(observations), np.nan)
        return observations[key].to_numpy(dtype=float)


def parse_target(text: str, scenarios: Iterable[Scenario]) -> TargetMetric:
    """``M[:GROUP]`` checked against the KPIs and the ``scenarios``' rows (profiles, groups).

    Raises :class:`ExperimentError` naming the known metrics or groups.
    """
    scenarios = list(scenarios)
    metric, _, group = (part.strip() for part in require_text(text, "metric").partition(":"))
    if metric not in EXPERIMENT_METRICS:
        raise ExperimentError(f"unknown metric {metric!r}; known: {', '.join(EXPERIMENT_METRICS)}")
    if not group:
        group = default_group(metric, scenarios)
    rows = [*dict.fromkeys([*(p for s in scenarios for p in s.profiles), *row_groups(scenarios)])]
    if group not in {*rows, ALL_PROFILES, TEAM}:
        raise ExperimentError(
            f"unknown group {group!r} for --metric {text}; use a profile or team group "
            f"({', '.join(rows)}), {ALL_PROFILES} or {TEAM}"
        )
    if group == TEAM and metric not in TEAM_METRICS and metric not in RATIO_METRICS:
        raise ExperimentError(
            f"{metric} has no team-day value (it is not a total over callers); "
            f"use {metric}:{ALL_PROFILES} or a profile"
        )
    return TargetMetric(metric, group)


def default_group(metric: str, scenarios: Iterable[Scenario]) -> str:
    """The group when ``--metric`` names none (see the module docstring)."""
    group = headline_group(scenarios)
    if group == TEAM and metric not in TEAM_METRICS and metric not in RATIO_METRICS:
        return ALL_PROFILES
    return group
