"""Carrying out a plan: batches of chunked tasks on an executor, results into a store.

Every run of the plan gets replications ``0 .. n-1`` (common random numbers). Replications
already in the store (a resumed experiment) are skipped. Tasks of all runs are interleaved by
replication number so all runs advance together. With a precision target the engine adds
batches until the target is met (:mod:`sim.execution.precision`).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tqdm.auto import tqdm

from sim._core import check_task_core
from sim.execution.executors import Executor
from sim.execution.plan import ExperimentPlan
from sim.execution.precision import MetricTracker, is_precise, next_total, relative_half_width
from sim.execution.store import DiskStore, MemoryStore
from sim.execution.tasks import ChunkTask, chunk_ranges, chunk_size

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExecutionReport:
    """How an execution went: replications per run, precision reached, time taken.

    ``task_seconds`` is the time spent inside tasks (summed over workers), so
    ``task_seconds / (workers * wall_time_s)`` is how busy the workers were kept.
    """

    replications: int
    simulated: int
    wall_time_s: float
    precision: dict[str, Any] | None = None
    task_seconds: float = 0.0


def execute(
    plan: ExperimentPlan,
    store: MemoryStore | DiskStore,
    executor: Executor,
    progress: bool = False,
    description: str | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ExecutionReport:
    """Run every replication the plan needs that ``store`` does not hold yet.

    ``executor`` must already be entered (its workers started). Returns the final number of
    replications per run (more than ``plan.replications`` when a precision target asked).
    ``on_progress(done)`` is called after each chunk with the replications finished so far.
    """
    started = time.perf_counter()
    labels = plan.labels
    scenarios = {run.label: run.scenario for run in plan.runs}
    target = plan.precision
    n = min(plan.replications, target.max_replications) if target else plan.replications
    trackers = (
        {label: MetricTracker(target, scenarios[label]) for label in labels} if target else {}
    )
    done = {label: store.done(label) for label in labels}
    for label, tracker in trackers.items():
        for frame in store.finished_frames(label, "operator_days"):
            tracker.add(frame)
    encode = isinstance(store, DiskStore)
    simulated, task_seconds = 0, 0.0
    with tqdm(
        total=n * len(labels),
        initial=sum(len({r for r in d if r < n}) for d in done.values()),
        unit="rep",
        disable=not progress,
        desc=description or plan.kind,
        dynamic_ncols=True,
    ) as bar:
        while True:
            missing = {label: [r for r in range(n) if r not in done[label]] for label in labels}
            size = chunk_size(sum(len(m) for m in missing.values()), executor.workers)
            tasks = [
                ChunkTask(
                    label,
                    scenarios[label],
                    plan.seed,
                    first,
                    count,
                    plan.call_log,
                    plan.kept_tables,
                    encode,
                )
                for label in labels
                for first, count in chunk_ranges(missing[label], size)
            ]
            tasks.sort(key=lambda t: (t.first, labels.index(t.label)))
            if tasks:
                log.info(
                    "%s: %d tasks of up to %d replications on %s (%d workers)",
                    plan.kind,
                    len(tasks),
                    size,
                    executor.name,
                    executor.workers,
                )
            for result in executor.run(tasks):
                # A worker must not silently run another core than this process reports.
                check_task_core(result.core, f"{executor.name} executor")
                store.add(result)
                done[result.label].update(result.replications)
                if trackers:
                    trackers[result.label].add(result.frame("operator_days"))
                simulated += result.count
                task_seconds += result.seconds
                bar.update(result.count)
                if on_progress is not None:
                    on_progress(sum(len(d) for d in done.values()))
            if target is None:
                break
            intervals = [trackers[label].interval(n) for label in labels]
            worst = max((relative_half_width(i) for i in intervals if i.n > 0), default=None)
            log.info("precision after %d replications: %s (target %s)", n, worst, target.relative)
            if is_precise(target, intervals) or n >= target.max_replications:
                report = {
                    **target.to_json(),
                    "replications": n,
                    "reached": is_precise(target, intervals),
                    "relative_half_width": float(worst)
                    if worst is not None and math.isfinite(worst)
                    else None,
                }
                return ExecutionReport(
                    n, simulated, time.perf_counter() - started, report, task_seconds
                )
            n = next_total(target, n, intervals)
            bar.total = n * len(labels)
            bar.refresh()
    return ExecutionReport(n, simulated, time.perf_counter() - started, None, task_seconds)
