"""Sensitivity of one metric to scenario parameters: the designs, the effects, the result object.

Every point of a design is the base scenario with ``path=value`` overrides, and every point
runs the same replications with the same root seed (common random numbers), so differences
between points come from the parameters, not from luck.

- **One at a time (OAT)**, always evaluated: the base scenario, then each parameter at its
  ``low`` and at its ``high`` with the others at base. Effects are paired differences over
  replications with Student-t intervals: ``low_effect = metric(low) - metric(base)``,
  ``high_effect = metric(high) - metric(base)`` and the ``swing = metric(high) - metric(low)``.
  These are the bars of the tornado chart.
- **Morris elementary effects** (``method="morris"``, global screening): ``trajectories`` random
  one-at-a-time paths on a ``levels``-level grid of the whole parameter box
  (:func:`SALib.sample.morris.sample`), analysed by :func:`SALib.analyze.morris.analyze` on the
  mean over replications at each point. ``mu_star`` (mean absolute elementary effect: the
  importance), ``mu`` (signed mean) and ``sigma`` (their spread: non-linearity or interaction)
  are in the metric's unit per full range ``low -> high`` (for a linear effect, ``mu`` is the
  swing); ``mu_star``'s 95% interval is SALib's bootstrap over elementary effects. A
  whole-number parameter (bounds written as integers) is simulated at the rounded value, while
  the effects are computed on the design's grid steps.

Parameters are ranked by ``mu_star`` (Morris) or by the absolute swing (OAT).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.sample import morris as morris_sample

from sim.analysis.stats import paired_interval, t_interval
from sim.analysis.target import TargetMetric

METHODS = ("morris", "oat")
BASE_LABEL = "base"

EFFECT_COLUMNS = [
    "rank",
    "parameter",
    "low",
    "high",
    "base_value",
    "metric",
    "group",
    "unit",
    "method",
    "base_mean",
    "low_mean",
    "high_mean",
    "low_effect",
    "low_effect_ci_low",
    "low_effect_ci_high",
    "high_effect",
    "high_effect_ci_low",
    "high_effect_ci_high",
    "swing",
    "swing_ci_low",
    "swing_ci_high",
    "mu",
    "mu_star",
    "mu_star_ci_low",
    "mu_star_ci_high",
    "sigma",
    "replications",
]
"""Columns of ``effects.csv``: one row per parameter, most influential first."""


@dataclass(frozen=True)
class Parameter:
    """One varied scenario field: its range and its value in the base scenario (if a number)."""

    path: str
    low: float
    high: float
    whole: bool = False
    base: float | None = None

    def applied(self, value: float) -> int | float:
        """The value written into the scenario: rounded for a whole-number parameter."""
        return round(value) if self.whole else float(value)


def oat_points(parameters: Sequence[Parameter]) -> list[tuple[str, dict[str, Any]]]:
    """The OAT design: ``base`` (no override), then ``<i>-low`` and ``<i>-high`` per parameter."""
    points: list[tuple[str, dict[str, Any]]] = [(BASE_LABEL, {})]
    for i, p in enumerate(parameters):
        points.append((f"x{i}-low", {p.path: p.applied(p.low)}))
        points.append((f"x{i}-high", {p.path: p.applied(p.high)}))
    return points


def morris_problem(parameters: Sequence[Parameter]) -> dict[str, Any]:
    """The SALib problem: the parameters' paths and bounds."""
    return {
        "num_vars": len(parameters),
        "names": [p.path for p in parameters],
        "bounds": [[p.low, p.high] for p in parameters],
    }


def morris_design(
    parameters: Sequence[Parameter], trajectories: int, levels: int, seed: int
) -> np.ndarray:
    """``trajectories * (len(parameters) + 1)`` Morris points (rows), reproducible by ``seed``."""
    sample: np.ndarray = morris_sample.sample(
        morris_problem(parameters), trajectories, num_levels=levels, seed=seed
    )
    return sample


def morris_points(
    parameters: Sequence[Parameter], design: np.ndarray
) -> list[tuple[str, dict[str, Any]]]:
    """The Morris design's points as labelled overrides (``m000``, ``m001``, ...)."""
    width = max(3, len(str(len(design) - 1)))
    return [
        (f"m{k:0{width}d}", {p.path: p.applied(v) for p, v in zip(parameters, row, strict=True)})
        for k, row in enumerate(design)
    ]


