"""The one parsing layer of the command line: every user-supplied value is read here.

Each function is an argparse ``type=``: it turns the text of one option into a value or
raises :class:`argparse.ArgumentTypeError` with a message, and argparse then stops with
"callsim <command>: error: argument --x: <message>" and exit status 2. :func:`_total` makes
that true of *any* exception a check raises (a deep value, an odd encoding), so no option
value can end in a traceback. The rules:

- whole numbers are ASCII digits only (Python's ``int()`` would take ``'١٢'`` for 12, or
  ``'1_0'``), within the documented maxima of :mod:`sim.execution.limits`;
- paths are non-empty, valid UTF-8 without NUL (a name given as undecodable bytes cannot be
  printed or stored in a manifest), and an output folder is never the root, the working
  folder or a parent of it (:func:`sim.api.preflight.check_output_path`);
- ``--set`` and ``--vary`` values are YAML within the command-line size and depth limits and
  without anchors or aliases (:func:`sim.scenario.guard.load_value`);
- a ``--scheduler`` address is ``tcp://HOST:PORT`` or ``local:N``
  (:func:`sim.execution.limits.check_scheduler_address`); an empty one is an error.
"""

from __future__ import annotations

import argparse
import functools
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sim.errors import CallsimError

T = TypeVar("T")

_WHOLE = re.compile(r"^\s*([+-]?)([0-9]+)\s*$", re.ASCII)
_NUMBER = re.compile(r"^\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\s*$", re.ASCII)
_METRIC = re.compile(r"^[a-z_]{1,60}(:[A-Za-z0-9_-]{1,100})?$", re.ASCII)
_SHOWN = 60
"""Characters of a bad value quoted back in a message."""


def _shown(text: str) -> str:
    clipped = text if len(text) <= _SHOWN else text[:_SHOWN] + "..."
    return repr(clipped)


def _total(parse: Callable[[str], T]) -> Callable[[str], T]:
    """``parse`` with every exception it raises turned into an argparse error message."""

    @functools.wraps(parse)
    def wrapper(text: str) -> T:
        try:
            return parse(text)
        except argparse.ArgumentTypeError:
            raise
        except CallsimError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
        except Exception as error:  # the rule: no value ends in a traceback
            reason = str(error).splitlines()[0][:200] if str(error) else type(error).__name__
            raise argparse.ArgumentTypeError(f"cannot read {_shown(text)}: {reason}") from None

    return wrapper


def _whole_number(text: str, minimum: int, maximum: int) -> int:
    match = _WHOLE.match(text)
    if match is None:
        raise argparse.ArgumentTypeError(
            f"expected a whole number written with the digits 0-9, got {_shown(text)}"
        )
    digits = match.group(2).lstrip("0") or "0"
    if match.group(1) == "-" and digits != "0":
        raise argparse.ArgumentTypeError(f"must be {minimum} or more, got {text.strip()}")
    if len(digits) > len(str(maximum)):
        raise argparse.ArgumentTypeError(f"must be at most {maximum:,}, got {len(digits)} digits")
    value = int(digits)
    if value < minimum:
        raise argparse.ArgumentTypeError(f"must be {minimum} or more, got {value}")
    if value > maximum:
        raise argparse.ArgumentTypeError(f"must be at most {maximum:,}, got {value:,}")
    return value


MAX_COUNT = 1_000_000
"""Largest small count an option takes (trajectories, grid levels, break-even points)."""


@_total
def count(text: str) -> int:
    """A small positive count (Morris trajectories, grid levels, grid points): 1 to 1,000,000."""
    return _whole_number(text, 1, MAX_COUNT)


@_total
def finite_number(text: str) -> float:
    """A finite number written in plain digits (a tolerance, a bound)."""
    if _NUMBER.match(text) is None:
        raise argparse.ArgumentTypeError(f"expected a number such as 0.01, got {_shown(text)}")
    value = float(text)
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, got {_shown(text)}")
    return value


@_total
def replications(text: str) -> int:
    """Replications: 1 to :data:`~sim.execution.limits.MAX_REPLICATIONS`."""
    from sim.execution.limits import MAX_REPLICATIONS

    return _whole_number(text, 1, MAX_REPLICATIONS)


