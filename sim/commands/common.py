"""Shared pieces of the sub-commands: printing and common options."""

from __future__ import annotations

import argparse
import sys


def out(text: str = "") -> None:
    """Print to standard output (the CLI is the only place that prints)."""
    print(text)


def err(text: str) -> None:
    """Print to standard error."""
    print(text, file=sys.stderr)


def positive_int(text: str) -> int:
    """Argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def seed(text: str) -> int:
    """Argparse type: a non-negative whole number."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def add_set_option(parser: argparse.ArgumentParser) -> None:
    """``--set PATH=VALUE`` scenario overrides (repeatable)."""
    parser.add_argument(
        "--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
        help="override a scenario field, e.g. --set team.0.count=5 (repeatable; re-validated)",
    )


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """Replications, seed, jobs, force and quiet: shared by every command that simulates."""
    parser.add_argument("--replications", "-n", type=positive_int,
                        help="Monte Carlo replications (default: the scenario's)")
    parser.add_argument("--seed", type=seed, help="root seed (default: the scenario's)")
    parser.add_argument("--jobs", "-j", type=positive_int,
                        help="worker processes (default: all cores)")
    parser.add_argument("--force", action="store_true",
                        help="replace an output folder even if it holds non-callsim files")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
