"""Precision targets: add replications until a metric's confidence interval is tight enough.

The target is met when the 95% (``level``) confidence interval half-width of ``metric`` (for
``profile``, default every caller) is at most ``relative`` times the absolute value of its
mean, in every run of the experiment. Per-day metrics use the Student-t interval of the
per-replication means; ratio metrics (cost per meeting, ...) the delta-method interval of the
ratio of totals (:func:`sim.analysis.stats.ratio_pseudo_values`).

Replications are added in batches. After a batch of ``n`` replications the next total is
projected from the current spread, ``n_needed = n * (half_width / (relative * |mean|))**2``,
aiming 10% past it, but growing by at least a quarter and at most doubling, and never past
``max_replications``. Every decision depends only on the results of replications ``0 .. n-1``,
so the stopping point is the same on every executor and after a resume.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from sim.analysis.estimator import (
    ALL_PROFILES,
    TEAM,
    group_means,
    mixed_quota_units,
    profile_rows,
    ratio_totals,
    ratio_values,
)
from sim.analysis.stats import Interval, t_interval
from sim.errors import ExperimentError
from sim.records.kpis import PER_DAY_METRICS, RATIO_METRICS
from sim.scenario import Scenario
from sim.scenario.arguments import require_text

DEFAULT_MAX_REPLICATIONS = 2000


@dataclass(frozen=True)
class PrecisionTarget:
    """Stop when ``half_width <= relative * |mean|`` for ``metric`` of ``profile``."""

    relative: float
    metric: str
    profile: str = ALL_PROFILES
    max_replications: int = DEFAULT_MAX_REPLICATIONS
    level: float = 0.95

    def __post_init__(self) -> None:
        relative = self.relative
        if isinstance(relative, bool) or not isinstance(relative, numbers.Real):
            raise ExperimentError(f"precision must be a positive fraction, got {relative!r}")
        if not (math.isfinite(relative) and relative > 0):
            raise ExperimentError(f"precision must be a positive finite fraction, got {relative}")
        whole = isinstance(self.max_replications, numbers.Integral)
        if isinstance(self.max_replications, bool) or not whole:
            raise ExperimentError(
                f"max_replications must be a whole number, got {self.max_replications!r}"
            )
        if self.metric not in PER_DAY_METRICS and self.metric not in RATIO_METRICS:
            known = ", ".join((*PER_DAY_METRICS, *RATIO_METRICS))
            raise ExperimentError(f"unknown metric {self.metric!r} for --precision; known: {known}")
        if self.max_replications < 2:
            raise ExperimentError("max_replications must be at least 2")

    @classmethod
    def parse(
        cls,
        relative: float | None,
        metric: str | None,
        max_replications: int | None = None,
        level: float = 0.95,
    ) -> PrecisionTarget | None:
        """From the command-line options (``metric`` may be ``NAME`` or ``NAME:profile``)."""
        if relative is None:
            if metric is not None:
                raise ExperimentError("--metric needs --precision REL")
            return None
        if not metric:
            raise ExperimentError("--precision needs --metric NAME (e.g. --metric meetings)")
        require_text(metric, "metric")
        name, _, profile = metric.partition(":")
        return cls(
            relative,
            name,
            profile or ALL_PROFILES,
            DEFAULT_MAX_REPLICATIONS if max_replications is None else max_replications,
            level,
        )

    def to_json(self) -> dict[str, object]:
        """The target as JSON-able fields."""
        return asdict(self)

    def check_profiles(self, profiles: set[str]) -> None:
        """Refuse a row (profile or team group) no scenario of the experiment has."""
        if self.profile not in (ALL_PROFILES, TEAM) and self.profile not in profiles:
            raise ExperimentError(
                f"--metric profile {self.profile!r} is not on any team; "
                f"profiles and team groups: {', '.join(sorted(profiles))}"
            )


class MetricTracker:
    """Per-replication observations of the target metric for one run, chunk by chunk.

    Holds one or two floats per replication (the value, or numerator and denominator of a
    ratio), so memory does not grow with the size of the tables.
    """

    def __init__(self, target: PrecisionTarget, scenario: Scenario | None = None) -> None:
        self.target = target
        self._rows: dict[int, tuple[float, float]] = {}
        # Quota units of all callers mean nothing when profiles count different units.
        self._undefined = (
            scenario is not None
            and target.metric == "quota_units"
            and target.profile == ALL_PROFILES
            and mixed_quota_units(scenario, [g.profile for g in scenario.team if g.count > 0])
        )

    def add(self, operator_days: pd.DataFrame) -> None:
        """Record the replications in an operator-day table (a chunk), as the estimator does."""
        part = profile_rows(operator_days, self.target.profile)
        reps = operator_days["replication"].unique()
        metric = self.target.metric
        if metric in RATIO_METRICS:
            num, den, _ = RATIO_METRICS[metric]
            totals = ratio_totals(part, metric)
            for r in reps:
                if r in totals.index:
                    self._rows[int(r)] = (float(totals.at[r, num]), float(totals.at[r, den]))
                else:
                    self._rows[int(r)] = (math.nan, math.nan)
        else:
            means = group_means(operator_days, self.target.profile, [metric])[metric]
            for r in reps:
                value = math.nan if self._undefined else float(means.get(r, math.nan))
                self._rows[int(r)] = (value, math.nan)

    def interval(self, n: int) -> Interval:
        """The interval of the metric over replications ``0 .. n-1``."""
        rows = np.array(
            [self._rows.get(r, (math.nan, math.nan)) for r in range(n)], dtype=float
        ).reshape(n, 2)
        metric = self.target.metric
        if metric in RATIO_METRICS:
            num, den, _ = RATIO_METRICS[metric]
            totals = pd.DataFrame({num: rows[:, 0], den: rows[:, 1]})
            return t_interval(ratio_values(totals, metric), self.target.level)
        return t_interval(rows[:, 0], self.target.level)


def relative_half_width(interval: Interval) -> float:
    """Half-width over |mean| (0 for a zero-width interval, inf for a zero mean)."""
    if not math.isfinite(interval.half_width):
        return math.inf
    if interval.half_width == 0:
        return 0.0
    return interval.half_width / abs(interval.mean) if interval.mean else math.inf


def is_precise(target: PrecisionTarget, intervals: list[Interval]) -> bool:
    """True when every run's interval meets the target (runs without data are skipped)."""
    checked = [i for i in intervals if i.n > 0]
    return bool(checked) and all(relative_half_width(i) <= target.relative for i in checked)


def next_total(target: PrecisionTarget, n: int, intervals: list[Interval]) -> int:
    """Replications to have after the next batch (see the module docstring)."""
    needed = 0.0
    for interval in intervals:
        ratio = relative_half_width(interval)
        if interval.n > 0 and ratio > target.relative:
            needed = max(
                needed, n * (ratio / target.relative) ** 2 if math.isfinite(ratio) else 2.0 * n
            )
    projected = math.ceil(1.1 * needed)
    step = max(n + max(2, math.ceil(n / 4)), min(2 * n, projected))
    return min(target.max_replications, step)