@_total
def jobs(text: str) -> int:
    """Local worker processes: 1 to :func:`~sim.execution.limits.max_jobs` (4 per core)."""
    from sim.execution.limits import max_jobs

    return _whole_number(text, 1, max_jobs())


@_total
def lhs_points(text: str) -> int:
    """Latin hypercube points: 1 to :data:`~sim.execution.limits.MAX_LHS_POINTS`."""
    from sim.execution.limits import MAX_LHS_POINTS

    return _whole_number(text, 1, MAX_LHS_POINTS)


@_total
def seed(text: str) -> int:
    """A root seed: a whole number from 0 to 2**63 - 1."""
    from sim.scenario.base import MAX_SEED

    return _whole_number(text, 0, MAX_SEED)


@_total
def fraction(text: str) -> float:
    """A number strictly between 0 and 1 (a relative precision)."""
    if _NUMBER.match(text) is None:
        raise argparse.ArgumentTypeError(f"expected a number such as 0.05, got {_shown(text)}")
    value = float(text)
    if not (math.isfinite(value) and 0.0 < value < 1.0):
        raise argparse.ArgumentTypeError(f"must be between 0 and 1 (e.g. 0.05), got {value}")
    return value


@_total
def metric(text: str) -> str:
    """``NAME`` or ``NAME:PROFILE`` of a KPI (checked against the registry when run)."""
    if _METRIC.match(text) is None:
        raise argparse.ArgumentTypeError(
            f"expected NAME or NAME:PROFILE, e.g. meetings or cost_per_meeting:student, "
            f"got {_shown(text)}"
        )
    return text


def _path(text: str) -> Path:
    if not text:
        raise argparse.ArgumentTypeError("the path is empty")
    if "\0" in text:
        raise argparse.ArgumentTypeError(f"the path {_shown(text)} holds a NUL character")
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        raise argparse.ArgumentTypeError(
            f"the path {_shown(text)} is not valid UTF-8: rename it"
        ) from None
    if len(data) > 4096:
        raise argparse.ArgumentTypeError(f"the path is {len(data):,} bytes long (limit 4,096)")
    return Path(text)


@_total
def file_path(text: str) -> Path:
    """An input file or folder path (a scenario, a results folder to read or resume)."""
    return _path(text)


@_total
def output_file(text: str) -> Path:
    """A file to write (a report): a path that is not an existing folder."""
    path = _path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{_shown(text)} is a folder; give a file name")
    return path


@_total
def output_folder(text: str) -> Path:
    """A results folder to write: never the root, the working folder or one of its parents."""
    from sim.api.preflight import check_output_path

    path = _path(text)
    check_output_path(path)
    return path


@_total
def scheduler(text: str) -> str:
    """A Dask scheduler address: ``tcp://HOST:PORT`` or ``local:N``."""
    from sim.execution.limits import check_scheduler_address

    check_scheduler_address(text)
    return text


@_total
def override(text: str) -> str:
    """``PATH=VALUE`` for ``--set``: the form and the value's YAML are checked here."""
    from sim.scenario.guard import load_value

    dotted, sep, value = text.partition("=")
    if not sep or not dotted.strip():
        raise argparse.ArgumentTypeError(
            f"expected the form path.to.field=value, got {_shown(text)}"
        )
    if any(not key.strip() for key in dotted.split(".")):
        raise argparse.ArgumentTypeError(f"empty element in the path {_shown(dotted)}")
    load_value(value)
    return text


@_total
def vary(text: str) -> str:
    """``PATH=V1,V2,...`` or ``PATH=LO:HI`` for ``--vary``, read as the sweep will read it."""
    from sim.api.designs import parse_vary

    parse_vary([text])
    return text


@_total
def parameter_range(text: str) -> str:
    """``PATH=LO:HI`` for ``sensitivity --vary`` and ``compare --break-even``, checked as read."""
    from sim.api.designs import parse_vary
    from sim.api.points import check_range

    (factor,) = parse_vary([text])
    check_range(factor.path, factor.low, factor.high)
    return text
