"""Comparing scenarios under common random numbers: ``callsim compare`` and ``sim.compare``.

Every scenario runs replications ``0 .. n-1`` with the same root seed, so the same companies
carry the same latent answers in every scenario (see :mod:`sim.model.streams`) and replication
``i`` of each scenario forms a pair. Per metric and profile the comparison reports each
scenario's mean with a 95% interval and the paired difference against the first scenario
(the baseline) with its interval and the CRN variance ratio
(:mod:`sim.analysis.statistics`); ratio metrics are ratios of totals with delta-method
intervals (:mod:`sim.analysis.estimator`).

A comparison folder (``out``) holds what :mod:`sim.storage.experiments` writes:
``comparison.csv``, ``observations.parquet``, ``manifest.json`` (``"kind": "compare"``) and one
run folder per scenario in ``runs/<label>/``; the command line adds ``comparison.png``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sim.analysis.comparison import COMPARISON_COLUMNS, HEADLINE_METRICS, Comparison
from sim.analysis.observations import observations
from sim.analysis.results import Results, row_groups
from sim.api.pipeline import ExperimentOptions, Store, collect_run, run_experiment
from sim.api.scenarios import ScenarioLike, load_all, shared_setting
from sim.errors import ExperimentError
from sim.execution.engine import ExecutionReport
from sim.execution.plan import ExperimentPlan, RunSpec
from sim.storage.experiments import run_warnings, write_comparison_files


def compare(
    scenarios: Sequence[ScenarioLike] = (),
    *,
    replications: int | None = None,
    seed: int | None = None,
    jobs: int = 1,
    scheduler: str | None = None,
    out: str | Path | None = None,
    resume: bool | str | Path = False,
    force: bool = False,
    precision: float | None = None,
    metric: str | None = None,
    max_replications: int | None = None,
    progress: bool = False,
    overrides: Sequence[str] = (),
    call_log: bool = False,
    options: ExperimentOptions | None = None,
) -> Comparison:
    """Run ``scenarios`` (files or :class:`Scenario` objects) with common random numbers.

    The first scenario is the baseline. ``replications`` and ``seed`` default to the
    scenarios' own, which must then agree (:class:`ExperimentError` naming the files
    otherwise): every scenario runs the same replications under one root seed. Execution
    options (``jobs``, ``scheduler``, ``out``, ``resume``,
    ``precision``/``metric``/``max_replications``) are those of :func:`sim.run`; with a
    precision target every scenario gets the same number of replications (they stay paired)
    and the target must hold in each. With ``out`` the comparison folder is written there.
    """
    options = ExperimentOptions.given(
        options,
        jobs=jobs,
        scheduler=scheduler,
        out=out,
        resume=resume,
        force=force,
        progress=progress,
        precision=precision,
        metric=metric,
        max_replications=max_replications,
    )
    if not scenarios:
        plan = options.stored_plan("compare", "compare needs at least two scenarios")
    else:
        runs = load_all(scenarios, overrides)
        if len(runs) < 2:
            raise ExperimentError("compare needs at least two scenarios")
        loaded = [scenario for _, scenario in runs]
        plan = ExperimentPlan(
            kind="compare",
            runs=tuple(RunSpec(label, s) for label, s in runs),
            seed=shared_setting(scenarios, loaded, "seed", seed, "--seed"),
            replications=shared_setting(
                scenarios, loaded, "replications", replications, "--replications"
            ),
            call_log=call_log,
            precision=options.target(),
        )

    def collect(store: Store, report: ExecutionReport, staging: Path | None) -> Comparison:
        return _collect(plan, store, report, staging)

    return run_experiment(plan, options, collect)


def _collect(
    plan: ExperimentPlan, store: Store, report: ExecutionReport, staging: Path | None
) -> Comparison:
    """The comparison; with ``staging``, its files and one run folder per scenario there."""
    n = report.replications
    profiles = row_groups([run.scenario for run in plan.runs])
    results, obs, warnings = {}, {}, {}
    for label in plan.labels:
        folder = None
        if staging is not None:
            folder = staging / "runs" / label
            folder.mkdir(parents=True)
        run = collect_run(store, plan, label, report, folder)
        obs[label] = observations(run.operator_days, profiles, n, run.scenario)
        warnings.update(run_warnings({label: run}))  # while the run's tables are at hand
        # A written run is opened again from its folder; keep no table in memory meanwhile.
        results[label] = (
            run if staging is None else Results(run.scenario, run.seed, n, None, None, None)
        )
        del run
    comparison = Comparison(
        plan.labels, results, obs, plan.seed, n, report.wall_time_s, report.precision
    )
    if staging is not None:
        write_comparison_files(comparison, staging, warnings)
    return comparison


__all__ = ["COMPARISON_COLUMNS", "HEADLINE_METRICS", "Comparison", "compare"]
