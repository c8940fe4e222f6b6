"""Execution of experiments: executors, streaming to disk, byte-identical consolidation, resume."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

import sim
from sim.cli import main
from sim.errors import ExperimentError
from sim.execution.tasks import ChunkTask, chunk_ranges, chunk_size, run_chunk
from sim.records.replication import simulate_replication
from sim.scenario import Scenario
from sim.storage.parquet import ROW_GROUP_ROWS, write_frames_parquet

REPO = Path(__file__).resolve().parent.parent
TABLE_FILES = (
    "operator_days.parquet",
    "segment_days.parquet",
    "leads.parquet",
    "calls.parquet",
    "summary.csv",
)

SCENARIO = """\
name: exec-test
horizon_days: 2
replications: 4
shift: {length_min: 240}
retry: {max_attempts: 3, long_term_callback_days: 1}
segments:
  small: {companies: 150}
  large: {companies: 80}
profiles:
  student:
    quota:
      - {counts: calls_excl_busy_no_answer, target: 30}
team:
  - {profile: student, count: 2}
  - {profile: experienced, count: 1}
"""


def small_scenario(**changes: object) -> Scenario:
    data = {
        "name": "exec",
        "horizon_days": 2,
        "shift": {"length_min": 240.0},
        "retry": {"max_attempts": 3, "long_term_callback_days": 1},
        "segments": {"small": {"companies": 150}, "large": {"companies": 80}},
        "team": [{"profile": "student", "count": 2}, {"profile": "experienced", "count": 1}],
        **changes,
    }
    return Scenario.model_validate(data)


def write_scenario(directory: Path, text: str = SCENARIO, name: str = "exec.yaml") -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def manifest_without_time(folder: Path) -> dict[str, object]:
    data = json.loads((folder / "manifest.json").read_text())
    data.pop("wall_time_s")
    return data


def assert_same_files(a: Path, b: Path, names: tuple[str, ...] = TABLE_FILES) -> None:
    for name in names:
        if (a / name).exists() or (b / name).exists():
            assert (a / name).read_bytes() == (b / name).read_bytes(), name


# --- chunking ---------------------------------------------------------------------------


def test_chunk_ranges_are_contiguous_bounded_and_cover_every_replication() -> None:
    ranges = chunk_ranges([0, 1, 2, 3, 4, 7, 8, 11], 3)
    assert ranges == [(0, 3), (3, 2), (7, 2), (11, 1)]
    assert sorted(r for first, n in ranges for r in range(first, first + n)) == [
        0,
        1,
        2,
        3,
        4,
        7,
        8,
        11,
    ]


def test_chunk_size_gives_several_tasks_per_worker_and_respects_the_limit() -> None:
    assert chunk_size(16, 2) == 1
    assert chunk_size(96, 2) == 6
    assert chunk_size(2000, 2) == 8
    assert chunk_size(3, 8) == 1
    assert chunk_size(0, 2) == 1


# --- the Parquet writer -----------------------------------------------------------------


def test_parquet_parts_round_trip_a_replication_exactly() -> None:
    scenario = small_scenario()
    task = ChunkTask(
        "x",
        scenario,
        5,
        1,
        2,
        call_log=True,
        tables=("operator_days", "segment_days", "leads", "calls"),
    )
    encoded, plain = run_chunk(task), run_chunk(ChunkTask(**{**task.__dict__, "encode": False}))
    for name in task.tables:
        assert isinstance(encoded.payload[name], bytes)
        pd.testing.assert_frame_equal(
            encoded.frame(name),
            plain.frame(name),
            check_exact=True,
            check_categorical=True,
            obj=name,
        )
    # Unused categories survive (no meetings in the status column is still a category).
    assert list(encoded.frame("leads")["status"].cat.categories) == list(
        simulate_replication(scenario, 5, 1).leads["status"].cat.categories
    )


@pytest.mark.parametrize("row_group", [7, 100, None])
def test_streamed_parquet_is_byte_identical_to_to_parquet(
    tmp_path: Path, row_group: int | None
) -> None:
    scenario = small_scenario()
    frames = [simulate_replication(scenario, 3, r, call_log=True) for r in range(3)]
    for name in ("operator_days", "leads", "calls"):
        parts = [getattr(f, name) for f in frames]
        whole = pd.concat(parts, ignore_index=True)
        whole.to_parquet(tmp_path / "ref.parquet", index=False, row_group_size=row_group)
        rows = write_frames_parquet(iter(parts), tmp_path / "streamed.parquet", row_group)
        assert rows == len(whole)
        assert (tmp_path / "ref.parquet").read_bytes() == (
            tmp_path / "streamed.parquet"
        ).read_bytes(), name


def test_streamed_parquet_of_empty_frames_matches_to_parquet(tmp_path: Path) -> None:
    empty = simulate_replication(small_scenario(), 3, 0, call_log=True).calls.iloc[:0]
    empty.to_parquet(tmp_path / "ref.parquet", index=False)
    write_frames_parquet([empty, empty], tmp_path / "streamed.parquet")
    assert (tmp_path / "ref.parquet").read_bytes() == (tmp_path / "streamed.parquet").read_bytes()


def test_row_group_size_is_pyarrows_default(tmp_path: Path) -> None:
    frame = pd.DataFrame({"x": np.zeros(ROW_GROUP_ROWS + 1, dtype=np.int8)})
    frame.to_parquet(tmp_path / "big.parquet", index=False)
    meta = pq.ParquetFile(tmp_path / "big.parquet").metadata
    assert meta.num_row_groups == 2 and meta.row_group(0).num_rows == ROW_GROUP_ROWS


# --- streaming runs ---------------------------------------------------------------------


@pytest.mark.slow
def test_streamed_run_writes_the_same_files_as_an_in_memory_run(tmp_path: Path) -> None:
    scenario = small_scenario()
    memory = sim.run(scenario, replications=5, seed=8, call_log=True)
    sim.save(memory, tmp_path / "memory")
    seen_parts: list[int] = []
    work = tmp_path / "streamed.partial"

    def on_progress(done: int) -> None:
        # While the run goes, finished chunks are already files in the work folder.
        seen_parts.append(len(list((work / "parts" / "run-0").glob("r*"))))

    streamed = sim.run(
        scenario,
        replications=5,
        seed=8,
        call_log=True,
        jobs=1,
        out=tmp_path / "streamed",
        on_progress=on_progress,
    )
    assert seen_parts and seen_parts[0] >= 1 and seen_parts == sorted(seen_parts)
    assert_same_files(tmp_path / "memory", tmp_path / "streamed")
    assert manifest_without_time(tmp_path / "memory") == manifest_without_time(
        tmp_path / "streamed"
    )
    assert not work.exists()
    # The returned results read their tables lazily from the folder.
    assert not streamed.is_loaded("leads") and not streamed.is_loaded("operator_days")
    pd.testing.assert_frame_equal(streamed.leads, memory.leads, check_exact=True)
    assert streamed.is_loaded("leads")
    pd.testing.assert_frame_equal(streamed.summary(), memory.summary())


@pytest.mark.slow
def test_results_load_is_lazy(tmp_path: Path) -> None:
    sim.save(sim.run(small_scenario(), replications=2, seed=1), tmp_path / "r")
    loaded = sim.load(tmp_path / "r")
    assert not any(loaded.is_loaded(n) for n in ("operator_days", "segment_days", "leads"))
    assert not loaded.has_table("calls") and loaded.calls is None
    loaded.summary()
    assert loaded.is_loaded("operator_days") and not loaded.is_loaded("leads")


@pytest.mark.slow
def test_saving_results_read_from_disk_copies_tables_without_loading_them(tmp_path: Path) -> None:
    sim.save(sim.run(small_scenario(), replications=2, seed=1), tmp_path / "a")
    loaded = sim.load(tmp_path / "a")
    sim.save(loaded, tmp_path / "b")
    assert not loaded.is_loaded("leads") and not loaded.is_loaded("segment_days")
    assert_same_files(tmp_path / "a", tmp_path / "b")


@pytest.mark.slow
def test_unfinished_run_is_not_silently_discarded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_scenario(tmp_path)
    out = tmp_path / "r"
    args = ["run", str(path), "-n", "3", "--seed", "2", "--jobs", "1", "--quiet", "--out", str(out)]
    (tmp_path / "r.partial").mkdir()
    (tmp_path / "r.partial" / "manifest.json").write_text(
        json.dumps({"tool": "callsim", "kind": "partial", "plan": {}})
    )
    assert main(args) == 2
    assert "--resume" in capsys.readouterr().err
    assert main([*args, "--force"]) == 0
    assert not (tmp_path / "r.partial").exists()


@pytest.mark.slow
def test_resume_refuses_a_different_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = small_scenario()
    with pytest.raises(ExperimentError):
        sim.run(scenario, replications=3, seed=1, resume=tmp_path / "none")
    from sim.execution.plan import ExperimentPlan, RunSpec
    from sim.execution.store import DiskStore

    plan = ExperimentPlan("run", (RunSpec("run", scenario),), seed=1, replications=3)
    DiskStore.create(tmp_path / "r.partial", plan.to_json(), plan.labels)
    with pytest.raises(ExperimentError, match="seed"):
        sim.run(scenario, replications=3, seed=2, out=tmp_path / "r", resume=True)
    assert sim.run(None, resume=tmp_path / "r").replications == 3


@pytest.mark.slow
def test_kill_and_resume_gives_the_files_of_an_uninterrupted_run(tmp_path: Path) -> None:
    path = write_scenario(tmp_path)
    killed, whole = tmp_path / "killed", tmp_path / "whole"
    args = [str(path), "-n", "24", "--seed", "3", "--set", "horizon_days=4", "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "sim", "run", *args, "--jobs", "1", "--out", str(killed)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    parts = killed.with_name("killed.partial") / "parts" / "run-0"
    deadline = time.monotonic() + 120
    while not (parts.is_dir() and any(p.name.startswith("r") for p in parts.iterdir())):
        assert process.poll() is None, "the run ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    finished = [p.name for p in parts.iterdir() if p.name.startswith("r")]
    assert 1 <= len(finished) < 4 and not killed.exists()

    assert main(["run", "--resume", str(killed), "--jobs", "2", "--quiet"]) == 0
    assert main(["run", *args, "--jobs", "1", "--out", str(whole)]) == 0
    assert_same_files(killed, whole, (*TABLE_FILES, "contacts_per_day.png"))
    assert manifest_without_time(killed) == manifest_without_time(whole)
    assert not killed.with_name("killed.partial").exists()


@pytest.mark.slow
def test_resume_recomputes_only_the_missing_replications(tmp_path: Path) -> None:
    scenario = small_scenario()

    class Interrupt(Exception):
        pass

    def interrupt(done: int) -> None:
        if done >= 6:
            raise Interrupt

    with pytest.raises(Interrupt):
        sim.run(scenario, replications=12, seed=4, out=tmp_path / "r", on_progress=interrupt)
    chunks = sorted((tmp_path / "r.partial" / "parts" / "run-0").glob("r*"))
    assert len(chunks) >= 2 and not (tmp_path / "r").exists()
    # Lose the first chunk as well (a gap before finished work).
    lost = chunks[0]
    kept = sum(int(c.name[8:]) - int(c.name[1:7]) + 1 for c in chunks[1:])
    import shutil

    shutil.rmtree(lost)
    progress: list[int] = []
    resumed = sim.run(
        scenario,
        replications=12,
        seed=4,
        out=tmp_path / "r",
        resume=True,
        jobs=2,
        on_progress=progress.append,
    )
    assert progress[-1] == 12 and len(progress) <= 12
    assert progress[0] > kept  # counted from the chunks already on disk
    sim.save(sim.run(scenario, replications=12, seed=4), tmp_path / "ref")
    assert resumed.replications == 12
    assert_same_files(tmp_path / "r", tmp_path / "ref")
    assert not (tmp_path / "r.partial").exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"replications": 2.5},
        {"replications": True},
        {"replications": 0},
        {"seed": "abc"},
        {"seed": 1.0},
        {"seed": -1},
        {"jobs": 1.5},
        {"jobs": True},
        {"jobs": 0},
    ],
)
def test_the_api_refuses_counts_that_are_not_whole_numbers(bad: dict[str, object]) -> None:
    name = next(iter(bad))
    with pytest.raises(ExperimentError, match=name):
        sim.run(small_scenario(), **{"replications": 1, **bad})  # type: ignore[arg-type]


def test_the_api_takes_numpy_integers_and_a_scenario_path(tmp_path: Path) -> None:
    results = sim.run(str(write_scenario(tmp_path)), replications=np.int64(2), seed=np.int64(5))
    assert (results.replications, results.seed) == (2, 5)
    assert type(results.seed) is int  # the manifest stays plain JSON
    with pytest.raises(TypeError, match="Scenario or a scenario file"):
        sim.run(42)  # type: ignore[arg-type]


# --- executors --------------------------------------------------------------------------


def test_bad_scheduler_and_jobs_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ExperimentError):
        sim.run(small_scenario(), replications=2, scheduler="local:0")
    with pytest.raises(ExperimentError):
        sim.run(small_scenario(), replications=2, scheduler="http://nowhere")
    assert (
        main(
            [
                "run",
                str(write_scenario(tmp_path)),
                "--scheduler",
                "local:x",
                "--out",
                str(tmp_path / "o"),
                "--quiet",
            ]
        )
        == 2
    )
    assert not (tmp_path / "o").exists()


@pytest.mark.slow
def test_jobs_one_two_and_a_dask_local_cluster_write_identical_files(tmp_path: Path) -> None:
    pytest.importorskip(
        "distributed", reason="distributed is not installed: pip install -e '.[distributed]'"
    )
    a = write_scenario(tmp_path, name="a.yaml")
    b = write_scenario(tmp_path, SCENARIO.replace("count: 2}", "count: 3}"), name="b.yaml")
    common = ["compare", str(a), str(b), "-n", "5", "--seed", "6", "--quiet"]
    assert main([*common, "--jobs", "1", "--out", str(tmp_path / "one")]) == 0
    assert main([*common, "--jobs", "2", "--out", str(tmp_path / "two")]) == 0
    assert main([*common, "--scheduler", "local:2", "--out", str(tmp_path / "dask")]) == 0
    for other in ("two", "dask"):
        assert (tmp_path / "one" / "comparison.csv").read_bytes() == (
            tmp_path / other / "comparison.csv"
        ).read_bytes()
        for label in ("a", "b"):
            assert_same_files(tmp_path / "one" / "runs" / label, tmp_path / other / "runs" / label)
        assert manifest_without_time(tmp_path / "one") == manifest_without_time(tmp_path / other)


def test_streamed_chunks_go_to_disk_not_memory(tmp_path: Path) -> None:
    # The disk store keeps no table in memory: only file names are read back.
    from sim.execution.store import DiskStore

    scenario = small_scenario()
    store = DiskStore.create(tmp_path / "w", {}, ["run"])
    result = run_chunk(ChunkTask("run", scenario, 1, 0, 2))
    store.add(result)
    assert store.done("run") == {0, 1}
    assert not any(isinstance(v, pd.DataFrame) for v in vars(store).values())
    frame = next(store.frames("run", "operator_days", 2))
    pd.testing.assert_frame_equal(
        frame, pd.read_parquet(io.BytesIO(result.payload["operator_days"]))
    )  # type: ignore[arg-type]
    with pytest.raises(ExperimentError, match="only 2 of 3"):
        list(store.frames("run", "operator_days", 3))


def test_one_options_object_drives_run_compare_and_sweep(tmp_path: Path) -> None:
    options = sim.ExperimentOptions(jobs=1, out=tmp_path / "run")
    by_object = sim.run(small_scenario(), replications=2, seed=1, options=options)
    by_keywords = sim.run(small_scenario(), replications=2, seed=1, jobs=1)
    assert by_object.operator_days.equals(by_keywords.operator_days)
    assert (tmp_path / "run" / "manifest.json").is_file()
    comparison = sim.compare(
        [small_scenario(), small_scenario()],
        replications=2,
        seed=1,
        options=sim.ExperimentOptions(out=tmp_path / "cmp"),
    )
    assert isinstance(sim.load(tmp_path / "cmp"), sim.Comparison) and comparison.directory
    grid = sim.sweep(
        small_scenario(),
        "shift.length_min=120,180",
        replications=2,
        seed=1,
        options=sim.ExperimentOptions(out=tmp_path / "sweep"),
    )
    assert len(grid.labels) == 2 and (tmp_path / "sweep" / "observations.parquet").is_file()


def test_a_sigterm_lost_while_the_pool_forked_still_stops_the_run(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    # A SIGTERM that arrives while the worker pool forks runs its handler inside
    # os.register_at_fork callbacks, whose exceptions Python drops: the run went on to the end
    # and exited 0. The handler's record of the stop is raised once the pool has started.
    import multiprocessing

    from sim.cli.main import Terminated
    from sim.execution import executors
    from sim.execution.interrupts import request_stop

    real = multiprocessing.get_context()

    class ForkingWhileSignalled:
        def Pool(self, *args, **kwargs):  # multiprocessing's name
            pool = real.Pool(*args, **kwargs)
            request_stop(Terminated)  # what the handler recorded before its exception was lost
            return pool

    monkeypatch.setattr(executors.multiprocessing, "get_context", ForkingWhileSignalled)
    (tmp_path / "s.yaml").write_text(SCENARIO)
    out = tmp_path / "r"
    status = main(["run", str(tmp_path / "s.yaml"), "--jobs", "2", "-q", "--out", str(out)])
    assert status == 143
    assert "terminated (SIGTERM)" in capsys.readouterr().err
    assert not out.exists() and not (tmp_path / "r.partial").exists()
    monkeypatch.undo()
    assert main(["run", str(tmp_path / "s.yaml"), "--jobs", "2", "-q", "--out", str(out)]) == 0
