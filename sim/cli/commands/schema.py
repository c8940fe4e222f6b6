"""``callsim schema``: the scenario JSON Schema, or its Markdown field reference."""

from __future__ import annotations

import argparse
import json

from sim.cli.commands.common import out

NAME = "schema"
HELP = "print the scenario JSON Schema (or its Markdown reference)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``callsim schema``."""
    parser.add_argument(
        "--markdown", action="store_true", help="print the Markdown field reference instead"
    )


def execute(args: argparse.Namespace) -> int:
    """Print the schema."""
    from sim.scenario import Scenario
    from sim.scenario.reference import markdown_reference

    out(
        markdown_reference()
        if args.markdown
        else json.dumps(Scenario.model_json_schema(), indent=2)
    )
    return 0
