"""Scenarios compared under common random numbers: the :class:`Comparison` data object.

Every scenario ran replications ``0 .. n-1`` with the same root seed, so the same companies
carried the same latent answers in every scenario (see :mod:`sim.model.streams`) and
replication ``i`` of each scenario forms a pair. Per metric and caller group the comparison
reports each scenario's mean with a 95% interval and the paired difference against the first
scenario (the baseline) with its interval and the CRN variance ratio
(:mod:`sim.analysis.statistics`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.results import ALL_PROFILES, Results, headline_group, team_profiles
from sim.analysis.statistics import interval_of, mean_rows, paired_rows, reported_rows
from sim.analysis.stats import Interval, paired_interval, variance_ratio
from sim.errors import UnknownNameError
from sim.records.kpis import HEADLINE_METRICS
from sim.scenario import Scenario

COMPARISON_COLUMNS = [
    "scenario",
    "label",
    "baseline",
    "metric",
    "profile",
    "mean",
    "ci_low",
    "ci_high",
    "replications",
    "diff_mean",
    "diff_ci_low",
    "diff_ci_high",
    "var_ratio",
]


class Comparison:
    """Scenarios compared under common random numbers (see module docstring).

    ``results[label]`` are each scenario's run results; ``observations[label]`` their
    per-replication observations (index replication, columns (metric, profile)).
    """

    def __init__(
        self,
        labels: list[str],
        results: dict[str, Results],
        obs: dict[str, pd.DataFrame],
        seed: int,
        replications: int,
        wall_time_s: float = 0.0,
        precision: dict[str, Any] | None = None,
        directory: Path | None = None,
    ) -> None:
        self.labels = labels
        self.results = results
        self.scenarios: dict[str, Scenario] = {k: r.scenario for k, r in results.items()}
        self.observations = obs
        self.seed = seed
        self.replications = replications
        self.wall_time_s = wall_time_s
        self.precision = precision
        self.directory = directory

    def __repr__(self) -> str:
        return (
            f"Comparison({', '.join(self.labels)}; {self.replications} replications, "
            f"seed {self.seed})"
        )

    @property
    def headline_group(self) -> str:
        """``team`` when the scenarios' headcounts differ (compare teams), else ``all``."""
        return headline_group(self.scenarios.values())

    @property
    def baseline(self) -> str:
        """Label of the first scenario, the one differences are taken against."""
        return self.labels[0]

    def profiles(self) -> list[str]:
        """Profiles on any scenario's team, in first-seen order."""
        return team_profiles([self.scenarios[label] for label in self.labels])

    def to_frame(self, level: float = 0.95) -> pd.DataFrame:
        """The tidy comparison table (``comparison.csv``): one row per scenario, metric, profile.

        Rows only for profiles the scenario has, plus ``all`` (per caller-day) and ``team`` (per
        team-day: compare these when headcounts differ); quota norms only for profiles with a
        quota. Difference columns and ``var_ratio`` are NaN on the baseline's rows.
        """
        base = self.observations[self.baseline]
        frames = []
        for label in self.labels:
            obs = self.observations[label]
            table = mean_rows(obs, level)
            if label == self.baseline:
                for column in ("diff_mean", "diff_ci_low", "diff_ci_high", "var_ratio"):
                    table[column] = np.nan
            else:
                table = table.merge(paired_rows(base, obs, level), on=["metric", "profile"])
            table = reported_rows(table, self.scenarios[label])
            table.insert(0, "baseline", self.baseline)
            table.insert(0, "label", label)
            table.insert(0, "scenario", self.scenarios[label].name)
            frames.append(table)
        out = pd.concat(frames, ignore_index=True)[COMPARISON_COLUMNS]
        out["replications"] = out["replications"].astype(int)
        return out

    def summary(
        self,
        metrics: Sequence[str] = HEADLINE_METRICS,
        profile: str = ALL_PROFILES,
        level: float = 0.95,
    ) -> pd.DataFrame:
        """The comparison table cut down to ``metrics`` for one ``profile``."""
        frame = self.to_frame(level)
        frame = frame[frame["metric"].isin(metrics) & (frame["profile"] == profile)]
        order = {m: i for i, m in enumerate(metrics)}
        return frame.sort_values(
            ["metric", "label"],
            key=lambda s: s.map(order) if s.name == "metric" else s.map(self.labels.index),
            kind="stable",
        ).reset_index(drop=True)

    def confidence_interval(
        self,
        metric: str,
        level: float = 0.95,
        scenario: str | None = None,
        profile: str | None = None,
    ) -> Interval:
        """Interval of ``metric``'s mean in ``scenario`` (a label; default the baseline)."""
        return interval_of(
            self.observations[self._label(scenario)], metric, profile or ALL_PROFILES, level
        )

    def difference(
        self, metric: str, scenario: str, level: float = 0.95, profile: str | None = None
    ) -> Interval:
        """Paired interval of ``metric`` in ``scenario`` minus the baseline."""
        key = (metric, profile or ALL_PROFILES)
        a, b = self.observations[self.baseline], self.observations[self._label(scenario)]
        return paired_interval(a[key].to_numpy(), b[key].to_numpy(), level)

    def variance_ratio(
        self, metric: str, scenario: str | None = None, profile: str | None = None
    ) -> float:
        """CRN ratio ``Var(B - A) / (Var(A) + Var(B))`` against the baseline."""
        key = (metric, profile or ALL_PROFILES)
        label = self._label(scenario or self.labels[-1])
        a, b = self.observations[self.baseline], self.observations[label]
        return variance_ratio(a[key].to_numpy(), b[key].to_numpy())

    def _label(self, scenario: str | None) -> str:
        if scenario is None:
            return self.baseline
        if scenario in self.results:
            return scenario
        names = {s.name: label for label, s in self.scenarios.items()}
        if scenario in names:
            return names[scenario]
        raise UnknownNameError(f"no scenario {scenario!r}; labels: {', '.join(self.labels)}")
