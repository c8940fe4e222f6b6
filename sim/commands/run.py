"""``callsim run``: simulate one scenario, write results and charts, print a summary."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.commands.common import add_run_options, add_set_option, out

NAME = "run"
HELP = "run a scenario and write results and charts"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``callsim run``."""
    parser.add_argument("scenario", type=Path, help="scenario YAML file")
    parser.add_argument("--out", "-o", type=Path,
                        help="results folder (default: results/<scenario name>)")
    parser.add_argument("--call-log", action="store_true",
                        help="also write calls.parquet, one row per attempt")
    add_run_options(parser)
    add_set_option(parser)


def execute(args: argparse.Namespace) -> int:
    """Load, run, save, print."""
    import sim
    from sim.console import summary_table
    from sim.outputs import check_writable
    from sim.runner import default_jobs

    scenario = sim.load_scenario(args.scenario, args.overrides)
    directory = args.out or Path("results") / scenario.name
    check_writable(directory, args.force)
    results = sim.run(scenario, replications=args.replications, seed=args.seed,
                      jobs=args.jobs or default_jobs(), call_log=args.call_log,
                      progress=not args.quiet)
    results.save(directory, force=args.force)
    out(f"{scenario.name}: {results.replications} replications x {scenario.horizon_days} "
        f"days, seed {results.seed}, {results.wall_time_s:.1f} s")
    out("Per operator-day, mean ± 95% CI half-width:")
    out(summary_table(results))
    files = ["operator_days.parquet", "segment_days.parquet", "leads.parquet", "summary.csv",
             "manifest.json", "contacts_per_day.png"]
    if args.call_log:
        files.append("calls.parquet")
    out(f"\nResults in {directory}/ ({', '.join(files)})")
    return 0
