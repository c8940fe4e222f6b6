"""Results folders: what callsim writes to disk, and the rules that keep other files safe.

A results folder holds tables, ``manifest.json`` (which marks the folder as callsim's) and,
when the command line or :mod:`sim.presentation` draws them, charts. Writing goes to a temporary
sibling folder that replaces the
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
from typing import Any, TypeVar

from sim.errors import ResultsDirError
from sim.execution.store import MANIFEST

log = logging.getLogger(__name__)
T = TypeVar("T")


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


def manifest_json(manifest: dict[str, Any]) -> str:
    """A manifest as stable, indented JSON."""
    return json.dumps(manifest, indent=2, sort_keys=False, default=str) + "\n"


def read_manifest(directory: Path) -> dict[str, Any]:
    """The manifest of a callsim folder (:class:`ResultsDirError` if there is none)."""
    if not is_callsim_dir(directory):
        raise ResultsDirError(
            f"{directory} is not a callsim results folder (no {MANIFEST} written by callsim); "
            "point at a folder written by 'callsim run', 'compare' or 'sweep'"
        )
    manifest: dict[str, Any] = json.loads((directory / MANIFEST).read_text())
    return manifest


def library_versions() -> dict[str, str]:
    """Versions of Python and the libraries that decide the numbers (for manifests)."""
    import platform

    import numpy
    import pandas
    import pydantic
    import simpy

    return {
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "pandas": pandas.__version__,
        "simpy": simpy.__version__,
        "pydantic": pydantic.__version__,
    }
