"""Break-even: the value of one parameter of scenario A at which A and B are equal on a metric.

For a parameter ``p`` of A in ``[low, high]`` the search works on the paired difference
``d(p) = metric_A(p) - metric_B``, replication by replication: every evaluation of A runs the
same replications with the same root seed as B (common random numbers), so ``d_i(p)`` are
paired and smooth in ``p`` rather than noisy.

1. **Bracket.** ``d`` is evaluated on an even grid of ``points`` values over the range (every
   whole number for a whole-number parameter). If the mean difference never changes sign there
   is no break-even in the range, and the result says which scenario is above throughout.
2. **Refine.** Brent's method (:func:`scipy.optimize.brentq`) finds the root of the mean
   difference inside the first bracketing pair, each step a new evaluation of A on the same
   seeds, until the bracket is ``xtol`` wide (not for whole-number parameters).
3. **Estimate and interval.** The break-even is the root of the piecewise-linear interpolant of
   the mean difference through every evaluated value. Its confidence interval is a percentile
   bootstrap over replications: resample replication indices (the same resample at every
   evaluated value, keeping the pairs), interpolate again and find the crossing nearest the
   estimate. A resample whose interpolant never crosses zero puts the root beyond the range on
   the side the differences point to; an interval bound that falls there is reported as the
   range's end and flagged open.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize

from sim.analysis.stats import paired_interval
from sim.analysis.target import TargetMetric

Evaluate = Callable[[Sequence[float]], list[np.ndarray]]
"""``evaluate(values)``: per value of the parameter, A's per-replication metric values."""

BREAK_EVEN_COLUMNS = [
    "parameter",
    "low",
    "high",
    "scenario",
    "against",
    "metric",
    "group",
    "unit",
    "status",
    "break_even",
    "ci_low",
    "ci_high",
    "ci_low_open",
    "ci_high_open",
    "level",
    "replications",
    "evaluations",
    "crossings",
    "seed",
]
POINT_COLUMNS = [
    "value",
    "scenario_mean",
    "against_mean",
    "diff_mean",
    "diff_ci_low",
    "diff_ci_high",
    "replications",
]


@dataclass(frozen=True)
class BreakEven:
    """The break-even of ``path`` in A against B (see the module docstring); pure data.

    ``values`` are the evaluated parameter values in increasing order, ``a_values`` A's
    per-replication metric values at each (rows) and ``b_values`` B's. ``estimate`` is None
    when there is no break-even in ``[low, high]``.
    """

    path: str
    low: float
    high: float
    scenario: str
    against: str
    target: TargetMetric
    values: np.ndarray
    a_values: np.ndarray
    b_values: np.ndarray
    estimate: float | None
    ci_low: float
    ci_high: float
    ci_low_open: bool
    ci_high_open: bool
    level: float
    seed: int
    crossings: int
    """Zero crossings of the mean difference in the range (the estimate is the first)."""
    bootstrap_roots: np.ndarray = field(repr=False)

    @property
    def found(self) -> bool:
        """True when the mean difference changes sign in the range."""
        return self.estimate is not None

    @property
    def replications(self) -> int:
        """Paired replications behind every evaluation."""
        return int(self.a_values.shape[1])

    @property
    def differences(self) -> np.ndarray:
        """``A(p) - B`` per evaluated value (rows) and replication (columns)."""
        return self.a_values - self.b_values[np.newaxis, :]

    @property
    def above(self) -> str | None:
        """With no break-even in range: the label of the scenario whose metric is higher."""
        if self.found:
            return None
        return self.scenario if np.nanmean(self.differences) > 0 else self.against

    def points(self) -> pd.DataFrame:
        """One row per evaluated value: A's and B's means, the paired difference and its CI."""
        rows = []
        b_mean = float(np.nanmean(self.b_values))
        for value, a in zip(self.values, self.a_values, strict=True):
            diff = paired_interval(self.b_values, a, self.level)
            rows.append(
                {
                    "value": float(value),
                    "scenario_mean": float(np.nanmean(a)),
                    "against_mean": b_mean,
                    "diff_mean": diff.mean,
                    "diff_ci_low": diff.low,
                    "diff_ci_high": diff.high,
                    "replications": diff.n,
                }
            )
        return pd.DataFrame(rows, columns=POINT_COLUMNS)

    def to_frame(self) -> pd.DataFrame:
        """The one-row table of ``break_even.csv``."""
        row = {
            "parameter": self.path,
            "low": self.low,
            "high": self.high,
            "scenario": self.scenario,
            "against": self.against,
            "metric": self.target.metric,
            "group": self.target.group,
            "unit": self.target.unit,
            "status": "found" if self.found else f"none in range: {self.above} higher",
            "break_even": np.nan if self.estimate is None else self.estimate,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "ci_low_open": self.ci_low_open,
            "ci_high_open": self.ci_high_open,
            "level": self.level,
            "replications": self.replications,
            "evaluations": len(self.values),
            "crossings": self.crossings,
            "seed": self.seed,
        }
        return pd.DataFrame([row], columns=BREAK_EVEN_COLUMNS)


