"""Metamorphic tests: change one input in a known direction, expect the output to follow.

Both runs of a comparison use the same root seed, so they share common random numbers (the
same companies meet the same latent answers); comparisons are per replication where the effect
dominates the noise, and of means over replications otherwise.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import sim
from sim.scenario import Scenario
from tests.builders import deep_update

SEED = 3
REPLICATIONS = 4


def preset_scenario(**changes: Any) -> Scenario:
    """Two students on 3000 small firms for two 8-hour days; ``changes`` deep-merge in."""
    base = {
        "name": "metamorphic",
        "horizon_days": 2,
        "segments": {"small": {"companies": 3000}},
        "team": [{"profile": "student", "count": 2}],
    }
    data = deep_update(base, changes)
    for key in ("segments", "team"):  # these replace rather than merge
        if key in changes:
            data[key] = changes[key]
    return Scenario.model_validate(data)


def per_replication(
    scenario: Scenario, *columns: str, replications: int = REPLICATIONS
) -> pd.DataFrame:
    """Totals of ``columns`` over operator-days, one row per replication."""
    results = sim.run(scenario, replications=replications, seed=SEED, jobs=1)
    return results.operator_days.groupby("replication")[list(columns)].sum()


def test_more_callers_make_at_least_as_many_dials_in_every_replication() -> None:
    two = per_replication(preset_scenario(team=[{"profile": "student", "count": 2}]), "dials")
    three = per_replication(preset_scenario(team=[{"profile": "student", "count": 3}]), "dials")
    assert (three["dials"] >= two["dials"]).all(), (two, three)
    # ... and clearly more on average: a third caller adds about half the capacity.
    assert three["dials"].mean() > 1.3 * two["dials"].mean()


def test_more_callers_never_reduce_dials_even_when_the_base_runs_out() -> None:
    small_base = {"small": {"companies": 40}}
    # Identical callers: with personal skills, who happens to call a company decides how soon
    # it closes, and the property is about the team's size, not about who calls.
    alike = {"student": {"speed_spread": 0.0, "skill_spread": 0.0}}
    two = per_replication(
        preset_scenario(
            segments=small_base, profiles=alike, team=[{"profile": "student", "count": 2}]
        ),
        "dials",
    )
    four = per_replication(
        preset_scenario(
            segments=small_base, profiles=alike, team=[{"profile": "student", "count": 4}]
        ),
        "dials",
    )
    assert (four["dials"] >= two["dials"]).all(), (two, four)


def gatekeeper_segment(pass_prob: float) -> dict[str, Any]:
    return {
        "medium": {"companies": 3000, "gatekeeper": {"present_prob": 1.0, "pass_prob": pass_prob}}
    }


def test_lower_gatekeeper_pass_probability_gives_no_more_dm_contacts() -> None:
    easy = per_replication(
        preset_scenario(segments=gatekeeper_segment(0.6)),
        "dm_contacts",
        "gatekeeper_contacts",
        "gatekeeper_passed",
    )
    hard = per_replication(
        preset_scenario(segments=gatekeeper_segment(0.2)),
        "dm_contacts",
        "gatekeeper_contacts",
        "gatekeeper_passed",
    )
    # The effect is large; it holds per replication and for the means with a margin.
    assert (hard["dm_contacts"] <= easy["dm_contacts"]).all(), (easy, hard)
    assert hard["dm_contacts"].mean() < 0.8 * easy["dm_contacts"].mean()
    pass_rate = lambda t: t["gatekeeper_passed"].sum() / t["gatekeeper_contacts"].sum()  # noqa: E731
    assert pass_rate(hard) < pass_rate(easy)


@pytest.mark.parametrize("profile", ["student", "experienced"])
def test_large_enterprises_give_fewer_dm_contacts_per_dial_than_small_firms(profile: str) -> None:
    def rate(segment: str) -> pd.Series:
        totals = per_replication(
            preset_scenario(
                segments={segment: {"companies": 3000}}, team=[{"profile": profile, "count": 2}]
            ),
            "dm_contacts",
            "dials",
        )
        return totals["dm_contacts"] / totals["dials"]

    small, large = rate("small"), rate("large")
    assert (large < small).all(), (small, large)
    assert large.mean() < 0.5 * small.mean()


def test_higher_discovery_skill_gives_no_fewer_needs_on_average() -> None:
    def needs(skill: float) -> pd.DataFrame:
        return per_replication(
            preset_scenario(profiles={"student": {"discovery_skill": skill}}),
            "needs",
            "needs_immediate",
            "needs_long_term",
            replications=6,
        )

    low, high = needs(0.5), needs(1.5)
    assert high["needs"].mean() > low["needs"].mean() + 1.0, (low, high)
    assert high["needs_immediate"].mean() >= low["needs_immediate"].mean()
    assert high["needs_long_term"].mean() >= low["needs_long_term"].mean()


def test_zero_discovery_skill_discovers_no_needs() -> None:
    totals = per_replication(
        preset_scenario(profiles={"student": {"discovery_skill": 0.0}}), "needs", "dm_contacts"
    )
    assert (totals["needs"] == 0).all()
    assert (totals["dm_contacts"] > 0).all()


def test_longer_shift_gives_at_least_as_many_dials_in_every_replication() -> None:
    short = per_replication(preset_scenario(shift={"length_min": 240.0}), "dials")
    long = per_replication(preset_scenario(shift={"length_min": 480.0}), "dials")
    assert (long["dials"] >= short["dials"]).all(), (short, long)
    assert long["dials"].mean() > 1.5 * short["dials"].mean()


def test_longer_shift_gives_at_least_as_many_working_minutes() -> None:
    def minutes(length: float) -> np.ndarray:
        scenario = preset_scenario(shift={"length_min": length})
        days = sim.run(scenario, replications=2, seed=SEED, jobs=1).operator_days
        return (
            days[["talk_min", "dial_min", "wrap_min"]]
            .sum(axis=1)
            .groupby(days["replication"])
            .sum()
            .to_numpy()
        )

    assert (minutes(300.0) >= minutes(150.0)).all()


def test_higher_gatekeeper_skill_passes_every_gatekeeper_a_lower_skill_passes() -> None:
    # Pathwise, through common random numbers: a company's first attempt meets the same
    # gatekeeper with the same latent answer; a better caller is put through whenever a
    # worse one is.
    def first_attempts(skill: float) -> pd.DataFrame:
        scenario = preset_scenario(
            segments={"medium": {"companies": 3000, "gatekeeper": {"present_prob": 1.0}}},
            profiles={"student": {"gatekeeper_skill": skill}},
        )
        calls = sim.run(scenario, replications=1, seed=SEED, jobs=1, call_log=True).calls
        assert calls is not None
        first = calls[calls["attempt"] == 1]
        return first.assign(
            passed=first["gatekeeper"].astype(str) == "passed",
            met=first["gatekeeper"].astype(str) != "none",
        )[["company", "met", "passed"]]

    low, high = first_attempts(0.5), first_attempts(1.5)
    both = low.merge(high, on="company", suffixes=("_low", "_high"))
    assert len(both) > 100
    assert (both["met_low"] == both["met_high"]).all()  # the line and gatekeeper are the same
    assert (both["passed_high"] | ~both["passed_low"]).all()
    assert both["passed_high"].sum() > both["passed_low"].sum()
