"""Idle callers cost (almost) no SimPy events: events per attempt stay near 1 when a list runs out.

Once the fresh companies are worked out, callers wait for callbacks. Were every idle caller to
wake whenever a callback fell due (and all but one to go back to sleep), a replication of 40
callers would spend about 20 SimPy events per attempt. Idle callers run ahead on their own
clocks instead (see ``sim/model/operator.py``); these tests count the events.
"""

from __future__ import annotations

import heapq
from pathlib import Path
from typing import Any

import pytest
import simpy
from hypothesis import given, settings
from hypothesis import strategies as st

import sim
from sim.model.build import build_replication, operator_roster
from sim.model.leads import Lead, LeadPool
from sim.records.replication import simulate_replication
from sim.records.tables import tabulate
from tests.builders import build, constant_scenario

MAIN = Path(__file__).resolve().parent.parent / "scenarios" / "students-vs-experienced.yaml"
RUNS_OUT = [
    "segments.small.companies=600",
    "segments.medium.companies=400",
    "segments.large.companies=200",
]


def events_and_attempts(scenario: sim.Scenario, seed: int = 12345) -> tuple[int, int, float]:
    """SimPy events scheduled, attempts made and idle minutes in one replication."""
    env, pool, recorder = build_replication(scenario, seed, 0)
    counter = [0]
    schedule = env.schedule

    def counted(event: Any, priority: Any = simpy.events.NORMAL, delay: float = 0) -> None:
        counter[0] += 1
        schedule(event, priority, delay)

    env.schedule = counted  # type: ignore[method-assign]
    env.run()
    tables = tabulate(scenario, operator_roster(scenario), pool, recorder, 0)
    days = tables.operator_days
    return counter[0], int(days["dials"].sum()), float(days["idle_min"].sum())


@pytest.mark.parametrize(
    ("students", "experienced"), [(8, 2), (32, 8), (64, 16)], ids=["10", "40", "80"]
)
def test_events_per_attempt_stay_near_one_when_the_list_runs_out(
    students: int, experienced: int
) -> None:
    team = [f"team.0.count={students}", f"team.1.count={experienced}", "horizon_days=8"]
    scenario = sim.load_scenario(MAIN, [*team, *RUNS_OUT])
    events, attempts, idle_min = events_and_attempts(scenario)
    shift_min = scenario.operator_count * scenario.simulated_days * scenario.shift.length_min
    assert idle_min > 0.5 * shift_min  # the list ran out: callers idle most of the time
    # One event per attempt, plus two per caller (its process's start and end) and one per
    # callback that fell due during the callers' break. Waking every idle caller per due
    # callback gave 3.2, 21 and 44 events per attempt here.
    assert events / attempts <= 1.1
    assert events - attempts <= 2 * scenario.operator_count + 0.05 * attempts


def test_a_callback_due_during_a_break_is_taken_when_the_break_ends() -> None:
    # One company, 1-minute no-answer attempts retried 10 minutes after each ends; 10-minute
    # breaks fall due at 20, 50 and 80 minutes into the 90-minute shift. Due at 11 (callers
    # idle): called at 11. Due at 22, during the break: called when it ends, at 30. And so
    # on; the callback due at 82 falls in the break that ends the shift.
    scenario = build(
        constant_scenario(
            segment={
                "companies": 1,
                "line": {"no_answer_prob": 1.0, "ring_time_no_answer": 0.5},
            },
            shift={"length_min": 90.0, "break_every_min": 30.0, "break_length_min": 10.0},
            retry={"no_answer_delay_min": 10.0, "max_attempts": 100},
            callers=3,
        )
    )
    tables = simulate_replication(scenario, 1, 0, call_log=True)
    calls = tables.calls
    assert calls is not None
    assert calls["start_min"].tolist() == [0.0, 11.0, 30.0, 41.0, 60.0, 71.0]
    days = tables.operator_days
    assert days["dials"].sum() == 6
    for _, row in days.iterrows():
        minutes = row[["talk_min", "dial_min", "wrap_min", "break_min", "idle_min"]].sum()
        assert minutes == pytest.approx(row["shift_min"] + row["overrun_min"], abs=1e-9)
    # Every caller, idle or not, takes the three breaks in full.
    assert (days["break_min"] == 30.0).all()


@settings(max_examples=200, deadline=None)
@given(
    dues=st.lists(st.integers(0, 30), max_size=40),
    stale=st.sets(st.integers(0, 39)),
    until=st.integers(-1, 31),
)
def test_pending_until_counts_and_finds_like_a_sorted_scan(
    dues: list[int], stale: set[int], until: int
) -> None:
    leads = []
    queue: list[tuple[float, int, Lead]] = []
    for seq, due in enumerate(dues, start=1):
        lead = Lead.__new__(Lead)
        lead.callback_seq = 0 if seq - 1 in stale else seq
        leads.append(lead)
        heapq.heappush(queue, (float(due), seq, lead))
    pending = sorted(e for e in queue if e[2].callback_seq == e[1])
    waiting, after = LeadPool.pending_until(queue, float(until))
    assert waiting == sum(1 for e in pending if e[0] <= until)
    later = [e for e in pending if e[0] > until]
    assert after == (later[0] if later else None)
