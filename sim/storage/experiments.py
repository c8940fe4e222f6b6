"""Comparison and sweep folders: their tables, manifests and observations, written and read.

A comparison folder holds ``comparison.csv``, ``observations.parquet`` (one value per
replication, metric, caller group and scenario: what every interval is computed from),
``manifest.json`` (``"kind": "compare"``) and one run folder per scenario in
``runs/<label>/``. A sweep folder holds ``sweep.csv``, ``observations.parquet``,
``manifest.json`` (``"kind": "sweep"``, with every point's resolved scenario) and, when runs
are kept, ``runs/<point>/``. Charts are drawn by the layer above (:mod:`sim.presentation`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

from sim._core import core_info
from sim._version import __version__
from sim.analysis.comparison import COMPARISON_COLUMNS, Comparison
from sim.analysis.diagnostics import diagnose
from sim.analysis.results import Results
from sim.analysis.sensitivity import EFFECT_COLUMNS
from sim.analysis.sweep import SWEEP_VALUE_COLUMNS, Sweep
from sim.errors import ResultsDirError
from sim.scenario import Scenario
from sim.storage.folders import MANIFEST, manifest_json
from sim.storage.manifests import damaged, describe, read_manifest, require
from sim.storage.runs import read_run, write_run_files
from sim.storage.table_checks import check_parquet_table, read_csv_table, read_parquet_checked

COMPARISON_TABLE = "comparison.csv"
SWEEP_TABLE = "sweep.csv"
OBSERVATIONS = "observations.parquet"
RUNS_DIR = "runs"
EXPERIMENT_TABLES = {
    "compare": (COMPARISON_TABLE, COMPARISON_COLUMNS),
    "sweep": (SWEEP_TABLE, SWEEP_VALUE_COLUMNS),
    "sensitivity": ("effects.csv", EFFECT_COLUMNS),
}
"""Per experiment kind: its table's file and the columns it must hold."""
_CSV_TABLE_NAMES = {"compare": "comparison", "sweep": "sweep", "sensitivity": "effects"}


RunWarningsByLabel = dict[str, list[dict[str, Any]]]
"""Per run label with warnings, its warnings as ``manifest.json`` keeps them."""


def run_warnings(results: dict[str, Results]) -> RunWarningsByLabel:
    """Per run label with warnings, its :func:`~sim.analysis.diagnostics.diagnose` warnings.

    Only runs whose tables are at hand are diagnosed: a comparison or sweep written to a
    folder diagnoses each run while its tables are in memory and passes the warnings to
    :func:`write_comparison_files` / :func:`write_sweep_files` instead.
    """
    found = {
        label: [w.as_dict() for w in diagnose(run)]
        for label, run in results.items()
        if run.has_table("operator_days")
    }
    return {label: warnings for label, warnings in found.items() if warnings}


def comparison_manifest(
    comparison: Comparison, warnings: RunWarningsByLabel | None = None
) -> dict[str, Any]:
    """What produced the comparison (``"kind": "compare"``).

    ``warnings``: each run's, when they were found as the runs were collected (default: those
    of the runs ``comparison`` holds the tables of).
    """
    labels = comparison.labels
    return {
        "tool": "callsim",
        "kind": "compare",
        "version": __version__,
        "core": core_info().as_manifest(),
        "seed": comparison.seed,
        "replications": comparison.replications,
        "baseline": comparison.baseline,
        "labels": labels,
        "scenarios": {label: comparison.scenarios[label].name for label in labels},
        "common_random_numbers": True,
        "headline_group": comparison.headline_group,
        "wall_time_s": round(comparison.wall_time_s, 3),
        **({"precision": comparison.precision} if comparison.precision else {}),
        "warnings": run_warnings(comparison.results) if warnings is None else warnings,
    }


def sweep_manifest(sweep: Sweep, warnings: RunWarningsByLabel | None = None) -> dict[str, Any]:
    """What produced the sweep (``"kind": "sweep"``), with every point's resolved scenario.

    ``warnings`` as for :func:`comparison_manifest` (each point's).
    """
    return {
        "tool": "callsim",
        "kind": "sweep",
        "version": __version__,
        "core": core_info().as_manifest(),
        "base_scenario": sweep.base_name,
        "varied": sweep.varied,
        "design": sweep.design,
        "points": len(sweep.labels),
        "seed": sweep.seed,
        "replications": sweep.replications,
        "common_random_numbers": True,
        "headline_group": sweep.headline_group,
        "wall_time_s": round(sweep.wall_time_s, 3),
        "runs_kept": bool(sweep.results),
        **({"precision": sweep.precision} if sweep.precision else {}),
        "warnings": run_warnings(sweep.results) if warnings is None else warnings,
        "point_values": sweep.point_values,
        "labels": sweep.labels,
        "point_scenarios": {
            label: sweep.scenarios[label].model_dump(mode="json") for label in sweep.labels
        },
    }


def write_comparison_files(
    comparison: Comparison, folder: Path, warnings: RunWarningsByLabel | None = None
) -> None:
    """``comparison.csv``, ``observations.parquet`` and ``manifest.json`` into ``folder``."""
    comparison.to_frame().to_csv(folder / COMPARISON_TABLE, index=False, float_format="%.6g")
    _write_observations(comparison.observations, folder)
    (folder / MANIFEST).write_text(manifest_json(comparison_manifest(comparison, warnings)))


