"""Sensitivity analysis: effects maths, the experiment on CRN, its folder, the command line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import sim
from sim.analysis.sensitivity import (
    EFFECT_COLUMNS,
    Parameter,
    Sensitivity,
    morris_design,
    morris_points,
    oat_points,
)
from sim.analysis.target import TargetMetric
from sim.cli import main
from sim.errors import ExperimentError
from tests.builders import build, constant_scenario

TARGET = TargetMetric("meetings", "all")
PARAMS = [Parameter("a", 0.0, 1.0, base=0.5), Parameter("b", 10.0, 20.0, base=15.0)]


def linear_values(labels_points: list[tuple[str, dict]], n: int = 6) -> pd.DataFrame:
    """y = 4 a - 0.1 b + shared noise (common random numbers: the same noise at every point)."""
    noise = np.random.default_rng(0).normal(0.0, 0.5, n)
    columns = {}
    for label, point in labels_points:
        a = point.get("a", 0.5)
        b = point.get("b", 15.0)
        columns[label] = 4.0 * a - 0.1 * b + noise
    return pd.DataFrame(columns)


def test_oat_effects_are_paired_differences_ranked_by_swing() -> None:
    points = oat_points(PARAMS)
    assert [label for label, _ in points] == ["base", "x0-low", "x0-high", "x1-low", "x1-high"]
    result = Sensitivity("base", "oat", PARAMS, TARGET, linear_values(points), 1, 6)
    frame = result.to_frame()
    assert list(frame.columns) == EFFECT_COLUMNS
    assert list(frame["parameter"]) == ["a", "b"]  # |swing| 4 before 1
    a, b = frame.iloc[0], frame.iloc[1]
    assert a["swing"] == pytest.approx(4.0)
    assert b["swing"] == pytest.approx(-1.0)
    assert a["low_effect"] == pytest.approx(-2.0) and a["high_effect"] == pytest.approx(2.0)
    # The noise is common to every point, so the paired intervals have no width.
    assert a["swing_ci_low"] == pytest.approx(a["swing_ci_high"])
    assert np.isnan(a["mu_star"])


def test_morris_mu_is_the_linear_swing_over_the_range() -> None:
    design = morris_design(PARAMS, trajectories=6, levels=4, seed=5)
    assert design.shape == (6 * 3, 2)
    assert design[:, 0].min() >= 0.0 and design[:, 1].max() <= 20.0
    points = oat_points(PARAMS) + morris_points(PARAMS, design)
    result = Sensitivity(
        "base", "morris", PARAMS, TARGET, linear_values(points), 5, 6, design, levels=4
    )
    frame = result.to_frame().set_index("parameter")
    assert frame.loc["a", "mu"] == pytest.approx(4.0)
    assert frame.loc["b", "mu"] == pytest.approx(-1.0)
    assert frame.loc["a", "mu_star"] == pytest.approx(4.0)
    assert frame.loc["a", "sigma"] == pytest.approx(0.0, abs=1e-9)  # linear: no spread
    assert frame.loc["a", "rank"] == 1
    assert len(result.points()) == 5 + 18


def team(**changes) -> sim.Scenario:
    settings = {"horizon_days": 1, "replications": 4, "seed": 3, **changes}
    return build(
        constant_scenario({"companies": 500, "needs": {"immediate_prob": 0.2}}, **settings)
    )


def test_sensitivity_runs_every_point_on_common_random_numbers(tmp_path: Path) -> None:
    result = sim.sensitivity(
        team(),
        ["profiles.caller.discovery_skill=0.5:2.0", "profiles.caller.pay.fixed_per_month=1:2"],
        "meetings",
        method="oat",
        out=tmp_path / "sens",
    )
    frame = result.to_frame()
    assert result.target == TargetMetric("meetings", "all")  # the headcount does not vary
    pay = frame.set_index("parameter").loc["profiles.caller.pay.fixed_per_month"]
    # Pay does not change a single call: on common random numbers every effect is exactly 0.
    assert pay["swing"] == 0 and pay["swing_ci_low"] == 0 and pay["swing_ci_high"] == 0
    skill = frame.set_index("parameter").loc["profiles.caller.discovery_skill"]
    assert skill["swing"] > 0 and skill["swing_ci_low"] > 0
    assert skill["base_value"] == 1.0
    again = sim.load(tmp_path / "sens")
    assert isinstance(again, Sensitivity)
    pd.testing.assert_frame_equal(again.to_frame(), frame)
    written = pd.read_csv(tmp_path / "sens" / "effects.csv")
    assert list(written.columns) == EFFECT_COLUMNS
    assert sorted(p.name for p in (tmp_path / "sens").iterdir()) == [
        "effects.csv",
        "manifest.json",
        "points.csv",
        "values.parquet",
    ]


def test_team_is_the_default_group_when_the_headcount_varies() -> None:
    result = sim.sensitivity(team(replications=2), ["team.0.count=1:2"], "meetings", method="oat")
    assert result.target.group == "team"
    assert list(result.points()["team.0.count"]) == [1, 1, 2]


def test_sensitivity_refuses_bad_requests() -> None:
    with pytest.raises(ExperimentError, match="range lo:hi"):
        sim.sensitivity(team(), ["team.0.count=1,2"], "meetings")
    with pytest.raises(ExperimentError, match="unknown method"):
        sim.sensitivity(team(), ["team.0.count=1:2"], "meetings", method="sobol")
    with pytest.raises(ExperimentError, match="levels"):
        sim.sensitivity(team(), ["team.0.count=1:2"], "meetings", levels=3)
    with pytest.raises(ExperimentError, match="at least one --vary"):
        sim.sensitivity(team(), [], "meetings")
    with pytest.raises(ExperimentError, match="needs a metric"):
        sim.sensitivity(team(), ["team.0.count=1:2"])


def write(path: Path, scenario: dict) -> Path:
    path.write_text(yaml.safe_dump(scenario, sort_keys=False), encoding="utf-8")
    return path


def scenario_files(directory: Path) -> tuple[Path, Path]:
    segment = {"companies": 500, "needs": {"immediate_prob": 0.2}}
    common = {"horizon_days": 1, "replications": 3, "seed": 3}
    return (
        write(directory / "a.yaml", constant_scenario(segment, callers=1, **common)),
        write(directory / "b.yaml", constant_scenario(segment, callers=2, **common)),
    )


def test_cli_sensitivity_writes_effects_and_tornado(tmp_path: Path, capsys) -> None:
    a, _ = scenario_files(tmp_path)
    out = tmp_path / "sens"
    args = ["sensitivity", str(a), "--vary", "profiles.caller.discovery_skill=0.5:2"]
    code = main([*args, "--metric", "meetings", "--method", "oat", "-o", str(out), "-j", "1"])
    assert code == 0
    text = capsys.readouterr().out
    assert "profiles.caller.discovery_skill" in text and "swing 95% CI" in text
    assert (out / "tornado.png").stat().st_size > 0
    assert main([*args, "-o", str(out), "-j", "1"]) == 2  # no --metric
    assert "--metric" in capsys.readouterr().err


@pytest.mark.slow  # a compare folder plus the search: about 3 s
def test_cli_break_even_out_of_range_is_not_an_error(tmp_path: Path, capsys) -> None:
    a, b = scenario_files(tmp_path)
    out = tmp_path / "cmp"
    # One caller against two: per team-day A has fewer meetings whatever its skill in 0.5..1.
    code = main(
        [
            "compare",
            str(a),
            str(b),
            "--break-even",
            "profiles.caller.discovery_skill=0.5:1",
            "--break-even-points",
            "2",
            "--metric",
            "meetings",
            "-o",
            str(out),
            "-j",
            "1",
            "-q",
        ]
    )
    assert code == 0
    text = capsys.readouterr().out
    assert "no break-even in range: b's meetings is higher" in text
    row = pd.read_csv(out / "break_even.csv").iloc[0]
    assert row["status"] == "none in range: b higher" and np.isnan(row["break_even"])
    assert len(pd.read_csv(out / "break_even_points.csv")) == 2
    assert sim.load(out).labels == ["a", "b"]  # still a comparison folder


def test_cli_break_even_needs_a_metric_and_two_files(tmp_path: Path, capsys) -> None:
    a, b = scenario_files(tmp_path)
    base = ["compare", str(a), str(b), "--break-even", "profiles.caller.discovery_skill=0:1"]
    assert main([*base, "-o", str(tmp_path / "x")]) == 2
    assert "--metric" in capsys.readouterr().err
    assert main([*base, "--metric", "meetings", "--precision", "0.1"]) == 2
    assert "--precision" in capsys.readouterr().err
    assert main([*base[:3], str(a), *base[3:], "--metric", "meetings"]) == 2
    assert "exactly two" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_a_team_group_row_can_be_the_metric_group() -> None:
    # Issue #10: each team group is a row of its own, so `--metric M:GROUP` may name one.
    scenario = team(
        team=[
            {"profile": "caller", "count": 1, "name": "north"},
            {"profile": "caller", "count": 2, "name": "south"},
        ]
    )
    result = sim.sensitivity(
        scenario, ["profiles.caller.discovery_skill=0.5:2.0"], "meetings:south", method="oat"
    )
    assert result.target == TargetMetric("meetings", "south")
    base = result.to_frame().iloc[0]["base_mean"]
    # The base point is the scenario as written: the same number as the run's own group row.
    assert base == pytest.approx(
        sim.run(scenario).confidence_interval("meetings", profile="south").mean
    )
    with pytest.raises(ExperimentError, match="north, south"):
        sim.sensitivity(scenario, ["team.0.count=1:2"], "meetings:west", method="oat")


@pytest.mark.parametrize("path", ["seed", "replications"])
def test_sensitivity_and_break_even_refuse_to_vary_the_run_settings(path: str) -> None:
    # Issue #10 audit: `--vary seed=1:5` ran 23 points on one root seed and reported an effect
    # of exactly 0 (the sweep refused it; these did not).
    with pytest.raises(ExperimentError, match=f"{path} cannot be varied"):
        sim.sensitivity(team(), [f"{path}=1:5"], "meetings")
    with pytest.raises(ExperimentError, match=f"{path} cannot be varied"):
        sim.break_even(team(), team(), f"{path}=1:5", "meetings")
