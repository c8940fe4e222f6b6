"""KPIs computed from a replication's records after the run.

The simulation records, per operator-day and segment, a histogram of attempt paths and the
attempt minutes, plus one row per attempt when the call log is on (:mod:`sim.model.records`
owns the layout). This module turns them into the tidy tables callsim writes: operator-days,
segment-days, the final state of every lead, and the optional call log. Funnel counts are
derived from each path's outcome via :data:`sim.model.outcomes.FUNNEL_BY_OUTCOME`; the columns
are those of the KPI registry (:mod:`sim.records.kpis`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache
from itertools import chain, compress, repeat
from operator import attrgetter, is_not, itemgetter
from typing import Any

import numpy as np
import pandas as pd

from sim.model.build import OperatorInfo
from sim.model.leads import LeadPool
from sim.model.outcomes import (
    FUNNEL_BY_OUTCOME,
    GATEKEEPER_NONE,
    GATEKEEPER_PASSED,
    LeadStatus,
    Outcome,
)
from sim.model.records import (
    CALL_LOG,
    CALL_LOG_FIELDS,
    PATH_COUNT,
    TALLY_DIAL_MIN,
    TALLY_HOPS,
    TALLY_SUMS,
    TALLY_TALK_MIN,
    TALLY_WRAP_MIN,
    Recorder,
    decode_paths,
)
from sim.records.cost import operator_day_cost, with_pay_rules
from sim.records.kpis import COUNT_COLUMNS, MINUTE_COLUMNS
from sim.records.meetings import (
    MEETING_COLUMNS,
    callers_hold_meetings,
    meeting_minutes,
    meetings_table,
)
from sim.records.people import people_columns
from sim.records.quota import evaluate_quota
from sim.scenario import MINUTES_PER_DAY, Scenario

OUTCOME_LABELS = [o.label for o in Outcome]
STATUS_LABELS = [s.label for s in LeadStatus]
GATEKEEPER_LABELS = ["none", "passed", "stopped"]


@dataclass
class ReplicationTables:
    """The tables of one replication (the ``calls`` log only when asked for)."""

    operator_days: pd.DataFrame
    segment_days: pd.DataFrame
    leads: pd.DataFrame
    calls: pd.DataFrame | None = None
    meetings: pd.DataFrame | None = None
    """Only with a ``sales.sellers`` block (:mod:`sim.records.meetings`)."""


TABLE_NAMES: tuple[str, ...] = tuple(f.name for f in fields(ReplicationTables))
"""Every table a replication can produce, in the order they are written."""

_ATTEMPT_COLUMNS = {
    **dict.fromkeys(COUNT_COLUMNS, "int"),
    **dict.fromkeys(MINUTE_COLUMNS, "float"),
}
TABLE_COLUMNS: dict[str, dict[str, str]] = {
    "operator_days": {
        "replication": "int",
        "day": "int",
        "operator": "text",
        "group": "text",
        "profile": "text",
        **_ATTEMPT_COLUMNS,
        "break_min": "float",
        "idle_min": "float",
        "overrun_min": "float",
        "shift_min": "float",
        "quota_units": "float",
        "quota_met": "bool",
        "cost": "float",
    },
    "segment_days": {
        "replication": "int",
        "day": "int",
        "operator": "text",
        "profile": "text",
        "segment": "text",
        **_ATTEMPT_COLUMNS,
    },
    "leads": {
        "replication": "int",
        "segment": "text",
        "company": "int",
        "attempts": "int",
        "status": "text",
        "dm_identified": "bool",
        "first_attempt_day": "int",
        "dm_contact_day": "int",
        "dm_contact_attempt": "int",
    },
    "calls": {
        "replication": "int",
        "day": "int",
        "operator": "text",
        "profile": "text",
        "segment": "text",
        "company": "int",
        "attempt": "int",
        "outcome": "text",
        "gatekeeper": "text",
        "referral_hops": "int",
        "dm_contact": "bool",
        "callback_scheduled": "bool",
        "start_min": "float",
        "dial_min": "float",
        "talk_min": "float",
        "wrap_min": "float",
    },
    "meetings": MEETING_COLUMNS,
}
"""Each table's columns, in order, and the kind of value each holds (``int``, ``float``,
``bool`` or ``text``): what a table read back from a results folder must have."""


@lru_cache(maxsize=64)
def _category_type(labels: tuple[str, ...]) -> pd.CategoricalDtype:
    return pd.CategoricalDtype(list(labels))


def _categorical(codes: np.ndarray, labels: list[str]) -> pd.Categorical:
    """A categorical column from codes, its type built once per list of labels.

    Building the type validates the labels, which costs more than the column itself.
    """
    return pd.Categorical.from_codes(codes, dtype=_category_type(tuple(labels)))


def path_indicators() -> dict[str, np.ndarray]:
    """Per path index (layout: :mod:`sim.model.records`): each count column's weight."""
    outcome, gatekeeper, callback = decode_paths()
    cols = {name: table[outcome] for name, table in FUNNEL_BY_OUTCOME.items()}
    cols["dials"] = np.ones(PATH_COUNT, dtype=np.int64)
    cols["calls_excl_busy_no_answer"] = 1 - cols["busy"] - cols["no_answer"]
    cols["needs"] = cols["needs_immediate"] + cols["needs_long_term"]
    cols["gatekeeper_contacts"] = (gatekeeper != GATEKEEPER_NONE).astype(np.int64)
    cols["gatekeeper_passed"] = (gatekeeper == GATEKEEPER_PASSED).astype(np.int64)
    cols["callbacks_scheduled"] = callback.astype(np.int64)
    return cols


