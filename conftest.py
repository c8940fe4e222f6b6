"""Test-run settings for the notebooks, which nbmake collects from ``notebooks/``.

Every notebook runs the command line end to end (under a minute each), so each is marked ``slow``:
``pytest -m "not slow"`` leaves them out. ``addopts`` in pyproject.toml passes ``--nbmake``;
without nbmake (or without ipykernel, which runs the notebooks) they are skipped, with the
reason, instead of stopping the whole run.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest

NOTEBOOK_SUFFIX = ".ipynb"
NO_NBMAKE = "nbmake is not installed: pip install -e '.[test]' to run the notebooks"
NO_KERNEL = "ipykernel is not installed: pip install -e '.[test]' to run the notebooks"


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    """Keep the ``--nbmake`` of addopts valid when the plugin is absent (or ``-p no:nbmake``)."""
    if not pluginmanager.has_plugin("nbmake"):
        parser.addoption("--nbmake", action="store_true", help=f"ignored: {NO_NBMAKE}")


class SkippedNotebook(pytest.Item):
    """A notebook that cannot be run here; it reports a skip."""

    def runtest(self) -> None:
        pytest.skip(NO_NBMAKE)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, self.name


class NotebookWithoutNbmake(pytest.File):
    """A notebook file collected without nbmake: one skipped item."""

    def collect(self) -> Iterator[SkippedNotebook]:
        item = SkippedNotebook.from_parent(self, name=self.path.name)
        item.add_marker(pytest.mark.skip(reason=NO_NBMAKE))
        yield item


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """Collect notebooks as skipped items when ``--nbmake`` is asked for but nbmake is absent."""
    config = parent.config
    if (
        file_path.suffix == NOTEBOOK_SUFFIX
        and config.getoption("--nbmake", False)
        and not config.pluginmanager.has_plugin("nbmake")
    ):
        return NotebookWithoutNbmake.from_parent(parent, path=file_path)
    return None


@pytest.hookimpl(tryfirst=True)  # before -m "not slow" deselects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every notebook ``slow``; skip them all if there is no kernel to run them."""
    no_kernel = importlib.util.find_spec("ipykernel") is None
    for item in items:
        if item.path.suffix == NOTEBOOK_SUFFIX:
            item.add_marker(pytest.mark.slow)
            if no_kernel:
                item.add_marker(pytest.mark.skip(reason=NO_KERNEL))
