"""Parameter sweeps: ``callsim sweep`` and ``sim.sweep``.

The base scenario is run at every point of a design (:mod:`.designs`), each point being the
base with ``path=value`` overrides, all with the same root seed and replication numbers
(common random numbers across points, so neighbouring points differ by the parameter, not by
luck). Per point, metric and profile the sweep reports the mean with its 95% interval
(Student t; ratio metrics by the delta method, see :mod:`.observations`).

A saved sweep folder holds ``sweep.csv`` (columns ``point``, one per varied path, ``metric,
profile, mean, ci_low, ci_high, replications``), ``manifest.json`` (``"kind": "sweep"``,
``"varied": [paths]``), ``sweep_heatmap.png`` when exactly two paths vary (else
``sweep_lines.png``), and ``runs/<point>/`` run folders only when runs are kept.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from sim.errors import ExperimentError, ScenarioError
from sim.execution.collect import collect_in_memory, consolidate_run
from sim.execution.engine import ExecutionReport
from sim.execution.plan import RUN_TABLES, ExperimentPlan, RunSpec
from sim.execution.precision import PrecisionTarget
from sim.execution.session import output_folder, run_plan, stored_plan
from sim.execution.store import DiskStore, MemoryStore
from sim.experiments.designs import Factor, design_points, parse_vary
from sim.experiments.observations import QUOTA_NORM_METRICS, observations
from sim.experiments.scenarios import team_profiles
from sim.experiments.statistics import interval_of, mean_rows
from sim.outputs import write_dir_atomically, write_runs
from sim.results import ALL_PROFILES, Results, manifest_json
from sim.scenario import Scenario
from sim.scenario.io import as_scenario, load_scenario, scenario_from_mapping
from sim.stats import Interval

SWEEP_VALUE_COLUMNS = ["metric", "profile", "mean", "ci_low", "ci_high", "replications"]


class Sweep:
    """A sweep's points and per-replication observations (see module docstring)."""

    def __init__(
        self,
        base_name: str,
        varied: list[str],
        points: list[dict[str, Any]],
        labels: list[str],
        scenarios: dict[str, Scenario],
        obs: dict[str, pd.DataFrame],
        seed: int,
        replications: int,
        design: str = "grid",
        wall_time_s: float = 0.0,
        precision: dict[str, Any] | None = None,
        results: dict[str, Results] | None = None,
    ) -> None:
        self.base_name = base_name
        self.varied = varied
        self.point_values = points
        self.labels = labels
        self.scenarios = scenarios
        self.observations = obs
        self.seed = seed
        self.replications = replications
        self.design = design
        self.wall_time_s = wall_time_s
        self.precision = precision
        self.results = results or {}
        self.directory: Path | None = None

    def __repr__(self) -> str:
        return (
            f"Sweep({self.base_name}: {len(self.labels)} points over "
            f"{', '.join(self.varied)}; {self.replications} replications)"
        )

    @property
    def points(self) -> pd.DataFrame:
        """One row per point: ``point`` and the value of each varied path."""
        return pd.DataFrame([{"point": i, **values} for i, values in enumerate(self.point_values)])

    def to_frame(self, level: float = 0.95) -> pd.DataFrame:
        """The tidy sweep table (``sweep.csv``): one row per point, metric and profile."""
        frames = []
        for i, label in enumerate(self.labels):
            table = mean_rows(self.observations[label], level)
            present = set(team_profiles([self.scenarios[label]])) | {ALL_PROFILES}
            keep = table["profile"].isin(present) & ~(
                table["metric"].isin(QUOTA_NORM_METRICS) & (table["replications"] == 0)
            )
            table = table[keep]
            for j, path in enumerate(self.varied):
                table.insert(j, path, [self.point_values[i][path]] * len(table))
            table.insert(0, "point", i)
            frames.append(table)
        out = pd.concat(frames, ignore_index=True)
        out["replications"] = out["replications"].astype(int)
        return out[["point", *self.varied, *SWEEP_VALUE_COLUMNS]]

    def summary(
        self,
        metrics: Sequence[str] = ("meetings", "cost_per_meeting"),
        profile: str = ALL_PROFILES,
        level: float = 0.95,
    ) -> pd.DataFrame:
        """Means of ``metrics`` for one profile, one row per point, one column per metric."""
        frame = self.to_frame(level)
        frame = frame[frame["metric"].isin(metrics) & (frame["profile"] == profile)]
        wide = frame.pivot_table(
            index=["point", *self.varied], columns="metric", values="mean", sort=False
        )
        return wide.reset_index()[["point", *self.varied, *metrics]]

    def confidence_interval(
        self, metric: str, level: float = 0.95, point: int = 0, profile: str | None = None
    ) -> Interval:
        """Interval of ``metric``'s mean at ``point``."""
        return interval_of(
            self.observations[self.labels[point]], metric, profile or ALL_PROFILES, level
        )

    def manifest(self) -> dict[str, Any]:
        """What produced the sweep (``"kind": "sweep"``)."""
        from sim import __version__

        return {
            "tool": "callsim",
            "kind": "sweep",
            "version": __version__,
            "base_scenario": self.base_name,
            "varied": self.varied,
            "design": self.design,
            "points": len(self.labels),
            "seed": self.seed,
            "replications": self.replications,
            "common_random_numbers": True,
            "wall_time_s": round(self.wall_time_s, 3),
            "runs_kept": bool(self.results),
            **({"precision": self.precision} if self.precision else {}),
        }

    def save(self, directory: str | Path, force: bool = False) -> Path:
        """Write the sweep folder atomically (run folders too if the runs were kept)."""

        def write(staging: Path) -> None:
            write_runs(self.results, staging)
            write_sweep_files(self, staging)

        self.directory = Path(directory)
        write_dir_atomically(self.directory, write, force)
        return self.directory


