"""Charts of issue #12: the funnel from dials to sales per team group, the sellers' backlog.

Drawn for runs whose scenario has sellers (a ``meetings`` table); see
:mod:`sim.analysis.sellers` for the figures.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from sim.analysis.results import Results
from sim.analysis.sellers import backlog_by_day, funnel_totals
from sim.presentation.plots.common import axes_or_new
from sim.presentation.plots.style import profile_colors

FUNNEL_STAGES = ("dials", "calls", "dm_contacts", "booked", "shown", "sales")
"""The funnel's stages, from the dial to the order signed in the horizon."""


def plot_sales_funnel(results: Results, ax: Axes | None = None) -> Axes:
    """Mean per replication of each funnel stage, per team group (log scale)."""
    ax = axes_or_new(ax, (8.0, 4.0))
    funnel = funnel_totals(results.operator_days, results.meetings)
    means = funnel.groupby("group", observed=True)[list(FUNNEL_STAGES)].mean()
    groups = [str(g) for g in means.index]
    colors = profile_colors(groups)
    width = 0.8 / max(1, len(groups))
    x = np.arange(len(FUNNEL_STAGES))
    for i, group in enumerate(groups):
        values = means.loc[group].to_numpy(dtype=float)
        ax.bar(x + i * width, np.maximum(values, 0.1), width, label=group, color=colors[group])
    ax.set_xticks(x + width * (len(groups) - 1) / 2)
    ax.set_xticklabels(["dials", "calls", "DM contacts", "meetings", "client came", "sales"])
    ax.set_yscale("log")
    ax.set_ylabel("per replication (mean over replications)")
    ax.set_title("From the dial to the sale, by team group")
    ax.legend(title="team group")
    return ax


def plot_sellers_backlog(results: Results, ax: Axes | None = None) -> Axes:
    """Meetings due and not yet held at the end of each day: mean and range over replications."""
    ax = axes_or_new(ax)
    meetings = results.meetings
    assert meetings is not None
    backlog = backlog_by_day(meetings, results.scenario.horizon_days, results.replications)
    by_day = backlog.groupby("day")["backlog"]
    days = np.asarray(by_day.mean().index)
    ax.fill_between(days, by_day.min(), by_day.max(), alpha=0.25, label="range over replications")
    ax.plot(days, by_day.mean(), marker="o", label="mean")
    ax.set_ylim(0.0, max(1.0, float(by_day.max().max())) * 1.1)
    ax.set_xlabel("working day of the horizon")
    ax.set_ylabel("meetings waiting for a seller")
    ax.set_title("Sellers' backlog over the horizon")
    ax.legend()
    return ax


def plot_money_by_scenario(money: dict[str, pd.DataFrame], ax: Axes | None = None) -> Axes:
    """Cost per sale and gross margin of each compared scenario, with 95 % intervals.

    ``money`` maps a run label to its ``money.csv`` (:func:`sim.analysis.money.money_summary`).
    """
    ax = axes_or_new(ax, (8.0, 4.0))
    labels = list(money)
    x = np.arange(len(labels))
    margin_ax = ax.twinx()
    for axis, metric, offset, color in (
        (ax, "cost_per_sale", -0.2, "#1f77b4"),
        (margin_ax, "gross_margin", 0.2, "#2ca02c"),
    ):
        rows = [money[label].set_index("metric").loc[metric] for label in labels]
        mean = np.array([float(r["mean"]) for r in rows])
        low = mean - np.array([float(r["ci_low"]) for r in rows])
        high = np.array([float(r["ci_high"]) for r in rows]) - mean
        axis.bar(x + offset, mean, 0.4, color=color, label=metric.replace("_", " "))
        axis.errorbar(
            x + offset,
            mean,
            yerr=[np.nan_to_num(low), np.nan_to_num(high)],
            fmt="none",
            ecolor="black",
            capsize=3,
        )
    ax.set_xticks(x)
    ax.set_xticklabels(labels)
    ax.set_ylabel("cost per sale (callers' and sellers' payroll per sale)")
    margin_ax.set_ylabel("gross margin per replication (revenue - payroll)")
    ax.set_title("Cost per sale and gross margin by scenario (95 % intervals)")
    handles = ax.get_legend_handles_labels()[0] + margin_ax.get_legend_handles_labels()[0]
    ax.legend(handles, ["cost per sale", "gross margin"], loc="upper left")
    return ax