def grid_values(low: float, high: float, points: int, whole: bool) -> np.ndarray:
    """The bracketing grid: ``points`` even values, or every whole number for ``whole``."""
    if whole:
        return np.arange(int(np.ceil(low)), int(np.floor(high)) + 1, dtype=float)
    return np.linspace(low, high, max(2, points))


def interpolated_roots(values: np.ndarray, means: np.ndarray) -> np.ndarray:
    """Every zero crossing of the piecewise-linear interpolant of ``means`` over ``values``."""
    roots = [float(v) for v, m in zip(values, means, strict=True) if m == 0.0]
    for k in range(len(values) - 1):
        m0, m1 = means[k], means[k + 1]
        if m0 * m1 < 0:
            roots.append(float(values[k] - m0 * (values[k + 1] - values[k]) / (m1 - m0)))
    return np.unique(np.asarray(roots, dtype=float))


def _beyond(values: np.ndarray, means: np.ndarray) -> float:
    """Where the root of a never-crossing interpolant lies: -inf (below) or +inf (above)."""
    slope = means[-1] - means[0]
    if slope == 0 or not np.isfinite(slope):
        return np.inf if abs(means[-1]) < abs(means[0]) else -np.inf
    # Extrapolating the overall trend, the zero is above the range if the line heads to it.
    return np.inf if np.sign(means[-1]) != np.sign(slope) else -np.inf


def bootstrap_roots(
    values: np.ndarray, diffs: np.ndarray, estimate: float, resamples: int, seed: int
) -> np.ndarray:
    """The break-even of each bootstrap resample of replications (±inf: beyond the range)."""
    rng = np.random.default_rng(seed)
    n = diffs.shape[1]
    index = rng.integers(0, n, size=(resamples, n))
    means = np.nanmean(diffs[:, index], axis=2)  # values x resamples
    roots = np.empty(resamples)
    for b in range(resamples):
        found = interpolated_roots(values, means[:, b])
        roots[b] = (
            found[np.argmin(np.abs(found - estimate))]
            if len(found)
            else _beyond(values, means[:, b])
        )
    return roots


def find_break_even(
    evaluate: Evaluate,
    b_values: np.ndarray,
    *,
    path: str,
    low: float,
    high: float,
    scenario: str,
    against: str,
    target: TargetMetric,
    points: int = 5,
    whole: bool = False,
    xtol: float | None = None,
    max_refinements: int = 8,
    level: float = 0.95,
    resamples: int = 2000,
    seed: int = 0,
) -> BreakEven:
    """Search ``[low, high]`` for the break-even (module docstring); ``evaluate`` simulates A.

    ``xtol`` (default 1% of the range) is the width Brent's method stops at; it makes at most
    ``max_refinements`` further evaluations.
    """
    b = np.asarray(b_values, dtype=float)
    evaluated: dict[float, np.ndarray] = {}

    def run(new: Sequence[float]) -> None:
        todo = [float(v) for v in new if float(v) not in evaluated]
        if todo:
            for value, a in zip(todo, evaluate(todo), strict=True):
                evaluated[value] = np.asarray(a, dtype=float)

    def mean_difference(value: float) -> float:
        run([value])
        return float(np.nanmean(evaluated[float(value)] - b))

    grid = grid_values(low, high, points, whole)
    run(list(grid))
    means = np.array([mean_difference(v) for v in grid])
    exact = np.flatnonzero(means == 0.0)
    crossing = np.flatnonzero(means[:-1] * means[1:] < 0)
    if not whole and not len(exact) and len(crossing):
        k = int(crossing[0])
        tol = xtol if xtol is not None else (high - low) / 100.0
        # Not converged in max_refinements (RuntimeError): use what was evaluated.
        with contextlib.suppress(RuntimeError):
            optimize.brentq(
                mean_difference, grid[k], grid[k + 1], xtol=tol, maxiter=max_refinements
            )
    values = np.array(sorted(evaluated))
    a_values = np.vstack([evaluated[v] for v in values])
    diffs = a_values - b[np.newaxis, :]
    roots = interpolated_roots(values, np.nanmean(diffs, axis=1))
    estimate = float(roots[0]) if len(roots) else None
    ci_low = ci_high = np.nan
    low_open = high_open = False
    boot = np.array([])
    if estimate is not None:
        boot = bootstrap_roots(values, diffs, estimate, resamples, seed)
        alpha = (1.0 - level) / 2.0
        # Sample quantiles (no interpolation between a root and an infinite "beyond").
        q_low, q_high = np.quantile(boot, [alpha, 1.0 - alpha], method="inverted_cdf")
        low_open, high_open = bool(q_low < low), bool(q_high > high)
        ci_low, ci_high = float(max(q_low, low)), float(min(q_high, high))
    return BreakEven(
        path=path,
        low=float(low),
        high=float(high),
        scenario=scenario,
        against=against,
        target=target,
        values=values,
        a_values=a_values,
        b_values=b,
        estimate=estimate,
        ci_low=ci_low,
        ci_high=ci_high,
        ci_low_open=low_open,
        ci_high_open=high_open,
        level=level,
        seed=seed,
        crossings=len(roots),
        bootstrap_roots=boot,
    )
