"""Sensitivity folders and the break-even files of a comparison folder, written and read.

A sensitivity folder holds ``effects.csv`` (one row per parameter, ranked; columns
:data:`~sim.analysis.sensitivity.EFFECT_COLUMNS`), ``points.csv`` (every evaluated point: its
parameter values and the metric's mean and CI), ``values.parquet`` (the metric per
replication and point: what every effect is computed from, and what :func:`read_sensitivity`
rebuilds the :class:`Sensitivity` from) and ``manifest.json`` (``"kind": "sensitivity"``).

``callsim compare --break-even`` adds ``break_even.csv`` (one row: the break-even and its
interval, or the status "none in range"), ``break_even_points.csv`` (every evaluated value)
and a ``break_even`` entry in the comparison's manifest, each file replaced atomically.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim._core import core_info
from sim._version import __version__
from sim.analysis.break_even import BreakEven
from sim.analysis.sensitivity import Parameter, Sensitivity
from sim.analysis.target import TargetMetric
from sim.errors import ResultsDirError
from sim.storage.folders import MANIFEST, manifest_json, write_file_atomically
from sim.storage.manifests import damaged, read_manifest
from sim.storage.table_checks import READ_ERRORS, short

EFFECTS_TABLE = "effects.csv"
POINTS_TABLE = "points.csv"
VALUES = "values.parquet"
BREAK_EVEN_TABLE = "break_even.csv"
BREAK_EVEN_POINTS = "break_even_points.csv"


def sensitivity_manifest(result: Sensitivity) -> dict[str, Any]:
    """What produced the analysis (``"kind": "sensitivity"``)."""
    return {
        "tool": "callsim",
        "kind": "sensitivity",
        "version": __version__,
        "core": core_info().as_manifest(),
        "base_scenario": result.base_name,
        "method": result.method,
        "metric": result.target.metric,
        "group": result.target.group,
        "unit": result.target.unit,
        "parameters": [vars(p) for p in result.parameters],
        "levels": result.levels,
        "seed": result.seed,
        "replications": result.replications,
        "common_random_numbers": True,
        "wall_time_s": round(result.wall_time_s, 3),
        "labels": [str(c) for c in result.values.columns],
        "design": None if result.design is None else result.design.tolist(),
    }


def write_sensitivity_files(result: Sensitivity, folder: Path) -> None:
    """``effects.csv``, ``points.csv``, ``values.parquet`` and ``manifest.json`` into ``folder``."""
    result.to_frame().to_csv(folder / EFFECTS_TABLE, index=False, float_format="%.6g")
    result.points().to_csv(folder / POINTS_TABLE, index=False, float_format="%.6g")
    result.values.to_parquet(folder / VALUES)
    (folder / MANIFEST).write_text(manifest_json(sensitivity_manifest(result)))


def read_sensitivity(directory: Path) -> Sensitivity:
    """Open a sensitivity folder."""
    manifest = read_manifest(directory)
    values = _read_values(
        directory / VALUES, list(manifest["labels"]), int(manifest["replications"])
    )
    try:
        design = manifest["design"]
        return Sensitivity(
            manifest["base_scenario"],
            manifest["method"],
            [Parameter(**p) for p in manifest["parameters"]],
            TargetMetric(manifest["metric"], manifest["group"]),
            values,
            int(manifest["seed"]),
            int(manifest["replications"]),
            None if design is None else np.array(design, dtype=float),
            int(manifest["levels"]),
            float(manifest.get("wall_time_s", 0.0)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise damaged(directory / MANIFEST, f"no {exc}") from None


def _read_values(path: Path, labels: list[str], replications: int) -> pd.DataFrame:
    """``values.parquet``, checked: a number column per point label, a row per replication."""
    try:
        values = pd.read_parquet(path)
    except READ_ERRORS as exc:
        raise damaged(path, f"cannot be read ({short(exc)})") from None
    missing = [str(label) for label in labels if label not in values.columns]
    if missing:
        raise damaged(path, f"lacks the points {', '.join(missing[:5])}")
    values = values[labels]
    if not all(pd.api.types.is_numeric_dtype(kind) for kind in values.dtypes):
        raise damaged(path, "holds values that are not numbers")
    if len(values) != replications:
        raise damaged(
            path, f"holds {len(values)} rows, not the folder's {replications} replications"
        )
    return values


def write_break_even(result: BreakEven, directory: str | Path) -> Path:
    """Add ``break_even.csv``, ``break_even_points.csv`` and the manifest entry to a folder.

    ``directory`` is the comparison folder of the two scenarios (refused if it is not a
    callsim compare folder). Returns the path of ``break_even.csv``.
    """
    folder = Path(directory)
    manifest = read_manifest(folder)
    if manifest.get("kind") != "compare":
        raise ResultsDirError(f"{folder} is not a comparison folder: no place for a break-even")
    table = result.to_frame()
    write_file_atomically(
        folder / BREAK_EVEN_POINTS,
        result.points().to_csv(index=False, float_format="%.6g").encode(),
    )
    path = write_file_atomically(
        folder / BREAK_EVEN_TABLE, table.to_csv(index=False, float_format="%.6g").encode()
    )
    entry = json.loads(table.iloc[0].to_json())
    manifest["break_even"] = entry
    write_file_atomically(folder / MANIFEST, manifest_json(manifest).encode())
    return path
