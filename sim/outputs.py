"""Results folders: what callsim writes to disk, and the rules that keep other files safe.

A results folder holds the Parquet tables, ``summary.csv``, ``manifest.json`` (which marks the
folder as callsim's) and charts. Writing goes to a temporary sibling folder that replaces the
target only once everything is written, so a failed run never leaves half a folder behind and
never touches a folder callsim did not create (unless forced).
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pandas as pd

from sim.errors import ResultsDirError

if TYPE_CHECKING:
    from sim.results import Results

log = logging.getLogger(__name__)
T = TypeVar("T")

MANIFEST = "manifest.json"
SUMMARY = "summary.csv"
CONTACTS_CHART = "contacts_per_day.png"


def is_callsim_dir(directory: Path) -> bool:
    """True if ``directory`` holds a manifest written by callsim."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text())
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("tool") == "callsim"


def damaged(path: Path, problem: str) -> ResultsDirError:
    """The error for a results file that callsim wrote but can no longer read."""
    return ResultsDirError(
        f"{path}: {problem}; the results folder is damaged: run the experiment again"
    )


def check_writable(directory: Path, force: bool = False) -> None:
    """Refuse a target folder callsim could not or should not write, before anything runs.

    Refused: a path that is a file, a folder holding something other than callsim results
    (unless ``force``), and a place where no folder can be made (results are staged next to
    the target, so its parent must accept a new folder).
    """
    _staging_for(directory, force).rmdir()


def _staging_for(directory: Path, force: bool) -> Path:
    """A new staging folder for ``directory`` once the checks of :func:`check_writable` pass."""
    if directory.exists() and not directory.is_dir():
        raise ResultsDirError(f"{directory} exists and is not a folder")
    if (
        directory.is_dir()
        and any(directory.iterdir())
        and not is_callsim_dir(directory)
        and not force
    ):
        raise ResultsDirError(
            f"{directory} holds files that are not callsim results; choose another --out "
            "or pass --force to replace it"
        )
    try:
        return staging_dir(directory)
    except OSError as exc:
        raise ResultsDirError(
            f"cannot write results to {directory}: {exc.strerror or exc}"
            f"{f' ({exc.filename})' if exc.filename else ''}; choose another --out"
        ) from None


def replace_dir(staging: Path, directory: Path) -> None:
    """Move the fully written ``staging`` folder to ``directory``, replacing what was there."""
    if directory.exists():
        trash = directory.with_name(directory.name + ".old-callsim")
        if trash.exists():
            shutil.rmtree(trash)
        directory.rename(trash)
        staging.rename(directory)
        shutil.rmtree(trash, ignore_errors=True)
    else:
        staging.rename(directory)


def staging_dir(directory: Path) -> Path:
    """A new empty temporary folder next to ``directory`` (same file system)."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    staging.chmod(0o755)
    return staging


def write_dir_atomically(directory: Path, write: Callable[[Path], T], force: bool = False) -> T:
    """Let ``write`` fill a staging folder, then make it ``directory`` in one move.

    The target is checked first (as by :func:`check_writable`); if ``write`` fails, the
    staging folder is removed and whatever ``directory`` held stays untouched. Returns what
    ``write`` returned.
    """
    staging = _staging_for(directory, force)
    try:
        written = write(staging)
        replace_dir(staging, directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    log.info("results written to %s", directory)
    return written


def write_runs(runs: dict[str, Results], folder: Path) -> None:
    """One run folder per entry of ``runs`` in ``folder/runs/<label>/`` (compare, sweep)."""
    for label, results in runs.items():
        run_folder = folder / "runs" / label
        run_folder.mkdir(parents=True)
        write_run_files(results, run_folder)


def write_results_dir(results: Results, directory: Path, force: bool = False) -> Path:
    """Write ``results`` to ``directory`` (see module docstring). Returns the folder."""
    write_dir_atomically(directory, lambda staging: write_run_files(results, staging), force)
    return directory


def write_run_files(results: Results, folder: Path) -> None:
    """Write a run's tables (from memory), summary, chart and manifest into ``folder``."""
    from sim.results import TABLE_FILES

    for name, filename in TABLE_FILES.items():
        source = results.table_source(name)
        if isinstance(source, ParquetTable):
            shutil.copyfile(source.path, folder / filename)  # still on disk: copy, don't load
            continue
        table = results.table(name)
        if table is not None:
            table.to_parquet(folder / filename, index=False)
    write_run_extras(results, folder)


def write_run_extras(results: Results, folder: Path) -> None:
    """Write ``summary.csv``, the contacts chart and ``manifest.json`` of a run into ``folder``.

    Needs only the operator-day table, so it works on results whose tables stay on disk.
    """
    from sim.plots import save_contacts_chart
    from sim.results import manifest_json

    results.summary().to_csv(folder / SUMMARY, index=False, float_format="%.6g")
    save_contacts_chart(results, folder / CONTACTS_CHART)
    (folder / MANIFEST).write_text(manifest_json(results.manifest()))


def read_results_dir(directory: Path) -> Results:
    """Open a results folder written by :func:`write_results_dir`.

    Tables are read lazily, when first used: opening a 2,000-replication run costs nothing
    until its tables are needed, and its leads table is never read unless asked for.
    """
    from sim.results import TABLE_FILES, Results
    from sim.scenario import Scenario

    if not is_callsim_dir(directory):
        raise ResultsDirError(f"{directory} is not a callsim results folder (no {MANIFEST})")
    manifest = json.loads((directory / MANIFEST).read_text())
    if manifest.get("kind", "run") != "run":
        raise ResultsDirError(f"{directory} holds a callsim {manifest.get('kind')}, not a run")
    if not (directory / TABLE_FILES["operator_days"]).exists():
        raise ResultsDirError(f"{directory} holds no operator_days table")
    tables = {
        name: table_loader(directory / filename) if (directory / filename).exists() else None
        for name, filename in TABLE_FILES.items()
    }
    try:
        return Results(
            scenario=Scenario.model_validate(manifest["scenario"]),
            seed=int(manifest["seed"]),
            replications=int(manifest["replications"]),
            operator_days=tables["operator_days"],
            segment_days=tables["segment_days"],
            leads=tables["leads"],
            calls=tables["calls"],
            wall_time_s=float(manifest.get("wall_time_s", 0.0)),
            extra_manifest={k: manifest[k] for k in ("precision",) if k in manifest},
        )
    except (KeyError, TypeError, ValueError) as exc:  # pydantic's ValidationError included
        problem = f"no {exc}" if isinstance(exc, KeyError) else str(exc).splitlines()[0]
        raise damaged(directory / MANIFEST, problem) from None


class ParquetTable:
    """A table left on disk: calling it reads the Parquet file at ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __call__(self) -> pd.DataFrame:
        import pyarrow

        log.debug("loading %s", self.path)
        try:
            return pd.read_parquet(self.path)
        except (OSError, pyarrow.ArrowException) as exc:
            raise damaged(self.path, f"cannot be read ({exc})") from None

    def __repr__(self) -> str:
        return f"ParquetTable({str(self.path)!r})"


def table_loader(path: Path) -> ParquetTable:
    """A loader reading the Parquet table at ``path`` when called."""
    return ParquetTable(path)
