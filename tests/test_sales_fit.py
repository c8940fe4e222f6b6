"""Issue #12: latent company fit, list policies and the return of long-term needs."""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
import pytest
from scipy import special, stats

from sim.model.build import build_replication
from sim.model.decisions import compile_call_params, decide_attempt
from sim.model.fit import needs_with_fit
from sim.model.outcomes import LeadStatus
from sim.records.replication import simulate_replication
from sim.scenario import Scenario
from tests.builders import build, deep_update

MIXED: dict[str, Any] = {
    "name": "fit",
    "horizon_days": 3,
    "seed": 7,
    "segments": {"medium": {"companies": 3000}},
    "team": [{"profile": "student", "count": 3, "name": "callers"}],
}


def table_hashes(scenario: Scenario, replication: int = 0) -> dict[str, str]:
    """SHA-256 of each table of one replication (values, column names, order)."""
    tables = simulate_replication(scenario, 5, replication, call_log=True)
    out = {}
    for name in ("operator_days", "segment_days", "leads", "calls"):
        frame = getattr(tables, name)
        digest = hashlib.sha256(frame.to_csv(index=False).encode())
        out[name] = digest.hexdigest()
    return out


def test_a_multiplier_of_one_reproduces_the_attempt_decision() -> None:
    scenario = build(MIXED)
    params = compile_call_params(scenario.segments["medium"], scenario.profiles["student"])
    rng = np.random.default_rng(1)
    for u in rng.random((4000, 7)):
        u[0] = 0.99  # answered
        u[1] = 0.99  # no gatekeeper
        u[3] = 0.0  # straight to the DM
        u[4] = 0.0  # DM available
        outcome, _, _ = decide_attempt(u, params, dm_known=True)
        assert needs_with_fit(u[5], u[6], params, 1.0) == outcome


def test_a_higher_fit_never_turns_a_need_into_a_refusal() -> None:
    params = compile_call_params(build(MIXED).segments["medium"], build(MIXED).profiles["student"])
    rank = {8: 0, 9: 1, 10: 2, 11: 3, 12: 3}  # meeting, hot lead, long-term, no need/refusal
    for x in np.linspace(0.0, 0.999, 300):
        low, high = needs_with_fit(x, 0.5, params, 0.5), needs_with_fit(x, 0.5, params, 2.0)
        assert rank[high] <= rank[low] or high == 10


def test_fit_spread_zero_and_broad_lists_leave_every_table_as_it_was() -> None:
    base = build(MIXED)
    off = build(
        deep_update(
            MIXED,
            {
                "sales": {
                    "fit": {"medium": {"mean": 0.3, "sd": 0.0}},
                    "lists": {"callers": {"policy": "broad"}},
                }
            },
        )
    )
    assert not off.sales.model_on
    assert table_hashes(off) == table_hashes(base)


def test_targeted_with_infinite_noise_and_the_whole_base_is_the_broad_list() -> None:
    """The hooks all run (fit on, a picker per group) and every table equals broad's (CRN)."""
    fit = {"medium": {"mean": 0.3, "sd": 0.2}}
    broad = build(deep_update(MIXED, {"sales": {"fit": fit}}))
    blind = build(
        deep_update(
            MIXED,
            {
                "sales": {
                    "fit": fit,
                    "lists": {"callers": {"policy": "targeted", "score_noise": float("inf")}},
                }
            },
        )
    )
    assert blind.sales.targeted
    assert table_hashes(blind) == table_hashes(broad)


def test_companies_that_book_have_a_higher_fit_than_those_without_need() -> None:
    scenario = build(deep_update(MIXED, {"sales": {"fit": {"medium": {"mean": 0.3, "sd": 0.2}}}}))
    assert table_hashes(scenario)["calls"] != table_hashes(build(MIXED))["calls"]
    env, pool, recorder = build_replication(scenario, 5, 0)
    env.run()
    fits = recorder.sales.fits[0]
    by_status: dict[int, list[float]] = {}
    for lead in pool.touched[0]:
        by_status.setdefault(lead.status, []).append(fits.of(lead.index))
    booked = np.mean(by_status[int(LeadStatus.MEETING)] + by_status[int(LeadStatus.HOT_LEAD)])
    assert booked > np.mean(by_status[int(LeadStatus.NO_NEED)]) + 0.05


