"""Shared pieces of the sub-commands: printing and common options."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from sim.cli import parsing


def _printable(text: str, stream: TextIO) -> str:
    """``text`` as ``stream`` can encode it: a path given as undecodable bytes is escaped."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    return text.encode(encoding, "backslashreplace").decode(encoding, "replace")


def out(text: str = "") -> None:
    """Print to standard output (the CLI is the only place that prints)."""
    print(_printable(text, sys.stdout))


def err(text: str) -> None:
    """Print to standard error."""
    print(_printable(text, sys.stderr), file=sys.stderr)


def print_warnings(directory: Path) -> None:
    """Print the warnings the folder's ``manifest.json`` keeps (standard error, one a line)."""
    from sim.presentation.console import warning_lines
    from sim.storage.manifests import read_manifest

    for line in warning_lines(read_manifest(directory)):
        err(f"callsim: {line}")


def add_set_option(parser: argparse.ArgumentParser) -> None:
    """``--set PATH=VALUE`` scenario overrides (repeatable)."""
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        type=parsing.override,
        help="override a scenario field, e.g. --set team.0.count=5 (repeatable; re-validated)",
    )


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """Replications, seed, execution, precision, resume, force and quiet (every simulation)."""
    add_execution_options(parser, precision=True)
    parser.add_argument(
        "--precision",
        type=parsing.fraction,
        metavar="REL",
        help="add replications until the 95%% CI half-width of --metric is "
        "within REL of its mean (e.g. 0.05)",
    )
    parser.add_argument(
        "--metric",
        metavar="NAME[:PROFILE]",
        type=parsing.metric,
        help="metric for --precision, e.g. meetings or cost_per_meeting:student",
    )
    parser.add_argument(
        "--max-replications",
        type=parsing.replications,
        metavar="N",
        help="cap for --precision (default: 2000)",
    )


def add_execution_options(parser: argparse.ArgumentParser, *, precision: bool = False) -> None:
    """Replications, seed, jobs, scheduler, resume, force and quiet (no precision target).

    ``precision`` says whether the command also takes ``--precision``, so that the help of
    ``--replications`` mentions it only where it applies.
    """
    batch = "; with --precision, the first batch" if precision else ""
    parser.add_argument(
        "--replications",
        "-n",
        type=parsing.replications,
        help=f"Monte Carlo replications (default: the scenario's{batch})",
    )
    parser.add_argument("--seed", type=parsing.seed, help="root seed (default: the scenario's)")
    parser.add_argument(
        "--jobs",
        "-j",
        type=parsing.jobs,
        help="local worker processes (default: all cores; 1 = in this process; at most 4 per core)",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        type=parsing.scheduler,
        help="run on Dask: tcp://host:port of a scheduler, or local:N to "
        "start a local cluster of N workers (needs dask[distributed])",
    )
    parser.add_argument(
        "--resume",
        type=parsing.file_path,
        metavar="DIR",
        help="complete an interrupted run whose results folder is DIR",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="write into an output folder even if it holds files callsim did not write "
        "(they are kept), or discard an unfinished run in it",
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar")


def execution_options(args: argparse.Namespace) -> dict[str, Any]:
    """Keyword arguments of ``sim.run``/``compare``/``sweep`` from the shared options."""
    from sim.api.pipeline import default_jobs

    options = {
        "replications": args.replications,
        "seed": args.seed,
        "jobs": args.jobs or default_jobs(),
        "scheduler": args.scheduler,
        "force": args.force,
        "progress": not args.quiet,
    }
    if hasattr(args, "precision"):
        options |= {
            "precision": args.precision,
            "metric": args.metric,
            "max_replications": args.max_replications,
        }
    return options


def check_precision_options(args: argparse.Namespace) -> None:
    """``--precision`` and ``--metric`` go together (ExperimentError, exit 2, otherwise)."""
    from sim.errors import ExperimentError

    if args.precision is not None and not args.metric:
        raise ExperimentError("--precision needs --metric NAME (e.g. --metric meetings)")
    if args.metric and args.precision is None:
        raise ExperimentError("--metric is for --precision REL")
    if args.max_replications and args.precision is None:
        raise ExperimentError("--max-replications is for --precision REL")


def interrupted_hint(command: str, directory: Path) -> str:
    """What to tell the user after Ctrl-C: finished work is kept and how to complete it."""
    if not directory.with_name(f"{directory.name}.partial").is_dir():
        return "nothing had finished, so nothing was kept"
    return (
        f"finished replications are kept in {directory}.partial; complete them with: "
        f"callsim {command} --resume {directory}"
    )


def output_directory(args: argparse.Namespace, default: Callable[[], Path]) -> Path:
    """The folder a simulating command writes: ``--resume DIR``, else ``--out``, else default.

    The folder is checked before anything runs: a folder of other files is refused unless
    ``--force``.
    """
    from sim.api.preflight import check_output_path
    from sim.errors import ExperimentError
    from sim.storage.folders import check_writable

    if args.resume is not None:
        if args.out is not None and args.out != args.resume:
            raise ExperimentError("--out and --resume name different folders")
        directory = args.resume
    else:
        directory = args.out or default()
    check_output_path(directory)  # a default name can be too long too (compare-<A>-vs-<B>)
    check_writable(directory, args.force)
    return directory
