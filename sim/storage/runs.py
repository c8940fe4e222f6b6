"""Run folders: a run's tables, ``summary.csv`` and ``manifest.json``, written and read back.

A run folder holds one Parquet file per table the run kept (:data:`TABLE_FILES`),
``summary.csv`` (:meth:`Results.summary`) and ``manifest.json`` (``"kind": "run"``: the
resolved scenario, seed, replications and library versions). Streamed runs write their tables
chunk by chunk (:func:`write_run_tables`), byte-identical to saving the same run from memory.
Folders are read lazily: each table is loaded when first used.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

from sim._core import core_info
from sim._version import __version__
from sim.analysis.callers import callers_table
from sim.analysis.diagnostics import diagnose
from sim.analysis.money import MONEY_METRICS, money_by_group, money_by_profile, money_summary
from sim.analysis.quota import quota_attainment
from sim.analysis.results import Results, TableSource
from sim.errors import ResultsDirError
from sim.records.tables import TABLE_NAMES
from sim.scenario import Scenario
from sim.storage.folders import MANIFEST, library_versions, manifest_json, write_dir_atomically
from sim.storage.manifests import damaged, describe, read_manifest
from sim.storage.parquet import write_frames_parquet
from sim.storage.table_checks import check_parquet_table, read_csv_table, read_parquet_checked

log = logging.getLogger(__name__)

TABLE_FILES = {name: f"{name}.parquet" for name in TABLE_NAMES}
"""Every table a run can keep, and its file."""
SUMMARY = "summary.csv"
QUOTA = "quota.csv"
CALLERS = "callers.csv"
MONEY = "money.csv"
"""Runs with sellers: the team's money figures with intervals (:func:`money_summary`)."""
MONEY_GROUPS = "money_groups.csv"
"""Runs with sellers: pay (the sellers' split by meetings held), meetings, sales and cost per
sale per replication and team group (:func:`~sim.analysis.money.money_by`)."""
MONEY_PROFILES = "money_profiles.csv"
"""Runs with sellers: as ``money_groups.csv``, per replication and caller profile."""
"""Spread between callers of their monthly figures (:func:`~sim.analysis.callers.callers_table`)."""
"""Attainment and norms per quota part (:func:`sim.analysis.quota.quota_attainment`)."""


def run_manifest(results: Results) -> dict[str, Any]:
    """What produced ``results``: resolved scenario, seed, versions, wall time."""
    return {
        "tool": "callsim",
        "kind": "run",
        "version": __version__,
        "core": core_info().as_manifest(),
        "scenario_name": results.scenario.name,
        "seed": results.seed,
        "replications": results.replications,
        "call_log": results.has_table("calls"),
        "wall_time_s": round(results.wall_time_s, 3),
        "versions": library_versions(),
        **results.extra_manifest,
        "warnings": [warning.as_dict() for warning in diagnose(results)],
        "scenario": results.scenario.model_dump(mode="json"),
    }


def write_run_files(results: Results, folder: Path) -> None:
    """Write a run's tables, summary and manifest into the existing ``folder``."""
    for name, filename in TABLE_FILES.items():
        source = results.table_source(name)
        if isinstance(source, ParquetTable):
            shutil.copyfile(source.path, folder / filename)  # still on disk: copy, don't load
            continue
        table = results.table(name)
        if table is not None:
            table.to_parquet(folder / filename, index=False)
    write_run_summary(results, folder)


def write_run_summary(results: Results, folder: Path) -> None:
    """Write the run's summaries and ``manifest.json`` (needs only the operator-day table).

    ``summary.csv``, ``quota.csv`` (when a caller has a quota), ``callers.csv`` and, for a
    run with sellers, ``money.csv``, ``money_groups.csv`` and ``money_profiles.csv``.
    """
    results.summary().to_csv(folder / SUMMARY, index=False, float_format="%.6g")
    quota = quota_attainment(results)
    if not quota.empty:
        quota.to_csv(folder / QUOTA, index=False, float_format="%.6g")
    callers_table(results.operator_days).to_csv(folder / CALLERS, index=False, float_format="%.6g")
    if results.has_table("meetings"):
        days, meetings = results.operator_days, results.meetings
        money = money_summary(results.scenario, days, meetings)
        money.to_csv(folder / MONEY, index=False, float_format="%.10g")
        groups = money_by_group(results.scenario, days, meetings)
        groups.to_csv(folder / MONEY_GROUPS, index=False, float_format="%.10g")
        profiles = money_by_profile(results.scenario, days, meetings)
        profiles.to_csv(folder / MONEY_PROFILES, index=False, float_format="%.10g")
    (folder / MANIFEST).write_text(manifest_json(run_manifest(results)))


