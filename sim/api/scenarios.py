"""Loading the scenarios of an experiment and giving each a unique label."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from sim.errors import ArgumentTypeError, ExperimentError
from sim.scenario import Scenario
from sim.scenario.io import as_scenario

ScenarioLike = Scenario | str | os.PathLike[str]


def unique_labels(names: Sequence[str]) -> list[str]:
    """``names`` made unique by suffixing repeats: ``a, a`` -> ``a, a-2``."""
    seen: dict[str, int] = {}
    labels = []
    for name in names:
        label, k = name, seen.get(name, 0)
        while label in labels:
            k += 1
            label = f"{name}-{k + 1}"
        seen[name] = k
        labels.append(label)
    return labels


def load_all(
    scenarios: Sequence[ScenarioLike], overrides: Sequence[str] = ()
) -> list[tuple[str, Scenario]]:
    """Each scenario with its label: the file stem for a path, the name for a Scenario.

    ``overrides`` (``path=value``) apply to every file. Raises :class:`ScenarioError`.
    """
    single = isinstance(scenarios, str | os.PathLike | Scenario)
    if single or not isinstance(scenarios, Sequence):
        raise ArgumentTypeError(
            "scenarios must be a list of Scenario objects or scenario file paths, "
            f"not {'a single ' if single else ''}{type(scenarios).__name__}"
        )
    loaded = []
    for item in scenarios:
        scenario = as_scenario(item, overrides)
        loaded.append((item.name if isinstance(item, Scenario) else Path(item).stem, scenario))
    labels = unique_labels([name for name, _ in loaded])
    return [(label, scenario) for label, (_, scenario) in zip(labels, loaded, strict=True)]


def shared_setting(
    scenarios: Sequence[ScenarioLike],
    loaded: Sequence[Scenario],
    field: str,
    given: int | None,
    option: str,
) -> int:
    """The ``seed`` or ``replications`` every scenario of a comparison runs with.

    ``given`` (the run's ``--seed``/``--replications``, or the keyword in Python) wins;
    otherwise the files must agree, because common random numbers pair replication *i* of
    every scenario under one root seed. Files that disagree raise :class:`ExperimentError`
    naming each file with its value and how to settle it, rather than silently taking the
    first file's value.
    """
    if given is not None:
        return given
    values = [int(getattr(scenario, field)) for scenario in loaded]
    if len(set(values)) == 1:
        return values[0]
    names = [
        f"scenario {item.name!r}" if isinstance(item, Scenario) else str(item) for item in scenarios
    ]
    listed = ", ".join(
        f"{name} has {field}: {value}" for name, value in zip(names, values, strict=True)
    )
    raise ExperimentError(
        f"the scenarios differ in {field} ({listed}); a comparison runs every scenario with "
        f"the same {field} so that its replications pair up under common random numbers. "
        f"Give it explicitly ({option} N on the command line, {field}=N in Python) or write "
        f"the same {field} in every file"
    )