def write_sweep_files(sweep: Sweep, folder: Path) -> None:
    """``sweep.csv``, the chart and ``manifest.json`` into ``folder``."""
    from sim.plots.experiment_charts import save_sweep_chart

    table = sweep.to_frame()
    table.to_csv(folder / "sweep.csv", index=False, float_format="%.6g")
    chart = "sweep_heatmap.png" if len(sweep.varied) == 2 else "sweep_lines.png"
    save_sweep_chart(table, folder / chart)
    (folder / "manifest.json").write_text(manifest_json(sweep.manifest()))


def point_scenarios(
    base: Scenario | str | os.PathLike[str],
    points: list[dict[str, Any]],
    overrides: Sequence[str] = (),
) -> list[Scenario]:
    """The base scenario with each point's ``path=value`` overrides, validated.

    An unknown or invalid path raises :class:`sim.errors.ScenarioError` naming it.
    """
    scenarios = []
    for point in points:
        sets = [*overrides, *(f"{path}={json.dumps(value)}" for path, value in point.items())]
        try:
            if isinstance(base, Scenario):
                scenarios.append(
                    scenario_from_mapping(
                        base.model_dump(mode="json"), overrides=sets, file=base.name
                    )
                )
            else:
                scenarios.append(load_scenario(base, sets))
        except ScenarioError as error:
            raise _blame_vary(error, list(point)) from None
    return scenarios


def _blame_vary(error: ScenarioError, varied: list[str]) -> ScenarioError:
    """Say ``--vary`` rather than ``--set`` for problems in a varied path."""
    problems = []
    for problem in error.problems:
        if any(
            problem.path == p
            or problem.path.startswith(p + ".")
            or p.startswith(problem.path + ".")
            for p in varied
        ):
            problem = dataclasses.replace(
                problem, message=problem.message.replace("(set by --set)", "(set by --vary)")
            )
        problems.append(problem)
    return ScenarioError(error.file, problems)


