"""Charts of experiments: forest plot of paired differences, sweep heatmaps and lines.

Pure functions on the tidy tables (``comparison.csv``, ``sweep.csv``) that return the Axes
and never call ``plt.show()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from matplotlib.tri import Triangulation

from sim.analysis.sweep import MARGINAL_COLUMNS
from sim.presentation.numbers import (
    format_estimate,
    format_number,
    format_value,
    half_width,
    metric_scale_unit,
)
from sim.presentation.plots.common import group_name, sweep_value_label
from sim.presentation.plots.style import profile_colors
from sim.records.kpis import HEADLINE_METRICS, SWEPT_METRICS, metric_label
from sim.scenario import Scenario
from sim.scenario.fields import field_label

FOREST_METRICS = HEADLINE_METRICS
SWEEP_STANDARD_COLUMNS = (
    "point",
    "metric",
    "profile",
    "mean",
    "ci_low",
    "ci_high",
    "replications",
    *MARGINAL_COLUMNS,
)
HEATMAP_METRICS = SWEPT_METRICS
"""Metrics of ``sweep_heatmap.png`` / ``sweep_lines.png``: the KPIs the registry marks swept."""


def plot_comparison(
    comparison: pd.DataFrame,
    metric: str | None = None,
    ax: Axes | None = None,
    profile: str = "all",
) -> Axes:
    """Forest plot of the paired differences against the baseline, with 95% intervals.

    With ``metric``: one row per (scenario, profile), differences in the metric's units.
    Without: the headline metrics for ``profile`` (``all`` callers per caller-day, or the
    ``team`` per team-day when headcounts differ), each difference as a percentage of the
    baseline's mean, so metrics of different units share one axis.
    """
    table = comparison[comparison["label"] != comparison["baseline"]]
    baseline = comparison[comparison["label"] == comparison["baseline"]]
    if metric is not None:
        rows = table[table["metric"] == metric]
        if rows.empty:
            raise KeyError(f"no metric {metric!r} in the comparison")
        labels = [f"{r.label} · {r.profile}" for r in rows.itertuples()]
        centre = rows["diff_mean"].to_numpy(float)
        low, high = rows["diff_ci_low"].to_numpy(float), rows["diff_ci_high"].to_numpy(float)
        colors = [
            profile_colors(list(rows["profile"].unique())).get(p, "#333333")
            if p != "all"
            else "#333333"
            for p in rows["profile"]
        ]
        xlabel = f"difference in {metric_label(metric)}\nvs {comparison['baseline'].iloc[0]}"
    else:
        rows = table[table["metric"].isin(FOREST_METRICS) & (table["profile"] == profile)]
        base = baseline[baseline["profile"] == profile].set_index("metric")["mean"]
        scale = 100.0 / rows["metric"].map(base).abs().replace(0, np.nan).to_numpy(float)
        labels = [f"{metric_label(str(r.metric))} · {r.label}" for r in rows.itertuples()]
        centre = rows["diff_mean"].to_numpy(float) * scale
        low = rows["diff_ci_low"].to_numpy(float) * scale
        high = rows["diff_ci_high"].to_numpy(float) * scale
        colors = ["#333333"] * len(rows)
        per = "per team-day" if profile == "team" else "per caller-day"
        xlabel = f"difference {per}, % of the mean of\n{comparison['baseline'].iloc[0]}"
    if ax is None:
        # Constrained layout keeps the long labels (metric and scenario names) inside the figure.
        _, ax = plt.subplots(figsize=(7, 0.45 * max(len(labels), 3) + 1.6), layout="constrained")
    y = np.arange(len(labels))[::-1]
    err = np.vstack([np.nan_to_num(centre - low), np.nan_to_num(high - centre)])
    for yi, c, e0, e1, color in zip(y, centre, err[0], err[1], colors, strict=True):
        ax.errorbar(c, yi, xerr=[[e0], [e1]], fmt="o", color=color, capsize=3, ms=5)
    ax.axvline(0.0, color="#999999", lw=1, ls="--")
    ax.set_yticks(y, labels)
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(
        f"Paired differences vs {comparison['baseline'].iloc[0]}\n"
        "under common random numbers, with 95% CIs",
        fontsize=10,
    )
    return ax


def save_comparison_chart(comparison: pd.DataFrame, path: Path, profile: str = "all") -> Path:
    """Write the default forest plot of ``comparison`` (for ``profile``) to ``path``."""
    ax = plot_comparison(comparison, profile=profile)
    fig = ax.figure
    assert isinstance(fig, Figure)  # plot_comparison drew on a new figure of its own
    fig.savefig(path, dpi=120, metadata={"Software": None}, bbox_inches="tight")
    plt.close(fig)
    return path


def varied_columns(sweep: pd.DataFrame) -> list[str]:
    """The varied parameter columns of a sweep table, in order."""
    return [c for c in sweep.columns if c not in SWEEP_STANDARD_COLUMNS]


def _sweep_rows(sweep: pd.DataFrame, metric: str, profile: str) -> pd.DataFrame:
    """The rows of ``metric`` for ``profile``, in display units (shares as percentages)."""
    rows = sweep[(sweep["metric"] == metric) & (sweep["profile"] == profile)]
    if rows.empty:
        raise KeyError(f"no metric {metric!r} for profile {profile!r} in the sweep")
    scale, _ = metric_scale_unit(metric)
    return rows.assign(
        mean=rows["mean"] * scale, ci_low=rows["ci_low"] * scale, ci_high=rows["ci_high"] * scale
    )


def _sweep_title(
    ax: Axes,
    metric: str,
    profile: str,
    rows: pd.DataFrame,
    note: str = "",
    scenario: Scenario | None = None,
) -> None:
    """Title: the metric per team-day or caller-day (its unit), the group, what is drawn."""
    replications = pd.to_numeric(rows.get("replications"), errors="coerce")
    n = f" over {int(replications.max())} replications" if replications.notna().any() else ""
    base, _, unit = sweep_value_label(metric, profile, scenario).partition(", ")
    value = f"{base} ({unit})" if unit else base
    ax.set_title(
        f"{value[:1].upper()}{value[1:]}, {group_name(profile)}\nmean{note}{n}", fontsize=10
    )


def plot_sweep_heatmap(
    sweep: pd.DataFrame,
    metric: str,
    profile: str = "all",
    ax: Axes | None = None,
    scenario: Scenario | None = None,
) -> Axes:
    """Mean ``metric`` of ``profile`` over two varied parameters, as a heatmap.

    A full grid is an image of the means, each cell annotated with mean ± 95% CI half-width
    (first parameter up the side, second across). Scattered points (a Latin hypercube) are
    interpolated between the sample points (filled contours of a Delaunay triangulation),
    which are marked. With one varied parameter the heatmap has one row; with more than two,
    cells average over the others. Axes are labelled from the fields' schema descriptions
    with their units (group names and currency from ``scenario`` when given), the colour bar
    with the metric's unit.
    """
    paths = varied_columns(sweep)
    if not paths:
        raise ValueError("the sweep table has no varied parameter columns")
    rows = _sweep_rows(sweep, metric, profile)
    if len(paths) == 1:
        rows = rows.assign(_="")
        paths = ["_", paths[0]]
    y_path, x_path = paths[0], paths[1]
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 4.8), constrained_layout=True)
    grid = rows.pivot_table(index=y_path, columns=x_path, values="mean", aggfunc="mean")
    drawn: ScalarMappable
    if grid.notna().all().all() and len(grid) * grid.shape[1] <= len(rows):
        drawn = ax.imshow(grid.to_numpy(float), origin="lower", aspect="auto", cmap="viridis")
        _annotate_cells(ax, rows, grid, y_path, x_path, single=len(paths) == 2)
        ax.set_xticks(range(grid.shape[1]), [_fmt(v) for v in grid.columns])
        ax.set_yticks(range(len(grid)), [_fmt(v) for v in grid.index])
        note = " ± 95% CI half-width" if len(paths) == 2 else ""
    else:
        drawn = _interpolated(ax, rows, x_path, y_path)
        note = f" interpolated between {len(rows)} sampled points"
    ax.set_xlabel(field_label(x_path, scenario))
    ax.set_ylabel("" if y_path == "_" else field_label(y_path, scenario))
    ax.figure.colorbar(drawn, ax=ax, label=sweep_value_label(metric, profile, scenario))
    if len(paths) > 2:
        note += " (averaged over other parameters)"
    _sweep_title(ax, metric, profile, rows, note, scenario)
    return ax


def _annotate_cells(
    ax: Axes, rows: pd.DataFrame, grid: pd.DataFrame, y_path: str, x_path: str, single: bool
) -> None:
    """Write each cell's mean ± half-width (the mean alone where cells average points)."""
    values = grid.to_numpy(float)
    middle = np.nanmean(values)
    cells = rows.groupby([y_path, x_path])
    for i, y_value in enumerate(grid.index):
        for j, x_value in enumerate(grid.columns):
            cell = cells.get_group((y_value, x_value))
            if single and len(cell) == 1:
                first = cell.iloc[0]
                text = format_estimate(first["mean"], half_width(first["ci_low"], first["ci_high"]))
            else:
                text = format_number(values[i, j])
            ax.text(
                j,
                i,
                text.replace(" ±", "\n±"),
                ha="center",
                va="center",
                fontsize=8,
                color="white" if values[i, j] < middle else "black",
            )


