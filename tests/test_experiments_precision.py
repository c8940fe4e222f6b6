"""Precision targets: replications are added in batches until the CI is tight enough."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

import sim
from sim.analysis.observations import observations
from sim.analysis.stats import Interval, t_interval
from sim.cli import main
from sim.errors import ExperimentError
from sim.execution.precision import PrecisionTarget, is_precise, next_total, relative_half_width
from sim.scenario import Scenario


def scenario(students: int = 2) -> Scenario:
    return Scenario.model_validate(
        {
            "name": "precision",
            "horizon_days": 1,
            "shift": {"length_min": 120.0},
            "segments": {"small": {"companies": 300}},
            "team": [
                {"profile": "student", "count": students},
                {"profile": "experienced", "count": 1},
            ],
        }
    )


def boundaries(
    target: PrecisionTarget, first: int, values_at: Callable[[int], Interval]
) -> list[int]:
    """Replay the batch schedule: the totals at which the engine checks the target."""
    n, seen = first, [first]
    while True:
        interval = values_at(n)
        if is_precise(target, [interval]) or n >= target.max_replications:
            return seen
        n = next_total(target, n, [interval])
        seen.append(n)


@pytest.mark.slow
def test_run_stops_at_the_first_batch_whose_interval_is_tight_enough() -> None:
    target = 0.03
    results = sim.run(
        scenario(), replications=3, seed=2, precision=target, metric="dials", max_replications=400
    )
    report = results.extra_manifest["precision"]
    n = results.replications
    assert report["reached"] and report["replications"] == n and n > 3
    values = results.replication_values("dials").to_numpy()
    final = t_interval(values)
    assert final.half_width <= target * final.mean
    # Every earlier check point was not yet precise enough (so it did not stop too late).
    spec = PrecisionTarget(target, "dials", max_replications=400)
    schedule = boundaries(spec, 3, lambda k: t_interval(values[:k]))
    assert schedule[-1] == n
    for k in schedule[:-1]:
        assert relative_half_width(t_interval(values[:k])) > target


def test_precision_on_a_ratio_uses_the_delta_method_and_respects_the_cap() -> None:
    results = sim.run(
        scenario(),
        replications=2,
        seed=2,
        precision=0.001,
        metric="cost_per_dm_contact:student",
        max_replications=7,
    )
    report = results.extra_manifest["precision"]
    assert results.replications == 7 and not report["reached"]
    obs = observations(results.operator_days, results.profiles())
    ci = t_interval(obs[("cost_per_dm_contact", "student")].to_numpy())
    assert report["relative_half_width"] == pytest.approx(ci.half_width / ci.mean)


@pytest.mark.slow
def test_precision_is_the_same_on_any_executor(tmp_path: Path) -> None:
    common = {"replications": 2, "seed": 4, "precision": 0.05, "metric": "dm_contacts"}
    one = sim.run(scenario(), jobs=1, out=tmp_path / "one", **common)
    two = sim.run(scenario(), jobs=2, out=tmp_path / "two", **common)
    assert one.replications == two.replications > 2
    for name in ("operator_days.parquet", "summary.csv"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    manifest = json.loads((tmp_path / "one" / "manifest.json").read_text())
    assert manifest["precision"]["replications"] == one.replications


@pytest.mark.slow
def test_compare_with_precision_keeps_scenarios_paired() -> None:
    comparison = sim.compare(
        [scenario(2), scenario(3)],
        replications=2,
        seed=1,
        precision=0.05,
        metric="dials",
        max_replications=60,
    )
    table = comparison.to_frame()
    assert table["replications"].max() == comparison.replications
    assert comparison.precision is not None
    for label in comparison.labels:
        ci = comparison.confidence_interval("dials", scenario=label)
        assert ci.n == comparison.replications
        if comparison.precision["reached"]:
            assert ci.half_width <= 0.05 * ci.mean


def test_precision_options_are_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        "name: p\nhorizon_days: 1\nsegments: {small: {companies: 100}}\n"
        "team: [{profile: student, count: 1}]\n",
        encoding="utf-8",
    )
    out = ["--out", str(tmp_path / "o"), "--quiet"]
    assert main(["run", str(path), "--precision", "0.05", *out]) == 2
    assert "--metric" in capsys.readouterr().err
    assert main(["run", str(path), "--metric", "dials", *out]) == 2
    assert main(["run", str(path), "--precision", "0.05", "--metric", "bogus", *out]) == 2
    assert "bogus" in capsys.readouterr().err
    assert main(["run", str(path), "--precision", "0.05", "--metric", "dials:nobody", *out]) == 2
    assert main(["run", str(path), "--precision", "1.5", "--metric", "dials", *out]) == 2
    assert not (tmp_path / "o").exists()
    with pytest.raises(ExperimentError):
        PrecisionTarget.parse(0.1, None)


def test_precision_may_target_a_team_group_row() -> None:
    # Issue #10 audit: each team group is a row, but `--metric dials:seniors` was refused
    # ("not on any team") by --precision.
    named = scenario().model_copy(
        update={
            "team": [
                scenario().team[0],
                scenario().team[1].model_copy(update={"name": "seniors"}),
            ]
        }
    )
    results = sim.run(
        named, replications=2, seed=2, precision=0.5, metric="dials:seniors", max_replications=4
    )
    report = results.extra_manifest["precision"]
    assert report["profile"] == "seniors" and report["reached"], report
    with pytest.raises(ExperimentError, match=r"profiles and team groups: .*seniors"):
        sim.run(named, replications=2, precision=0.5, metric="dials:juniors")
