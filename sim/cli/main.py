"""The ``callsim`` command line: parse, load, run, write, print. The only layer that prints.

Exit status: 0 on success, 2 for bad input (scenario, options, refused output folder),
1 for an unexpected callsim failure, 130 when interrupted. No traceback for bad input: every
option value is read by :mod:`sim.cli.parsing`, and :func:`main` returns the status (argparse's
own exit included) rather than raising ``SystemExit``.
"""

from __future__ import annotations

import argparse
import importlib
import logging
from collections.abc import Sequence
from types import ModuleType

from sim.cli.commands.common import err
from sim.errors import CallsimError, ExperimentError, ResultsDirError, ScenarioError

COMMAND_MODULES = (
    "sim.cli.commands.run",
    "sim.cli.commands.compare",
    "sim.cli.commands.sweep",
    "sim.cli.commands.validate",
    "sim.cli.commands.schema",
    "sim.cli.commands.plot",
    "sim.cli.commands.report",
)
"""Sub-command modules, in the order ``callsim --help`` lists them."""


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, ModuleType]]:
    """The argument parser and the sub-command modules by name."""
    from sim._version import __version__

    parser = argparse.ArgumentParser(
        prog="callsim",
        description="Monte Carlo simulation of an outbound B2B cold-calling centre.",
    )
    parser.add_argument("--version", action="version", version=f"callsim {__version__}")
    parser.add_argument("--verbose", "-v", action="store_true", help="log progress details")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands: dict[str, ModuleType] = {}
    for module_name in COMMAND_MODULES:
        module = importlib.import_module(module_name)
        module.add_arguments(sub.add_parser(module.NAME, help=module.HELP))
        commands[module.NAME] = module
    return parser, commands


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``callsim`` and ``python -m sim``; returns the exit status."""
    import matplotlib

    matplotlib.use("Agg")  # the command line writes chart files and never opens a window
    parser, commands = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, --version, or a bad option (argparse said why)
        return stop.code if isinstance(stop.code, int) else 2 if stop.code else 0
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return commands[args.command].execute(args)
    except ScenarioError as error:
        err(str(error))
        return 2
    except (ResultsDirError, ExperimentError) as error:
        err(f"callsim: {error}")
        return 2
    except CallsimError as error:
        err(f"callsim: {error}")
        return 1
    except OSError as error:  # e.g. the disk filled up while writing results
        logging.getLogger(__name__).debug("operating-system error", exc_info=True)
        err(f"callsim: {error}")
        return 1
    except KeyboardInterrupt:
        err("callsim: interrupted")
        return 130
