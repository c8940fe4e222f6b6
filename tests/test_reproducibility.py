"""Reproducibility: a run depends only on (scenario, seed, replication), never on how it runs."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.analysis.results import Results
from sim.cli import main
from sim.records.replication import simulate_replication
from sim.scenario import Scenario

TABLES = ("operator_days", "segment_days", "leads", "calls")
RESULT_FILES = (
    "operator_days.parquet",
    "segment_days.parquet",
    "leads.parquet",
    "calls.parquet",
    "summary.csv",
)


def mixed_scenario(name: str = "repro", **changes: object) -> Scenario:
    """Students and experienced callers on three small preset segments, one 4-hour day."""
    data = {
        "name": name,
        "horizon_days": 2,
        "shift": {"length_min": 240.0},
        "retry": {"max_attempts": 3, "long_term_callback_days": 1},
        "segments": {
            "small": {"companies": 150},
            "medium": {"companies": 100},
            "large": {"companies": 80},
        },
        "team": [
            {"profile": "student", "count": 2},
            {"profile": "experienced", "count": 1, "segments": {"small": 1, "large": 2}},
        ],
        **changes,
    }
    return Scenario.model_validate(data)


def assert_same_tables(a: Results, b: Results) -> None:
    for name in TABLES:
        left, right = getattr(a, name), getattr(b, name)
        if left is None or right is None:
            assert left is None and right is None, name
        else:
            pd.testing.assert_frame_equal(left, right, check_exact=True, obj=name)


def test_same_seed_gives_identical_replication_tables_including_the_call_log() -> None:
    scenario = mixed_scenario()
    first = simulate_replication(scenario, 11, 2, call_log=True)
    second = simulate_replication(scenario, 11, 2, call_log=True)
    assert first.calls is not None and len(first.calls) > 0
    for name in TABLES:
        pd.testing.assert_frame_equal(
            getattr(first, name), getattr(second, name), check_exact=True, obj=name
        )


def test_same_seed_gives_identical_run_results() -> None:
    scenario = mixed_scenario()
    assert_same_tables(
        sim.run(scenario, replications=2, seed=4, jobs=1, call_log=True),
        sim.run(scenario, replications=2, seed=4, jobs=1, call_log=True),
    )


def test_call_log_does_not_change_the_other_tables() -> None:
    scenario = mixed_scenario()
    with_log = simulate_replication(scenario, 11, 0, call_log=True)
    without = simulate_replication(scenario, 11, 0, call_log=False)
    assert without.calls is None
    for name in ("operator_days", "segment_days", "leads"):
        pd.testing.assert_frame_equal(
            getattr(with_log, name), getattr(without, name), check_exact=True, obj=name
        )


@pytest.mark.parametrize(
    ("seed_a", "rep_a", "seed_b", "rep_b"),
    [(11, 0, 12, 0), (11, 0, 11, 1)],
    ids=["different-seeds", "different-replications"],
)
def test_different_seeds_or_replications_give_different_tables(
    seed_a: int, rep_a: int, seed_b: int, rep_b: int
) -> None:
    scenario = mixed_scenario()
    a = simulate_replication(scenario, seed_a, rep_a, call_log=True)
    b = simulate_replication(scenario, seed_b, rep_b, call_log=True)
    assert a.calls is not None and b.calls is not None
    columns = ["day", "operator", "segment", "company", "outcome", "talk_min"]
    assert (
        not a.calls[columns].reset_index(drop=True).equals(b.calls[columns].reset_index(drop=True))
    )
    counts = ["dials", "answered", "dm_contacts", "talk_min"]
    assert not a.operator_days[counts].equals(b.operator_days[counts])


def test_jobs_one_and_jobs_two_give_identical_tables() -> None:
    scenario = mixed_scenario()
    serial = sim.run(scenario, replications=4, seed=9, jobs=1, call_log=True)
    parallel = sim.run(scenario, replications=4, seed=9, jobs=2, call_log=True)
    assert_same_tables(serial, parallel)
    assert list(parallel.operator_days["replication"].unique()) == [0, 1, 2, 3]


def test_a_replication_does_not_depend_on_how_many_replications_run() -> None:
    scenario = mixed_scenario()
    three = sim.run(scenario, replications=3, seed=9, jobs=1)
    alone = simulate_replication(scenario, 9, 2)
    part = three.operator_days[three.operator_days["replication"] == 2].reset_index(drop=True)
    pd.testing.assert_frame_equal(part, alone.operator_days, check_exact=True)


def test_scenario_name_does_not_change_the_results() -> None:
    a = sim.run(mixed_scenario(name="first"), replications=2, seed=6, jobs=1, call_log=True)
    b = sim.run(mixed_scenario(name="second-name"), replications=2, seed=6, jobs=1, call_log=True)
    assert_same_tables(a, b)


def test_common_random_numbers_companies_meet_the_same_answers_whatever_the_team_size() -> None:
    # One profile only, its callers alike (no personal skill spread), so every caller compiles
    # the same call thresholds: the outcome of a company's k-th attempt depends only on the
    # company's own stream and what it has answered before. A bigger team calls more
    # companies, but the ones both teams call answer alike, attempt by attempt.
    def call_log(students: int) -> pd.DataFrame:
        scenario = mixed_scenario(
            team=[{"profile": "student", "count": students}],
            profiles={"student": {"skill_spread": 0.0}},
        )
        calls = simulate_replication(scenario, 21, 0, call_log=True).calls
        assert calls is not None
        return calls.assign(
            segment=calls["segment"].astype(str),
            outcome=calls["outcome"].astype(str),
            gatekeeper=calls["gatekeeper"].astype(str),
        )

    keys = ["segment", "company", "attempt"]
    paths = ["outcome", "gatekeeper", "referral_hops"]
    small, large = call_log(2), call_log(3)
    both = small[keys + paths].merge(large[keys + paths], on=keys, suffixes=("_2", "_3"))
    assert len(both) > 100
    for column in paths:
        pd.testing.assert_series_equal(both[f"{column}_2"], both[f"{column}_3"], check_names=False)


def write_scenario(tmp_path: Path) -> Path:
    path = tmp_path / "repro.yaml"
    path.write_text(
        "name: repro-cli\n"
        "horizon_days: 2\n"
        "shift: {length_min: 240}\n"
        "segments:\n"
        "  small: {companies: 200}\n"
        "  large: {companies: 100}\n"
        "team:\n"
        "  - {profile: student, count: 2}\n"
        "  - {profile: experienced, count: 1}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.slow
def test_cli_jobs_one_and_two_write_byte_identical_results(tmp_path: Path) -> None:
    scenario = write_scenario(tmp_path)
    common = ["run", str(scenario), "--replications", "3", "--seed", "5", "--call-log", "--quiet"]
    assert main([*common, "--jobs", "1", "--out", str(tmp_path / "A")]) == 0
    assert main([*common, "--jobs", "2", "--out", str(tmp_path / "B")]) == 0
    for name in RESULT_FILES:
        a, b = (tmp_path / "A" / name).read_bytes(), (tmp_path / "B" / name).read_bytes()
        assert a == b, name

    def manifest(folder: str) -> dict[str, object]:
        data = json.loads((tmp_path / folder / "manifest.json").read_text())
        assert isinstance(data.pop("wall_time_s"), float | int)
        return data

    assert manifest("A") == manifest("B")