class Sensitivity:
    """A sensitivity analysis's design and per-replication metric values (module docstring).

    ``values`` has one row per replication and one column per point label (OAT points, then
    Morris points); ``design`` is the Morris design (None for OAT).
    """

    def __init__(
        self,
        base_name: str,
        method: str,
        parameters: list[Parameter],
        target: TargetMetric,
        values: pd.DataFrame,
        seed: int,
        replications: int,
        design: np.ndarray | None = None,
        levels: int = 4,
        wall_time_s: float = 0.0,
    ) -> None:
        self.base_name = base_name
        self.method = method
        self.parameters = parameters
        self.target = target
        self.values = values
        self.seed = seed
        self.replications = replications
        self.design = design
        self.levels = levels
        self.wall_time_s = wall_time_s

    def __repr__(self) -> str:
        return (
            f"Sensitivity({self.base_name}: {self.target} over "
            f"{', '.join(p.path for p in self.parameters)}; {self.method}, "
            f"{len(self.values.columns)} points x {self.replications} replications)"
        )

    def _column(self, label: str) -> np.ndarray:
        return self.values[label].to_numpy(dtype=float)

    def to_frame(self, level: float = 0.95) -> pd.DataFrame:
        """The effects table (``effects.csv``): one row per parameter, ranked."""
        base = self._column(BASE_LABEL)
        base_mean = t_interval(base, level).mean
        morris = self._morris(level) if self.method == "morris" else None
        rows = []
        for i, p in enumerate(self.parameters):
            low, high = self._column(f"x{i}-low"), self._column(f"x{i}-high")
            low_effect = paired_interval(base, low, level)
            high_effect = paired_interval(base, high, level)
            swing = paired_interval(low, high, level)
            row: dict[str, Any] = {
                "parameter": p.path,
                "low": p.low,
                "high": p.high,
                "base_value": math.nan if p.base is None else p.base,
                "metric": self.target.metric,
                "group": self.target.group,
                "unit": self.target.unit,
                "method": self.method,
                "base_mean": base_mean,
                "low_mean": float(np.nanmean(low)),
                "high_mean": float(np.nanmean(high)),
                "low_effect": low_effect.mean,
                "low_effect_ci_low": low_effect.low,
                "low_effect_ci_high": low_effect.high,
                "high_effect": high_effect.mean,
                "high_effect_ci_low": high_effect.low,
                "high_effect_ci_high": high_effect.high,
                "swing": swing.mean,
                "swing_ci_low": swing.low,
                "swing_ci_high": swing.high,
                "mu": np.nan,
                "mu_star": np.nan,
                "mu_star_ci_low": np.nan,
                "mu_star_ci_high": np.nan,
                "sigma": np.nan,
                "replications": swing.n,
            }
            if morris is not None:
                half = float(morris["mu_star_conf"][i])
                row |= {
                    "mu": float(morris["mu"][i]),
                    "mu_star": float(morris["mu_star"][i]),
                    "mu_star_ci_low": float(morris["mu_star"][i]) - half,
                    "mu_star_ci_high": float(morris["mu_star"][i]) + half,
                    "sigma": float(morris["sigma"][i]),
                }
            rows.append(row)
        frame = pd.DataFrame(rows)
        size = frame["mu_star"] if self.method == "morris" else frame["swing"].abs()
        frame = frame.assign(_size=size.fillna(-np.inf)).sort_values(
            "_size", ascending=False, kind="stable"
        )
        frame.insert(0, "rank", np.arange(1, len(frame) + 1))
        return frame.drop(columns="_size").reset_index(drop=True)[EFFECT_COLUMNS]

    def _morris(self, level: float) -> dict[str, Any]:
        """SALib's Morris analysis of the mean over replications at each design point."""
        assert self.design is not None
        labels = [c for c in self.values.columns if str(c).startswith("m")]
        outputs = self.values[labels].mean(axis=0).to_numpy(dtype=float)
        result: dict[str, Any] = morris_analyze.analyze(
            morris_problem(self.parameters),
            self.design,
            outputs,
            num_resamples=1000,
            conf_level=level,
            num_levels=self.levels,
            seed=self.seed,
        )
        return result

    def points(self) -> pd.DataFrame:
        """One row per evaluated point: label, the value of each parameter, the metric's CI."""
        by_label = dict(oat_points(self.parameters))
        if self.design is not None:
            by_label |= dict(morris_points(self.parameters, self.design))
        rows = []
        for label in self.values.columns:
            ci = t_interval(self._column(label))
            settings = by_label.get(label, {})
            rows.append(
                {
                    "point": label,
                    **{p.path: settings.get(p.path, p.base) for p in self.parameters},
                    "mean": ci.mean,
                    "ci_low": ci.low,
                    "ci_high": ci.high,
                    "replications": ci.n,
                }
            )
        return pd.DataFrame(rows)