@dataclass(frozen=True)
class _DayRecords:
    """The recorder's operator-days of the horizon as arrays (warm-up days left out).

    ``day`` (numbered from the horizon's first, 0) and ``operator`` per operator-day;
    ``minutes`` its break, idle and overrun minutes (one row each); ``tallies`` the tallies
    of every (operator-day, segment) in recording order, ``None`` where not called.
    """

    day: np.ndarray
    operator: np.ndarray
    minutes: np.ndarray
    tallies: list[Any]


def _day_records(recorder: Recorder, warm_up_days: int) -> _DayRecords:
    """Columns of ``recorder.days``, read without a Python loop over operator-days."""
    days = recorder.days
    n = len(days)
    day = np.fromiter(map(itemgetter(0), days), np.int64, n) - warm_up_days
    operator = np.fromiter(map(itemgetter(1), days), np.int64, n)
    minutes = np.array(list(map(itemgetter(3, 4, 5), days)), dtype=float).reshape(n, 3)
    kept = day >= 0
    tallies = list(chain.from_iterable(compress(map(itemgetter(2), days), kept.tolist())))
    return _DayRecords(day[kept], operator[kept], minutes[kept], tallies)


def _segment_day_arrays(records: _DayRecords, n_ops: int, n_segments: int) -> dict[str, np.ndarray]:
    """Counts and minutes per (day, operator, segment called), sorted by that key."""
    called = np.fromiter(map(is_not, records.tallies, repeat(None)), bool, len(records.tallies))
    # Each operator-day records one slot per segment of the scenario, in segment order.
    op_day = records.day * n_ops + records.operator
    keys = (op_day[:, None] * n_segments + np.arange(n_segments)).ravel()[called]
    tallies = list(compress(records.tallies, called.tolist()))
    order = np.argsort(keys, kind="stable")
    key = keys[order]
    table = np.asarray(tallies, dtype=float).reshape(len(keys), TALLY_SUMS + PATH_COUNT)
    table = table[order]
    sums, hist = table[:, :TALLY_SUMS], np.rint(table[:, TALLY_SUMS:]).astype(np.int64)
    out = {"key": key}
    for name, weights in path_indicators().items():
        out[name] = hist @ weights
    out["referrals"] = np.rint(sums[:, TALLY_HOPS]).astype(np.int64)
    out["dial_min"] = sums[:, TALLY_DIAL_MIN]
    out["talk_min"] = sums[:, TALLY_TALK_MIN]
    out["wrap_min"] = sums[:, TALLY_WRAP_MIN]
    return out


