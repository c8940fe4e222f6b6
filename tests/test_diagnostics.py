"""Runs whose figures measure the set-up, not the calling, say so (issue 10: warnings, drift).

A list that runs dry, callers left idle and figures that drift over the horizon each give a
warning in the console, ``manifest.json`` (``warnings``) and a banner in the report.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import sim
from sim.analysis.diagnostics import DRIFT_LIMIT, diagnose
from sim.cli import main
from tests.builders import build


def _scenario(companies: int, days: int = 5, students: int = 4) -> sim.Scenario:
    return build(
        {
            "name": "dry",
            "horizon_days": days,
            "segments": {"small": {"companies": companies}},
            "profiles": {"student": {}},
            "team": [{"profile": "student", "count": students}],
        }
    )


def _codes(results: sim.Results) -> set[str]:
    return {w.code for w in diagnose(results)}


def test_a_list_that_runs_dry_warns_of_idle_callers_and_spent_leads() -> None:
    results = sim.run(_scenario(companies=40), replications=2, seed=1)
    warnings = {w.code: w for w in diagnose(results)}
    assert {"callers_idle", "fresh_leads_ran_out"} <= set(warnings)
    ran_out = warnings["fresh_leads_ran_out"]
    assert ran_out.details["segment"] == "small" and ran_out.details["replications"] == 2
    last = results.leads.groupby("replication")["first_attempt_day"].max()
    assert ran_out.details["day"] == int(np.median(last)) + 1
    idle = results.operator_days["idle_min"].mean()
    assert warnings["callers_idle"].details["idle_min_per_day"] == pytest.approx(idle, abs=0.01)
    assert "student callers sat idle" in warnings["callers_idle"].message


def test_a_large_list_gives_no_supply_warning() -> None:
    results = sim.run(_scenario(companies=50_000, days=2), replications=2, seed=1)
    assert not _codes(results) & {"callers_idle", "fresh_leads_ran_out", "segment_worked_out"}


def _synthetic(dials_by_day: list[float], replications: int = 6) -> sim.Results:
    """A one-caller run whose daily dials follow ``dials_by_day`` plus small noise."""
    rng = np.random.default_rng(0)
    days = len(dials_by_day)
    rows = [
        {
            "replication": r,
            "day": d,
            "operator": "student-01",
            "group": "student",
            "profile": "student",
            "dials": dials_by_day[d] + rng.normal(0, 1),
            "dm_contacts": 10.0,
            "meetings": 1.0,
            "idle_min": 0.0,
        }
        for r in range(replications)
        for d in range(days)
    ]
    scenario = _scenario(companies=10_000, days=days, students=1)
    return sim.Results(scenario, 1, replications, pd.DataFrame(rows), None, None)


def test_a_step_in_the_daily_figures_is_reported_with_its_day() -> None:
    results = _synthetic([100.0] * 10 + [80.0] * 12)
    (drift,) = [w for w in diagnose(results) if w.code == "drift"]
    assert drift.details["metric"] == "dials"
    assert drift.details["day"] == 11  # the first day of the lower level, counted from 1
    assert drift.details["relative_change"] == pytest.approx(-0.2, abs=0.02)


def test_steady_figures_or_a_small_step_are_not_a_drift() -> None:
    assert "drift" not in _codes(_synthetic([100.0] * 22))
    small = 100.0 * (1 - DRIFT_LIMIT / 2)
    assert "drift" not in _codes(_synthetic([100.0] * 11 + [small] * 11))


@pytest.mark.slow
def test_warnings_reach_the_console_the_manifest_and_the_report(tmp_path: Path, capsys) -> None:
    path = tmp_path / "dry.yaml"
    path.write_text(yaml.safe_dump(_scenario(companies=40).model_dump(mode="json")))
    out = tmp_path / "run"
    assert main(["run", str(path), "-n", "2", "-j", "1", "-q", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "callsim: warning: student callers sat idle" in err
    manifest = json.loads((out / "manifest.json").read_text())
    assert {w["code"] for w in manifest["warnings"]} >= {"callers_idle", "fresh_leads_ran_out"}
    assert main(["report", str(out)]) == 0
    html = (out / "report.html").read_text()
    assert 'class="warning"' in html and "sat idle" in html


def _targeted(share_kept: float, broad_callers: int = 0, companies: int = 400) -> sim.Scenario:
    """Four students call the kept share of ``companies`` for five days (a targeted list);
    ``broad_callers`` more call the same segment from the broad list."""
    team = [{"profile": "student", "count": 4, "name": "students"}]
    if broad_callers:
        team.append({"profile": "student", "count": broad_callers, "name": "others"})
    return build(
        {
            "name": "targeted",
            "horizon_days": 5,
            "segments": {"small": {"companies": companies}},
            "profiles": {"student": {}},
            "team": team,
            "sales": {"lists": {"students": {"policy": "targeted", "share_kept": share_kept}}},
        }
    )


def test_a_targeted_list_that_runs_dry_says_so_and_advises_a_larger_share_kept() -> None:
    results = sim.run(_targeted(share_kept=0.1), replications=2, seed=1)
    warnings = {w.code: w for w in diagnose(results)}
    assert "fresh_leads_ran_out" not in warnings  # 360 of the 400 companies were never called
    dry = warnings["list_ran_dry"]
    assert dry.details == {
        "group": "students",
        "segment": "small",
        "companies_kept": 40,
        "day": dry.details["day"],
        "replications": 2,
    }
    called = results.leads.dropna(subset=["first_attempt_day"])
    assert (called.groupby("replication").size() == 40).all()
    last = called.groupby("replication")["first_attempt_day"].max()
    assert dry.details["day"] == int(np.median(last)) + 1
    idle = [w for w in warnings.values() if w.code == "callers_idle"]
    assert idle and "targeted list (share_kept 0.1" in idle[0].message
    assert "Add companies" not in idle[0].message


def test_a_targeted_list_with_companies_left_or_shared_with_another_group_is_not_dry() -> None:
    large = sim.run(_targeted(share_kept=0.5, companies=20_000), replications=2, seed=1)
    assert "list_ran_dry" not in _codes(large)
    # Another group calls the same segment: the count cannot tell whose list ran dry.
    shared = sim.run(_targeted(share_kept=0.1, broad_callers=1), replications=2, seed=1)
    assert "list_ran_dry" not in _codes(shared)


@pytest.mark.slow  # about 6 s: two small experiments through the command line, charts drawn
def test_a_compare_or_sweep_folder_keeps_each_runs_warnings(tmp_path: Path, capsys) -> None:
    # Issue #10 audit: written to a folder (the command line), a comparison's or sweep's
    # manifest held `"warnings": {}` and nothing was printed, because the runs' tables had
    # left memory by the time the manifest was written.
    dry, wet = _scenario(companies=40, days=3), _scenario(companies=5000, days=3)
    for scenario in (dry, wet):
        scenario_path = tmp_path / f"{'dry' if scenario is dry else 'wet'}.yaml"
        scenario_path.write_text(yaml.safe_dump(scenario.model_dump(mode="json")))
    compared = tmp_path / "compared"
    args = ["-n", "2", "-j", "1", "-q"]
    files = [str(tmp_path / "dry.yaml"), str(tmp_path / "wet.yaml")]
    assert main(["compare", *files, *args, "--out", str(compared)]) == 0
    assert "callsim: warning: dry: student callers sat idle" in capsys.readouterr().err
    warnings = json.loads((compared / "manifest.json").read_text())["warnings"]
    assert {w["code"] for w in warnings["dry"]} >= {"callers_idle", "fresh_leads_ran_out"}
    run_folder = json.loads((compared / "runs" / "dry" / "manifest.json").read_text())
    assert warnings["dry"] == run_folder["warnings"]
    swept = tmp_path / "swept"
    vary = ["--vary", "segments.small.companies=40,5000"]
    assert main(["sweep", files[0], *vary, *args, "--out", str(swept)]) == 0
    assert "callsim: warning: p000: student callers sat idle" in capsys.readouterr().err
    warnings = json.loads((swept / "manifest.json").read_text())["warnings"]
    assert "callers_idle" in {w["code"] for w in warnings["p000"]}


def test_idle_callers_of_a_named_group_are_warned_of_once() -> None:
    # A profile whose callers are all in one named group: the profile's row and the group's
    # are the same callers, so one warning (for the group), not the same one twice.
    data = _scenario(companies=40).model_dump(mode="json")
    data["team"] = [{"profile": "student", "count": 4, "name": "juniors"}]
    results = sim.run(build(data), replications=2, seed=1)
    idle = [w for w in diagnose(results) if w.code == "callers_idle"]
    assert [w.details["row"] for w in idle] == ["juniors"]
    # Two groups of one profile: the profile's row (both) and each group's are all reported.
    data["team"] = [
        {"profile": "student", "count": 2, "name": "juniors"},
        {"profile": "student", "count": 2, "name": "seniors"},
    ]
    results = sim.run(build(data), replications=2, seed=1)
    rows = [w.details["row"] for w in diagnose(results) if w.code == "callers_idle"]
    assert rows == ["student", "juniors", "seniors"]
