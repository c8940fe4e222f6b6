"""Reading scenario files: YAML in, a validated :class:`Scenario` or a :class:`ScenarioError` out.

Every problem found is reported as a :class:`ScenarioProblem` with the dotted field path as the
analyst wrote it, the line in the file, what is allowed and, for a mistyped key, the nearest
valid one (:mod:`sim.scenario.validation_problems`). Command-line overrides (``--set
path=value``, :mod:`sim.scenario.overrides`) are applied to the parsed mapping before
validation; the YAML itself is parsed by :mod:`sim.scenario.yaml_source`, which keeps the
lines.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping, Sequence
from typing import Any

import yaml
from pydantic import ValidationError

from sim.errors import ArgumentTypeError, ScenarioError, ScenarioProblem
from sim.scenario.arguments import check_mapping, require_path
from sim.scenario.guard import MAX_SCENARIO_BYTES, YamlLimitError
from sim.scenario.overrides import apply_overrides
from sim.scenario.scenario import Scenario
from sim.scenario.validation_problems import problem_from_error
from sim.scenario.yaml_source import LineMaps, line_maps, parse_yaml, yaml_problem

__all__ = ["as_scenario", "load_scenario", "scenario_from_mapping"]


def load_scenario(path: str | os.PathLike[str], overrides: Sequence[str] = ()) -> Scenario:
    """Read the YAML scenario file at ``path``, apply ``--set`` overrides and validate it.

    Raises :class:`ScenarioError` (``file`` = ``str(path)``) listing every problem: an unreadable
    file, a YAML syntax error, a top level that is not a mapping, malformed overrides, or fields
    that do not validate.
    """
    require_path(path, "the scenario file's path")
    file = str(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_SCENARIO_BYTES + 1)  # never more than the limit and a byte
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        message = f"cannot read the file: {getattr(exc, 'strerror', None) or exc}"
        if isinstance(exc, FileNotFoundError):
            message = "file not found"
        elif isinstance(exc, IsADirectoryError):
            message = "is a directory, not a scenario file"
        raise ScenarioError(file, [ScenarioProblem("", message)]) from None
    if len(raw) > MAX_SCENARIO_BYTES:
        message = f"the file is larger than the limit of {MAX_SCENARIO_BYTES:,} bytes"
        raise ScenarioError(file, [ScenarioProblem("", message)])
    try:
        data, node, duplicates = parse_yaml(raw)
    except (yaml.YAMLError, YamlLimitError) as exc:
        raise ScenarioError(file, [yaml_problem(exc)]) from None
    except (ValueError, OverflowError) as exc:  # a scalar YAML cannot build: 2001-02-30, 1e5000
        message = f"a value cannot be read: {exc}"
        raise ScenarioError(file, [ScenarioProblem("", message)]) from None
    if duplicates:
        raise ScenarioError(file, duplicates)
    return _validate(data, file, overrides, line_maps(node))


def as_scenario(item: Scenario | str | os.PathLike[str], overrides: Sequence[str] = ()) -> Scenario:
    """``item`` itself if it is a :class:`Scenario`, else the scenario file it names.

    ``overrides`` apply to a file only. Raises :class:`ScenarioError` for a bad file and
    ``TypeError`` for anything that is neither a scenario nor a path.
    """
    if isinstance(item, Scenario):
        return item
    if isinstance(item, str | os.PathLike):
        return load_scenario(item, overrides)
    raise ArgumentTypeError(
        f"a scenario must be a Scenario or a scenario file's path, not {type(item).__name__}"
    )


def scenario_from_mapping(
    data: Mapping[str, Any],
    *,
    file: str | None = None,
    overrides: Sequence[str] = (),
    source_text: str | None = None,
) -> Scenario:
    """Validate an already-parsed scenario mapping (after applying ``overrides``).

    ``source_text``, the YAML the mapping was parsed from, lets problems carry line numbers;
    ``file`` names it in the :class:`ScenarioError` raised when the scenario is invalid.
    """
    check_mapping(data, file=file, source_text=source_text)
    node = None
    if source_text is not None:
        with contextlib.suppress(yaml.YAMLError, YamlLimitError):
            node = parse_yaml(source_text)[1]
    return _validate(data, file, overrides, line_maps(node))


def _validate(data: Any, file: str | None, overrides: Sequence[str], lines: LineMaps) -> Scenario:
    """Apply overrides and validate, translating every pydantic error into a problem."""
    if not isinstance(data, Mapping):
        what = "empty" if data is None else f"a {type(data).__name__}"
        message = f"the top level is {what}; expected a mapping of scenario fields"
        raise ScenarioError(file, [ScenarioProblem("", message, line=lines[0].get(()))])
    data = apply_overrides(data, overrides, file=file)
    set_paths = [tuple(o.partition("=")[0].strip().split(".")) for o in overrides]
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False)
        raise ScenarioError(
            file, [problem_from_error(e, data, lines, set_paths) for e in errors]
        ) from None
