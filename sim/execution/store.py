"""Where finished chunks go: memory (small runs) or a work folder on disk (streamed runs).

On disk, an unfinished experiment lives in a work folder next to its results folder
(``<out>.partial``)::

    manifest.json                 {"tool": "callsim", "kind": "partial", "plan": {...}}
    parts/run-0/r000000-000007/   one folder per finished chunk: <table>.parquet each
    parts/run-1/...

A chunk folder is written under a temporary name and renamed when complete, so a run killed
at any moment leaves only whole chunks; the set of finished replications is read back from
the folder names. The work folder itself is made whole under a hidden name and renamed into
place, and removed by renaming it away first, so a kill never leaves half a work folder.
Resuming checks every chunk (:meth:`DiskStore.verify`): one whose files are cut short or do
not hold its replications is dropped, with a warning, and its replications run again.
Consolidation reads the chunks in replication order.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.errors import ExperimentError
from sim.execution.tasks import ChunkResult

log = logging.getLogger(__name__)

_CHUNK = re.compile(r"^r(\d{6,})-(\d{6,})$")
MANIFEST = "manifest.json"
"""The file that marks a folder as callsim's (results and work folders alike)."""


STAGING_MARK = ".callsim-staging-"
"""In the hidden name of a folder being written: ``.<target><mark><pid>-<random>``."""
TRASH_MARK = ".callsim-old-"
"""In the hidden name of a folder being deleted: ``.<target><mark><pid>-<random>``."""
_READ_ERRORS = (OSError, ValueError, TypeError, KeyError, IndexError, pa.ArrowException)


def hidden_sibling(target: Path, mark: str) -> Path:
    """A new, empty, hidden folder next to ``target``, named for it and this process.

    Such folders of a process that has died are removed by the next write of ``target``
    (:func:`sim.storage.folders.check_writable`).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}{mark}{os.getpid()}-", dir=target.parent))


def remove_dir(directory: Path) -> None:
    """Delete ``directory``: renamed away to a hidden name first, so it is gone at once."""
    if not directory.exists():
        return
    trash = hidden_sibling(directory, TRASH_MARK)
    trash.rmdir()
    directory.rename(trash)
    shutil.rmtree(trash, ignore_errors=True)


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
        """A fresh work folder for ``plan`` (replacing a previous one), made whole first."""
        staging = hidden_sibling(work_dir, STAGING_MARK)
        try:
            manifest = {"tool": "callsim", "kind": "partial", "plan": plan}
            (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
            for i in range(len(labels)):
                (staging / "parts" / f"run-{i}").mkdir(parents=True)
            remove_dir(work_dir)
            staging.rename(work_dir)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return DiskStore(work_dir, labels)

    @staticmethod
    def read_plan(work_dir: Path) -> dict[str, Any]:
        """The plan stored in an existing work folder."""
        try:
            manifest = json.loads((work_dir / MANIFEST).read_bytes())
        except (OSError, ValueError, RecursionError):
            manifest = None
        if (
            not isinstance(manifest, dict)
            or manifest.get("tool") != "callsim"
            or manifest.get("kind") != "partial"
            or not isinstance(manifest.get("plan"), dict)
        ):
            raise ExperimentError(
                f"{work_dir} is not an unfinished callsim experiment (its {MANIFEST} is "
                "missing or damaged); start over with --force"
            )
        plan: dict[str, Any] = manifest["plan"]
        return plan

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

    def has_finished(self) -> bool:
        """True if any chunk of any run is finished."""
        return any(self._ranges(label) for label in self._dirs)

    def verify(self, tables: tuple[str, ...]) -> list[Path]:
        """Drop every chunk that is not whole; returns the dropped chunks' folders.

        A chunk is whole when it holds each of ``tables`` as a readable Parquet file with the
        chunk's replications (every one of them in ``operator_days``) and overlaps no other.
        Dropped chunks are logged as a warning; their replications simply run again.
        """
        dropped = []
        for label, directory in self._dirs.items():
            expected = 0
            for first, count in self._ranges(label):
                chunk = directory / chunk_name(first, count)
                problem = (
                    f"overlaps the chunk before it (replications from {expected})"
                    if first < expected
                    else _chunk_problem(chunk, range(first, first + count), tables)
                )
                if problem is None:
                    expected = first + count
                    continue
                log.warning("%s: %s; its replications will run again", chunk, problem)
                shutil.rmtree(chunk, ignore_errors=True)
                dropped.append(chunk)
        return dropped

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
        for first, count in _check_complete(label, self._ranges(label), n):
            yield self._read(label, first, count, table)

    def finished_frames(self, label: str, table: str) -> Iterator[pd.DataFrame]:
        """Table ``table`` of every finished chunk of ``label`` (in order, gaps allowed)."""
        for first, count in self._ranges(label):
            yield self._read(label, first, count, table)

    def _read(self, label: str, first: int, count: int, table: str) -> pd.DataFrame:
        """One chunk's table; a chunk that cannot be read is dropped (:class:`ExperimentError`)."""
        chunk = self._dirs[label] / chunk_name(first, count)
        try:
            return pd.read_parquet(chunk / f"{table}.parquet")
        except _READ_ERRORS as exc:
            shutil.rmtree(chunk, ignore_errors=True)
            raise ExperimentError(
                f"{chunk} is damaged ({type(exc).__name__}) and was removed: resume again to "
                "run its replications again"
            ) from None

    def has_table(self, label: str, table: str) -> bool:
        """True if the finished chunks of ``label`` hold ``table``."""
        ranges = self._ranges(label)
        if not ranges:
            return False
        first, count = ranges[0]
        return (self._dirs[label] / chunk_name(first, count) / f"{table}.parquet").exists()

    def remove(self) -> None:
        """Delete the work folder (after the results are safely written, or if unused)."""
        remove_dir(self.work_dir)


def _chunk_problem(chunk: Path, replications: range, tables: tuple[str, ...]) -> str | None:
    """What is wrong with a finished chunk's files, or None if it is whole."""
    for table in tables:
        path = chunk / f"{table}.parquet"
        try:
            found = set(pq.read_table(path, columns=["replication"]).column(0).to_pylist())
        except _READ_ERRORS as exc:
            return f"{path.name} cannot be read ({type(exc).__name__})"
        whole = found == set(replications) if table == "operator_days" else True
        if not whole or not found <= set(replications):
            last = replications.stop - 1
            return f"{path.name} does not hold replications {replications.start}..{last}"
    return None


Store = MemoryStore | DiskStore
"""Where an experiment's finished chunks go."""
