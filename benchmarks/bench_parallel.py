"""Parallel speed-up and the CRN variance reduction, on the README's main scenario.

1. Speed-up: the same replications run in one process (``--jobs 1``), on local worker
   processes (``--jobs N``) and on a Dask LocalCluster (``--scheduler local:N``), streamed to
   disk as ``callsim run`` does; rounds are interleaved and the median kept. Worker start-up
   (pool fork, cluster start) is reported separately. Every executor must give identical
   tables. On a shared machine the cores may not all be free, so the benchmark also measures
   the machine's parallel capacity (N busy-loop processes against one) and, per executor, how
   busy the workers were kept and how much slower each replication ran than in one process;
   ``speed-up x slowdown`` is the speed-up the executor would give on free cores.
2. CRN: ``compare`` of the main scenario against "+1 student" (team.0.count + 1); per headline
   metric the ratio Var(B - A) / (Var(A) + Var(B)) over replications - the variance of the
   paired difference against what independent random streams would give.

    python benchmarks/bench_parallel.py [--replications 24] [--rounds 3] [--workers 2]
                                        [--crn-replications 30]
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd

import sim
from sim.analysis.comparison import HEADLINE_METRICS
from sim.execution.engine import execute
from sim.execution.executors import Executor, make_executor
from sim.execution.plan import ExperimentPlan, RunSpec
from sim.execution.store import DiskStore

ROOT = Path(__file__).resolve().parent.parent
MAIN_SCENARIO = ROOT / "scenarios" / "students-vs-experienced.yaml"


def busy_loop(n: int) -> float:
    started = time.perf_counter()
    x = 0
    for i in range(n):
        x += i * i
    return time.perf_counter() - started


def parallel_capacity(workers: int, n: int = 8_000_000) -> float:
    """Throughput of ``workers`` busy-loop processes over one: the attainable speed-up now."""
    one = busy_loop(n)
    with multiprocessing.get_context().Pool(workers) as pool:
        started = time.perf_counter()
        pool.map(busy_loop, [n] * workers)
        many = time.perf_counter() - started
    return workers * one / many


def timed(plan: ExperimentPlan, executor: Executor, work: Path) -> tuple[float, float]:
    """(wall seconds, seconds spent inside tasks summed over workers)."""
    store = DiskStore.create(work, plan.to_json(), plan.labels)
    started = time.perf_counter()
    report = execute(plan, store, executor)
    return time.perf_counter() - started, report.task_seconds


def tables(work: Path) -> pd.DataFrame:
    return pd.concat(
        [
            pd.read_parquet(c / "leads.parquet")
            for c in sorted((work / "parts" / "run-0").glob("r*"))
        ],
        ignore_index=True,
    )


def measure_speedup(
    scenario: sim.Scenario,
    replications: int,
    rounds: int,
    workers: int,
    seed: int,
    capacity_loop: int = 8_000_000,
) -> dict[str, Any]:
    """Median wall seconds per executor, speed-ups, busy shares, slowdowns (see docstring).

    ``capacity_loop``: iterations of each busy loop that checks the machine's parallel capacity.
    """
    plan = ExperimentPlan("run", (RunSpec("run", scenario),), seed, replications)
    names = ("1 process", f"{workers} processes", f"Dask local:{workers}")
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
    capacity = [parallel_capacity(workers, capacity_loop)]
    started = time.perf_counter()
    dask = make_executor(1, f"local:{workers}").__enter__()
    dask_start = time.perf_counter() - started
    identical = True
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for k in range(rounds):
                for name in names:
                    work = Path(tmp) / f"{k}-{name}"
                    if name.startswith("Dask"):
                        times[name].append(timed(plan, dask, work))
                    else:
                        jobs = 1 if name == "1 process" else workers
                        with make_executor(jobs) as executor:
                            times[name].append(timed(plan, executor, work))
                    if k == 0 and name != names[0]:
                        identical &= tables(work).equals(tables(Path(tmp) / f"0-{names[0]}"))
                capacity.append(parallel_capacity(workers, capacity_loop))
    finally:
        dask.close()
    base = statistics.median(t for t, _ in times[names[0]])
    per_rep = statistics.median(busy for _, busy in times[names[0]]) / replications
    executors = {}
    for name in names:
        wall = statistics.median(t for t, _ in times[name])
        n = 1 if name == names[0] else workers
        slowdown = statistics.median(b / replications / per_rep for _, b in times[name])
        executors[name] = {
            "seconds": wall,
            "speedup": base / wall,
            "workers_busy": statistics.median(b / (n * t) for t, b in times[name]),
            "task_slowdown": slowdown,
            "speedup_on_free_cores": base / wall * slowdown,
        }
    return {
        "scenario": scenario.name,
        "callers": scenario.operator_count,
        "days": scenario.horizon_days,
        "replications": replications,
        "rounds": rounds,
        "workers": workers,
        "machine_parallel_capacity": statistics.median(capacity),
        "capacity_checks": capacity,
        "dask_start_s": dask_start,
        "identical_tables": identical,
        "executors": executors,
    }


def speedup(args: argparse.Namespace, scenario: sim.Scenario) -> None:
    found = measure_speedup(scenario, args.replications, args.rounds, args.workers, args.seed)
    print(
        f"scenario  {scenario.name} ({scenario.operator_count} callers, "
        f"{scenario.horizon_days} days), {args.replications} replications, "
        f"{args.rounds} interleaved rounds (median)"
    )
    capacity = found["capacity_checks"]
    print(
        f"machine parallel capacity now: {found['machine_parallel_capacity']:.2f}x with "
        f"{args.workers} processes (busy loop; {', '.join(f'{c:.2f}' for c in capacity)})"
    )
    print(
        f"{'executor':<16}{'seconds':>9}{'speed-up':>10}{'workers busy':>14}"
        f"{'task slowdown':>15}{'speed-up on free cores':>24}"
    )
    for name, e in found["executors"].items():
        print(
            f"{name:<16}{e['seconds']:>9.2f}{e['speedup']:>9.2f}x{e['workers_busy']:>14.0%}"
            f"{e['task_slowdown']:>14.2f}x{e['speedup_on_free_cores']:>23.2f}x"
        )
    print(
        "workers busy: share of the wall time the workers spent inside tasks; task slowdown: "
        "time per replication inside a task against one process (above 1 when other work "
        "shares the cores); speed-up on free cores = speed-up x task slowdown"
    )
    base = found["executors"]["1 process"]["seconds"]
    print(
        f"per replication, 1 process: {base / args.replications:.3f} s; Dask cluster "
        f"start-up {found['dask_start_s']:.1f} s (once per experiment); identical tables: "
        f"{found['identical_tables']}"
    )


def crn(args: argparse.Namespace, scenario: sim.Scenario) -> None:
    students = scenario.team[0].count
    more = sim.load_scenario(
        args.scenario, [f"team.0.count={students + 1}", "name=plus-one-student"]
    )
    comparison = sim.compare(
        [scenario, more], replications=args.crn_replications, seed=args.seed, jobs=args.workers
    )
    print(
        f"\nCRN: {scenario.name} vs +1 student ({students} -> {students + 1}), "
        f"{args.crn_replications} replications, all callers, per operator-day"
    )
    print(f"{'metric':<20}{'difference [95% CI]':>34}{'Var(B-A)/(Var A+Var B)':>26}")
    table = comparison.to_frame()
    rows = table[(table["label"] == "plus-one-student") & (table["profile"] == "all")]
    for metric in (*HEADLINE_METRICS, "dials"):
        row = rows[rows["metric"] == metric].iloc[0]
        ci = f"{row.diff_mean:.3g} [{row.diff_ci_low:.3g}, {row.diff_ci_high:.3g}]"
        print(f"{metric:<20}{ci:>34}{row.var_ratio:>26.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=MAIN_SCENARIO)
    parser.add_argument("--replications", type=int, default=24)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--crn-replications", type=int, default=30)
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--skip-crn", action="store_true")
    args = parser.parse_args()
    scenario = sim.load_scenario(args.scenario)
    speedup(args, scenario)
    if not args.skip_crn:
        crn(args, scenario)


if __name__ == "__main__":
    main()
