"""Tests of the terminal tables' number formatting."""

from __future__ import annotations

import math

import pytest

from sim.presentation.console import mean_with_half


@pytest.mark.parametrize(
    ("mean", "half", "scale", "fmt", "expected"),
    [
        (96.2, 0.4, 1.0, "{:.1f}", "96.2 ±0.4"),  # the KPI's own format when it shows the CI
        (96.2123, 0.0412, 1.0, "{:.1f}", "96.21 ±0.04"),  # finer when ±0.0 would show
        (1.27, 0.004, 1.0, "{:.2f}", "1.270 ±0.004"),
        (0.955, 0.0015, 100.0, "{:.0f}%", "95.5% ±0.1"),  # percentages keep their sign
        (3592.4, 0.3, 1.0, "{:,.0f}", "3,592.4 ±0.3"),  # thousands separators kept
        (3592.4, 63.2, 1.0, "{:,.0f}", "3,592 ±63"),
        (5.0, 0.0, 1.0, "{:.1f}", "5.0"),  # one replication: no interval
        (5.0, math.nan, 1.0, "{:.1f}", "5.0"),
        (0.0454545, 1.7e-17, 1.0, "{:.1f}", "0.0"),  # identical replications, rounding noise
        (0.0454545, 0.004, 1.0, "{:.1f}", "0.045 ±0.004"),
        (math.nan, 1.0, 1.0, "{:.1f}", "-"),  # e.g. cost per meeting with no meeting
    ],
)
def test_a_cell_never_shows_a_zero_half_width(
    mean: float, half: float, scale: float, fmt: str, expected: str
) -> None:
    assert mean_with_half(mean, half, fmt, scale) == expected


def test_signed_differences_keep_their_sign_but_not_on_the_half_width() -> None:
    assert mean_with_half(1.2345, 0.004, "{:+,.1f}", sep=" ± ") == "+1.234 ± 0.004"
    assert mean_with_half(-12.0, 3.0, "{:+,.1f}", sep=" ± ") == "-12.0 ± 3.0"
