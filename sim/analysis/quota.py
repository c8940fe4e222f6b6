"""Quota attainment: how often each part of a quota is met, and what a fair norm would be.

A quota is a list of parts ("120 calls and 12 needs" is two); an operator-day meets the quota
when it meets every part. For each profile (and team group) with a quota and each part:

- ``p_part``: the probability that an operator-day meets that part alone;
- ``p_met``: the probability that it meets the whole quota (every part: the joint attainment);
- the norms met on at least 50%, 80% and 95% of operator-days **in that part's unit**: the
  largest whole level that share of the replication's operator-days reach, averaged over
  replications.

Every figure is the mean over replications of a per-replication value, with a Student-t
interval (the replication approach of :mod:`sim.analysis.observations`). A norm that 80% of
operator-days reach is one most callers can meet on most days.

For a two-part quota, :func:`quota_frontier` gives the attainable pairs: for each level of the
first part, the highest level of the second that a share of operator-days meets together.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sim.analysis.estimator import profile_rows
from sim.analysis.observations import QUOTA_NORM_SHARES, norm_levels
from sim.analysis.results import Results
from sim.analysis.stats import t_interval
from sim.errors import ArgumentValueError, UnknownNameError
from sim.records.kpis import spoken_unit
from sim.scenario import QuotaTarget

NORM_SHARES: tuple[float, ...] = tuple(QUOTA_NORM_SHARES.values())
"""Shares of operator-days at which a norm is reported: 50, 80 and 95%."""

QUOTA_COLUMNS = (
    "profile",
    "quota",
    "part",
    "unit",
    "unit_label",
    "target",
    "p_part",
    "p_part_low",
    "p_part_high",
    "p_met",
    "p_met_low",
    "p_met_high",
    *(f"norm_p{round(s * 100)}{end}" for s in NORM_SHARES for end in ("", "_low", "_high")),
)
"""Columns of :func:`quota_attainment` (and ``quota.csv``), in order."""


def quota_text(quota: Sequence[QuotaTarget]) -> str:
    """A quota as a manager says it: ``120 calls + 12 needs`` (``60 calls + 1 meeting``)."""
    return " + ".join(spoken_amount(part.target, spoken_unit(part.counts)) for part in quota)


def spoken_amount(target: float, unit: str) -> str:
    """``target`` of a spoken ``unit`` (plural, ``meetings``): ``12 needs``, ``1 meeting``."""
    one = target == 1 and unit.endswith("s")
    return f"{target:,.10g} {unit[:-1] if one else unit}"


def row_quota(results: Results, row: str) -> list[QuotaTarget]:
    """The quota of a summary row: a profile's own, or a team group's profile's."""
    scenario = results.scenario
    if row in scenario.profiles:
        return list(scenario.profiles[row].quota)
    labels = scenario.group_labels
    if row in labels:
        return list(scenario.profiles[scenario.team[labels.index(row)].profile].quota)
    raise UnknownNameError(f"no profile or team group {row!r} in scenario {scenario.name!r}")


def _share_interval(met: pd.Series, replications: pd.Series, level: float) -> tuple[float, ...]:
    per_rep = met.astype(float).groupby(replications.to_numpy(), sort=True).mean()
    ci = t_interval(per_rep.to_numpy(), level)
    return ci.mean, ci.low, ci.high


def quota_attainment(results: Results, level: float = 0.95) -> pd.DataFrame:
    """One row per quota part of each profile and team group with a quota (:data:`QUOTA_COLUMNS`).

    ``part`` counts from 1; ``unit`` is what the part counts (a KPI name) and ``unit_label``
    how it is spoken ("calls"); norms are in that unit per operator-day.
    """
    rows: list[dict[str, object]] = []
    for row in [*results.profiles(), *results.groups()]:
        quota = row_quota(results, row)
        if not quota:
            continue
        days = profile_rows(results.operator_days, row)
        reps = days["replication"]
        whole = np.ones(len(days), dtype=bool)
        for part in quota:
            whole &= days[part.counts].to_numpy(dtype=float) >= part.target
        p_met = _share_interval(pd.Series(whole), reps, level)
        for number, part in enumerate(quota, start=1):
            units = days[part.counts].to_numpy(dtype=float)
            record: dict[str, object] = {
                "profile": row,
                "quota": quota_text(quota),
                "part": number,
                "unit": part.counts,
                "unit_label": spoken_unit(part.counts),
                "target": part.target,
            }
            p_part = _share_interval(pd.Series(units >= part.target), reps, level)
            record.update(zip(("p_part", "p_part_low", "p_part_high"), p_part, strict=True))
            record.update(zip(("p_met", "p_met_low", "p_met_high"), p_met, strict=True))
            norms = norm_levels(pd.Series(units), reps, NORM_SHARES)
            for share, values in norms.items():
                ci = t_interval(values.to_numpy(dtype=float), level)
                name = f"norm_p{round(share * 100)}"
                record[name], record[f"{name}_low"], record[f"{name}_high"] = (
                    ci.mean,
                    ci.low,
                    ci.high,
                )
            rows.append(record)
    return pd.DataFrame(rows, columns=list(QUOTA_COLUMNS))


def quota_frontier(
    results: Results, row: str, shares: Sequence[float] = NORM_SHARES
) -> pd.DataFrame:
    """Attainable pairs of a two-part quota: for each first-part level, the best second part.

    Columns ``share, first, second``: ``second`` is the highest whole level of the quota's
    second part such that at least ``share`` of the row's operator-days (every replication
    pooled) reach both ``first`` units of the first part and ``second`` of the second. Levels
    of the first part run from 0 to the highest day seen; where no level of the second part
    qualifies (the first level alone is met on fewer days than ``share``) the row is left out.
    A quota (a, b) is met on ``share`` of days exactly when ``b`` is at most the frontier at
    ``a``.
    """
    quota = row_quota(results, row)
    if len(quota) < 2:
        raise ArgumentValueError(
            f"{row!r} has no two-part quota (quota: {quota_text(quota) or 'none'})"
        )
    days = profile_rows(results.operator_days, row)
    first = days[quota[0].counts].to_numpy(dtype=float)
    second = days[quota[1].counts].to_numpy(dtype=float)
    n = len(first)
    records = []
    top = int(np.floor(first.max())) if n else 0
    for a in range(top + 1):
        reached = np.sort(second[first >= a])[::-1]  # the second part on days reaching a
        for share in shares:
            k = int(np.ceil(share * n - 1e-9))  # days that must meet both parts
            if k == 0 or len(reached) < k:
                continue
            records.append(
                {"share": share, "first": float(a), "second": float(np.floor(reached[k - 1]))}
            )
    return pd.DataFrame(records, columns=["share", "first", "second"])
