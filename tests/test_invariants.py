"""Accounting invariants of one replication, on Hypothesis-generated random scenarios.

Every scenario drawn here is small (few companies, short shifts, 1-3 days) so that calling
bases run out, retry budgets are used up and long-term callbacks come due within the horizon.
"""

from __future__ import annotations

import os
import signal
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.records.lead_table import with_untouched
from sim.records.replication import simulate_replication
from sim.records.tables import COUNT_COLUMNS, MINUTE_COLUMNS, ReplicationTables
from sim.scenario import Scenario
from tests.builders import build, constant_scenario

LEAD_STATUSES = {
    "open", "meeting", "hot_lead", "long_term_need", "no_need", "refused", "exhausted", "invalid"
}  # fmt: skip
OUTCOME_COLUMN = {"busy": "busy", "no_answer": "no_answer", "invalid": "invalid"}
KEY = ["replication", "day", "operator"]
# More examples for a thorough local search: CALLSIM_HYPOTHESIS_EXAMPLES=1000 pytest ...
EXAMPLES = int(os.environ.get("CALLSIM_HYPOTHESIS_EXAMPLES", "40"))

# --- strategies ---------------------------------------------------------------------------


def probability_split(n: int) -> st.SearchStrategy[list[float]]:
    """``n`` probabilities whose sum is at most 1 (the remainder is the implicit outcome)."""

    def split(weights: list[float]) -> list[float]:
        total = sum(weights)
        if total == 0.0:
            return [0.0] * n
        # weights[-1] is the remainder's share; scale down slightly so rounding stays <= 1.
        return [w / total * (1.0 - 1e-12) for w in weights[:n]]

    parts = st.lists(
        st.sampled_from([0.0, 0.05, 0.2, 0.5, 1.0, 3.0]) | st.floats(0.0, 1.0),
        min_size=n + 1,
        max_size=n + 1,
    )
    return parts.map(split)


probability = st.sampled_from([0.0, 1.0]) | st.floats(0.0, 1.0)


@st.composite
def durations(draw: st.DrawFn, positive: bool = False) -> Any:
    """A duration in any of the schema's forms (bare number, constant, random kinds)."""
    low = 0.05 if positive else 0.0
    kind = draw(
        st.sampled_from(
            ["bare", "constant", "exponential", "lognormal", "gamma", "uniform", "empirical"]
        )
    )
    if kind == "bare":
        return draw(st.floats(low, 4.0))
    if kind == "constant":
        return {"kind": "constant", "value_min": draw(st.floats(low, 4.0))}
    if kind == "exponential":
        return {"kind": "exponential", "mean_min": draw(st.floats(0.05, 3.0))}
    if kind in ("lognormal", "gamma"):
        mean = draw(st.floats(0.05, 3.0))
        sd = draw(st.floats(0.01 if kind == "gamma" else 0.0, 1.5 * mean))
        return {"kind": kind, "mean_min": mean, "sd_min": sd}
    if kind == "uniform":
        a, b = sorted(draw(st.lists(st.floats(low, 4.0), min_size=2, max_size=2)))
        return {"kind": "uniform", "low_min": a, "high_min": b}
    values = draw(st.lists(st.floats(low, 4.0), min_size=1, max_size=4))
    weights = draw(
        st.none() | st.lists(st.floats(0.1, 3.0), min_size=len(values), max_size=len(values))
    )
    return {"kind": "empirical", "values_min": values, "weights": weights}


