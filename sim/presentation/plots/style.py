"""Shared look of every chart: one colour per profile everywhere.

The library leaves the matplotlib backend alone (notebooks show charts inline; a machine with
no display falls back to Agg by itself); the command line selects Agg explicitly.
"""

from __future__ import annotations

from collections.abc import Sequence

_NAMED_COLORS = {"student": "#E69F00", "experienced": "#0072B2"}
_PALETTE = ["#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000", "#999999"]


def profile_colors(profiles: Sequence[str]) -> dict[str, str]:
    """A stable colour per profile: students orange, experienced blue, others in order."""
    colors, spare = {}, iter(_PALETTE * 4)
    for name in profiles:
        colors[name] = _NAMED_COLORS.get(name) or next(spare)
    return colors
