"""Report sections for the air-time rule and timed callbacks (issue #13): shown when on.

The air-time section states air minutes per operator-day and talk per DM contact against
the rule, and the assumed ``length_effect_per_min``; the timed-callback section the times
set. A run without either mechanism gets neither section.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import sim
from sim.analysis.people import air_time_summary
from sim.presentation.people_sections import people_sections
from tests.builders import build, constant_scenario

RULE = {"min_talk_min": 7.5, "min_air_hours_per_day": 2.0, "length_effect_per_min": 0.05}


def _run(profile: dict[str, Any] | None = None, retry: dict[str, Any] | None = None) -> sim.Results:
    data = constant_scenario(
        profile=profile,
        callers=2,
        horizon_days=2,
        shift={"length_min": 240.0},
        segment={"companies": 400},
        **({"retry": retry} if retry else {}),
    )
    return sim.run(build(data), replications=2, seed=3)


def test_the_air_time_section_shows_air_and_talk_against_the_rule() -> None:
    results = _run(profile={"air_time": RULE})
    html = "".join(people_sections(results))
    assert "<h2 id=air-time>" in html
    summary = air_time_summary(results.operator_days, results.scenario).set_index("metric")
    days = results.operator_days
    per_rep_air = days.groupby("replication")["talk_min"].mean()
    assert summary.loc["air_min_per_day", "mean"] == pytest.approx(per_rep_air.mean())
    totals = days.groupby("replication")[["talk_min", "dm_contacts"]].sum()
    per_contact = (totals["talk_min"] / totals["dm_contacts"]).mean()
    assert summary.loc["talk_min_per_dm_contact", "mean"] == pytest.approx(per_contact)
    # The floor holds on every DM conversation, so talk per DM contact is at least the floor.
    assert summary.loc["talk_min_per_dm_contact", "mean"] >= RULE["min_talk_min"]
    assert np.isfinite(summary["ci_low"]).all()
    for shown in ("7.5", "120", "0.05", "length_effect_per_min"):
        assert shown in html


def test_the_timed_callback_section_lists_the_times_set() -> None:
    timed = {"dm_unavailable": {"hour": 1.5, "weekday": 1}, "busy": {"hour": 0.25}}
    html = "".join(people_sections(_run(retry={"callback_at": timed})))
    assert "<h2 id=timed-callbacks>" in html
    assert "dm_unavailable" in html and "Tuesday" in html and "any working day" in html
    assert "Callbacks scheduled per operator-day" in html


def test_neither_section_without_the_mechanisms() -> None:
    results = _run()
    html = "".join(people_sections(results))
    assert "id=air-time" not in html and "id=timed-callbacks" not in html
    assert air_time_summary(results.operator_days, results.scenario).empty
