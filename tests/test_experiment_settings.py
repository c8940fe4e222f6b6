"""Compare and sweep never silently pick a seed or a replication count (issue #10).

Common random numbers pair replication *i* of every scenario under one root seed. Scenario
files that disagree on ``seed`` or ``replications`` are refused unless the run is given them;
a sweep refuses to vary them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import sim
from sim.cli import main
from sim.errors import ExperimentError
from sim.scenario import Scenario

SCENARIO = """\
name: settings-{stem}
horizon_days: 1
replications: {replications}
seed: {seed}
shift: {{length_min: 60, break_every_min: null, break_length_min: 0}}
segments:
  small: {{companies: 100}}
team:
  - {{profile: student, count: 1}}
"""


def scenario_file(directory: Path, stem: str, seed: int = 1, replications: int = 2) -> Path:
    path = directory / f"{stem}.yaml"
    path.write_text(
        SCENARIO.format(stem=stem, seed=seed, replications=replications), encoding="utf-8"
    )
    return path


def _compare(*args: str) -> int:
    return main(["compare", *args, "--jobs", "1", "--quiet"])


@pytest.mark.parametrize(
    ("field", "option", "a_values", "b_values"),
    [
        ("seed", "--seed", {"seed": 11}, {"seed": 22}),
        ("replications", "--replications", {"replications": 2}, {"replications": 3}),
    ],
)
def test_compare_refuses_files_that_disagree_unless_told(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    field: str,
    option: str,
    a_values: dict[str, int],
    b_values: dict[str, int],
) -> None:
    a = scenario_file(tmp_path, "a", **a_values)
    b = scenario_file(tmp_path, "b", **b_values)
    out = tmp_path / "cmp"
    assert _compare(str(a), str(b), "--out", str(out)) == 2
    message = capsys.readouterr().err
    assert f"{a} has {field}: {a_values[field]}" in message
    assert f"{b} has {field}: {b_values[field]}" in message
    assert option in message and "Traceback" not in message
    assert not out.exists()
    with pytest.raises(ExperimentError, match=f"differ in {field}"):
        sim.compare([a, b])
    # Given explicitly, every scenario runs with that value.
    given = {"seed": 5, "replications": 1}
    comparison = sim.compare([a, b], **{field: given[field]})
    assert getattr(comparison, field) == given[field]


def test_compare_takes_the_files_value_when_they_agree(tmp_path: Path) -> None:
    a = scenario_file(tmp_path, "a", seed=9, replications=2)
    b = scenario_file(tmp_path, "b", seed=9, replications=2)
    comparison = sim.compare([a, b])
    assert (comparison.seed, comparison.replications) == (9, 2)


def test_the_api_refuses_scenario_objects_that_disagree(tmp_path: Path) -> None:
    a = sim.load_scenario(scenario_file(tmp_path, "a", seed=1))
    b = Scenario.model_validate({**a.model_dump(mode="json"), "name": "other", "seed": 2})
    with pytest.raises(ExperimentError, match=r"scenario 'other' has seed: 2"):
        sim.compare([a, b], replications=1)
    assert sim.compare([a, b], replications=1, seed=3).seed == 3


@pytest.mark.parametrize("path", ["seed", "replications"])
def test_sweep_refuses_to_vary_the_seed_or_replications(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], path: str
) -> None:
    base = scenario_file(tmp_path, "base")
    out = tmp_path / "sweep"
    code = main(["sweep", str(base), "--vary", f"{path}=1,2", "--quiet", "--out", str(out)])
    assert code == 2
    message = capsys.readouterr().err
    assert f"--vary {path}" in message and f"--{path} N" in message
    assert not out.exists()
    with pytest.raises(ExperimentError, match="cannot vary seed or replications"):
        sim.sweep(base, {path: [1, 2]})
