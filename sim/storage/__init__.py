"""Results folders on disk: :func:`save` and :func:`load` for every kind of results folder.

The one layer that reads and writes results folders (:mod:`.folders` keeps other files safe,
:mod:`.runs` and :mod:`.experiments` know each kind's files). Data objects never save
themselves, and saving never draws: charts come from :mod:`sim.presentation`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sim.analysis.comparison import Comparison
from sim.analysis.results import Results
from sim.analysis.sensitivity import Sensitivity
from sim.analysis.sweep import Sweep
from sim.errors import ArgumentTypeError, ResultsDirError
from sim.scenario.arguments import require_flag, require_path
from sim.storage.experiments import read_comparison, read_sweep, write_experiment
from sim.storage.folders import write_dir_atomically
from sim.storage.manifests import read_manifest
from sim.storage.runs import read_run, save_results
from sim.storage.sensitivity import read_sensitivity, write_sensitivity_files

__all__ = ["load", "save"]


def save(
    obj: Results | Comparison | Sweep | Sensitivity, directory: str | Path, force: bool = False
) -> Path:
    """Write ``obj`` as a results folder at ``directory``, atomically; returns the folder.

    An existing callsim results folder there is replaced; a folder holding anything else is
    refused unless ``force``. Files are written to a temporary sibling first, so a failure
    leaves any previous results untouched.
    """
    require_path(directory, "directory")
    require_flag(force, "force")
    path = Path(directory)
    if isinstance(obj, Results):
        return save_results(obj, path, force)
    if isinstance(obj, Comparison | Sweep):
        write_dir_atomically(path, lambda staging: write_experiment(obj, staging), force)
        obj.directory = path
        return path
    if isinstance(obj, Sensitivity):
        write_dir_atomically(path, lambda staging: write_sensitivity_files(obj, staging), force)
        return path
    raise ArgumentTypeError(
        f"cannot save a {type(obj).__name__}: give Results, a Comparison, a Sweep or a Sensitivity"
    )


def load(directory: str | Path) -> Any:
    """Open a results folder: Results, Comparison, Sweep or Sensitivity, by its kind.

    The folder is checked first (its manifest, and each table file's columns and rows):
    :class:`ResultsDirError` in one line if it is damaged. Tables are read lazily, when first
    used.
    """
    require_path(directory, "directory")
    path = Path(directory)
    if not path.is_dir():
        raise ResultsDirError(f"{path} does not exist or is not a folder")
    kind = read_manifest(path).get("kind", "run")
    readers = {
        "run": read_run,
        "compare": read_comparison,
        "sweep": read_sweep,
        "sensitivity": read_sensitivity,
    }
    if kind not in readers:
        raise ResultsDirError(f"{path}: unknown results kind {kind!r} in manifest.json")
    return readers[kind](path)
