"""The per-attempt cost budget: bytecodes and SimPy events per attempt on a fixed scenario.

Counted with ``sys.settrace`` (:func:`benchmarks.bench_core.attempt_cost`), so the figures do
not depend on the machine or its load, only on the code, the Python minor version (bytecodes
differ between versions) and, for SimPy's share, the SimPy version. ``budget.json`` pins them;
``tests/test_cost_guard.py`` fails when a change needs more, or when the budget has become
loose (5 % above the count). A new mechanism that costs more per attempt raises the budget on
purpose, in its own commit, saying why:

    python -m benchmarks.cost_guard            # print the counts against the budget
    python -m benchmarks.cost_guard --update   # pin the current counts for this Python

Both cores are counted, each in its own subprocess (``CALLSIM_CORE`` forced): the pure-Python
core's bytecodes per attempt (``python``), and for the compiled core the Python bytecodes per
attempt still executed outside compiled code (``compiled``: SimPy's and the modules that are
not compiled), which catches work moved back into Python. Without a compiled core only the
first is counted.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import simpy

import sim
from benchmarks.bench_core import attempt_cost
from sim._core import ENV as CORE_ENV
from sim._core import core_info, require_core
from sim.errors import CoreError

ROOT = Path(__file__).resolve().parent.parent
BUDGET = Path(__file__).resolve().parent / "budget.json"
LOOSE = 0.95
"""A count below this share of its budget means the budget should come down with it."""
UPDATE = "python -m benchmarks.cost_guard --update"


def python_minor() -> str:
    return f"{sys.version_info.major}.{sys.version_info.minor}"


def load_budget() -> dict[str, Any]:
    return json.loads(BUDGET.read_text())


def measure_here(budget: dict[str, Any]) -> dict[str, float]:
    """The counts of the budget's scenario, seed and replication, on this process's core."""
    scenario = sim.load_scenario(ROOT / budget["scenario"], budget["overrides"])
    cost = attempt_cost(scenario, budget["seed"], budget["replication"])
    return {
        "attempts": cost.attempts,
        "events_per_attempt": round(cost.events_per_attempt, 4),
        "model_bytecodes_per_attempt": round(cost.model_bytecodes_per_attempt, 2),
        "bytecodes_per_attempt": round(cost.bytecodes_per_attempt, 2),
    }


def _start(core: str) -> subprocess.Popen[str]:
    """:func:`measure_here` in a subprocess running ``core``: it reads the budget from its
    stdin and prints its counts as JSON (``null`` if that core cannot run here)."""
    return subprocess.Popen(
        [sys.executable, "-m", "benchmarks.cost_guard", "--child"],
        cwd=ROOT,
        env={**os.environ, CORE_ENV: core},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(process: subprocess.Popen[str], budget: dict[str, Any]) -> dict[str, Any] | None:
    out, err = process.communicate(json.dumps(budget))
    if process.returncode != 0:
        raise RuntimeError(f"counting failed: {err[-2000:]}")
    result: dict[str, Any] | None = json.loads(out.strip().splitlines()[-1])
    return result


def measure(budget: dict[str, Any]) -> dict[str, Any]:
    """The pure-Python core's counts, with the compiled core's under ``compiled`` (or None).

    Each core is counted in its own subprocess (``CALLSIM_CORE`` forced), side by side.
    """
    python, compiled = _start("python"), _start("compiled")
    measured = _finish(python, budget)
    if measured is None:
        raise RuntimeError("the pure-Python core cannot run")
    measured["compiled"] = _finish(compiled, budget)
    return measured


def _pinned(measured: dict[str, Any], version: dict[str, Any]) -> dict[str, float]:
    pinned = {}
    if "model_bytecodes_per_attempt" in version:
        pinned["model_bytecodes_per_attempt"] = version["model_bytecodes_per_attempt"]
    if version.get("simpy") == simpy.__version__ and "bytecodes_per_attempt" in version:
        pinned["bytecodes_per_attempt"] = version["bytecodes_per_attempt"]
    return pinned


def check(measured: dict[str, Any], budget: dict[str, Any]) -> list[str]:
    """Every figure over its budget (or far under it), as a sentence; empty when within.

    Figures of the compiled core are named ``compiled.<figure>``.
    """
    figures = [("", measured, {"events_per_attempt": budget["events_per_attempt"]})]
    figures[0][2].update(_pinned(measured, budget["python"].get(python_minor(), {})))
    compiled = measured.get("compiled")
    if compiled is not None:
        version = budget.get("compiled", {}).get(python_minor(), {})
        figures.append(("compiled.", compiled, _pinned(compiled, version)))
    problems = []
    for prefix, values, pinned in figures:
        for name, limit in pinned.items():
            value = values[name]
            if value > limit:
                problems.append(
                    f"{prefix}{name} is {value} against a budget of {limit} "
                    f"(+{value / limit - 1:.2%}): if the extra cost is intended, raise the "
                    f"budget on purpose with `{UPDATE}` and say why in the commit"
                )
            elif value < LOOSE * limit:
                problems.append(
                    f"{prefix}{name} fell to {value} from a budget of {limit}: lower the "
                    f"budget with `{UPDATE}` so that it keeps guarding"
                )
    return problems


def _child() -> None:
    """Print this process's counts as JSON (``null`` when the requested core cannot run)."""
    try:
        require_core()
    except CoreError:
        print("null")
        return
    budget = json.loads(sys.stdin.read())
    print(json.dumps({**measure_here(budget), "core": core_info().describe()}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="pin the current counts")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child()
        return
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
        compiled = measured["compiled"]
        if compiled is not None:
            budget.setdefault("compiled", {})[python_minor()] = {
                "model_bytecodes_per_attempt": compiled["model_bytecodes_per_attempt"],
                "simpy": simpy.__version__,
                "bytecodes_per_attempt": compiled["bytecodes_per_attempt"],
            }
        BUDGET.write_text(json.dumps(budget, indent=2) + "\n")
        cores = "both cores" if compiled is not None else "the pure-Python core only"
        print(f"budget for Python {python_minor()} updated in {BUDGET} ({cores})")
        return
    problems = check(measured, budget)
    print("\n".join(problems) or "within budget")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
