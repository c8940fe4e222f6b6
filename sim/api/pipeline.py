"""One execute-and-save path for every kind of experiment (run, compare, sweep).

An experiment kind builds an :class:`~sim.execution.plan.ExperimentPlan` and a *collector*:
a function that turns the filled store into its result object and, given a staging folder,
writes its files there. :func:`run_experiment` does the rest the same way for every kind:
check the output folder before anything runs, execute on the chosen executor (streaming to a
work folder with ``out``, so ``resume`` can complete it), hand the store to the collector,
move the staging folder into place atomically, and open the written folder lazily.
Before anything runs, :func:`~sim.api.preflight.preflight` makes every check that would
otherwise fail late (names, limits, the time and memory estimate).
A new experiment kind is one module: its plan and its collector.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from sim._core import require_core
from sim.analysis.results import Results
from sim.api.preflight import preflight
from sim.errors import ArgumentTypeError, ExecutionError, ExperimentError
from sim.execution.engine import ExecutionReport, execute
from sim.execution.executors import make_executor
from sim.execution.plan import ExperimentPlan
from sim.execution.precision import PrecisionTarget
from sim.execution.session import open_disk_store, output_folder, stored_plan
from sim.execution.store import DiskStore, MemoryStore, Store
from sim.records.tables import TABLE_NAMES
from sim.scenario.arguments import require_callable, require_flag, require_path, require_text
from sim.storage import load
from sim.storage.folders import check_writable, write_dir_atomically
from sim.storage.runs import write_run_summary, write_run_tables

log = logging.getLogger(__name__)
T = TypeVar("T")

Collector = Callable[[Store, ExecutionReport, Path | None], T]
"""``collect(store, report, staging)``: the experiment's result; writes its files into
``staging`` when that is a folder (a streamed experiment), keeps everything in memory when None."""


def default_jobs() -> int:
    """Worker processes to use by default: every core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class ExperimentOptions:
    """How an experiment is carried out and where it goes; never what it computes.

    ``jobs`` local worker processes (1: in this process) or ``scheduler`` (Dask:
    ``tcp://host:port`` or ``local:N``); ``out`` the results folder (None: keep in memory);
    ``resume`` (True, or the folder) completes an unfinished streamed experiment; ``force``
    replaces a folder of other files or discards an unfinished experiment; ``progress`` shows
    a progress bar and ``on_progress(done)`` is called with the replications finished;
    ``precision`` / ``metric`` / ``max_replications`` add replications until a metric's
    confidence interval is narrow enough (:class:`~sim.execution.precision.PrecisionTarget`).
    """

    jobs: int = 1
    scheduler: str | None = None
    out: str | Path | None = None
    resume: bool | str | Path = False
    force: bool = False
    progress: bool = False
    precision: float | None = None
    metric: str | None = None
    max_replications: int | None = None
    on_progress: Callable[[int], None] | None = None

    def __post_init__(self) -> None:
        # Kinds checked here, where they enter; values (jobs, a scheduler's address, the
        # precision target) where they are used, as the command line's are.
        if self.out is not None:
            require_path(self.out, "out")
        if not isinstance(self.resume, bool):
            require_path(self.resume, "resume (True, False or the folder)")
        if self.scheduler is not None:
            require_text(self.scheduler, "scheduler")
        require_flag(self.force, "force")
        require_flag(self.progress, "progress")
        require_callable(self.on_progress, "on_progress")

    @classmethod
    def given(cls, options: object, **fields: Any) -> ExperimentOptions:
        """``options`` itself if given, else options made of ``fields`` (an entry point's keywords).

        Anything but an :class:`ExperimentOptions` or None raises :class:`ArgumentTypeError`.
        """
        if options is None:
            return cls(**fields)
        if not isinstance(options, ExperimentOptions):
            raise ArgumentTypeError(
                f"options must be an ExperimentOptions or None, not {type(options).__name__}"
            )
        return options

    @property
    def directory(self) -> Path | None:
        """The results folder: ``out``, or the folder ``resume`` names."""
        return output_folder(self.out, self.resume)

    @property
    def resuming(self) -> bool:
        """True when completing an unfinished experiment."""
        return self.resume is not False and self.resume is not None

    def target(self) -> PrecisionTarget | None:
        """The precision target the options ask for, if any."""
        return PrecisionTarget.parse(self.precision, self.metric, self.max_replications)

    def stored_plan(self, kind: str, missing: str) -> ExperimentPlan:
        """The plan of the unfinished ``kind`` experiment to resume.

        ``missing`` is the error when there is nothing to resume (no ``resume`` or no folder).
        """
        directory = self.directory
        if not self.resuming or directory is None:
            raise ExperimentError(missing)
        return stored_plan(directory, kind)


