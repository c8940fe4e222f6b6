"""Issue #12: long-term needs come back after their delay and convert.

A company that said "call us in half a year" is called back after
``retry.long_term_callback_days``; on the first call back that reaches needs discovery it has
an immediate need with probability ``c + (1 - c) q`` (no fit spread): ``c`` the conversion
(``sales.long_term_convert_prob``), ``q`` the segment's immediate-need probability, which
still applies when the conversion does not happen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import sim
from tests.builders import build

FORUM = Path(__file__).resolve().parent.parent / "scenarios" / "forum"
NEEDS_OUTCOMES = ("meeting", "hot_lead", "long_term_need", "no_need", "dm_refusal")
IMMEDIATE = ("meeting", "hot_lead")

RETURNING: dict[str, Any] = {
    "name": "long-term-returns",
    "horizon_days": 30,
    "seed": 21,
    "retry": {"long_term_callback_days": 12},
    "segments": {
        "medium": {"companies": 20000, "needs": {"immediate_prob": 0.08, "long_term_prob": 0.4}}
    },
    "profiles": {"student": {"discovery_skill": 1.0, "skill_spread": 0.0}},
    "team": [{"profile": "student", "count": 4, "name": "students"}],
    "sales": {"long_term_convert_prob": 0.3},
}


def first_needs_call_after_long_term(calls: pd.DataFrame) -> pd.DataFrame:
    """Per company with a long-term need: the first later attempt that reached needs discovery."""
    calls = calls.sort_values(["replication", "segment", "company", "attempt"])
    keys = ["replication", "segment", "company"]
    outcome = calls["outcome"].astype(str)
    first_long = calls[outcome == "long_term_need"].groupby(keys, observed=True)["attempt"].min()
    later = calls.join(first_long.rename("long_at"), on=keys, how="inner")
    later = later[
        (later["attempt"] > later["long_at"]) & later["outcome"].astype(str).isin(NEEDS_OUTCOMES)
    ]
    return later.groupby(keys, observed=True).head(1)


def test_long_term_needs_return_and_convert_at_the_analytic_share() -> None:
    scenario = build(RETURNING)
    results = sim.run(scenario, replications=3, call_log=True)
    assert results.calls is not None
    back = first_needs_call_after_long_term(results.calls)
    assert len(back) > 200
    converted = back["outcome"].astype(str).isin(IMMEDIATE)
    c, q = 0.3, 0.08
    p = c + (1 - c) * q
    se = np.sqrt(p * (1 - p) / len(back))
    assert abs(converted.mean() - p) < 4 * se
    # Off: without the conversion the same returns have only the base immediate share.
    off = build({**RETURNING, "sales": {"long_term_convert_prob": 0.0}})
    base = first_needs_call_after_long_term(sim.run(off, replications=3, call_log=True).calls)
    share = base["outcome"].astype(str).isin(IMMEDIATE).mean()
    assert abs(share - q) < 4 * np.sqrt(q * (1 - q) / len(base))


def test_a_long_term_need_comes_back_no_earlier_than_its_delay() -> None:
    results = sim.run(build(RETURNING), replications=1, call_log=True)
    calls = results.calls
    assert calls is not None
    back = first_needs_call_after_long_term(calls)
    keys = ["replication", "segment", "company"]
    need_day = (
        calls[calls["outcome"].astype(str) == "long_term_need"]
        .groupby(keys, observed=True)["day"]
        .min()
    )
    gap = back.set_index(keys)["day"] - need_day.reindex(back.set_index(keys).index)
    assert (gap >= 12).all()


@pytest.mark.slow
def test_the_shipped_long_horizon_scenario_sees_long_term_needs_convert() -> None:
    """scenarios/forum/long-term.yaml: the forum's half-year delay (130 days) within 176 days."""
    scenario = sim.load_scenario(FORUM / "long-term.yaml")
    assert scenario.retry.long_term_callback_days == 130
    results = sim.run(scenario, replications=2, call_log=True)
    assert results.calls is not None
    back = first_needs_call_after_long_term(results.calls)
    converted = back["outcome"].astype(str).isin(IMMEDIATE)
    assert len(back) > 20 and converted.sum() > 0
    # Far above the segment's base immediate share: the conversion acts.
    base = results.calls["outcome"].astype(str)
    base_share = base.isin(IMMEDIATE).sum() / base.isin(NEEDS_OUTCOMES).sum()
    assert converted.mean() > 2 * base_share
