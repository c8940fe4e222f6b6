"""Charts of a run's results: pure functions ``plot_x(results, ax=None) -> Axes``."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from scipy import stats

from sim.plots.style import profile_colors
from sim.results import Results


def daily_means(results: Results, metric: str, level: float = 0.95) -> pd.DataFrame:
    """Per profile and day: mean of ``metric`` per operator-day over replications, with a band.

    Columns ``profile, day, mean, low, high``; the band is a Student-t interval over
    replications of the day's mean across the profile's callers.
    """
    frame = results.operator_days
    per_rep = (frame.groupby(["profile", "day", "replication"], observed=True)[metric]
               .mean().reset_index())
    grouped = per_rep.groupby(["profile", "day"], observed=True)[metric]
    out = grouped.agg(["mean", "std", "count"]).reset_index()
    dof = np.maximum(out["count"] - 1, 1)
    half = stats.t.ppf(0.5 + level / 2, dof) * out["std"].fillna(0.0) / np.sqrt(out["count"])
    out["low"], out["high"] = out["mean"] - half, out["mean"] + half
    out["profile"] = out["profile"].astype(str)
    return out[["profile", "day", "mean", "low", "high"]]


def plot_daily_metric(results: Results, metric: str, ax: Axes | None = None,
                      ylabel: str | None = None) -> Axes:
    """Mean ``metric`` per operator-day over the horizon, one line and 95% band per profile."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    data = daily_means(results, metric)
    colors = profile_colors(results.profiles())
    for profile in results.profiles():
        part = data[data["profile"] == profile]
        day = part["day"].to_numpy() + 1
        ax.plot(day, part["mean"], color=colors[profile], label=profile, marker="o", ms=3)
        ax.fill_between(day, part["low"], part["high"], color=colors[profile], alpha=0.2,
                        linewidth=0)
    ax.set_xlabel("working day of the horizon")
    ax.set_ylabel(ylabel or f"{metric} per operator-day")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(title="profile", frameon=False)
    return ax


def plot_contacts_per_day(results: Results, ax: Axes | None = None) -> Axes:
    """Expected decision-maker contacts per operator-day, by day and profile (95% bands)."""
    ax = plot_daily_metric(results, "dm_contacts", ax, "DM contacts per operator-day")
    ax.set_title("Decision-maker contacts per caller per day (mean, 95% CI)")
    return ax


def save_contacts_chart(results: Results, path: Path) -> Path:
    """Write the two-panel contacts-per-day chart (DM contacts; dials) to ``path``."""
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 7), sharex=True,
                                      constrained_layout=True)
    plot_contacts_per_day(results, top)
    plot_daily_metric(results, "dials", bottom, "dials per operator-day")
    bottom.set_title("Dials per caller per day (mean, 95% CI)")
    top.set_xlabel("")
    fig.suptitle(f"{results.scenario.name}: {results.replications} replications")
    fig.savefig(path, dpi=120, metadata={"Software": None})
    plt.close(fig)
    return path
