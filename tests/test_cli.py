"""The ``callsim`` command line: exit codes, error messages, output folders, overrides."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main

REPO = Path(__file__).resolve().parent.parent

GOOD = """\
name: cli-test
horizon_days: 1
shift: {length_min: 120, break_every_min: null}
segments:
  small:
    companies: 300
team:
  - profile: student
    count: 2
  - profile: experienced
    count: 1
"""

TYPO_KEY = """\
name: cli-test
segments:
  small:
    companies: 300
    gatekeper:
      pass_prob: 0.5
team:
  - profile: student
    count: 2
"""

OUT_OF_RANGE = """\
name: cli-test
segments:
  small:
    companies: 300
    gatekeeper:
      pass_prob: 1.5
team:
  - profile: student
    count: 2
"""

SYNTAX_ERROR = """\
name: cli-test
segments:
  small: {companies: 300
team:
  - profile: student
    count: 2
"""

BROKEN = {
    # name: (text, line, field path, words of the message)
    "typo-key": (TYPO_KEY, 5, "segments.small.gatekeper", "gatekeeper"),
    "out-of-range": (OUT_OF_RANGE, 6, "segments.small.gatekeeper.pass_prob", "<= 1"),
    "yaml-syntax": (SYNTAX_ERROR, 4, None, "YAML"),
}


def write(directory: Path, text: str, name: str = "scenario.yaml") -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def run_cli(*args: str | Path, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """``python -m sim ARGS`` in a fresh interpreter."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "sim", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def snapshot(directory: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file under ``directory``: (mtime_ns, size, content)."""
    return {
        str(p.relative_to(directory)): (p.stat().st_mtime_ns, p.stat().st_size, p.read_bytes())
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def run_args(scenario: Path, out: Path, *extra: str) -> list[str]:
    return [
        "run",
        str(scenario),
        "--replications",
        "2",
        "--seed",
        "1",
        "--jobs",
        "1",
        "--quiet",
        "--out",
        str(out),
        *extra,
    ]


# --- validate ----------------------------------------------------------------------------


def test_validate_accepts_a_good_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, GOOD)
    assert main(["validate", str(path)]) == 0
    captured = capsys.readouterr()
    assert str(path) in captured.out and "ok" in captured.out
    assert "3 callers" in captured.out


def test_validate_counts_one_segment_and_one_day_in_the_singular(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, GOOD)
    assert main(["validate", str(path)]) == 0
    assert "(cli-test: 3 callers, 1 segment, 1 day)" in capsys.readouterr().out


def test_commands_without_precision_do_not_offer_it_in_their_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``sensitivity`` has no ``--precision``; its ``-n`` help must not point to one."""
    assert main(["sensitivity", "--help"]) == 0
    assert "--precision" not in capsys.readouterr().out
    assert main(["run", "--help"]) == 0
    assert "with --precision, the first batch" in " ".join(capsys.readouterr().out.split())


@pytest.mark.parametrize("command", ["plot", "report"])
def test_plot_and_report_help_name_sensitivity_folders(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([command, "--help"]) == 0
    assert "'sensitivity'" in capsys.readouterr().out


@pytest.mark.parametrize("case", list(BROKEN))
def test_validate_reports_broken_file_with_name_line_and_path_and_exits_2(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, line, field, words = BROKEN[case]
    path = write(tmp_path, text, f"{case}.yaml")
    assert main(["validate", str(path)]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert captured.out == ""
    assert f"{path}:{line}:" in captured.err
    if field is not None:
        assert f"{path}:{line}: {field}:" in captured.err
    assert words in captured.err


def test_validate_reports_an_unknown_profile_reference_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, GOOD.replace("profile: experienced", "profile: experiencd"))
    assert main(["validate", str(path)]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert f"{path}:" in captured.err
    assert ": team" in captured.err and "experiencd" in captured.err
    assert "did you mean 'experienced'" in captured.err


def test_validate_exits_2_if_any_of_several_files_is_broken(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path, GOOD, "good.yaml")
    bad = write(tmp_path, OUT_OF_RANGE, "bad.yaml")
    assert main(["validate", str(good), str(bad)]) == 2
    captured = capsys.readouterr()
    assert f"{good}: ok" in captured.out
    assert str(bad) in captured.err and str(good) not in captured.err


def test_validate_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nope.yaml")]) == 2
    captured = capsys.readouterr()
    assert "nope.yaml" in captured.err and "not found" in captured.err
    assert ": 1 problem\n" in captured.err  # counted in the singular, not "problem(s)"


@pytest.mark.slow
def test_validate_in_a_subprocess_exits_2_without_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, TYPO_KEY, "typo.yaml")
    process = run_cli("validate", path)
    assert process.returncode == 2
    assert "Traceback" not in process.stderr
    assert f"{path}:5: segments.small.gatekeper:" in process.stderr
    assert "did you mean 'gatekeeper'" in process.stderr


@pytest.mark.slow
def test_run_of_a_broken_file_in_a_subprocess_exits_2_without_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, SYNTAX_ERROR, "syntax.yaml")
    process = run_cli("run", path, "--out", tmp_path / "out", "--quiet", cwd=tmp_path)
    assert process.returncode == 2
    assert "Traceback" not in process.stderr
    assert f"{path}:4:" in process.stderr
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "results").exists()


# --- output folders ----------------------------------------------------------------------


@pytest.mark.slow
def test_broken_scenario_leaves_existing_results_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "results"
    assert main(run_args(write(tmp_path, GOOD), out)) == 0
    before = snapshot(out)
    assert "manifest.json" in before
    capsys.readouterr()
    for text in (TYPO_KEY, OUT_OF_RANGE, SYNTAX_ERROR):
        broken = write(tmp_path, text, "broken.yaml")
        assert main(run_args(broken, out)) == 2
        assert "Traceback" not in capsys.readouterr().err
        assert snapshot(out) == before
    # An invalid override is refused before anything is written, too.
    assert main(run_args(write(tmp_path, GOOD), out, "--set", "team.0.count=-3")) == 2
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.yaml", "results", "scenario.yaml"]


@pytest.mark.slow
def test_run_refuses_a_folder_with_foreign_files_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = write(tmp_path, GOOD)
    out = tmp_path / "thesis"
    out.mkdir()
    (out / "chapter1.tex").write_text("precious", encoding="utf-8")
    before = snapshot(out)
    assert main(run_args(scenario, out)) == 2
    captured = capsys.readouterr()
    assert str(out) in captured.err and "--force" in captured.err
    assert "Traceback" not in captured.err
    assert snapshot(out) == before

    assert main(run_args(scenario, out, "--force")) == 0
    assert (out / "manifest.json").is_file()
    assert (out / "operator_days.parquet").is_file()


def test_run_refuses_an_out_path_that_is_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "results.txt"
    target.write_text("keep me", encoding="utf-8")
    assert main(run_args(write(tmp_path, GOOD), target)) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize("command", ["run", "compare", "sweep"])
def test_an_out_folder_that_cannot_be_made_is_refused_before_anything_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    scenario = write(tmp_path, GOOD)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("keep me", encoding="utf-8")
    out = blocker / "results"  # its parent is a file: no folder can be made there
    args = {
        "run": run_args(scenario, out),
        "compare": [
            "compare",
            str(scenario),
            str(scenario),
            "-n",
            "2",
            "--quiet",
            "--out",
            str(out),
        ],
        "sweep": [
            "sweep",
            str(scenario),
            "--vary",
            "team.0.count=1,2",
            "-n",
            "2",
            "--quiet",
            "--out",
            str(out),
        ],
    }[command]
    assert main(args) == 2
    captured = capsys.readouterr()
    assert f"cannot write results to {out}" in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""  # refused before simulating: no summary was printed
    assert blocker.read_text(encoding="utf-8") == "keep me"


@pytest.mark.slow
def test_run_replaces_an_existing_callsim_results_folder(tmp_path: Path) -> None:
    scenario = write(tmp_path, GOOD)
    out = tmp_path / "results"
    assert main(run_args(scenario, out, "--call-log")) == 0
    assert (out / "calls.parquet").is_file()
    first = json.loads((out / "manifest.json").read_text())
    assert first["call_log"] is True

    assert (
        main(
            [
                "run",
                str(scenario),
                "--replications",
                "3",
                "--seed",
                "2",
                "--jobs",
                "1",
                "--quiet",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["replications"] == 3 and manifest["seed"] == 2
    assert manifest["call_log"] is False
    assert not (out / "calls.parquet").exists()  # the old folder was replaced, not merged
    # No staging or backup folders are left next to the results.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results", "scenario.yaml"]


@pytest.mark.slow
def test_run_writes_into_an_empty_existing_folder(tmp_path: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    assert main(run_args(write(tmp_path, GOOD), out)) == 0
    assert (out / "manifest.json").is_file()


@pytest.mark.slow
def test_default_out_is_results_slash_scenario_name_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = write(tmp_path, GOOD)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert main(["run", str(scenario), "--replications", "2", "--jobs", "1", "--quiet"]) == 0
    out = work / "results" / "cli-test"
    assert (out / "manifest.json").is_file()
    assert (out / "summary.csv").is_file()
    assert str(Path("results") / "cli-test") in capsys.readouterr().out
    assert sorted(p.name for p in work.iterdir()) == ["results"]


# --- --set overrides ---------------------------------------------------------------------


@pytest.mark.slow
def test_set_override_is_applied_and_recorded_in_the_manifest(tmp_path: Path) -> None:
    out = tmp_path / "results"
    assert (
        main(
            run_args(
                write(tmp_path, GOOD), out, "--set", "team.0.count=1", "--set", "horizon_days=2"
            )
        )
        == 0
    )
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["scenario"]["team"][0]["count"] == 1
    assert manifest["scenario"]["team"][1]["count"] == 1
    assert manifest["scenario"]["horizon_days"] == 2
    days = pd.read_parquet(out / "operator_days.parquet")
    assert days["operator"].nunique() == 2
    assert len(days) == 2 * 2 * 2  # replications x days x callers


@pytest.mark.parametrize(
    "override",
    [
        "team.0.count=-1",  # out of range
        "team.7.count=1",  # no such list item
        "segments.small.gatekeeper.pass_prob=2",  # probability above 1
        "segments.small.companeis=5",  # typo in the key
        "horizon_days",  # no '='
        "horizon_days=[1",  # value is not YAML
    ],
)
def test_invalid_set_override_exits_2_and_names_it(
    override: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, GOOD)
    assert main(["validate", str(path), "--set", override]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    # A malformed override is refused as an option (argument --set), before the file is read.
    assert str(path) in captured.err or "argument --set" in captured.err
    key = override.partition("=")[0]
    assert key in captured.err
    out = tmp_path / "out"
    assert main(run_args(path, out, "--set", override)) == 2
    assert not out.exists()


def test_valid_set_override_passes_validate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(write(tmp_path, GOOD)), "--set", "team.0.count=5"]) == 0
    assert "6 callers" in capsys.readouterr().out


# --- bad options -------------------------------------------------------------------------


@pytest.mark.parametrize("option", [["--replications", "0"], ["--seed", "-1"], ["--jobs", "zero"]])
def test_bad_run_option_exits_2(
    option: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", str(write(tmp_path, GOOD)), "--out", str(tmp_path / "out"), *option]) == 2
    assert option[0] in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# --- schema and version ------------------------------------------------------------------


def test_schema_prints_valid_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["type"] == "object"
    assert {"segments", "team", "shift", "retry", "horizon_days"} <= set(schema["properties"])


def test_schema_markdown_prints_a_reference(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--markdown"]) == 0
    text = capsys.readouterr().out
    assert "pass_prob" in text and "horizon_days" in text


@pytest.mark.slow
def test_python_dash_m_sim_version_works() -> None:
    import sim

    process = run_cli("--version")
    assert process.returncode == 0, process.stderr
    assert process.stdout.strip() == f"callsim {sim.__version__} ({sim.core_info().describe()})"
