"""``callsim compare``: scenarios side by side under common random numbers."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from sim.analysis.comparison import Comparison

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
    parser.add_argument(
        "--break-even",
        type=parsing.parameter_range,
        metavar="PATH=LO:HI",
        help="also find the value of PATH in the first scenario (only there) at which the two "
        "scenarios are equal on --metric, with its 95%% CI",
    )
    parser.add_argument(
        "--break-even-points",
        type=parsing.count,
        default=5,
        metavar="K",
        help="bracketing grid of the break-even search (default 5; refined by Brent's method)",
    )
    parser.add_argument(
        "--break-even-xtol",
        type=parsing.finite_number,
        metavar="X",
        help="how finely Brent's method pins the break-even down (default: 1%% of the range)",
    )
    add_run_options(parser)
    add_set_option(parser)


def execute(args: argparse.Namespace) -> int:
    """Load, run every scenario with the same seed, write the comparison, print it."""
    import sim
    from sim.analysis.comparison import HEADLINE_METRICS
    from sim.errors import ExperimentError
    from sim.presentation.console import comparison_table, precision_line, quota_table
    from sim.presentation.plots.chart_files import save_folder_chart

    break_even_metric = _break_even_metric(args)
    check_precision_options(args)
    if args.resume is None and len(args.scenarios) < 2:
        raise ExperimentError("compare needs at least two scenario files (or --resume DIR)")
    if break_even_metric is not None:
        from sim.api.break_even import check_break_even, resumed_pair

        # Before the comparison runs (or is completed): a bad path costs no simulation.
        if args.resume is None:
            first, second = args.scenarios  # _break_even_metric checked there are two
        else:
            first, second = resumed_pair(args.resume)
        check_break_even(
            first,
            second,
            args.break_even,
            break_even_metric,
            points=args.break_even_points,
            xtol=args.break_even_xtol,
            overrides=args.overrides,
        )
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
    files = f"comparison.csv, {chart.name}, observations.parquet, manifest.json, runs/<label>/"
    if break_even_metric is not None:
        _break_even(args, comparison, break_even_metric, directory)
        files += ", break_even.csv, break_even_points.csv"
    out(f"\nComparison in {directory}/ ({files})")
    print_warnings(directory)
    return 0


def _break_even_metric(args: argparse.Namespace) -> str | None:
    """With ``--break-even``, ``--metric`` names its metric (and ``--precision`` is refused)."""
    from sim.errors import ExperimentError

    if args.break_even is None:
        return None
    if not args.metric:
        raise ExperimentError("--break-even needs --metric NAME[:GROUP] (e.g. cost_per_meeting)")
    if args.precision is not None or args.max_replications:
        raise ExperimentError("--break-even cannot be combined with --precision")
    if args.resume is None and len(args.scenarios) != 2:
        raise ExperimentError("--break-even compares exactly two scenario files")
    metric: str = args.metric
    args.metric = None  # not a precision target
    return metric


def _break_even(
    args: argparse.Namespace, comparison: Comparison, metric: str, directory: Path
) -> None:
    """Search the break-even on the comparison's two scenarios, write and print it."""
    import sim
    from sim.errors import ExperimentError
    from sim.presentation.effects_console import break_even_lines
    from sim.storage.sensitivity import write_break_even

    if len(comparison.labels) != 2:
        raise ExperimentError("--break-even compares exactly two scenarios")
    a, b = (comparison.scenarios[label] for label in comparison.labels)
    a_named, b_named = (
        a.model_copy(update={"name": comparison.labels[0]}),
        b.model_copy(update={"name": comparison.labels[1]}),
    )
    result = sim.break_even(
        a_named,
        b_named,
        args.break_even,
        metric,
        points=args.break_even_points,
        xtol=args.break_even_xtol,
        replications=comparison.replications,
        seed=comparison.seed,
        jobs=execution_options(args)["jobs"],
        scheduler=args.scheduler,
        progress=not args.quiet,
    )
    write_break_even(result, directory)
    out("")
    for line in break_even_lines(result):
        out(line)
