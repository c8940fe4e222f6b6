"""What a results folder says about itself: ``manifest.json``, checked before anything uses it.

Every read of a results folder starts here. A manifest is JSON that anyone can edit, copy or
damage, so it is checked against a schema of its kind (``run``, ``compare``, ``sweep``,
``sensitivity``) before
any value is used: whole numbers within bounds (a seed or a replication count that would
overflow), finite non-negative times, strings of bounded length, run labels that are plain
folder names (never a path out of the folder), lists that agree with each other. Anything
else is a :class:`~sim.errors.ResultsDirError` naming the file and what is wrong, in one line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from sim.errors import ResultsDirError
from sim.execution.limits import MAX_MORRIS_LEVELS
from sim.execution.plan import LABEL_PATTERN
from sim.execution.store import MANIFEST

MAX_MANIFEST_BYTES = 64 * 1024 * 1024
"""Largest manifest read (a sweep's lists every point's scenario: ~5 KB a point)."""
MAX_SEED = 2**256 - 1
"""Largest root seed a manifest may hold (NumPy's SeedSequence takes any whole number)."""
MAX_REPLICATIONS = 1_000_000_000
"""Largest replication count a manifest may hold."""
MAX_ITEMS = 100_000
"""Most labels, points or varied paths a manifest may list."""

Text = Annotated[str, StringConstraints(max_length=1000)]
Label = Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=LABEL_PATTERN)]
Seed = Annotated[int, Field(ge=0, le=MAX_SEED)]
Replications = Annotated[int, Field(ge=1, le=MAX_REPLICATIONS)]
Seconds = Annotated[float, Field(ge=0.0, le=1e12, allow_inf_nan=False)]
Scalar = Annotated[float, Field(allow_inf_nan=False)] | int | bool | Text | None


def damaged(path: Path, problem: str) -> ResultsDirError:
    """The error for a results file that callsim wrote but can no longer read."""
    return ResultsDirError(
        f"{path}: {problem}; the results folder is damaged: run the experiment again"
    )


class _Strict(BaseModel):
    """JSON as written: no coercion (``"5"`` is not 5, ``true`` not 1); unknown keys ignored."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class PrecisionReport(_Strict):
    """The ``precision`` entry: the target and how far it was reached."""

    relative: Annotated[float, Field(gt=0.0, lt=1.0, allow_inf_nan=False)]
    metric: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    profile: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    max_replications: Replications
    level: Annotated[float, Field(gt=0.0, lt=1.0, allow_inf_nan=False)] = 0.95
    replications: Replications
    reached: bool
    relative_half_width: Annotated[float, Field(allow_inf_nan=False)] | None = None


class _Manifest(_Strict):
    tool: Literal["callsim"]
    version: Text = "unknown"
    seed: Seed
    replications: Replications
    wall_time_s: Seconds = 0.0
    precision: PrecisionReport | None = None
    versions: dict[Annotated[str, StringConstraints(max_length=100)], Text] | None = None


class Warning_(_Strict):
    """One entry of ``warnings`` (:class:`sim.analysis.diagnostics.RunWarning`)."""

    code: Annotated[str, StringConstraints(max_length=100)]
    message: Text
    details: dict[Annotated[str, StringConstraints(max_length=100)], Scalar] = {}


Warnings = Annotated[list[Warning_], Field(max_length=1000)]
RunWarnings = dict[Label, Warnings]
"""A comparison's or sweep's warnings: each run label's list."""


class RunManifest(_Manifest):
    """``"kind": "run"`` (or no kind: folders written before kinds existed)."""

    kind: Literal["run"] = "run"
    warnings: Warnings = []
    scenario_name: Text = ""
    call_log: bool = False
    scenario: dict[str, Any]  # validated as a Scenario by the run reader


class CompareManifest(_Manifest):
    """``"kind": "compare"``: the scenarios, labelled, the first the baseline."""

    kind: Literal["compare"]
    baseline: Label | None = None
    labels: Annotated[list[Label], Field(min_length=2, max_length=MAX_ITEMS)] | None = None
    scenarios: dict[Label, Text] | None = None
    headline_group: Literal["all", "team"] = "all"
    warnings: RunWarnings = {}
    break_even: dict[Text, Scalar] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> CompareManifest:
        if self.labels is not None:
            if len(set(self.labels)) != len(self.labels):
                raise ValueError("labels are not unique")
            if self.baseline is not None and self.baseline != self.labels[0]:
                raise ValueError("baseline is not the first label")
        return self


