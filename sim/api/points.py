"""Scenarios at points of a parameter space, run under common random numbers for one metric.

Shared by sensitivity analysis (:mod:`.sensitivity`) and the break-even search
(:mod:`.break_even`): each point is a base scenario with ``path=value`` overrides
(:func:`sim.api.sweep.point_scenarios`), every point runs replications ``0 .. n-1`` with the
same root seed, and only the operator-day tables are simulated. What is kept of a point is
one metric's per-replication values (:class:`~sim.analysis.target.TargetMetric`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from sim.analysis.observations import observations
from sim.analysis.results import row_groups
from sim.analysis.target import TargetMetric
from sim.api.pipeline import ExperimentOptions, Store, run_experiment
from sim.errors import ExperimentError
from sim.execution.engine import ExecutionReport
from sim.execution.plan import ExperimentPlan, RunSpec
from sim.scenario import Scenario

POINT_TABLES = ("operator_days",)
"""The tables a point keeps: every metric comes from the operator-day table."""


def target_values(
    store: Store, plan: ExperimentPlan, replications: int, target: TargetMetric
) -> pd.DataFrame:
    """Per run of ``plan`` (columns, by label), the target's value per replication (rows)."""
    profiles = row_groups([run.scenario for run in plan.runs])
    columns = {}
    for run in plan.runs:
        days = pd.concat(list(store.frames(run.label, "operator_days", replications)))
        obs = observations(days, profiles, replications, run.scenario)
        columns[run.label] = target.values(obs)
        del days, obs
    frame = pd.DataFrame(columns, index=pd.RangeIndex(replications, name="replication"))
    return frame


def run_points(
    runs: Sequence[tuple[str, Scenario]],
    target: TargetMetric,
    seed: int,
    replications: int,
    options: ExperimentOptions,
) -> pd.DataFrame:
    """Run labelled scenarios in memory with one seed; :func:`target_values` of each."""
    plan = ExperimentPlan(
        kind="points",
        runs=tuple(RunSpec(label, scenario) for label, scenario in runs),
        seed=seed,
        replications=replications,
        tables=POINT_TABLES,
    )

    def collect(store: Store, report: ExecutionReport, staging: object) -> pd.DataFrame:
        return target_values(store, plan, report.replications, target)

    in_memory = ExperimentOptions(
        jobs=options.jobs,
        scheduler=options.scheduler,
        progress=options.progress,
        on_progress=options.on_progress,
    )
    return run_experiment(plan, in_memory, collect)


def value_at(scenario: Scenario, path: str) -> Any:
    """The value of the dotted ``path`` in ``scenario`` (presets resolved); None if absent."""
    node: Any = scenario.model_dump(mode="json")
    for key in path.split("."):
        if isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        elif isinstance(node, dict) and key in node:
            node = node[key]
        else:
            return None
    return node


def numeric_value(scenario: Scenario, path: str) -> float | None:
    """:func:`value_at` as a number; None when the field is not a single number."""
    value = value_at(scenario, path)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def check_range(path: str, low: float | None, high: float | None) -> tuple[float, float]:
    """The bounds of a ``path=lo:hi`` range, which must be given and differ.

    ``seed`` and ``replications`` are refused: every point runs the same replications under
    one root seed (common random numbers), so varying them would change nothing but the label.
    """
    if path in ("seed", "replications"):
        raise ExperimentError(
            f"--vary {path}: every point runs the same replications under one root seed "
            f"(common random numbers), so {path} cannot be varied; give it for the whole run "
            f"with --{path} N ({path}=N in Python)"
        )
    if low is None or high is None:
        raise ExperimentError(f"--vary {path}: give a range lo:hi, not a list of values")
    if not high > low:
        raise ExperimentError(f"--vary {path}={low}:{high}: need lo < hi")
    return low, high
