"""Plain-text tables of a sensitivity analysis and a break-even (the CLI prints them)."""

from __future__ import annotations

import pandas as pd

from sim.analysis.break_even import BreakEven
from sim.presentation.console import _table
from sim.presentation.numbers import format_bounds, format_value
from sim.presentation.numbers import format_number as _number


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
            f"{format_value(row.low)}..{format_value(row.high)}",
            _number(row.low_mean),
            _number(row.high_mean),
            *format_bounds(row.swing, row.swing_ci_low, row.swing_ci_high),
        ]
        if morris:
            cells += [
                *format_bounds(row.mu_star, row.mu_star_ci_low, row.mu_star_ci_high),
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
        f"against {result.against} on {what}, searched in "
        f"{format_value(result.low)}..{format_value(result.high)}:"
    ]
    if result.estimate is None:
        lines.append(
            f"  no break-even in range: {result.above}'s {target.metric} is higher over the "
            f"whole range"
        )
    else:
        estimate, bounds = format_bounds(result.estimate, result.ci_low, result.ci_high)
        low, _, high = bounds.partition(" to ") if " to " in bounds else (bounds, "", bounds)
        low = ("<= " if result.ci_low_open else "") + low
        high = (">= " if result.ci_high_open else "") + high
        lines.append(f"  {result.path} = {estimate}, {result.level:.0%} CI {low} to {high}")
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
            format_value(r.value),
            _number(r.scenario_mean),
            _number(r.against_mean),
            *format_bounds(r.diff_mean, r.diff_ci_low, r.diff_ci_high, signed=True),
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
