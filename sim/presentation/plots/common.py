"""Shared pieces of the run charts: metric names for axes, segment colours, new axes.

Profiles keep their colours from :func:`sim.presentation.plots.style.profile_colors`; segments
(which only
chart 7 colours) get a purple ramp from light (first segment) to dark (last), so a segment is
never mistaken for a profile.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.colors import to_hex

import sim.presentation.plots.style  # noqa: F401  (selects the headless backend before pyplot draws)
from sim.records.kpis import KPI_BY_NAME, is_per_day, metric_label
from sim.scenario import Scenario

_SEGMENT_RAMP = ["#C9B8E0", "#9E7CC1", "#6A3D9A", "#3F1D6B", "#24103F"]


def value_label(metric: str) -> str:
    """An axis label for a summary value of ``metric``: per operator-day unless a ratio."""
    return (
        f"{metric_label(metric)} per operator-day" if is_per_day(metric) else metric_label(metric)
    )


def group_name(profile: str) -> str:
    """Who a figure describes: ``team`` the whole team, ``all`` all callers, else a profile."""
    return {"team": "whole team", "all": "all callers"}.get(profile, f"{profile} callers")


def sweep_value_label(metric: str, profile: str = "all", scenario: Scenario | None = None) -> str:
    """An axis label for ``metric`` of ``profile`` in an experiment chart, with its unit.

    Per-day metrics are per team-day for the ``team`` and per caller-day otherwise
    (``meetings booked per team-day``); money is in ``scenario``'s currency (``cost per
    meeting, RUB``); shares are percentages (``share of operator-days meeting the quota, %``).
    """
    found = KPI_BY_NAME.get(metric)
    label = metric_label(metric)
    if found is None:
        return label
    base, _, unit = label.partition(", ")
    if found.unit == "currency":
        unit = scenario.currency if scenario is not None else "currency"
    elif found.kind == "share":
        unit = "%"
    if is_per_day(metric):
        base += " per team-day" if profile == "team" else " per caller-day"
    return f"{base}, {unit}" if unit else base


def segment_colors(segments: Sequence[str]) -> dict[str, str]:
    """A colour per segment, light to dark in scenario order (purple: never a profile colour)."""
    n = len(segments)
    if n > len(_SEGMENT_RAMP):
        cmap = plt.get_cmap("Purples")
        return {name: to_hex(cmap(0.35 + 0.6 * i / (n - 1))) for i, name in enumerate(segments)}
    if n == 1:
        return {segments[0]: _SEGMENT_RAMP[2]}
    step = (len(_SEGMENT_RAMP) - 1) / max(n - 1, 1)
    return {name: _SEGMENT_RAMP[round(i * step)] for i, name in enumerate(segments)}


def axes_or_new(ax: Axes | None, figsize: tuple[float, float] = (7.0, 4.0)) -> Axes:
    """``ax`` itself, or the axes of a new figure (laid out with constrained layout)."""
    if ax is not None:
        return ax
    _, new = plt.subplots(figsize=figsize, constrained_layout=True)
    return new
