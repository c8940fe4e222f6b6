"""Optional test dependencies: a missing one skips the tests that need it, with the reason.

hypothesis is imported at the top of test modules that also hold many plain tests. Without it,
a stand-in ``hypothesis`` is importable while those modules are collected: its ``@given`` marks
the property-based tests as skipped, and everything else in the modules runs as usual.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from collections.abc import Callable, Generator
from typing import Any

import pytest

NO_HYPOTHESIS = (
    "hypothesis is not installed: pip install -e '.[test]' to run the property-based tests"
)


class _Strategy:
    """Stands in for any hypothesis strategy, strategy function or ``HealthCheck``."""

    def __getattr__(self, name: str) -> _Strategy:
        if name.startswith("_"):
            raise AttributeError(name)
        return self

    def __call__(self, *args: Any, **kwargs: Any) -> _Strategy:
        return self

    def __or__(self, other: object) -> _Strategy:
        return self

    __ror__ = __or__

    def __getitem__(self, key: object) -> _Strategy:
        return self


def _given(*args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Any]:
    return pytest.mark.skip(reason=NO_HYPOTHESIS)


def _settings(*args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Any]:
    return lambda test: test


def _stand_in_hypothesis() -> dict[str, types.ModuleType]:
    hypothesis = types.ModuleType("hypothesis", NO_HYPOTHESIS)
    strategies = types.ModuleType("hypothesis.strategies", NO_HYPOTHESIS)
    strategies.__getattr__ = _Strategy().__getattr__  # type: ignore[method-assign]
    hypothesis.strategies = strategies  # type: ignore[attr-defined]
    hypothesis.given = _given  # type: ignore[attr-defined]
    hypothesis.settings = _settings  # type: ignore[attr-defined]
    hypothesis.HealthCheck = _Strategy()  # type: ignore[attr-defined]
    return {"hypothesis": hypothesis, "hypothesis.strategies": strategies}


STAND_INS = {} if importlib.util.find_spec("hypothesis") else _stand_in_hypothesis()

if not STAND_INS:
    # The suite (and CI) draws the same Hypothesis examples on every run, so a result can be
    # reproduced and CI never meets an example that no local run saw. To explore new examples:
    # `python -m pytest --hypothesis-profile=explore`.
    from hypothesis import settings as _hypothesis_settings

    _hypothesis_settings.register_profile("repeatable", derandomize=True)
    _hypothesis_settings.register_profile("explore", derandomize=False)
    _hypothesis_settings.load_profile("repeatable")


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Generator[None, Any, Any]:
    # Only while a test module is imported: other code still sees that hypothesis is absent.
    if not (STAND_INS and isinstance(collector, pytest.Module)):
        return (yield)
    sys.modules.update(STAND_INS)
    try:
        return (yield)
    finally:
        for name in STAND_INS:
            sys.modules.pop(name, None)
