"""Plain-text tables of a sensitivity analysis and a break-even (the CLI prints them)."""

from __future__ import annotations

import math

import pandas as pd

from sim.analysis.break_even import BreakEven
from sim.presentation.console import _table
from sim.presentation.numbers import format_number as _number


def _interval(low: float, high: float) -> str:
    if not (math.isfinite(low) and math.isfinite(high)):
        return "-"
    return f"{_number(low)} to {_number(high)}"


def effects_table(effects: pd.DataFrame) -> str:
    """Per parameter (ranked): the metric at low and high, the swing with its 95% CI.

    For Morris also mu*, its 95% bootstrap CI and sigma.
    """
    morris = bool(effects["method"].eq("morris").any())
    header = ["parameter", "low..high", "at low", "at high", "swing", "swing 95% CI"]
    header += ["mu*", "mu* 95% CI", "sigma"] if morris else []
    rows = []
    for row in effects.itertuples():
        cells = [
            str(row.parameter),
            f"{row.low:g}..{row.high:g}",
            _number(row.low_mean),
            _number(row.high_mean),
            _number(row.swing),
            _interval(row.swing_ci_low, row.swing_ci_high),
        ]
        if morris:
            cells += [
                _number(row.mu_star),
                _interval(row.mu_star_ci_low, row.mu_star_ci_high),
                _number(row.sigma),
            ]
        rows.append(cells)
    return _table(header, rows)


def break_even_lines(result: BreakEven) -> list[str]:
    """What a break-even search found, in words, then its evaluations as a table."""
    target = result.target
    what = f"{target.metric} ({target.group}, {target.unit})"
    lines = [
        f"Break-even of {result.path} in {result.scenario} (applied to {result.scenario} only) "
        f"against {result.against} on {what}, searched in {result.low:g}..{result.high:g}:"
    ]
    if result.estimate is None:
        lines.append(
            f"  no break-even in range: {result.above}'s {target.metric} is higher over the "
            f"whole range"
        )
    else:
        low = ("<= " if result.ci_low_open else "") + _number(result.ci_low)
        high = (">= " if result.ci_high_open else "") + _number(result.ci_high)
        lines.append(
            f"  {result.path} = {_number(result.estimate, 4)}, "
            f"{result.level:.0%} CI {low} to {high}"
        )
        if result.ci_low_open or result.ci_high_open:
            lines.append("  (the interval reaches the end of the range: widen it to close it)")
        if result.crossings > 1:
            lines.append(
                f"  the difference crosses zero {result.crossings} times in the range; "
                "this is the first crossing"
            )
    points = result.points()
    rows = [
        [
            _number(r.value, 4),
            _number(r.scenario_mean),
            _number(r.against_mean),
            _number(r.diff_mean),
            _interval(r.diff_ci_low, r.diff_ci_high),
        ]
        for r in points.itertuples()
    ]
    header = [
        result.path.rsplit(".", 1)[-1],
        result.scenario,
        result.against,
        f"{result.scenario} - {result.against}",
        "95% CI",
    ]
    lines += ["", _table(header, rows)]
    return lines
