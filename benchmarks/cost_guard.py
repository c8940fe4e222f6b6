"""The per-attempt cost budget: bytecodes and SimPy events per attempt on a fixed scenario.

Counted with ``sys.settrace`` (:func:`benchmarks.bench_core.attempt_cost`), so the figures do
not depend on the machine or its load, only on the code, the Python minor version (bytecodes
differ between versions) and, for SimPy's share, the SimPy version. ``budget.json`` pins them;
``tests/test_cost_guard.py`` fails when a change needs more, or when the budget has become
loose (5 % above the count). A new mechanism that costs more per attempt raises the budget on
purpose, in its own commit, saying why:

    python -m benchmarks.cost_guard            # print the counts against the budget
    python -m benchmarks.cost_guard --update   # pin the current counts for this Python
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import simpy

import sim
from benchmarks.bench_core import attempt_cost

ROOT = Path(__file__).resolve().parent.parent
BUDGET = Path(__file__).resolve().parent / "budget.json"
LOOSE = 0.95
"""A count below this share of its budget means the budget should come down with it."""
UPDATE = "python -m benchmarks.cost_guard --update"


def python_minor() -> str:
    return f"{sys.version_info.major}.{sys.version_info.minor}"


def load_budget() -> dict[str, Any]:
    return json.loads(BUDGET.read_text())


def measure(budget: dict[str, Any]) -> dict[str, float]:
    """The counts of the budget's scenario, seed and replication."""
    scenario = sim.load_scenario(ROOT / budget["scenario"], budget["overrides"])
    cost = attempt_cost(scenario, budget["seed"], budget["replication"])
    return {
        "attempts": cost.attempts,
        "events_per_attempt": round(cost.events_per_attempt, 4),
        "model_bytecodes_per_attempt": round(cost.model_bytecodes_per_attempt, 2),
        "bytecodes_per_attempt": round(cost.bytecodes_per_attempt, 2),
    }


def check(measured: dict[str, float], budget: dict[str, Any]) -> list[str]:
    """Every figure over its budget (or far under it), as a sentence; empty when within."""
    pinned = {"events_per_attempt": budget["events_per_attempt"]}
    version = budget["python"].get(python_minor(), {})
    if "model_bytecodes_per_attempt" in version:
        pinned["model_bytecodes_per_attempt"] = version["model_bytecodes_per_attempt"]
    if version.get("simpy") == simpy.__version__ and "bytecodes_per_attempt" in version:
        pinned["bytecodes_per_attempt"] = version["bytecodes_per_attempt"]
    problems = []
    for name, limit in pinned.items():
        value = measured[name]
        if value > limit:
            problems.append(
                f"{name} is {value} against a budget of {limit} (+{value / limit - 1:.2%}): "
                f"if the extra cost is intended, raise the budget on purpose with `{UPDATE}` "
                "and say why in the commit"
            )
        elif value < LOOSE * limit:
            problems.append(
                f"{name} fell to {value} from a budget of {limit}: lower the budget with "
                f"`{UPDATE}` so that it keeps guarding"
            )
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="pin the current counts")
    args = parser.parse_args()
    budget = load_budget()
    measured = measure(budget)
    print(json.dumps(measured, indent=2))
    if args.update:
        budget["events_per_attempt"] = measured["events_per_attempt"]
        budget["python"][python_minor()] = {
            "model_bytecodes_per_attempt": measured["model_bytecodes_per_attempt"],
            "simpy": simpy.__version__,
            "bytecodes_per_attempt": measured["bytecodes_per_attempt"],
        }
        BUDGET.write_text(json.dumps(budget, indent=2) + "\n")
        print(f"budget for Python {python_minor()} updated in {BUDGET}")
        return
    problems = check(measured, budget)
    print("\n".join(problems) or "within budget")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
