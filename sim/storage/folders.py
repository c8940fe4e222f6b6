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
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sim.errors import ResultsDirError
from sim.execution.session import PARTIAL_SUFFIX
from sim.execution.store import MANIFEST, STAGING_MARK, TRASH_MARK
from sim.records.tables import TABLE_NAMES

log = logging.getLogger(__name__)
T = TypeVar("T")


def _manifest_of(directory: Path) -> dict[str, Any] | None:
    """The JSON object in ``directory``'s manifest, or None if there is none to read."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text())
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def is_callsim_dir(directory: Path) -> bool:
    """True if ``directory`` holds a manifest written by callsim."""
    manifest = _manifest_of(directory)
    return manifest is not None and manifest.get("tool") == "callsim"


CHARTS_DIR = "charts"
"""Where ``callsim plot`` draws a folder's charts by default."""
REPORT_FILE = "report.html"
CHART_FILES = (
    "contacts_per_day.png",
    "comparison.png",
    "sweep_heatmap.png",
    "sweep_lines.png",
    "tornado.png",
)
"""The headline charts the command line draws into a results folder."""
CALLSIM_NAMES = frozenset(
    {
        MANIFEST,
        "summary.csv",
        "quota.csv",
        "callers.csv",
        "money.csv",
        "money_groups.csv",
        "comparison.csv",
        "sweep.csv",
        "observations.parquet",
        "effects.csv",
        "points.csv",
        "values.parquet",
        "break_even.csv",
        "break_even_points.csv",
        *(f"{name}.parquet" for name in TABLE_NAMES),
        *CHART_FILES,
        CHARTS_DIR,
        REPORT_FILE,
        "runs",
    }
)
"""Every name callsim writes at the top of a results folder. Replacing a results folder
replaces only these; anything else in it is the user's and is carried into the new folder."""
REPORT_GENERATOR = '<meta name="generator" content="callsim">'
"""The line that marks an HTML file as a callsim report (a report may replace only a report)."""
_STAGING = STAGING_MARK
_TRASH = TRASH_MARK
_LEFTOVER = re.compile(
    rf"^\.(?P<name>.+)(?:{re.escape(_STAGING)}|{re.escape(_TRASH)})(?P<pid>\d+)-"
)


def check_writable(directory: Path, force: bool = False) -> None:
    """Refuse a target folder callsim could not or should not write, before anything runs.

    Refused: a path that is a file, the work folder of an unfinished experiment, a folder
    holding something other than callsim results (unless ``force``), and a place where no
    folder can be made (results are staged next to the target, so its parent must accept a
    new folder).
    """
    _staging_for(directory, force).rmdir()


def _real(directory: Path) -> Path:
    """The folder a results path stands for: a symbolic link's target, else the path itself."""
    return directory.resolve() if directory.is_symlink() else directory


def _staging_for(directory: Path, force: bool) -> Path:
    """A new staging folder for ``directory`` once the checks of :func:`check_writable` pass."""
    directory = _real(directory)
    if directory.exists() and not directory.is_dir():
        raise ResultsDirError(f"{directory} exists and is not a folder")
    if directory.name.endswith(PARTIAL_SUFFIX) or _is_work_dir(directory):
        raise ResultsDirError(
            f"{directory} is the work folder of an unfinished experiment, never a results "
            f"folder; resume it with --resume {directory.name[: -len(PARTIAL_SUFFIX)] or '.'}, "
            "or choose another --out"
        )
    if _LEFTOVER.match(directory.name):
        raise ResultsDirError(
            f"{directory} is a folder callsim uses while writing; choose another --out"
        )
    if (
        directory.is_dir()
        and any(directory.iterdir())
        and not is_callsim_dir(directory)
        and not force
    ):
        raise ResultsDirError(
            f"{directory} holds files that are not callsim results; choose another --out "
            "or pass --force to write the results into it (its files are kept)"
        )
    try:
        _remove_leftovers(directory)
        return staging_dir(directory)
    except OSError as exc:
        raise ResultsDirError(
            f"cannot write results to {directory}: {exc.strerror or exc}"
            f"{f' ({exc.filename})' if exc.filename else ''}; choose another --out"
        ) from None