def tabulate(
    scenario: Scenario,
    roster: list[OperatorInfo],
    pool: LeadPool,
    recorder: Recorder,
    replication: int,
) -> ReplicationTables:
    """Build the replication's tables from its records."""
    n_ops, n_days, n_seg = len(roster), scenario.horizon_days, len(scenario.segments)
    operator_names = [info.operator for info in roster]
    profile_names, segment_names = list(scenario.profiles), list(scenario.segments)
    group_names = scenario.group_labels
    profile_of = np.array([profile_names.index(info.profile) for info in roster], dtype=np.int64)
    group_of = np.array([group_names.index(info.group) for info in roster], dtype=np.int64)
    warm_up = scenario.warm_up_days
    records = _day_records(recorder, warm_up)
    seg = _segment_day_arrays(records, n_ops, n_seg)
    op_day = seg["key"] // n_seg
    seg_op = op_day % n_ops

    segment_days = pd.DataFrame(
        {
            "replication": np.full(len(op_day), replication, dtype=np.int64),
            "day": op_day // n_ops,
            "operator": _categorical(seg_op, operator_names),
            "profile": _categorical(profile_of[seg_op], profile_names),
            "segment": _categorical(seg["key"] % n_seg, segment_names),
            **{name: seg[name] for name in (*COUNT_COLUMNS, *MINUTE_COLUMNS)},
        }
    )

    # Operator-days: every (day, operator) of the horizon, in that order.
    size = n_days * n_ops
    grid_op = np.tile(np.arange(n_ops), n_days)
    columns: dict[str, object] = {
        "replication": np.full(size, replication, dtype=np.int64),
        "day": np.repeat(np.arange(n_days), n_ops),
        "operator": _categorical(grid_op, operator_names),
        "group": _categorical(group_of[grid_op], group_names),
        "profile": _categorical(profile_of[grid_op], profile_names),
    }
    for name in (*COUNT_COLUMNS, *MINUTE_COLUMNS):
        summed = np.bincount(op_day, weights=seg[name], minlength=size)
        columns[name] = summed if name in MINUTE_COLUMNS else np.rint(summed).astype(np.int64)
    extra = np.zeros((size, 3))
    extra[records.day * n_ops + records.operator] = records.minutes
    columns["break_min"], columns["idle_min"], columns["overrun_min"] = extra.T
    columns["shift_min"] = np.full(size, scenario.shift.length_min)
    days = pd.DataFrame(columns)
    quota_units = np.full(size, np.nan)
    quota_met = np.full(size, np.nan)
    cost = np.zeros(size)
    for name, profile in scenario.profiles.items():
        mask = (days["profile"] == name).to_numpy()
        if mask.any():
            part = days.loc[mask]
            quota_units[mask], quota_met[mask] = evaluate_quota(part, profile.quota)
            cost[mask] = operator_day_cost(part, profile)
    days = days.assign(
        quota_units=quota_units,
        quota_met=pd.arrays.BooleanArray(quota_met == 1.0, np.isnan(quota_met)),
        cost=cost,
    )
    if recorder.sales is not None and callers_hold_meetings(scenario):
        days = days.assign(meeting_min=meeting_minutes(recorder.sales, warm_up, n_days, n_ops))
    people, worked = people_columns(recorder, scenario, profile_of, cost)
    if people:
        days = days.assign(**people)
        if worked is not None:  # turnover: an empty seat's days are not operator-days
            days = days.loc[worked].reset_index(drop=True)
    meetings = None
    if recorder.sales is not None and scenario.sales.sellers:
        meetings = meetings_table(scenario, roster, pool, recorder.sales, replication)
    if scenario.sales.pay:  # two-part pay: the plan, bonuses and commission, day by day
        days = days.assign(cost=with_pay_rules(scenario, days, meetings))
    calls = None
    if recorder.calls is not None:
        attempts = np.asarray(recorder.calls, dtype=float).reshape(-1, len(CALL_LOG_FIELDS))
        if warm_up:  # the call log covers the horizon, as the operator-day table does
            attempts = attempts[attempts[:, CALL_LOG["day"]] >= warm_up]
            attempts[:, CALL_LOG["day"]] -= warm_up
        # In the order the attempts started (an idle caller records the callback it will
        # take as soon as it falls idle, before attempts that start earlier).
        start = attempts[:, CALL_LOG["day"]] * MINUTES_PER_DAY + attempts[:, CALL_LOG["start_min"]]
        attempts = attempts[np.argsort(start, kind="stable")]
        calls = _calls_table(attempts, roster, scenario, replication)
    leads = _leads_table(scenario, pool, replication)
    return ReplicationTables(days, segment_days, leads, calls, meetings)


