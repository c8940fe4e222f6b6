"""Charts of issue #12: the funnel from dials to sales per team group, the sellers' backlog.

Drawn for runs whose scenario has sellers (a ``meetings`` table); see
:mod:`sim.analysis.sellers` for the figures.
"""

from __future__ import annotations

import numpy as np
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
    backlog = backlog_by_day(meetings, results.scenario.horizon_days)
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
