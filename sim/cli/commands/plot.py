"""``callsim plot``: draw every chart a results folder allows into ``DIR/charts/``."""

from __future__ import annotations

import argparse

from sim.cli import parsing
from sim.cli.commands.common import out

NAME = "plot"
HELP = "draw the charts of a run, compare, sweep or sensitivity results folder"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``callsim plot``."""
    parser.add_argument(
        "directory",
        type=parsing.file_path,
        metavar="DIR",
        help="results folder written by 'callsim run', 'compare', 'sweep' or 'sensitivity'",
    )
    parser.add_argument("--svg", action="store_true", help="also write each chart as SVG")
    parser.add_argument(
        "--out", "-o", type=parsing.file_path, help="folder for the charts (default: DIR/charts)"
    )


def execute(args: argparse.Namespace) -> int:
    """Open the folder, draw its charts, list the files written."""
    from sim.presentation.plots.chart_files import save_charts

    written = save_charts(args.directory, svg=args.svg, out=args.out)
    folder = written[0].parent if written else args.directory
    out(f"{len(written)} chart files in {folder}/:")
    for path in written:
        out(f"  {path.name}")
    return 0
