"""Parameter sweeps: ``callsim sweep`` and ``sim.sweep``.

The base scenario is run at every point of a design (:mod:`.designs`), each point being the
base with ``path=value`` overrides, all with the same root seed and replication numbers
(common random numbers across points, so neighbouring points differ by the parameter, not by
luck). Per point, metric and profile the sweep reports the mean with its 95% interval
(Student t; ratio metrics by the delta method, see :mod:`sim.analysis.estimator`).

A sweep folder (``out``) holds ``sweep.csv`` (columns ``point``, one per varied path, ``metric,
profile, mean, ci_low, ci_high, replications``), ``observations.parquet``, ``manifest.json``
(``"kind": "sweep"``, ``"varied": [paths]``) and ``runs/<point>/`` run folders only when runs
are kept; the command line adds ``sweep_heatmap.png`` when exactly two paths vary (else
``sweep_lines.png``).
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis.observations import observations
from sim.analysis.results import Results, row_groups
from sim.analysis.sweep import SWEEP_VALUE_COLUMNS, Sweep
from sim.api.designs import Factor, design_points, parse_vary
from sim.api.pipeline import ExperimentOptions, Store, collect_run, run_experiment
from sim.errors import ExperimentError, ScenarioError
from sim.execution.engine import ExecutionReport
from sim.execution.plan import RUN_TABLES, ExperimentPlan, RunSpec
from sim.scenario import Scenario
from sim.scenario.arguments import require_text
from sim.scenario.io import as_scenario, load_scenario, scenario_from_mapping
from sim.storage.experiments import RunWarningsByLabel, run_warnings, write_sweep_files

__all__ = ["SWEEP_VALUE_COLUMNS", "Sweep", "point_scenarios", "sweep"]


def point_scenarios(
    base: Scenario | str | os.PathLike[str],
    points: list[dict[str, Any]],
    overrides: Sequence[str] = (),
) -> list[Scenario]:
    """The base scenario with each point's ``path=value`` overrides, validated.

    An unknown or invalid path raises :class:`sim.errors.ScenarioError` naming it.
    """
    scenarios = []
    for point in points:
        sets = [*overrides, *(f"{path}={json.dumps(value)}" for path, value in point.items())]
        try:
            if isinstance(base, Scenario):
                scenarios.append(
                    scenario_from_mapping(
                        base.model_dump(mode="json"), overrides=sets, file=base.name
                    )
                )
            else:
                scenarios.append(load_scenario(base, sets))
        except ScenarioError as error:
            raise _blame_vary(error, list(point)) from None
    return scenarios


def _blame_vary(error: ScenarioError, varied: list[str]) -> ScenarioError:
    """Say ``--vary`` rather than ``--set`` for problems in a varied path."""
    problems = []
    for problem in error.problems:
        if any(
            problem.path == p
            or problem.path.startswith(p + ".")
            or p.startswith(problem.path + ".")
            for p in varied
        ):
            problem = dataclasses.replace(
                problem, message=problem.message.replace("(set by --set)", "(set by --vary)")
            )
        problems.append(problem)
    return ScenarioError(error.file, problems)


def sweep(
    base: Scenario | str | os.PathLike[str] | None = None,
    vary: str | Sequence[str] | dict[str, Sequence[Any]] = (),
    *,
    design: str = "grid",
    points: int | None = None,
    replications: int | None = None,
    seed: int | None = None,
    jobs: int = 1,
    scheduler: str | None = None,
    out: str | Path | None = None,
    resume: bool | str | Path = False,
    force: bool = False,
    precision: float | None = None,
    metric: str | None = None,
    max_replications: int | None = None,
    progress: bool = False,
    overrides: Sequence[str] = (),
    keep_runs: bool = False,
    options: ExperimentOptions | None = None,
) -> Sweep:
    """Run ``base`` at every point of a design with common random numbers.

    ``vary`` is one ``--vary`` text or a list of them (``"team.0.count=4,6,8"``, ``"x=lo:hi"``)
    or a dict
    ``{path: [values]}`` (grid) / ``{path: (lo, hi)}`` with ``design="lhs"``. Execution options
    are those of :func:`sim.run`. ``keep_runs`` keeps every point's full tables (run folders
    in ``runs/<point>/``); otherwise only the operator-day tables are simulated and kept.
    """
    options = ExperimentOptions.given(
        options,
        jobs=jobs,
        scheduler=scheduler,
        out=out,
        resume=resume,
        force=force,
        progress=progress,
        precision=precision,
        metric=metric,
        max_replications=max_replications,
    )
    if base is None:
        plan = options.stored_plan("sweep", "sweep needs a base scenario")
    else:
        factors = _factors(vary)
        _refuse_run_settings(factors)
        base_scenario = as_scenario(base, overrides)
        root = base_scenario.seed if seed is None else seed
        design_values = design_points(factors, design, points, root)
        scenarios = point_scenarios(base, design_values, overrides)
        width = max(3, len(str(len(scenarios) - 1)))
        plan = ExperimentPlan(
            kind="sweep",
            runs=tuple(RunSpec(f"p{i:0{width}d}", s) for i, s in enumerate(scenarios)),
            seed=root,
            replications=base_scenario.replications if replications is None else replications,
            tables=RUN_TABLES if keep_runs else ("operator_days",),
            precision=options.target(),
            details={
                "base_scenario": base_scenario.name,
                "design": design,
                "varied": [f.path for f in factors],
                "points": design_values,
            },
        )

    def collect(store: Store, report: ExecutionReport, staging: Path | None) -> Sweep:
        return _collect(plan, store, report, staging)

    return run_experiment(plan, options, collect)


RUN_SETTINGS = ("seed", "replications")
"""Scenario fields a sweep never varies: every point runs the same replications, one seed."""


def _refuse_run_settings(factors: list[Factor]) -> None:
    """Refuse ``--vary seed`` / ``--vary replications`` (:class:`ExperimentError`).

    Points differing in seed or replication count would no longer pair up under common random
    numbers, and their differences would be luck rather than the parameter.
    """
    for factor in factors:
        if factor.path in RUN_SETTINGS:
            raise ExperimentError(
                f"--vary {factor.path}: every sweep point runs the same replications under one "
                "root seed (common random numbers), so a sweep cannot vary "
                f"{' or '.join(RUN_SETTINGS)}; set it for the whole sweep with "
                f"--{factor.path} N ({factor.path}=N in Python), or run the values separately"
            )


def _factors(vary: str | Sequence[str] | dict[str, Sequence[Any]]) -> list[Factor]:
    if isinstance(vary, dict):
        factors = []
        for path, spec in vary.items():
            require_text(path, "a varied path (a key of vary)")
            if (
                isinstance(spec, tuple)
                and len(spec) == 2
                and all(isinstance(v, int | float) for v in spec)
            ):
                factors.append(
                    Factor(
                        path,
                        low=float(spec[0]),
                        high=float(spec[1]),
                        whole=all(isinstance(v, int) for v in spec),
                    )
                )
            elif isinstance(spec, str) or not isinstance(spec, Sequence) or not spec:
                raise ExperimentError(
                    f"vary {path!r}: give a non-empty list of values or a "
                    f"(low, high) tuple, not {spec!r}"
                )
            else:
                factors.append(Factor(path, values=tuple(spec)))
        if not factors:
            raise ExperimentError("a sweep needs at least one varied path")
        return factors
    return parse_vary([vary] if isinstance(vary, str) else vary)


def _collect(
    plan: ExperimentPlan, store: Store, report: ExecutionReport, staging: Path | None
) -> Sweep:
    """The sweep; with ``staging``, its files (and kept runs' folders) there."""
    n = report.replications
    details = plan.details
    scenarios = {run.label: run.scenario for run in plan.runs}
    profiles = row_groups(list(scenarios.values()))
    keep = "leads" in plan.tables
    obs: dict[str, pd.DataFrame] = {}
    kept: dict[str, Results] = {}
    warnings: RunWarningsByLabel = {}
    for label in plan.labels:
        if keep:
            folder = None
            if staging is not None:
                folder = staging / "runs" / label
                folder.mkdir(parents=True)
            run = collect_run(store, plan, label, report, folder)
            days = run.operator_days
            warnings.update(run_warnings({label: run}))  # while the run's tables are at hand
            # A written run is opened again from its folder; keep no table in memory meanwhile.
            kept[label] = (
                run if staging is None else Results(run.scenario, plan.seed, n, None, None, None)
            )
            del run
        else:
            days = pd.concat(list(store.frames(label, "operator_days", n)), ignore_index=True)
            # Each point's warnings (idle callers, drift) from its operator-day table.
            point = Results(scenarios[label], plan.seed, n, days, None, None)
            warnings.update(run_warnings({label: point}))
        obs[label] = observations(days, profiles, n, scenarios[label])
        del days
    result = Sweep(
        details["base_scenario"],
        list(details["varied"]),
        list(details["points"]),
        plan.labels,
        scenarios,
        obs,
        plan.seed,
        n,
        details["design"],
        report.wall_time_s,
        report.precision,
        kept,
    )
    if staging is not None:
        write_sweep_files(result, staging, warnings)
    return result
