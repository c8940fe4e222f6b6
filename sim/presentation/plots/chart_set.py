"""The chart set: which charts a results folder allows, what each answers, and drawing them.

A **run** folder allows charts 1-5 and 7 (and 8 when a quota has two parts); a **compare**
folder chart 6 (the forest plot of paired differences), a **sweep** folder chart 6 (one heatmap
per headline metric when two parameters vary, else one line chart per metric) and a
**sensitivity** folder the tornado chart. The folder
kind comes from ``manifest.json``'s ``kind``. ``callsim plot``, ``callsim report`` and the
README gallery all draw through :func:`folder_charts`, so they show the same charts.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.analysis.results import Results
from sim.errors import ResultsDirError
from sim.presentation.plots.experiment_charts import (
    plot_comparison,
    plot_sweep_heatmap,
    plot_sweep_lines,
    save_comparison_chart,
    save_sweep_chart,
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
from sim.presentation.plots.run_charts import (
    contacts_figure,
    plot_day_breakdown,
    save_contacts_chart,
)
from sim.presentation.plots.sales_charts import (
    plot_money_by_scenario,
    plot_sales_funnel,
    plot_sellers_backlog,
)
from sim.presentation.plots.segment_charts import funnel_figure, segment_difficulty_figure
from sim.presentation.plots.sensitivity_charts import plot_tornado, save_tornado_chart
from sim.records.kpis import SWEPT_METRICS, metric_label
from sim.scenario import Scenario
from sim.storage.experiments import EXPERIMENT_TABLES, read_experiment_table
from sim.storage.folders import CHARTS_DIR, MANIFEST, write_file_atomically
from sim.storage.manifests import read_manifest
from sim.storage.runs import read_compared_money, read_run

FolderKind = Literal["run", "compare", "sweep", "sensitivity"]
PNG_DPI = 110
SWEEP_METRICS = SWEPT_METRICS
"""Metrics a sweep folder gets a heatmap of (those present in ``sweep.csv``, in this order)."""


@dataclass(frozen=True)
class Chart:
    """One chart of the set: its number in the issue, file stem, title and the question."""

    number: int
    name: str
    title: str
    question: str


@dataclass(frozen=True)
class ResultsFolder:
    """A callsim results folder opened for charting: its kind, manifest and data."""

    path: Path
    kind: FolderKind
    manifest: dict[str, Any]
    results: Results | None = None
    table: pd.DataFrame | None = field(default=None, repr=False)
    """``comparison.csv`` of a compare folder or ``sweep.csv`` of a sweep folder."""


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


def open_folder(directory: str | Path) -> ResultsFolder:
    """Open a run, compare, sweep or sensitivity folder (:class:`ResultsDirError` if none)."""
    path = Path(directory)
    if not path.is_dir():
        raise ResultsDirError(f"{path} does not exist or is not a folder")
    manifest = read_manifest(path)
    kind = manifest.get("kind", "run")
    if kind == "run":
        return ResultsFolder(path, "run", manifest, results=read_run(path))
    if kind not in EXPERIMENT_TABLES:
        raise ResultsDirError(f"{path}: unknown results kind {kind!r} in {MANIFEST}")
    return ResultsFolder(path, kind, manifest, table=read_experiment_table(path, kind))


def _axes_figure(draw: Callable[[], Axes]) -> Callable[[], Figure]:
    def figure() -> Figure:
        fig = draw().figure
        assert isinstance(fig, Figure)  # each draw makes a figure of its own, not a subfigure
        return fig

    return figure


def sweep_metrics(table: pd.DataFrame, profile: str | None = None) -> list[str]:
    """The swept KPIs a sweep table has figures for (:data:`SWEEP_METRICS`; else its first).

    A metric without a single figure for the charted group (``quota_met`` when nobody has a
    quota) is left out rather than drawn as an empty panel.
    """
    profile = profile or sweep_profile(table)
    shown = table[(table["profile"].astype(str) == profile) & table["mean"].notna()]
    present = list(dict.fromkeys(shown["metric"])) or list(dict.fromkeys(table["metric"]))
    chosen = [m for m in SWEEP_METRICS if m in present]
    return chosen or present[:1]


def sweep_profile(table: pd.DataFrame, manifest: dict[str, Any] | None = None) -> str:
    """The group a sweep chart shows.

    The manifest's headline group (``team`` when the headcount varies over the points), else
    ``all`` callers when present, else the first.
    """
    profiles = list(dict.fromkeys(table["profile"].astype(str)))
    preferred = (manifest or {}).get("headline_group")
    if preferred in profiles:
        return str(preferred)
    return "all" if "all" in profiles else profiles[0]


def sweep_scenario(manifest: dict[str, Any]) -> Scenario | None:
    """A sweep's first point scenario, which names its team groups and currency on the axes.

    None for a manifest without the points' scenarios (a hand-made folder).
    """
    points = manifest.get("point_scenarios")
    if not isinstance(points, dict) or not points:
        return None
    try:
        return Scenario.model_validate(next(iter(points.values())))
    except ValueError:
        return None


def headline_group(folder: ResultsFolder) -> str:
    """The group a compare or sweep folder's headline chart shows (``team`` or ``all``)."""
    assert folder.table is not None
    if folder.kind == "sweep":
        return sweep_profile(folder.table, folder.manifest)
    group = folder.manifest.get("headline_group", "all")
    return str(group) if group in set(folder.table["profile"].astype(str)) else "all"


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


