"""Tests of the one number format every table, the report and the charts use."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import sim.analysis.quota
from sim.presentation.console import comparison_table, quota_table, summary_table, sweep_table
from sim.presentation.numbers import (
    format_bounds,
    format_estimate,
    format_metric_estimate,
    format_number,
    format_value,
)


@pytest.mark.parametrize(
    ("mean", "half", "unit", "expected"),
    [
        # Issue #10: compare printed "3,145 ±1.2e+02".
        (3145.3, 118.7, "", "3,150 ±120"),
        (3592.4, 63.2, "", "3,592 ±63"),
        (3592.4, 0.3, "", "3,592.40 ±0.30"),
        (96.2123, 0.0412, "", "96.212 ±0.041"),
        (96.2, 0.4, "", "96.20 ±0.40"),
        (0.0454545, 0.004, "", "0.0455 ±0.0040"),
        (0.0996, 0.0996, "", "0.10 ±0.10"),  # rounding carries into a new digit
        # Issue #10: "95.5% ±0.2" and "95.5 ±0.15%" in two tables: one form.
        (95.5, 0.15, "%", "95.50% ±0.15%"),
        (95.5, 0.2, "%", "95.50% ±0.20%"),
        (3145.3, 118.7, "RUB", "3,150 ±120 RUB"),
        # Huge and tiny values: separators or plain decimals, never an exponent.
        (1.234e15, 4.56e12, "", "1,234,000,000,000,000 ±4,600,000,000,000"),
        (1.234e-9, 5.6e-11, "", "0.000000001234 ±0.000000000056"),
        # No interval: the mean alone, three significant digits.
        (5.0, 0.0, "", "5.00"),
        (5.0, math.nan, "", "5.00"),
        (5.0, None, "", "5.00"),
        (0.0454545, 1.7e-17, "", "0.0455"),  # identical replications, rounding noise
        (95.5, 0.0, "%", "95.5%"),
        (math.nan, 1.0, "", "-"),  # e.g. cost per meeting with no meeting
        (None, 1.0, "%", "-"),
    ],
)
def test_format_estimate(mean: float | None, half: float | None, unit: str, expected: str) -> None:
    assert format_estimate(mean, half, unit) == expected


def test_signed_differences_keep_their_sign_but_not_on_the_half_width() -> None:
    assert format_estimate(1.2345, 0.004, signed=True) == "+1.2345 ±0.0040"
    assert format_estimate(-12.0, 3.0, signed=True) == "-12.0 ±3.0"
    assert format_estimate(0.0001, 0.5, signed=True) == "+0.00 ±0.50"


def test_share_metrics_are_percentages_and_their_differences_percentage_points() -> None:
    assert format_metric_estimate("quota_met", 0.955, 0.9535, 0.9565) == "95.50% ±0.15%"
    assert (
        format_metric_estimate("quota_met", -0.02, -0.035, -0.005, difference=True)
        == "-2.0 ±1.5 pp"
    )
    assert format_metric_estimate("meetings", 0.35, 0.31, 0.39) == "0.350 ±0.040"


def test_plain_numbers_and_exact_inputs_have_no_exponent() -> None:
    assert format_number(3145.3) == "3,145"
    assert format_number(1e20) == "100,000,000,000,000,000,000"
    assert format_number(1.5e-7) == "0.000000150"
    assert format_number(0.0) == "0"
    assert format_value(20000.0) == "20,000"
    assert format_value(0.05) == "0.05"
    assert format_value(0.0537826) == "0.05378"
    assert format_value(1e-5) == "0.00001"


def _comparison(metric: str, rows: list[tuple[str, float, float, float]]) -> pd.DataFrame:
    base = rows[0][0]
    return pd.DataFrame(
        [
            {
                "label": label,
                "baseline": base,
                "metric": metric,
                "profile": "all",
                "mean": mean,
                "ci_low": mean - half,
                "ci_high": mean + half,
                "diff_mean": diff,
                "diff_ci_low": diff - half,
                "diff_ci_high": diff + half,
                "var_ratio": 0.25,
            }
            for label, mean, half, diff in rows
        ]
    )


def test_comparison_table_never_prints_scientific_notation() -> None:
    # The trial's compare printed "3,145 ±1.2e+02" for cost per meeting.
    table = _comparison("cost_per_meeting", [("a", 3145.3, 118.7, 0.0), ("b", 2911.0, 130.2, -234)])
    text = comparison_table(table, ["cost_per_meeting"])
    assert "3,150 ±120" in text and "2,910 ±130" in text and "-230 ±130" in text
    assert "e+" not in text and "e-" not in text


def test_a_difference_at_floating_point_noise_is_written_zero() -> None:
    # Issue #10 audit: two teams with the same pay per caller printed a cost difference of
    # "-0.000000000000227" (the paired mean of 681.8181... - 681.8181...).
    same = 15000 / 22
    table = _comparison("cost", [("a", same, 0.0, 0.0), ("b", same, 0.0, -2.27e-13)])
    text = comparison_table(table, ["cost"])
    assert "00000" not in text and text.splitlines()[-1].split()[-2] == "0", text
    # A variance ratio of identical paired differences is 0, not 1.5e-31 in plain digits.
    noisy = _comparison("needs", [("a", 0.8, 0.5, 0.0), ("b", 0.6, 0.5, -0.22)])
    noisy["var_ratio"] = 1.5e-31
    assert comparison_table(noisy, ["needs"]).splitlines()[-1].split()[-1] == "0"
    # A real difference, however small against the mean, is still written.
    assert format_metric_estimate("cost", 0.5, 0.5, 0.5, difference=True, of=same) == "+0.500"


def test_sweep_table_writes_shares_as_percentages_and_values_as_given() -> None:
    table = pd.DataFrame(
        [
            {
                "point": "p000",
                "needs.immediate_prob": 0.05,
                "metric": "quota_met",
                "profile": "all",
                "mean": 0.955,
                "ci_low": 0.953,
                "ci_high": 0.957,
                "replications": 10,
            }
        ]
    )
    text = sweep_table(table, ["needs.immediate_prob"], ["quota_met"])
    assert "95.50% ±0.20%" in text and " 0.05 " in f"{text} "


class _Results:
    """The little of a ``Results`` the summary table reads."""

    def __init__(self, quota_met: tuple[float, float]) -> None:
        from sim.records.kpis import RUN_HEADLINES

        mean, half = quota_met
        rows = []
        for kpi in RUN_HEADLINES:
            m, h = (mean, half) if kpi.name == "quota_met" else (10.0, 1.0)
            rows.append({"metric": kpi.name, "profile": "student", "mean": m, "half_width": h})
        self._summary = pd.DataFrame(rows)
        self.operator_days = pd.DataFrame(
            {"profile": ["student"], "group": ["student"], "operator": ["student-01"]}
        )

    def summary(self) -> pd.DataFrame:
        return self._summary

    def profiles(self) -> list[str]:
        return ["student"]

    def groups(self) -> list[str]:
        return []


def test_the_two_percentage_tables_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    # Issue #10: the summary printed "95.5% ±0.2" and the quota table "95.5 ±0.15%".
    quota = pd.DataFrame(
        [
            {
                "profile": "student",
                "quota": "60 calls",
                "part": 1,
                "unit_label": "calls",
                "target": 60.0,
                "p_part": 0.955,
                "p_part_low": 0.9535,
                "p_part_high": 0.9565,
                "p_met": 0.955,
                "p_met_low": 0.9535,
                "p_met_high": 0.9565,
                **{f"norm_p{s}{e}": 60.0 for s in (50, 80, 95) for e in ("", "_low", "_high")},
            }
        ]
    )
    monkeypatch.setattr(sim.analysis.quota, "quota_attainment", lambda results, level: quota)
    results = _Results((0.955, 0.0015))
    assert "95.50% ±0.15%" in summary_table(results)  # type: ignore[arg-type]
    assert "95.50% ±0.15%" in quota_table(results)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "low", "high", "signed", "expected"),
    [
        # Issue #10 audit: a break-even point printed its difference as "-0.00000000000119".
        (-1.19e-12, -2059.0, 2059.0, True, ("+0", "-2,100 to 2,100")),
        (0.77681, 0.5, 1.0123, False, ("0.78", "0.50 to 1.01")),  # was "0.7768" in "0.500 to 1.01"
        (12.6, 3.82, 21.3, False, ("12.6", "3.8 to 21.3")),
        (0.0, 0.0, 0.0, False, ("0", "0 to 0")),
        (1.0, math.nan, 2.0, False, ("1.00", "-")),
    ],
)
def test_format_bounds_writes_a_value_and_its_interval_to_one_place(
    value: float, low: float, high: float, signed: bool, expected: tuple[str, str]
) -> None:
    assert format_bounds(value, low, high, signed=signed) == expected


def test_break_even_and_effects_tables_round_to_their_intervals() -> None:
    import re

    import numpy as np

    from sim.analysis.break_even import find_break_even
    from sim.analysis.target import TargetMetric
    from sim.presentation.effects_console import break_even_lines, effects_table

    shared = np.random.default_rng(3).normal(0.0, 1.0, 20)
    b = 2000.0 + shared * 500.0

    own = np.random.default_rng(4).normal(0.0, 300.0, 20)

    def evaluate(values):  # A(p) - B is linear in p: Brent's root has a mean difference of ~1e-12
        return [2000.0 + (v - 0.8) * 1500.0 + shared * 500.0 + own for v in values]

    result = find_break_even(
        evaluate, b, path="profiles.student.discovery_skill", low=0.5, high=3.0,
        scenario="a", against="b", target=TargetMetric("cost_per_meeting", "team"), points=6,
    )  # fmt: skip
    text = "\n".join(break_even_lines(result))
    assert not re.search(r"\d\.\d{6,}|e[+-]\d", text), text  # no noise digits, no exponent
    estimate, bounds = format_bounds(result.estimate, result.ci_low, result.ci_high)
    assert f"= {estimate}, 95% CI {bounds}" in text
    effects = pd.DataFrame(
        [{"parameter": "p", "low": 0.8, "high": 1.2, "method": "oat", "low_mean": 24.7,
          "high_mean": 37.2, "swing": 12.55, "swing_ci_low": 3.8213, "swing_ci_high": 21.33}]
    )  # fmt: skip
    assert re.search(r"12\.6 +3\.8 to 21\.3$", effects_table(effects))


def test_effects_tornado_and_work_estimate_never_write_an_exponent() -> None:
    # Issue #10 audit: "{:g}" and "{:,.4g}" wrote large bounds and bases as 1e+06 / 1.091e+04
    # (sensitivity table, tornado chart) and the work estimate as "about 3.2e+07 call attempts".
    import matplotlib.pyplot as plt

    from sim.execution.limits import WorkEstimate
    from sim.presentation.effects_console import effects_table
    from sim.presentation.plots.sensitivity_charts import plot_tornado

    effects = pd.DataFrame(
        [{"parameter": "profiles.student.pay.fixed_per_month", "low": 1_000_000.0,
          "high": 2_000_000.0, "method": "oat", "metric": "cost", "group": "team",
          "unit": "currency per team-day", "base_value": 1_500_000.0, "base_mean": 10909.1,
          "low_mean": 9000.0, "high_mean": 12000.0, "swing": 3000.0, "swing_ci_low": 2900.0,
          "swing_ci_high": 3100.0}]
    )  # fmt: skip
    text = effects_table(effects)
    assert "1,000,000..2,000,000" in text and "e+" not in text, text
    ax = plot_tornado(effects)
    drawn = [ax.get_title(), *(t.get_text() for t in ax.texts)]
    assert not [t for t in drawn if "e+" in t], drawn
    assert "base 10,909" in ax.get_title()
    plt.close(ax.figure)
    described = WorkEstimate(attempts=3.2e7, seconds=300.0, memory_bytes=1.2e9).describe()
    assert described == "about 32,000,000 call attempts, 5 min and 1.2 GB"
