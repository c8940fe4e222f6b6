"""``callsim sensitivity``: which parameters move a metric, on common random numbers."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli import parsing
from sim.cli.commands.common import (
    add_execution_options,
    add_set_option,
    err,
    execution_options,
    interrupted_hint,
    out,
    output_directory,
)

NAME = "sensitivity"
HELP = "screen parameters' effects on a metric (Morris or one at a time) with a tornado chart"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``callsim sensitivity``."""
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
        type=parsing.parameter_range,
        metavar="PATH=LO:HI",
        help="a field and its range, e.g. --vary profiles.student.discovery_skill=0.5:1.0 "
        "(repeatable; whole-number bounds such as team.0.count=4:12 vary in whole numbers)",
    )
    parser.add_argument(
        "--metric",
        type=parsing.metric,
        metavar="NAME[:GROUP]",
        help="the metric, e.g. meetings or cost_per_meeting:student (group: a profile, a team "
        "group with a row of its own, all or team; default team when the headcount varies, "
        "else all)",
    )
    parser.add_argument(
        "--method",
        choices=("morris", "oat"),
        default="morris",
        help="morris: elementary effects over the whole box (default); oat: one at a time",
    )
    parser.add_argument(
        "--trajectories",
        type=parsing.count,
        default=10,
        metavar="R",
        help="Morris trajectories (default 10; each is one point per parameter plus one)",
    )
    parser.add_argument(
        "--levels",
        type=parsing.count,
        default=4,
        metavar="L",
        help="Morris grid levels, even (default 4)",
    )
    parser.add_argument(
        "--out",
        "-o",
        type=parsing.output_folder,
        help="sensitivity folder (default: results/sensitivity-<scenario file stem>)",
    )
    add_execution_options(parser)
    add_set_option(parser)


def execute(args: argparse.Namespace) -> int:
    """Build the design, run every point with the same seed, write the effects, print them."""
    import sim
    from sim.errors import ExperimentError
    from sim.presentation.effects_console import effects_table
    from sim.presentation.numbers import format_number
    from sim.presentation.plots.chart_files import save_folder_chart

    if args.resume is None and (args.scenario is None or not args.vary or not args.metric):
        raise ExperimentError(
            "sensitivity needs a scenario file, at least one --vary PATH=LO:HI and --metric "
            "(or --resume DIR)"
        )
    directory = output_directory(
        args, lambda: Path("results") / f"sensitivity-{Path(args.scenario).stem}"
    )
    try:
        result = sim.sensitivity(
            args.scenario,
            args.vary,
            args.metric,
            method=args.method,
            trajectories=args.trajectories,
            levels=args.levels,
            out=directory,
            resume=args.resume is not None,
            overrides=args.overrides,
            **execution_options(args),
        )
    except KeyboardInterrupt:
        err(interrupted_hint("sensitivity", directory))
        raise
    chart = save_folder_chart(directory)
    effects = result.to_frame()
    points = len(result.values.columns)
    out(
        f"sensitivity of {result.base_name}: {result.target.metric} ({result.target.group}) over "
        f"{len(result.parameters)} parameters, {result.method}; {points} points x "
        f"{result.replications} replications, seed {result.seed}, common random numbers, "
        f"{result.wall_time_s:.1f} s"
    )
    legend = "the metric with each parameter at its low and high bound, others at base"
    if result.method == "morris":
        legend += (
            "; mu* = mean |elementary effect| over the range (importance), sigma = its spread "
            "(non-linearity or interaction)"
        )
    out(
        f"\nBase {format_number(float(effects['base_mean'].iloc[0]))} {result.target.unit}; "
        f"{legend}; "
        "95% CIs:"
    )
    out(effects_table(effects))
    out(
        f"\nSensitivity in {directory}/ (effects.csv, {chart.name}, points.csv, values.parquet, "
        "manifest.json)"
    )
    return 0
