"""Simulation speed: call attempts per second per core, against a bare SimPy loop.

Runs replications of the README's main scenario in this process (one core) and, interleaved
with them, a bare SimPy loop with the same number of processes and timeouts. Reports the
model's attempts per second, the bare loop's timeouts per second, and their ratio (the figure
that matters: it does not depend on how fast this machine is). Each round times the bare loop
just before and after the model, and the median over rounds is reported with its quartiles.

Timings on a shared virtual machine swing with the load of its neighbours, so
``--bytecodes`` also counts, deterministically, the Python bytecodes executed per attempt
(the model's own and SimPy's) and per bare-loop timeout: their ratio does not depend on the
machine at all and moves only when the code does.

    python benchmarks/bench_core.py [--scenario FILE] [--replications N] [--rounds K]
                                    [--bytecodes]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import simpy

import sim
from sim.model.build import build_replication, operator_roster
from sim.records.replication import _no_cyclic_gc
from sim.records.tables import tabulate

ROOT = Path(__file__).resolve().parent.parent
MAIN_SCENARIO = ROOT / "scenarios" / "students-vs-experienced.yaml"


def bare_loop(processes: int, timeouts: int) -> float:
    """Seconds for ``processes`` SimPy processes to yield ``timeouts`` timeouts in total."""
    env = simpy.Environment()
    per_process = max(1, timeouts // processes)

    def caller(env: simpy.Environment, n: int):
        for _ in range(n):
            yield env.timeout(1.0)

    for _ in range(processes):
        env.process(caller(env, per_process))
    started = time.perf_counter()
    env.run()
    return time.perf_counter() - started


def model_rate(scenario: sim.Scenario, replications: range) -> tuple[int, float, float]:
    """Attempts, seconds in the event loop (build + run) and seconds end to end (+ tables)."""
    attempts, simulating, total = 0, 0.0, 0.0
    for r in replications:
        started = time.perf_counter()
        with _no_cyclic_gc():
            env, pool, recorder = build_replication(scenario, 12345, r)
            env.run()
        simulated = time.perf_counter()
        tables = tabulate(scenario, operator_roster(scenario), pool, recorder, r)
        finished = time.perf_counter()
        attempts += int(tables.operator_days["dials"].sum())
        simulating += simulated - started
        total += finished - started
    return attempts, simulating, total


def count_bytecodes(run: Any) -> Counter[str]:
    """Bytecodes executed while ``run()`` runs, by the file of the code that executed them."""
    counts: Counter[str] = Counter()

    def trace(frame: FrameType, event: str, arg: Any) -> Any:
        frame.f_trace_opcodes = True
        name = frame.f_code.co_filename

        def opcode(frame: FrameType, event: str, arg: Any) -> Any:
            if event == "opcode":
                counts[name] += 1
            return opcode

        return opcode

    sys.settrace(trace)
    try:
        run()
    finally:
        sys.settrace(None)
    return counts


SIM_DIR = Path(sim.__file__).resolve().parent
SIMPY_DIR = Path(simpy.__file__).resolve().parent


@dataclass(frozen=True)
class AttemptCost:
    """What one replication's event loop costs, counted (not timed): machine-independent."""

    attempts: int
    events: int
    """SimPy events scheduled (every ``Environment.schedule``), process starts included."""
    model_bytecodes: int
    """Python bytecodes executed in callsim's own code (``sim/``)."""
    simpy_bytecodes: int
    """Python bytecodes executed in SimPy."""

    @property
    def events_per_attempt(self) -> float:
        return self.events / self.attempts

    @property
    def model_bytecodes_per_attempt(self) -> float:
        return self.model_bytecodes / self.attempts

    @property
    def bytecodes_per_attempt(self) -> float:
        return (self.model_bytecodes + self.simpy_bytecodes) / self.attempts


def count_events(env: simpy.Environment) -> list[int]:
    """Count the events ``env`` schedules from now on: a one-item list, updated in place.

    Wraps the public ``Environment.schedule``, through which every SimPy event (timeouts,
    process starts and resumptions) is scheduled.
    """
    counter = [0]
    schedule = env.schedule

    def counted(event: Any, priority: Any = 1, delay: float = 0) -> None:
        counter[0] += 1
        schedule(event, priority, delay)

    env.schedule = counted  # type: ignore[method-assign]
    return counter


