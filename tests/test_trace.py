"""Deterministic traces: constant durations, so every count and every clock time is exact.

Each scenario starts from :func:`tests.builders.constant_scenario` (one segment ``seg``, one
profile ``caller``, a 60-minute shift without breaks, one day) and changes only what the test
is about. Times in the call log are minutes from the day's shift start.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model.build import build_replication
from sim.records.replication import simulate_replication
from sim.records.tables import ReplicationTables
from sim.scenario import MINUTES_PER_DAY, Scenario
from tests.builders import build, constant_scenario

NO_ANSWER_LINE = {"no_answer_prob": 1.0, "ring_time_no_answer": 0.5}
"""Nobody ever answers; with the builder's 0.5-minute dial every attempt lasts 1 minute."""

TIME_COLUMNS = ["talk_min", "dial_min", "wrap_min", "break_min", "idle_min"]


def run(scenario: Scenario, seed: int = 1, replication: int = 0) -> ReplicationTables:
    tables = simulate_replication(scenario, seed, replication, call_log=True)
    assert tables.calls is not None
    return tables


def calls_of(tables: ReplicationTables) -> pd.DataFrame:
    assert tables.calls is not None
    return tables.calls


def attempt_minutes(calls: pd.DataFrame) -> pd.Series:
    return calls["dial_min"] + calls["talk_min"] + calls["wrap_min"]


def absolute_start(calls: pd.DataFrame) -> pd.Series:
    return calls["day"] * MINUTES_PER_DAY + calls["start_min"]


def assert_time_adds_up(days: pd.DataFrame) -> None:
    """Every operator-day's minutes: talk + dial + wrap + break + idle = shift + overrun."""
    for _, row in days.iterrows():
        assert row[TIME_COLUMNS].sum() == pytest.approx(
            row["shift_min"] + row["overrun_min"], rel=0, abs=1e-9
        )


def reference_starts(
    shift_min: float, attempt_min: float, break_due: list[float], break_min: float
) -> list[float]:
    """An independent oracle for one never-idle caller with constant-length attempts."""
    starts, now, pending = [], 0.0, list(break_due)
    while now < shift_min:
        if pending and now >= pending[0]:
            pending.pop(0)
            now += min(break_min, shift_min - now)
            continue
        starts.append(now)
        now += attempt_min
    return starts


# --- a shift without breaks -------------------------------------------------------------------


def test_one_minute_no_answer_attempts_fill_a_60_minute_shift_with_exactly_60_attempts() -> None:
    tables = run(build(constant_scenario(segment={"line": NO_ANSWER_LINE})))
    calls, day = calls_of(tables), tables.operator_days.iloc[0]
    assert len(calls) == 60
    assert calls["start_min"].tolist() == [float(t) for t in range(60)]
    assert (calls["outcome"] == "no_answer").all()
    assert (calls["dial_min"] == 1.0).all()
    assert day["dials"] == 60
    assert day["no_answer"] == 60
    assert day["answered"] == 0
    assert day["dial_min"] == 60.0
    assert day["talk_min"] == 0.0
    assert day["wrap_min"] == 0.0
    assert day["idle_min"] == 0.0
    assert day["break_min"] == 0.0
    assert day["overrun_min"] == 0.0
    assert_time_adds_up(tables.operator_days)


def test_seven_minute_attempts_give_nine_attempts_and_three_minutes_of_overrun() -> None:
    line = {"no_answer_prob": 1.0, "ring_time_no_answer": 6.5}
    tables = run(build(constant_scenario(segment={"line": line})))
    calls, day = calls_of(tables), tables.operator_days.iloc[0]
    assert calls["start_min"].tolist() == [7.0 * k for k in range(9)]
    assert day["dials"] == 9
    assert day["dial_min"] == 63.0
    assert day["overrun_min"] == 3.0
    assert day["idle_min"] == 0.0
    assert_time_adds_up(tables.operator_days)


def test_attempt_ending_exactly_at_shift_end_has_no_overrun_and_is_the_last() -> None:
    line = {"no_answer_prob": 1.0, "ring_time_no_answer": 5.5}  # 6-minute attempts, 60 / 6 = 10
    tables = run(build(constant_scenario(segment={"line": line})))
    assert calls_of(tables)["start_min"].tolist() == [6.0 * k for k in range(10)]
    assert tables.operator_days.iloc[0]["overrun_min"] == 0.0