def _is_work_dir(directory: Path) -> bool:
    manifest = _manifest_of(directory)
    return manifest is not None and manifest.get("kind") == "partial"


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - another user's process
        return True
    return True


def _remove_leftovers(directory: Path) -> None:
    """Delete staging and old folders of ``directory`` left by a callsim process that died.

    Only callsim's own hidden siblings (named with the writing process's id) whose process is
    gone, of the folder or of its work folder; a live process's are left alone.
    """
    if not directory.parent.is_dir():
        return
    names = (directory.name, directory.name + PARTIAL_SUFFIX)
    for entry in directory.parent.iterdir():
        match = _LEFTOVER.match(entry.name)
        if match is None or match["name"] not in names or not entry.is_dir():
            continue
        if not _process_alive(int(match["pid"])):
            log.info("removing %s, left by an interrupted write", entry)
            shutil.rmtree(entry, ignore_errors=True)


def _user_entries(old: Path, new: Path) -> list[Path]:
    """What ``old`` holds that callsim did not write: the user's, to keep.

    Notes, the scenario being run, other results. Refused if the new results would overwrite
    any of it.
    """
    entries = [
        entry
        for entry in old.iterdir()
        if entry.name not in CALLSIM_NAMES and not _LEFTOVER.match(entry.name)
    ]
    for entry in entries:
        target = new / entry.name
        if target.exists() or target.is_symlink():
            raise ResultsDirError(
                f"{entry} is not callsim's, and the new results would overwrite it; move it "
                "away and run again"
            )
    return entries


def replace_dir(staging: Path, directory: Path) -> None:
    """Move the fully written ``staging`` folder to ``directory``, replacing what was there.

    Only what callsim wrote is replaced: the user's files in the old folder move into the new
    one once it is in place. The old folder is renamed to a fresh hidden name of callsim's
    before it is deleted, so no other folder (say a user's ``<out>.old-callsim``) is ever
    touched; if the new folder cannot take its place, the old one is put back whole, and if a
    user's file cannot be moved, the old folder is kept under a visible name instead of
    deleted.
    """
    directory = _real(directory)
    if not directory.exists():
        staging.rename(directory)
        return
    users = _user_entries(directory, staging)  # refuse before anything moves
    trash = Path(
        tempfile.mkdtemp(prefix=f".{directory.name}{_TRASH}{os.getpid()}-", dir=directory.parent)
    )
    trash.rmdir()
    directory.rename(trash)
    try:
        staging.rename(directory)
    except BaseException:
        trash.rename(directory)  # the old folder back, everything in it
        raise
    try:
        for entry in users:
            (trash / entry.name).rename(directory / entry.name)
    except OSError as exc:
        kept = _visible_name(directory.with_name(f"{directory.name}.your-files"))
        trash.rename(kept)
        log.warning(
            "could not move all of your files into %s (%s); they are in %s", directory, exc, kept
        )
        return
    shutil.rmtree(trash, ignore_errors=True)


def _visible_name(path: Path) -> Path:
    """``path``, or ``path-2``, ``path-3``, ... : the first name nothing uses yet."""
    candidate, k = path, 1
    while candidate.exists() or candidate.is_symlink():
        k += 1
        candidate = path.with_name(f"{path.name}-{k}")
    return candidate


def staging_dir(directory: Path) -> Path:
    """A new empty temporary folder next to ``directory`` (same file system)."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(
        tempfile.mkdtemp(prefix=f".{directory.name}{_STAGING}{os.getpid()}-", dir=directory.parent)
    )
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


def write_file_atomically(path: Path, content: bytes) -> Path:
    """Write ``content`` to ``path`` through a temporary name: never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def file_marked(path: Path, mark: str, head_bytes: int) -> bool:
    """Whether the first ``head_bytes`` of the file at ``path`` hold ``mark``.

    Files callsim writes outside a results folder (a report, charts) carry such a mark, so that
    a later write replaces them and never a file of the user's with the same name.
    """
    try:
        with path.open("rb") as stream:
            head = stream.read(head_bytes)
    except OSError:
        return False
    return mark.encode() in head


def manifest_json(manifest: dict[str, Any]) -> str:
    """A manifest as stable, indented JSON."""
    return json.dumps(manifest, indent=2, sort_keys=False, default=str) + "\n"


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
