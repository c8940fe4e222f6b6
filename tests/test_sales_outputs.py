"""Issue #12 outputs: sales charts, the report's money section, money files, compare chart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import sim
from sim.analysis.money import MONEY_METRICS
from sim.presentation.plots.chart_set import folder_charts
from sim.presentation.plots.results_folder import open_folder
from sim.presentation.report_sales import sales_sections
from tests.builders import build, deep_update

TINY: dict[str, Any] = {
    "name": "tiny-sales",
    "horizon_days": 3,
    "seed": 5,
    "segments": {"medium": {"companies": 2000}},
    "team": [{"profile": "student", "count": 3, "name": "callers"}],
    "sales": {
        "fit": {"medium": {"mean": 0.3, "sd": 0.2}},
        "sellers": [{"count": 1, "meetings_per_day": 1, "booking_lead_days": 0}],
    },
}


def test_a_run_with_sellers_writes_money_files_charts_and_a_report_section(
    tmp_path: Path,
) -> None:
    sim.run(build(TINY), replications=2, out=tmp_path / "run")
    money = pd.read_csv(tmp_path / "run" / "money.csv")
    assert list(money["metric"]) == list(MONEY_METRICS)
    groups = pd.read_csv(tmp_path / "run" / "money_groups.csv")
    assert set(groups["group"]) == {"callers"}
    folder = open_folder(tmp_path / "run")
    charts = {chart.name: draw for chart, draw in folder_charts(folder)}
    for name in ("sales_funnel", "sellers_backlog"):
        plt.close(charts[name]())
    assert folder.results is not None
    assert "<h2 id=money>Sales and money</h2>" in sales_sections(folder.results)


def test_a_run_without_sellers_has_none_of_them(tmp_path: Path) -> None:
    plain = {k: v for k, v in TINY.items() if k != "sales"}
    sim.run(build(plain), replications=1, out=tmp_path / "run")
    assert not (tmp_path / "run" / "money.csv").exists()
    assert not (tmp_path / "run" / "meetings.parquet").exists()
    folder = open_folder(tmp_path / "run")
    names = {chart.name for chart, _ in folder_charts(folder)}
    assert not names & {"sales_funnel", "sellers_backlog"}
    assert folder.results is not None
    assert sales_sections(folder.results) == []


@pytest.mark.slow
def test_a_compare_of_scenarios_with_sellers_draws_cost_per_sale_and_margin(
    tmp_path: Path,
) -> None:
    targeted = deep_update(
        TINY,
        {
            "name": "tiny-targeted",
            "sales": {"lists": {"callers": {"policy": "targeted", "share_kept": 0.1}}},
        },
    )
    sim.compare([build(TINY), build(targeted)], replications=2, out=tmp_path / "cmp")
    charts = {chart.name: draw for chart, draw in folder_charts(open_folder(tmp_path / "cmp"))}
    plt.close(charts["money_by_scenario"]())
