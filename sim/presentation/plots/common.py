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

METRIC_LABELS: dict[str, str] = {
    "dials": "dials",
    "busy": "busy signals",
    "no_answer": "unanswered dials",
    "answered": "connects (someone answered)",
    "calls_excl_busy_no_answer": "calls (busy and no-answer excluded)",
    "gatekeeper_contacts": "gatekeeper conversations",
    "gatekeeper_passed": "gatekeepers passed",
    "referrals": "referral transfers",
    "dm_contacts": "decision-maker contacts",
    "needs_immediate": "immediate needs",
    "needs_long_term": "long-term needs",
    "needs": "needs discovered",
    "meetings": "meetings booked",
    "talk_min": "air time, min",
    "dial_min": "dialling time, min",
    "wrap_min": "wrap-up time, min",
    "quota_units": "quota units",
    "cost": "cost",
    "quota_met": "share of operator-days meeting the quota",
    "cost_per_dm_contact": "cost per DM contact",
    "cost_per_meeting": "cost per meeting",
    "meetings_per_talk_hour": "meetings per hour on air",
    "needs_per_100_calls": "needs per 100 calls",
}
"""Axis wording of operator-day columns (counts are per operator-day unless said otherwise)."""

_SEGMENT_RAMP = ["#C9B8E0", "#9E7CC1", "#6A3D9A", "#3F1D6B", "#24103F"]


def metric_label(metric: str) -> str:
    """How ``metric`` reads on an axis: ``dm_contacts`` -> ``decision-maker contacts``."""
    return METRIC_LABELS.get(metric, metric.replace("_", " "))


def value_label(metric: str) -> str:
    """An axis label for a summary value of ``metric``: per operator-day unless a ratio."""
    from sim.records.kpis import RATIO_METRICS

    if metric in RATIO_METRICS or metric == "quota_met":
        return metric_label(metric)
    return f"{metric_label(metric)} per operator-day"


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
