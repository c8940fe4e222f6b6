"""Checks of the Python API's arguments where they enter, before anything is read or run.

The rule (README, "Python API"): an argument of plainly the wrong kind (a scenario that is
neither a :class:`~sim.scenario.Scenario` nor a path, a folder that is not a path, overrides
that are not a list of texts, a flag that is not a bool, a callback that cannot be called)
raises :class:`~sim.errors.ArgumentTypeError`, a :class:`~sim.errors.CallsimError` that is
also a ``TypeError``, naming the argument. A value of the right kind that cannot be used (a
count out of range, a mapping over the scenario limits, an override naming no field) raises
:class:`~sim.errors.ExperimentError` or :class:`~sim.errors.ScenarioError`, as the command
line reports it.
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Mapping, Sequence
from typing import Any

from sim.errors import ArgumentTypeError, ExperimentError, ScenarioError, ScenarioProblem
from sim.scenario.guard import (
    MAX_SCENARIO_DEPTH,
    YamlLimitError,
    check_mapping_limits,
)

__all__ = [
    "check_mapping",
    "check_overrides",
    "require_callable",
    "require_count",
    "require_flag",
    "require_path",
    "require_real",
    "require_text",
    "require_texts",
]


def _kind(value: object) -> str:
    return type(value).__name__


def require_path(value: object, name: str) -> None:
    """Refuse ``value`` as the path ``name`` unless it is a ``str`` or ``os.PathLike[str]``.

    Bytes, and integers (which ``open`` would take as a file descriptor), are refused.
    """
    if isinstance(value, str):
        return
    if isinstance(value, os.PathLike) and isinstance(os.fspath(value), str):
        return
    raise ArgumentTypeError(f"{name} must be a path (str or os.PathLike), not {_kind(value)}")


def require_text(value: object, name: str) -> str:
    """``value`` if it is a ``str``, else :class:`ArgumentTypeError` naming ``name``."""
    if not isinstance(value, str):
        raise ArgumentTypeError(f"{name} must be a str, not {_kind(value)}")
    return value


def require_texts(value: object, name: str) -> list[str]:
    """``value`` as a list of texts: a list or tuple of ``str`` (a single ``str`` is refused)."""
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise ArgumentTypeError(
            f"{name} must be a list of str (e.g. ['team.0.count=5']), not {_kind(value)}"
        )
    for item in value:
        if not isinstance(item, str):
            raise ArgumentTypeError(f"each item of {name} must be a str, not {_kind(item)}")
    return list(value)


def require_flag(value: object, name: str) -> None:
    """Refuse a flag that is not ``True`` or ``False`` (``force="no"`` would be taken as true)."""
    if not isinstance(value, bool):
        raise ArgumentTypeError(f"{name} must be True or False, not {value!r}")


def require_callable(value: object, name: str) -> None:
    """Refuse ``value`` as the callback ``name`` unless it is None or callable."""
    if value is not None and not callable(value):
        raise ArgumentTypeError(f"{name} must be a function or None, not {_kind(value)}")


def require_count(value: object, name: str, minimum: int = 1) -> int:
    """``value`` as a whole number of at least ``minimum``, else :class:`ExperimentError`.

    A bool, a float (even ``2.0``) or a text is refused, as the command line refuses ``2.5``.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ExperimentError(f"{name} must be a whole number, got {value!r}")
    if value < minimum:
        raise ExperimentError(f"{name} must be at least {minimum}, got {value}")
    return int(value)


def require_real(value: object, name: str, low: float, high: float | None = None) -> float:
    """``value`` as a finite number above ``low`` (and below ``high``), else ExperimentError."""
    within = f"above {low:g}" + (f" and below {high:g}" if high is not None else "")
    real = not isinstance(value, bool) and isinstance(value, numbers.Real)
    number = float(value) if real else math.nan  # type: ignore[arg-type]
    if not (math.isfinite(number) and number > low and (high is None or number < high)):
        raise ExperimentError(f"{name} must be a number {within}, got {value!r}")
    return number


def check_overrides(overrides: object, file: str | None = None) -> list[str]:
    """``overrides`` as a list of ``path=value`` texts, each path within the scenario depth.

    A path deeper than a scenario file may nest raises :class:`ScenarioError` naming it,
    before any mapping is built from it.
    """
    texts = require_texts(overrides, "overrides")
    problems = []
    for text in texts:
        dotted = text.partition("=")[0].strip()
        if dotted.count(".") >= MAX_SCENARIO_DEPTH:
            message = f"the override path is more than {MAX_SCENARIO_DEPTH} levels deep"
            problems.append(ScenarioProblem(dotted[:60] + "...", message))
    if problems:
        raise ScenarioError(file, problems)
    return texts


def check_mapping(data: Any, *, file: object = None, source_text: object = None) -> None:
    """The arguments of :func:`sim.scenario_from_mapping`, before anything is copied.

    ``data`` within the scenario file's node and depth limits (:mod:`sim.scenario.guard`) and
    not containing itself, else :class:`ScenarioError`; ``file`` and ``source_text`` None or
    ``str``, else :class:`ArgumentTypeError`.
    """
    name = None if file is None else require_text(file, "file")
    if source_text is not None:
        require_text(source_text, "source_text")
    if not isinstance(data, Mapping):
        return  # the validator reports a top level that is not a mapping
    try:
        check_mapping_limits(data)
    except YamlLimitError as exc:
        message = f"scenario refused before validating it: {exc}"
        raise ScenarioError(name, [ScenarioProblem("", message)]) from None
