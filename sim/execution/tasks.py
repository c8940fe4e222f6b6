"""Units of work: a chunk of consecutive replications of one scenario, and what it returns.

A task depends only on its arguments (scenario, root seed, replication numbers), so any
executor may run any task, in any order, on any machine. Tasks return their tables either as
DataFrames (kept in memory by the parent) or already encoded as Parquet bytes (streamed to
disk by the parent), which moves the serialisation work onto the workers.
"""

from __future__ import annotations

import io
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from sim._core import core_info
from sim.records.replication import simulate_replication
from sim.scenario import Scenario

MAX_CHUNK = 8
"""Most replications in one task: bounds memory in flight and keeps progress and streaming
fine-grained. A replication of the main scenario takes ~0.1-0.6 s, a task ~2 ms of overhead."""


@dataclass(frozen=True)
class ChunkTask:
    """Replications ``first .. first + count - 1`` of run ``label``."""

    label: str
    scenario: Scenario
    seed: int
    first: int
    count: int
    call_log: bool = False
    tables: tuple[str, ...] = ("operator_days", "segment_days", "leads")
    encode: bool = True

    @property
    def replications(self) -> range:
        """The replication numbers of this chunk."""
        return range(self.first, self.first + self.count)


@dataclass
class ChunkResult:
    """The tables of one chunk: Parquet bytes (``encode``) or DataFrames, by table name."""

    label: str
    first: int
    count: int
    payload: dict[str, bytes | pd.DataFrame] = field(default_factory=dict)
    seconds: float = 0.0
    core: str = ""
    """The core the worker ran (``compiled`` or ``python``; :func:`sim.core_info`)."""

    @property
    def replications(self) -> range:
        """The replication numbers of this chunk."""
        return range(self.first, self.first + self.count)

    def frame(self, name: str) -> pd.DataFrame:
        """Table ``name`` of the chunk as a DataFrame (decoding Parquet bytes if needed)."""
        value = self.payload[name]
        if isinstance(value, bytes):
            return pd.read_parquet(io.BytesIO(value))
        return value


def encode_frame(frame: pd.DataFrame) -> bytes:
    """A DataFrame as Parquet bytes (index dropped); decoding restores dtypes exactly."""
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def run_chunk(task: ChunkTask) -> ChunkResult:
    """Simulate the task's replications and return their tables (worker entry point)."""
    started = time.perf_counter()
    parts = [
        simulate_replication(task.scenario, task.seed, r, task.call_log) for r in task.replications
    ]
    payload: dict[str, bytes | pd.DataFrame] = {}
    for name in task.tables:
        frames = [getattr(p, name) for p in parts]
        if any(f is None for f in frames):
            continue
        frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        payload[name] = encode_frame(frame) if task.encode else frame
    return ChunkResult(
        task.label,
        task.first,
        task.count,
        payload,
        time.perf_counter() - started,
        core_info().name,
    )


def chunk_ranges(replications: Sequence[int], size: int) -> list[tuple[int, int]]:
    """Split replication numbers into ``(first, count)`` runs of consecutive numbers.

    Each run is at most ``size`` long and never spans a gap, so parts are contiguous.
    """
    ranges: list[tuple[int, int]] = []
    for r in sorted(replications):
        if ranges and ranges[-1][0] + ranges[-1][1] == r and ranges[-1][1] < size:
            ranges[-1] = (ranges[-1][0], ranges[-1][1] + 1)
        else:
            ranges.append((r, 1))
    return ranges


def chunk_size(total: int, workers: int, per_worker: int = 8, limit: int = MAX_CHUNK) -> int:
    """Replications per task: about ``per_worker`` tasks per worker, at most ``limit``.

    Several tasks per worker keep the load balanced at the end of a batch; the limit keeps
    results streaming. Chunking never changes results, only how work is shipped.
    """
    if total <= 0:
        return 1
    return max(1, min(limit, math.ceil(total / (max(1, workers) * per_worker))))
