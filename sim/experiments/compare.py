"""Comparing scenarios under common random numbers: ``callsim compare`` and ``sim.compare``.

Every scenario runs replications ``0 .. n-1`` with the same root seed, so the same companies
carry the same latent answers in every scenario (see :mod:`sim.streams`) and replication
``i`` of each scenario forms a pair. Per metric and profile the comparison reports each
scenario's mean with a 95% interval and the paired difference against the first scenario
(the baseline) with its interval and the CRN variance ratio (:mod:`.statistics`); ratio
metrics are ratios of totals with delta-method intervals (:mod:`.observations`).

A saved comparison folder holds ``comparison.csv``, ``comparison.png`` (forest plot of the
differences), ``manifest.json`` (``"kind": "compare"``) and one run folder per scenario in
``runs/<label>/``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.errors import ExperimentError
from sim.execution.collect import collect_in_memory, consolidate_run
from sim.execution.engine import ExecutionReport
from sim.execution.plan import ExperimentPlan, RunSpec
from sim.execution.precision import PrecisionTarget
from sim.execution.session import output_folder, run_plan, stored_plan
from sim.execution.store import DiskStore, MemoryStore
from sim.experiments.observations import EXPERIMENT_METRICS, QUOTA_NORM_METRICS, observations
from sim.experiments.scenarios import ScenarioLike, load_all, team_profiles
from sim.experiments.statistics import interval_of, mean_rows, paired_rows
from sim.outputs import write_dir_atomically, write_runs
from sim.results import ALL_PROFILES, Results, manifest_json
from sim.scenario import Scenario
from sim.stats import Interval, variance_ratio

COMPARISON_COLUMNS = [
    "scenario",
    "label",
    "baseline",
    "metric",
    "profile",
    "mean",
    "ci_low",
    "ci_high",
    "replications",
    "diff_mean",
    "diff_ci_low",
    "diff_ci_high",
    "var_ratio",
]
HEADLINE_METRICS = ("dm_contacts", "needs", "meetings", "cost_per_meeting", "quota_met")
"""Metrics printed by ``callsim compare`` and drawn in the default forest plot."""


class Comparison:
    """Scenarios compared under common random numbers (see module docstring).

    ``results[label]`` are each scenario's run results; ``observations[label]`` their
    per-replication observations (index replication, columns (metric, profile)).
    """

    def __init__(
        self,
        labels: list[str],
        results: dict[str, Results],
        obs: dict[str, pd.DataFrame],
        seed: int,
        replications: int,
        wall_time_s: float = 0.0,
        precision: dict[str, Any] | None = None,
        directory: Path | None = None,
    ) -> None:
        self.labels = labels
        self.results = results
        self.scenarios: dict[str, Scenario] = {k: r.scenario for k, r in results.items()}
        self.observations = obs
        self.seed = seed
        self.replications = replications
        self.wall_time_s = wall_time_s
        self.precision = precision
        self.directory = directory

    def __repr__(self) -> str:
        return (
            f"Comparison({', '.join(self.labels)}; {self.replications} replications, "
            f"seed {self.seed})"
        )

    @property
    def baseline(self) -> str:
        """Label of the first scenario, the one differences are taken against."""
        return self.labels[0]

    def profiles(self) -> list[str]:
        """Profiles on any scenario's team, in first-seen order."""
        return team_profiles([self.scenarios[label] for label in self.labels])

    def to_frame(self, level: float = 0.95) -> pd.DataFrame:
        """The tidy comparison table (``comparison.csv``): one row per scenario, metric, profile.

        Rows only for profiles the scenario has (plus ``all``); quota norms only for profiles
        with a quota. Difference columns and ``var_ratio`` are NaN on the baseline's rows.
        """
        base = self.observations[self.baseline]
        frames = []
        for label in self.labels:
            obs = self.observations[label]
            present = set(team_profiles([self.scenarios[label]])) | {ALL_PROFILES}
            table = mean_rows(obs, level)
            if label == self.baseline:
                for column in ("diff_mean", "diff_ci_low", "diff_ci_high", "var_ratio"):
                    table[column] = np.nan
            else:
                table = table.merge(paired_rows(base, obs, level), on=["metric", "profile"])
            keep = table["profile"].isin(present) & ~(
                table["metric"].isin(QUOTA_NORM_METRICS) & (table["replications"] == 0)
            )
            table = table[keep]
            table.insert(0, "baseline", self.baseline)
            table.insert(0, "label", label)
            table.insert(0, "scenario", self.scenarios[label].name)
            frames.append(table)
        out = pd.concat(frames, ignore_index=True)[COMPARISON_COLUMNS]
        out["replications"] = out["replications"].astype(int)
        return out

    def summary(
        self,
        metrics: Sequence[str] = HEADLINE_METRICS,
        profile: str = ALL_PROFILES,
        level: float = 0.95,
    ) -> pd.DataFrame:
        """The comparison table cut down to ``metrics`` for one ``profile``."""
        frame = self.to_frame(level)
        frame = frame[frame["metric"].isin(metrics) & (frame["profile"] == profile)]
        order = {m: i for i, m in enumerate(metrics)}
        return frame.sort_values(
            ["metric", "label"],
            key=lambda s: s.map(order) if s.name == "metric" else s.map(self.labels.index),
            kind="stable",
        ).reset_index(drop=True)

    def confidence_interval(
        self,
        metric: str,
        level: float = 0.95,
        scenario: str | None = None,
        profile: str | None = None,
    ) -> Interval:
        """Interval of ``metric``'s mean in ``scenario`` (a label; default the baseline)."""
        return interval_of(
            self.observations[self._label(scenario)], metric, profile or ALL_PROFILES, level
        )

    def difference(
        self, metric: str, scenario: str, level: float = 0.95, profile: str | None = None
    ) -> Interval:
        """Paired interval of ``metric`` in ``scenario`` minus the baseline."""
        from sim.stats import paired_interval

        key = (metric, profile or ALL_PROFILES)
        a, b = self.observations[self.baseline], self.observations[self._label(scenario)]
        return paired_interval(a[key].to_numpy(), b[key].to_numpy(), level)

    def variance_ratio(
        self, metric: str, scenario: str | None = None, profile: str | None = None
    ) -> float:
        """CRN ratio ``Var(B - A) / (Var(A) + Var(B))`` against the baseline."""
        key = (metric, profile or ALL_PROFILES)
        label = self._label(scenario or self.labels[-1])
        a, b = self.observations[self.baseline], self.observations[label]
        return variance_ratio(a[key].to_numpy(), b[key].to_numpy())

    def _label(self, scenario: str | None) -> str:
        if scenario is None:
            return self.baseline
        if scenario in self.results:
            return scenario
        names = {s.name: label for label, s in self.scenarios.items()}
        if scenario in names:
            return names[scenario]
        raise KeyError(f"no scenario {scenario!r}; labels: {', '.join(self.labels)}")

    def manifest(self) -> dict[str, Any]:
        """What produced the comparison (``"kind": "compare"``)."""
        from sim import __version__

        return {
            "tool": "callsim",
            "kind": "compare",
            "version": __version__,
            "seed": self.seed,
            "replications": self.replications,
            "baseline": self.baseline,
            "labels": self.labels,
            "scenarios": {label: self.scenarios[label].name for label in self.labels},
            "common_random_numbers": True,
            "wall_time_s": round(self.wall_time_s, 3),
            **({"precision": self.precision} if self.precision else {}),
        }

    def save(self, directory: str | Path, force: bool = False) -> Path:
        """Write the comparison folder (see module docstring) atomically."""

        def write(staging: Path) -> None:
            write_runs({label: self.results[label] for label in self.labels}, staging)
            write_comparison_files(self, staging)

        self.directory = Path(directory)
        write_dir_atomically(self.directory, write, force)
        return self.directory


