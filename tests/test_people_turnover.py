"""Turnover and hiring (issue #13): callers quit with a daily hazard and are replaced.

- **Geometric law**: with a constant hazard ``h`` and no replacement within the horizon, the
  share of seats still at work on day ``d`` is ``(1 - h)^d`` and the operator-days worked per
  seat are the survival sum; with immediate replacement the completed tenures have mean
  ``1 / h``.
- **Off-switch**: a hazard of 0 changes no table but adds the people columns.
- **Metamorphic** (same seed): a higher hazard, or a hazard rising with days without a
  meeting, gives a lower mean tenure.
- Hires carry the hiring cost, and a replacement starts the ramp again at tenure 0.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import sim
from sim.analysis.people import (
    by_tenure_week,
    headcount_by_day,
    turnover_by_replication,
    turnover_summary,
)
from sim.records.replication import simulate_replication
from sim.scenario import Scenario
from tests.builders import build, constant_scenario


def seats(
    turnover: dict[str, Any] | None, callers: int = 20, days: int = 30, **profile: Any
) -> Scenario:
    """2.5-minute DM conversations without need on a 10-minute shift (4 attempts a day)."""
    if turnover is not None:
        profile["turnover"] = turnover
    return build(
        constant_scenario(
            profile=profile,
            callers=callers,
            horizon_days=days,
            shift={"length_min": 10.0},
            segments={"seg": {"companies": 200_000}},
        )
    )


def days_of(scenario: Scenario, replications: int = 3, seed: int = 1) -> pd.DataFrame:
    return pd.concat(
        [simulate_replication(scenario, seed, r).operator_days for r in range(replications)],
        ignore_index=True,
    )


def test_survival_follows_the_geometric_law_and_days_worked_are_its_sum() -> None:
    h, n_days, callers, reps = 0.1, 30, 20, 3
    scenario = seats({"daily_quit_prob": h, "hiring_delay_days": 1000}, callers, n_days)
    days = days_of(scenario, reps)
    n = callers * reps
    at_work = headcount_by_day(days).groupby("day")["headcount"].sum()
    at_work = at_work.reindex(range(n_days), fill_value=0).to_numpy()
    survival = (1 - h) ** np.arange(n_days)
    se = np.sqrt(survival * (1 - survival) / n)
    assert np.all(np.abs(at_work / n - survival) <= 4 * se + 1e-12)
    # Operator-days worked per seat: the survival sum, Σ (1 - h)^d.
    per_seat = days.groupby(["replication", "operator"], observed=True).size()
    per_seat = per_seat.reindex(
        pd.MultiIndex.from_product([range(reps), days["operator"].cat.categories]), fill_value=0
    )
    expected = survival.sum()
    assert abs(per_seat.mean() - expected) <= 4 * per_seat.std(ddof=1) / np.sqrt(n)
    # Nobody is replaced within the horizon, and every quit is a caller's last day.
    assert not days["hired"].any()
    last = days.groupby(["replication", "operator"], observed=True)["day"].transform("max")
    assert (days.loc[days["quit"], "day"] == last[days["quit"]]).all()


def test_completed_tenures_have_the_geometric_mean() -> None:
    h = 0.2
    scenario = seats({"daily_quit_prob": h, "hiring_delay_days": 0}, callers=20, days=60)
    days = days_of(scenario, 2)
    start = days["day"] - days["tenure_day"]
    spells = days.loc[days["quit"] & (start <= 10), "tenure_day"].to_numpy() + 1
    assert len(spells) > 50
    se = np.sqrt(1 - h) / h / np.sqrt(len(spells))
    assert abs(spells.mean() - 1 / h) <= 4 * se
    # Immediate replacement: every seat works every day.
    assert (headcount_by_day(days)["headcount"] == 20).all()


def test_zero_hazard_changes_nothing_but_adds_the_people_columns() -> None:
    off = simulate_replication(seats(None, callers=3, days=4), 1, 0)
    on = simulate_replication(seats({"daily_quit_prob": 0.0}, callers=3, days=4), 1, 0)
    extra = ["tenure_day", "hired", "quit"]
    pd.testing.assert_frame_equal(off.operator_days, on.operator_days.drop(columns=extra))
    pd.testing.assert_frame_equal(off.segment_days, on.segment_days)
    pd.testing.assert_frame_equal(off.leads, on.leads)


def test_a_higher_hazard_gives_a_lower_mean_tenure() -> None:
    def tenure(h: float, **turnover: Any) -> float:
        scenario = seats({"daily_quit_prob": h, "hiring_delay_days": 2, **turnover}, days=20)
        return float(days_of(scenario, 2)["tenure_day"].mean())

    assert tenure(0.2) < tenure(0.05)
    # No meeting is ever booked here, so a hazard rising with such days raises the hazard.
    assert tenure(0.05, rise_per_day_without_meeting=0.5) < tenure(0.05)


def test_hires_pay_the_hiring_cost_and_restart_the_ramp() -> None:
    ramp = {"kind": "staged", "stages": [{"until_day": 3, "level": 0.5}]}
    turnover = {"daily_quit_prob": 0.3, "hiring_delay_days": 1, "hiring_cost": 5000.0}
    scenario = seats(turnover, callers=5, days=15, ramp=ramp)
    days = days_of(scenario, 2)
    pay = 22000.0 / 22
    hired = days["hired"].to_numpy(dtype=bool)
    assert hired.any()
    assert np.allclose(days.loc[hired, "cost"], pay + 5000.0)
    assert np.allclose(days.loc[~hired, "cost"], pay)
    assert (days.loc[hired, "tenure_day"] == 0).all()
    # A novice at level 0.5 makes half as many attempts (constant 2.5-minute attempts).
    first = days.loc[days["tenure_day"] < 3, "dials"]
    later = days.loc[days["tenure_day"] >= 3, "dials"]
    assert first.max() < later.min()
    per_rep = turnover_by_replication(days, scenario)
    assert (per_rep["turnover_cost"] == per_rep["hires"] * 5000.0).all()
    assert (per_rep["headcount"] < 5).all()
    summary = turnover_summary(days, scenario).set_index("metric")
    assert summary.loc["hires", "mean"] == per_rep["hires"].mean()
    weeks = by_tenure_week(days, "dials")
    assert weeks["operator_days"].sum() == len(days)


def test_a_run_with_turnover_saves_and_loads(tmp_path: Any) -> None:
    results = sim.run(seats({"daily_quit_prob": 0.3, "hiring_delay_days": 1}, 4, 6), 2)
    loaded = sim.load(sim.save(results, tmp_path / "turnover"))
    assert loaded.operator_days["quit"].tolist() == results.operator_days["quit"].tolist()
    assert len(results.operator_days) < 2 * 4 * 6
    assert results.summary is not None


@pytest.mark.parametrize(
    "bad", [{"daily_quit_prob": 1.5}, {"daily_quit_prob": 0.1, "hiring_delay_days": -1}]
)
def test_bad_turnover_is_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        seats(bad)
