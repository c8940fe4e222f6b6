"""The benchmark suite: ``python -m benchmarks [--quick]`` writes ``benchmarks/results.json``.

Measures, on the README's main scenario (``students-vs-experienced``) unless said otherwise:

- **core**: attempts per second on one core and the ratio to a bare SimPy loop with as many
  processes, timed in the same process (rounds interleaved, medians), at 10, 20 and 40
  callers, with a list that runs out and with a 2-million-company segment; per case also
  SimPy events per attempt and the share of a replication spent tabulating. Both cores, each
  in its own subprocess (``CALLSIM_CORE`` forced): ``core.python``, ``core.compiled`` (None
  when not built) and the speed-up compiled / pure Python per case (the ratio of their ratios
  to the bare loop, so that a load that differs between the subprocesses cancels out);
- **cost**: bytecodes and events per attempt of the CI cost guard (``budget.json``), for both
  cores;
- **memory**: peak RSS (the largest process) of a CLI run of 2,000 replications and of one
  replication with a 2-million-company segment, each in a subprocess;
- **headline**: wall seconds of ``callsim run`` of 1,000 replications x 20 callers x 22 days,
  and the core it ran (from the run's manifest);
- **parallel**: speed-up of local worker processes and of a Dask LocalCluster;
- **machine**: CPU model, cores, Python and library versions.

``--quick`` (under a minute) runs fewer rounds and replications (the counts are recorded
with each figure). ``python -m benchmarks --markdown`` prints the README block from the last
results and ``--readme`` writes it into README.md between its PERFORMANCE markers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import sim
from benchmarks import cost_guard
from benchmarks.bench_core import attempt_cost, bare_loop, model_rate
from benchmarks.bench_parallel import measure_speedup
from benchmarks.report import RESULTS, markdown, write_readme
from sim._core import ENV as CORE_ENV
from sim._core import require_core
from sim.errors import CoreError

ROOT = Path(__file__).resolve().parent.parent
MAIN = ROOT / "scenarios" / "students-vs-experienced.yaml"
TWENTY = ["team.0.count=16", "team.1.count=4"]
CASES: dict[str, list[str]] = {
    "10 callers": [],
    "20 callers": TWENTY,
    "40 callers": ["team.0.count=32", "team.1.count=8"],
    "list runs out": [
        "segments.small.companies=600",
        "segments.medium.companies=400",
        "segments.large.companies=200",
    ],
    "2M-company segment": ["segments.medium.companies=2000000"],
}
"""Core cases: overrides of the main scenario."""
BIG_BASE = ["--set", "segments.medium.companies=2000000"]
LIBRARIES = ("simpy", "numpy", "pandas", "pyarrow", "scipy", "pydantic", "dask", "distributed")


def machine() -> dict[str, Any]:
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "libraries": versions,
    }


CORES = ("python", "compiled")


def in_child(step: str, core_name: str, quick: bool) -> dict[str, Any] | None:
    """Run benchmark ``step`` in a subprocess forced to ``core_name`` (``CALLSIM_CORE``).

    None when that core cannot run here (the compiled core not built).
    """
    command = [sys.executable, "-m", "benchmarks", "--child", step]
    found = subprocess.run(
        [*command, *(["--quick"] if quick else [])],
        cwd=ROOT,
        env={**os.environ, CORE_ENV: core_name},
        capture_output=True,
        text=True,
    )
    if found.returncode != 0:
        raise RuntimeError(f"benchmark step {step} on the {core_name} core: {found.stderr[-2000:]}")
    result: dict[str, Any] | None = json.loads(found.stdout.strip().splitlines()[-1])
    return result


def child_step(step: str, quick: bool) -> None:
    """``--child STEP``: print the step's figures on this process's core as JSON (or null)."""
    try:
        info = require_core()
    except CoreError:
        print("null")
        return
    figures = {"core": core_cases, "scaling": scaling}[step](quick)
    print(json.dumps({"core": info.describe(), "cases": figures}))


def core(quick: bool) -> dict[str, Any]:
    """The core cases on both cores, each in its own subprocess, and the speed-up per case."""
    found: dict[str, Any] = {name: in_child("core", name, quick) for name in CORES}
    python, compiled = found["python"], found["compiled"]
    if python is None:
        raise RuntimeError("the pure-Python core cannot run")
    # Each core's ratio to the bare loop timed in its own process: the speed-up does not
    # depend on how loaded the machine was while each subprocess ran.
    found["speedup"] = (
        {
            case: compiled["cases"][case]["ratio_to_bare"] / figures["ratio_to_bare"]
            for case, figures in python["cases"].items()
        }
        if compiled is not None
        else None
    )
    return found


def core_cases(quick: bool) -> dict[str, Any]:
    """Attempts per second and ratios to a bare SimPy loop of each case, on this core."""
    rounds, reps = (1, 1) if quick else (5, 2)
    bare_n = 20_000 if quick else 100_000
    found = {}
    for case, overrides in CASES.items():
        scenario = sim.load_scenario(MAIN, overrides)
        ratios, e2e, rates, bare_rates, shares = [], [], [], [], []
        for k in range(rounds):
            before = bare_loop(scenario.operator_count, bare_n) / bare_n
            attempts, simulating, total = model_rate(scenario, range(k * reps, (k + 1) * reps))
            after = bare_loop(scenario.operator_count, bare_n) / bare_n
            bare = (before + after) / 2
            ratios.append(bare / (simulating / attempts))
            e2e.append(bare / (total / attempts))
            rates.append(attempts / simulating)
            bare_rates.append(1 / bare)
            shares.append(1 - simulating / total)
        # Events per attempt: --quick counts them over two days, except where the list must
        # run out first.
        short = quick and case != "list runs out"
        counted = sim.load_scenario(MAIN, [*overrides, "horizon_days=2"]) if short else scenario
        cost = attempt_cost(counted, bytecodes=False)
        found[case] = {
            "callers": scenario.operator_count,
            "companies": sum(s.companies for s in scenario.segments.values()),
            "rounds": rounds,
            "replications_per_round": reps,
            "attempts_per_s": statistics.median(rates),
            "bare_timeouts_per_s": statistics.median(bare_rates),
            "ratio_to_bare": statistics.median(ratios),
            "ratio_to_bare_with_tables": statistics.median(e2e),
            "tabulate_share": statistics.median(shares),
            "events_per_attempt": cost.events_per_attempt,
        }
    return found


def child(command: list[str]) -> dict[str, Any]:
    """Run ``command`` under a small Python parent: wall seconds and the largest process's
    peak RSS (``ru_maxrss`` of its waited-for descendants: the CLI or one of its workers)."""
    probe = (
        "import json, resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
        "wall = time.perf_counter() - t\n"
        "kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(json.dumps({'returncode': code, 'seconds': wall, 'peak_rss_mib': kib / 1024}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *command], capture_output=True, text=True, check=True
    )
    found: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    if found["returncode"] != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {out.stderr[-2000:]}")
    return found


def cli_run(replications: int, extra: list[str], out: Path) -> dict[str, Any]:
    """Wall time and peak RSS of ``callsim run``, with the core it ran (from its manifest)."""
    command = [sys.executable, "-m", "sim", "run", str(MAIN), "-n", str(replications)]
    found = child([*command, "--out", str(out), "--quiet", "--force", *extra])
    ran = json.loads((out / "manifest.json").read_text()).get("core", {})
    return {"replications": replications, **found, "core": ran.get("name")}


def headline(quick: bool, tmp: Path) -> dict[str, Any]:
    """``callsim run`` of 1,000 replications x 20 callers x 22 days (4 with ``--quick``)."""
    sets = [arg for pair in (("--set", s) for s in TWENTY) for arg in pair]
    return {"callers": 20, "days": 22, **cli_run(4 if quick else 1000, sets, tmp / "month")}


def memory_and_headline(quick: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    many = 8 if quick else 2000
    with tempfile.TemporaryDirectory() as tmp:
        runs = (
            lambda: cli_run(many, [], Path(tmp) / "many"),
            lambda: cli_run(1, ["--jobs", "1", *BIG_BASE], Path(tmp) / "big"),
            lambda: headline(quick, Path(tmp)),
        )
        if quick:  # side by side (each child's own peak RSS is measured; its time is a smoke
            # figure only)
            with ThreadPoolExecutor(len(runs)) as pool:
                many_found, big_found, month = pool.map(lambda run: run(), runs)
        else:
            many_found, big_found, month = (run() for run in runs)
        memory = {
            "many_replications": many_found,
            "big_base_one_replication": {"companies_in_segment": 2_000_000, **big_found},
        }
    return memory, month


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and replications")
    parser.add_argument("--markdown", action="store_true", help="print the README block only")
    parser.add_argument("--readme", action="store_true", help="write the README block only")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--child", choices=("core", "scaling"), help=argparse.SUPPRESS)
    parser.add_argument(
        "--only",
        help="re-measure only these comma-separated steps (events, core, cost, parallel, "
        "memory, many: the 2,000-replication peak alone, headline: the 1,000-replication run "
        "alone, scaling) and merge them into the existing results file, noting the date",
    )
    args = parser.parse_args()
    if args.child:
        child_step(args.child, args.quick)
        return
    if args.markdown or args.readme:
        results = json.loads(args.out.read_text())
        print(markdown(results)) if args.markdown else write_readme(results)
        return
    if args.only:
        remeasure(args.out, args.only.split(","), args.quick)
        return
    started = time.perf_counter()
    results: dict[str, Any] = {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": "quick" if args.quick else "full",
        "machine": machine(),
    }
    steps = (
        ("core", lambda: core(args.quick)),
        ("cost", lambda: cost_guard.measure(cost_guard.load_budget())),
        ("parallel", lambda: _parallel(args.quick)),
        ("scaling", lambda: scaling_both(args.quick)),
    )
    for name, step in steps:
        results[name] = step()
        print(f"{name}: done ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    results["memory"], results["headline"] = memory_and_headline(args.quick)
    results["seconds"] = time.perf_counter() - started
    results["self_peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(markdown(results))
    print(f"written {args.out} in {results['seconds']:.0f} s", file=sys.stderr)


SCALING_TEAMS = ((4, 1), (16, 4), (80, 20), (160, 40))
"""Students and experienced callers of the scaling step: 5, 20, 100 and 200 callers."""
SCALING_BASE = [
    "horizon_days=3",
    "segments.small.companies=200000",
    "segments.medium.companies=200000",
    "segments.large.companies=200000",
]
"""A list no team of the scaling step works out in 3 days: the work per attempt stays the same."""


def scaling(quick: bool) -> dict[str, Any]:
    """Cost per attempt from 5 to 200 callers on this process's core.

    Counted: SimPy events and bytecodes per attempt (on the compiled core, the bytecodes that
    still run outside compiled code). Timed: seconds per attempt of each team size relative to
    5 callers, in rounds that time every size one after the other (medians of the per-round
    ratios: a load that changes between rounds cancels out), and each size's ratio to a bare
    SimPy loop with as many processes.
    """
    teams = SCALING_TEAMS[:2] if quick else SCALING_TEAMS
    rounds = 2 if quick else 7
    # About 200 (--quick: 40) caller-runs of the horizon per size and round, whatever the
    # team size: the same number of attempts at every size.
    caller_runs = 40 if quick else 200
    scenarios = {
        students + experienced: sim.load_scenario(
            MAIN, [f"team.0.count={students}", f"team.1.count={experienced}", *SCALING_BASE]
        )
        for students, experienced in teams
    }
    per_attempt: dict[int, list[float]] = {size: [] for size in scenarios}
    ratios: dict[int, list[float]] = {size: [] for size in scenarios}
    for k in range(rounds):
        for size, scenario in scenarios.items():
            reps = max(1, caller_runs // size)
            bare = bare_loop(size, 50_000) / 50_000
            attempts, simulating, _ = model_rate(scenario, range(k * reps, (k + 1) * reps))
            per_attempt[size].append(simulating / attempts)
            ratios[size].append(bare / (simulating / attempts))
    smallest = per_attempt[min(scenarios)]
    found = {}
    for size, scenario in scenarios.items():
        cost = attempt_cost(scenario)
        found[str(size)] = {
            "attempts": cost.attempts,
            "events_per_attempt": cost.events_per_attempt,
            "bytecodes_per_attempt": cost.bytecodes_per_attempt,
            "rounds": rounds,
            "seconds_per_attempt": statistics.median(per_attempt[size]),
            "cost_relative_to_smallest": statistics.median(
                mine / base for mine, base in zip(per_attempt[size], smallest, strict=True)
            ),
            "ratio_to_bare": statistics.median(ratios[size]),
        }
    return found


def scaling_both(quick: bool) -> dict[str, Any]:
    """The scaling step on both cores, each in its own subprocess (None: not built)."""
    return {name: in_child("scaling", name, quick) for name in CORES}


def events() -> dict[str, float]:
    """SimPy events per attempt of each core case (counted: the same on any machine, and on
    either core)."""
    return {
        case: attempt_cost(sim.load_scenario(MAIN, overrides), bytecodes=False).events_per_attempt
        for case, overrides in CASES.items()
    }


def remeasure(path: Path, steps: list[str], quick: bool) -> None:
    """Re-run ``steps`` and merge them into the results at ``path``, recording the date."""
    results = json.loads(path.read_text())
    unknown = sorted(
        set(steps) - {"events", "core", "cost", "parallel", "memory", "many", "headline", "scaling"}
    )
    if unknown:
        raise SystemExit(f"unknown step(s) {unknown}")
    for step in steps:
        if step == "events":
            for case, value in events().items():
                for name in CORES:
                    if results["core"].get(name):
                        results["core"][name]["cases"][case]["events_per_attempt"] = value
        elif step == "core":
            results["core"] = core(quick)
        elif step == "cost":
            results["cost"] = cost_guard.measure(cost_guard.load_budget())
        elif step == "parallel":
            results["parallel"] = _parallel(quick)
        elif step == "scaling":
            results["scaling"] = scaling_both(quick)
        elif step == "many":
            with tempfile.TemporaryDirectory() as tmp:
                results["memory"]["many_replications"] = cli_run(
                    8 if quick else 2000, [], Path(tmp) / "many"
                )
        elif step == "headline":
            with tempfile.TemporaryDirectory() as tmp:
                results["headline"] = headline(quick, Path(tmp))
        else:
            results["memory"], results["headline"] = memory_and_headline(quick)
        print(f"{step}: done", file=sys.stderr)
    today = datetime.now(UTC).date().isoformat()
    results["remeasured"] = [
        u for u in results.get("remeasured", []) if set(u["steps"]) - set(steps)
    ] + [{"date": today, "steps": steps}]
    path.write_text(json.dumps(results, indent=2) + "\n")
    print(markdown(results))


def _parallel(quick: bool) -> dict[str, Any]:
    scenario = sim.load_scenario(MAIN)
    replications, rounds = (4, 1) if quick else (100, 2)
    workers = min(2, os.cpu_count() or 1)
    capacity_loop = 2_000_000 if quick else 8_000_000
    return measure_speedup(scenario, replications, rounds, workers, 20261127, capacity_loop)


if __name__ == "__main__":
    main()