def sweep(
    base: Scenario | str | os.PathLike[str] | None = None,
    vary: str | Sequence[str] | dict[str, Sequence[Any]] = (),
    *,
    design: str = "grid",
    points: int | None = None,
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
    keep_runs: bool = False,
) -> Sweep:
    """Run ``base`` at every point of a design with common random numbers.

    ``vary`` is one ``--vary`` text or a list of them (``"team.0.count=4,6,8"``, ``"x=lo:hi"``)
    or a dict
    ``{path: [values]}`` (grid) / ``{path: (lo, hi)}`` with ``design="lhs"``. Execution options
    are those of :func:`sim.run`. ``keep_runs`` keeps every point's full tables (run folders
    in ``runs/<point>/``); otherwise only the operator-day tables are simulated and kept.
    """
    directory = output_folder(out, resume)
    if base is None:
        if not resume or directory is None:
            raise ExperimentError("sweep needs a base scenario")
        plan = stored_plan(directory, "sweep")
    else:
        factors = _factors(vary)
        base_scenario = as_scenario(base, overrides)
        root = base_scenario.seed if seed is None else seed
        design_values = design_points(factors, design, points, root)
        scenarios = point_scenarios(base, design_values, overrides)
        width = max(3, len(str(len(scenarios) - 1)))
        plan = ExperimentPlan(
            kind="sweep",
            runs=tuple(RunSpec(f"p{i:0{width}d}", s) for i, s in enumerate(scenarios)),
            seed=root,
            replications=base_scenario.replications if replications is None else replications,
            tables=RUN_TABLES if keep_runs else ("operator_days",),
            precision=PrecisionTarget.parse(precision, metric, max_replications),
            details={
                "base_scenario": base_scenario.name,
                "design": design,
                "varied": [f.path for f in factors],
                "points": design_values,
            },
        )

    def finish(store: MemoryStore | DiskStore, report: ExecutionReport) -> Sweep:
        return _finish(plan, store, report, directory)

    return run_plan(plan, finish, directory, bool(resume), force, jobs, scheduler, progress)


def _factors(vary: str | Sequence[str] | dict[str, Sequence[Any]]) -> list[Factor]:
    if isinstance(vary, dict):
        factors = []
        for path, spec in vary.items():
            if (
                isinstance(spec, tuple)
                and len(spec) == 2
                and all(isinstance(v, int | float) for v in spec)
            ):
                factors.append(
                    Factor(
                        path,
                        low=float(spec[0]),
                        high=float(spec[1]),
                        whole=all(isinstance(v, int) for v in spec),
                    )
                )
            elif isinstance(spec, str) or not isinstance(spec, Sequence) or not spec:
                raise ExperimentError(
                    f"vary {path!r}: give a non-empty list of values or a "
                    f"(low, high) tuple, not {spec!r}"
                )
            else:
                factors.append(Factor(path, values=tuple(spec)))
        if not factors:
            raise ExperimentError("a sweep needs at least one varied path")
        return factors
    return parse_vary([vary] if isinstance(vary, str) else list(vary))


def _finish(
    plan: ExperimentPlan,
    store: MemoryStore | DiskStore,
    report: ExecutionReport,
    directory: Path | None,
) -> Sweep:
    n = report.replications
    details = plan.details
    scenarios = {run.label: run.scenario for run in plan.runs}
    profiles = team_profiles(list(scenarios.values()))
    keep = "leads" in plan.tables
    extra = {"precision": report.precision} if report.precision else None

    def collect(staging: Path | None) -> Sweep:
        obs: dict[str, pd.DataFrame] = {}
        kept: dict[str, Results] = {}
        for label in plan.labels:
            if keep and staging is not None:
                folder = staging / "runs" / label
                folder.mkdir(parents=True)
                days = consolidate_run(store, plan, label, report, folder, extra).operator_days
            elif keep:
                kept[label] = collect_in_memory(store, plan, label, report, extra)
                days = kept[label].operator_days
            else:
                days = pd.concat(list(store.frames(label, "operator_days", n)), ignore_index=True)
            obs[label] = observations(days, profiles, n)
            del days
        result = Sweep(
            details["base_scenario"],
            list(details["varied"]),
            list(details["points"]),
            plan.labels,
            scenarios,
            obs,
            plan.seed,
            n,
            details["design"],
            report.wall_time_s,
            report.precision,
            kept,
        )
        if staging is not None:
            if keep:  # placeholders until the run folders are in place
                result.results = {
                    label: Results(scenarios[label], plan.seed, n, None, None, None)
                    for label in plan.labels
                }
            write_sweep_files(result, staging)
        return result

    if directory is None:
        return collect(None)
    # The folder was checked (and --force honoured) before the run started.
    result = write_dir_atomically(directory, collect, force=True)
    if keep:
        result.results = {label: Results.load(directory / "runs" / label) for label in plan.labels}
    result.directory = directory
    return result
