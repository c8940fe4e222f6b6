"""``callsim sweep``: one scenario over a grid or Latin hypercube of parameter values."""

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

NAME = "sweep"
HELP = "run a scenario over a grid (or Latin hypercube) of parameter values"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``callsim sweep``."""
    parser.add_argument(
        "scenario",
        type=parsing.file_path,
        nargs="?",
        help="base scenario YAML file (optional with --resume)",
    )
    parser.add_argument(
        "--vary",
        action="append",
        default=[],
        metavar="PATH=VALUES",
        type=parsing.vary,
        help="a field to vary: path=v1,v2,... (grid) or path=lo:hi "
        "(--design lhs); repeatable, e.g. --vary team.0.count=4,6,8",
    )
    parser.add_argument(
        "--design",
        choices=("grid", "lhs"),
        default="grid",
        help="full grid of the listed values (default) or Latin hypercube",
    )
    parser.add_argument(
        "--points",
        type=parsing.lhs_points,
        metavar="K",
        help="number of Latin hypercube points (with --design lhs)",
    )
    parser.add_argument(
        "--keep-runs",
        action="store_true",
        help="keep every point's full tables in runs/<point>/ (large)",
    )
    parser.add_argument(
        "--out",
        "-o",
        type=parsing.output_folder,
        help="sweep folder (default: results/sweep-<scenario name>)",
    )
    add_run_options(parser)
    add_set_option(parser)


def execute(args: argparse.Namespace) -> int:
    """Build the design, run every point with the same seed, write the sweep, print it."""
    import sim
    from sim.errors import ExperimentError
    from sim.presentation.console import precision_line, sweep_table
    from sim.presentation.plots.chart_files import save_folder_chart
    from sim.records.kpis import SWEPT_METRICS
    from sim.scenario.fields import field_label

    check_precision_options(args)
    if args.resume is None and (args.scenario is None or not args.vary):
        raise ExperimentError(
            "sweep needs a scenario file and at least one --vary (or --resume DIR)"
        )

    def default() -> Path:
        base = sim.load_scenario(args.scenario, args.overrides)
        return Path("results") / f"sweep-{base.name}"

    directory = output_directory(args, default)
    try:
        result = sim.sweep(
            args.scenario,
            args.vary,
            design=args.design,
            points=args.points,
            out=directory,
            resume=args.resume is not None,
            overrides=args.overrides,
            keep_runs=args.keep_runs,
            **execution_options(args),
        )
    except KeyboardInterrupt:
        err(interrupted_hint("sweep", directory))
        raise
    chart = save_folder_chart(directory)
    out(
        f"sweep of {result.base_name}: {len(result.labels)} points ({result.design}) over "
        f"{', '.join(result.varied)}; {result.replications} replications each, seed "
        f"{result.seed}, common random numbers, {result.wall_time_s:.1f} s"
    )
    if result.precision:
        out(precision_line(result.precision))
    table = result.to_frame()
    if result.headline_group == "team":
        out("\nThe headcount varies: the whole team, per team-day, mean ± 95% CI half-width")
        out(sweep_table(table, result.varied, SWEPT_METRICS, "team"))
        if "marginal_mean" in table and table["marginal_mean"].notna().any():
            varied = field_label(result.varied[0], result.scenarios[result.labels[0]])
            out(
                f"\nWhat each added unit of {result.varied[0]} ({varied}) brings to the team "
                "per day (paired change from the previous point, per unit, 95% CI):"
            )
            out(sweep_table(table[table["point"] > 0], result.varied, SWEPT_METRICS, "team", True))
        out("\nPer caller (all callers, per operator-day):")
    else:
        out("\nAll callers: mean ± 95% CI half-width")
    out(sweep_table(table, result.varied, SWEPT_METRICS))
    out(
        f"\nSweep in {directory}/ (sweep.csv, {chart.name}, observations.parquet, manifest.json"
        f"{', runs/<point>/' if args.keep_runs else ''})"
    )
    print_warnings(directory)
    return 0
