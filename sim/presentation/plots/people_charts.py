"""Charts of people over time: headcount, performance by tenure week, answered by hour.

Drawn for a run only when the mechanism behind each is on (:func:`people_charts_of`):
headcount with turnover, performance by tenure week with a ramp or turnover, the answered
share by hour with time-of-day factors and a call log.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from sim.analysis.people import (
    by_tenure_week,
    has_people_columns,
    has_turnover_columns,
    headcount_by_day,
)
from sim.analysis.results import Results
from sim.analysis.time_of_day import by_hour
from sim.presentation.plots.common import axes_or_new
from sim.records.kpis import metric_label

TENURE_METRICS = ("dials", "calls_excl_busy_no_answer")
"""Per-day metrics drawn by tenure week (the forum's T2/T4 trajectory is in these)."""


def people_charts_of(results: Results) -> list[str]:
    """Names of the people charts ``results`` can draw, in order."""
    days = results.operator_days
    names = []
    if has_turnover_columns(days):
        names.append("headcount")
    if has_people_columns(days):
        names.append("tenure_performance")
    if results.scenario.time_of_day and results.calls is not None:
        names.append("answered_by_hour")
    return names


def plot_headcount(results: Results, ax: Axes | None = None) -> Axes:
    """Callers at work per horizon day: mean over replications, with the 10-90 % band."""
    ax = axes_or_new(ax, (8, 4))
    counts = headcount_by_day(results.operator_days)
    by_day = counts.groupby("day")["headcount"]
    days = np.array(sorted(counts["day"].unique()))
    ax.fill_between(
        days,
        by_day.quantile(0.1).to_numpy(),
        by_day.quantile(0.9).to_numpy(),
        color="#9BB7D4",
        alpha=0.5,
        label="10-90 % of replications",
    )
    ax.plot(days, by_day.mean().to_numpy(), color="#1F4E79", marker="o", ms=3, label="mean")
    ax.axhline(results.scenario.operator_count, color="#555555", ls="--", lw=1, label="seats")
    ax.set_xlabel("Working day of the horizon")
    ax.set_ylabel("Callers at work")
    ax.set_ylim(bottom=0)
    ax.set_title("Headcount over the horizon (quits and hires)")
    ax.legend(loc="lower left", fontsize=8)
    return ax


def plot_tenure_performance(results: Results, ax: Axes | None = None) -> Axes:
    """Dials and calls per operator-day by tenure week, with 95 % intervals."""
    ax = axes_or_new(ax, (8, 4))
    for metric, color in zip(TENURE_METRICS, ("#8C8C8C", "#1F4E79"), strict=True):
        weeks = by_tenure_week(results.operator_days, metric)
        x = weeks["tenure_week"].to_numpy() + 1
        mean = weeks["mean"].to_numpy()
        err = np.vstack([mean - weeks["ci_low"].to_numpy(), weeks["ci_high"].to_numpy() - mean])
        ax.errorbar(
            x,
            mean,
            yerr=np.nan_to_num(err),
            color=color,
            marker="o",
            capsize=3,
            label=metric_label(metric),
        )
    ax.set_xlabel("Tenure week (1 = the first five days worked)")
    ax.set_ylabel("Per operator-day")
    ax.set_ylim(bottom=0)
    ax.set_title("Performance by tenure week (ramp-up)")
    ax.legend(loc="lower right", fontsize=8)
    return ax


def plot_answered_by_hour(results: Results, ax: Axes | None = None) -> Axes:
    """Answered share of dials by hour of the shift, from the call log."""
    ax = axes_or_new(ax, (8, 4))
    calls = results.calls
    if calls is None:
        raise ValueError("the answered share by hour needs a run with the call log")
    hours = by_hour(calls)
    ax.bar(hours["hour"] + 1, hours["answered_share"], color="#1F4E79", edgecolor="#555555")
    ax.set_xlabel("Hour of the shift")
    ax.set_ylabel("Answered share of dials")
    ax.set_ylim(0, 1)
    ax.set_title("Answered share by hour of the shift")
    return ax
