"""Where finished chunks go: memory (small runs) or a work folder on disk (streamed runs).

On disk, an unfinished experiment lives in a work folder next to its results folder
(``<out>.partial``)::

    manifest.json                 {"tool": "callsim", "kind": "partial", "plan": {...}}
    parts/run-0/r000000-000007/   one folder per finished chunk: <table>.parquet each
    parts/run-1/...

A chunk folder is written under a temporary name and renamed when complete, so a run killed
at any moment leaves only whole chunks; the set of finished replications is read back from
the folder names. Consolidation reads the chunks in replication order.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from sim.errors import ExperimentError
from sim.execution.tasks import ChunkResult

log = logging.getLogger(__name__)

_CHUNK = re.compile(r"^r(\d{6,})-(\d{6,})$")
MANIFEST = "manifest.json"
"""The file that marks a folder as callsim's (results and work folders alike)."""


def chunk_name(first: int, count: int) -> str:
    """The folder of a chunk of replications ``first .. first + count - 1`` (read by _CHUNK)."""
    return f"r{first:06d}-{first + count - 1:06d}"


def _check_complete(label: str, ranges: list[tuple[int, int]], n: int) -> list[tuple[int, int]]:
    """The ``(first, count)`` ranges covering ``0 .. n-1`` exactly, in order."""
    chosen, expected = [], 0
    for first, count in sorted(ranges):
        if first >= n:
            continue
        if first != expected or first + count > n:
            raise ExperimentError(
                f"run {label!r}: replications {expected}.. are missing or overlap a chunk "
                f"starting at {first}; cannot assemble {n} replications"
            )
        chosen.append((first, count))
        expected = first + count
    if expected != n:
        raise ExperimentError(f"run {label!r}: only {expected} of {n} replications finished")
    return chosen


class MemoryStore:
    """Keeps finished chunks' DataFrames in memory (``sim.run`` without ``out``)."""

    def __init__(self, labels: list[str]) -> None:
        self._chunks: dict[str, dict[int, ChunkResult]] = {label: {} for label in labels}

    def done(self, label: str) -> set[int]:
        """Replication numbers of ``label`` already finished."""
        return {r for c in self._chunks[label].values() for r in c.replications}

    def add(self, result: ChunkResult) -> None:
        """Keep a finished chunk."""
        self._chunks[result.label][result.first] = result

    def frames(self, label: str, table: str, n: int) -> Iterator[pd.DataFrame]:
        """Table ``table`` of replications ``0 .. n-1``, chunk by chunk in order."""
        chunks = self._chunks[label]
        for first, _ in _check_complete(label, [(c.first, c.count) for c in chunks.values()], n):
            yield chunks[first].frame(table)

    def finished_frames(self, label: str, table: str) -> Iterator[pd.DataFrame]:
        """Table ``table`` of every finished chunk of ``label`` (in order, gaps allowed)."""
        chunks = self._chunks[label]
        for first in sorted(chunks):
            yield chunks[first].frame(table)

    def has_table(self, label: str, table: str) -> bool:
        """True if the finished chunks of ``label`` hold ``table``."""
        return any(table in c.payload for c in self._chunks[label].values())


class DiskStore:
    """Streams finished chunks to a work folder (see module docstring)."""

    def __init__(self, work_dir: Path, labels: list[str]) -> None:
        self.work_dir = work_dir
        self._dirs = {label: work_dir / "parts" / f"run-{i}" for i, label in enumerate(labels)}

    @staticmethod
    def create(work_dir: Path, plan: dict[str, Any], labels: list[str]) -> DiskStore:
        """A fresh work folder for ``plan`` (replacing a previous one)."""
        if work_dir.exists():
            shutil.rmtree(work_dir)
        (work_dir / "parts").mkdir(parents=True)
        manifest = {"tool": "callsim", "kind": "partial", "plan": plan}
        (work_dir / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        store = DiskStore(work_dir, labels)
        for directory in store._dirs.values():
            directory.mkdir(parents=True, exist_ok=True)
        return store

    @staticmethod
    def read_plan(work_dir: Path) -> dict[str, Any]:
        """The plan stored in an existing work folder."""
        try:
            manifest = json.loads((work_dir / MANIFEST).read_text())
        except (OSError, ValueError, RecursionError):  # RecursionError: JSON nested too deep
            raise ExperimentError(f"{work_dir} is not an unfinished callsim experiment") from None
        if manifest.get("tool") != "callsim" or manifest.get("kind") != "partial":
            raise ExperimentError(f"{work_dir} is not an unfinished callsim experiment")
        return manifest["plan"]

    def _ranges(self, label: str) -> list[tuple[int, int]]:
        directory = self._dirs[label]
        ranges = []
        if directory.is_dir():
            for child in directory.iterdir():
                match = _CHUNK.match(child.name)
                if match and child.is_dir():
                    first, last = int(match.group(1)), int(match.group(2))
                    ranges.append((first, last - first + 1))
                elif child.name.startswith(".tmp"):
                    shutil.rmtree(child, ignore_errors=True)  # a chunk cut off mid-write
        return sorted(ranges)

    def done(self, label: str) -> set[int]:
        """Replication numbers of ``label`` whose chunk folder is complete."""
        return {r for first, count in self._ranges(label) for r in range(first, first + count)}

    def add(self, result: ChunkResult) -> None:
        """Write a finished chunk (atomically: temporary folder, then rename)."""
        directory = self._dirs[result.label]
        final = directory / chunk_name(result.first, result.count)
        temporary = Path(tempfile.mkdtemp(prefix=".tmp-", dir=directory))
        for name, value in result.payload.items():
            path = temporary / f"{name}.parquet"
            if isinstance(value, bytes):
                path.write_bytes(value)
            else:
                value.to_parquet(path, index=False)
        if final.exists():  # the same chunk finished twice (resumed run): identical content
            shutil.rmtree(final)
        temporary.rename(final)

    def frames(self, label: str, table: str, n: int) -> Iterator[pd.DataFrame]:
        """Table ``table`` of replications ``0 .. n-1``, chunk by chunk in order."""
        directory = self._dirs[label]
        for first, count in _check_complete(label, self._ranges(label), n):
            yield pd.read_parquet(directory / chunk_name(first, count) / f"{table}.parquet")

    def finished_frames(self, label: str, table: str) -> Iterator[pd.DataFrame]:
        """Table ``table`` of every finished chunk of ``label`` (in order, gaps allowed)."""
        directory = self._dirs[label]
        for first, count in self._ranges(label):
            yield pd.read_parquet(directory / chunk_name(first, count) / f"{table}.parquet")

    def has_table(self, label: str, table: str) -> bool:
        """True if the finished chunks of ``label`` hold ``table``."""
        ranges = self._ranges(label)
        if not ranges:
            return False
        first, count = ranges[0]
        return (self._dirs[label] / chunk_name(first, count) / f"{table}.parquet").exists()

    def remove(self) -> None:
        """Delete the work folder (after the results are safely written)."""
        shutil.rmtree(self.work_dir, ignore_errors=True)


Store = MemoryStore | DiskStore
"""Where an experiment's finished chunks go."""
