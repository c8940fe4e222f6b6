"""Simulation speed: call attempts per second per core, against a bare SimPy loop.

Runs replications of the README's main scenario in this process (one core) and, interleaved
with them, a bare SimPy loop with the same number of processes and timeouts. Reports the
model's attempts per second, the bare loop's timeouts per second, and their ratio (the figure
that matters: it does not depend on how fast this machine is). Each figure is the best of the
rounds, the least disturbed by other work on the machine.

    python benchmarks/bench_core.py [--scenario FILE] [--replications N] [--rounds K]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import simpy

import sim
from sim.metrics import tabulate
from sim.model.build import build_replication, operator_roster
from sim.replication import _no_cyclic_gc

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=MAIN_SCENARIO)
    parser.add_argument("--replications", type=int, default=4, help="per round")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    scenario = sim.load_scenario(args.scenario)
    sim_rates, e2e_rates, bare_rates = [], [], []
    for k in range(args.rounds):
        reps = range(k * args.replications, (k + 1) * args.replications)
        attempts, simulating, total = model_rate(scenario, reps)
        sim_rates.append(attempts / simulating)
        e2e_rates.append(attempts / total)
        bare_rates.append(attempts / bare_loop(scenario.operator_count, attempts))
    # Best of the rounds, as timeit does: the least-disturbed measurement of each.
    simulated, end_to_end, bare = max(sim_rates), max(e2e_rates), max(bare_rates)
    print(f"scenario              {scenario.name} ({scenario.operator_count} callers, "
          f"{scenario.horizon_days} days), {args.rounds} rounds x {args.replications} reps")
    print(f"bare SimPy loop       {bare:>10,.0f} timeouts/s per core")
    print(f"model, event loop     {simulated:>10,.0f} attempts/s per core   "
          f"ratio {simulated / bare:.3f}")
    print(f"model, with tables    {end_to_end:>10,.0f} attempts/s per core   "
          f"ratio {end_to_end / bare:.3f}")
    ratios = [m / b for m, b in zip(sim_rates, bare_rates, strict=True)]
    print(f"event-loop ratio per round  {', '.join(f'{r:.3f}' for r in ratios)}")


if __name__ == "__main__":
    main()