# --- breaks -----------------------------------------------------------------------------------


def test_default_shift_with_one_minute_attempts_gives_400_attempts_and_80_break_minutes() -> None:
    scenario = build(
        constant_scenario(
            segment={"line": NO_ANSWER_LINE},
            shift={"length_min": 480.0, "break_every_min": 60.0, "break_length_min": 10.0},
        )
    )
    assert scenario.shift.working_min == 400.0
    tables = run(scenario)
    calls, day = calls_of(tables), tables.operator_days.iloc[0]
    assert len(calls) == 400
    assert day["dials"] == 400
    assert day["break_min"] == 80.0
    assert day["dial_min"] == 400.0
    assert day["idle_min"] == 0.0
    assert day["overrun_min"] == 0.0
    starts = calls["start_min"].to_numpy()
    # Breaks run from minute 50 to 60 of every hour: no attempt starts inside one.
    assert not ((starts % 60.0) >= 50.0).any()
    assert starts.tolist() == [60.0 * h + m for h in range(8) for m in range(50)]
    assert_time_adds_up(tables.operator_days)


def test_break_falling_due_during_an_attempt_starts_when_the_attempt_ends() -> None:
    line = {"no_answer_prob": 1.0, "ring_time_no_answer": 2.5}  # 3-minute attempts
    shift = {"length_min": 480.0, "break_every_min": 60.0, "break_length_min": 10.0}
    scenario = build(constant_scenario(segment={"line": line}, shift=shift))
    tables = run(scenario)
    starts = calls_of(tables)["start_min"].tolist()
    # 0, 3, ..., 48; the attempt from 48 to 51 straddles the break due at 50, which then runs
    # from 51 to 61; the next attempts start at 61, 64, ..., 109 (ends 112 > 110), break
    # 112-122, then 122, ...
    assert starts[:17] == [3.0 * k for k in range(17)]
    assert starts[17] == 61.0
    assert starts[17:34] == [61.0 + 3.0 * k for k in range(17)]
    assert starts[34] == 122.0
    assert starts == reference_starts(480.0, 3.0, scenario.shift.break_due_times_min(), 10.0)
    day = tables.operator_days.iloc[0]
    assert day["dials"] == len(starts)
    assert_time_adds_up(tables.operator_days)


def test_break_due_near_the_shift_end_is_cut_short_at_the_shift_end() -> None:
    # 7-minute attempts in a 60-minute shift with a 10-minute break due at 50: the attempt
    # 49-56 delays the break to 56, and the break is cut to the 4 minutes left.
    line = {"no_answer_prob": 1.0, "ring_time_no_answer": 6.5}
    shift = {"length_min": 60.0, "break_every_min": 60.0, "break_length_min": 10.0}
    tables = run(build(constant_scenario(segment={"line": line}, shift=shift)))
    assert calls_of(tables)["start_min"].tolist() == [7.0 * k for k in range(8)]
    day = tables.operator_days.iloc[0]
    assert day["break_min"] == 4.0
    assert day["overrun_min"] == 0.0
    assert_time_adds_up(tables.operator_days)


# --- several days -----------------------------------------------------------------------------

GATEKEEPER_DM_OUT = {
    "present_prob": 1.0,
    "pass_prob": 0.0,
    "dm_out_prob": 1.0,
    "email_prob": 0.0,
    "talk_time": 1.0,
}
"""Every answered call meets a gatekeeper who says the DM is out: a 1.5-minute attempt
(0.5 dial + 1.0 gatekeeper talk) that schedules a callback."""


def test_next_day_callbacks_carry_over_and_are_called_when_due() -> None:
    scenario = build(
        constant_scenario(
            segment={"companies": 3, "gatekeeper": GATEKEEPER_DM_OUT},
            horizon_days=2,
            retry={"gatekeeper_dm_out_delay_min": MINUTES_PER_DAY},
        )
    )
    tables = run(scenario)
    calls = calls_of(tables)
    assert (calls["outcome"] == "gatekeeper_dm_out").all()
    day0, day1 = calls[calls["day"] == 0], calls[calls["day"] == 1]
    assert day0["company"].tolist() == [0, 1, 2]
    assert day0["start_min"].tolist() == [0.0, 1.5, 3.0]
    assert day0["attempt"].tolist() == [1, 1, 1]
    # Each callback falls due 1440 minutes after its attempt ended.
    assert day1["company"].tolist() == [0, 1, 2]
    assert day1["start_min"].tolist() == [1.5, 3.0, 4.5]
    assert day1["attempt"].tolist() == [2, 2, 2]
    days = tables.operator_days.set_index("day")
    assert days.loc[0, "idle_min"] == 60.0 - 4.5
    assert days.loc[1, "idle_min"] == 60.0 - 4.5
    assert days["callbacks_scheduled"].tolist() == [3, 3]
    assert_time_adds_up(tables.operator_days)
    assert (tables.leads["attempts"] == 2).all()
    assert (tables.leads["status"] == "open").all()