_LEAD_FIELDS = (
    "index",
    "attempts",
    "status",
    "dm_known",
    "first_day",
    "dm_contact_day",
    "dm_contact_attempt",
)
"""What the leads table reads of each :class:`sim.model.leads.Lead` (whole numbers)."""
_LEAD_STATE = attrgetter(*_LEAD_FIELDS)


def _leads_table(scenario: Scenario, pool: LeadPool, replication: int) -> pd.DataFrame:
    """The companies called in the replication (warm-up included), by segment and company.

    Companies never called are left out: they are open, with no attempts, and a segment's
    untouched companies are those whose numbers have no row (not always a prefix: a targeted
    list calls by score; :mod:`sim.records.lead_table` counts or restores them). The
    table grows with the attempts made, not with the size of the calling base.
    """
    touched = list(chain.from_iterable(pool.touched))
    total = len(touched)
    # One pass over the lead objects, each read once (attrgetter and fromiter run in C).
    state = np.fromiter(
        chain.from_iterable(map(_LEAD_STATE, touched)), np.int64, total * len(_LEAD_FIELDS)
    ).reshape(total, len(_LEAD_FIELDS))

    def column(name: str) -> np.ndarray:
        return state[:, _LEAD_FIELDS.index(name)]

    # Days count from the horizon's first day: warm-up days are negative; -1 meant none.
    contact_day, contact_attempt = column("dm_contact_day"), column("dm_contact_attempt")
    no_contact = contact_day < 0
    segment_codes = np.repeat(np.arange(len(pool.touched)), [len(s) for s in pool.touched])
    return pd.DataFrame(
        {
            "replication": np.full(total, replication, dtype=np.int64),
            "segment": _categorical(segment_codes, list(scenario.segments)),
            "company": column("index"),
            "attempts": column("attempts"),
            "status": _categorical(column("status"), STATUS_LABELS),
            "dm_identified": column("dm_known").astype(bool),
            "first_attempt_day": pd.arrays.IntegerArray(
                column("first_day") - scenario.warm_up_days, np.zeros(total, dtype=bool)
            ),
            "dm_contact_day": pd.arrays.IntegerArray(
                contact_day - scenario.warm_up_days, no_contact
            ),
            "dm_contact_attempt": pd.arrays.IntegerArray(contact_attempt, contact_attempt < 0),
        }
    )


def _calls_table(
    attempts: np.ndarray, roster: list[OperatorInfo], scenario: Scenario, replication: int
) -> pd.DataFrame:
    op = attempts[:, CALL_LOG["operator"]].astype(np.int64)
    profile_names = list(scenario.profiles)
    profile_of = np.array([profile_names.index(info.profile) for info in roster], dtype=np.int64)
    outcome = attempts[:, CALL_LOG["outcome"]].astype(np.int64)
    segment_names = list(scenario.segments)
    return pd.DataFrame(
        {
            "replication": np.full(len(attempts), replication, dtype=np.int64),
            "day": attempts[:, CALL_LOG["day"]].astype(np.int64),
            "operator": _categorical(op, [i.operator for i in roster]),
            "profile": _categorical(profile_of[op], list(scenario.profiles)),
            "segment": _categorical(
                attempts[:, CALL_LOG["segment"]].astype(np.int64), segment_names
            ),
            "company": attempts[:, CALL_LOG["company"]].astype(np.int64),
            "attempt": attempts[:, CALL_LOG["attempt_no"]].astype(np.int64) + 1,
            "outcome": _categorical(outcome, OUTCOME_LABELS),
            "gatekeeper": _categorical(
                attempts[:, CALL_LOG["gatekeeper"]].astype(np.int64), GATEKEEPER_LABELS
            ),
            "referral_hops": attempts[:, CALL_LOG["hops"]].astype(np.int64),
            "dm_contact": FUNNEL_BY_OUTCOME["dm_contacts"][outcome].astype(bool),
            "callback_scheduled": attempts[:, CALL_LOG["callback"]].astype(bool),
            "start_min": attempts[:, CALL_LOG["start_min"]],
            "dial_min": attempts[:, CALL_LOG["dial_min"]],
            "talk_min": attempts[:, CALL_LOG["talk_min"]],
            "wrap_min": attempts[:, CALL_LOG["wrap_min"]],
        }
    )