@st.composite
def segments(draw: st.DrawFn) -> dict[str, Any]:
    busy, no_answer, invalid = draw(probability_split(3))
    gk_pass, dm_out, email = draw(probability_split(3))
    immediate, long_term, refusal = draw(probability_split(3))
    return {
        "companies": draw(st.integers(0, 30)),
        "line": {
            "busy_prob": busy,
            "no_answer_prob": no_answer,
            "invalid_prob": invalid,
            "ring_time_busy": draw(durations()),
            "ring_time_no_answer": draw(durations()),
            "ring_time_invalid": draw(durations()),
            "ring_time_answered": draw(durations()),
        },
        "gatekeeper": {
            "present_prob": draw(probability),
            "pass_prob": gk_pass,
            "dm_out_prob": dm_out,
            "email_prob": email,
            "talk_time": draw(durations()),
        },
        "referral": {
            "direct_to_dm_prob": draw(probability),
            "next_is_dm_prob": draw(probability),
            "thread_lost_prob": draw(probability),
            "max_hops": draw(st.integers(1, 4)),
            "hop_talk_time": draw(durations()),
        },
        "decision_maker": {
            "available_prob": draw(probability),
            "unavailable_talk_time": draw(durations()),
        },
        "needs": {
            "immediate_prob": immediate,
            "long_term_prob": long_term,
            "refusal_prob": refusal,
            "meeting_booking_prob": draw(probability),
            "talk_time_immediate": draw(durations()),
            "talk_time_long_term": draw(durations()),
            # Rarely, a marathon call that can overrun into the next working day.
            "talk_time_no_need": draw(
                durations()
                if draw(st.integers(0, 9))
                else st.just({"kind": "uniform", "low_min": 0.0, "high_min": 1500.0})
            ),
            "talk_time_refusal": draw(durations()),
            "meeting_booking_talk_time": draw(durations()),
        },
    }


def weights_over(names: list[str]) -> st.SearchStrategy[dict[str, float] | None]:
    """A segment mix over a non-empty subset of ``names`` with at least one positive weight."""

    @st.composite
    def mix(draw: st.DrawFn) -> dict[str, float]:
        chosen = draw(st.lists(st.sampled_from(names), min_size=1, unique=True))
        out = {name: draw(st.sampled_from([0.0, 0.5, 1.0, 3.0])) for name in chosen}
        out[chosen[0]] = draw(st.sampled_from([0.5, 1.0, 2.0]))
        return out

    return st.none() | mix()


