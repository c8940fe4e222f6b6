"""The modules of the compiled core and how Cython compiles them: the one list.

``setup.py`` reads this file with :func:`runpy.run_path` (it never imports :mod:`sim`), and
:mod:`sim._core` reads it to decide which core runs, so a module added here is compiled,
checked and switched with the others. No imports: it must load on its own.
"""

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
