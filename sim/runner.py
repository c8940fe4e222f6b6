"""Running replications: in process or on local worker processes, bit-identical either way.

A replication's output depends only on (scenario, root seed, replication index), so the runner
may hand replications to any worker in any order; it reassembles the tables in replication
order. Work goes out in chunks of several replications to keep per-task overhead small.
"""

from __future__ import annotations

import logging
import math
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

import pandas as pd
from tqdm.auto import tqdm

from sim.errors import ExperimentError
from sim.metrics import ReplicationTables
from sim.replication import simulate_replication
from sim.results import Results
from sim.scenario import Scenario

log = logging.getLogger(__name__)


def default_jobs() -> int:
    """Worker processes to use by default: every core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _run_chunk(scenario: Scenario, seed: int, replications: Sequence[int],
               call_log: bool) -> list[ReplicationTables]:
    return [simulate_replication(scenario, seed, r, call_log) for r in replications]


def chunked(items: Sequence[int], jobs: int, per_job: int = 4) -> list[list[int]]:
    """Split ``items`` into about ``jobs * per_job`` contiguous chunks."""
    if not items:
        return []
    size = max(1, math.ceil(len(items) / (jobs * per_job)))
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


def iter_replications(scenario: Scenario, seed: int, replications: Sequence[int], jobs: int = 1,
                      call_log: bool = False) -> Iterator[list[ReplicationTables]]:
    """Yield the tables of ``replications`` chunk by chunk, in replication order."""
    if jobs <= 1 or len(replications) <= 1:
        for r in replications:
            yield [simulate_replication(scenario, seed, r, call_log)]
        return
    chunks = chunked(replications, jobs)
    with ProcessPoolExecutor(max_workers=min(jobs, len(chunks))) as pool:
        futures = [pool.submit(_run_chunk, scenario, seed, chunk, call_log) for chunk in chunks]
        for future in futures:
            yield future.result()


def concat_tables(parts: list[ReplicationTables]) -> ReplicationTables:
    """Stack replications' tables (categories unified, row order kept)."""
    def stack(frames: list[pd.DataFrame | None]) -> pd.DataFrame | None:
        present = [f for f in frames if f is not None]
        if not present:
            return None
        return pd.concat(present, ignore_index=True)

    return ReplicationTables(
        operator_days=stack([p.operator_days for p in parts]),  # type: ignore[arg-type]
        segment_days=stack([p.segment_days for p in parts]),  # type: ignore[arg-type]
        leads=stack([p.leads for p in parts]),  # type: ignore[arg-type]
        calls=stack([p.calls for p in parts]),
    )


def run(scenario: Scenario, replications: int | None = None, seed: int | None = None,
        jobs: int = 1, call_log: bool = False, progress: bool = False,
        on_progress: Callable[[int], None] | None = None) -> Results:
    """Run a Monte Carlo experiment of ``scenario``.

    ``replications`` and ``seed`` default to the scenario's own. ``jobs`` > 1 runs on that many
    local worker processes; the results are identical to ``jobs=1``.
    """
    n = scenario.replications if replications is None else replications
    root = scenario.seed if seed is None else seed
    if n < 1:
        raise ExperimentError(f"replications must be at least 1, got {n}")
    if root < 0:
        raise ExperimentError(f"seed must be a non-negative integer, got {root}")
    if jobs < 1:
        raise ExperimentError(f"jobs must be at least 1, got {jobs}")
    started = time.perf_counter()
    parts: list[ReplicationTables] = []
    with tqdm(total=n, unit="rep", disable=not progress, desc=scenario.name) as bar:
        for chunk in iter_replications(scenario, root, list(range(n)), jobs, call_log):
            parts.extend(chunk)
            bar.update(len(chunk))
            if on_progress is not None:
                on_progress(len(parts))
    tables = concat_tables(parts)
    wall = time.perf_counter() - started
    log.info("%s: %d replications in %.1f s", scenario.name, n, wall)
    return Results(scenario=scenario, seed=root, replications=n,
                   operator_days=tables.operator_days, segment_days=tables.segment_days,
                   leads=tables.leads, calls=tables.calls, wall_time_s=wall)