def write_run_tables(
    frames: Callable[[str], Iterable[pd.DataFrame]], tables: Iterable[str], folder: Path
) -> dict[str, TableSource]:
    """Stream each of ``tables`` from ``frames(name)`` into ``folder``; loaders of the files.

    Tables not listed are None (not kept). The files are byte-identical to
    ``pd.concat(frames).to_parquet(...)``, without holding a whole table in memory.
    """
    loaders: dict[str, TableSource] = dict.fromkeys(TABLE_FILES)
    for name in tables:
        path = folder / TABLE_FILES[name]
        rows = write_frames_parquet(frames(name), path)
        log.debug("%s: %d rows", path, rows)
        loaders[name] = ParquetTable(path)
    return loaders


def save_results(results: Results, directory: Path, force: bool = False) -> Path:
    """Write ``results`` as a run folder, atomically (see :mod:`sim.storage.folders`)."""
    write_dir_atomically(directory, lambda staging: write_run_files(results, staging), force)
    return directory


def read_run(directory: Path) -> Results:
    """Open a run folder, checked; tables are read when first used.

    The manifest and every table file's columns are checked now (the tables' footers only),
    so a damaged folder is refused in one line before anything uses it.
    """
    manifest = read_manifest(directory)
    if manifest.get("kind", "run") != "run":
        raise ResultsDirError(f"{directory} holds a callsim {manifest.get('kind')}, not a run")
    if not (directory / TABLE_FILES["operator_days"]).exists():
        raise ResultsDirError(f"{directory} holds no operator_days table")
    try:
        scenario = Scenario.model_validate(manifest["scenario"])
    except ValidationError as exc:
        raise damaged(directory / MANIFEST, f"scenario.{describe(exc)}") from None
    replications = int(manifest["replications"])
    tables: dict[str, TableSource] = {}
    for name, filename in TABLE_FILES.items():
        path = directory / filename
        if path.exists():
            check_parquet_table(path, name, replications)
        tables[name] = ParquetTable(path) if path.exists() else None
    return Results(
        scenario=scenario,
        seed=int(manifest["seed"]),
        replications=replications,
        operator_days=tables["operator_days"],
        segment_days=tables["segment_days"],
        leads=tables["leads"],
        calls=tables["calls"],
        meetings=tables["meetings"],
        wall_time_s=float(manifest.get("wall_time_s", 0.0)),
        extra_manifest={k: manifest[k] for k in ("precision",) if manifest.get(k) is not None},
    )


CHUNK_ROWS = 1 << 20
"""Rows per chunk of a pass over a table left on disk (about 1 million)."""


class ParquetTable:
    """A table left on disk: calling it reads the Parquet file at ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __call__(self) -> pd.DataFrame:
        log.debug("loading %s", self.path)
        return read_parquet_checked(self.path)

    def read_columns(self, columns: list[str]) -> pd.DataFrame:
        """Only ``columns`` of the file (a check of a few columns of a large table)."""
        import pyarrow

        try:
            return pd.read_parquet(self.path, columns=columns)
        except (OSError, pyarrow.ArrowException) as exc:
            raise damaged(self.path, f"cannot be read ({exc})") from None

    def column_names(self) -> list[str]:
        """The file's columns, from its footer."""
        import pyarrow
        import pyarrow.parquet as pq

        try:
            return list(pq.read_schema(self.path).names)
        except (OSError, pyarrow.ArrowException) as exc:
            raise damaged(self.path, f"cannot be read ({exc})") from None

    def read_column_chunks(
        self, columns: list[str], rows: int = CHUNK_ROWS
    ) -> Iterator[pd.DataFrame]:
        """``columns`` of the file, ``rows`` rows at a time (a pass over a large table)."""
        import pyarrow
        import pyarrow.parquet as pq

        try:
            source = pq.ParquetFile(self.path)
            for batch in source.iter_batches(batch_size=rows, columns=columns):
                yield batch.to_pandas()
        except (OSError, pyarrow.ArrowException) as exc:
            raise damaged(self.path, f"cannot be read ({exc})") from None

    def __repr__(self) -> str:
        return f"ParquetTable({str(self.path)!r})"


def read_compared_money(directory: Path) -> dict[str, pd.DataFrame]:
    """``money.csv`` of each run folder of a compare folder, by run label (empty if none)."""
    runs = directory / "runs"
    found = {}
    for folder in sorted(runs.iterdir()) if runs.is_dir() else []:
        if (folder / MONEY).is_file():
            found[folder.name] = read_money(folder / MONEY)
    return found


def read_money(path: Path) -> pd.DataFrame:
    """A run's ``money.csv``, checked: its columns, numbers, and a row for every money metric."""
    table = read_csv_table(path, "money")
    missing = [metric for metric in MONEY_METRICS if metric not in set(table["metric"])]
    if missing:
        raise damaged(path, f"lacks the figures {', '.join(missing[:5])}")
    return table