def test_callback_falling_due_outside_the_shift_is_called_at_the_next_shift_start() -> None:
    scenario = build(
        constant_scenario(
            segment={"companies": 3, "gatekeeper": GATEKEEPER_DM_OUT},
            horizon_days=2,
            retry={"gatekeeper_dm_out_delay_min": 100.0},
        )
    )
    calls = calls_of(run(scenario))
    day1 = calls[calls["day"] == 1]
    # Due at 101.5, 103, 104.5, after day 0's shift: called back-to-back from day 1's start.
    assert day1["start_min"].tolist() == [0.0, 1.5, 3.0]
    assert absolute_start(day1).tolist() == [1440.0, 1441.5, 1443.0]
    assert day1["company"].tolist() == [0, 1, 2]


def test_fresh_calling_continues_from_the_next_company_on_day_two() -> None:
    scenario = build(
        constant_scenario(
            segment={"line": NO_ANSWER_LINE}, horizon_days=2, retry={"no_answer_delay_min": 1e6}
        )
    )
    calls = calls_of(run(scenario))
    assert absolute_start(calls).tolist() == (
        [float(t) for t in range(60)] + [1440.0 + t for t in range(60)]
    )
    assert calls["company"].tolist() == list(range(120))


# --- idle time --------------------------------------------------------------------------------


def test_worked_through_base_leaves_the_caller_idle_and_time_adds_up() -> None:
    # Three companies, each answered by the DM who has no need: 0.5 dial + 2.0 talk = 2.5 min.
    scenario = build(constant_scenario(segment={"companies": 3}))
    tables = run(scenario)
    calls, day = calls_of(tables), tables.operator_days.iloc[0]
    assert calls["start_min"].tolist() == [0.0, 2.5, 5.0]
    assert (calls["outcome"] == "no_need").all()
    assert day["dials"] == 3
    assert day["talk_min"] == 6.0
    assert day["dial_min"] == 1.5
    assert day["idle_min"] == 52.5
    assert day["overrun_min"] == 0.0
    assert day[TIME_COLUMNS].sum() == pytest.approx(
        day["shift_min"] + day["overrun_min"], rel=0, abs=1e-9
    )
    assert (tables.leads["status"] == "no_need").all()


def test_idle_callers_resume_exactly_when_a_callback_falls_due() -> None:
    # One company, 1-minute no-answer attempts, retried 0.5 minutes after each ends: whoever of
    # the two callers takes it, the attempts start at 0, 1.5, 3.0, ...
    scenario = build(
        constant_scenario(
            segment={"companies": 1, "line": NO_ANSWER_LINE},
            callers=2,
            retry={"no_answer_delay_min": 0.5, "max_attempts": 1000},
        )
    )
    tables = run(scenario)
    calls = calls_of(tables)
    assert calls["start_min"].tolist() == [1.5 * k for k in range(40)]
    assert calls["attempt"].tolist() == list(range(1, 41))
    days = tables.operator_days
    assert days["dials"].sum() == 40
    assert days["idle_min"].sum() == pytest.approx(2 * 60.0 - 40.0, rel=0, abs=1e-9)
    assert_time_adds_up(days)


# --- one company, one caller at a time ---------------------------------------------------------


