"""Results folders on disk: :func:`save` and :func:`load` for runs, comparisons and sweeps.

The one layer that reads and writes results folders (:mod:`.folders` keeps other files safe,
:mod:`.runs` and :mod:`.experiments` know each kind's files). Data objects never save
themselves, and saving never draws: charts come from :mod:`sim.presentation`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sim.analysis.comparison import Comparison
from sim.analysis.results import Results
from sim.analysis.sweep import Sweep
from sim.errors import ResultsDirError
from sim.storage.experiments import read_comparison, read_sweep, write_experiment
from sim.storage.folders import write_dir_atomically
from sim.storage.manifests import read_manifest
from sim.storage.runs import read_run, save_results

__all__ = ["load", "save"]


def save(obj: Results | Comparison | Sweep, directory: str | Path, force: bool = False) -> Path:
    """Write ``obj`` as a results folder at ``directory``, atomically; returns the folder.

    An existing callsim results folder there is replaced; a folder holding anything else is
    refused unless ``force``. Files are written to a temporary sibling first, so a failure
    leaves any previous results untouched.
    """
    path = Path(directory)
    if isinstance(obj, Results):
        return save_results(obj, path, force)
    if isinstance(obj, Comparison | Sweep):
        write_dir_atomically(path, lambda staging: write_experiment(obj, staging), force)
        obj.directory = path
        return path
    raise TypeError(f"cannot save a {type(obj).__name__}: give Results, a Comparison or a Sweep")


def load(directory: str | Path) -> Any:
    """Open a results folder: :class:`Results`, :class:`Comparison` or :class:`Sweep`.

    The folder is checked first (its manifest, and each table file's columns and rows):
    :class:`ResultsDirError` in one line if it is damaged. Tables are read lazily, when first
    used.
    """
    path = Path(directory)
    if not path.is_dir():
        raise ResultsDirError(f"{path} does not exist or is not a folder")
    kind = read_manifest(path).get("kind", "run")  # checked: one of the readers'
    readers = {"run": read_run, "compare": read_comparison, "sweep": read_sweep}
    return readers[kind](path)
