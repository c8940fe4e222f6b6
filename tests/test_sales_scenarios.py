"""Issue #12: the shipped forum scenarios reproduce T7 as a relative effect, and T8's pay runs."""

from __future__ import annotations

from pathlib import Path

import pytest

import sim
from sim.analysis.money import money_by_group
from sim.analysis.sellers import funnel_totals

FORUM = Path(__file__).resolve().parent.parent / "scenarios" / "forum"


def _funnel(name: str) -> dict[str, float]:
    scenario = sim.load_scenario(FORUM / f"{name}.yaml")
    results = sim.run(scenario, replications=2)
    totals = funnel_totals(results.operator_days, results.meetings).sum(numeric_only=True)
    return {
        "meetings_per_call": totals["booked"] / totals["calls"],
        "sale_share": totals["sales"] / totals["held"],
    }


@pytest.mark.slow
def test_t7_a_targeted_list_gives_3_to_5_times_the_meetings_per_call_and_more_sales() -> None:
    broad, targeted = _funnel("broad-list"), _funnel("targeted-list")
    assert 3.0 <= targeted["meetings_per_call"] / broad["meetings_per_call"] <= 5.0
    assert 0.1 <= broad["sale_share"] <= 0.4
    assert 0.5 <= targeted["sale_share"] <= 0.7


def test_the_pay_schemes_scenario_prices_a_sale_per_group() -> None:
    scenario = sim.load_scenario(FORUM / "pay-schemes.yaml")
    results = sim.run(scenario, replications=1)
    groups = money_by_group(scenario, results.operator_days, results.meetings).set_index("group")
    assert set(groups.index) == {"students", "seniors"}
    assert groups.loc["students", "commission"] == 0.0
    assert groups.loc["seniors", "bonus"] == 0.0
    assert (groups["cost_per_sale"] > 0).all()