SHARED_SEGMENT = {
    "companies": 2,
    "line": {
        "busy_prob": 0.3,
        "no_answer_prob": 0.3,
        "invalid_prob": 0.1,
        "ring_time_busy": 0.25,
        "ring_time_no_answer": 0.5,
    },
    "gatekeeper": {"present_prob": 0.5, "pass_prob": 0.5, "dm_out_prob": 0.5, "email_prob": 0.0},
    "referral": {"direct_to_dm_prob": 0.5, "thread_lost_prob": 0.5, "max_hops": 2},
    "decision_maker": {"available_prob": 0.2},
    "needs": {"immediate_prob": 0.0, "long_term_prob": 0.9, "refusal_prob": 0.0},
}
"""Two companies that almost never close."""
QUICK_RETRY = {
    "max_attempts": 1000,
    "busy_delay_min": 0.0,
    "no_answer_delay_min": 0.25,
    "invalid_delay_min": 0.0,
    "gatekeeper_dm_out_delay_min": 0.5,
    "thread_lost_delay_min": 0.0,
    "dm_unavailable_delay_min": 0.25,
    "long_term_callback_days": 0.0,
}
"""Retries immediately or after a fraction of a minute."""


def assert_no_company_called_twice_at_once(calls: pd.DataFrame) -> None:
    """Per company, each attempt [start, start + duration) ends before the next one starts,
    and the attempt numbers count up in time."""
    calls = calls.assign(
        start=absolute_start(calls), end=absolute_start(calls) + attempt_minutes(calls)
    )
    for key, group in calls.groupby(["segment", "company"], observed=True):
        ordered = group.sort_values(["start", "attempt"])
        assert ordered["attempt"].tolist() == list(range(1, len(ordered) + 1)), key
        assert (ordered["start"].to_numpy()[1:] >= ordered["end"].to_numpy()[:-1]).all(), key


@pytest.mark.parametrize(
    "dial",
    [
        0.5,
        {"kind": "exponential", "mean_min": 0.7},
        {"kind": "uniform", "low_min": 0.1, "high_min": 1.3},
    ],
    ids=["constant", "exponential", "uniform"],
)
def test_a_company_is_never_called_by_two_callers_at_once(dial: Any) -> None:
    # Two companies, three callers: the callers keep taking over each other's companies.
    scenario = build(
        constant_scenario(
            segment=SHARED_SEGMENT,
            profile={"dial_time": dial},
            callers=3,
            retry=QUICK_RETRY,
            horizon_days=2,
        )
    )
    tables = run(scenario, seed=5)
    calls = calls_of(tables)
    assert len(calls) > 100
    # The companies really are shared between the callers.
    assert (calls.groupby("company")["operator"].nunique() == 3).all()
    assert_no_company_called_twice_at_once(calls)
    assert_time_adds_up(tables.operator_days)


def test_callers_of_different_segment_mixes_never_call_a_company_at_once() -> None:
    # Group "one" calls segment a only, group "both" calls a and b: companies of segment a are
    # called back by whichever group's caller comes first.
    data = constant_scenario(
        profile={"dial_time": {"kind": "exponential", "mean_min": 0.6}},
        retry=QUICK_RETRY,
        horizon_days=2,
    )
    data["segments"] = {"a": dict(SHARED_SEGMENT), "b": dict(SHARED_SEGMENT)}
    data["team"] = [
        {"profile": "caller", "count": 2, "name": "one", "segments": {"a": 1.0}},
        {"profile": "caller", "count": 2, "name": "both", "segments": {"a": 1.0, "b": 1.0}},
    ]
    tables = run(build(data), seed=8)
    calls = calls_of(tables)
    assert set(calls["segment"].astype(str)) == {"a", "b"}
    in_a = calls[calls["segment"] == "a"]
    assert in_a["operator"].astype(str).str.startswith("one").any()
    assert in_a["operator"].astype(str).str.startswith("both").any()
    assert calls.loc[calls["segment"] == "b", "operator"].astype(str).str.startswith("both").all()
    assert_no_company_called_twice_at_once(calls)
    assert_time_adds_up(tables.operator_days)


def test_a_callback_reaches_every_segment_mix_that_calls_its_segment_from_the_first_attempt() -> (
    None
):
    # Group "one" (first in the team) calls a only; group "both" calls a and b. The first
    # attempt of "one" happens before the process of "both" has run at all: its callback must
    # still be waiting in the queue of "both" too.
    data = constant_scenario(segment={"line": {"busy_prob": 1.0, "ring_time_busy": 0.5}})
    data["segments"] = {"a": data["segments"]["seg"], "b": data["segments"]["seg"]}
    data["team"] = [
        {"profile": "caller", "count": 1, "name": "one", "segments": {"a": 1.0}},
        {"profile": "caller", "count": 1, "name": "both", "segments": {"a": 1.0, "b": 1.0}},
    ]
    env, pool, _ = build_replication(build(data), 1, 0)
    env.run(until=0.5)  # every caller has started its first attempt, none has finished
    first_lead = pool.touched[0][0]
    heaps = pool.queues_of_segment[0]
    assert len(heaps) == 2
    for heap in heaps:
        assert [lead for _, _, lead in heap].count(first_lead) == 1


