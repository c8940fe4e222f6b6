"""``callsim run``: simulate one scenario, write results and charts, print a summary."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli import parsing
from sim.cli.commands.common import (
    add_run_options,
    add_set_option,
    check_precision_options,
    err,
    execution_options,
    interrupted_hint,
    out,
    output_directory,
    print_warnings,
)

NAME = "run"
HELP = "run a scenario and write results and charts"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``callsim run``."""
    parser.add_argument(
        "scenario",
        type=parsing.file_path,
        nargs="?",
        help="scenario YAML file (optional with --resume)",
    )
    parser.add_argument(
        "--out",
        "-o",
        type=parsing.output_folder,
        help="results folder (default: results/<scenario name>)",
    )
    parser.add_argument(
        "--call-log", action="store_true", help="also write calls.parquet, one row per attempt"
    )
    add_run_options(parser)
    add_set_option(parser)


def execute(args: argparse.Namespace) -> int:
    """Load, run (streaming to disk), print."""
    import sim
    from sim.errors import ExperimentError
    from sim.presentation.console import (
        callers_spread_table,
        precision_line,
        quota_table,
        summary_table,
    )
    from sim.presentation.plots.chart_files import save_folder_chart

    check_precision_options(args)
    if args.scenario is None and args.resume is None:
        raise ExperimentError("give a scenario file, or --resume DIR")
    scenario = sim.load_scenario(args.scenario, args.overrides) if args.scenario else None

    def default_directory() -> Path:
        assert scenario is not None  # used only without --resume, when a scenario file is given
        return Path("results") / scenario.name

    directory = output_directory(args, default_directory)
    try:
        results = sim.run(
            scenario,
            call_log=args.call_log,
            out=directory,
            resume=args.resume is not None,
            **execution_options(args),
        )
    except KeyboardInterrupt:
        err(interrupted_hint("run", directory))
        raise
    chart = save_folder_chart(directory)
    scenario = results.scenario
    out(
        f"{scenario.name}: {results.replications} replications x {scenario.horizon_days} "
        f"days, seed {results.seed}, {results.wall_time_s:.1f} s"
    )
    if "precision" in results.extra_manifest:
        out(precision_line(results.extra_manifest["precision"]))
    out("Mean ± 95% CI half-width:")
    out(summary_table(results))
    quota = quota_table(results)
    if quota:
        out("\nQuota attainment (95% CI):")
        out(quota)
    out("\nBetween callers: median caller-month (10th-90th percentile of callers):")
    out(callers_spread_table(results))
    files = [
        "operator_days.parquet",
        "segment_days.parquet",
        "leads.parquet",
        "summary.csv",
        "manifest.json",
        chart.name,
    ]
    files.insert(files.index("summary.csv") + 1, "callers.csv")
    if quota:
        files.insert(files.index("summary.csv") + 1, "quota.csv")
    if results.has_table("calls"):
        files.append("calls.parquet")
    if results.has_table("meetings"):
        files += ["meetings.parquet", "money.csv", "money_groups.csv"]
    out(f"\nResults in {directory}/ ({', '.join(files)})")
    print_warnings(directory)
    return 0
