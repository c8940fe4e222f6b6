"""Turning a filled store into results: in memory, or consolidated into a run folder.

Consolidation writes each table from the run's chunks in replication order with
:func:`sim.execution.parquet.write_frames_parquet`, so a streamed run's files are byte-for-byte
those of the same run computed in memory and saved with :meth:`Results.save`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pandas as pd

from sim.execution.engine import ExecutionReport
from sim.execution.parquet import write_frames_parquet
from sim.execution.plan import ExperimentPlan
from sim.execution.store import DiskStore, MemoryStore
from sim.outputs import table_loader, write_run_extras
from sim.results import TABLE_FILES, Results
from sim.scenario import Scenario

log = logging.getLogger(__name__)


def collect_in_memory(
    store: MemoryStore | DiskStore,
    plan: ExperimentPlan,
    label: str,
    report: ExecutionReport,
    extra_manifest: dict[str, Any] | None = None,
) -> Results:
    """The run ``label`` with every table concatenated in memory (small experiments)."""
    n = report.replications
    tables: dict[str, pd.DataFrame | None] = {name: None for name in TABLE_FILES}
    for name in plan.kept_tables:
        frames = list(store.frames(label, name, n))
        tables[name] = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return Results(
        scenario=_scenario(plan, label),
        seed=plan.seed,
        replications=n,
        operator_days=tables["operator_days"],
        segment_days=tables["segment_days"],
        leads=tables["leads"],
        calls=tables["calls"],
        wall_time_s=report.wall_time_s,
        extra_manifest=extra_manifest,
    )


def consolidate_run(
    store: MemoryStore | DiskStore,
    plan: ExperimentPlan,
    label: str,
    report: ExecutionReport,
    folder: Path,
    extra_manifest: dict[str, Any] | None = None,
) -> Results:
    """Write run ``label`` as a complete run folder in ``folder`` (which must exist).

    Tables stream from the store one row group at a time; the summary and chart need only
    the operator-day table. Returns results whose tables are read lazily from ``folder``.
    """
    n = report.replications
    loaders: dict[str, Any] = {name: None for name in TABLE_FILES}
    for name in plan.kept_tables:
        path = folder / TABLE_FILES[name]
        rows = write_frames_parquet(store.frames(label, name, n), path)
        log.debug("%s: %s, %d rows", label, path.name, rows)
        loaders[name] = table_loader(path)
    results = Results(
        scenario=_scenario(plan, label),
        seed=plan.seed,
        replications=n,
        operator_days=loaders["operator_days"],
        segment_days=loaders["segment_days"],
        leads=loaders["leads"],
        calls=loaders["calls"],
        wall_time_s=report.wall_time_s,
        extra_manifest=extra_manifest,
    )
    write_run_extras(results, folder)
    return results


def _scenario(plan: ExperimentPlan, label: str) -> Scenario:
    return next(run.scenario for run in plan.runs if run.label == label)
