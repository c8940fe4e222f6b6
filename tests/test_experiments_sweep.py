"""Parameter sweeps: designs, CRN across points, the sweep folder and its errors."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import sim
from sim.analysis.stats import paired_interval
from sim.analysis.sweep import MARGINAL_COLUMNS
from sim.api.designs import design_points, lhs_points, parse_vary
from sim.cli import main
from sim.errors import ExperimentError, ScenarioError
from sim.presentation.plots import plot_sweep_heatmap, save_folder_chart
from sim.presentation.plots.experiment_charts import varied_columns
from sim.scenario import Scenario

BASE = """\
name: sweep-test
horizon_days: 2
replications: 3
shift: {length_min: 240}
retry: {max_attempts: 3, long_term_callback_days: 1}
segments:
  small: {companies: 150}
  large: {companies: 80}
team:
  - {profile: student, count: 2}
  - {profile: experienced, count: 1}
"""
STANDARD = ["metric", "profile", "mean", "ci_low", "ci_high", "replications"]


def base_file(directory: Path) -> Path:
    path = directory / "base.yaml"
    path.write_text(BASE, encoding="utf-8")
    return path


# --- designs ----------------------------------------------------------------------------


def test_parse_vary_reads_lists_and_ranges() -> None:
    grid, rng = parse_vary(["team.0.count=1,2,3", "shift.length_min=120:300"])
    assert grid.values == (1, 2, 3) and not grid.is_range
    assert rng.is_range and (rng.low, rng.high) == (120.0, 300.0) and rng.integer
    for bad in (["team.0.count"], ["x=3:1"], ["x=a:b"], ["x=1,2", "x=3,4"], []):
        with pytest.raises(ExperimentError):
            parse_vary(bad)


def test_grid_is_the_full_product_first_path_slowest() -> None:
    points = design_points(parse_vary(["a=1,2", "b=7,8.5,null"]))
    assert points == [
        {"a": 1, "b": 7},
        {"a": 1, "b": 8.5},
        {"a": 1, "b": None},
        {"a": 2, "b": 7},
        {"a": 2, "b": 8.5},
        {"a": 2, "b": None},
    ]
    with pytest.raises(ExperimentError):
        design_points(parse_vary(["a=1:3"]))
    with pytest.raises(ExperimentError):
        design_points(parse_vary(["a=1,2"]), "lhs", 3)


def test_latin_hypercube_has_one_point_per_stratum_and_is_reproducible() -> None:
    factors = parse_vary(["x=0.0:1.0", "n=1:8"])
    points = lhs_points(factors, 8, seed=4)
    x = np.array([p["x"] for p in points])
    assert sorted(np.floor(x * 8).astype(int)) == list(range(8))
    assert sorted(p["n"] for p in points) == list(range(1, 9))  # integers: one per stratum
    assert all(isinstance(p["n"], int) for p in points)
    assert lhs_points(factors, 8, seed=4) == points
    assert lhs_points(factors, 8, seed=5) != points


# --- sweeps -----------------------------------------------------------------------------


def test_a_sweep_of_callers_reports_what_each_added_caller_brings() -> None:
    # Issue 10, question 4: "what does each added student bring to the team per day?"
    base = sim.scenario_from_mapping(__import__("yaml").safe_load(BASE))
    result = sim.sweep(base, {"team.0.count": [2, 3, 5]}, replications=3, seed=7)
    frame = result.to_frame()
    rows = frame[(frame["metric"] == "dials") & (frame["profile"] == "team")].set_index("point")
    assert np.isnan(rows.at[0, "marginal_mean"])
    assert varied_columns(frame) == ["team.0.count"]  # charts do not take them for parameters
    for point, step in ((1, 1), (2, 2)):
        before = result.observations[result.labels[point - 1]][("dials", "team")]
        after = result.observations[result.labels[point]][("dials", "team")]
        diff = paired_interval(before.to_numpy(), after.to_numpy())
        assert rows.at[point, "marginal_mean"] == pytest.approx(diff.mean / step)
        assert rows.at[point, "marginal_ci_low"] == pytest.approx(diff.low / step)
        assert rows.at[point, "marginal_mean"] > 0  # more callers, more team dials


def test_a_headcount_sweep_prints_what_each_added_caller_brings_in_plain_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["sweep", str(base_file(tmp_path)), "--vary", "team.0.count=1,2", "-n", "2"]
    assert main([*args, "--jobs", "1", "--quiet", "--out", str(tmp_path / "s")]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert "What each added unit of team.0.count (" in printed
    assert "brings to the team per day" in printed


@pytest.mark.slow
def test_grid_sweep_folder_follows_the_contract(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sweep"
    assert (
        main(
            [
                "sweep",
                str(base_file(tmp_path)),
                "--vary",
                "team.0.count=1,2",
                "--vary",
                "team.1.count=0,1",
                "-n",
                "2",
                "--seed",
                "3",
                "--jobs",
                "2",
                "--quiet",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert "team.0.count" in capsys.readouterr().out
    table = pd.read_csv(out / "sweep.csv")
    assert list(table.columns) == [
        "point",
        "team.0.count",
        "team.1.count",
        *STANDARD,
        *MARGINAL_COLUMNS,
    ]
    assert sorted(table["point"].unique()) == [0, 1, 2, 3]
    points = table.drop_duplicates("point").set_index("point")
    assert points.loc[1, "team.0.count"] == 1 and points.loc[1, "team.1.count"] == 1
    # No experienced callers at points 0 and 2: no rows for that profile there.
    assert not ((table["point"] == 0) & (table["profile"] == "experienced")).any()
    assert ((table["point"] == 1) & (table["profile"] == "experienced")).any()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["kind"] == "sweep" and manifest["varied"] == ["team.0.count", "team.1.count"]
    assert (out / "sweep_heatmap.png").stat().st_size > 1000
    assert not (out / "runs").exists() and not (tmp_path / "sweep.partial").exists()
    ax = plot_sweep_heatmap(table, "meetings", "all")
    assert ax.get_images()
    plt.close(ax.figure)


def test_sweep_points_share_random_numbers() -> None:
    # Two points with the same values are the same scenario: identical results (CRN), and a
    # point equal to the base equals a plain run of the base with the same seed.
    base = Scenario.model_validate(
        sim.scenario_from_mapping(__import__("yaml").safe_load(BASE)).model_dump(mode="json")
    )
    result = sim.sweep(base, {"team.0.count": [2, 3, 2]}, replications=2, seed=7)
    frame = result.to_frame().drop(columns=MARGINAL_COLUMNS)
    p0 = frame[frame["point"] == 0].drop(columns=["point", "team.0.count"]).reset_index(drop=True)
    p2 = frame[frame["point"] == 2].drop(columns=["point", "team.0.count"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(p0, p2)
    run = sim.run(base, replications=2, seed=7)
    assert result.confidence_interval("dials", point=0).mean == pytest.approx(
        run.confidence_interval("dials").mean
    )
    assert list(result.points.columns) == ["point", "team.0.count"]
    wide = result.summary()
    assert list(wide.columns) == ["point", "team.0.count", "meetings", "cost_per_meeting"]


@pytest.mark.slow
def test_lhs_sweep_with_one_path_draws_lines_and_keeps_runs(tmp_path: Path) -> None:
    out = tmp_path / "lhs"
    result = sim.sweep(
        base_file(tmp_path),
        ["shift.length_min=120:240"],
        design="lhs",
        points=3,
        replications=2,
        seed=1,
        out=out,
        keep_runs=True,
    )
    assert not list(out.glob("*.png")), "saving never draws: charts are the presentation's"
    assert save_folder_chart(out) == out / "sweep_lines.png"
    assert not (out / "sweep_heatmap.png").exists()
    assert sorted(p.name for p in (out / "runs").iterdir()) == ["p000", "p001", "p002"]
    run = sim.load(out / "runs" / "p001")
    assert run.scenario.shift.length_min == pytest.approx(
        result.point_values[1]["shift.length_min"]
    )
    assert len(run.leads) > 0


@pytest.mark.parametrize("values", [[], 3, "1,2", None])
def test_sweep_api_refuses_a_varied_path_without_a_list_of_values(
    tmp_path: Path, values: object
) -> None:
    with pytest.raises(ExperimentError, match=r"team\.0\.count"):
        sim.sweep(base_file(tmp_path), {"team.0.count": values}, replications=1)


def test_sweep_api_takes_one_vary_text_as_well_as_a_list(tmp_path: Path) -> None:
    base = base_file(tmp_path)
    one = sim.sweep(base, "team.0.count=1,2", replications=1, seed=3).to_frame()
    listed = sim.sweep(base, ["team.0.count=1,2"], replications=1, seed=3).to_frame()
    pd.testing.assert_frame_equal(one, listed)


def test_unknown_vary_path_is_a_scenario_error_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = base_file(tmp_path)
    with pytest.raises(ScenarioError, match=r"shift\.lenght_min"):
        sim.sweep(base, ["shift.lenght_min=100,200"], replications=2)
    for vary in ("team.5.count=1,2", "segments.small.companeis=10,20"):
        assert (
            main(["sweep", str(base), "--vary", vary, "--quiet", "--out", str(tmp_path / "o")]) == 2
        )
        err = capsys.readouterr().err
        assert vary.partition("=")[0] in err and "Traceback" not in err
    assert main(["sweep", str(base), "--quiet", "--out", str(tmp_path / "o")]) == 2
    assert (
        main(
            [
                "sweep",
                str(base),
                "--vary",
                "team.0.count=1:3",
                "--quiet",
                "--out",
                str(tmp_path / "o"),
            ]
        )
        == 2
    )  # a range needs --design lhs
    assert not (tmp_path / "o").exists()
