"""Break-even between two scenarios: ``sim.break_even`` and ``callsim compare --break-even``.

The varied parameter is applied to **A only** (the first scenario); B stays as written, even if
it has the same field. The search (:mod:`sim.analysis.break_even`) evaluates A at values of the
parameter, each evaluation running the same replications with the same root seed as B
(common random numbers), and returns the value at which A's metric equals B's with its
bootstrap confidence interval. Everything runs in memory; ``callsim compare`` writes the
result into the comparison folder (:func:`sim.storage.break_even.write_break_even`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from sim.analysis.break_even import BreakEven, find_break_even, grid_values
from sim.analysis.target import parse_target
from sim.api.designs import parse_vary
from sim.api.pipeline import ExperimentOptions
from sim.api.points import check_range, run_points
from sim.api.scenarios import ScenarioLike, load_all, shared_setting
from sim.api.sweep import point_scenarios
from sim.errors import ExperimentError
from sim.execution.limits import MAX_RUNS, check_count
from sim.scenario import Scenario
from sim.scenario.arguments import require_count, require_real


def check_break_even(
    a: ScenarioLike,
    b: ScenarioLike,
    vary: str,
    metric: str,
    *,
    points: int = 5,
    xtol: float | None = None,
    overrides: Sequence[str] = (),
) -> None:
    """Every check :func:`break_even` makes before simulating, without simulating.

    ``callsim compare --break-even`` calls it before the comparison runs, so a path the
    scenario does not have, a bad range or an unknown metric stops at once (exit 2) rather
    than after the comparison's replications. Raises what :func:`break_even` would.
    """
    (_, scenario_a), (_, scenario_b) = load_all([a, b], overrides)
    (factor,) = parse_vary([vary])
    low, high = check_range(factor.path, factor.low, factor.high)
    grid = _grid(vary, low, high, points, factor.integer)
    _check_xtol(xtol)
    ends = [{factor.path: _typed(v, factor.integer)} for v in (grid[0], grid[-1])]
    parse_target(metric, [scenario_b, *point_scenarios(scenario_a, ends)])


def resumed_pair(resume: str | Path) -> tuple[Scenario, Scenario]:
    """The two scenarios of the unfinished comparison ``resume`` names, named by their labels.

    ``callsim compare --resume DIR --break-even ...`` checks the break-even on them
    (:func:`check_break_even`) before the comparison is completed. Raises
    :class:`~sim.errors.ExperimentError` when there is nothing to resume or the comparison
    does not hold exactly two scenarios.
    """
    plan = ExperimentOptions(resume=resume).stored_plan("compare", "nothing to resume")
    if len(plan.runs) != 2:
        raise ExperimentError(
            f"--break-even compares exactly two scenarios; the unfinished comparison in "
            f"{resume} has {len(plan.runs)}"
        )
    first, second = (run.scenario.model_copy(update={"name": run.label}) for run in plan.runs)
    return first, second


def break_even(
    a: ScenarioLike,
    b: ScenarioLike,
    vary: str,
    metric: str,
    *,
    points: int = 5,
    xtol: float | None = None,
    replications: int | None = None,
    seed: int | None = None,
    jobs: int = 1,
    scheduler: str | None = None,
    progress: bool = False,
    overrides: Sequence[str] = (),
    level: float = 0.95,
) -> BreakEven:
    """The value of ``vary``'s parameter of ``a`` at which ``a`` and ``b`` are equal on ``metric``.

    ``vary`` is ``"path=lo:hi"`` (a path of ``a``), ``metric`` is ``"M[:GROUP]"`` (the group
    defaults as in ``compare``: ``team`` when the headcounts differ, else ``all``).
    ``points`` is the bracketing grid (whole-number ranges use every whole number), ``xtol``
    the precision Brent's method refines to (default 1% of the range). ``replications`` and
    ``seed`` default to the files' own, which must then agree (as in ``compare``: files that
    differ are refused rather than one file's value taken); ``overrides`` apply to both
    files. Raises :class:`~sim.errors.ExperimentError` or :class:`~sim.errors.ScenarioError`
    on bad input.
    """
    require_real(level, "level", 0.0, 1.0)
    (label_a, scenario_a), (label_b, scenario_b) = load_all([a, b], overrides)
    (factor,) = parse_vary([vary])
    low, high = check_range(factor.path, factor.low, factor.high)
    grid = _grid(vary, low, high, points, factor.integer)
    _check_xtol(xtol)
    root = shared_setting([a, b], [scenario_a, scenario_b], "seed", seed, "--seed")
    n = shared_setting(
        [a, b], [scenario_a, scenario_b], "replications", replications, "--replications"
    )
    options = ExperimentOptions(jobs=jobs, scheduler=scheduler, progress=progress)
    at_grid = point_scenarios(scenario_a, [{factor.path: _typed(v, factor.integer)} for v in grid])
    target = parse_target(metric, [scenario_b, *at_grid])

    def label(value: float) -> str:
        return f"{label_a}@{value:.6g}"

    # The grid and B in one parallel batch; later evaluations one value at a time.
    first = run_points(
        [*((label(v), s) for v, s in zip(grid, at_grid, strict=True)), (label_b, scenario_b)],
        target,
        root,
        n,
        options,
    )
    cache = {float(v): first[label(v)].to_numpy() for v in grid}

    def evaluate(values: Sequence[float]) -> list[np.ndarray]:
        todo = [float(v) for v in values if float(v) not in cache]
        if todo:
            scenarios = point_scenarios(
                scenario_a, [{factor.path: _typed(v, factor.integer)} for v in todo]
            )
            table = run_points(
                [(label(v), s) for v, s in zip(todo, scenarios, strict=True)],
                target,
                root,
                n,
                options,
            )
            cache.update({v: table[label(v)].to_numpy() for v in todo})
        return [cache[float(v)] for v in values]

    return find_break_even(
        evaluate,
        first[label_b].to_numpy(),
        path=factor.path,
        low=low,
        high=high,
        scenario=label_a,
        against=label_b,
        target=target,
        points=points,
        whole=factor.integer,
        xtol=xtol,
        level=level,
        seed=root,
    )


def _grid(vary: str, low: float, high: float, points: int, whole: bool) -> np.ndarray:
    """The bracketing grid, its size checked before it is built (at most ``MAX_RUNS`` - 1).

    A whole-number range uses every whole number in it, so ``seed=0:9e18`` or
    ``team.0.count=1:10000`` would be a grid of billions or thousands of scenarios: refused
    here, before the comparison or any grid point simulates.
    """
    points = require_count(points, "the break-even grid's points", 2)
    size = math.floor(high) - math.ceil(low) + 1 if whole else points
    if whole and size < 2:
        raise ExperimentError(f"--break-even {vary}: the range holds fewer than 2 whole numbers")
    # The grid runs in one batch with the other scenario: MAX_RUNS scenarios in all.
    check_count(size, MAX_RUNS - 1, "break-even grid points")
    return grid_values(low, high, points, whole)


def _check_xtol(xtol: float | None) -> None:
    """Brent's method needs a positive, finite width to stop at."""
    if xtol is not None:
        require_real(xtol, "--break-even-xtol", 0.0)


def _typed(value: float, whole: bool) -> int | float:
    """A grid value as the scenario field takes it: a whole number for a whole-number range."""
    return round(value) if whole else float(value)
