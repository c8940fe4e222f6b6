"""Loading the scenarios of an experiment and giving each a unique label."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

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
    if isinstance(scenarios, str | os.PathLike | Scenario):
        raise TypeError(
            "scenarios must be a list of Scenario objects or scenario file paths, "
            f"not a single {type(scenarios).__name__}"
        )
    loaded = []
    for item in scenarios:
        scenario = as_scenario(item, overrides)
        loaded.append((item.name if isinstance(item, Scenario) else Path(item).stem, scenario))
    labels = unique_labels([name for name, _ in loaded])
    return [(label, scenario) for label, (_, scenario) in zip(labels, loaded, strict=True)]
