"""The per-attempt cost stays within its pinned budget (issue #15): counted, not timed.

Bytecodes and SimPy events per attempt on a fixed scenario (``benchmarks/budget.json``) do not
depend on the machine's load, so every change shows its cost: one that needs more raises the
budget on purpose (``python -m benchmarks.cost_guard --update``). Both cores are counted, each
in its own subprocess: the compiled core's figure is the Python bytecodes still executed outside
compiled code (with ``CALLSIM_EXPECT_COMPILED=1``, as in CI, it must be counted).
"""

from __future__ import annotations

import os

import pytest

from benchmarks.cost_guard import UPDATE, check, load_budget, measure, python_minor

BUDGET = load_budget()


def test_the_per_attempt_cost_is_within_its_budget() -> None:
    if python_minor() not in BUDGET["python"]:
        pytest.skip(
            f"bytecode counts differ between Python versions and none is pinned for "
            f"Python {python_minor()}; pin one with `{UPDATE}`"
        )
    measured = measure(BUDGET)
    assert measured["attempts"] > 500
    problems = check(measured, BUDGET)
    assert not problems, "\n".join(problems)
    compiled = measured["compiled"]
    if compiled is None:
        assert os.environ.get("CALLSIM_EXPECT_COMPILED") != "1", "no compiled core to count"
        return
    assert compiled["core"].startswith("compiled core")
    # The same simulation: the same attempts and events, far fewer Python bytecodes.
    assert compiled["attempts"] == measured["attempts"]
    assert compiled["events_per_attempt"] == measured["events_per_attempt"]
    assert compiled["bytecodes_per_attempt"] < measured["bytecodes_per_attempt"]


def test_the_guard_fails_a_change_that_costs_more() -> None:
    measured = {
        "attempts": 1000,
        "events_per_attempt": BUDGET["events_per_attempt"] * 1.2,
        "model_bytecodes_per_attempt": 1e9,
        "bytecodes_per_attempt": 1e9,
    }
    measured["compiled"] = {**measured, "bytecodes_per_attempt": 1.0}
    problems = check(measured, BUDGET)
    assert any("events_per_attempt" in p and "--update" in p for p in problems)
    if python_minor() in BUDGET["python"]:
        assert any(p.startswith("model_bytecodes_per_attempt") for p in problems)
    if python_minor() in BUDGET.get("compiled", {}):
        assert any(p.startswith("compiled.model_bytecodes_per_attempt is") for p in problems)
        assert any(p.startswith("compiled.bytecodes_per_attempt fell") for p in problems)
