"""A results folder opened for charting, and which group and metrics its charts show.

The folder's kind (``run``, ``compare``, ``sweep`` or ``sensitivity``) comes from
``manifest.json``'s ``kind``; a run folder is read as :class:`Results`, the others as their
experiment table (``comparison.csv``, ``sweep.csv``, ``sensitivity.csv``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from sim.analysis.results import Results
from sim.errors import ResultsDirError
from sim.records.kpis import SWEPT_METRICS
from sim.scenario import Scenario
from sim.storage.experiments import EXPERIMENT_TABLES, read_experiment_table
from sim.storage.folders import MANIFEST
from sim.storage.manifests import read_manifest
from sim.storage.runs import read_run

__all__ = [
    "SWEEP_METRICS",
    "FolderKind",
    "ResultsFolder",
    "headline_group",
    "open_folder",
    "sweep_metrics",
    "sweep_profile",
    "sweep_scenario",
]

FolderKind = Literal["run", "compare", "sweep", "sensitivity"]
SWEEP_METRICS = SWEPT_METRICS
"""Metrics a sweep folder gets a heatmap of (those present in ``sweep.csv``, in this order)."""


@dataclass(frozen=True)
class ResultsFolder:
    """A callsim results folder opened for charting: its kind, manifest and data."""

    path: Path
    kind: FolderKind
    manifest: dict[str, Any]
    results: Results | None = None
    table: pd.DataFrame | None = field(default=None, repr=False)
    """``comparison.csv`` of a compare folder or ``sweep.csv`` of a sweep folder."""


def open_folder(directory: str | Path) -> ResultsFolder:
    """Open a run, compare, sweep or sensitivity folder (:class:`ResultsDirError` if none)."""
    path = Path(directory)
    if not path.is_dir():
        raise ResultsDirError(f"{path} does not exist or is not a folder")
    manifest = read_manifest(path)
    kind = manifest.get("kind", "run")
    if kind == "run":
        return ResultsFolder(path, "run", manifest, results=read_run(path))
    if kind not in EXPERIMENT_TABLES:
        raise ResultsDirError(f"{path}: unknown results kind {kind!r} in {MANIFEST}")
    return ResultsFolder(path, kind, manifest, table=read_experiment_table(path, kind))


def sweep_metrics(table: pd.DataFrame, profile: str | None = None) -> list[str]:
    """The swept KPIs a sweep table has figures for (:data:`SWEEP_METRICS`; else its first).

    A metric without a single figure for the charted group (``quota_met`` when nobody has a
    quota) is left out rather than drawn as an empty panel.
    """
    profile = profile or sweep_profile(table)
    shown = table[(table["profile"].astype(str) == profile) & table["mean"].notna()]
    present = list(dict.fromkeys(shown["metric"])) or list(dict.fromkeys(table["metric"]))
    chosen = [m for m in SWEEP_METRICS if m in present]
    return chosen or present[:1]


def sweep_profile(table: pd.DataFrame, manifest: dict[str, Any] | None = None) -> str:
    """The group a sweep chart shows.

    The manifest's headline group (``team`` when the headcount varies over the points), else
    ``all`` callers when present, else the first.
    """
    profiles = list(dict.fromkeys(table["profile"].astype(str)))
    preferred = (manifest or {}).get("headline_group")
    if preferred in profiles:
        return str(preferred)
    return "all" if "all" in profiles else profiles[0]


def sweep_scenario(manifest: dict[str, Any]) -> Scenario | None:
    """A sweep's first point scenario, which names its team groups and currency on the axes.

    None for a manifest without the points' scenarios (a hand-made folder).
    """
    points = manifest.get("point_scenarios")
    if not isinstance(points, dict) or not points:
        return None
    try:
        return Scenario.model_validate(next(iter(points.values())))
    except ValueError:
        return None


def headline_group(folder: ResultsFolder) -> str:
    """The group a compare or sweep folder's headline chart shows (``team`` or ``all``)."""
    assert folder.table is not None
    if folder.kind == "sweep":
        return sweep_profile(folder.table, folder.manifest)
    group = folder.manifest.get("headline_group", "all")
    return str(group) if group in set(folder.table["profile"].astype(str)) else "all"