# --- the duration of one attempt --------------------------------------------------------------

FULL_PATH_SEGMENT = {
    "line": {"ring_time_answered": 0.25},
    "gatekeeper": {"present_prob": 1.0, "pass_prob": 1.0, "talk_time": 0.75},
    # The first person is never the DM; the transfer after the first specialist reaches them.
    "referral": {
        "direct_to_dm_prob": 0.0,
        "next_is_dm_prob": 1.0,
        "thread_lost_prob": 0.0,
        "max_hops": 3,
        "hop_talk_time": 1.25,
    },
    "decision_maker": {"available_prob": 1.0, "unavailable_talk_time": 0.5},
    "needs": {
        "talk_time_immediate": 5.0,
        "talk_time_long_term": 3.0,
        "talk_time_no_need": 2.0,
        "talk_time_refusal": 1.0,
        "meeting_booking_talk_time": 1.5,
    },
}
FULL_PATH_PROFILE = {
    "dial_time": 0.5,
    "talk_time_scale": 1.5,
    "wrap_up_time": 0.125,
    "wrap_up_time_conversation": 2.25,
}


@pytest.mark.parametrize(
    ("needs", "outcome", "discovery"),
    [
        ({"immediate_prob": 1.0, "meeting_booking_prob": 1.0}, "meeting", 5.0 + 1.5),
        ({"immediate_prob": 1.0, "meeting_booking_prob": 0.0}, "hot_lead", 5.0),
        ({"long_term_prob": 1.0}, "long_term_need", 3.0),
        ({}, "no_need", 2.0),
        ({"refusal_prob": 1.0}, "dm_refusal", 1.0),
    ],
    ids=["meeting", "hot_lead", "long_term", "no_need", "refusal"],
)
def test_full_dm_path_duration_is_dial_ring_scaled_talk_and_conversation_wrap_up(
    needs: dict[str, float], outcome: str, discovery: float
) -> None:
    segment = {
        **FULL_PATH_SEGMENT,
        "companies": 1,
        "needs": {**FULL_PATH_SEGMENT["needs"], **needs},
    }
    tables = run(build(constant_scenario(segment=segment, profile=FULL_PATH_PROFILE)))
    call = calls_of(tables).iloc[0]
    assert call["outcome"] == outcome
    assert call["gatekeeper"] == "passed"
    assert call["referral_hops"] == 1
    assert call["dm_contact"]
    assert call["dial_min"] == 0.5 + 0.25
    # (gatekeeper 0.75 + one hop 1.25 + discovery [+ booking]) x talk_time_scale 1.5
    assert call["talk_min"] == pytest.approx((0.75 + 1.25 + discovery) * 1.5, rel=0, abs=1e-12)
    assert call["wrap_min"] == 2.25
    day = tables.operator_days.iloc[0]
    assert day["talk_min"] == pytest.approx(call["talk_min"], rel=0, abs=1e-12)
    assert day["referrals"] == 1
    assert day["gatekeeper_passed"] == 1
    assert day["idle_min"] == pytest.approx(
        60.0 - attempt_minutes(calls_of(tables)).iloc[0], rel=0, abs=1e-12
    )


