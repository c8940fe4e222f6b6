"""Running one scenario: in process, on local worker processes or on Dask, bit-identical.

A replication's output depends only on (scenario, root seed, replication index), so the runner
may hand replications to any worker in any order; it reassembles the tables in replication
order. Work goes out in chunks of several replications to keep per-task overhead small (see
:mod:`sim.execution`). With ``out`` the tables stream to disk as chunks finish, so memory
stays flat whatever the number of replications, and an interrupted run can be resumed.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

from sim.analysis.results import Results
from sim.api.pipeline import ExperimentOptions, Store, collect_run, run_experiment
from sim.execution.engine import ExecutionReport
from sim.execution.plan import ExperimentPlan, RunSpec
from sim.scenario import Scenario
from sim.scenario.io import as_scenario

log = logging.getLogger(__name__)

RUN_LABEL = "run"


def run(
    scenario: Scenario | str | os.PathLike[str] | None,
    replications: int | None = None,
    seed: int | None = None,
    jobs: int = 1,
    call_log: bool = False,
    progress: bool = False,
    on_progress: Callable[[int], None] | None = None,
    *,
    scheduler: str | None = None,
    out: str | Path | None = None,
    resume: bool | str | Path = False,
    force: bool = False,
    precision: float | None = None,
    metric: str | None = None,
    max_replications: int | None = None,
    options: ExperimentOptions | None = None,
) -> Results:
    """Run a Monte Carlo experiment of ``scenario``; returns its :class:`Results`.

    ``scenario`` is a :class:`Scenario` or the path of a scenario file (read with
    :func:`sim.load_scenario`).

    ``replications`` and ``seed`` default to the scenario's own. ``jobs`` > 1 runs on that many
    local worker processes, ``scheduler`` (``tcp://host:port`` or ``local:N``) on Dask; the
    results are identical either way.

    Without ``out`` the tables are kept in memory. With ``out`` (a folder) they stream to disk
    as replications finish and the run folder is written there (as :func:`sim.save`
    would); the returned results read their tables lazily. ``resume`` (True, or the folder)
    completes an interrupted streamed run; ``scenario`` may then be None.

    ``precision`` (a fraction, e.g. 0.05) with ``metric`` (``NAME`` or ``NAME:profile``) keeps
    adding replications, starting from ``replications``, until the 95% CI half-width of the
    metric is within that fraction of its mean, or ``max_replications`` (default 2,000) is
    reached; the manifest then records ``precision`` with the replications it took.
    ``on_progress(done)`` is called with the replications finished so far.

    ``options`` (:class:`~sim.api.pipeline.ExperimentOptions`) gives every execution option as
    one object, as :func:`sim.compare` and :func:`sim.sweep` also take it; it replaces the
    execution keywords.
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
        on_progress=on_progress,
    )
    results = run_with(
        as_scenario(scenario) if scenario is not None else None,
        options,
        replications,
        seed,
        call_log,
    )
    log.info(
        "%s: %d replications in %.1f s",
        results.scenario.name,
        results.replications,
        results.wall_time_s,
    )
    return results


def run_with(
    scenario: Scenario | None,
    options: ExperimentOptions,
    replications: int | None = None,
    seed: int | None = None,
    call_log: bool = False,
) -> Results:
    """:func:`run` with its execution options as one :class:`ExperimentOptions`."""
    target = options.target()
    if scenario is None:
        plan = options.stored_plan("run", "a scenario is needed unless resuming a run")
    else:
        plan = ExperimentPlan(
            kind="run",
            runs=(RunSpec(RUN_LABEL, scenario),),
            seed=scenario.seed if seed is None else seed,
            replications=scenario.replications if replications is None else replications,
            call_log=call_log,
            precision=target,
        )

    def collect(store: Store, report: ExecutionReport, staging: Path | None) -> Results:
        return collect_run(store, plan, RUN_LABEL, report, staging)

    return run_experiment(plan, options, collect)