def _interpolated(ax: Axes, rows: pd.DataFrame, x_path: str, y_path: str) -> ScalarMappable:
    """Filled contours of the mean between scattered sample points, the points marked."""
    x = rows[x_path].to_numpy(float)
    y = rows[y_path].to_numpy(float)
    z = rows["mean"].to_numpy(float)
    finite = np.isfinite(x) & np.isfinite(y) & np.isfinite(z)
    x, y, z = x[finite], y[finite], z[finite]
    drawn: ScalarMappable
    try:
        drawn = ax.tricontourf(Triangulation(x, y), z, levels=12, cmap="viridis")
    except (ValueError, RuntimeError):  # fewer than 3 points, or all on one line
        drawn = ax.scatter(x, y, c=z, cmap="viridis", s=60)
    ax.scatter(x, y, s=14, facecolor="white", edgecolor="black", linewidth=0.6, zorder=3)
    return drawn


def plot_sweep_lines(
    sweep: pd.DataFrame,
    metric: str,
    profile: str = "all",
    ax: Axes | None = None,
    scenario: Scenario | None = None,
) -> Axes:
    """Mean ``metric`` with its 95% confidence band against the varied parameter.

    The x axis is the varied field, labelled from its schema description with its unit; with
    more than one varied parameter the points are numbered along it instead.
    """
    rows = _sweep_rows(sweep, metric, profile)
    paths = varied_columns(sweep)
    x_name = paths[0] if len(paths) == 1 else "point"
    rows = rows.sort_values(x_name)
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 4.4), constrained_layout=True)
    numeric = pd.to_numeric(rows[x_name], errors="coerce")
    x = numeric.to_numpy(float) if numeric.notna().all() else np.arange(len(rows), dtype=float)
    ax.plot(x, rows["mean"], marker="o", color="#0072B2", label="mean")
    ax.fill_between(
        x,
        rows["ci_low"].to_numpy(float),
        rows["ci_high"].to_numpy(float),
        color="#0072B2",
        alpha=0.2,
        linewidth=0,
        label="95% confidence interval",
    )
    if x_name == "point":
        ax.set_xticks(x, [str(p) for p in rows["point"]])
        ax.set_xlabel(f"sweep point (varying {', '.join(paths)})")
    else:
        ax.set_xlabel(field_label(x_name, scenario))
        if numeric.notna().all() and bool((numeric % 1 == 0).all()):
            # A whole-number parameter (a headcount, a count of companies): no 8.25 callers.
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(sweep_value_label(metric, profile, scenario))
    ax.legend(frameon=False, fontsize=8)
    ax.grid(alpha=0.3)
    _sweep_title(ax, metric, profile, rows, " and 95% confidence band", scenario)
    return ax


def save_sweep_chart(
    sweep: pd.DataFrame,
    path: Path,
    metrics: Sequence[str] = HEATMAP_METRICS,
    profile: str = "all",
    scenario: Scenario | None = None,
) -> Path:
    """Heatmaps (two varied parameters) or line charts, one panel per metric, to ``path``.

    ``profile`` is the group shown: ``all`` callers, or the ``team`` when the headcount varies;
    ``scenario`` (a point's resolved scenario) names team groups and the currency on the axes.
    """
    two = len(varied_columns(sweep)) == 2
    fig, axes = plt.subplots(
        1, len(metrics), figsize=(6.5 * len(metrics), 4.8), constrained_layout=True, squeeze=False
    )
    for ax, metric in zip(axes[0], metrics, strict=True):
        (plot_sweep_heatmap if two else plot_sweep_lines)(sweep, metric, profile, ax, scenario)
    fig.savefig(path, dpi=120, metadata={"Software": None})
    plt.close(fig)
    return path


def _fmt(value: object) -> str:
    """A tick label: a parameter value as written (:func:`format_value`)."""
    if isinstance(value, int | float | np.integer | np.floating):
        return format_value(float(value))
    return str(value)
