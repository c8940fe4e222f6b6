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
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.image import AxesImage

from sim.presentation.plots.style import profile_colors
from sim.records.kpis import HEADLINE_METRICS, SWEPT_METRICS

FOREST_METRICS = HEADLINE_METRICS
SWEEP_STANDARD_COLUMNS = ("point", "metric", "profile", "mean", "ci_low", "ci_high", "replications")
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
        xlabel = f"difference in {metric} vs {comparison['baseline'].iloc[0]}"
    else:
        rows = table[table["metric"].isin(FOREST_METRICS) & (table["profile"] == profile)]
        base = baseline[baseline["profile"] == profile].set_index("metric")["mean"]
        scale = 100.0 / rows["metric"].map(base).abs().replace(0, np.nan).to_numpy(float)
        labels = [f"{r.metric} · {r.label}" for r in rows.itertuples()]
        centre = rows["diff_mean"].to_numpy(float) * scale
        low = rows["diff_ci_low"].to_numpy(float) * scale
        high = rows["diff_ci_high"].to_numpy(float) * scale
        colors = ["#333333"] * len(rows)
        per = "per team-day" if profile == "team" else "per caller-day"
        xlabel = f"difference vs {comparison['baseline'].iloc[0]} ({per}), % of its mean"
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.45 * max(len(labels), 3) + 1.2))
    y = np.arange(len(labels))[::-1]
    err = np.vstack([np.nan_to_num(centre - low), np.nan_to_num(high - centre)])
    for yi, c, e0, e1, color in zip(y, centre, err[0], err[1], colors, strict=True):
        ax.errorbar(c, yi, xerr=[[e0], [e1]], fmt="o", color=color, capsize=3, ms=5)
    ax.axvline(0.0, color="#999999", lw=1, ls="--")
    ax.set_yticks(y, labels)
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", alpha=0.3)
    ax.set_title("Paired differences under common random numbers (95% CI)")
    return ax


def save_comparison_chart(comparison: pd.DataFrame, path: Path, profile: str = "all") -> Path:
    """Write the default forest plot of ``comparison`` (for ``profile``) to ``path``."""
    ax = plot_comparison(comparison, profile=profile)
    fig = ax.figure
    assert isinstance(fig, Figure)  # plot_comparison drew on a new figure of its own
    fig.tight_layout()
    fig.savefig(path, dpi=120, metadata={"Software": None})
    plt.close(fig)
    return path


def varied_columns(sweep: pd.DataFrame) -> list[str]:
    """The varied parameter columns of a sweep table, in order."""
    return [c for c in sweep.columns if c not in SWEEP_STANDARD_COLUMNS]


def plot_sweep_heatmap(
    sweep: pd.DataFrame, metric: str, profile: str = "all", ax: Axes | None = None
) -> Axes:
    """Mean ``metric`` of ``profile`` over two varied parameters.

    A full grid is drawn as an annotated heatmap (first parameter down, second across); a
    Latin hypercube design as a scatter coloured by the mean. With one varied parameter the
    heatmap has one row; with more than two, cells average over the others.
    """
    paths = varied_columns(sweep)
    if not paths:
        raise ValueError("the sweep table has no varied parameter columns")
    rows = sweep[(sweep["metric"] == metric) & (sweep["profile"] == profile)]
    if rows.empty:
        raise KeyError(f"no metric {metric!r} for profile {profile!r} in the sweep")
    if len(paths) == 1:
        rows = rows.assign(_="")
        paths = ["_", paths[0]]
    x_path, y_path = paths[0], paths[1]
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4.5))
    grid = rows.pivot_table(index=x_path, columns=y_path, values="mean", aggfunc="mean")
    image: AxesImage | PathCollection
    if grid.notna().all().all() and len(grid) * grid.shape[1] <= len(rows):
        image = ax.imshow(grid.to_numpy(float), origin="lower", aspect="auto", cmap="viridis")
        ax.set_xticks(range(grid.shape[1]), [_fmt(v) for v in grid.columns])
        ax.set_yticks(range(len(grid)), [_fmt(v) for v in grid.index])
        values = grid.to_numpy(float)
        middle = np.nanmean(values)
        for i in range(values.shape[0]):
            for j in range(values.shape[1]):
                ax.text(
                    j,
                    i,
                    _fmt(values[i, j]),
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if values[i, j] < middle else "black",
                )
        ax.set_xlabel(y_path)
        ax.set_ylabel("" if x_path == "_" else x_path)
    else:
        image = ax.scatter(rows[y_path], rows[x_path], c=rows["mean"], cmap="viridis", s=60)
        ax.set_xlabel(y_path)
        ax.set_ylabel(x_path)
    ax.figure.colorbar(image, ax=ax, label=f"{metric} ({profile})")
    others = " (averaged over other parameters)" if len(paths) > 2 else ""
    ax.set_title(f"{metric}, {profile}: mean over replications{others}")
    return ax


def plot_sweep_lines(
    sweep: pd.DataFrame, metric: str, profile: str = "all", ax: Axes | None = None
) -> Axes:
    """Mean ``metric`` with 95% band against the varied parameter (or the point number)."""
    rows = sweep[(sweep["metric"] == metric) & (sweep["profile"] == profile)]
    rows = rows.sort_values("point")
    paths = varied_columns(sweep)
    x_name = paths[0] if len(paths) == 1 else "point"
    rows = rows.sort_values(x_name)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    x = rows[x_name].to_numpy(float)
    ax.plot(x, rows["mean"], marker="o", color="#0072B2")
    ax.fill_between(
        x,
        rows["ci_low"].to_numpy(float),
        rows["ci_high"].to_numpy(float),
        color="#0072B2",
        alpha=0.2,
        linewidth=0,
    )
    ax.set_xlabel(x_name)
    ax.set_ylabel(f"{metric} ({profile})")
    ax.grid(alpha=0.3)
    return ax


def save_sweep_chart(
    sweep: pd.DataFrame,
    path: Path,
    metrics: Sequence[str] = HEATMAP_METRICS,
    profile: str = "all",
) -> Path:
    """Heatmaps (two varied parameters) or line charts, one panel per metric, to ``path``.

    ``profile`` is the group shown: ``all`` callers, or the ``team`` when the headcount varies.
    """
    two = len(varied_columns(sweep)) == 2
    fig, axes = plt.subplots(
        1, len(metrics), figsize=(6.5 * len(metrics), 4.8), constrained_layout=True, squeeze=False
    )
    for ax, metric in zip(axes[0], metrics, strict=True):
        (plot_sweep_heatmap if two else plot_sweep_lines)(sweep, metric, profile, ax)
    fig.savefig(path, dpi=120, metadata={"Software": None})
    plt.close(fig)
    return path


def _fmt(value: object) -> str:
    if isinstance(value, float | np.floating):
        if not np.isfinite(value):
            return "-"
        return f"{value:,.0f}" if abs(float(value)) >= 100 else f"{value:.3g}"
    return str(value)
