"""Results of a Monte Carlo run: the tidy tables and their summary.

Pure data: :mod:`sim.storage` saves and loads them.

Every KPI is a mean **per operator-day**: first averaged within each replication (over the
horizon's days and the profile's callers), then summarised over replications with a Student-t
confidence interval. Ratio metrics (cost per meeting, ...) are ratios of totals within a
replication, summarised the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from sim.analysis.estimator import ALL_PROFILES, TEAM, replication_values
from sim.analysis.stats import Interval, interval_row, t_interval
from sim.errors import ArgumentValueError, UnknownNameError
from sim.records.kpis import PER_DAY_METRICS, RATIO_METRICS
from sim.records.lead_table import untouched_counts, with_untouched
from sim.scenario import Scenario

log = logging.getLogger(__name__)

__all__ = [
    "ALL_PROFILES",
    "PER_DAY_METRICS",
    "RATIO_METRICS",
    "TEAM",
    "Results",
    "row_groups",
    "team_groups",
    "team_profiles",
]

TableSource: TypeAlias = pd.DataFrame | Callable[[], pd.DataFrame | None] | None
"""A table, ``None`` (not recorded), or a zero-argument loader called on first access."""


class Results:
    """The tables of a run, the scenario that produced them, and how it was run.

    Tables may be given as DataFrames or as loaders (see :data:`TableSource`): results read
    from disk load each table only when it is first used, so a 2,000-replication run's
    ``leads`` table stays on disk unless asked for.
    """

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        replications: int,
        operator_days: TableSource,
        segment_days: TableSource,
        leads: TableSource,
        calls: TableSource = None,
        meetings: TableSource = None,
        wall_time_s: float = 0.0,
        extra_manifest: dict[str, Any] | None = None,
    ) -> None:
        self.scenario = scenario
        self.seed = seed
        self.replications = replications
        self.wall_time_s = wall_time_s
        self.extra_manifest: dict[str, Any] = dict(extra_manifest or {})
        self._sources: dict[str, TableSource] = {
            "operator_days": operator_days,
            "segment_days": segment_days,
            "leads": leads,
            "calls": calls,
            "meetings": meetings,
        }

    def __repr__(self) -> str:
        return (
            f"Results(scenario={self.scenario.name!r}, seed={self.seed}, "
            f"replications={self.replications})"
        )

    def _table(self, name: str) -> pd.DataFrame | None:
        source = self._sources[name]
        if callable(source) and not isinstance(source, pd.DataFrame):
            source = source()
            self._sources[name] = source
        return source

    def _required(self, name: str) -> pd.DataFrame:
        table = self._table(name)
        if table is None:
            raise ArgumentValueError(f"these results did not keep the {name} table")
        return table

    def table_source(self, name: str) -> TableSource:
        """What table ``name`` is now: a DataFrame, None, or its loader if not yet read."""
        return self._sources[name]

    def has_table(self, name: str) -> bool:
        """True if the run kept table ``name`` (without loading it)."""
        return self._sources[name] is not None

    def is_loaded(self, name: str) -> bool:
        """True once table ``name`` is in memory (always, for results computed in memory)."""
        source = self._sources[name]
        return source is None or isinstance(source, pd.DataFrame)

    @property
    def operator_days(self) -> pd.DataFrame:
        """One row per (replication, day, operator)."""
        return self._required("operator_days")

    @property
    def segment_days(self) -> pd.DataFrame:
        """One row per (replication, day, operator, segment called)."""
        return self._required("segment_days")

    @property
    def leads(self) -> pd.DataFrame:
        """The final state of every company called, one row per (replication, company called).

        Companies never called are not rows (see :mod:`sim.records.lead_table`):
        :meth:`lead_supply` counts them and :meth:`all_leads` restores them.
        """
        return self._required("leads")

    def replication_numbers(self) -> list[int]:
        """The replications of the run, in order (read from the operator-day table)."""
        days = self.table_columns("operator_days", ["replication"])
        return [int(r) for r in np.unique(days["replication"].to_numpy())]

    def lead_supply(self) -> pd.DataFrame:
        """Per replication and segment: ``companies``, ``called`` and ``untouched``."""
        numbers = self.replication_numbers()
        columns = ["replication", "segment", "first_attempt_day"]
        supply = None
        for chunk in self.column_chunks("leads", columns):
            counts = untouched_counts(chunk, self.scenario, numbers)
            if supply is None:
                supply = counts
            else:
                supply["called"] += counts["called"].to_numpy()
        if supply is None:  # an empty table yields no chunk
            supply = untouched_counts(self.table_columns("leads", columns), self.scenario, numbers)
        supply["untouched"] = supply["companies"] - supply["called"]
        return supply

    def all_leads(self) -> pd.DataFrame:
        """The leads table with a row for every company, untouched ones included.

        It grows with the calling base (replications x companies rows): for a big base prefer
        :attr:`leads` and :meth:`lead_supply`.
        """
        return with_untouched(self.leads, self.scenario, self.replication_numbers())

    @property
    def calls(self) -> pd.DataFrame | None:
        """The call log (one row per attempt), or None when it was not recorded."""
        return self._table("calls")

    @property
    def meetings(self) -> pd.DataFrame | None:
        """One row per meeting booked, held and sold (None without a sellers block)."""
        return self._table("meetings")

    def table_columns(self, name: str, columns: Sequence[str]) -> pd.DataFrame:
        """Only ``columns`` of table ``name``: read from disk alone if not loaded yet.

        A loader with a ``read_columns(columns)`` method (a table left on disk) reads just
        those columns, so a check of a few lead columns never loads a whole leads table.
        """
        source = self._sources[name]
        read_columns = getattr(source, "read_columns", None)
        if not isinstance(source, pd.DataFrame) and callable(read_columns):
            frame = read_columns(list(columns))
            assert isinstance(frame, pd.DataFrame)
            return frame
        return self._required(name)[list(columns)]

    def column_names(self, name: str) -> list[str]:
        """The columns of table ``name`` (read from the file's footer if not loaded yet)."""
        source = self._sources[name]
        names = getattr(source, "column_names", None)
        if not isinstance(source, pd.DataFrame) and callable(names):
            return list(names())
        return list(self._required(name).columns)

    def column_chunks(self, name: str, columns: Sequence[str]) -> Iterator[pd.DataFrame]:
        """``columns`` of table ``name`` in chunks of rows, in table order.

        A table left on disk is read about a million rows at a time, so a pass over a large
        leads table (a column count, a maximum) never holds it whole; a table in memory is
        one chunk.
        """
        source = self._sources[name]
        read_chunks = getattr(source, "read_column_chunks", None)
        if not isinstance(source, pd.DataFrame) and callable(read_chunks):
            yield from read_chunks(list(columns))
        else:
            yield self._required(name)[list(columns)]

    def table(self, name: str) -> pd.DataFrame | None:
        """A table by name (``operator_days``, ``segment_days``, ``leads`` or ``calls``)."""
        return self._table(name)

    def to_frame(self) -> pd.DataFrame:
        """The operator-day table: one row per (replication, day, operator)."""
        return self.operator_days

    def profiles(self) -> list[str]:
        """Profiles that have callers on the team, in scenario order."""
        present = set(self.operator_days["profile"].astype(str))
        return [p for p in self.scenario.profiles if p in present]

    def groups(self) -> list[str]:
        """Team groups with a row of their own (:func:`team_groups`), in team order."""
        return team_groups([self.scenario])

    def rows(self) -> list[str]:
        """Every row a summary reports, in order: profiles, groups, ``all``, ``team``."""
        return [*self.profiles(), *self.groups(), ALL_PROFILES, TEAM]

    def replication_values(self, metric: str, profile: str | None = None) -> pd.Series:
        """One value of ``metric`` per replication for ``profile`` (default: all callers).

        ``profile`` is a profile, a team group's label (:meth:`groups`), ``all`` or ``team``;
        anything else is a ``KeyError`` naming what exists. See
        :mod:`sim.analysis.estimator`, which also states the rule for quotas of all callers
        together.
        """
        if profile is not None:
            known = [*self.scenario.profiles, *self.scenario.group_labels, ALL_PROFILES, TEAM]
            if profile not in known:
                raise UnknownNameError(
                    f"no profile or team group {profile!r} in scenario {self.scenario.name!r}; "
                    f"known: {', '.join(dict.fromkeys(known))}"
                )
        return replication_values(self.operator_days, metric, profile, self.scenario)

    def confidence_interval(
        self, metric: str, level: float = 0.95, profile: str | None = None
    ) -> Interval:
        """Student-t interval over replications for ``metric`` (all callers or one profile)."""
        return t_interval(self.replication_values(metric, profile).to_numpy(), level)

    def summary(self, level: float = 0.95) -> pd.DataFrame:
        """Per metric and row (:meth:`rows`): mean with its confidence interval.

        The ``profile`` column names the row: a profile, a team group, ``all`` (per
        operator-day) or ``team`` (per team-day).
        """
        rows = []
        for profile in self.rows():
            for metric in (*PER_DAY_METRICS, *RATIO_METRICS):
                ci = self.confidence_interval(metric, level, profile)
                rows.append(
                    {
                        **interval_row(metric, profile, ci),
                        "half_width": ci.half_width,
                        "sd": ci.sd,
                        "replications": ci.n,
                        "level": level,
                        "unit": _unit(metric, profile),
                    }
                )
        return pd.DataFrame(rows)


def _unit(metric: str, group: str) -> str:
    """What one summary value of ``metric`` is: a ratio, or a mean per operator- or team-day."""
    if metric in RATIO_METRICS:
        return "ratio"
    return "per team-day" if group == TEAM else "per operator-day"


def headline_group(scenarios: Iterable[Scenario]) -> str:
    """The group to lead an experiment's figures with: ``team`` when headcounts differ.

    Per caller-day means answer "how good is a caller"; a staffing decision compares what each
    whole team achieves per day, which per-caller figures can point the wrong way.
    """
    return TEAM if len({scenario.headcount for scenario in scenarios}) > 1 else ALL_PROFILES


def team_groups(scenarios: Sequence[Scenario]) -> list[str]:
    """Team groups reported as rows of their own, in first-seen order.

    Every staffed group whose label is not a profile name: a named group ("juniors") or one of
    several groups of a profile (``student-0``, ``student-1``). A group labelled with its own
    profile's name is that profile's row already.
    """
    seen: list[str] = []
    for scenario in scenarios:
        for group, label in zip(scenario.team, scenario.group_labels, strict=True):
            if group.count > 0 and label not in scenario.profiles and label not in seen:
                seen.append(label)
    return seen


def row_groups(scenarios: Sequence[Scenario]) -> list[str]:
    """The caller rows an experiment reports before ``all`` and ``team``: profiles, then groups."""
    return [*team_profiles(scenarios), *team_groups(scenarios)]


def team_profiles(scenarios: Sequence[Scenario]) -> list[str]:
    """Profiles with at least one caller in any of ``scenarios``, in first-seen order."""
    seen: list[str] = []
    for scenario in scenarios:
        staffed = {group.profile for group in scenario.team if group.count > 0}
        seen += [p for p in scenario.profiles if p in staffed and p not in seen]
    return seen