class SweepManifest(_Manifest):
    """``"kind": "sweep"``: the points, their values and resolved scenarios."""

    kind: Literal["sweep"]
    base_scenario: Text | None = None
    varied: Annotated[list[Text], Field(min_length=1, max_length=MAX_ITEMS)]
    design: Literal["grid", "lhs"] = "grid"
    points: Annotated[int, Field(ge=1, le=MAX_ITEMS)] | None = None
    headline_group: Literal["all", "team"] = "all"
    runs_kept: bool = False
    warnings: RunWarnings = {}
    point_values: Annotated[list[dict[Text, Scalar]], Field(max_length=MAX_ITEMS)] | None = None
    labels: Annotated[list[Label], Field(min_length=1, max_length=MAX_ITEMS)] | None = None
    point_scenarios: dict[Label, dict[str, Any]] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> SweepManifest:
        labels = self.labels
        if labels is None:
            return self
        if len(set(labels)) != len(labels):
            raise ValueError("labels are not unique")
        if self.point_values is not None:
            if len(self.point_values) != len(labels):
                raise ValueError("point_values and labels differ in length")
            if any(set(values) != set(self.varied) for values in self.point_values):
                raise ValueError("a point's values do not match the varied paths")
        if self.points is not None and self.points != len(labels):
            raise ValueError("points does not match the labels")
        if self.point_scenarios is not None and set(self.point_scenarios) != set(labels):
            raise ValueError("point_scenarios do not match the labels")
        return self


class SensitivityManifest(_Manifest):
    """``"kind": "sensitivity"``: the parameters varied, the metric and every point's label."""

    kind: Literal["sensitivity"]
    base_scenario: Text
    method: Literal["morris", "oat"]
    metric: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    group: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    unit: Text = ""
    parameters: Annotated[list[dict[Text, Scalar]], Field(min_length=1, max_length=MAX_ITEMS)]
    levels: Annotated[int, Field(ge=2, le=MAX_MORRIS_LEVELS)]
    labels: Annotated[list[Label], Field(min_length=1, max_length=MAX_ITEMS)]
    design: (
        Annotated[
            list[list[Annotated[float, Field(allow_inf_nan=False)]]],
            Field(max_length=MAX_ITEMS),
        ]
        | None
    ) = None


MANIFEST_MODELS: dict[str, type[_Manifest]] = {
    "run": RunManifest,
    "compare": CompareManifest,
    "sweep": SweepManifest,
    "sensitivity": SensitivityManifest,
}


def _raw_manifest(directory: Path) -> Any:
    """The JSON in ``directory``'s manifest (None if there is no readable manifest)."""
    path = directory / MANIFEST
    try:
        if path.stat().st_size > MAX_MANIFEST_BYTES:
            raise damaged(path, f"is larger than {MAX_MANIFEST_BYTES // 2**20} MiB")
        return json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return None


def require(manifest: dict[str, Any], directory: Path, *keys: str) -> None:
    """Refuse a checked manifest that lacks any of ``keys`` (what a reader needs of it).

    The schemas allow leaving out what only some readers use (a chart needs a comparison's
    table, not its labels); each reader names what it needs.
    """
    missing = [key for key in keys if manifest.get(key) is None]
    if missing:
        raise damaged(directory / MANIFEST, f"no {', '.join(missing)}")


def read_manifest(directory: Path) -> dict[str, Any]:
    """The checked manifest of a callsim results folder, as written.

    :class:`ResultsDirError` if there is none (not a callsim folder) or it is damaged: a value
    of the wrong type or out of bounds, an unknown kind, lists that disagree.
    """
    manifest = _raw_manifest(directory)
    if not isinstance(manifest, dict) or manifest.get("tool") != "callsim":
        raise ResultsDirError(
            f"{directory} is not a callsim results folder (no {MANIFEST} written by callsim); "
            "point at a folder written by 'callsim run', 'compare', 'sweep' or 'sensitivity'"
        )
    kind = manifest.get("kind", "run")
    if kind == "partial":
        raise ResultsDirError(
            f"{directory} is the work folder of an unfinished experiment, not a results folder"
        )
    model = MANIFEST_MODELS.get(kind) if isinstance(kind, str) else None
    if model is None:
        raise damaged(directory / MANIFEST, f"unknown results kind {str(kind)[:40]!r}")
    try:
        model.model_validate(manifest)
    except ValidationError as error:
        raise damaged(directory / MANIFEST, describe(error)) from None
    return manifest


def describe(error: ValidationError) -> str:
    """The first problem of a validation error in a few words: ``field.path: message``."""
    first = error.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in first["loc"]) or "<top level>"
    more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
    message = (
        "is not a plain folder name"
        if first["type"] == "string_pattern_mismatch"
        else first["msg"][:200]
    )
    return f"{where}: {message}{more}"
