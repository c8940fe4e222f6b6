"""The ``callsim`` command line: parse, load, run, write, print. The only layer that prints.

Exit status: 0 on success, 2 for bad input (scenario, options, refused or damaged results
folder, unreachable Dask scheduler, a ``CALLSIM_CORE`` that cannot run), 1 for an unexpected
callsim failure (a Dask scheduler lost mid-run included), 130 when interrupted (Ctrl-C) and 143
when terminated (SIGTERM). No traceback for bad input: every option value is read by
:mod:`sim.cli.parsing`, and :func:`main` returns the status (argparse's own exit included)
rather than raising ``SystemExit``. SIGTERM is handled like Ctrl-C: finished replications are
kept.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import FrameType, ModuleType

from sim._core import core_info, require_core
from sim.cli.commands.common import err
from sim.errors import CallsimError, CoreError, ExperimentError, ResultsDirError, ScenarioError
from sim.execution.interrupts import clear_stop, request_stop

COMMAND_MODULES = (
    "sim.cli.commands.run",
    "sim.cli.commands.compare",
    "sim.cli.commands.sweep",
    "sim.cli.commands.sensitivity",
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
    parser.add_argument("--version", action="version", version=version_text(__version__))
    parser.add_argument("--verbose", "-v", action="store_true", help="log progress details")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands: dict[str, ModuleType] = {}
    for module_name in COMMAND_MODULES:
        module = importlib.import_module(module_name)
        module.add_arguments(sub.add_parser(module.NAME, help=module.HELP))
        commands[module.NAME] = module
    return parser, commands


def version_text(version: str) -> str:
    """``callsim 0.9.0 (compiled core, Cython 3.3.1)`` or ``... (pure-Python core: <why>)``."""
    return f"callsim {version} ({core_info().describe()})"


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so it unwinds exactly as Ctrl-C does."""


def _terminate(signum: int, frame: FrameType | None) -> None:
    # Recorded too: raised inside a callback whose exceptions Python ignores (a pool forking),
    # the exception is lost, and the executors raise it again from the record.
    request_stop(Terminated)
    raise Terminated


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM into :class:`Terminated` while a command runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        clear_stop()


def _quiet_dask() -> None:
    """``-q``: Dask's INFO messages off too, here and in the workers it starts."""
    os.environ["DASK_LOGGING__DISTRIBUTED"] = "warning"  # read when Dask is first imported
    logging.getLogger("distributed").setLevel(logging.WARNING)  # if it already was


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
    if getattr(args, "quiet", False):
        _quiet_dask()
    try:
        with _sigterm_as_interrupt():
            require_core()  # CALLSIM_CORE=compiled that cannot run: exit 2 before any work
            return commands[args.command].execute(args)
    except ScenarioError as error:
        err(str(error))
        return 2
    except (ResultsDirError, ExperimentError, CoreError) as error:
        err(f"callsim: {error}")
        return 2
    except CallsimError as error:
        err(f"callsim: {error}")
        return 1
    except OSError as error:  # e.g. the disk filled up while writing results
        logging.getLogger(__name__).debug("operating-system error", exc_info=True)
        err(f"callsim: {error}")
        return 1
    except Terminated:
        err("callsim: terminated (SIGTERM)")
        return 143
    except KeyboardInterrupt:
        err("callsim: interrupted")
        return 130
