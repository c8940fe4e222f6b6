"""Sensitivity analysis: ``callsim sensitivity`` and ``sim.sensitivity``.

The base scenario is run at the points of a design (:mod:`sim.analysis.sensitivity`): the
one-at-a-time points (base, each parameter at its low and high) and, with ``method="morris"``,
Morris trajectories over the whole parameter box. Every point runs the same replications with
the same root seed (common random numbers). The experiment goes through the shared pipeline
(:func:`sim.api.pipeline.run_experiment`): with ``out`` it streams to a resumable work folder
and writes a sensitivity folder (``effects.csv``, ``points.csv``, ``values.parquet``,
``manifest.json`` with ``"kind": "sensitivity"``; :mod:`sim.storage.sensitivity`); the command
line adds ``tornado.png``.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from sim.analysis.sensitivity import (
    METHODS,
    Parameter,
    Sensitivity,
    morris_design,
    morris_points,
    oat_points,
)
from sim.analysis.target import TargetMetric, parse_target
from sim.api.designs import parse_vary
from sim.api.pipeline import ExperimentOptions, Store, run_experiment
from sim.api.points import POINT_TABLES, check_range, numeric_value, target_values
from sim.api.sweep import point_scenarios
from sim.errors import ExperimentError
from sim.execution.engine import ExecutionReport
from sim.execution.limits import MAX_MORRIS_LEVELS, MAX_RUNS, check_count
from sim.execution.plan import ExperimentPlan, RunSpec
from sim.scenario import Scenario
from sim.scenario.arguments import require_count, require_texts
from sim.scenario.io import as_scenario
from sim.storage.sensitivity import write_sensitivity_files

__all__ = ["Sensitivity", "sensitivity"]


def sensitivity(
    base: Scenario | str | os.PathLike[str] | None = None,
    vary: str | Sequence[str] = (),
    metric: str | None = None,
    *,
    method: str = "morris",
    trajectories: int = 10,
    levels: int = 4,
    replications: int | None = None,
    seed: int | None = None,
    jobs: int = 1,
    scheduler: str | None = None,
    out: str | Path | None = None,
    resume: bool | str | Path = False,
    force: bool = False,
    progress: bool = False,
    overrides: Sequence[str] = (),
    options: ExperimentOptions | None = None,
) -> Sensitivity:
    """How ``metric`` (``"M[:GROUP]"``) responds to the ``vary`` ranges (``"path=lo:hi"``).

    ``method`` is ``"morris"`` (``trajectories`` Morris trajectories on a ``levels``-level
    grid, plus the one-at-a-time points) or ``"oat"`` (one at a time only). ``replications``
    and ``seed`` default to the base scenario's; execution options are those of
    :func:`sim.sweep` (no precision target). ``resume=True`` with ``out`` (or
    ``resume=DIR``) completes an interrupted analysis.
    """
    options = ExperimentOptions.given(
        options,
        jobs=jobs,
        scheduler=scheduler,
        out=out,
        resume=resume,
        force=force,
        progress=progress,
    )
    if base is None:
        plan = options.stored_plan("sensitivity", "sensitivity needs a base scenario")
    else:
        if metric is None:
            raise ExperimentError("sensitivity needs a metric, e.g. --metric meetings")
        plan = _plan(
            as_scenario(base, overrides),
            base,
            require_texts([vary] if isinstance(vary, str) else vary, "vary"),
            metric,
            method,
            trajectories,
            levels,
            replications,
            seed,
            overrides,
        )

    def collect(store: Store, report: ExecutionReport, staging: Path | None) -> Sensitivity:
        details = plan.details
        result = Sensitivity(
            details["base_scenario"],
            details["method"],
            [Parameter(**p) for p in details["parameters"]],
            TargetMetric(details["metric"], details["group"]),
            target_values(
                store, plan, report.replications, TargetMetric(details["metric"], details["group"])
            ),
            plan.seed,
            report.replications,
            None if details["design"] is None else np.array(details["design"], dtype=float),
            int(details["levels"]),
            report.wall_time_s,
        )
        if staging is not None:
            write_sensitivity_files(result, staging)
        return result

    return run_experiment(plan, options, collect)


def _plan(
    base_scenario: Scenario,
    base: Scenario | str | os.PathLike[str],
    vary: list[str],
    metric: str,
    method: str,
    trajectories: int,
    levels: int,
    replications: int | None,
    seed: int | None,
    overrides: Sequence[str],
) -> ExperimentPlan:
    """The sensitivity plan: every OAT (and Morris) point as a run of the base scenario."""
    if method not in METHODS:
        raise ExperimentError(f"unknown method {method!r}; use {' or '.join(METHODS)}")
    trajectories = require_count(trajectories, "--trajectories", 2)
    levels = require_count(levels, "--levels", 2)
    if levels < 2 or levels % 2 or levels > MAX_MORRIS_LEVELS:
        raise ExperimentError(
            f"--levels must be an even number from 2 to {MAX_MORRIS_LEVELS}, got {levels}"
        )
    if not vary:
        raise ExperimentError("sensitivity needs at least one --vary PATH=LO:HI")
    parameters = []
    for factor in parse_vary(vary):
        low, high = check_range(factor.path, factor.low, factor.high)
        parameters.append(
            Parameter(
                factor.path, low, high, factor.integer, numeric_value(base_scenario, factor.path)
            )
        )
    # Count the points before building them: a huge --trajectories must stop here, not after
    # minutes of building the design and its scenarios.
    morris = trajectories * (len(parameters) + 1) if method == "morris" else 0
    check_count(1 + 2 * len(parameters) + morris, MAX_RUNS, "sensitivity points")
    root = base_scenario.seed if seed is None else seed
    design = morris_design(parameters, trajectories, levels, root) if method == "morris" else None
    points = oat_points(parameters) + (
        morris_points(parameters, design) if design is not None else []
    )
    scenarios = point_scenarios(base, [values for _, values in points], overrides)
    target = parse_target(metric, scenarios)
    return ExperimentPlan(
        kind="sensitivity",
        runs=tuple(RunSpec(label, s) for (label, _), s in zip(points, scenarios, strict=True)),
        seed=root,
        replications=base_scenario.replications if replications is None else replications,
        tables=POINT_TABLES,
        details={
            "base_scenario": base_scenario.name,
            "method": method,
            "metric": target.metric,
            "group": target.group,
            "parameters": [dataclasses.asdict(p) for p in parameters],
            "trajectories": trajectories if design is not None else None,
            "levels": levels,
            "design": None if design is None else design.tolist(),
        },
    )
