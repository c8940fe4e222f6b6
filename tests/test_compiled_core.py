"""The compiled core (issue #16): identical tables on both cores, and which core runs.

The equivalence test runs every case of :mod:`tests.core_tables` (every shipped scenario, a
mixed-segment team, a list worked out, the call log) once under ``CALLSIM_CORE=python`` and
once under ``CALLSIM_CORE=compiled``, each in one subprocess, and compares the content hashes
of every table. Without a compiled core it is skipped, saying so, unless
``CALLSIM_EXPECT_COMPILED=1`` (CI sets it): then a missing core fails.

The selection logic (:mod:`sim._core`) is tested on a fake package folder, without rebuilding.
"""

from __future__ import annotations

import ast
import importlib.machinery
import json
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest

import sim
import sim._core as core
from sim._core_modules import BUILD_RECORD, COMPILED_MODULES
from sim.cli.main import main, version_text
from sim.errors import CoreError
from sim.execution.engine import execute
from sim.execution.executors import InProcessExecutor
from sim.execution.plan import ExperimentPlan, RunSpec
from sim.execution.store import MemoryStore
from sim.execution.tasks import ChunkResult, ChunkTask
from sim.storage.runs import run_manifest
from tests.builders import build, constant_scenario

ROOT = Path(__file__).resolve().parent.parent
BUILT = core.check_build()
EXPECT_COMPILED = os.environ.get("CALLSIM_EXPECT_COMPILED") == "1"
EXT = importlib.machinery.EXTENSION_SUFFIXES[0]


def _need_compiled_core() -> None:
    if BUILT.ready:
        return
    message = f"the compiled core cannot run here ({BUILT.reason})"
    if EXPECT_COMPILED:
        pytest.fail(f"CALLSIM_EXPECT_COMPILED=1 but {message}")
    pytest.skip(f"{message}: build it with `pip install -e .` (needs a C compiler)")


def _env(**changes: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != core.ENV}
    env.update(changes)
    return env


@pytest.mark.slow  # two subprocesses, about 10 s each, side by side
def test_both_cores_give_identical_tables(tmp_path: Path) -> None:
    _need_compiled_core()
    runs = {}
    for name in ("python", "compiled"):
        out = tmp_path / f"{name}.json"
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.core_tables", str(out)],
            cwd=ROOT,
            env=_env(CALLSIM_CORE=name),
            stderr=subprocess.PIPE,
            text=True,
        )
        runs[name] = (process, out)
    found = {}
    for name, (process, out) in runs.items():
        _, stderr = process.communicate(timeout=600)
        assert process.returncode == 0, stderr[-3000:]
        found[name] = json.loads(out.read_text())
        assert found[name]["core"] == name, found[name]["describe"]
    python, compiled = found["python"]["hashes"], found["compiled"]["hashes"]
    assert len(python) >= 30
    assert sorted(python) == sorted(compiled)
    differing = [key for key in python if python[key] != compiled[key]]
    assert not differing, f"the compiled core changed these tables: {differing}"


# --- selection, on a fake package folder -------------------------------------------------


def _fake_package(tmp_path: Path, built: bool = True) -> Path:
    """A package folder with the core's ``.py`` files, fake extensions and a build record."""
    package = tmp_path / "sim"
    modules: dict[str, dict[str, str | None]] = {}
    for name in COMPILED_MODULES:
        source = core.module_file(name, ".py", package)
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_text(f"# {name}\n")
        if built:
            core.module_file(name, EXT, package).write_bytes(b"not really a shared object")
        modules[name] = core.source_hashes(name, package)
    if built:
        record = {"cython": "3.3.1", "modules": modules}
        (package / "model" / BUILD_RECORD).write_text(json.dumps(record))
    return package


def test_a_current_build_is_ready(tmp_path: Path) -> None:
    check = core.check_build(_fake_package(tmp_path))
    assert check.ready and check.cython_version == "3.3.1"


def test_no_extensions_means_not_built(tmp_path: Path) -> None:
    check = core.check_build(_fake_package(tmp_path, built=False))
    assert not check.ready
    assert check.reason == "the compiled core is not built"
    assert check.level == logging.INFO


def test_changed_sources_make_the_build_stale(tmp_path: Path) -> None:
    package = _fake_package(tmp_path)
    source = core.module_file("sim.model.operator", ".py", package)
    source.write_text(source.read_text() + "x = 1\n")
    check = core.check_build(package)
    assert not check.ready and check.level == logging.WARNING
    assert "sources changed since the compiled core was built; run `pip install -e .` again" in (
        check.reason
    )
    assert "sim.model.operator" in check.reason


