"""A parameter sweep's results: the :class:`Sweep` data object.

The base scenario ran at every point of a design, all points with the same root seed and
replication numbers (common random numbers across points, so neighbouring points differ by the
parameter, not by luck). Per point, metric and caller group the sweep reports the mean with
its 95% interval (Student t; ratio metrics by the delta method, see
:mod:`sim.analysis.observations`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.results import ALL_PROFILES, Results, headline_group
from sim.analysis.statistics import interval_of, mean_rows, reported_rows
from sim.analysis.stats import Interval, paired_interval
from sim.scenario import Scenario

SWEEP_VALUE_COLUMNS = ["metric", "profile", "mean", "ci_low", "ci_high", "replications"]
MARGINAL_COLUMNS = ["marginal_mean", "marginal_ci_low", "marginal_ci_high"]
"""Per unit of the one varied parameter: the change from the previous point (see
:meth:`Sweep.to_frame`)."""


class Sweep:
    """A sweep's points and per-replication observations (see module docstring)."""

    def __init__(
        self,
        base_name: str,
        varied: list[str],
        points: list[dict[str, Any]],
        labels: list[str],
        scenarios: dict[str, Scenario],
        obs: dict[str, pd.DataFrame],
        seed: int,
        replications: int,
        design: str = "grid",
        wall_time_s: float = 0.0,
        precision: dict[str, Any] | None = None,
        results: dict[str, Results] | None = None,
    ) -> None:
        self.base_name = base_name
        self.varied = varied
        self.point_values = points
        self.labels = labels
        self.scenarios = scenarios
        self.observations = obs
        self.seed = seed
        self.replications = replications
        self.design = design
        self.wall_time_s = wall_time_s
        self.precision = precision
        self.results = results or {}
        self.directory: Path | None = None

    def __repr__(self) -> str:
        return (
            f"Sweep({self.base_name}: {len(self.labels)} points over "
            f"{', '.join(self.varied)}; {self.replications} replications)"
        )

    @property
    def headline_group(self) -> str:
        """``team`` when the headcount varies over the points (compare teams), else ``all``."""
        return headline_group(self.scenarios.values())

    @property
    def points(self) -> pd.DataFrame:
        """One row per point: ``point`` and the value of each varied path."""
        return pd.DataFrame([{"point": i, **values} for i, values in enumerate(self.point_values)])

    def to_frame(self, level: float = 0.95) -> pd.DataFrame:
        """The tidy sweep table (``sweep.csv``): one row per point, metric and profile."""
        frames = []
        for i, label in enumerate(self.labels):
            table = mean_rows(self.observations[label], level)
            table = reported_rows(table, self.scenarios[label])
            for j, path in enumerate(self.varied):
                table.insert(j, path, [self.point_values[i][path]] * len(table))
            table.insert(0, "point", i)
            frames.append(table)
        out = pd.concat(frames, ignore_index=True)
        out["replications"] = out["replications"].astype(int)
        out = out[["point", *self.varied, *SWEEP_VALUE_COLUMNS]]
        return out.join(self._marginals(out, level))

    def _marginals(self, table: pd.DataFrame, level: float) -> pd.DataFrame:
        """What one more unit of the varied parameter brings, from the previous point.

        With one numeric varied parameter (e.g. ``team.0.count``: the callers of a group),
        each point's row gets the paired difference from the previous point (common random
        numbers, replication by replication) divided by the step in the parameter, with its
        Student-t interval: for a sweep of students, what each added student brings to the
        team per day. NaN at the first point, and everywhere for other designs.
        """
        out = pd.DataFrame(np.nan, index=table.index, columns=MARGINAL_COLUMNS)
        if len(self.varied) != 1:
            return out
        path = self.varied[0]
        values = [v[path] for v in self.point_values]
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            return out
        for i in range(1, len(self.labels)):
            step = float(values[i]) - float(values[i - 1])
            if step == 0:
                continue
            before, after = self.observations[self.labels[i - 1]], self.observations[self.labels[i]]
            rows = table.index[table["point"] == i]
            for row in rows:
                key = (table.at[row, "metric"], table.at[row, "profile"])
                if key not in before.columns or key not in after.columns:
                    continue
                a = before[key].to_numpy(dtype=float)
                b = after[key].reindex(before.index).to_numpy(dtype=float)
                diff = paired_interval(a, b, level)
                bounds = sorted((diff.low / step, diff.high / step))
                out.loc[row] = [diff.mean / step, *bounds]
        return out

    def summary(
        self,
        metrics: Sequence[str] = ("meetings", "cost_per_meeting"),
        profile: str = ALL_PROFILES,
        level: float = 0.95,
    ) -> pd.DataFrame:
        """Means of ``metrics`` for one profile, one row per point, one column per metric."""
        frame = self.to_frame(level)
        frame = frame[frame["metric"].isin(metrics) & (frame["profile"] == profile)]
        wide = frame.pivot_table(
            index=["point", *self.varied], columns="metric", values="mean", sort=False
        )
        return wide.reset_index()[["point", *self.varied, *metrics]]

    def confidence_interval(
        self, metric: str, level: float = 0.95, point: int = 0, profile: str | None = None
    ) -> Interval:
        """Interval of ``metric``'s mean at ``point``."""
        return interval_of(
            self.observations[self.labels[point]], metric, profile or ALL_PROFILES, level
        )
