"""Build the optional compiled core; ``pyproject.toml`` holds every other piece of metadata.

``pip install -e .`` and ``pip install .`` compile the modules listed in
``sim/_core_modules.py`` with Cython when it and a C compiler are present. Any failure (no
Cython, no compiler, a compile error) is logged in one paragraph and the install goes on: the
pure-Python core runs instead, with identical results. ``CALLSIM_BUILD_CORE=0`` skips
compiling on purpose. After a successful build, a build record (``_core_build.json``: Cython
version, SHA-256 of each compiled ``.py`` and ``.pxd``) is written beside the extensions, so
``sim._core`` can tell a compiled core from a stale one.
"""

from __future__ import annotations

import json
import os
import runpy
import sys
import time
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
_CORE = runpy.run_path(str(ROOT / "sim" / "_core_modules.py"))
MODULES: tuple[str, ...] = _CORE["COMPILED_MODULES"]
DIRECTIVES: dict[str, object] = _CORE["CORE_DIRECTIVES"]
RECORD: str = _CORE["BUILD_RECORD"]
SOURCE_HASHES = _CORE["source_hashes"]
# Identical results need the C compiler to round every floating-point operation as Python
# does: no fused multiply-add contraction (GCC's default where the target has FMA, e.g. arm64).
FLOAT_ARGS = [] if sys.platform == "win32" else ["-ffp-contract=off"]


def _skip_message(reason: str) -> str:
    return (
        f"callsim: the compiled core was not built ({reason}); the pure-Python core will run, "
        "with identical results, slower"
    )


def _one_line(error: BaseException) -> str:
    """The error in one line: its type and message, shortened in the middle if long."""
    text = f"{type(error).__name__}: {' '.join(str(error).split())}"
    return text if len(text) <= 240 else f"{text[:140]} ... {text[-90:]}"


def build_record(cython_version: str) -> dict[str, object]:
    """What was compiled: the Cython version and the hashes of every module's sources."""
    modules = {name: SOURCE_HASHES(name, ROOT / "sim") for name in MODULES}
    return {"cython": cython_version, "modules": modules}


class OptionalCoreBuild(build_ext):
    """Cythonize and compile the core; on any failure log why and install without it."""

    def finalize_options(self) -> None:
        self._cython_version = self._cythonize()
        super().finalize_options()
        if self.parallel is None:
            self.parallel = os.cpu_count() or 1  # compile the modules side by side

    def _cythonize(self) -> str | None:
        """Replace the placeholder extension by the cythonized modules; None if not built.

        Why not is kept in ``_skipped`` and reported by :meth:`run`: setuptools finalizes
        this command in the metadata steps too, where nothing is built.
        """
        self._skipped = ""
        if os.environ.get("CALLSIM_BUILD_CORE", "1").strip() == "0":
            return self._give_up("CALLSIM_BUILD_CORE=0")
        try:
            from Cython import __version__ as cython_version
            from Cython.Build import cythonize
        except ImportError:
            return self._give_up("Cython is not installed")
        try:
            self.distribution.ext_modules = cythonize(
                [
                    Extension(
                        name,
                        [str(Path(*name.split(".")).with_suffix(".py"))],
                        extra_compile_args=FLOAT_ARGS,
                    )
                    for name in MODULES
                ],
                compiler_directives=DIRECTIVES,
                build_dir="build/cython",
                quiet=True,
            )
        except Exception as error:  # a Cython compile error
            return self._give_up(_one_line(error))
        return str(cython_version)

    def run(self) -> None:
        if self._cython_version is None:
            self.extensions = []  # the placeholder kept build_ext running, to say why
            print(_skip_message(self._skipped), file=sys.stderr)
            return
        started = time.perf_counter()
        try:
            super().run()
        except Exception as error:  # CompileError, LinkError, no C compiler...
            self.extensions = []
            print(_skip_message(_one_line(error)), file=sys.stderr)
            return
        self._write_record(self._cython_version)
        print(
            f"callsim: compiled core built with Cython {self._cython_version} "
            f"({len(MODULES)} modules, {time.perf_counter() - started:.0f} s)",
            file=sys.stderr,
        )

    def _write_record(self, cython_version: str) -> None:
        record = json.dumps(build_record(cython_version), indent=2) + "\n"
        folders = {Path(self.get_ext_fullpath(name)).parent for name in MODULES}
        if self.inplace or getattr(self, "editable_mode", False):
            folders |= {ROOT / Path(*name.split(".")[:-1]) for name in MODULES}
        for folder in folders:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / RECORD).write_text(record)

    def _give_up(self, reason: str) -> None:
        self._skipped = reason

    def get_outputs(self) -> list[str]:
        if self._cython_version is None:
            return []
        outputs = super().get_outputs()
        folders = {str(Path(path).parent) for path in outputs}
        return outputs + [os.path.join(folder, RECORD) for folder in sorted(folders)]


setup(
    # The extensions are decided in OptionalCoreBuild.run; one placeholder makes setuptools
    # run build_ext at all (and mark the wheel platform-specific).
    ext_modules=[Extension(MODULES[0], [])],
    cmdclass={"build_ext": OptionalCoreBuild},
)
