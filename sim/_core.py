"""Which core runs the per-attempt loop: the compiled extensions or the pure-Python modules.

The modules of :data:`sim._core_modules.COMPILED_MODULES` are written once, in Cython's
pure-Python mode; ``pip install`` may compile them (``setup.py``). Both cores give identical
results; the compiled one is faster. This module decides, once per process and before any
``sim.model`` import (``sim/__init__.py`` imports it first), which one runs:

- ``CALLSIM_CORE=auto`` (the default): the compiled core when every module's extension is
  there and the build record (``_core_build.json`` beside them) matches the current ``.py``
  and ``.pxd`` sources; otherwise the pure-Python core, saying why in a log line (INFO when
  it was not built, WARNING when the sources changed since it was built).
- ``CALLSIM_CORE=python``: always the pure-Python core.
- ``CALLSIM_CORE=compiled``: the compiled core, or :class:`~sim.errors.CoreError` from
  :func:`require_core` (every simulation calls it) when it cannot run.

All or nothing: the modules cimport each other's types. To run the pure-Python core despite
extensions on disk, a :data:`sys.meta_path` finder loads these modules from their ``.py``.
Worker processes decide for themselves from the same environment; each task reports its
core and the engine checks it is the client's (:func:`check_task_core`).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

from sim._core_modules import BUILD_RECORD, COMPILED_MODULES
from sim._core_modules import source_hashes as _module_source_hashes
from sim.errors import CoreError

log = logging.getLogger("sim.core")

ENV = "CALLSIM_CORE"
"""Environment variable choosing the core: ``auto`` (default), ``python`` or ``compiled``."""
CHOICES = ("auto", "python", "compiled")
REBUILD = "run `pip install -e .` again"
PACKAGE_DIR = Path(__file__).resolve().parent
"""The ``sim`` package folder this process imports from (source tree or site-packages)."""

CoreName = Literal["compiled", "python"]


@dataclass(frozen=True)
class CoreInfo:
    """The core this process runs: ``name`` ``"compiled"`` or ``"python"``.

    ``reason`` says why the pure-Python core runs (empty for the compiled core);
    ``cython_version`` is the Cython that compiled the running core (None for pure Python).
    """

    name: CoreName
    reason: str = ""
    cython_version: str | None = None

    def describe(self) -> str:
        """``compiled core, Cython 3.3.1`` or ``pure-Python core: <reason>``."""
        if self.name == "compiled":
            return f"compiled core, Cython {self.cython_version}"
        return f"pure-Python core: {self.reason}" if self.reason else "pure-Python core"

    def as_manifest(self) -> dict[str, Any]:
        """The manifest's ``core`` entry."""
        return {"name": self.name, "reason": self.reason, "cython": self.cython_version}


def module_file(name: str, suffix: str, package_dir: Path = PACKAGE_DIR) -> Path:
    """The file of module ``name`` (``sim.model.leads``) with ``suffix``, under the package."""
    parts = name.split(".")[1:]
    return package_dir.joinpath(*parts[:-1], parts[-1] + suffix)


def extension_file(name: str, package_dir: Path = PACKAGE_DIR) -> Path | None:
    """The compiled extension of module ``name`` that this Python can load, if there is one."""
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = module_file(name, suffix, package_dir)
        if path.is_file():
            return path
    return None


def source_hashes(name: str, package_dir: Path = PACKAGE_DIR) -> dict[str, str | None]:
    """SHA-256 of module ``name``'s ``.py`` and ``.pxd`` (None when absent), as in the record."""
    return _module_source_hashes(name, package_dir)


@dataclass(frozen=True)
class BuildCheck:
    """Whether the compiled core on disk can run, and if not why (and how loudly to say it)."""

    ready: bool
    reason: str = ""
    level: int = logging.INFO
    cython_version: str | None = None


def check_build(
    package_dir: Path = PACKAGE_DIR, modules: Sequence[str] = COMPILED_MODULES
) -> BuildCheck:
    """Whether the compiled core can run from ``package_dir``.

    It can when every module's extension is there and the build record beside them holds
    the hashes of the current sources.
    """
    found = {name: extension_file(name, package_dir) for name in modules}
    missing = [name for name, path in found.items() if path is None]
    if len(missing) == len(modules):
        return BuildCheck(False, "the compiled core is not built")
    if missing:
        return BuildCheck(
            False,
            f"the compiled core is incomplete (no extension for {', '.join(missing)}); {REBUILD}",
            logging.WARNING,
        )
    folders = {path.parent for path in found.values() if path is not None}
    recorded: dict[str, Any] = {}
    cython_version = None
    for folder in sorted(folders):
        try:
            record = json.loads((folder / BUILD_RECORD).read_text())
            recorded.update(record["modules"])
            cython_version = str(record["cython"])
        except (OSError, ValueError, KeyError, TypeError):
            return BuildCheck(
                False,
                f"the compiled core has no readable build record ({folder / BUILD_RECORD}); "
                f"{REBUILD}",
                logging.WARNING,
            )
    stale = [name for name in modules if recorded.get(name) != source_hashes(name, package_dir)]
    if stale:
        return BuildCheck(
            False,
            f"sources changed since the compiled core was built; {REBUILD} "
            f"(changed: {', '.join(stale)})",
            logging.WARNING,
        )
    return BuildCheck(True, cython_version=cython_version)


