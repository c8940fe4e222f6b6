"""Charts of a run over time and of the working day: pure ``plot_x(results, ax=None) -> Axes``.

Chart 1 (contacts per day, with dials and connects as companions) and chart 5 (where the
operator-day's minutes go). Figure-level helpers compose panels; they return the figure and
leave saving (and closing) to the caller, except :func:`save_contacts_chart`.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from scipy import stats

from sim.analysis.results import Results
from sim.presentation.plots.common import axes_or_new, metric_label
from sim.presentation.plots.style import profile_colors

AIR_TIME_TARGET_MIN = 180.0
"""The forum's managers' target: at least 3 hours a day on air."""

DAY_PARTS: tuple[tuple[str, str, str], ...] = (
    ("talk_min", "air time (talk)", "#3B3B3B"),
    ("dial_min", "dialling and ringing", "#8C8C8C"),
    ("wrap_min", "wrap-up (forms)", "#BDBDBD"),
    ("break_min", "breaks", "#E3E3E3"),
    ("idle_min", "idle (nothing to call)", "#FFFFFF"),
    ("overrun_min", "overrun past shift end", "#A05A5A"),
)
"""Parts of the operator-day in stacking order: column, legend label, colour (greys, so the
bars' colours never read as profiles; air time is darkest because it is the one that matters)."""


def daily_means(results: Results, metric: str, level: float = 0.95) -> pd.DataFrame:
    """Per profile and day: mean of ``metric`` per operator-day over replications, with a band.

    Columns ``profile, day, mean, low, high``; the band is a Student-t interval over
    replications of the day's mean across the profile's callers.
    """
    frame = results.operator_days
    per_rep = (
        frame.groupby(["profile", "day", "replication"], observed=True)[metric].mean().reset_index()
    )
    grouped = per_rep.groupby(["profile", "day"], observed=True)[metric]
    out = grouped.agg(["mean", "std", "count"]).reset_index()
    dof = np.maximum(out["count"] - 1, 1)
    half = stats.t.ppf(0.5 + level / 2, dof) * out["std"].fillna(0.0) / np.sqrt(out["count"])
    out["low"], out["high"] = out["mean"] - half, out["mean"] + half
    out["profile"] = out["profile"].astype(str)
    return out[["profile", "day", "mean", "low", "high"]]


def plot_daily_metric(
    results: Results,
    metric: str,
    ax: Axes | None = None,
    ylabel: str | None = None,
    legend: bool = True,
) -> Axes:
    """Mean ``metric`` per operator-day over the horizon, one line and 95% band per profile."""
    ax = axes_or_new(ax)
    data = daily_means(results, metric)
    colors = profile_colors(results.profiles())
    for profile in results.profiles():
        part = data[data["profile"] == profile]
        day = part["day"].to_numpy() + 1
        ax.plot(day, part["mean"], color=colors[profile], label=profile, marker="o", ms=3)
        ax.fill_between(
            day, part["low"], part["high"], color=colors[profile], alpha=0.2, linewidth=0
        )
    ax.set_xlabel("working day of the horizon")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(ylabel or f"{metric_label(metric)} per operator-day")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    if legend:
        ax.legend(title="profile", frameon=False)
    return ax


def plot_contacts_per_day(results: Results, ax: Axes | None = None) -> Axes:
    """Chart 1: expected decision-maker contacts per operator-day, by day and profile."""
    ax = plot_daily_metric(results, "dm_contacts", ax, "DM contacts per operator-day")
    ax.set_title("Decision-maker contacts per caller per day (mean, 95% CI)")
    return ax


def plot_connects_per_day(results: Results, ax: Axes | None = None) -> Axes:
    """Chart 1 companion: connects (someone answered) per operator-day, by day and profile."""
    ax = plot_daily_metric(results, "answered", ax, "connects per operator-day")
    ax.set_title("Connects per caller per day")
    return ax


def plot_dials_per_day(results: Results, ax: Axes | None = None) -> Axes:
    """Chart 1 companion: dials per operator-day, by day and profile."""
    ax = plot_daily_metric(results, "dials", ax, "dials per operator-day")
    ax.set_title("Dials per caller per day")
    return ax


def contacts_figure(results: Results) -> Figure:
    """Chart 1 as a figure: DM contacts on top, connects and dials as companion panels."""
    fig = plt.figure(figsize=(9, 7), constrained_layout=True)
    grid = fig.add_gridspec(2, 2, height_ratios=[1.3, 1])
    top = fig.add_subplot(grid[0, :])
    _remove_legend(plot_contacts_per_day(results, top))
    handles, labels = top.get_legend_handles_labels()
    fig.legend(
        handles,
        labels,
        title="profile (line: mean; band: 95% CI over replications)",
        loc="outside lower center",
        ncols=len(labels),
        frameon=False,
    )
    _remove_legend(plot_connects_per_day(results, fig.add_subplot(grid[1, 0])))
    _remove_legend(plot_dials_per_day(results, fig.add_subplot(grid[1, 1])))
    fig.suptitle(
        f"{results.scenario.name}: contacts per caller over "
        f"{results.scenario.horizon_days} working days "
        f"({results.replications} replications)"
    )
    return fig


def _remove_legend(ax: Axes) -> None:
    """Remove the legend of ``ax``, which its plotting function always drew."""
    legend = ax.get_legend()
    assert legend is not None
    legend.remove()


def save_contacts_chart(results: Results, path: Path) -> Path:
    """Write chart 1 (:func:`contacts_figure`) to ``path`` as PNG."""
    fig = contacts_figure(results)
    try:
        fig.savefig(path, dpi=110, metadata={"Software": None})
    finally:
        plt.close(fig)
    return path


def day_breakdown(results: Results) -> pd.DataFrame:
    """Mean minutes per operator-day of each part of the day (:data:`DAY_PARTS`), by profile."""
    columns = [column for column, _, _ in DAY_PARTS]
    frame = results.operator_days
    means = frame.groupby("profile", observed=True)[columns].mean()
    means.index = means.index.astype(str)
    return means.reindex(results.profiles())


def plot_day_breakdown(results: Results, ax: Axes | None = None) -> Axes:
    """Chart 5: where the operator-day goes, stacked minutes per profile, 3-hour air-time line.

    One horizontal bar per profile (its name in the profile's colour); parts averaging under
    half a minute (usually idle and overrun) are left out of the bar and the legend.
    """
    profiles = results.profiles()
    ax = axes_or_new(ax, (9, 1.6 + 0.9 * len(profiles)))
    means = day_breakdown(results)
    y = np.arange(len(profiles))[::-1]
    left = np.zeros(len(profiles))
    shown = 0
    for column, label, color in DAY_PARTS:
        width = means[column].to_numpy()
        if np.nanmax(width) < 0.5:
            continue
        shown += 1
        ax.barh(
            y,
            width,
            left=left,
            color=color,
            edgecolor="#555555",
            linewidth=0.6,
            label=label,
            height=0.6,
        )
        dark = color in ("#3B3B3B", "#8C8C8C", "#A05A5A")
        for yi, x0, w in zip(y, left, width, strict=True):
            if w >= 28:
                # Boxed in the bar's colour so the target line never runs through a number.
                ax.text(
                    x0 + w / 2,
                    yi,
                    f"{w:.0f}",
                    ha="center",
                    va="center",
                    fontsize=9,
                    color="white" if dark else "black",
                    zorder=4,
                    bbox={"facecolor": color, "edgecolor": "none", "pad": 1.5},
                )
        left += width
    ax.axvline(AIR_TIME_TARGET_MIN, color="#C0392B", linestyle="--", linewidth=1.5, zorder=3)
    ax.text(
        AIR_TIME_TARGET_MIN,
        len(profiles) - 0.45,
        " 3 h air-time target",
        color="#C0392B",
        va="bottom",
        ha="left",
        fontsize=9,
    )
    colors = profile_colors(profiles)
    ax.set_yticks(y, profiles)
    for tick, profile in zip(ax.get_yticklabels(), profiles, strict=True):
        tick.set_color(colors[profile])
        tick.set_fontweight("bold")
    ax.set_ylim(-0.6, len(profiles) - 0.1)
    ax.set_xlim(0, max(float(left.max()), AIR_TIME_TARGET_MIN) * 1.02)
    ax.set_xlabel(
        f"minutes per operator-day (shift {results.scenario.shift.length_min:.0f} min;"
        " numbers are minutes)"
    )
    ax.set_title("Where the caller's day goes: minutes per operator-day by activity")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.28), ncols=min(shown, 4), frameon=False)
    ax.grid(axis="x", alpha=0.3)
    return ax
