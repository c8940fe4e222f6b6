"""What an experiment is: its runs (labelled scenarios), seed, replications and options.

A plan is everything that decides an experiment's results; how it is executed (jobs, Dask
scheduler, progress bar) is not part of it. The plan is stored in the work folder of a
streamed experiment, and ``--resume`` only continues a work folder whose plan matches.
All runs share the root seed and replication numbers: common random numbers.
"""

from __future__ import annotations

import json
import numbers
import re
from dataclasses import dataclass, field
from typing import Any

from sim.errors import ExperimentError
from sim.execution.precision import PrecisionTarget
from sim.records.tables import TABLE_NAMES
from sim.scenario import Scenario
from sim.scenario.arguments import require_flag
from sim.scenario.base import MAX_SEED

LABEL_PATTERN = r"^[^/\\\x00-\x1f]*[^/\\\x00-\x1f.][^/\\\x00-\x1f]*$"
"""A run label names a folder (``runs/<label>/``): no path separator or control character,
and not only dots (never ``.`` or ``..``)."""
RUN_TABLES = tuple(name for name in TABLE_NAMES if name not in ("calls", "meetings"))
"""Tables a run keeps by default (the call log only when asked for; the meetings table when
every run has sellers)."""


@dataclass(frozen=True)
class RunSpec:
    """One scenario of an experiment and its unique label (file stem, point id, ...)."""

    label: str
    scenario: Scenario


@dataclass(frozen=True)
class ExperimentPlan:
    """Runs simulated with the same ``seed`` and replication numbers (see module docstring).

    ``replications`` is the count to run, or the first batch when ``precision`` is set.
    ``tables`` are the tables kept from each replication (``calls`` added by ``call_log``).
    ``details`` holds kind-specific settings (a sweep's design) that must survive a resume.
    """

    kind: str
    runs: tuple[RunSpec, ...]
    seed: int
    replications: int
    call_log: bool = False
    tables: tuple[str, ...] = RUN_TABLES
    precision: PrecisionTarget | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.runs:
            raise ExperimentError("an experiment needs at least one scenario")
        labels = [run.label for run in self.runs]
        if len(set(labels)) != len(labels):
            raise ExperimentError(f"run labels must be unique, got {labels}")
        for label in labels:
            plain = isinstance(label, str) and re.fullmatch(LABEL_PATTERN, label)
            if not plain or len(label) > 255:
                raise ExperimentError(f"a run label must be a plain folder name, got {label!r}")
        for name in ("replications", "seed"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                raise ExperimentError(f"{name} must be a whole number, got {value!r}")
            object.__setattr__(self, name, int(value))  # numpy integers too, for the manifest
        if self.replications < 1:
            raise ExperimentError(f"replications must be at least 1, got {self.replications}")
        if not 0 <= self.seed <= MAX_SEED:
            raise ExperimentError(
                f"seed must be a whole number from 0 to 2**63 - 1, got {self.seed}"
            )
        require_flag(self.call_log, "call_log")
        unknown = set(self.tables) - set(TABLE_NAMES)
        if unknown or "operator_days" not in self.tables:
            raise ExperimentError(f"bad table selection {self.tables}")
        if self.precision is not None:
            # A profile or a team group with a row of its own (the group's label).
            profiles = {p for run in self.runs for p in run.scenario.profiles}
            profiles |= {label for run in self.runs for label in run.scenario.group_labels}
            self.precision.check_profiles(profiles)

    @property
    def labels(self) -> list[str]:
        """The runs' labels, in order."""
        return [run.label for run in self.runs]

    @property
    def kept_tables(self) -> tuple[str, ...]:
        """Tables each replication returns (the call log only with ``call_log``)."""
        kept = (*self.tables, "calls") if self.call_log else self.tables
        if all(run.scenario.sales.sellers for run in self.runs):
            kept = (*kept, "meetings")
        return kept

    def to_json(self) -> dict[str, Any]:
        """The plan as plain JSON (scenarios fully resolved)."""
        data = {
            "kind": self.kind,
            "seed": self.seed,
            "replications": self.replications,
            "call_log": self.call_log,
            "tables": list(self.tables),
            "precision": self.precision.to_json() if self.precision else None,
            "details": self.details,
            "runs": [
                {"label": r.label, "scenario": r.scenario.model_dump(mode="json")}
                for r in self.runs
            ],
        }
        return json.loads(json.dumps(data, default=str))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExperimentPlan:
        """Rebuild a plan stored by :meth:`to_json`; :class:`ExperimentError` if it is damaged."""
        try:
            return cls._from_json(data)
        except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as error:
            # pydantic's ValidationError is a ValueError: a hand-edited or damaged plan
            raise ExperimentError(
                f"the stored plan of the unfinished experiment is damaged "
                f"({type(error).__name__}); start again with --force"
            ) from None

    @classmethod
    def _from_json(cls, data: dict[str, Any]) -> ExperimentPlan:
        precision = data.get("precision")
        return cls(
            kind=data["kind"],
            runs=tuple(
                RunSpec(r["label"], Scenario.model_validate(r["scenario"])) for r in data["runs"]
            ),
            seed=int(data["seed"]),
            replications=int(data["replications"]),
            call_log=bool(data["call_log"]),
            tables=tuple(data["tables"]),
            precision=PrecisionTarget(**precision) if precision else None,
            details=dict(data.get("details") or {}),
        )


def plan_differences(stored: dict[str, Any], requested: dict[str, Any]) -> list[str]:
    """Top-level plan fields that differ (for a resume that asks for something else)."""
    keys = sorted(set(stored) | set(requested))
    return [k for k in keys if stored.get(k) != requested.get(k)]