def write_sweep_files(
    sweep: Sweep, folder: Path, warnings: RunWarningsByLabel | None = None
) -> None:
    """``sweep.csv``, ``observations.parquet`` and ``manifest.json`` into ``folder``."""
    sweep.to_frame().to_csv(folder / SWEEP_TABLE, index=False, float_format="%.6g")
    _write_observations(sweep.observations, folder)
    (folder / MANIFEST).write_text(manifest_json(sweep_manifest(sweep, warnings)))


def write_experiment(experiment: Comparison | Sweep, folder: Path) -> None:
    """A whole comparison or sweep folder (run folders of the runs it holds included)."""
    for label, results in experiment.results.items():
        if results.has_table("operator_days"):
            run_folder = folder / RUNS_DIR / label
            run_folder.mkdir(parents=True)
            write_run_files(results, run_folder)
    if isinstance(experiment, Comparison):
        write_comparison_files(experiment, folder)
    else:
        write_sweep_files(experiment, folder)


def _write_observations(obs: dict[str, pd.DataFrame], folder: Path) -> None:
    """Every run's observations in one long table: label, replication, metric, profile, value."""
    frames = []
    for label, frame in obs.items():
        long = frame.stack(["metric", "profile"], future_stack=True).rename("value").reset_index()
        long.insert(0, "label", label)
        frames.append(long)
    pd.concat(frames, ignore_index=True).to_parquet(folder / OBSERVATIONS, index=False)


def _read_observations(
    directory: Path, labels: list[str], replications: int
) -> dict[str, pd.DataFrame]:
    """Each run's observations, wide (replication x (metric, profile)), checked.

    Every run must have observations for replications ``0 .. replications-1`` exactly.
    """
    path = directory / OBSERVATIONS
    if not path.is_file():
        raise damaged(path, "is missing")
    check_parquet_table(path, "observations", replications)
    long = read_parquet_checked(path)
    obs = {}
    for label in labels:
        part = long[long["label"].astype(str) == label]
        if not set(part["replication"]) == set(range(replications)):
            raise damaged(path, f"lacks replications of {label!r}")
        try:
            columns = pd.MultiIndex.from_tuples(
                list(dict.fromkeys(zip(part["metric"], part["profile"], strict=True))),
                names=["metric", "profile"],
            )
            wide = part.pivot(index="replication", columns=["metric", "profile"], values="value")
        except ValueError as exc:  # duplicate entries
            raise damaged(path, f"cannot be read ({exc})") from None
        wide = wide.reindex(columns=columns)
        wide.index = wide.index.astype("int64")
        obs[label] = wide
    return obs


def _runs(directory: Path, labels: list[str]) -> dict[str, Results]:
    return {
        label: read_run(directory / RUNS_DIR / label)
        for label in labels
        if (directory / RUNS_DIR / label).is_dir()
    }


def read_comparison(directory: Path) -> Comparison:
    """Open a comparison folder, checked (its runs' tables are read when first used)."""
    manifest = read_manifest(directory)
    require(manifest, directory, "labels")
    read_experiment_table(directory, "compare")  # checked, though rebuilt from observations
    labels = list(manifest["labels"])
    replications = int(manifest["replications"])
    results = _runs(directory, labels)
    if sorted(results) != sorted(labels):
        missing = sorted(set(labels) - set(results))
        raise damaged(directory / RUNS_DIR / missing[0], "is missing")
    comparison = Comparison(
        labels,
        results,
        _read_observations(directory, labels, replications),
        int(manifest["seed"]),
        replications,
        float(manifest.get("wall_time_s", 0.0)),
        manifest.get("precision"),
    )
    comparison.directory = directory
    return comparison


def read_sweep(directory: Path) -> Sweep:
    """Open a sweep folder, checked (kept runs' tables are read when first used)."""
    manifest = read_manifest(directory)
    require(manifest, directory, "base_scenario", "labels", "point_values", "point_scenarios")
    read_experiment_table(directory, "sweep")  # checked, though rebuilt from observations
    labels = list(manifest["labels"])
    replications = int(manifest["replications"])
    scenarios = {}
    for label in labels:
        try:
            scenarios[label] = Scenario.model_validate(manifest["point_scenarios"][label])
        except ValidationError as exc:
            raise damaged(
                directory / MANIFEST, f"point_scenarios.{label}.{describe(exc)}"
            ) from None
    sweep = Sweep(
        manifest["base_scenario"],
        list(manifest["varied"]),
        list(manifest["point_values"]),
        labels,
        scenarios,
        _read_observations(directory, labels, replications),
        int(manifest["seed"]),
        replications,
        manifest.get("design", "grid"),
        float(manifest.get("wall_time_s", 0.0)),
        manifest.get("precision"),
        _runs(directory, labels),
    )
    sweep.directory = directory
    return sweep


def read_experiment_table(directory: Path, kind: str) -> pd.DataFrame:
    """The tidy table of a compare or sweep folder, checked (columns, rows, numbers)."""
    filename, _ = EXPERIMENT_TABLES[kind]
    path = directory / filename
    if not path.is_file():
        raise ResultsDirError(f"{directory} is a {kind} folder but has no {filename}")
    further = list(read_manifest(directory)["varied"]) if kind == "sweep" else []
    return read_csv_table(path, _CSV_TABLE_NAMES[kind], further)