def attempt_cost(
    scenario: sim.Scenario, seed: int = 12345, replication: int = 0, bytecodes: bool = True
) -> AttemptCost:
    """Count attempts, SimPy events and (optionally) bytecodes of one replication's run."""
    env, pool, recorder = build_replication(scenario, seed, replication)
    events = count_events(env)
    if bytecodes:
        by_file = count_bytecodes(env.run)
    else:
        by_file = Counter()
        env.run()
    tables = tabulate(scenario, operator_roster(scenario), pool, recorder, replication)
    attempts = int(tables.operator_days["dials"].sum())
    model = simpy_code = 0
    for name, n in by_file.items():
        path = Path(name).resolve()
        if path.is_relative_to(SIM_DIR):
            model += n
        elif path.is_relative_to(SIMPY_DIR):
            simpy_code += n
    return AttemptCost(attempts, events[0], model, simpy_code)


def bytecode_report(scenario: sim.Scenario) -> None:
    """Print bytecodes per attempt (model and SimPy) and per bare-loop timeout."""
    env, pool, recorder = build_replication(scenario, 12345, 0)
    by_file = count_bytecodes(env.run)
    tables = tabulate(scenario, operator_roster(scenario), pool, recorder, 0)
    attempts = int(tables.operator_days["dials"].sum())
    simpy_code = sum(n for f, n in by_file.items() if "simpy" in Path(f).parts)
    model_code = sum(by_file.values()) - simpy_code
    timeouts = 20_000
    bare = sum(count_bytecodes(lambda: bare_loop(scenario.operator_count, timeouts)).values())
    per_timeout = bare / timeouts
    per_attempt = (model_code + simpy_code) / attempts
    print(
        f"bytecodes per attempt {per_attempt:>8.1f}  (model's own {model_code / attempts:.1f}, "
        f"SimPy's {simpy_code / attempts:.1f})"
    )
    print(f"bytecodes per bare-loop timeout {per_timeout:.1f}")
    print(f"ratio model/bare, bytecodes    {per_timeout / per_attempt:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=MAIN_SCENARIO)
    parser.add_argument("--replications", type=int, default=4, help="per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--bytecodes",
        action="store_true",
        help="also count bytecodes per attempt (deterministic; ~30 s)",
    )
    args = parser.parse_args()
    scenario = sim.load_scenario(args.scenario)
    if args.bytecodes:
        bytecode_report(scenario)
    sim_ratios, e2e_ratios, sim_rates, bare_rates = [], [], [], []
    for k in range(args.rounds):
        reps = range(k * args.replications, (k + 1) * args.replications)
        before = bare_loop(scenario.operator_count, 100_000) / 100_000
        attempts, simulating, total = model_rate(scenario, reps)
        after = bare_loop(scenario.operator_count, 100_000) / 100_000
        bare_per_timeout = (before + after) / 2  # the bare loop either side of the model
        sim_ratios.append(bare_per_timeout / (simulating / attempts))
        e2e_ratios.append(bare_per_timeout / (total / attempts))
        sim_rates.append(attempts / simulating)
        bare_rates.append(1.0 / bare_per_timeout)
    print(f"core                  {sim.core_info().describe()} (CALLSIM_CORE chooses)")
    print(
        f"scenario              {scenario.name} ({scenario.operator_count} callers, "
        f"{scenario.horizon_days} days), {args.rounds} rounds x {args.replications} reps"
    )
    print(f"bare SimPy loop       {statistics.median(bare_rates):>10,.0f} timeouts/s per core")
    print(f"model, event loop     {statistics.median(sim_rates):>10,.0f} attempts/s per core")
    for label, ratios in (("event loop", sim_ratios), ("with tables", e2e_ratios)):
        spread = ""
        if len(ratios) > 1:
            q = statistics.quantiles(ratios, n=4)
            spread = f" (quartiles {q[0]:.3f}-{q[2]:.3f})"
        print(f"ratio model/bare, {label:<12} median {statistics.median(ratios):.3f}{spread}")


if __name__ == "__main__":
    main()