@pytest.mark.parametrize(
    ("changes", "outcome", "gatekeeper", "hops", "talk"),
    [
        ({"line": {"busy_prob": 1.0, "ring_time_busy": 0.375}}, "busy", "none", 0, 0.0),
        ({"line": {"invalid_prob": 1.0, "ring_time_invalid": 0.625}}, "invalid", "none", 0, 0.0),
        (
            {"gatekeeper": {"pass_prob": 0.0, "dm_out_prob": 1.0}},
            "gatekeeper_dm_out",
            "stopped",
            0,
            0.75,
        ),
        (
            {"gatekeeper": {"pass_prob": 0.0, "email_prob": 1.0}},
            "gatekeeper_email",
            "stopped",
            0,
            0.75,
        ),
        ({"gatekeeper": {"pass_prob": 0.0}}, "gatekeeper_refusal", "stopped", 0, 0.75),
        ({"referral": {"next_is_dm_prob": 0.0}}, "thread_lost", "passed", 3, 0.75 + 3 * 1.25),
        (
            {"referral": {"next_is_dm_prob": 0.0, "thread_lost_prob": 1.0}},
            "thread_lost",
            "passed",
            1,
            0.75 + 1.25,
        ),
        (
            {"decision_maker": {"available_prob": 0.0}},
            "dm_unavailable",
            "passed",
            1,
            0.75 + 1.25 + 0.5,
        ),
    ],
    ids=[
        "busy",
        "invalid",
        "dm_out",
        "email",
        "gk_refusal",
        "lost_after_max_hops",
        "lost_at_first_hop",
        "dm_unavailable",
    ],
)
def test_duration_of_every_other_path(
    changes: dict[str, Any], outcome: str, gatekeeper: str, hops: int, talk: float
) -> None:
    segment = {**FULL_PATH_SEGMENT, "companies": 1}
    for block, values in changes.items():
        segment[block] = {**segment[block], **values}
    tables = run(build(constant_scenario(segment=segment, profile=FULL_PATH_PROFILE)))
    call = calls_of(tables).iloc[0]
    assert call["outcome"] == outcome
    assert call["gatekeeper"] == gatekeeper
    assert call["referral_hops"] == hops
    answered = outcome not in ("busy", "no_answer", "invalid")
    ring = 0.25 if answered else {"busy": 0.375, "invalid": 0.625}[outcome]
    assert call["dial_min"] == 0.5 + ring
    assert call["talk_min"] == pytest.approx(talk * 1.5, rel=0, abs=1e-12)
    assert call["wrap_min"] == (2.25 if answered else 0.125)


def test_once_the_dm_is_known_later_attempts_skip_gatekeeper_and_referral_talk() -> None:
    segment = {
        **FULL_PATH_SEGMENT,
        "companies": 1,
        "decision_maker": {"available_prob": 0.0, "unavailable_talk_time": 0.5},
    }
    scenario = build(
        constant_scenario(
            segment=segment,
            profile=FULL_PATH_PROFILE,
            retry={"dm_unavailable_delay_min": 0.0, "max_attempts": 3},
        )
    )
    tables = run(scenario)
    calls = calls_of(tables)
    assert calls["outcome"].tolist() == ["dm_unavailable"] * 3
    assert calls["gatekeeper"].tolist() == ["passed", "none", "none"]
    assert calls["referral_hops"].tolist() == [1, 0, 0]
    first = (0.75 + 1.25 + 0.5) * 1.5
    assert calls["talk_min"].tolist() == pytest.approx([first, 0.75, 0.75], rel=0, abs=1e-12)
    # Each attempt starts the moment the previous one ends (callback delay 0).
    durations = attempt_minutes(calls).to_numpy()
    np.testing.assert_allclose(
        calls["start_min"].to_numpy(),
        np.concatenate([[0.0], np.cumsum(durations)[:-1]]),
        rtol=0,
        atol=1e-12,
    )
    lead = tables.leads.iloc[0]
    assert lead["status"] == "exhausted"
    assert lead["attempts"] == 3
    assert lead["dm_identified"]
    assert math.isclose(tables.operator_days.iloc[0]["talk_min"], first + 1.5, abs_tol=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    shift_min=st.integers(4, 960).map(lambda q: q / 4.0),
    attempt_quarters=st.integers(1, 400),
    breaks=st.none() | st.tuples(st.integers(8, 480), st.integers(0, 100)),
)
def test_never_idle_caller_with_constant_attempts_follows_the_reference_schedule(
    shift_min: float, attempt_quarters: int, breaks: tuple[int, int] | None
) -> None:
    # Durations in quarter minutes keep every clock time exact in binary floating point.
    attempt_min = attempt_quarters / 4.0
    if breaks is None:
        shift = {"length_min": shift_min, "break_every_min": None, "break_length_min": 0.0}
    else:
        every = float(breaks[0])
        length = min(breaks[1] / 4.0, every - 0.25)
        shift = {"length_min": shift_min, "break_every_min": every, "break_length_min": length}
    line = {"no_answer_prob": 1.0, "ring_time_no_answer": attempt_min - 0.25}
    scenario = build(
        constant_scenario(segment={"line": line}, profile={"dial_time": 0.25}, shift=shift)
    )
    tables = run(scenario)
    starts = calls_of(tables)["start_min"].tolist()
    expected = reference_starts(
        shift_min,
        attempt_min,
        scenario.shift.break_due_times_min(),
        scenario.shift.break_length_min,
    )
    assert starts == expected
    day = tables.operator_days.iloc[0]
    assert day["overrun_min"] == max(0.0, expected[-1] + attempt_min - shift_min)
    assert_time_adds_up(tables.operator_days)