class SourceFirstFinder(importlib.abc.MetaPathFinder):
    """Loads the core's modules from their ``.py`` even when extensions sit beside them."""

    def __init__(self, modules: Sequence[str] = COMPILED_MODULES) -> None:
        self.modules = frozenset(modules)

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname not in self.modules:
            return None
        leaf = fullname.rpartition(".")[2] + ".py"
        for entry in path or ():
            source = Path(entry) / leaf
            if source.is_file():
                return importlib.util.spec_from_file_location(fullname, source)
        return None


def _use_python() -> None:
    """Make every later import of the core's modules load the ``.py`` (idempotent)."""
    if not any(isinstance(finder, SourceFirstFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, SourceFirstFinder())


def _load_compiled() -> str | None:
    """Import the compiled modules; None when all loaded compiled, else why not.

    A failure is undone: every callsim module imported on the way is forgotten, so the
    pure-Python core loads afresh (all or nothing).
    """
    before = set(sys.modules)
    try:
        for name in COMPILED_MODULES:
            module = importlib.import_module(name)
            if not str(module.__file__).endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES)):
                raise ImportError(f"{name} loaded from {module.__file__}, not an extension")
    except ImportError as error:
        for name in set(sys.modules) - before:
            if name.startswith("sim."):  # callsim's own; libraries (numpy...) stay loaded
                del sys.modules[name]
        return f"the compiled core failed to load ({' '.join(str(error).split())[:200]}); {REBUILD}"
    return None


def select(
    requested: str | None = None, package_dir: Path = PACKAGE_DIR
) -> tuple[CoreInfo, CoreError | None]:
    """Decide the core for ``requested`` (default: ``$CALLSIM_CORE``).

    Loads the compiled modules when they are chosen, nothing else. Returns the core and the
    error to raise when it is used (``CALLSIM_CORE=compiled`` that cannot run), if any.
    """
    choice = (os.environ.get(ENV, "auto") if requested is None else requested).strip().lower()
    choice = choice or "auto"
    if choice not in CHOICES:
        reason = f"{ENV}={choice!r} is not one of {', '.join(CHOICES)}"
        return CoreInfo("python", reason), CoreError(f"{reason}")
    if choice == "python":
        return CoreInfo("python", f"{ENV}=python"), None
    check = check_build(package_dir)
    why = check.reason
    if check.ready:
        failed = _load_compiled()
        if failed is None:
            return CoreInfo("compiled", cython_version=check.cython_version), None
        why = failed
        check = BuildCheck(False, failed, logging.WARNING)
    if choice == "compiled":
        return CoreInfo("python", f"{ENV}=compiled, but {why}"), CoreError(
            f"{ENV}=compiled, but the compiled core cannot run: {why}. Build it with "
            "`pip install -e .` (needs Cython and a C compiler), or unset CALLSIM_CORE "
            "to run the pure-Python core (identical results, slower)"
        )
    log.log(check.level, "%s; the pure-Python core runs (identical results, slower)", why)
    return CoreInfo("python", why), None


def _initialise() -> tuple[CoreInfo, CoreError | None]:
    info, error = select()
    if info.name == "python":
        _use_python()
    return info, error


_INFO, _ERROR = _initialise()


def core_info() -> CoreInfo:
    """The core this process runs (decided when :mod:`sim` was first imported)."""
    return _INFO


def require_core() -> CoreInfo:
    """The core this process runs; :class:`~sim.errors.CoreError` if the requested one cannot."""
    if _ERROR is not None:
        raise _ERROR
    return _INFO


def check_task_core(task_core: str, where: str) -> None:
    """Raise :class:`~sim.errors.CoreError` when a task ran on another core than this process.

    Results are identical either way, but the manifest would name the wrong core: a worker
    started with another ``CALLSIM_CORE`` or another installation must not go unnoticed.
    """
    if task_core and task_core != _INFO.name:
        raise CoreError(
            f"a task on {where} ran the {task_core} core but this process runs the "
            f"{_INFO.name} core ({_INFO.describe()}); give the workers the same installation "
            f"and {ENV}"
        )
