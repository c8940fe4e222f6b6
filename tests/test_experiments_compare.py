"""Scenario comparison under common random numbers: paired differences, CRN, outputs, stats."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from scipy import stats

import sim
from sim.analysis.comparison import COMPARISON_COLUMNS
from sim.analysis.observations import observations
from sim.analysis.quota import quota_attainment
from sim.analysis.stats import paired_interval, ratio_pseudo_values, t_interval, variance_ratio
from sim.cli import main
from sim.presentation.plots import plot_comparison
from sim.records.kpis import HEADLINE_METRICS
from sim.scenario import Scenario

SCENARIO = """\
name: crn-{name}
horizon_days: 2
replications: 6
shift: {{length_min: 240}}
retry: {{max_attempts: 3, long_term_callback_days: 1}}
segments:
  small: {{companies: 150}}
  large: {{companies: 80}}
profiles:
  student:
    quota:
      - {{counts: calls_excl_busy_no_answer, target: 30}}
team:
  - {{profile: student, count: {students}}}
  - {{profile: experienced, count: 1}}
"""


def scenario_file(directory: Path, stem: str, students: int = 2, name: str = "a") -> Path:
    path = directory / f"{stem}.yaml"
    path.write_text(SCENARIO.format(name=name, students=students), encoding="utf-8")
    return path


def scenario(students: int = 2) -> Scenario:
    return Scenario.model_validate(
        {
            "name": f"s{students}",
            "horizon_days": 2,
            "shift": {"length_min": 240.0},
            "retry": {"max_attempts": 3, "long_term_callback_days": 1},
            "segments": {"small": {"companies": 150}, "large": {"companies": 80}},
            "team": [
                {"profile": "student", "count": students},
                {"profile": "experienced", "count": 1},
            ],
        }
    )


# --- statistics -------------------------------------------------------------------------


def test_delta_method_pseudo_values_give_the_ratio_of_totals_and_its_variance() -> None:
    rng = np.random.default_rng(1)
    num, den = rng.gamma(5.0, 2.0, 50), rng.gamma(8.0, 1.0, 50)
    u = ratio_pseudo_values(num, den, 100.0)
    ratio = num.sum() / den.sum()
    assert u.mean() == pytest.approx(100.0 * ratio, rel=1e-12)
    # Delta-method variance of R = mean(num)/mean(den): (s_nn - 2R s_nd + R^2 s_dd) / dbar^2.
    cov = np.cov(num, den)
    var = (cov[0, 0] - 2 * ratio * cov[0, 1] + ratio**2 * cov[1, 1]) / den.mean() ** 2
    assert u.var(ddof=1) == pytest.approx(100.0**2 * var, rel=1e-9)
    # And agrees with a bootstrap of the ratio of totals to within a few percent.
    boot = stats.bootstrap(
        (num, den),
        lambda a, b, axis=-1: a.mean(axis) / b.mean(axis),
        paired=True,
        n_resamples=2000,
        random_state=3,
    )
    assert boot.standard_error == pytest.approx(np.sqrt(var / 50), rel=0.15)
    assert np.isnan(ratio_pseudo_values(num, np.zeros(50))).all()


def test_paired_interval_and_variance_ratio() -> None:
    a = np.array([1.0, 2.0, 4.0, 3.0, np.nan])
    assert paired_interval(a, a).mean == 0.0 and paired_interval(a, a).half_width == 0.0
    assert variance_ratio(a, a) == 0.0
    b = a + np.array([0.1, -0.1, 0.2, 0.0, 1.0])
    ci = paired_interval(a, b)
    assert ci.n == 4 and ci.mean == pytest.approx(0.05)
    assert variance_ratio(a, b) < 0.1
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=4000), rng.normal(size=4000)
    assert variance_ratio(x, y) == pytest.approx(1.0, abs=0.08)  # independent streams


# --- compare ----------------------------------------------------------------------------


@pytest.mark.slow
def test_identical_scenario_files_give_exactly_zero_differences(tmp_path: Path) -> None:
    a, b = scenario_file(tmp_path, "a"), scenario_file(tmp_path, "b")
    comparison = sim.compare([a, b], replications=4, seed=2)
    table = comparison.to_frame()
    other = table[table["label"] == "b"]
    assert len(other) > 50
    assert (other["diff_mean"] == 0.0).all()
    finite = other.dropna(subset=["diff_ci_low"])
    assert (finite["diff_ci_low"] == 0.0).all() and (finite["diff_ci_high"] == 0.0).all()
    assert ((other["var_ratio"] == 0.0) | other["var_ratio"].isna()).all()
    assert (other["var_ratio"] == 0.0).sum() > 20
    base = table[table["label"] == "a"]
    assert base[["diff_mean", "var_ratio"]].isna().all().all()
    assert comparison.difference("meetings", "b").mean == 0.0


@pytest.mark.slow
def test_crn_variance_ratio_is_well_below_one_for_a_one_caller_change() -> None:
    comparison = sim.compare([scenario(2), scenario(3)], replications=10, seed=5)
    for metric in ("dm_contacts", "gatekeeper_contacts", "cost_per_dm_contact"):
        ratio = comparison.variance_ratio(metric, "s3")
        assert ratio < 0.5, (metric, ratio)
    # The paired interval is correspondingly narrower than an unpaired one would be.
    a = comparison.observations["s2"][("dm_contacts", "all")].to_numpy()
    b = comparison.observations["s3"][("dm_contacts", "all")].to_numpy()
    unpaired = stats.ttest_ind(b, a).confidence_interval()
    paired = comparison.difference("dm_contacts", "s3")
    assert paired.half_width < (unpaired.high - unpaired.low) / 2


@pytest.mark.slow
def test_compare_folder_follows_the_contract(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = scenario_file(tmp_path, "base")
    b = scenario_file(tmp_path, "more", students=3, name="b")
    out = tmp_path / "cmp"
    assert (
        main(
            [
                "compare",
                str(a),
                str(b),
                str(a),
                "-n",
                "3",
                "--seed",
                "1",
                "--jobs",
                "1",
                "--quiet",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "var ratio" in printed and "Quota attainment" in printed
    table = pd.read_csv(out / "comparison.csv")
    assert list(table.columns) == COMPARISON_COLUMNS
    assert list(dict.fromkeys(table["label"])) == ["base", "more", "base-2"]
    assert set(table["scenario"]) == {"crn-a", "crn-b"}
    assert (table["baseline"] == "base").all()
    assert set(table["profile"]) == {"student", "experienced", "all", "team"}
    assert {"meetings", "cost_per_meeting", "quota_met", "quota_norm_p80"} <= set(table["metric"])
    assert (table["replications"] == 3).any()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["tool"] == "callsim" and manifest["kind"] == "compare"
    assert (out / "comparison.png").stat().st_size > 1000
    for label in ("base", "more", "base-2"):
        run = sim.load(out / "runs" / label)
        assert run.replications == 3 and run.seed == 1
    # The per-scenario means are those of each run's observations.
    loaded = sim.load(out / "runs" / "more")
    dm = table[
        (table["label"] == "more")
        & (table["metric"] == "dm_contacts")
        & (table["profile"] == "all")
    ]
    assert dm["mean"].iloc[0] == pytest.approx(
        loaded.confidence_interval("dm_contacts").mean, rel=1e-5
    )


def test_compare_needs_two_scenarios_and_refuses_bad_requests(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = scenario_file(tmp_path, "a")
    assert main(["compare", str(a), "--out", str(tmp_path / "o"), "--quiet"]) == 2
    assert (
        main(
            [
                "compare",
                str(a),
                str(a),
                "--precision",
                "0.1",
                "--out",
                str(tmp_path / "o"),
                "--quiet",
            ]
        )
        == 2
    )
    assert (
        main(
            [
                "compare",
                str(a),
                str(tmp_path / "missing.yaml"),
                "--out",
                str(tmp_path / "o"),
                "--quiet",
            ]
        )
        == 2
    )
    assert "Traceback" not in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_compare_api_refuses_what_is_not_a_list_of_scenarios(tmp_path: Path) -> None:
    a = scenario_file(tmp_path, "a")
    with pytest.raises(TypeError, match="not a single str"):
        sim.compare(str(a), replications=1)  # would otherwise be read letter by letter
    with pytest.raises(TypeError, match="not int"):
        sim.compare([a, 42], replications=1)  # type: ignore[list-item]


def test_comparison_api_and_forest_plot() -> None:
    comparison = sim.compare([scenario(2), scenario(3)], replications=3, seed=1)
    frame = comparison.summary()
    assert set(frame["metric"]) <= set(HEADLINE_METRICS)
    assert {"dm_contacts", "meetings", "cost", "meetings_per_10k"} <= set(frame["metric"])
    ci = comparison.confidence_interval("dials", scenario="s3", profile="student")
    assert ci.low < ci.mean < ci.high and ci.n == 3
    with pytest.raises(KeyError):
        comparison.confidence_interval("dials", scenario="nope")
    table = comparison.to_frame()
    for metric in (None, "dm_contacts"):
        ax = plot_comparison(table, metric)
        assert ax.get_yticklabels()
        plt.close(ax.figure)


# --- quota attainment -------------------------------------------------------------------


def test_quota_norms_follow_the_attainable_norm_rule() -> None:
    days = pd.DataFrame(
        {
            "replication": [0] * 10 + [1] * 10,
            "profile": pd.Categorical(["p"] * 20),
            "quota_units": [float(v) for v in range(1, 11)] + [5.0] * 10,
        }
    )
    for column in (
        "dials",
        "quota_met",
        "cost",
        "meetings",
        "talk_min",
        "needs",
        "dm_contacts",
        "calls_excl_busy_no_answer",
    ):
        days[column] = 1.0
    obs = observations(
        days.reindex(columns=[*days.columns, *_missing(days)], fill_value=0.0), ["p"]
    )
    # Replication 0: days 1..10; 50% of days reach 6, 80% reach 3, 95% reach 1.
    assert obs.loc[0, ("quota_norm_p50", "p")] == 6.0
    assert obs.loc[0, ("quota_norm_p80", "p")] == 3.0
    assert obs.loc[0, ("quota_norm_p95", "p")] == 1.0
    assert obs.loc[1, ("quota_norm_p80", "p")] == 5.0


def _missing(days: pd.DataFrame) -> list[str]:
    from sim.records.kpis import PER_DAY_METRICS, RATIO_METRICS

    needed = set(PER_DAY_METRICS) | {c for n, d, _ in RATIO_METRICS.values() for c in (n, d)}
    return sorted(needed - set(days.columns))


def test_quota_attainment_reports_probability_and_norms_with_intervals() -> None:
    results = sim.run(
        Scenario.model_validate(
            {
                **scenario(2).model_dump(mode="json"),
                "profiles": {
                    "student": {"quota": [{"counts": "calls_excl_busy_no_answer", "target": 30}]}
                },
            }
        ),
        replications=4,
        seed=3,
    )
    table = quota_attainment(results)
    student = table.set_index("profile").loc["student"]
    met = t_interval(results.replication_values("quota_met", "student").to_numpy())
    assert student["p_met"] == pytest.approx(met.mean)
    assert student["norm_p95"] <= student["norm_p80"] <= student["norm_p50"]
    assert student["norm_p80_low"] <= student["norm_p80"] <= student["norm_p80_high"]


@pytest.mark.slow
def test_a_compare_that_fails_while_writing_leaves_the_previous_folder_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = scenario_file(tmp_path, "base")
    b = scenario_file(tmp_path, "more", students=3, name="b")
    out = tmp_path / "cmp"
    sim.compare([a, b], replications=2, seed=1, out=out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def broken(*_: object) -> None:
        raise OSError("disk full")

    module = importlib.import_module("sim.api.compare")  # the package exports compare()
    monkeypatch.setattr(module, "write_comparison_files", broken)
    with pytest.raises(OSError, match="disk full"):
        sim.compare([a, b], replications=3, seed=2, out=out)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    # No staging folder is left behind; the streamed replications stay for --resume.
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "base.yaml",
        "cmp",
        "cmp.partial",
        "more.yaml",
    ]


@pytest.mark.slow
def test_a_saved_comparison_loads_back_with_the_same_table(tmp_path: Path) -> None:
    comparison = sim.compare([scenario(2), scenario(3)], replications=3, seed=5)
    folder = sim.save(comparison, tmp_path / "cmp")
    assert not list(folder.glob("*.png")), "saving never draws: charts are the presentation's"
    loaded = sim.load(folder)
    assert isinstance(loaded, sim.Comparison)
    pd.testing.assert_frame_equal(loaded.to_frame(), comparison.to_frame())
    assert loaded.results[loaded.labels[1]].operator_days.equals(
        comparison.results[comparison.labels[1]].operator_days
    )


def test_a_saved_sweep_loads_back_with_the_same_table(tmp_path: Path) -> None:
    grid = sim.sweep(scenario(1), "team.0.count=1,2", replications=2, seed=5)
    loaded = sim.load(sim.save(grid, tmp_path / "sweep"))
    assert isinstance(loaded, sim.Sweep)
    pd.testing.assert_frame_equal(loaded.to_frame(), grid.to_frame())
    assert loaded.point_values == grid.point_values


def test_save_refuses_what_it_cannot_write(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="cannot save a dict"):
        sim.save({}, tmp_path / "x")