def test_an_added_augmentation_file_makes_the_build_stale(tmp_path: Path) -> None:
    package = _fake_package(tmp_path)
    core.module_file("sim.model.leads", ".pxd", package).write_text("cdef class Lead:\n    pass\n")
    check = core.check_build(package)
    assert not check.ready and "sim.model.leads" in check.reason


def test_a_missing_extension_means_pure_python(tmp_path: Path) -> None:
    package = _fake_package(tmp_path)
    core.module_file("sim.model.decisions", EXT, package).unlink()
    check = core.check_build(package)
    assert not check.ready and "sim.model.decisions" in check.reason
    assert check.level == logging.WARNING


def test_a_missing_or_damaged_build_record_means_pure_python(tmp_path: Path) -> None:
    package = _fake_package(tmp_path)
    record = package / "model" / BUILD_RECORD
    record.write_text("{not json")
    assert not core.check_build(package).ready
    record.unlink()
    assert "build record" in core.check_build(package).reason


def test_auto_falls_back_with_a_warning_and_compiled_is_a_typed_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Dask's logging configuration, if an earlier test loaded it, disables existing loggers.
    monkeypatch.setattr(core.log, "disabled", False)
    package = _fake_package(tmp_path)
    core.module_file("sim.model.operator", ".py", package).write_text("changed\n")
    with caplog.at_level(logging.INFO, logger="sim.core"):
        info, error = core.select("auto", package)
    assert info.name == "python" and error is None
    assert "sources changed" in info.reason
    assert any(r.levelno == logging.WARNING and "pure-Python" in r.message for r in caplog.records)
    info, error = core.select("compiled", package)
    assert info.name == "python" and isinstance(error, CoreError)
    assert "CALLSIM_CORE=compiled" in str(error) and "pip install -e ." in str(error)
    info, error = core.select("python")
    assert info.name == "python" and error is None
    info, error = core.select("fast")
    assert isinstance(error, CoreError) and "auto, python, compiled" in str(error)


def test_require_core_raises_the_pending_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(core, "_ERROR", CoreError("CALLSIM_CORE=compiled, but no"))
    with pytest.raises(CoreError):
        core.require_core()
    assert main(["validate", str(ROOT / "scenarios" / "students-vs-experienced.yaml")]) == 2


def test_the_source_first_finder_loads_the_python_file(tmp_path: Path) -> None:
    package = _fake_package(tmp_path)
    finder = core.SourceFirstFinder()
    spec = finder.find_spec("sim.model.leads", [str(package / "model")])
    assert spec is not None and spec.origin == str(package / "model" / "leads.py")
    assert finder.find_spec("sim.model.build", [str(package / "model")]) is None


def test_a_task_on_another_core_is_refused() -> None:
    other = "python" if sim.core_info().name == "compiled" else "compiled"
    core.check_task_core(sim.core_info().name, "processes executor")
    core.check_task_core("", "a resumed chunk")
    with pytest.raises(CoreError, match=f"ran the {other} core"):
        core.check_task_core(other, "dask executor")


def test_the_engine_stops_a_run_whose_worker_ran_another_core() -> None:
    """Results would be identical, but the manifest would name the wrong core."""
    other = "python" if sim.core_info().name == "compiled" else "compiled"

    class OtherCore(InProcessExecutor):
        def run(self, tasks: Sequence[ChunkTask]) -> Iterator[ChunkResult]:
            for result in super().run(tasks):
                yield replace(result, core=other)

    plan = ExperimentPlan("run", (RunSpec("run", build(constant_scenario())),), 1, 2)
    with OtherCore() as executor, pytest.raises(CoreError, match="in-process executor"):
        execute(plan, MemoryStore(plan.labels), executor)
    with InProcessExecutor() as executor:
        assert execute(plan, MemoryStore(plan.labels), executor).replications == 2


# --- reporting -------------------------------------------------------------------------------


def test_version_names_the_core(capsys: pytest.CaptureFixture[str]) -> None:
    info = sim.core_info()
    text = version_text("9.9.9")
    if info.name == "compiled":
        assert text == f"callsim 9.9.9 (compiled core, Cython {info.cython_version})"
    else:
        assert text == f"callsim 9.9.9 (pure-Python core: {info.reason})"
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == version_text(sim.__version__)


