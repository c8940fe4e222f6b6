"""Simulation speed: call attempts per second per core, against a bare SimPy loop.

Runs replications of the README's main scenario in this process (one core) and, interleaved
with them, a bare SimPy loop with the same number of processes and timeouts. Reports the
model's attempts per second, the bare loop's timeouts per second, and their ratio (the figure
that matters: it does not depend on how fast this machine is).

    python benchmarks/bench_core.py [--scenario FILE] [--replications N] [--rounds K]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import simpy

import sim
from sim.replication import simulate_replication

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


def model_rate(scenario: sim.Scenario, replications: range) -> tuple[int, float]:
    """Attempts simulated and seconds taken for whole replications (build, run, tabulate)."""
    attempts, started = 0, time.perf_counter()
    for r in replications:
        attempts += int(simulate_replication(scenario, 12345, r).operator_days["dials"].sum())
    return attempts, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=MAIN_SCENARIO)
    parser.add_argument("--replications", type=int, default=4, help="per round")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    scenario = sim.load_scenario(args.scenario)
    model_rates, bare_rates = [], []
    for k in range(args.rounds):
        reps = range(k * args.replications, (k + 1) * args.replications)
        attempts, seconds = model_rate(scenario, reps)
        model_rates.append(attempts / seconds)
        bare_rates.append(attempts / bare_loop(scenario.operator_count, attempts))
    model, bare = statistics.median(model_rates), statistics.median(bare_rates)
    print(f"scenario            {scenario.name} ({scenario.operator_count} callers, "
          f"{scenario.horizon_days} days)")
    print(f"model               {model:>10,.0f} attempts/s per core (median of {args.rounds})")
    print(f"bare SimPy loop     {bare:>10,.0f} timeouts/s per core")
    print(f"ratio model/bare    {model / bare:>10.3f}")
    ratios = [m / b for m, b in zip(model_rates, bare_rates, strict=True)]
    print(f"ratio per round     {', '.join(f'{r:.3f}' for r in ratios)}")


if __name__ == "__main__":
    main()
