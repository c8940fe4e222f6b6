"""Per-group results: each team group is a row of its own (issue 10, finding 4).

Students on medium firms and students on large firms used to merge into one averaged
``student`` row. Each group now has a row (its name, or ``profile-INDEX`` when several unnamed
groups share a profile), and a group's row equals a run of that group alone on common random
numbers when groups call separate segments (callers of different segments never interact).
"""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

import sim
from tests.builders import build

SEGMENTS = {"medium": {"companies": 4000}, "large": {"companies": 4000}}


def _scenario(team: list[dict[str, object]]) -> sim.Scenario:
    return build(
        {
            "name": "groups",
            "horizon_days": 3,
            "segments": SEGMENTS,
            "profiles": {"student": {}, "experienced": {}},
            "team": team,
        }
    )


MEDIUM = {"profile": "student", "count": 3, "segments": {"medium": 1}, "name": "on_medium"}
LARGE = {"profile": "student", "count": 2, "segments": {"large": 1}, "name": "on_large"}


@pytest.fixture(scope="module")
def both() -> sim.Results:
    return sim.run(_scenario([MEDIUM, LARGE]), replications=3, seed=5)


def test_each_group_is_a_row_beside_the_profile_rows(both: sim.Results) -> None:
    summary = both.summary()
    assert list(dict.fromkeys(summary["profile"])) == [
        "student",
        "on_medium",
        "on_large",
        "all",
        "team",
    ]
    dm = summary[summary["metric"] == "dm_contacts"].set_index("profile")["mean"]
    # Medium firms are easier: the two groups differ, and the profile row lies between them.
    assert dm["on_medium"] > dm["on_large"]
    assert dm["on_large"] < dm["student"] < dm["on_medium"]


@pytest.mark.parametrize("group", [MEDIUM, LARGE])
def test_a_group_row_equals_a_run_of_that_group_alone(both: sim.Results, group: dict) -> None:
    alone = sim.run(_scenario([group]), replications=3, seed=5)
    for metric in ("dials", "dm_contacts", "meetings", "talk_min", "cost", "cost_per_dm_contact"):
        np.testing.assert_allclose(
            both.replication_values(metric, str(group["name"])).to_numpy(),
            alone.replication_values(metric, "all").to_numpy(),
            rtol=1e-12,
            err_msg=metric,
        )


def test_unnamed_groups_of_one_profile_are_labelled_by_their_index() -> None:
    unnamed = [{k: v for k, v in g.items() if k != "name"} for g in (MEDIUM, LARGE)]
    scenario = _scenario([*unnamed, {"profile": "experienced", "count": 1}])
    assert scenario.group_labels == ["student-0", "student-1", "experienced"]
    results = sim.run(scenario, replications=2, seed=1)
    assert results.groups() == ["student-0", "student-1"]
    assert set(results.operator_days["group"].astype(str)) == {
        "student-0",
        "student-1",
        "experienced",
    }
    assert results.operator_days["operator"].astype(str).iloc[0] == "student-0-01"


def test_a_group_named_like_its_only_profile_adds_no_duplicate_row() -> None:
    scenario = _scenario([{**MEDIUM, "name": "student"}])
    results = sim.run(scenario, replications=2, seed=1)
    assert results.groups() == []


def test_an_unknown_row_is_an_error_not_nan(both: sim.Results) -> None:
    with pytest.raises(KeyError, match=r"nosuch.*known: student, experienced, on_medium"):
        both.confidence_interval("dm_contacts", profile="nosuch")


@pytest.mark.parametrize(
    ("team", "words"),
    [
        ([{**MEDIUM, "name": "team"}], "reserved"),
        ([{**MEDIUM, "name": "experienced"}], "another profile"),
        ([{**MEDIUM, "name": "student"}, LARGE], "several groups"),
        ([{**MEDIUM, "name": "a b"}], "letters, digits"),
    ],
)
def test_group_names_that_would_mislabel_a_row_are_refused(team: list, words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        _scenario(team)


def test_compare_reports_group_rows() -> None:
    a = _scenario([MEDIUM, LARGE])
    b = _scenario([MEDIUM, {**LARGE, "count": 4}])
    comparison = sim.compare([a, b], replications=2, seed=3)
    table = comparison.to_frame()
    rows = set(table["profile"])
    assert {"on_medium", "on_large"} <= rows
    gain = table[(table["metric"] == "dials") & (table["profile"] == "on_medium")]
    # The medium group is unchanged and calls its own segment: identical dials under CRN.
    assert gain["mean"].nunique() == 1
    # Issue #10 audit: asking a comparison for a row it lacks names the rows it has.
    with pytest.raises(KeyError, match=r"known rows: .*on_medium, on_large, all, team"):
        comparison.confidence_interval("dials", profile="nosuch")