def figure_bytes(fig: Figure, fmt: str = "png") -> bytes:
    """``fig`` rendered as PNG or SVG bytes (no timestamps, so output is reproducible)."""
    buffer = io.BytesIO()
    # Marked as callsim's, so a later `plot --out` may replace it and nothing else.
    metadata = {"Software": CHART_MARK} if fmt == "png" else {"Date": None, "Creator": CHART_MARK}
    # A tight bounding box keeps long tick labels of figures drawn without a layout engine.
    fig.savefig(
        buffer, format=fmt, dpi=PNG_DPI, metadata=metadata, bbox_inches="tight", pad_inches=0.1
    )
    return buffer.getvalue()


def save_charts(
    directory: str | Path, svg: bool = False, out: str | Path | None = None
) -> list[Path]:
    """Draw every chart ``directory`` allows into ``out`` (default ``directory/charts``).

    Writes ``<name>.png`` (and ``<name>.svg`` with ``svg``) per chart; returns the paths.
    """
    folder = open_folder(directory)
    charts = folder_charts(folder)  # reads what else the charts need: a damaged file stops here
    target = Path(out) if out is not None else folder.path / CHARTS_DIR
    own = {folder.path.resolve(), (folder.path / CHARTS_DIR).resolve()}
    if target.resolve() not in own:  # elsewhere, replace only charts callsim drew
        for chart, _ in charts:
            for fmt in ("png", "svg") if svg else ("png",):
                path = target / f"{chart.name}.{fmt}"
                if path.exists() and not _is_chart(path):
                    raise ResultsDirError(
                        f"{path} exists and is not a callsim chart; choose another --out"
                    )
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for chart, draw in charts:
        fig = draw()
        try:
            for fmt in ("png", "svg") if svg else ("png",):
                path = write_file_atomically(target / f"{chart.name}.{fmt}", figure_bytes(fig, fmt))
                written.append(path)
        finally:
            plt.close(fig)
    return written


CHART_MARK = "callsim"
"""What a chart file ``save_charts`` wrote holds in its metadata (PNG Software, SVG Creator)."""


def _is_chart(path: Path) -> bool:
    """Whether ``path`` is a chart file callsim drew (its metadata names callsim)."""
    try:
        with path.open("rb") as stream:
            head = stream.read(8192)
    except OSError:
        return False
    return CHART_MARK.encode() in head


FOLDER_CHARTS = {
    "run": "contacts_per_day.png",
    "compare": "comparison.png",
    "sweep": "sweep_heatmap.png",
    "sensitivity": "tornado.png",
}
"""The headline chart a command draws into each kind of results folder after simulating
(a sweep with other than two varied parameters gets ``sweep_lines.png`` instead)."""


def save_folder_chart(directory: str | Path) -> Path:
    """Draw a results folder's headline chart into it (:data:`FOLDER_CHARTS`); its path.

    Written under a temporary name and renamed, so the folder never holds half a PNG.
    """
    folder = open_folder(directory)
    name = FOLDER_CHARTS[folder.kind]
    if (
        folder.kind == "sweep"
        and folder.table is not None
        and len(varied_columns(folder.table)) != 2
    ):
        name = "sweep_lines.png"
    path = folder.path / name
    temporary = path.with_name(f".tmp-{name}")
    try:
        if folder.kind == "run":
            assert folder.results is not None
            save_contacts_chart(folder.results, temporary)
        elif folder.kind == "compare":
            assert folder.table is not None
            save_comparison_chart(folder.table, temporary, headline_group(folder))
        elif folder.kind == "sensitivity":
            assert folder.table is not None
            save_tornado_chart(folder.table, temporary)
        else:
            assert folder.table is not None
            group = headline_group(folder)
            metrics = sweep_metrics(folder.table, group)
            scenario = sweep_scenario(folder.manifest)
            save_sweep_chart(folder.table, temporary, metrics, group, scenario)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
    return path
