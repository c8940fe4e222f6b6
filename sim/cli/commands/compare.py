"""``callsim compare``: scenarios side by side under common random numbers."""

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
)

NAME = "compare"
HELP = "compare scenarios with common random numbers (paired differences vs the first)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``callsim compare``."""
    parser.add_argument(
        "scenarios",
        type=parsing.file_path,
        nargs="*",
        metavar="SCENARIO",
        help="two or more scenario YAML files; the first is the baseline (optional with --resume)",
    )
    parser.add_argument(
        "--out",
        "-o",
        type=parsing.output_folder,
        help="comparison folder (default: results/compare-<A>-vs-<B>...)",
    )
    add_run_options(parser)
    add_set_option(parser)


def execute(args: argparse.Namespace) -> int:
    """Load, run every scenario with the same seed, write the comparison, print it."""
    import sim
    from sim.analysis.comparison import HEADLINE_METRICS
    from sim.errors import ExperimentError
    from sim.presentation.console import comparison_table, precision_line, quota_table
    from sim.presentation.plots.chart_set import save_folder_chart

    check_precision_options(args)
    if args.resume is None and len(args.scenarios) < 2:
        raise ExperimentError("compare needs at least two scenario files (or --resume DIR)")
    stems = "-vs-".join(p.stem for p in args.scenarios)
    directory = output_directory(args, lambda: Path("results") / f"compare-{stems}")
    try:
        comparison = sim.compare(
            args.scenarios,
            out=directory,
            resume=args.resume is not None,
            overrides=args.overrides,
            **execution_options(args),
        )
    except KeyboardInterrupt:
        err(interrupted_hint("compare", directory))
        raise
    chart = save_folder_chart(directory)
    table = comparison.to_frame()
    out(
        f"compare: {len(comparison.labels)} scenarios x {comparison.replications} "
        f"replications, seed {comparison.seed}, common random numbers, "
        f"{comparison.wall_time_s:.1f} s"
    )
    if comparison.precision:
        out(precision_line(comparison.precision))
    legend = (
        f"mean ± 95% CI half-width; paired difference vs {comparison.baseline} with its 95% CI; "
        "CRN variance ratio Var(B-A)/(Var(A)+Var(B)) (1 = no gain from common random numbers)"
    )
    if comparison.headline_group == "team":
        sizes = ", ".join(
            f"{label} {comparison.scenarios[label].headcount}" for label in comparison.labels
        )
        out(f"\nHeadcounts differ ({sizes} callers): the whole team, per team-day, {legend}:")
        out(comparison_table(table, HEADLINE_METRICS, "team"))
        out("\nPer caller (all callers, per operator-day):")
    else:
        out(f"\nAll callers, per operator-day: {legend}:")
    out(comparison_table(table, HEADLINE_METRICS))
    for label in comparison.labels:
        quota = quota_table(comparison.results[label])
        if quota:
            out(f"\nQuota attainment, {label} (95% CI):")
            out(quota)
    out(
        f"\nComparison in {directory}/ (comparison.csv, {chart.name}, observations.parquet, "
        "manifest.json, runs/<label>/)"
    )
    return 0
