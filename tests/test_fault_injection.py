"""Fault injection: kill callsim at any moment, then ``--resume``: the files of an
uninterrupted run, and nothing left behind.

``callsim run``, ``compare`` and ``sweep`` run in a subprocess and are killed (SIGKILL, no
clean-up possible) at a seeded random moment, at a random moment after the first chunk is on
disk, and while the final folder is being written (as soon as its hidden staging folder
appears; retried if the process finishes first). Then the experiment is completed (resumed,
or run again when nothing had started) and every file is compared byte for byte with an
uninterrupted run's. Compared: every table (``*.parquet``, ``*.csv``, the run folders'
files) and ``manifest.json`` without ``wall_time_s`` (a measured time); charts are compared
when present (a kill after the folder is complete but before the command line draws its
chart leaves no chart; ``callsim plot`` draws it). No ``.partial`` work folder and no hidden
staging or old folder may remain. SIGTERM is also checked (exit 143, finished chunks kept,
and no work folder when nothing had finished), and a Dask scheduler killed mid-run (one
line, exit 1, finished chunks kept and resumable).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from sim.cli import main

pytestmark = pytest.mark.slow  # subprocesses, killed and completed

REPO = Path(__file__).resolve().parent.parent
SCENARIO = """\
name: faults
horizon_days: 3
shift: {length_min: 240}
retry: {max_attempts: 3, long_term_callback_days: 1}
segments:
  small: {companies: 300}
  large: {companies: 200}
team:
  - {profile: student, count: 2}
  - {profile: experienced, count: 1}
"""
SEED = 20261201
"""Seeds the kill moments (not the simulation)."""


def _scenarios(directory: Path) -> tuple[Path, Path]:
    a, b = directory / "faults.yaml", directory / "bigger.yaml"
    a.write_text(SCENARIO)
    b.write_text(SCENARIO.replace("name: faults", "name: bigger").replace("count: 2", "count: 3"))
    return a, b


def _args(command: str, a: Path, b: Path, out: Path) -> list[str]:
    """A command with several chunks per run (12 replications, chunks of 2 in one process)."""
    common = ["-n", "12", "--seed", "5", "--jobs", "1", "--quiet", "--out", str(out)]
    if command == "run":
        return ["run", str(a), *common]
    if command == "compare":
        return ["compare", str(a), str(b), *common]
    return ["sweep", str(a), "--vary", "team.0.count=1,2", *common]


def _files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path; the manifest's measured time removed."""
    files = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            content = path.read_bytes()
            if path.name == "manifest.json":
                manifest = json.loads(content)
                manifest.pop("wall_time_s")
                content = json.dumps(manifest, sort_keys=True).encode()
            files[str(path.relative_to(folder))] = content
    return files


def _assert_same(killed: Path, whole: Path) -> None:
    got, expected = _files(killed), _files(whole)
    charts = {name for name in expected if name.endswith(".png")}
    assert set(expected) - charts <= set(got) <= set(expected), sorted(set(got) ^ set(expected))
    for name, content in got.items():
        assert content == expected[name], name


def _leftovers(directory: Path) -> list[str]:
    return sorted(
        p.name for p in directory.iterdir() if p.name.startswith(".") or p.name.endswith(".partial")
    )