def test_the_manifest_records_the_core() -> None:
    results = sim.run(build(constant_scenario()), replications=1)
    assert run_manifest(results)["core"] == sim.core_info().as_manifest()
    assert run_manifest(results)["core"]["name"] in ("compiled", "python")


def _copy_package(tmp_path: Path, with_extensions: bool) -> Path:
    """The ``sim`` package copied into ``tmp_path`` (with or without its extensions)."""
    ignored = ["__pycache__"] + ([] if with_extensions else ["*.so", "*.pyd", BUILD_RECORD])
    shutil.copytree(ROOT / "sim", tmp_path / "sim", ignore=shutil.ignore_patterns(*ignored))
    return tmp_path


def _run(code: list[str], where: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *code],
        cwd=where,
        env=_env(PYTHONPATH=str(where), **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


SHOW = (
    "import sim, sim.model.leads as m; "
    "print(sim.__file__); print(sim.core_info().describe()); print(m.__file__)"
)


@pytest.mark.slow  # three fresh interpreters
def test_without_extensions_the_pure_core_runs_and_compiled_is_exit_2(tmp_path: Path) -> None:
    where = _copy_package(tmp_path, with_extensions=False)
    shown = _run(["-c", SHOW], where)
    assert shown.returncode == 0, shown.stderr
    file, described, leads = shown.stdout.split("\n")[:3]
    assert file.startswith(str(where))
    assert described == "pure-Python core: the compiled core is not built"
    assert leads.endswith("leads.py")
    version = _run(["-m", "sim", "--version"], where)
    assert "(pure-Python core: the compiled core is not built)" in version.stdout
    scenario = str(ROOT / "scenarios" / "students-vs-experienced.yaml")
    refused = _run(["-m", "sim", "validate", scenario], where, CALLSIM_CORE="compiled")
    assert refused.returncode == 2
    assert "CALLSIM_CORE=compiled, but the compiled core cannot run" in refused.stderr
    assert "Traceback" not in refused.stderr


@pytest.mark.slow  # three fresh interpreters
def test_stale_or_broken_extensions_are_bypassed_with_a_warning(tmp_path: Path) -> None:
    _need_compiled_core()
    where = _copy_package(tmp_path, with_extensions=True)
    shown = _run(["-c", SHOW], where)
    assert shown.stdout.split("\n")[1] == f"compiled core, Cython {BUILT.cython_version}"
    # An extension that does not load: the modules loaded on the way are forgotten.
    decisions = core.extension_file("sim.model.decisions", where / "sim")
    assert decisions is not None
    intact = decisions.read_bytes()
    decisions.write_bytes(b"not a shared object")
    shown = _run(["-c", SHOW], where)
    assert shown.returncode == 0, shown.stderr
    described, leads = shown.stdout.split("\n")[1:3]
    assert described.startswith("pure-Python core: the compiled core failed to load")
    assert leads.endswith("leads.py")
    decisions.write_bytes(intact)
    operator = where / "sim" / "model" / "operator.py"
    operator.write_text(operator.read_text() + "\n# an edit after the build\n")
    shown = _run(["-c", SHOW], where)
    assert shown.returncode == 0, shown.stderr
    described, leads = shown.stdout.split("\n")[1:3]
    assert described.startswith("pure-Python core: sources changed since the compiled core")
    assert leads.endswith("leads.py"), "all or nothing: unchanged modules run from .py too"
    assert "sources changed since the compiled core was built" in shown.stderr


# --- SimPy's public API only ---------------------------------------------------------------

SIMPY_PRIVATE_NAMES = ("_queue", "_now", "_eid", "_active_proc", "_value", "_ok", "_defused")


def test_the_model_uses_only_simpys_public_api() -> None:
    """No ``env._queue``, ``event._value`` and the like anywhere in the package.

    SimPy's private names read on anything but callsim's own ``self``; and no import from
    SimPy's submodules (``simpy.core``, ``simpy.events``): only ``simpy.<public name>``.
    """
    found = []
    for path in sorted((ROOT / "sim").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            own = isinstance(node, ast.Attribute) and (
                isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")
            )
            if isinstance(node, ast.Attribute) and node.attr in SIMPY_PRIVATE_NAMES and not own:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}")
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("simpy."):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} from {node.module}")
    assert not found, f"private SimPy attributes or modules used: {found}"
