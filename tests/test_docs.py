"""The generated scenario reference is committed and in sync with the schema."""

import tomllib
from pathlib import Path

from sim.scenario.reference import markdown_reference

ROOT = Path(__file__).resolve().parent.parent


def test_scenario_reference_matches_the_schema() -> None:
    committed = (ROOT / "docs" / "scenario-reference.md").read_text()
    assert committed == markdown_reference() + "\n", (
        "docs/scenario-reference.md is stale: regenerate it with "
        "`callsim schema --markdown > docs/scenario-reference.md`"
    )


def test_scenario_reference_documents_every_preset_and_distribution_kind() -> None:
    text = markdown_reference()
    for name in ("small", "medium", "large", "student", "experienced"):
        assert f"preset `{name}`" in text
    for kind in ("constant", "exponential", "lognormal", "gamma", "uniform", "empirical"):
        assert f"kind: {kind}" in text


def test_the_notebook_extra_installs_jupyterlab_and_the_readme_says_how_to_open_them() -> None:
    # Issue #10: the notebook extra installed a kernel but no Jupyter front end.
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    assert any(req.replace(" ", "").startswith("jupyterlab>=4") for req in extras["notebook"])
    readme = (ROOT / "README.md").read_text()
    assert 'pip install -e ".[notebook]"' in readme and "jupyter lab notebooks/" in readme
