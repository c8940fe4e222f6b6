"""Warnings about a run whose figures say more about the set-up than about calling.

A month of calling on a list that runs dry measures the list, not the callers. These checks
look at a finished run and return plain-language warnings, which the command line prints,
``manifest.json`` keeps under ``warnings`` and the HTML report shows as a banner:

- ``callers_idle``: a profile's (or team group's) callers sat idle more than
  :data:`IDLE_SHARE_LIMIT` of their working minutes: nothing of theirs was callable. For a
  group calling a targeted list (``sales.lists``) the advice is a larger ``share_kept``.
- ``fresh_leads_ran_out``: every company of a segment had been called at least once before
  the horizon ended, in at least one replication; later days work callbacks only.
- ``list_ran_dry``: every company a targeted team group kept of a segment (``share_kept``
  of it) had been called before the horizon ended, in at least one replication; later days
  the group works callbacks only. Told from the count of the segment's companies called,
  which is exact when the group is the only one calling the segment (otherwise the lists of
  several groups share the count, and the check is skipped).
- ``segment_worked_out``: on average more than :data:`WORKED_OUT_LIMIT` of a segment's
  companies ended the horizon worked out (a meeting, no need, refused, or out of attempts).
- ``drift``: a headline figure of the team changes by more than :data:`DRIFT_LIMIT` between
  the days before and after some day of the horizon, beyond the noise (the paired interval
  over replications excludes zero, at 95% jointly over the candidate days: Bonferroni).
  Month-one effects (callbacks falling due, a cool-off such as the email one ending) show up
  here; ``warm_up_days`` excludes such days from the figures.

The checks need the operator-day table; the lead checks also the ``leads`` table (the
companies called; the untouched ones are counted from the segment sizes), and are skipped when
the run did not keep it.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from sim.analysis.estimator import profile_rows
from sim.analysis.results import Results
from sim.analysis.stats import t_interval
from sim.records.kpis import metric_label
from sim.records.lead_table import segment_codes
from sim.scenario import Scenario

IDLE_SHARE_LIMIT = 0.05
"""Idle minutes above this share of the working minutes make a ``callers_idle`` warning."""
WORKED_OUT_LIMIT = 0.75
"""A segment with more than this share of its companies worked out gets a warning."""
DRIFT_LIMIT = 0.10
"""A relative change of a team's daily figure above this (and beyond the noise) is a drift."""
DRIFT_METRICS = ("dials", "dm_contacts", "meetings")
"""Team figures per team-day watched for drift over the horizon."""
WORKED_OUT_STATUSES = ("meeting", "no_need", "refused", "exhausted", "invalid")
"""Lead statuses from which a company is not called again within the horizon."""