def test_zero_noise_calls_the_top_share_by_true_fit() -> None:
    """Mean fit of the companies called = the analytic mean of the Beta's top share (4 SE)."""
    mean, sd, share = 0.3, 0.2, 0.2
    data = deep_update(
        MIXED,
        {
            "segments": {"medium": {"companies": 1000}},
            "horizon_days": 10,
            "sales": {
                "fit": {"medium": {"mean": mean, "sd": sd}},
                "lists": {"callers": {"policy": "targeted", "share_kept": share}},
            },
        },
    )
    scenario = build(data)
    a, b = scenario.sales.fit["medium"].beta_ab
    q = stats.beta.ppf(1.0 - share, a, b)
    analytic = mean * (1.0 - special.betainc(a + 1.0, b, q)) / share
    means = []
    for replication in range(8):
        env, pool, recorder = build_replication(scenario, 3, replication)
        env.run()
        called = [lead.index for lead in pool.touched[0]]
        assert len(called) == 200  # the whole kept share was called
        fits = recorder.sales.fits[0]
        means.append(np.mean([fits.of(i) for i in called]))
    se = np.std(means, ddof=1) / np.sqrt(len(means))
    assert abs(np.mean(means) - analytic) < 4 * se + 1e-3
    base_mean = np.mean([recorder.sales.fits[0].of(i) for i in range(1000)])
    assert np.mean(means) > base_mean + sd  # far above the base's average


@pytest.mark.parametrize("field", ["fit", "lists"])
def test_a_sales_block_naming_unknown_things_is_refused(field: str) -> None:
    block = {"fit": {"mediun": {"mean": 0.3}}, "lists": {"nobody": {"policy": "targeted"}}}
    with pytest.raises(ValueError, match=f"sales.{field} names unknown"):
        build(deep_update(MIXED, {"sales": {field: block[field]}}))


def test_a_fit_spread_no_beta_can_have_is_refused() -> None:
    with pytest.raises(ValueError, match="too large for a Beta"):
        build(deep_update(MIXED, {"sales": {"fit": {"medium": {"mean": 0.1, "sd": 0.4}}}}))


def test_long_term_needs_come_back_and_convert_with_fit() -> None:
    """A long-term need called back after its delay may now book a meeting."""
    data = deep_update(
        MIXED,
        {
            "horizon_days": 6,
            "retry": {"long_term_callback_days": 2},
            "sales": {"fit": {"medium": {"mean": 0.3, "sd": 0.2}}},
        },
    )
    without = simulate_replication(build(data), 5, 0, call_log=True).calls
    with_return = simulate_replication(
        build(deep_update(data, {"sales": {"long_term_convert_prob": 0.5}})), 5, 0, call_log=True
    ).calls

    def meetings_after_long_term(calls: Any) -> int:
        calls = calls.sort_values(["company", "attempt"])
        was_long_term = calls.groupby("company")["outcome"].transform(
            lambda s: (s == "long_term_need").cumsum().shift(fill_value=0) > 0
        )
        return int(((calls["outcome"] == "meeting") & was_long_term).sum())

    assert meetings_after_long_term(with_return) > meetings_after_long_term(without)


def test_research_minutes_count_as_the_first_dial_of_each_company() -> None:
    data = deep_update(
        MIXED,
        {
            "horizon_days": 1,
            "sales": {"lists": {"callers": {"policy": "targeted", "research_min": 5.0}}},
        },
    )
    calls = simulate_replication(build(data), 5, 0, call_log=True).calls
    assert calls is not None
    first = calls["attempt"] == 1
    assert (calls.loc[first, "dial_min"] >= 5.0).all()
    assert (calls.loc[~first, "dial_min"] < 5.0).all()