def _start(args: list[str], cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "sim", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _wait_for(
    process: subprocess.Popen[bytes], ready: Callable[[], bool], timeout_s: float = 300
) -> bool:
    """Poll until ``ready()``; False if the process ended first."""
    deadline = time.monotonic() + timeout_s
    while not ready():
        if process.poll() is not None:
            return False
        assert time.monotonic() < deadline, "timed out waiting for the moment to kill"
        time.sleep(0.005)
    return True


def _chunks(out: Path) -> list[Path]:
    parts = out.with_name(out.name + ".partial") / "parts"
    try:
        return [c for run in parts.iterdir() for c in run.iterdir() if c.name.startswith("r")]
    except OSError:
        return []


def _staging(out: Path) -> bool:
    return any(p.name.startswith(f".{out.name}.callsim-staging-") for p in out.parent.iterdir())


def _complete(command: str, args: list[str], out: Path) -> None:
    """Finish what a kill interrupted, as a user would."""
    if out.with_name(out.name + ".partial").exists():
        assert main([command, "--resume", str(out), "--quiet"]) == 0
    elif (out / "manifest.json").is_file():
        # Killed once the folder was complete: nothing to resume (the command says so).
        assert main([command, "--resume", str(out), "--quiet"]) == 2
    else:  # killed before anything was kept: a plain run is not blocked
        assert main(args) == 0


def _kill_and_complete(
    command: str,
    make_args: Callable[[Path], list[str]],
    out: Path,
    wait: Callable[[subprocess.Popen[bytes], Path], bool],
    whole: Path,
) -> float:
    """Start, kill when ``wait`` says (retried if the process ends first), complete, compare.

    Returns the seconds from the start to the kill.
    """
    for attempt in range(5):
        target = out.with_name(f"{out.name}-{attempt}")
        args = make_args(target)
        started = time.monotonic()
        process = _start(args, out.parent)
        caught = wait(process, target)
        process.send_signal(signal.SIGKILL)
        process.wait()
        elapsed = time.monotonic() - started
        _complete(command, args, target)
        _assert_same(target, whole)
        assert _leftovers(out.parent) == [], f"{command} killed after {elapsed:.1f} s"
        if caught:
            return elapsed
    pytest.fail(f"{command}: the process always finished before the moment to kill it")


@pytest.mark.parametrize("command", ["run", "compare", "sweep"])
def test_killed_at_any_moment_then_resumed_gives_the_files_of_an_uninterrupted_run(
    command: str, tmp_path: Path
) -> None:
    a, b = _scenarios(tmp_path)
    whole = tmp_path / "whole"
    assert main(_args(command, a, b, whole)) == 0
    rng = random.Random(f"{SEED}-{command}")

    def make_args(out: Path) -> list[str]:
        return _args(command, a, b, out)

    # During the final write: as soon as the staging folder appears.
    final = _kill_and_complete(
        command,
        make_args,
        tmp_path / "final",
        lambda p, out: _wait_for(p, lambda: _staging(out)),
        whole,
    )
    # At a random moment of the run's life (start-up, chunks, final write, or just after).
    delay = rng.uniform(0.3, 1.05) * final
    _kill_and_complete(
        command, make_args, tmp_path / "random", lambda p, out: (time.sleep(delay), True)[1], whole
    )
    if command == "run":  # just after a chunk was kept: the common case of an interruption
        _kill_and_complete(
            command,
            make_args,
            tmp_path / "chunk",
            lambda p, out: _wait_for(p, lambda: bool(_chunks(out))),
            whole,
        )


def test_sigterm_keeps_finished_chunks_and_exits_143(tmp_path: Path) -> None:
    a, _ = _scenarios(tmp_path)
    out = tmp_path / "r"
    args = ["run", str(a), "-n", "24", "--seed", "5", "--jobs", "2", "--quiet", "--out", str(out)]
    process = _start(args, tmp_path)
    assert _wait_for(process, lambda: bool(_chunks(out)))
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 143, stderr
    message = stderr.decode()
    assert "Traceback" not in message and "callsim: terminated (SIGTERM)" in message
    assert f"--resume {out}" in message
    assert _chunks(out)  # finished work kept for --resume
    assert main(["run", "--resume", str(out), "--quiet", "--jobs", "1"]) == 0
    assert _leftovers(tmp_path) == []


def test_sigterm_before_anything_finished_leaves_no_work_folder(tmp_path: Path) -> None:
    a, _ = _scenarios(tmp_path)
    out = tmp_path / "r"
    work = tmp_path / "r.partial"
    # One long replication per chunk (some 20 callers x 300 days of calls, a minute or more):
    # the work folder exists long before a chunk is done, even on a loaded machine.
    args = ["run", str(a), "-n", "2", "--jobs", "2", "--quiet", "--out", str(out)]
    args += ["--set", "horizon_days=300", "--set", "team.0.count=20"]
    args += ["--set", "segments.small.companies=500000", "--force"]
    process = _start(args, tmp_path)
    assert _wait_for(process, work.is_dir)
    assert not _chunks(out)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 143, stderr
    assert "nothing had finished" in stderr.decode()
    assert _leftovers(tmp_path) == [] and not out.exists()


HOST = """\
import time
from distributed import LocalCluster

if __name__ == "__main__":
    cluster = LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    )
    print(cluster.scheduler_address, flush=True)
    time.sleep(600)
"""


def test_a_lost_dask_scheduler_is_one_message_and_keeps_finished_chunks(tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="needs dask[distributed]")
    a, _ = _scenarios(tmp_path)
    (tmp_path / "host.py").write_text(HOST)
    host = subprocess.Popen(
        [sys.executable, "host.py"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert host.stdout is not None
        address = host.stdout.readline().strip()
        assert address.startswith("tcp://"), address
        out = tmp_path / "r"
        args = ["run", str(a), "-n", "24", "--seed", "5", "--quiet", "--out", str(out)]
        process = _start([*args, "--scheduler", address], tmp_path)
        assert _wait_for(process, lambda: bool(_chunks(out)))
        host.kill()  # the scheduler (and its workers) gone mid-run
        _, stderr = process.communicate(timeout=180)
    finally:
        host.kill()
        host.wait()
    message = stderr.decode().strip()
    assert process.returncode == 1, message
    assert message.count("\n") == 0 and "lost the Dask scheduler" in message, message
    assert f"--resume {out}" in message
    assert _chunks(out)
    assert main(["run", "--resume", str(out), "--jobs", "1", "--quiet"]) == 0
    assert main([*args, "--jobs", "1", "--out", str(tmp_path / "whole")]) == 0
    _assert_same(out, tmp_path / "whole")
    assert _leftovers(tmp_path) == []