def run_experiment(plan: ExperimentPlan, options: ExperimentOptions, collect: Collector[T]) -> T:
    """Execute ``plan`` as ``options`` say and return what ``collect`` makes of it.

    With a results folder, chunks stream to its work folder, ``collect`` writes the final files
    into a staging folder that then replaces the results folder in one move, the work folder
    is removed, and the result is the folder opened again (tables read lazily). Without one,
    the result stays in memory.
    """
    require_core()  # CALLSIM_CORE=compiled that cannot run: fail before anything starts
    directory = options.directory
    executor = make_executor(options.jobs, options.scheduler)
    preflight(
        plan,
        directory,
        jobs=options.jobs,
        workers=_workers(options),
        force=options.force,
        max_replications=options.max_replications,
    )
    store: Store
    if directory is None:
        if options.resuming:
            raise ExperimentError("resume needs the results folder of the unfinished run")
        store = MemoryStore(plan.labels)
    else:
        check_writable(directory, options.force)
        store = open_disk_store(plan, directory, options.resuming, options.force)
    description = plan.runs[0].scenario.name if len(plan.runs) == 1 else plan.kind
    try:
        with executor:
            report = execute(
                plan, store, executor, options.progress, description, options.on_progress
            )
    except BaseException as error:
        if isinstance(store, DiskStore):
            _after_failure(store, directory, fresh=not options.resuming, error=error)
        raise
    if directory is None:
        return collect(store, report, None)
    # The folder was checked (and force honoured) before the run started.
    write_dir_atomically(directory, lambda staging: collect(store, report, staging), force=True)
    if isinstance(store, DiskStore):
        store.remove()
    result: T = load(directory)
    return result


def _after_failure(
    store: DiskStore, directory: Path | None, fresh: bool, error: BaseException
) -> None:
    """Keep finished chunks for ``--resume``; drop a work folder this run made and never used.

    An executor that failed (a lost Dask scheduler, workers that would not start) is reported
    with where the finished replications are and how to complete them.
    """
    finished = store.has_finished()
    if fresh and not finished:
        store.remove()
        log.info("nothing had finished; removed %s", store.work_dir)
    if isinstance(error, ExecutionError):
        kept = (
            f"finished replications are kept in {store.work_dir}: complete them with "
            f"--resume {directory}"
            if finished or not fresh
            else "nothing had finished"
        )
        raise ExecutionError(f"{error}; {kept}") from None


def _workers(options: ExperimentOptions) -> int:
    """Workers the experiment will run on, for its time estimate (a remote cluster: 1)."""
    if options.scheduler is not None and options.scheduler.startswith("local:"):
        return int(options.scheduler.partition(":")[2])
    return options.jobs if options.scheduler is None else 1


def precision_manifest(report: ExecutionReport) -> dict[str, Any]:
    """The manifest entry of a precision target, if the experiment had one."""
    return {"precision": report.precision} if report.precision else {}


def collect_run(
    store: Store, plan: ExperimentPlan, label: str, report: ExecutionReport, folder: Path | None
) -> Results:
    """Run ``label`` of a plan: tables concatenated in memory, or written as a run folder.

    Written tables stream from the store chunk by chunk in replication order, byte-identical
    to the same run computed in memory and saved with :func:`sim.save`.
    """
    n = report.replications
    scenario = next(run.scenario for run in plan.runs if run.label == label)
    tables: dict[str, Any] = dict.fromkeys(TABLE_NAMES)
    if folder is None:
        for name in plan.kept_tables:
            frames = list(store.frames(label, name, n))
            tables[name] = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    else:
        tables = write_run_tables(
            lambda name: store.frames(label, name, n), plan.kept_tables, folder
        )
    results = Results(
        scenario=scenario,
        seed=plan.seed,
        replications=n,
        operator_days=tables["operator_days"],
        segment_days=tables["segment_days"],
        leads=tables["leads"],
        calls=tables["calls"],
        meetings=tables["meetings"],
        wall_time_s=report.wall_time_s,
        extra_manifest=precision_manifest(report),
    )
    if folder is not None:
        write_run_summary(results, folder)
    return results
