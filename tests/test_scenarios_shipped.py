"""Every scenario shipped in scenarios/ validates and runs end to end through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.cli import main

REPO = Path(__file__).resolve().parent.parent
SHIPPED = sorted((REPO / "scenarios").glob("*.yaml"))
OUTPUT_FILES = (
    "operator_days.parquet",
    "segment_days.parquet",
    "leads.parquet",
    "summary.csv",
    "manifest.json",
    "contacts_per_day.png",
)
OPERATOR_DAY_COLUMNS = (
    "replication",
    "day",
    "operator",
    "profile",
    "dials",
    "busy",
    "no_answer",
    "invalid",
    "answered",
    "gatekeeper_contacts",
    "gatekeeper_passed",
    "referrals",
    "dm_contacts",
    "needs_immediate",
    "needs_long_term",
    "meetings",
    "callbacks_scheduled",
    "talk_min",
    "dial_min",
    "wrap_min",
    "break_min",
    "idle_min",
    "overrun_min",
    "quota_units",
    "quota_met",
    "cost",
)


def test_scenarios_folder_is_not_empty() -> None:
    assert len(SHIPPED) >= 4


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_scenario_validates(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(path)]) == 0
    captured = capsys.readouterr()
    assert ": ok (" in captured.out
    assert captured.err == ""
    # The file name inside agrees with the file: results go to results/<name>.
    assert sim.load_scenario(path).name == path.stem


@pytest.mark.slow
@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_scenario_runs_two_replications_of_two_days(
    path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "results"
    status = main(
        [
            "run",
            str(path),
            "--replications",
            "2",
            "--set",
            "horizon_days=2",
            "--jobs",
            "1",
            "--quiet",
            "--out",
            str(out),
        ]
    )
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert "Traceback" not in captured.err
    for name in OUTPUT_FILES:
        assert (out / name).is_file(), name
        assert (out / name).stat().st_size > 0, name
    assert not (out / "calls.parquet").exists()
    assert (out / "contacts_per_day.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    scenario = sim.load_scenario(path, ["horizon_days=2"])
    days = pd.read_parquet(out / "operator_days.parquet")
    missing = set(OPERATOR_DAY_COLUMNS) - set(days.columns)
    assert not missing, missing
    assert len(days) == 2 * 2 * scenario.operator_count
    assert sorted(days["replication"].unique()) == [0, 1]
    assert sorted(days["day"].unique()) == [0, 1]
    assert (days["dials"] > 0).all()

    segment_days = pd.read_parquet(out / "segment_days.parquet")
    assert set(segment_days["segment"].astype(str)) <= set(scenario.segments)
    assert segment_days["dials"].sum() == days["dials"].sum()
    leads = pd.read_parquet(out / "leads.parquet")  # the companies called (a lean table)
    assert (leads["attempts"] > 0).all()
    assert len(leads) <= 2 * sum(s.companies for s in scenario.segments.values())
    assert leads["attempts"].sum() == days["dials"].sum()

    summary = pd.read_csv(out / "summary.csv")
    assert {"metric", "profile", "mean", "ci_low", "ci_high"} <= set(summary.columns)
    assert "dm_contacts" in set(summary["metric"])

    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["tool"] == "callsim"
    assert manifest["replications"] == 2
    assert manifest["scenario"]["horizon_days"] == 2
    assert manifest["scenario"]["name"] == scenario.name


@pytest.mark.slow
def test_call_log_option_writes_calls_parquet(tmp_path: Path) -> None:
    path = REPO / "scenarios" / "students-small-firms.yaml"
    out = tmp_path / "with-log"
    assert (
        main(
            [
                "run",
                str(path),
                "--replications",
                "2",
                "--set",
                "horizon_days=2",
                "--jobs",
                "1",
                "--quiet",
                "--call-log",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    calls = pd.read_parquet(out / "calls.parquet")
    days = pd.read_parquet(out / "operator_days.parquet")
    assert len(calls) == days["dials"].sum() > 0
    assert {"replication", "day", "operator", "segment", "company", "attempt", "outcome"} <= set(
        calls.columns
    )
    assert json.loads((out / "manifest.json").read_text())["call_log"] is True
