"""Scenario field paths in words, with units: what sweep chart axes are labelled with."""

from __future__ import annotations

import pytest

import sim
from sim.scenario.fields import field_label

SCENARIO = sim.scenario_from_mapping(
    {
        "name": "labels",
        "currency": "EUR",
        "segments": {"large": {}},
        "team": [{"profile": "student", "count": 2}, {"profile": "experienced", "count": 1}],
    }
)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("team.0.count", "team group 0 (student): number of callers in the group"),
        ("team.1.count", "team group 1 (experienced): number of callers in the group"),
        ("shift.length_min", "shift length, min"),
        ("retry.busy_delay_min", "retry after a busy line, min"),
        ("horizon_days", "working days measured"),
        (
            "segments.large.needs.immediate_prob",
            "segment large: P(immediate need | DM conversation)",
        ),
        ("segments.large.companies", "segment large: number of companies in the calling base"),
        (
            "profiles.student.dial_time.mean_min",
            "profile student: looking up and dialling a number by hand: mean duration, min",
        ),
        ("profiles.student.pay.fixed_per_month", "profile student: fixed wage per month, EUR"),
        (
            "profiles.student.quota.0.target",
            "profile student: quota part 0: units per operator-day",
        ),
    ],
)
def test_a_field_path_reads_as_its_description_with_its_unit(path: str, expected: str) -> None:
    assert field_label(path, SCENARIO) == expected


def test_without_a_scenario_groups_are_numbered_and_money_is_in_currency() -> None:
    assert field_label("team.0.count") == "team group 0: number of callers in the group"
    assert (
        field_label("profiles.x.pay.fixed_per_month") == "profile x: fixed wage per month, currency"
    )


@pytest.mark.parametrize("path", ["nonsense", "team.0.nope", "shift.length_min.deeper"])
def test_an_unknown_path_is_shown_as_written(path: str) -> None:
    assert field_label(path, SCENARIO) == path
