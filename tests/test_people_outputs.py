"""Outputs of the people mechanisms: charts and report sections drawn only when their
mechanism is on, and the shipped ramp-up scenario reproducing the forum's trajectory (T2/T4)."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt

import sim
from sim.analysis.people import by_tenure_week
from sim.presentation.plots.chart_set import PEOPLE_CHARTS, folder_charts
from sim.presentation.plots.results_folder import open_folder
from sim.presentation.report import build_report
from tests.builders import build, constant_scenario

ROOT = Path(__file__).resolve().parent.parent


def test_people_charts_are_drawn_when_their_mechanism_is_on(tmp_path: Path) -> None:
    data = constant_scenario(
        segment={"line": {"busy_prob": 0.3, "no_answer_prob": 0.2}},
        profile={
            "ramp": {"kind": "exponential", "start_level": 0.5, "time_constant_days": 3},
            "turnover": {"daily_quit_prob": 0.2, "hiring_delay_days": 1},
        },
        callers=3,
        horizon_days=8,
        shift={"length_min": 120.0},
    )
    data["time_of_day"] = {"seg": {"answer_by_hour": [1.2, 0.5]}}
    results = sim.run(build(data), replications=2, call_log=True)
    folder = sim.save(results, tmp_path / "people")
    charts = folder_charts(open_folder(folder))
    names = [chart.name for chart, _ in charts]
    assert names[-3:] == [chart.name for chart in PEOPLE_CHARTS]
    for _, draw in charts[-3:]:
        fig = draw()
        assert fig.axes and fig.axes[0].has_data()
        plt.close(fig)
    page = build_report(folder)
    for anchor in ("id=ramp", "id=turnover", "id=time-of-day"):
        assert anchor in page
    assert "answered share" in page
    plain = sim.run(build(constant_scenario(horizon_days=2)), replications=2)
    plain_folder = sim.save(plain, tmp_path / "plain")
    assert not {c.name for c in PEOPLE_CHARTS} & {
        chart.name for chart, _ in folder_charts(open_folder(plain_folder))
    }
    plain_page = build_report(plain_folder)
    assert "id=ramp" not in plain_page and "id=turnover" not in plain_page


def test_the_shipped_ramp_scenario_follows_the_forums_trajectory() -> None:
    """T2: newcomers at most ~60 calls a day in their first weeks; trained callers ~80."""
    results = sim.run(ROOT / "scenarios" / "novices-ramp-up.yaml", replications=2)
    days = results.operator_days
    weeks = by_tenure_week(days[days["group"] == "new-hires"], "calls_excl_busy_no_answer")
    first_two = weeks.loc[weeks["tenure_week"] < 2, "mean"]
    assert (first_two < 62).all()
    assert weeks["mean"].iloc[-1] > 72
    trained = days[days["group"] == "trained"]
    assert 72 < trained["calls_excl_busy_no_answer"].mean() < 90
    assert 130 <= trained["dials"].mean() <= 170
