"""``callsim report``: one self-contained HTML report of a results folder."""

from __future__ import annotations

import argparse

from sim.cli import parsing
from sim.cli.commands.common import out

NAME = "report"
HELP = "write a self-contained HTML report (charts, tables, scenario) of a results folder"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``callsim report``."""
    parser.add_argument(
        "directory",
        type=parsing.file_path,
        metavar="DIR",
        help="results folder written by 'callsim run', 'compare', 'sweep' or 'sensitivity'",
    )
    parser.add_argument(
        "--out", "-o", type=parsing.output_file, help="report file (default: DIR/report.html)"
    )


def execute(args: argparse.Namespace) -> int:
    """Build the report and say where it is."""
    from sim.presentation.report import write_report

    path = write_report(args.directory, args.out)
    size_kb = path.stat().st_size / 1024
    out(f"Report in {path} ({size_kb:,.0f} KB; open it in any browser, works offline)")
    return 0
