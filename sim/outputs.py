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
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from sim.errors import ResultsDirError

if TYPE_CHECKING:
    from sim.results import Results

log = logging.getLogger(__name__)

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


def check_writable(directory: Path, force: bool = False) -> None:
    """Refuse a target folder that exists and holds something other than callsim results."""
    if directory.exists() and not directory.is_dir():
        raise ResultsDirError(f"{directory} exists and is not a folder")
    if directory.is_dir() and any(directory.iterdir()) and not is_callsim_dir(directory) \
            and not force:
        raise ResultsDirError(
            f"{directory} holds files that are not callsim results; choose another --out "
            "or pass --force to replace it"
        )


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


def write_results_dir(results: Results, directory: Path, force: bool = False) -> Path:
    """Write ``results`` to ``directory`` (see module docstring). Returns the folder."""
    from sim.plots import save_contacts_chart
    from sim.results import TABLE_FILES, manifest_json

    check_writable(directory, force)
    staging = staging_dir(directory)
    try:
        for name, filename in TABLE_FILES.items():
            table = getattr(results, name)
            if table is not None:
                table.to_parquet(staging / filename, index=False)
        results.summary().to_csv(staging / SUMMARY, index=False, float_format="%.6g")
        save_contacts_chart(results, staging / CONTACTS_CHART)
        (staging / MANIFEST).write_text(manifest_json(results.manifest()))
        replace_dir(staging, directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    log.info("results written to %s", directory)
    return directory


def read_results_dir(directory: Path) -> Results:
    """Load a results folder written by :func:`write_results_dir`."""
    from sim.results import TABLE_FILES, Results
    from sim.scenario import Scenario

    if not is_callsim_dir(directory):
        raise ResultsDirError(f"{directory} is not a callsim results folder (no {MANIFEST})")
    manifest = json.loads((directory / MANIFEST).read_text())
    tables = {
        name: pd.read_parquet(directory / filename) if (directory / filename).exists() else None
        for name, filename in TABLE_FILES.items()
    }
    if tables["operator_days"] is None:
        raise ResultsDirError(f"{directory} holds no operator_days table")
    return Results(
        scenario=Scenario.model_validate(manifest["scenario"]),
        seed=int(manifest["seed"]),
        replications=int(manifest["replications"]),
        operator_days=tables["operator_days"],
        segment_days=tables["segment_days"],
        leads=tables["leads"],
        calls=tables["calls"],
        wall_time_s=float(manifest.get("wall_time_s", 0.0)),
    )