@dataclass(frozen=True)
class RunWarning:
    """One warning: a stable ``code``, a sentence for people, and the figures behind it."""

    code: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The warning as JSON-ready data (``manifest.json`` ``warnings``)."""
        return asdict(self)


def diagnose(results: Results) -> list[RunWarning]:
    """Every warning about ``results``, idle callers first, drift last."""
    found = _idle(results)
    if results.has_table("leads"):
        found += _lead_supply(results)
    found += _drift(results)
    return found


def _idle(results: Results) -> list[RunWarning]:
    days = results.operator_days
    working = results.scenario.shift.working_min
    lists = results.scenario.sales.lists
    found = []
    same = _profiles_of_one_named_group(results.scenario)
    for row in [*(p for p in results.profiles() if p not in same), *results.groups()]:
        idle = float(profile_rows(days, row)["idle_min"].mean())
        if idle > IDLE_SHARE_LIMIT * working:
            policy = lists.get(row)
            if policy is not None and policy.policy == "targeted":
                advice = (
                    f"Their targeted list (share_kept {policy.share_kept:g} of their segments) "
                    "ran dry: a larger share_kept or fewer callers."
                )
            else:
                advice = "Add companies to their segments or fewer callers."
            found.append(
                RunWarning(
                    "callers_idle",
                    f"{row} callers sat idle {idle:.0f} min a day on average "
                    f"({idle / working:.0%} of {working:g} working minutes): nothing they "
                    f"call was callable. {advice}",
                    {"row": row, "idle_min_per_day": round(idle, 2)},
                )
            )
    return found


def _profiles_of_one_named_group(scenario: Scenario) -> set[str]:
    """Profiles whose callers are all in one team group with a row of its own (a named group).

    The profile's row and the group's are then the same callers: a warning is given once, for
    the group (whose list policy, if any, the advice names).
    """
    staffed = [
        (group.profile, label)
        for group, label in zip(scenario.team, scenario.group_labels, strict=True)
        if group.count > 0
    ]
    groups_of = Counter(profile for profile, _ in staffed)
    return {p for p, label in staffed if groups_of[p] == 1 and label not in scenario.profiles}


def _sole_targeted_lists(results: Results) -> dict[str, tuple[str, int]]:
    """The segments whose only calling team group has a targeted list.

    Per such segment, the group's label and the companies its list kept of the segment
    (``ceil(share_kept * companies)``, as :func:`sim.model.lists.ranked_companies`).
    """
    scenario = results.scenario
    callers: dict[str, list[str]] = {name: [] for name in scenario.segments}
    for label, group in zip(scenario.group_labels, scenario.team, strict=True):
        if group.count == 0:
            continue
        for segment, weight in scenario.segment_weights(group).items():
            if weight > 0:
                callers[segment].append(label)
    found = {}
    for segment, labels in callers.items():
        policy = scenario.sales.lists.get(labels[0]) if len(labels) == 1 else None
        if policy is not None and policy.policy == "targeted":
            size = scenario.segments[segment].companies
            found[segment] = (labels[0], max(1, math.ceil(policy.share_kept * size - 1e-9)))
    return found


def _lead_supply(results: Results) -> list[RunWarning]:
    """Fresh leads that ran out and segments worked out, from the companies called.

    One pass over the leads table in chunks (it holds the companies called; a full table of
    older results also the untouched ones, with ``first_attempt_day`` empty): per replication
    and segment, the companies called, the last first-attempt day and the companies worked
    out. The untouched count is the segment's size less the companies called.
    """
    names = list(results.scenario.segments)
    sizes = np.array([s.companies for s in results.scenario.segments.values()], dtype=np.int64)
    numbers = np.asarray(results.replication_numbers(), dtype=np.int64)
    cells = len(numbers) * len(names)
    called = np.zeros(cells, dtype=np.int64)
    last_first_day = np.full(cells, -1.0)
    worked_out = np.zeros(len(names), dtype=np.int64)
    columns = ["replication", "segment", "status", "first_attempt_day"]
    for chunk in results.column_chunks("leads", columns):
        first = chunk["first_attempt_day"].to_numpy(dtype=float, na_value=np.nan)
        rows = ~np.isnan(first)
        rep = np.searchsorted(numbers, chunk["replication"].to_numpy(dtype=np.int64)[rows])
        seg = segment_codes(chunk["segment"], names)[rows]
        cell = rep * len(names) + seg
        called += np.bincount(cell, minlength=cells)
        np.maximum.at(last_first_day, cell, first[rows])
        done = chunk["status"].isin(WORKED_OUT_STATUSES).to_numpy()[rows]
        worked_out += np.bincount(seg[done], minlength=len(names))
    called_by = called.reshape(len(numbers), len(names))
    last_by = last_first_day.reshape(len(numbers), len(names))
    found = []
    targeted = _sole_targeted_lists(results)
    for position, (name, segment) in enumerate(results.scenario.segments.items()):
        if name in targeted and targeted[name][1] < sizes[position]:
            group, kept = targeted[name]
            dry = called_by[:, position] >= kept
            if dry.any():
                day = int(np.median(last_by[dry, position])) + 1
                found.append(
                    RunWarning(
                        "list_ran_dry",
                        f"group {group!r}: all {kept:,} companies its targeted list kept of "
                        f"segment {name!r} had been called by day {day} (median; in "
                        f"{int(dry.sum())} of {results.replications} replications); after that "
                        "it calls callbacks only. A larger share_kept or fewer callers.",
                        {
                            "group": group,
                            "segment": name,
                            "companies_kept": kept,
                            "day": day,
                            "replications": int(dry.sum()),
                        },
                    )
                )
        ran_out = called_by[:, position] >= sizes[position]
        if ran_out.any():
            day = int(np.median(last_by[ran_out, position])) + 1  # people count days from 1
            found.append(
                RunWarning(
                    "fresh_leads_ran_out",
                    f"segment {name!r}: all {segment.companies:,} companies had been called by "
                    f"day {day} (median; in {int(ran_out.sum())} of {results.replications} "
                    "replications); after that only callbacks are called. Figures of later "
                    "days measure the list size, not the callers.",
                    {
                        "segment": name,
                        "companies": segment.companies,
                        "day": day,
                        "replications": int(ran_out.sum()),
                    },
                )
            )
        # Untouched companies are open: the worked-out share is over every company of every
        # replication, called or not.
        share = worked_out[position] / (segment.companies * len(numbers)) if len(numbers) else 0.0
        if share > WORKED_OUT_LIMIT:
            found.append(
                RunWarning(
                    "segment_worked_out",
                    f"segment {name!r}: {share:.0%} of its {segment.companies:,} companies "
                    "were worked out within the horizon (meeting, no need, refused or out of "
                    "attempts): the results depend on the list size.",
                    {
                        "segment": name,
                        "companies": segment.companies,
                        "share": round(float(share), 4),
                    },
                )
            )
    return found


def _drift(results: Results) -> list[RunWarning]:
    days = results.operator_days
    horizon = int(days["day"].nunique())
    if horizon < 4 or results.replications < 2:
        return []
    found = []
    for metric in DRIFT_METRICS:
        daily = days.groupby(["replication", "day"], sort=True)[metric].sum().unstack("day")
        values = daily.to_numpy(dtype=float)  # replication x day: the team's daily totals
        overall = values.mean(axis=1)
        if not np.all(np.isfinite(values)) or overall.mean() <= 0:
            continue
        split, before, after = _largest_step(values)
        change = after - before
        relative = float(change.mean() / before.mean()) if before.mean() > 0 else np.inf
        # The split day is chosen to fit the data: Bonferroni over the candidate days keeps
        # the scan from calling noise a drift.
        ci = t_interval(change, 1.0 - 0.05 / max(1, horizon - 3))
        if abs(relative) <= DRIFT_LIMIT or not (ci.low > 0 or ci.high < 0):
            continue
        first_day = int(daily.columns[split]) + 1
        found.append(
            RunWarning(
                "drift",
                f"team {metric_label(metric)} per day drift over the horizon: "
                f"{before.mean():,.1f} a day before day {first_day}, {after.mean():,.1f} from "
                f"day {first_day} on ({relative:+.0%}). Horizon means mix both; consider "
                "warm_up_days or a longer horizon.",
                {
                    "metric": metric,
                    "day": first_day,
                    "before": round(float(before.mean()), 4),
                    "after": round(float(after.mean()), 4),
                    "relative_change": round(relative, 4),
                },
            )
        )
    return found


def _largest_step(values: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """The day index splitting the horizon where the mean changes most (a CUSUM-style scan).

    Returns the first day of the later part and, per replication, the mean before and after.
    Each part keeps at least two days.
    """
    n = values.shape[1]
    mean_by_day = values.mean(axis=0)
    best, best_score = 2, -1.0
    for k in range(2, n - 1):
        score = abs(mean_by_day[k:].mean() - mean_by_day[:k].mean()) * np.sqrt(k * (n - k) / n)
        if score > best_score:
            best, best_score = k, score
    return best, values[:, :best].mean(axis=1), values[:, best:].mean(axis=1)
