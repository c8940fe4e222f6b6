"""``callsim validate``: check scenario files without running them."""

from __future__ import annotations

import argparse

from sim.cli import parsing
from sim.cli.commands.common import add_set_option, err, out

NAME = "validate"
HELP = "check scenario files without running them"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``callsim validate``."""
    parser.add_argument(
        "scenarios", type=parsing.file_path, nargs="+", help="scenario YAML file(s)"
    )
    add_set_option(parser)


def execute(args: argparse.Namespace) -> int:
    """Validate each file; exit 2 if any is broken."""
    import sim

    failed = 0
    for path in args.scenarios:
        try:
            scenario = sim.load_scenario(path, args.overrides)
        except sim.ScenarioError as error:
            err(str(error))
            failed += 1
        else:
            out(
                f"{path}: ok ({scenario.name}: {_count(scenario.operator_count, 'caller')}, "
                f"{_count(len(scenario.segments), 'segment')}, "
                f"{_count(scenario.horizon_days, 'day')})"
            )
    return 2 if failed else 0


def _count(number: int, noun: str) -> str:
    """``1 segment``, ``3 segments``: a count with its noun in the right number."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
