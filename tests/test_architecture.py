"""The package's architecture holds: layers without cycles, one registry of KPIs and outcomes.

The layer contract itself (which layer may import which) is ``[tool.importlinter]`` in
``pyproject.toml``, checked here and by ``.ci/run``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import sim
from sim.model.outcomes import FUNNEL_BY_OUTCOME, OUTCOME_TABLE, Outcome
from sim.records.kpis import (
    COUNT_COLUMNS,
    KPIS,
    PER_DAY_METRICS,
    RATIO_METRICS,
    RUN_HEADLINES,
    metric_label,
)
from sim.records.quota import QUOTA_UNITS
from tests.builders import build, constant_scenario

ROOT = Path(__file__).resolve().parent.parent


def _import_graph():  # type: ignore[no-untyped-def]
    grimp = pytest.importorskip("grimp")
    return grimp.build_graph("sim", include_external_packages=False)


def import_cycles(edges: dict[str, list[str]]) -> list[list[str]]:
    """The strongly connected components of two or more modules (Tarjan's algorithm)."""
    counter, stack, on_stack = [0], [], set()
    low: dict[str, int] = {}
    order: dict[str, int] = {}
    cycles = []

    def visit(v: str) -> None:
        order[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in order:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], order[w])
        if low[v] == order[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(edges):
        if module not in order:
            visit(module)
    return cycles


def test_the_cycle_finder_finds_cycles() -> None:
    edges = {"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"], "e": []}
    assert import_cycles(edges) == [["a", "b", "c"]]
    assert import_cycles({"a": ["b"], "b": []}) == []


def test_no_module_of_the_package_is_part_of_an_import_cycle() -> None:
    # Function-local imports count too: no import may be deferred to dodge a cycle.
    graph = _import_graph()
    modules = sorted(m for m in graph.modules if m != "sim")
    edges = {
        m: sorted(n for n in graph.find_modules_directly_imported_by(m) if n in modules)
        for m in modules
    }
    assert import_cycles(edges) == []


def test_the_layer_contract_is_kept() -> None:
    pytest.importorskip("importlinter")
    from importlinter.cli import lint_imports

    assert lint_imports(config_filename=str(ROOT / "pyproject.toml")) == 0


def test_no_module_below_the_package_imports_its_root() -> None:
    # `import sim` runs the public API; a layer importing it would depend on every layer.
    graph = _import_graph()
    importers = graph.find_modules_that_directly_import("sim")
    assert {m for m in importers if not m.startswith("sim.cli")} == set()


def test_every_kpi_is_a_column_or_a_ratio_of_columns_of_the_operator_day_table() -> None:
    results = sim.run(build(constant_scenario(horizon_days=1)), replications=1, seed=1)
    columns = set(results.operator_days.columns)
    assert set(PER_DAY_METRICS) <= columns
    for numerator, denominator, _ in RATIO_METRICS.values():
        assert {numerator, denominator} <= columns
    summary = results.summary()
    assert list(dict.fromkeys(summary["metric"])) == [k.name for k in KPIS]


def test_kpi_names_are_unique_and_every_kpi_has_words_and_a_unit() -> None:
    names = [k.name for k in KPIS]
    assert len(names) == len(set(names))
    for k in KPIS:
        assert k.label and k.unit and metric_label(k.name) == k.label
        assert (k.kind == "ratio") == (k.numerator is not None)
        k.fmt.format(1.5)
    assert all(k.headline for k in RUN_HEADLINES)


def test_every_quota_unit_and_funnel_count_is_a_recorded_count_kpi() -> None:
    assert set(QUOTA_UNITS) <= set(COUNT_COLUMNS)
    assert set(FUNNEL_BY_OUTCOME) <= set(COUNT_COLUMNS)


def test_the_outcome_table_has_one_consistent_row_per_outcome() -> None:
    assert [spec.outcome for spec in OUTCOME_TABLE] == list(Outcome)
    for spec in OUTCOME_TABLE:
        assert not spec.dm_contact or spec.learns_dm, "a DM conversation makes the DM known"
        assert not spec.learns_dm or spec.answered
        assert not spec.meeting or spec.need == "immediate"
        assert (spec.closes_to is not None) == (spec.retry == "close")
        assert (spec.retry_field is None) == (spec.retry == "close")