def write_comparison_files(comparison: Comparison, folder: Path) -> None:
    """``comparison.csv``, ``comparison.png`` and ``manifest.json`` into ``folder``."""
    from sim.plots.experiment_charts import save_comparison_chart

    table = comparison.to_frame()
    table.to_csv(folder / "comparison.csv", index=False, float_format="%.6g")
    save_comparison_chart(table, folder / "comparison.png")
    (folder / "manifest.json").write_text(manifest_json(comparison.manifest()))


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
) -> Comparison:
    """Run ``scenarios`` (files or :class:`Scenario` objects) with common random numbers.

    The first scenario is the baseline. ``replications`` and ``seed`` default to the first
    scenario's. Execution options (``jobs``, ``scheduler``, ``out``, ``resume``,
    ``precision``/``metric``/``max_replications``) are those of :func:`sim.run`; with a
    precision target every scenario gets the same number of replications (they stay paired)
    and the target must hold in each. With ``out`` the comparison folder is written there.
    """
    directory = output_folder(out, resume)
    if not scenarios:
        if not resume or directory is None:
            raise ExperimentError("compare needs at least two scenarios")
        plan = stored_plan(directory, "compare")
    else:
        runs = load_all(scenarios, overrides)
        if len(runs) < 2:
            raise ExperimentError("compare needs at least two scenarios")
        first = runs[0][1]
        plan = ExperimentPlan(
            kind="compare",
            runs=tuple(RunSpec(label, s) for label, s in runs),
            seed=first.seed if seed is None else seed,
            replications=first.replications if replications is None else replications,
            call_log=call_log,
            precision=PrecisionTarget.parse(precision, metric, max_replications),
        )

    def finish(store: MemoryStore | DiskStore, report: ExecutionReport) -> Comparison:
        return _finish(plan, store, report, directory)

    return run_plan(plan, finish, directory, bool(resume), force, jobs, scheduler, progress)


def _finish(
    plan: ExperimentPlan,
    store: MemoryStore | DiskStore,
    report: ExecutionReport,
    directory: Path | None,
) -> Comparison:
    n = report.replications
    extra = {"precision": report.precision} if report.precision else None
    profiles = team_profiles([run.scenario for run in plan.runs])
    if directory is None:
        results = {
            label: collect_in_memory(store, plan, label, report, extra) for label in plan.labels
        }
        obs = {label: observations(r.operator_days, profiles, n) for label, r in results.items()}
        return Comparison(
            plan.labels, results, obs, plan.seed, n, report.wall_time_s, report.precision
        )

    def write(staging: Path) -> Comparison:
        obs, staged = {}, {}
        for label in plan.labels:
            folder = staging / "runs" / label
            folder.mkdir(parents=True)
            run = consolidate_run(store, plan, label, report, folder, extra)
            obs[label] = observations(run.operator_days, profiles, n)
            staged[label] = Results(run.scenario, run.seed, n, None, None, None)
            del run  # its operator-day table is not needed any more
        comparison = Comparison(
            plan.labels, staged, obs, plan.seed, n, report.wall_time_s, report.precision
        )
        write_comparison_files(comparison, staging)
        return comparison

    # The folder was checked (and --force honoured) before the run started.
    comparison = write_dir_atomically(directory, write, force=True)
    comparison.results = {label: Results.load(directory / "runs" / label) for label in plan.labels}
    comparison.directory = directory
    return comparison


__all__ = ["COMPARISON_COLUMNS", "EXPERIMENT_METRICS", "HEADLINE_METRICS", "Comparison", "compare"]
