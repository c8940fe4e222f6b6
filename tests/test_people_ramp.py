"""Ramp-up (issue #13): a caller's speed and skills rise from a starting level with tenure.

- **Off-switch**: a ramp that is always at level 1 leaves every table as without it (only
  the ``tenure_day`` column is added); no ramp adds no column (the golden hashes pin that).
- **Renewal-reward**: with a line that never answers, each attempt is a renewal cycle of
  dial (exponential, the caller's own time) + ring (the line's) + wrap-up (the caller's); the
  dials on a tenure day match ``L / mu + (1 + cv^2) / 2`` for that day's cycle (own times
  divided by the level) within 4 standard errors.
- **Metamorphic**: a steeper ramp gives more DM contacts later in the horizon (same seed).
- **Tenure** per operator-day is the group's tenure at the start plus the horizon day.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import sim
from sim.records.replication import simulate_replication
from sim.records.tables import ReplicationTables
from sim.scenario import Scenario
from sim.scenario.people import RampUp
from tests.builders import build, constant_scenario, deep_update

STAGED = {
    "kind": "staged",
    "stages": [{"until_day": 2, "level": 0.35}, {"until_day": 4, "level": 0.65}],
}


def run(scenario: Scenario, seed: int = 1, replication: int = 0) -> ReplicationTables:
    return simulate_replication(scenario, seed, replication)


def day_team(
    ramp: dict[str, Any] | None, days: int = 6, callers: int = 3, **changes: Any
) -> Scenario:
    """Constant 2.5-minute DM conversations without need on a 480-minute day (no breaks)."""
    data = constant_scenario(
        profile={} if ramp is None else {"ramp": ramp},
        callers=callers,
        horizon_days=days,
        shift={"length_min": 480.0},
        segments={"seg": {"companies": 200_000}},
    )
    return build(deep_update(data, changes))


def test_levels_of_the_two_shapes() -> None:
    staged = RampUp.model_validate(STAGED)
    assert [staged.level(t) for t in range(6)] == [0.35, 0.35, 0.65, 0.65, 1.0, 1.0]
    exp = RampUp.model_validate(
        {"kind": "exponential", "start_level": 0.4, "time_constant_days": 5}
    )
    assert exp.level(0) == pytest.approx(0.4)
    assert exp.level(5) == pytest.approx(1 - 0.6 / np.e)
    assert exp.level(10_000) == pytest.approx(1.0)


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "staged", "stages": []},
        {
            "kind": "staged",
            "stages": [{"until_day": 5, "level": 0.5}, {"until_day": 3, "level": 0.7}],
        },
        {"kind": "exponential", "stages": [{"until_day": 5, "level": 0.5}]},
        {"kind": "staged", "stages": [{"until_day": 5, "level": 0.0}]},
    ],
)
def test_bad_ramps_are_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        RampUp.model_validate(bad)


def test_a_ramp_always_at_full_level_changes_nothing_but_adds_tenure() -> None:
    off = run(day_team(None))
    flat = run(day_team({"kind": "staged", "stages": [{"until_day": 3, "level": 1.0}]}))
    assert "tenure_day" not in off.operator_days
    pd.testing.assert_frame_equal(off.operator_days, flat.operator_days.drop(columns="tenure_day"))
    pd.testing.assert_frame_equal(off.segment_days, flat.segment_days)
    pd.testing.assert_frame_equal(off.leads, flat.leads)


def test_tenure_is_the_groups_tenure_plus_the_day_warm_up_included() -> None:
    scenario = day_team(
        STAGED, days=3, warm_up_days=2, team=[{"profile": "caller", "count": 2, "tenure_days": 1}]
    )
    days = run(scenario).operator_days
    assert days["tenure_day"].tolist() == [1, 1, 2, 2, 3, 3]
    # Tenure is set at the horizon's start: warm-up days before it are worked at tenure 0.
    novices = day_team(STAGED, days=2, warm_up_days=3)
    assert run(novices).operator_days["tenure_day"].unique().tolist() == [0, 1]


def test_dials_by_tenure_day_follow_the_renewal_reward_rate() -> None:
    dial_mean, ring, wrap, length = 1.0, 0.5, 0.5, 480.0
    scenario = build(
        constant_scenario(
            segment={"line": {"no_answer_prob": 1.0, "ring_time_no_answer": ring}},
            profile={
                "dial_time": {"kind": "exponential", "mean_min": dial_mean},
                "wrap_up_time": wrap,
                "ramp": STAGED,
            },
            callers=10,
            horizon_days=6,
            shift={"length_min": length},
            segments={"seg": {"companies": 500_000}},
        )
    )
    days = pd.concat([run(scenario, replication=r).operator_days for r in range(2)])
    ramp = scenario.profiles["caller"].ramp
    assert ramp is not None
    for tenure, group in days.groupby("tenure_day"):
        level = ramp.level(int(tenure))
        mu = dial_mean / level + ring + wrap / level
        var = (dial_mean / level) ** 2
        expected = length / mu + (1.0 + var / mu**2) / 2.0
        dials = group["dials"].to_numpy(dtype=float)
        se = dials.std(ddof=1) / np.sqrt(len(dials))
        assert abs(dials.mean() - expected) <= 4 * se, (tenure, dials.mean(), expected, se)


def test_a_steeper_ramp_gives_more_contacts_later() -> None:
    slow = {"kind": "exponential", "start_level": 0.3, "time_constant_days": 8}
    fast = {"kind": "exponential", "start_level": 0.3, "time_constant_days": 2}

    def later_contacts(ramp: dict[str, Any]) -> int:
        days = run(day_team(ramp, days=10)).operator_days
        return int(days.loc[days["day"] >= 5, "dm_contacts"].sum())

    assert later_contacts(fast) > later_contacts(slow)


def test_a_skill_ramp_lowers_a_novices_needs() -> None:
    """Speed off, skills on: fewer needs per DM contact at a low level (same companies)."""
    segment = {"needs": {"immediate_prob": 0.3}}
    ramp = {"kind": "staged", "stages": [{"until_day": 100, "level": 0.3}], "speed": False}
    full = run(
        build(constant_scenario(segment=segment, horizon_days=3, shift={"length_min": 480.0}))
    )
    novice = run(
        build(
            constant_scenario(
                segment=segment, profile={"ramp": ramp}, horizon_days=3, shift={"length_min": 480.0}
            )
        )
    )

    def need_share(tables: ReplicationTables) -> float:
        days = tables.operator_days
        return float(days["needs"].sum() / days["dm_contacts"].sum())

    assert need_share(full) == pytest.approx(0.3, abs=0.05)
    assert need_share(novice) == pytest.approx(0.3 * 0.3, abs=0.03)


def test_a_results_folder_with_tenure_saves_and_loads(tmp_path: Path) -> None:
    results = sim.run(day_team(STAGED, days=2), replications=2)
    folder = sim.save(results, tmp_path / "ramp")
    loaded = sim.load(folder)
    assert (
        loaded.operator_days["tenure_day"].tolist() == results.operator_days["tenure_day"].tolist()
    )
