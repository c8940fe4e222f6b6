"""Several runs side by side: their summaries in one table and a KPI as grouped bars.

For questions that take more than one run ("which segment should students call?" is one run per
segment): :func:`runs_summary` stacks each run's :meth:`~sim.analysis.results.Results.summary`
under its
label, and :func:`plot_metric_by_run` draws one group of bars per run, one bar per profile in
the profile's colour, with 95% confidence whiskers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from sim.analysis.results import ALL_PROFILES, TEAM, Results
from sim.presentation.plots.common import axes_or_new, metric_label, value_label
from sim.presentation.plots.style import profile_colors

HEADLINE_METRICS = (
    "dm_contacts",
    "needs",
    "meetings",
    "quota_met",
    "cost_per_dm_contact",
    "cost_per_meeting",
)
"""What :func:`runs_summary` keeps by default."""


def runs_summary(
    runs: Mapping[str, Results],
    metrics: Sequence[str] | None = HEADLINE_METRICS,
    level: float = 0.95,
) -> pd.DataFrame:
    """Every run's summary rows for ``metrics`` (None: all), with the run's label in ``run``.

    Columns ``run, metric, profile, mean, ci_low, ci_high, half_width, ...`` as in
    :meth:`Results.summary`; runs keep the mapping's order.
    """
    frames = []
    for label, results in runs.items():
        summary = results.summary(level)
        if metrics is not None:
            summary = summary[summary["metric"].isin(list(metrics))]
        frames.append(summary.assign(run=label))
    table = pd.concat(frames, ignore_index=True)
    return table[["run", *[c for c in table.columns if c != "run"]]]


def plot_metric_by_run(
    summary: pd.DataFrame,
    metric: str,
    ax: Axes | None = None,
    profiles: Sequence[str] | None = None,
    ylabel: str | None = None,
) -> Axes:
    """Grouped bars of ``metric``: a group per run (``run`` column), a bar per profile, 95% CI.

    ``summary`` is :func:`runs_summary`'s table; ``profiles`` defaults to every profile in it
    except ``all`` and ``team``.
    """
    part = summary[summary["metric"] == metric]
    runs = list(dict.fromkeys(part["run"]))
    if profiles is None:
        profiles = [p for p in dict.fromkeys(part["profile"]) if p not in (ALL_PROFILES, TEAM)]
    ax = axes_or_new(ax, (max(6.0, 1.6 * len(runs) * max(len(profiles), 1) / 2 + 2), 4.2))
    colors = profile_colors(list(profiles))
    width = 0.8 / max(len(profiles), 1)
    x = np.arange(len(runs))
    for k, profile in enumerate(profiles):
        rows = part[part["profile"] == profile].set_index("run").reindex(runs)
        mean = rows["mean"].to_numpy(dtype=float)
        error = np.vstack(
            [
                mean - rows["ci_low"].to_numpy(dtype=float),
                rows["ci_high"].to_numpy(dtype=float) - mean,
            ]
        )
        ax.bar(
            x - 0.4 + width * (k + 0.5),
            mean,
            width * 0.92,
            color=colors[profile],
            label=profile,
            yerr=np.nan_to_num(error),
            capsize=3,
            ecolor="#333333",
        )
    ax.set_xticks(x, runs)
    ax.set_xlabel("run")
    ax.set_ylabel(ylabel or value_label(metric))
    ax.set_title(f"{metric_label(metric).capitalize()} by run and profile (mean, 95% CI)")
    ax.legend(title="profile", frameon=False)
    ax.grid(axis="y", alpha=0.3)
    return ax
