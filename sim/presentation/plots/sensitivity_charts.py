"""The tornado chart of a sensitivity analysis.

A pure function on the effects table (``effects.csv``, :class:`sim.Sensitivity.to_frame`):
one horizontal bar per parameter from the metric's mean with the parameter at its low bound
to the mean at its high bound (the others at base, common random numbers), drawn around a
line at the base scenario's mean, largest effect on top.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from sim.presentation.numbers import format_number, format_value
from sim.presentation.plots.common import axes_or_new

LOW_COLOR = "#4C78A8"
HIGH_COLOR = "#F58518"


def _bound(value: float) -> str:
    return format_value(value)


def plot_tornado(effects: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Tornado chart of ``effects`` (see module docstring); the unit is in the axis label.

    The part of a bar from the base to the low-bound mean is blue, to the high-bound mean
    orange; bars are in the table's rank order (by ``mu_star`` for Morris, by swing for OAT).
    """
    rows = effects.sort_values("rank", ascending=False) if "rank" in effects else effects
    ax = axes_or_new(ax, figsize=(7.5, 1.2 + 0.55 * len(rows)))
    base = float(rows["base_mean"].iloc[0])
    y = np.arange(len(rows))
    for value_column, color in (("low_mean", LOW_COLOR), ("high_mean", HIGH_COLOR)):
        ends = rows[value_column].to_numpy(float)
        ax.barh(y, ends - base, left=base, color=color, height=0.6)
    for k, row in enumerate(rows.itertuples()):
        if row.low_mean == row.high_mean:  # no bar: one label, not two on top of each other
            ax.annotate(
                f" {_bound(row.low)}..{_bound(row.high)}: no change",
                (row.low_mean, k),
                ha="left",
                va="center",
                fontsize=8,
                color="#333333",
            )
            continue
        for end, bound in ((row.low_mean, row.low), (row.high_mean, row.high)):
            if np.isfinite(end):
                side = "left" if end >= base else "right"
                ax.annotate(
                    f" {_bound(bound)} ",
                    (end, k),
                    ha=side,
                    va="center",
                    fontsize=8,
                    color="#333333",
                )
    ax.axvline(base, color="#333333", linewidth=1)
    ax.set_yticks(y, [str(p) for p in rows["parameter"]])
    first = rows.iloc[0]
    ax.set_xlabel(f"{first['metric']} ({first['group']}), {first['unit']}")
    ax.set_title(
        f"{first['metric']}: each parameter at its low and high bound (base {format_number(base)})",
        fontsize=10,
    )
    ax.legend(
        handles=[Patch(color=LOW_COLOR, label="at low"), Patch(color=HIGH_COLOR, label="at high")],
        loc="best",
        fontsize=8,
    )
    ax.margins(x=0.15)
    return ax


def save_tornado_chart(effects: pd.DataFrame, path: str | Path) -> Path:
    """Draw :func:`plot_tornado` into ``path`` (PNG)."""
    ax = plot_tornado(effects)
    fig = ax.figure
    assert isinstance(fig, Figure)  # plot_tornado drew on a new figure of its own
    try:
        fig.savefig(path, format="png", dpi=110, metadata={"Software": None}, bbox_inches="tight")
    finally:
        plt.close(fig)
    return Path(path)
