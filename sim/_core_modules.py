"""The modules of the compiled core and how Cython compiles them: the one list.

``setup.py`` reads this file with :func:`runpy.run_path` (it never imports :mod:`sim`), and
:mod:`sim._core` reads it to decide which core runs, so a module added here is compiled,
checked and switched with the others. It imports the standard library only: it must load on
its own.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

COMPILED_MODULES = (
    "sim.model.leads",
    "sim.model.decisions",
    "sim.model.shift_clock",
    "sim.model.operator",
)
"""Modules compiled by Cython (pure-Python mode, with any ``.pxd`` beside the ``.py``).

All or nothing: they cimport each other's types, so either every one runs compiled or none."""

CORE_DIRECTIVES = {
    "language_level": 3,
    "annotation_typing": False,
}
"""Cython compiler directives for every module of the compiled core."""

BUILD_RECORD = "_core_build.json"
"""File name of the build record, written beside the extensions (in ``sim/model/``): the
Cython version and the SHA-256 of each module's ``.py`` (and ``.pxd``) that was compiled."""


def source_hashes(name: str, package_dir: Path) -> dict[str, str | None]:
    """SHA-256 of module ``name``'s ``.py`` and ``.pxd`` in ``package_dir`` (None when absent).

    ``package_dir`` is the ``sim`` folder. ``setup.py`` writes these into the build record;
    :mod:`sim._core` compares them with the sources on disk.
    """
    parts = name.split(".")[1:]
    base = package_dir.joinpath(*parts[:-1], parts[-1])
    hashes: dict[str, str | None] = {}
    for suffix in ("py", "pxd"):
        path = base.with_name(f"{base.name}.{suffix}")
        hashes[f"{suffix}_sha256"] = (
            hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
        )
    return hashes