def test_every_logged_attempt_lasts_exactly_what_its_path_adds_up_to() -> None:
    # Random paths (several hops, known DMs on callbacks), constant durations: each attempt's
    # dial, talk and wrap-up follow from its logged outcome, gatekeeper and hops.
    segment = {
        "companies": 300,
        "line": {
            "busy_prob": 0.1,
            "no_answer_prob": 0.2,
            "invalid_prob": 0.05,
            "ring_time_busy": 0.125,
            "ring_time_no_answer": 0.75,
            "ring_time_invalid": 0.375,
            "ring_time_answered": 0.25,
        },
        "gatekeeper": {
            "present_prob": 0.5,
            "pass_prob": 0.6,
            "dm_out_prob": 0.2,
            "email_prob": 0.1,
            "talk_time": 0.75,
        },
        "referral": {
            "direct_to_dm_prob": 0.3,
            "next_is_dm_prob": 0.4,
            "thread_lost_prob": 0.1,
            "max_hops": 4,
            "hop_talk_time": 1.25,
        },
        "decision_maker": {"available_prob": 0.5, "unavailable_talk_time": 0.5},
        "needs": {
            "immediate_prob": 0.2,
            "long_term_prob": 0.2,
            "refusal_prob": 0.2,
            "meeting_booking_prob": 0.5,
            "talk_time_immediate": 5.0,
            "talk_time_long_term": 3.0,
            "talk_time_no_need": 2.0,
            "talk_time_refusal": 1.0,
            "meeting_booking_talk_time": 1.5,
        },
    }
    retry = {
        "busy_delay_min": 0.0,
        "no_answer_delay_min": 1.0,
        "dm_unavailable_delay_min": 2.0,
        "thread_lost_delay_min": 3.0,
        "gatekeeper_dm_out_delay_min": 4.0,
    }
    scenario = build(
        constant_scenario(
            segment=segment,
            profile=FULL_PATH_PROFILE,
            callers=3,
            retry=retry,
            shift={"length_min": 240.0},
        )
    )
    calls = calls_of(run(scenario, seed=3))
    assert calls["referral_hops"].max() >= 3
    assert ((calls["attempt"] > 1) & (calls["outcome"] == "meeting")).any()
    ring = {"busy": 0.125, "no_answer": 0.75, "invalid": 0.375}
    discovery = {
        "meeting": 5.0 + 1.5,
        "hot_lead": 5.0,
        "long_term_need": 3.0,
        "no_need": 2.0,
        "dm_refusal": 1.0,
        "dm_unavailable": 0.5,
    }
    for call in calls.itertuples():
        outcome = str(call.outcome)
        answered = outcome not in ring
        assert call.dial_min == 0.5 + ring.get(outcome, 0.25)
        assert call.wrap_min == (2.25 if answered else 0.125)
        talk = 0.0 if call.gatekeeper == "none" else 0.75
        talk += call.referral_hops * 1.25 + discovery.get(outcome, 0.0)
        assert call.talk_min == pytest.approx(talk * 1.5 if answered else 0.0, rel=0, abs=1e-9)


def test_clock_step_always_reaches_its_target() -> None:
    # `now + (until - now)` can round to just below `until`; a caller waking there would find
    # its callback not yet due and wait a step that no longer moves the clock.
    from sim.model.shift_clock import clock_step

    rng = np.random.default_rng(5)
    pairs = [(0.1, 0.3), (1e-300, 1.0), (5e-324, 1e-9), (479.99999999, 480.0), (7.0, 7.0)]
    pairs += list(zip(rng.uniform(0, 1e4, 2000), rng.uniform(1e4, 2e4, 2000), strict=True))
    pairs += list(zip(rng.uniform(0, 1e-3, 2000), rng.uniform(1e3, 1e4, 2000), strict=True))
    for now, until in pairs:
        step = clock_step(now, until)
        assert now + step >= until
        assert step <= (until - now) * (1 + 1e-12)
