"""Break-even search: the root-finding maths, and the proof on a closed-form configuration."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

import sim
from sim.analysis.break_even import find_break_even, interpolated_roots
from sim.analysis.target import TargetMetric
from sim.errors import ExperimentError
from tests.builders import build, constant_scenario

TARGET = TargetMetric("meetings", "team")


def linear_model(slope: float, intercept: float, noise: float, n: int = 40, seed: int = 3):
    """``evaluate`` for A(p) = intercept + slope * p + common noise (CRN: same noise at every p)."""
    shared = np.random.default_rng(seed).normal(0.0, noise, n)

    def evaluate(values: Sequence[float]) -> list[np.ndarray]:
        return [intercept + slope * v + shared for v in values]

    return evaluate


def search(evaluate, b_values: np.ndarray, low: float = 0.0, high: float = 10.0, **kw):
    return find_break_even(
        evaluate,
        b_values,
        path="x",
        low=low,
        high=high,
        scenario="a",
        against="b",
        target=TARGET,
        **kw,
    )


def test_interpolated_roots_finds_every_crossing() -> None:
    values = np.array([0.0, 1.0, 2.0, 3.0])
    assert interpolated_roots(values, np.array([-1.0, 1.0, 1.0, -3.0])).tolist() == [0.5, 2.25]
    assert interpolated_roots(values, np.array([1.0, 0.0, 2.0, 3.0])).tolist() == [1.0]
    assert len(interpolated_roots(values, np.array([1.0, 2.0, 2.0, 3.0]))) == 0


def test_linear_difference_root_is_found_with_an_interval_around_it() -> None:
    n = 40
    rng = np.random.default_rng(7)
    b = 10.0 + rng.normal(0.0, 1.0, n)
    # A(p) = 2 p + noise: equal to B's expectation (10) at p = 5.
    result = search(linear_model(2.0, 0.0, 1.0, n), b)
    assert result.found and result.crossings == 1
    diff_mean = float(np.mean(2.0 * 5.0 + np.random.default_rng(3).normal(0.0, 1.0, n) - b))
    # The difference is exactly linear, so the interpolated root is exact for the sample.
    assert result.estimate == pytest.approx(5.0 - diff_mean / 2.0, abs=1e-9)
    assert result.ci_low < result.estimate < result.ci_high
    assert result.ci_low < 5.0 < result.ci_high
    assert not (result.ci_low_open or result.ci_high_open)
    frame = result.to_frame()
    assert frame.loc[0, "status"] == "found"
    assert frame.loc[0, "evaluations"] == len(result.values) > 5  # grid plus Brent's steps
    points = result.points()
    assert list(points["value"]) == sorted(points["value"])


def test_no_crossing_says_which_side_is_higher() -> None:
    b = np.zeros(20)
    result = search(linear_model(1.0, 100.0, 1.0, 20), b)
    assert not result.found and result.estimate is None
    assert result.above == "a"
    assert result.to_frame().loc[0, "status"] == "none in range: a higher"
    assert np.isnan(result.to_frame().loc[0, "break_even"])
    assert len(result.values) == 5  # the grid only


def test_root_near_the_edge_gets_an_open_interval() -> None:
    n = 10
    b = np.full(n, 0.2)
    # A(p) = p + large noise: the root 0.2 sits near low = 0; resamples fall below the range.
    result = search(linear_model(1.0, 0.0, 3.0, n), b)
    assert result.found
    assert result.ci_low_open and result.ci_low == 0.0


def test_whole_number_parameters_use_every_whole_number() -> None:
    evaluate = linear_model(2.0, 0.0, 0.5)
    result = search(evaluate, np.full(40, 7.0), low=1, high=6, whole=True)
    assert result.values.tolist() == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert 3.0 < result.estimate < 4.0


# --- the proof: a configuration whose crossing is known in closed form ------------------------

SHIFT = {"length_min": 120.0, "break_every_min": None, "break_length_min": 0.0}
# Every attempt takes 0.5 min dialling + 2 min talking, whatever its outcome: 48 attempts per
# caller-day, each reaching the DM, with an immediate need (a meeting) with probability
# 0.1 x discovery_skill. Meetings per team-day are 48 * 0.1 * skill * callers: linear in skill.
SEGMENT = {
    "companies": 1000,
    "needs": {
        "immediate_prob": 0.1,
        "talk_time_immediate": 2.0,
        "talk_time_long_term": 2.0,
        "talk_time_no_need": 2.0,
        "talk_time_refusal": 2.0,
        "meeting_booking_talk_time": 0.0,
    },
}


def team(callers: int, pay_per_day: float, name: str):
    return build(
        constant_scenario(
            SEGMENT,
            {"pay": {"fixed_per_month": pay_per_day * 22, "working_days_per_month": 22}},
            callers=callers,
            name=name,
            horizon_days=2,
            replications=20,
            seed=11,
            shift=SHIFT,
        )
    )


@pytest.mark.slow  # about 3 s each: some 180 replications of the tiny scenario
@pytest.mark.parametrize("metric", ["meetings", "cost_per_meeting"])
def test_break_even_matches_the_closed_form_crossing(metric: str) -> None:
    # A: 2 callers paid 1.5 units/day with skill s; B: 3 callers paid 1 unit/day with skill 1.
    # Meetings per team-day: A = 2 * 4.8 s, B = 3 * 4.8, equal at s = 1.5. Cost per meeting:
    # A = 1.5 / (4.8 s), B = 1 / 4.8, equal at s = 1.5 too.
    a, b = team(2, 1500.0, "pair"), team(3, 1000.0, "trio")
    result = sim.break_even(a, b, "profiles.caller.discovery_skill=0.5:3.0", metric)
    assert result.target.group == "team"  # the headcounts differ
    assert result.found and result.crossings == 1
    assert result.ci_low < 1.5 < result.ci_high, result.to_frame().T
    assert result.ci_high - result.ci_low < 0.6  # and the interval is informative
    # Every evaluation was paired with B on the same seeds: A at the grid's ends brackets B.
    points = result.points()
    assert points["diff_mean"].iloc[0] < 0 < points["diff_mean"].iloc[-1] or metric != "meetings"


def test_break_even_refuses_a_list_of_values_and_a_bad_metric() -> None:
    a, b = team(2, 1500.0, "pair"), team(3, 1000.0, "trio")
    with pytest.raises(ExperimentError, match="range lo:hi"):
        sim.break_even(a, b, "profiles.caller.discovery_skill=1,2", "meetings")
    with pytest.raises(ExperimentError, match="unknown metric"):
        sim.break_even(a, b, "profiles.caller.discovery_skill=1:2", "meetngs")
    with pytest.raises(ExperimentError, match="unknown group"):
        sim.break_even(a, b, "profiles.caller.discovery_skill=1:2", "meetings:nobody")


def test_a_bad_break_even_path_stops_before_the_comparison_runs(tmp_path: Path, capsys) -> None:
    # Issue 14: checks that could fail only after the simulation run before it.
    from sim.cli import main

    root = Path(__file__).resolve().parent.parent / "scenarios"
    out = tmp_path / "cmp"
    status = main(
        [
            "compare",
            str(root / "students-small-firms.yaml"),
            str(root / "students-vs-experienced.yaml"),
            "--break-even",
            "profiles.nosuch.discovery_skill=0.5:1",
            "--metric",
            "meetings",
            "-n",
            "2",
            "-q",
            "--out",
            str(out),
        ]
    )
    assert status == 2
    assert "no profile 'nosuch'" in capsys.readouterr().err
    assert not out.exists()


def test_break_even_refuses_files_that_differ_in_seed_or_replications() -> None:
    # Issue #10: like compare, never silently take the first scenario's seed or replications.
    a = team(2, 1500.0, "pair")
    other_seed = a.model_copy(update={"seed": 12})
    other_reps = a.model_copy(update={"replications": 7})
    vary = "profiles.caller.discovery_skill=0.5:3.0"
    with pytest.raises(ExperimentError, match="differ in seed"):
        sim.break_even(a, other_seed, vary, "meetings")
    with pytest.raises(ExperimentError, match="differ in replications"):
        sim.break_even(a, other_reps, vary, "meetings")
    given = sim.break_even(a, other_seed, vary, "meetings", seed=5, replications=2, points=2)
    assert given.replications == 2


@pytest.mark.slow  # about 4 s: a comparison, then a break-even search on the resumed one
def test_a_bad_break_even_path_stops_before_a_resumed_comparison_completes(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    # Issue 14: with --resume too, the break-even is checked on the unfinished comparison's
    # scenarios before it is completed (it used to be checked only after).
    import importlib

    import yaml

    from sim.cli import main

    files = []
    for callers, name in ((2, "pair"), (3, "trio")):
        path = tmp_path / f"{name}.yaml"
        path.write_text(yaml.safe_dump(team(callers, 1500.0, name).model_dump(mode="json")))
        files.append(str(path))
    out = tmp_path / "cmp"

    def broken(*args, **kwargs):
        raise OSError("disk full")

    module = importlib.import_module("sim.api.compare")
    with monkeypatch.context() as patched:
        patched.setattr(module, "write_comparison_files", broken)
        with pytest.raises(OSError, match="disk full"):
            sim.compare(files, replications=2, out=out)
    work = tmp_path / "cmp.partial"
    assert work.is_dir() and not out.exists()
    before = sorted(p.relative_to(work) for p in work.rglob("*"))
    args = ["compare", "--resume", str(out), "--metric", "meetings", "-q", "--jobs", "1"]
    status = main([*args, "--break-even", "profiles.nosuch.discovery_skill=0.5:1"])
    assert status == 2
    assert "no profile 'nosuch'" in capsys.readouterr().err
    assert not out.exists(), "the comparison was completed before the break-even was checked"
    assert sorted(p.relative_to(work) for p in work.rglob("*")) == before
    status = main([*args, "--break-even", "profiles.caller.discovery_skill=0.5:1"])
    assert status == 0, capsys.readouterr().err
    assert (out / "break_even.csv").is_file()
