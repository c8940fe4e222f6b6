"""The leads table holds the companies called; the untouched rest is counted or restored (#15).

A calling base of millions of companies must not cost memory in proportion: the table grows
with the attempts made. Nothing is lost: the untouched companies of a segment are those
numbered from its count of rows up, open, never dialled.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import sim
from sim.analysis.diagnostics import diagnose
from sim.records.lead_table import untouched_counts, with_untouched
from sim.records.replication import simulate_replication
from tests.builders import build


def _scenario(small: int, large: int, days: int = 3, students: int = 3) -> sim.Scenario:
    return build(
        {
            "name": "lean",
            "horizon_days": days,
            "segments": {"small": {"companies": small}, "large": {"companies": large}},
            "profiles": {"student": {}},
            "team": [{"profile": "student", "count": students}],
        }
    )


def test_the_table_holds_only_companies_called_however_big_the_base() -> None:
    scenario = _scenario(small=2_000_000, large=3_000_000, days=1, students=2)
    leads = simulate_replication(scenario, 7, 0).leads
    dials = int(simulate_replication(scenario, 7, 0).operator_days["dials"].sum())
    assert 0 < len(leads) <= dials < 1_000
    assert (leads["attempts"] >= 1).all()
    counts = untouched_counts(leads, scenario, [0])
    assert counts["called"].sum() == len(leads)
    assert counts.set_index("segment")["untouched"].to_dict() == {
        "small": 2_000_000 - int((leads["segment"] == "small").sum()),
        "large": 3_000_000 - int((leads["segment"] == "large").sum()),
    }


def test_untouched_companies_are_counted_per_replication_and_segment() -> None:
    scenario = _scenario(small=60, large=50_000)
    results = sim.run(scenario, replications=3, seed=2)
    supply = results.lead_supply()
    assert list(supply.columns) == ["replication", "segment", "companies", "called", "untouched"]
    assert len(supply) == 3 * 2
    full = results.all_leads()
    never = full[full["attempts"] == 0].groupby(["replication", "segment"], observed=True).size()
    expected = never.reindex(
        pd.MultiIndex.from_frame(supply[["replication", "segment"]]), fill_value=0
    )
    np.testing.assert_array_equal(supply["untouched"], expected)
    assert (supply.loc[supply["segment"] == "small", "untouched"] == 0).all()  # ran out


def test_the_restored_table_has_every_company_in_order() -> None:
    scenario = _scenario(small=60, large=500)
    results = sim.run(scenario, replications=2, seed=3)
    full = results.all_leads()
    assert len(full) == 2 * 560
    assert list(full.columns) == list(results.leads.columns)
    assert (full.dtypes == results.leads.dtypes).all()
    assert (full.groupby(["replication", "segment"], observed=True).size() == [60, 500] * 2).all()
    called = full[full["attempts"] > 0].reset_index(drop=True)
    pd.testing.assert_frame_equal(called, results.leads.reset_index(drop=True))
    untouched = full[full["attempts"] == 0]
    assert (untouched["status"] == "open").all() and not untouched["dm_identified"].any()
    assert untouched[["first_attempt_day", "dm_contact_day"]].isna().all().all()
    # Restoring a full table again changes nothing.
    pd.testing.assert_frame_equal(with_untouched(full, scenario, [0, 1]), full)


def test_warnings_are_the_same_from_a_full_table_of_older_results() -> None:
    scenario = _scenario(small=60, large=400, days=5)
    lean = sim.run(scenario, replications=3, seed=4)
    old = sim.Results(
        lean.scenario,
        lean.seed,
        lean.replications,
        lean.operator_days,
        lean.segment_days,
        lean.all_leads(),
    )
    found = [w.as_dict() for w in diagnose(lean)]
    assert {w["code"] for w in found} >= {"fresh_leads_ran_out", "segment_worked_out"}
    assert found == [w.as_dict() for w in diagnose(old)]


def test_a_targeted_list_restores_the_companies_it_skipped_not_a_prefix() -> None:
    """A targeted list calls companies out of index order: restore by number, not by count."""
    scenario = build(
        {
            "name": "targeted-lean",
            "horizon_days": 3,
            "segments": {"a": {"companies": 300}, "b": {"companies": 400}},
            "profiles": {"student": {}},
            "team": [
                {"profile": "student", "count": 3, "name": "picky"},
                {"profile": "student", "count": 2, "name": "broad"},
            ],
            "sales": {
                "fit": {"a": {"mean": 0.3, "sd": 0.2}, "b": {"mean": 0.3, "sd": 0.2}},
                "lists": {"picky": {"policy": "targeted", "share_kept": 0.5}},
            },
        }
    )
    results = sim.run(scenario, replications=2, seed=5)
    leads, full = results.leads, results.all_leads()
    keys = ["replication", "segment", "company"]
    # The companies called are not the first ones of their segment (the bug's premise).
    first = leads.groupby(["replication", "segment"], observed=True)["company"]
    assert (first.max() + 1 > first.size()).any()
    assert len(full) == 2 * 700 and not full.duplicated(keys).any()
    called = full.merge(leads, on=keys, suffixes=("", "_called"))
    assert len(called) == len(leads)
    for column in ("attempts", "status", "dm_identified", "first_attempt_day", "dm_contact_day"):
        pd.testing.assert_series_equal(
            called[column], called[f"{column}_called"], check_names=False
        )
    was_called = full.merge(leads[keys], on=keys, how="left", indicator=True)["_merge"]
    untouched = full[(was_called == "left_only").to_numpy()]
    assert (untouched["attempts"] == 0).all() and (untouched["status"] == "open").all()
    assert untouched["first_attempt_day"].isna().all()
    supply = results.lead_supply().set_index(["replication", "segment"])["untouched"]
    counted = untouched.groupby(["replication", "segment"], observed=True).size()
    np.testing.assert_array_equal(supply.to_numpy(), counted.reindex(supply.index).to_numpy())
