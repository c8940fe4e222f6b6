"""The chart set: which charts a results folder allows, what each answers, and how to draw it.

A **run** folder allows charts 1-5 and 7 (and 8 when a quota has two parts); a **compare**
folder chart 6 (the forest plot of paired differences), a **sweep** folder chart 6 (one heatmap
per headline metric when two parameters vary, else one line chart per metric) and a
**sensitivity** folder the tornado chart. The folder
kind comes from ``manifest.json``'s ``kind`` (:mod:`sim.presentation.plots.results_folder`).
``callsim plot``, ``callsim report`` and the README gallery all draw through
:func:`folder_charts`, so they show the same charts; :mod:`sim.presentation.plots.chart_files`
writes them to files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.presentation.plots.experiment_charts import (
    plot_comparison,
    plot_sweep_heatmap,
    plot_sweep_lines,
    varied_columns,
)
from sim.presentation.plots.people_charts import (
    people_charts_of,
    plot_answered_by_hour,
    plot_headcount,
    plot_tenure_performance,
)
from sim.presentation.plots.quota_charts import (
    plot_daily_distribution,
    plot_quota_attainment,
    plot_quota_frontier,
    two_part_rows,
)
from sim.presentation.plots.results_folder import (
    ResultsFolder,
    headline_group,
    sweep_metrics,
    sweep_scenario,
)
from sim.presentation.plots.run_charts import contacts_figure, plot_day_breakdown
from sim.presentation.plots.sales_charts import (
    plot_money_by_scenario,
    plot_sales_funnel,
    plot_sellers_backlog,
)
from sim.presentation.plots.segment_charts import funnel_figure, segment_difficulty_figure
from sim.presentation.plots.sensitivity_charts import plot_tornado
from sim.records.kpis import metric_label
from sim.storage.runs import read_compared_money

__all__ = [
    "COMPARE_CHART",
    "MONEY_CHART",
    "PEOPLE_CHARTS",
    "RUN_CHARTS",
    "TORNADO_CHART",
    "Chart",
    "folder_charts",
]


@dataclass(frozen=True)
class Chart:
    """One chart of the set: its number in the issue, file stem, title and the question."""

    number: int
    name: str
    title: str
    question: str


RUN_CHARTS: tuple[Chart, ...] = (
    Chart(
        1,
        "contacts_per_day",
        "Decision-maker contacts per caller per day",
        "How many decision-makers does a caller reach a day, and how many dials and "
        "connects does that take?",
    ),
    Chart(
        2,
        "daily_distribution",
        "Daily output per caller against the quota",
        'Is the daily norm ("60 calls a day") met, and on what share of days?',
    ),
    Chart(
        3,
        "quota_attainment",
        "Which daily norm is attainable",
        'What norm would 50, 80 or 95% of operator-days meet? Is "120 calls and 12 '
        'needs" achievable?',
    ),
    Chart(
        8,
        "quota_frontier",
        "Which two-part norm is attainable",
        'Which pairs such as "120 calls and 12 needs" do 50, 80 or 95% of operator-days meet '
        "together? (drawn when a quota has two parts)",
    ),
    Chart(
        4,
        "funnel",
        "Call funnel by segment and profile",
        "Where are calls lost between the dial and the meeting, by segment and caller?",
    ),
    Chart(
        5,
        "day_breakdown",
        "Where the caller's day goes",
        "Why do 130-170 dials a day still leave air time under 3 hours?",
    ),
    Chart(
        7,
        "segment_difficulty",
        "Segment difficulty",
        "How many attempts and days does it take to reach a decision-maker in small, "
        "medium and large companies?",
    ),
    Chart(
        9,
        "sales_funnel",
        "From the dial to the sale",
        "How many dials, calls, DM contacts, meetings and shows does a sale take, by team "
        "group? (drawn when the scenario has sellers)",
    ),
    Chart(
        10,
        "sellers_backlog",
        "Sellers' backlog",
        "Do the sellers keep up with the meetings booked, or do clients wait? (drawn when "
        "the scenario has sellers)",
    ),
)
"""Charts of a run folder, in the order they are drawn."""

PEOPLE_CHARTS: tuple[Chart, ...] = (
    Chart(
        9,
        "headcount",
        "Headcount over the horizon",
        "How many callers are at work as people quit and novices are hired? (with turnover)",
    ),
    Chart(
        10,
        "tenure_performance",
        "Performance by tenure week",
        "How fast do novices get from ~60 calls to the trained ~80? (with a ramp or turnover)",
    ),
    Chart(
        11,
        "answered_by_hour",
        "Answered share by hour",
        "Which hours of the shift answer most? (with time-of-day factors and a call log)",
    ),
)
"""Charts of a run folder drawn only when a people mechanism is on (after the run charts)."""

COMPARE_CHART = Chart(
    6,
    "comparison",
    "Scenario comparison",
    "Which scenario does better than the baseline, and is the difference larger than the noise?",
)

MONEY_CHART = Chart(
    11,
    "money_by_scenario",
    "Cost per sale and margin by scenario",
    "Which scenario sells more cheaply, and which earns more? (drawn when every compared "
    "scenario has sellers)",
)

TORNADO_CHART = Chart(
    6,
    "tornado",
    "Sensitivity: tornado chart",
    "Which parameter moves the metric most between its low and high value?",
)


def _sweep_chart(metric: str) -> Chart:
    return Chart(
        6,
        f"sweep_{metric}",
        f"Sweep: {metric_label(metric)}",
        "Which staffing (or other swept setting) gives the most for the money?",
    )


def _axes_figure(draw: Callable[[], Axes]) -> Callable[[], Figure]:
    def figure() -> Figure:
        fig = draw().figure
        assert isinstance(fig, Figure)  # each draw makes a figure of its own, not a subfigure
        return fig

    return figure


def folder_charts(folder: ResultsFolder) -> list[tuple[Chart, Callable[[], Figure]]]:
    """The charts ``folder`` allows, each with a function that draws its figure."""
    if folder.kind == "run":
        results = folder.results
        assert results is not None
        draw: dict[str, Callable[[], Figure]] = {
            "contacts_per_day": lambda: contacts_figure(results),
            "daily_distribution": _axes_figure(lambda: plot_daily_distribution(results)),
            "quota_attainment": _axes_figure(lambda: plot_quota_attainment(results)),
            "funnel": lambda: funnel_figure(results),
            "day_breakdown": _axes_figure(lambda: plot_day_breakdown(results)),
            "segment_difficulty": lambda: segment_difficulty_figure(results),
            "quota_frontier": _axes_figure(lambda: plot_quota_frontier(results)),
            "sales_funnel": _axes_figure(lambda: plot_sales_funnel(results)),
            "sellers_backlog": _axes_figure(lambda: plot_sellers_backlog(results)),
        }
        skipped = set() if two_part_rows(results) else {"quota_frontier"}
        if not results.has_table("meetings"):
            skipped |= {"sales_funnel", "sellers_backlog"}
        people = {
            "headcount": _axes_figure(lambda: plot_headcount(results)),
            "tenure_performance": _axes_figure(lambda: plot_tenure_performance(results)),
            "answered_by_hour": _axes_figure(lambda: plot_answered_by_hour(results)),
        }
        shown = people_charts_of(results)
        return [(chart, draw[chart.name]) for chart in RUN_CHARTS if chart.name not in skipped] + [
            (chart, people[chart.name]) for chart in PEOPLE_CHARTS if chart.name in shown
        ]
    table = folder.table
    assert table is not None
    if folder.kind == "compare":
        group = headline_group(folder)
        charts = [(COMPARE_CHART, _axes_figure(lambda: plot_comparison(table, profile=group)))]
        money = read_compared_money(folder.path)
        if money and len(money) == table["label"].nunique():
            charts.append((MONEY_CHART, _axes_figure(lambda: plot_money_by_scenario(money))))
        return charts
    if folder.kind == "sensitivity":
        return [(TORNADO_CHART, _axes_figure(lambda: plot_tornado(table)))]
    # Two varied parameters make a heatmap; one (or a design of more) a line per metric.
    plot_sweep = plot_sweep_heatmap if len(varied_columns(table)) == 2 else plot_sweep_lines
    profile = headline_group(folder)
    scenario = sweep_scenario(folder.manifest)

    def heatmap(metric: str) -> Callable[[], Figure]:
        return _axes_figure(lambda: plot_sweep(table, metric, profile, None, scenario))

    return [(_sweep_chart(metric), heatmap(metric)) for metric in sweep_metrics(table, profile)]
