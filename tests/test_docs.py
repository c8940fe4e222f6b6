"""Docs stay true: the generated scenario reference, the notebook extra, the notebooks."""

import json
import re
import tomllib
from pathlib import Path

import pytest

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


def test_the_readme_glossary_is_the_one_the_report_uses() -> None:
    from sim.presentation.glossary import GLOSSARY, glossary_markdown

    readme = (ROOT / "README.md").read_text()
    assert "## Glossary" in readme
    assert glossary_markdown() in readme, (
        "README glossary differs from sim/presentation/glossary.py"
    )
    terms = [term for term, _ in GLOSSARY]
    assert {"dial", "call", "connect", "DM contact", "need", "meeting"} <= set(terms)
    assert {"operator-day", "team-day"} <= set(terms)


NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _cells(notebook: Path, kind: str) -> list[str]:
    cells = json.loads(notebook.read_text())["cells"]
    return ["".join(cell["source"]) for cell in cells if cell["cell_type"] == kind]


def test_the_readme_links_every_notebook_and_only_existing_ones() -> None:
    readme = (ROOT / "README.md").read_text()
    linked = set(re.findall(r"\]\((notebooks/[^)#]+\.ipynb)\)", readme))
    assert {f"notebooks/{path.name}" for path in NOTEBOOKS} == linked


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.name)
def test_each_notebook_answers_from_the_command_lines_files(notebook: Path) -> None:
    # Issue #10: answers come from what `callsim` writes, not from the library run in-process
    # (where hand arithmetic crept in: notebook 04 multiplied by headcount), and carry no
    # outputs that could go stale.
    code = "\n".join(_cells(notebook, "code"))
    assert '[sys.executable, "-m", "sim"' in code
    assert not re.search(r"^\s*(import sim\b|from sim\b)", code, re.MULTILINE)
    assert re.search(r"read_csv\(|read_parquet\(", code)
    cells = json.loads(notebook.read_text())["cells"]
    assert all(not cell.get("outputs") for cell in cells if cell["cell_type"] == "code")
