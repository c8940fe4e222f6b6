"""Never lose a user's files: each way a run, report or plot used to delete or overwrite a
file callsim did not write, as a regression test. Every pre-existing file must survive byte
for byte."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sim.cli import main
from tests.test_cli import GOOD, run_args, snapshot, write

pytestmark = pytest.mark.slow  # each test runs the command line end to end


def _dead_pid() -> int:
    """The id of a process that has finished (so no live process has it, for a moment)."""
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(child.stdout)


def test_the_work_folder_of_an_unfinished_run_is_never_an_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = write(tmp_path, GOOD)
    work = tmp_path / "myrun.partial"
    (work / "parts" / "run-0" / "r000000-000001").mkdir(parents=True)
    (work / "manifest.json").write_text(json.dumps({"tool": "callsim", "kind": "partial"}))
    (work / "parts" / "run-0" / "r000000-000001" / "operator_days.parquet").write_bytes(b"x")
    before = snapshot(work)
    assert main(run_args(scenario, work)) == 2
    assert "work folder of an unfinished experiment" in capsys.readouterr().err
    assert snapshot(work) == before
    # Nor is any folder whose name says it is one, existing or not.
    assert main(run_args(scenario, tmp_path / "other.partial")) == 2
    assert not (tmp_path / "other.partial").exists()


def test_a_foreign_old_callsim_folder_is_never_deleted(tmp_path: Path) -> None:
    scenario = write(tmp_path, GOOD)
    out = tmp_path / "myrun"
    assert main(run_args(scenario, out)) == 0
    foreign = tmp_path / "myrun.old-callsim"
    foreign.mkdir()
    (foreign / "thesis.txt").write_text("three years of work")
    before = snapshot(foreign)
    assert main(run_args(scenario, out)) == 0
    assert snapshot(foreign) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "myrun",
        "myrun.old-callsim",
        "scenario.yaml",
    ]


def test_rerunning_into_a_results_folder_keeps_the_users_files(tmp_path: Path) -> None:
    folder = tmp_path / "withnotes"
    folder.mkdir()
    scenario = write(folder, GOOD)
    assert main(run_args(scenario, folder / "inner")) == 0  # nested results of the user's
    assert main(run_args(scenario, folder, "--force")) == 0  # first run: foreign files, forced
    assert scenario.is_file() and (folder / "inner" / "manifest.json").is_file()  # kept
    (folder / "notes.txt").write_text("call the big ones on Tuesdays")
    mine = {
        name: data
        for name, data in snapshot(folder).items()
        if name.split("/")[0] in {"scenario.yaml", "notes.txt", "inner"}
    }
    assert main(run_args(scenario, folder)) == 0  # a plain re-run of a callsim folder
    after = snapshot(folder)
    assert {name: after[name][1:] for name in mine} == {n: d[1:] for n, d in mine.items()}
    assert (folder / "manifest.json").is_file() and (folder / "summary.csv").is_file()


def test_report_never_overwrites_a_file_it_did_not_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = write(tmp_path, GOOD)
    out = tmp_path / "run"
    assert main(run_args(scenario, out)) == 0
    before = snapshot(out)
    assert main(["report", str(out), "--out", str(out / "manifest.json")]) == 2
    assert "not a callsim report" in capsys.readouterr().err
    assert snapshot(out) == before
    user = tmp_path / "mine.html"
    user.write_text("<html>my own page</html>")
    assert main(["report", str(out), "--out", str(user)]) == 2
    assert user.read_text() == "<html>my own page</html>"
    # Its own report it may replace, and it leaves no temporary file behind.
    assert main(["report", str(out)]) == 0
    assert main(["report", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []


def test_plot_never_overwrites_a_file_it_did_not_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = write(tmp_path, GOOD)
    out = tmp_path / "run"
    assert main(run_args(scenario, out)) == 0
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "funnel.png").write_bytes(b"my own funnel")
    before = snapshot(mine)
    assert main(["plot", str(out), "--out", str(mine)]) == 2
    assert "funnel.png exists and is not a callsim chart" in capsys.readouterr().err
    assert snapshot(mine) == before
    # Its own charts it may replace, there or in the results folder.
    elsewhere = tmp_path / "charts"
    for _ in range(2):
        assert main(["plot", str(out), "--out", str(elsewhere), "--svg"]) == 0
        assert main(["plot", str(out)]) == 0


def _sensitivity_args(scenario: Path, out: Path, *extra: str) -> list[str]:
    return [
        "sensitivity",
        str(scenario),
        "--vary",
        "team.0.count=1:2",
        "--metric",
        "dials",
        "--method",
        "oat",
        "-n",
        "2",
        "-j",
        "1",
        "-q",
        "--out",
        str(out),
        *extra,
    ]


def test_sensitivity_folders_keep_the_users_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "effects"
    folder.mkdir()
    scenario = write(folder, GOOD)
    assert main(_sensitivity_args(scenario, folder)) == 2  # the user's folder: refused
    refusal = capsys.readouterr().err
    assert "not callsim results" in refusal
    assert "--force to write the results into it (its files are kept)" in refusal  # not "replace"
    assert main(_sensitivity_args(scenario, folder, "--force")) == 0
    (folder / "notes.txt").write_text("the count matters most")
    foreign = tmp_path / "effects.old-callsim"
    foreign.mkdir()
    (foreign / "thesis.txt").write_text("three years of work")
    mine = {n: d[1:] for n, d in snapshot(folder).items() if n in {"scenario.yaml", "notes.txt"}}
    kept = snapshot(foreign)
    assert main(_sensitivity_args(scenario, folder)) == 0  # a plain re-run
    after = snapshot(folder)
    assert {n: after[n][1:] for n in mine} == mine
    assert snapshot(foreign) == kept
    assert main(_sensitivity_args(scenario, tmp_path / "effects.partial")) == 2
    assert not (tmp_path / "effects.partial").exists()
    assert main(["report", str(folder), "--out", str(folder / "effects.csv")]) == 2
    assert snapshot(folder) == after


def test_an_out_that_is_a_symbolic_link_works_every_time(tmp_path: Path) -> None:
    scenario = write(tmp_path, GOOD)
    real = tmp_path / "real"
    link = tmp_path / "link"
    assert main(run_args(scenario, real)) == 0
    link.symlink_to(real, target_is_directory=True)
    for _ in range(2):
        assert main(run_args(scenario, link)) == 0
    assert link.is_symlink() and (real / "manifest.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real", "scenario.yaml"]


def test_staging_left_by_a_killed_write_is_cleaned_up_by_the_next_run(tmp_path: Path) -> None:
    scenario = write(tmp_path, GOOD)
    stale = tmp_path / f".myrun.callsim-staging-{_dead_pid()}-abc"
    stale.mkdir()
    (stale / "operator_days.parquet").write_bytes(b"half")
    live = tmp_path / f".myrun.callsim-staging-{os.getpid()}-def"  # a writer still at work
    live.mkdir()
    assert main(run_args(scenario, tmp_path / "myrun")) == 0
    assert not stale.exists()
    assert live.is_dir()


def test_a_failed_swap_puts_the_old_folder_back_with_the_users_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sim

    scenario = write(tmp_path, GOOD)
    out = tmp_path / "myrun"
    assert main(run_args(scenario, out)) == 0
    (out / "notes.txt").write_text("mine")
    before = snapshot(out)
    real_rename = Path.rename

    def failing_rename(self: Path, target):  # type: ignore[no-untyped-def]
        if ".callsim-staging-" in self.name:
            raise OSError("disk trouble")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", failing_rename)
    with pytest.raises(OSError, match="disk trouble"):
        sim.save(sim.load(out), out)
    monkeypatch.undo()
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["myrun", "scenario.yaml"]