@st.composite
def profiles(draw: st.DrawFn, segment_names: list[str]) -> dict[str, Any]:
    skill = st.sampled_from([0.0, 1.0, 2.0]) | st.floats(0.0, 2.0)
    return {
        # Every attempt takes some time: dial times are strictly positive.
        "dial_time": draw(durations(positive=True)),
        "talk_time_scale": draw(st.floats(0.2, 2.0)),
        "wrap_up_time": draw(durations()),
        "wrap_up_time_conversation": draw(durations()),
        "gatekeeper_skill": draw(skill),
        "discovery_skill": draw(skill),
        "booking_skill": draw(skill),
        "segments": draw(weights_over(segment_names)),
        "pay": {"fixed_per_month": draw(st.floats(0.0, 50_000.0)), "working_days_per_month": 22},
        "quota": draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "counts": st.sampled_from(
                            [
                                "dials",
                                "calls_excl_busy_no_answer",
                                "answered",
                                "dm_contacts",
                                "needs",
                                "needs_immediate",
                                "meetings",
                            ]
                        ),
                        "target": st.floats(0.0, 30.0),
                    }
                ),
                max_size=2,
            )
        ),
    }


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    segment_names = draw(
        st.lists(
            st.sampled_from(["alpha", "beta", "gamma_co", "small", "large"]),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    seg = {name: draw(segments()) for name in segment_names}
    profile_names = draw(
        st.lists(
            st.sampled_from(["p1", "p2", "student", "experienced"]),
            min_size=1,
            max_size=2,
            unique=True,
        )
    )
    prof = {name: draw(profiles(segment_names)) for name in profile_names}
    callers = draw(st.integers(1, 4))
    team = []
    for i, count in enumerate(draw(st.lists(st.integers(1, 4), min_size=1, max_size=2))):
        if callers <= 0:
            break
        count = min(count, callers)
        callers -= count
        team.append(
            {
                "profile": draw(st.sampled_from(profile_names)),
                "count": count,
                "name": f"g{i}",
                "segments": draw(weights_over(segment_names)),
            }
        )
    if draw(st.booleans()):
        every = draw(st.floats(15.0, 90.0))
        shift = {
            "length_min": draw(st.floats(20.0, 180.0)),
            "break_every_min": every,
            "break_length_min": draw(st.floats(0.0, every * 0.9)),
        }
    else:
        shift = {"length_min": draw(st.floats(20.0, 180.0)), "break_every_min": None}
    delay = st.sampled_from([0.0, 5.0, 60.0, 1440.0]) | st.floats(0.0, 3000.0)
    cool_off = st.none() | st.floats(0.0, 2.0)
    retry = {
        "max_attempts": draw(st.integers(1, 5)),
        "busy_delay_min": draw(delay),
        "no_answer_delay_min": draw(delay),
        "invalid_delay_min": draw(delay),
        "gatekeeper_dm_out_delay_min": draw(delay),
        "thread_lost_delay_min": draw(delay),
        "dm_unavailable_delay_min": draw(delay),
        "email_cool_off_days": draw(cool_off),
        "gatekeeper_refusal_cool_off_days": draw(cool_off),
        "long_term_callback_days": draw(st.floats(0.0, 2.0)),
    }
    data = {
        "name": "random",
        "horizon_days": draw(st.integers(1, 3)),
        "shift": shift,
        "retry": retry,
        "segments": seg,
        "profiles": prof,
        "team": team,
    }
    return Scenario.model_validate(data)


# --- the invariants ------------------------------------------------------------------------


def check_funnel_counts(frame: pd.DataFrame) -> None:
    """Funnel relations that hold row by row in operator_days and segment_days."""
    np.testing.assert_array_equal(
        frame["busy"] + frame["no_answer"] + frame["invalid"] + frame["answered"], frame["dials"]
    )
    np.testing.assert_array_equal(
        frame["calls_excl_busy_no_answer"], frame["dials"] - frame["busy"] - frame["no_answer"]
    )
    np.testing.assert_array_equal(
        frame["needs"], frame["needs_immediate"] + frame["needs_long_term"]
    )
    assert (frame["gatekeeper_passed"] <= frame["gatekeeper_contacts"]).all()
    assert (frame["gatekeeper_contacts"] <= frame["answered"]).all()
    assert (frame["dm_contacts"] <= frame["answered"]).all()
    assert (frame["needs"] <= frame["dm_contacts"]).all()
    assert (frame["meetings"] <= frame["needs_immediate"]).all()
    assert (frame["callbacks_scheduled"] <= frame["dials"]).all()
    for column in (*COUNT_COLUMNS, *MINUTE_COLUMNS):
        assert (frame[column] >= 0).all(), column


def check_operator_days(scenario: Scenario, days: pd.DataFrame) -> None:
    assert len(days) == scenario.horizon_days * scenario.operator_count
    assert not days.duplicated(KEY).any()
    check_funnel_counts(days)
    for column in ("break_min", "idle_min", "overrun_min", "cost"):
        assert (days[column] >= 0).all(), column
    busy_time = days[["talk_min", "dial_min", "wrap_min", "break_min", "idle_min"]].sum(axis=1)
    np.testing.assert_allclose(
        busy_time, days["shift_min"] + days["overrun_min"], rtol=0, atol=1e-6
    )
    assert (days["shift_min"] == scenario.shift.length_min).all()


def check_segment_days(days: pd.DataFrame, segment_days: pd.DataFrame) -> None:
    check_funnel_counts(segment_days)
    summed = segment_days.groupby(KEY, observed=True)[list(COUNT_COLUMNS)].sum()
    indexed = days.set_index(KEY)[list(COUNT_COLUMNS)]
    # An operator-day without a segment row made no attempts.
    summed = summed.reindex(indexed.index, fill_value=0)
    pd.testing.assert_frame_equal(summed, indexed, check_dtype=False, check_names=False)
    summed_min = segment_days.groupby(KEY, observed=True)[list(MINUTE_COLUMNS)].sum()
    summed_min = summed_min.reindex(indexed.index, fill_value=0.0)
    np.testing.assert_allclose(
        summed_min.to_numpy(), days.set_index(KEY)[list(MINUTE_COLUMNS)].to_numpy(), atol=1e-6
    )


def per_operator_day(calls: pd.DataFrame, values: pd.Series, index: pd.Index) -> np.ndarray:
    """Sum ``values`` (aligned with ``calls``) per operator-day of ``index``."""
    grouped = values.groupby([calls[k] for k in KEY], observed=True).sum()
    return grouped.reindex(index, fill_value=0).to_numpy()


def check_call_log(days: pd.DataFrame, calls: pd.DataFrame) -> None:
    assert len(calls) == days["dials"].sum()
    assert calls["outcome"].notna().all()  # exactly one outcome per row
    indexed = days.set_index(KEY)
    outcome = calls["outcome"].astype(str)
    for label, column in OUTCOME_COLUMN.items():
        np.testing.assert_array_equal(
            per_operator_day(calls, (outcome == label).astype(int), indexed.index), indexed[column]
        )
    answered = ~outcome.isin(list(OUTCOME_COLUMN))
    np.testing.assert_array_equal(
        per_operator_day(calls, answered.astype(int), indexed.index), indexed["answered"]
    )
    np.testing.assert_array_equal(
        per_operator_day(calls, calls["dm_contact"].astype(int), indexed.index),
        indexed["dm_contacts"],
    )
    for column in ("dial_min", "talk_min", "wrap_min", "start_min"):
        assert (calls[column] >= 0).all(), column
    assert (calls["attempt"] >= 1).all()


def check_leads(
    scenario: Scenario, days: pd.DataFrame, leads: pd.DataFrame, calls: pd.DataFrame
) -> None:
    assert leads["status"].notna().all()
    assert set(leads["status"].astype(str)) <= LEAD_STATUSES
    assert not leads.duplicated(["segment", "company"]).any()
    assert leads["attempts"].sum() == days["dials"].sum()

    # The table holds the companies called, and only those: fresh companies are taken in
    # index order, so each segment's rows are companies 0, 1, ... in order.
    assert (leads["attempts"] >= 1).all() and leads["first_attempt_day"].notna().all()
    assert len(leads) == len(calls.drop_duplicates(["segment", "company"]))
    for name, segment in scenario.segments.items():
        company = leads.loc[leads["segment"] == name, "company"].to_numpy()
        np.testing.assert_array_equal(company, np.arange(len(company)))
        assert len(company) <= segment.companies

    # Restored, every company has a row; untouched companies are open with no attempts.
    full = with_untouched(leads, scenario, [int(days["replication"].iloc[0])])
    assert len(full) == sum(s.companies for s in scenario.segments.values())
    untouched = full["attempts"] == 0
    assert (full.loc[untouched, "status"] == "open").all()
    assert full.loc[untouched, "first_attempt_day"].isna().all()
    assert untouched.sum() == len(full) - len(leads)

    meeting = leads[leads["status"] == "meeting"]
    assert meeting["dm_contact_day"].notna().all()
    assert meeting["dm_identified"].all()

    # Attempts per lead agree with the call log.
    per_lead = calls.groupby(["segment", "company"], observed=True).size()
    indexed = leads.set_index(["segment", "company"])["attempts"]
    np.testing.assert_array_equal(per_lead.reindex(indexed.index, fill_value=0), indexed)

    # The call log is in the order attempts started. Each lead's attempts are numbered 1, 2,
    # ... in that order, and a closing status comes from the lead's last attempt: a closed
    # lead is never called again.
    by_lead = ["segment", "company"]
    numbers = calls.groupby(by_lead, observed=True)["attempt"]
    np.testing.assert_array_equal(calls["attempt"], numbers.cumcount() + 1)
    last_outcome = calls.groupby(by_lead, observed=True)["outcome"].last().astype(str)
    status = leads.set_index(by_lead)["status"].astype(str)
    last = pd.DataFrame({"outcome": last_outcome, "status": status.reindex(last_outcome.index)})
    refusals = {"dm_refusal"}
    if scenario.retry.email_cool_off_days is None:
        refusals.add("gatekeeper_email")
    if scenario.retry.gatekeeper_refusal_cool_off_days is None:
        refusals.add("gatekeeper_refusal")
    closing = {
        "meeting": {"meeting"},
        "hot_lead": {"hot_lead"},
        "no_need": {"no_need"},
        "refused": refusals,
    }
    for state, outcomes in closing.items():
        assert last.loc[last["status"] == state, "outcome"].isin(outcomes).all(), state
    closed_by = set().union(*closing.values())
    assert last.loc[last["outcome"].isin(closed_by), "status"].isin(closing).all()

    # The day of the first DM conversation, and whether the DM was identified at all, agree
    # with the call log.
    dm_outcomes = {
        "dm_unavailable",
        "meeting",
        "hot_lead",
        "long_term_need",
        "no_need",
        "dm_refusal",
    }
    identified = (
        calls[calls["outcome"].astype(str).isin(dm_outcomes)].groupby(by_lead, observed=True).size()
    )
    np.testing.assert_array_equal(
        identified.reindex(indexed.index, fill_value=0).to_numpy() > 0,
        leads.set_index(by_lead)["dm_identified"].to_numpy(),
    )
    first_contact = calls[calls["dm_contact"]].groupby(by_lead, observed=True)["day"].min()
    contact_day = leads.set_index(by_lead)["dm_contact_day"]
    np.testing.assert_array_equal(
        first_contact.reindex(indexed.index).fillna(-1).to_numpy(dtype=np.int64),
        contact_day.fillna(-1).to_numpy(dtype=np.int64),
    )

    # The retry budget: leads that never had a long-term need use at most max_attempts, and
    # exhausted ones exactly that many.
    max_attempts = scenario.retry.max_attempts
    ever_long_term = set(
        calls.loc[calls["outcome"] == "long_term_need", ["segment", "company"]]
        .astype(str)
        .itertuples(index=False, name=None)
    )
    keys = list(zip(leads["segment"].astype(str), leads["company"].astype(str), strict=True))
    never = np.array([k not in ever_long_term for k in keys], dtype=bool)
    assert (leads.loc[never, "attempts"] <= max_attempts).all()
    assert (leads.loc[~never, "status"] != "exhausted").all()
    assert (~never[(leads["status"] == "long_term_need").to_numpy()]).all()
    exhausted = leads["status"] == "exhausted"
    assert (leads.loc[exhausted & never, "attempts"] == max_attempts).all()


def check_all(scenario: Scenario, tables: ReplicationTables) -> None:
    assert tables.calls is not None
    check_operator_days(scenario, tables.operator_days)
    check_segment_days(tables.operator_days, tables.segment_days)
    check_call_log(tables.operator_days, tables.calls)
    check_leads(scenario, tables.operator_days, tables.leads, tables.calls)


@pytest.mark.slow
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(scenario=scenarios(), seed=st.integers(0, 2**32), replication=st.integers(0, 3))
def test_random_scenarios_keep_every_accounting_invariant(
    scenario: Scenario, seed: int, replication: int
) -> None:
    tables = simulate_replication(scenario, seed, replication, call_log=True)
    check_all(scenario, tables)


@pytest.mark.parametrize("segment", ["small", "large"])
def test_preset_scenario_keeps_every_accounting_invariant(segment: str) -> None:
    scenario = Scenario.model_validate(
        {
            "name": "presets",
            "horizon_days": 2,
            "retry": {
                "max_attempts": 2,
                "long_term_callback_days": 1,
                "gatekeeper_refusal_cool_off_days": 0.5,
            },
            "segments": {segment: {"companies": 60}},
            "team": [{"profile": "student", "count": 2}, {"profile": "experienced", "count": 1}],
        }
    )
    tables = simulate_replication(scenario, 7, 0, call_log=True)
    check_all(scenario, tables)
    # The base is small enough to be worked through: some leads end exhausted or closed.
    assert (tables.leads["status"] != "open").any()


def test_time_adds_up_when_an_attempt_overruns_into_the_next_day() -> None:
    # A 480-minute shift; a no-need conversation lasts 300 or 1300 minutes. An attempt that
    # starts 300 minutes into the shift and lasts 1300 ends after the next day's start (1440).
    scenario = build(
        constant_scenario(
            segment={
                "needs": {"talk_time_no_need": {"kind": "empirical", "values_min": [300.0, 1300.0]}}
            },
            horizon_days=4,
            shift={"length_min": 480.0},
        )
    )
    tables = simulate_replication(scenario, 1, 0, call_log=True)
    days = tables.operator_days
    assert (days["overrun_min"] > 1440.0 - 480.0).any()  # the case this test is about
    check_all(scenario, tables)


class _TookTooLong(Exception):
    """The replication did not finish in time (a livelock at one instant of the clock)."""


def test_zero_duration_attempts_with_immediate_long_term_callbacks_terminate() -> None:
    # Either the schema rejects this scenario or the replication finishes in milliseconds; a
    # 3-second alarm turns a livelock (the clock standing still) into a failure.
    from pydantic import ValidationError

    try:
        scenario = build(
            constant_scenario(
                segment={
                    "companies": 1,
                    "needs": {"long_term_prob": 1.0, "talk_time_long_term": 0.0},
                },
                profile={"dial_time": 0.0},
                retry={"long_term_callback_days": 0.0},
            )
        )
    except ValidationError:
        return

    def alarm(signum: int, frame: object) -> None:
        raise _TookTooLong

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(3)
    try:
        tables = simulate_replication(scenario, 1, 0)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    check_operator_days(scenario, tables.operator_days)
