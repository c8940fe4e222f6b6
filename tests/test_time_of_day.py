"""Time of day and weekday (issue #13): answer, gatekeeper and DM factors by hour and weekday.

- The answered share by hour of the shift matches the configured profile (chi-square).
- A flat profile (every factor 1) gives identical tables; a lunch dip gives fewer answers in
  that hour (same seed); a weekday with no DM available has no DM contacts.
- :func:`scale_call_params` keeps probabilities valid and changes only the stage asked.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.analysis.time_of_day import by_hour
from sim.model.decisions import compile_call_params
from sim.model.time_of_day import scale_call_params
from sim.records.replication import simulate_replication
from sim.records.tables import ReplicationTables
from sim.scenario import Scenario
from tests.builders import build, constant_scenario

LINE = {"busy_prob": 0.25, "no_answer_prob": 0.25}


def hours_team(time_of_day: dict[str, Any] | None, days: int = 3, **segment: Any) -> Scenario:
    """Half the dials answered, 4-hour shifts without breaks, 4 callers."""
    data = constant_scenario(
        segment={"line": LINE, **segment},
        callers=4,
        horizon_days=days,
        shift={"length_min": 240.0},
        segments={"seg": {"companies": 200_000}},
    )
    if time_of_day is not None:
        data["time_of_day"] = {"seg": time_of_day}
    return build(data)


def run(scenario: Scenario, replication: int = 0) -> ReplicationTables:
    return simulate_replication(scenario, 1, replication, call_log=True)


def test_answered_share_by_hour_matches_the_profile() -> None:
    factors = [1.6, 1.0, 0.4, 1.2]
    tables = run(hours_team({"answer_by_hour": factors}))
    assert tables.calls is not None
    hours = by_hour(tables.calls)
    hours = hours[hours["hour"] < len(factors)]
    p = np.minimum(1.0, 0.5 * np.array(factors))[hours["hour"]]
    observed = np.concatenate([hours["answered"], hours["dials"] - hours["answered"]])
    expected = np.concatenate([hours["dials"] * p, hours["dials"] * (1 - p)])
    # 2 cells per hour, the hour's dials fixed: as many degrees of freedom as hours.
    result = stats.chisquare(observed, expected, ddof=len(hours) - 1)
    assert result.pvalue > 0.001, (hours, p)
    # And it is a real profile: the dip hour differs from the best one by far.
    share = hours.set_index("hour")["answered_share"]
    assert share[0] > 0.7 and share[2] < 0.3


def test_a_flat_profile_gives_identical_tables() -> None:
    off = run(hours_team(None))
    flat = run(hours_team({"answer_by_hour": [1.0] * 4, "dm_available_by_weekday": [1.0] * 5}))
    for name in ("operator_days", "segment_days", "leads", "calls"):
        pd.testing.assert_frame_equal(getattr(off, name), getattr(flat, name))


def test_a_lunch_dip_gives_fewer_answers_in_that_hour() -> None:
    def answered(tables: ReplicationTables) -> pd.Series:
        assert tables.calls is not None
        return by_hour(tables.calls).set_index("hour")["answered"]

    flat, dip = run(hours_team(None)), run(hours_team({"answer_by_hour": [1, 1, 0.3, 1]}))
    assert answered(dip)[2] < 0.8 * answered(flat)[2]


def test_no_dm_on_fridays_means_no_dm_contacts_on_fridays() -> None:
    days = run(hours_team({"dm_available_by_weekday": [1, 1, 1, 1, 0]}, days=6)).operator_days
    per_day = days.groupby("day")["dm_contacts"].sum()
    assert per_day[4] == 0
    assert (per_day.drop(4) > 0).all()


def test_unknown_segment_is_refused() -> None:
    data = constant_scenario()
    data["time_of_day"] = {"sge": {"answer_by_hour": [1.0]}}
    with pytest.raises(ValueError, match="unknown segment"):
        build(data)


@pytest.mark.parametrize("answer", [0.0, 0.5, 1.0, 1.5, 10.0])
@pytest.mark.parametrize("gk", [0.0, 0.7, 1.0, 3.0])
def test_scaled_thresholds_stay_probabilities(answer: float, gk: float) -> None:
    scenario = build(
        constant_scenario(
            segment={
                "line": {**LINE, "invalid_prob": 0.1},
                "gatekeeper": {
                    "present_prob": 0.5,
                    "pass_prob": 0.4,
                    "dm_out_prob": 0.2,
                    "email_prob": 0.1,
                },
            }
        )
    )
    base = compile_call_params(scenario.segments["seg"], scenario.profiles["caller"])
    scaled = scale_call_params(base, answer, gk, 2.0)
    busy, no_answer, invalid = np.diff([0.0, *scaled.line_cuts])
    assert invalid == pytest.approx(0.1)
    assert busy >= 0 and no_answer >= 0 and scaled.line_cuts[2] <= 1 + 1e-12
    assert 1 - scaled.line_cuts[2] == pytest.approx(min(0.9, 0.4 * answer))
    assert scaled.gatekeeper_cuts[0] == pytest.approx(min(1.0, 0.4 * gk))
    assert list(scaled.gatekeeper_cuts) == sorted(scaled.gatekeeper_cuts)
    assert scaled.gatekeeper_cuts[2] <= 1 + 1e-12
    assert scaled.dm_available_prob == min(1.0, base.dm_available_prob * 2.0)
    assert scaled.needs_cuts == base.needs_cuts
    assert scale_call_params(base, 1.0, 1.0, 1.0) is base
