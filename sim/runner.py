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

from sim.errors import ExperimentError
from sim.execution.collect import collect_in_memory, consolidate_run
from sim.execution.engine import ExecutionReport
from sim.execution.plan import ExperimentPlan, RunSpec
from sim.execution.precision import PrecisionTarget
from sim.execution.session import output_folder, run_plan, stored_plan
from sim.execution.store import DiskStore, MemoryStore
from sim.outputs import write_dir_atomically
from sim.results import Results
from sim.scenario import Scenario
from sim.scenario.io import as_scenario

log = logging.getLogger(__name__)

RUN_LABEL = "run"


def default_jobs() -> int:
    """Worker processes to use by default: every core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


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
) -> Results:
    """Run a Monte Carlo experiment of ``scenario``; returns its :class:`Results`.

    ``scenario`` is a :class:`Scenario` or the path of a scenario file (read with
    :func:`sim.load_scenario`).

    ``replications`` and ``seed`` default to the scenario's own. ``jobs`` > 1 runs on that many
    local worker processes, ``scheduler`` (``tcp://host:port`` or ``local:N``) on Dask; the
    results are identical either way.

    Without ``out`` the tables are kept in memory. With ``out`` (a folder) they stream to disk
    as replications finish and the run folder is written there (as :meth:`Results.save`
    would); the returned results read their tables lazily. ``resume`` (True, or the folder)
    completes an interrupted streamed run; ``scenario`` may then be None.

    ``precision`` (a fraction, e.g. 0.05) with ``metric`` (``NAME`` or ``NAME:profile``) keeps
    adding replications, starting from ``replications``, until the 95% CI half-width of the
    metric is within that fraction of its mean, or ``max_replications`` (default 2,000) is
    reached; the manifest then records ``precision`` with the replications it took.
    ``on_progress(done)`` is called with the replications finished so far.
    """
    if scenario is not None:
        scenario = as_scenario(scenario)
    directory = output_folder(out, resume)
    target = PrecisionTarget.parse(precision, metric, max_replications)
    if scenario is None:
        if not resume or directory is None:
            raise ExperimentError("a scenario is needed unless resuming a run")
        plan = stored_plan(directory, "run")
    else:
        plan = ExperimentPlan(
            kind="run",
            runs=(RunSpec(RUN_LABEL, scenario),),
            seed=scenario.seed if seed is None else seed,
            replications=scenario.replications if replications is None else replications,
            call_log=call_log,
            precision=target,
        )

    def finish(store: MemoryStore | DiskStore, report: ExecutionReport) -> Results:
        extra = {"precision": report.precision} if report.precision else None
        if directory is None:
            return collect_in_memory(store, plan, RUN_LABEL, report, extra)
        # The folder was checked (and --force honoured) before the run started.
        write_dir_atomically(
            directory,
            lambda staging: consolidate_run(store, plan, RUN_LABEL, report, staging, extra),
            force=True,
        )
        return Results.load(directory)

    results = run_plan(
        plan, finish, directory, bool(resume), force, jobs, scheduler, progress, on_progress
    )
    log.info(
        "%s: %d replications in %.1f s",
        plan.runs[0].scenario.name,
        results.replications,
        results.wall_time_s,
    )
    return results
