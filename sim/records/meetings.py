"""The ``meetings`` table: every meeting booked, whether and when it was held, and its sale.

One row per meeting booked in the horizon (warm-up bookings still take the sellers' slots but
are not rows). Whether the client shows up, whether the meeting closes and the order's value
are decided here, after the run, from the company's spare uniforms of the attempt that booked
the meeting (:class:`sim.model.streams.SpareDraw`): the same company attempt has the same
answers in every scenario compared with one seed, and doubling deal values doubles every
sale's value with nothing else moving.

- shown: ``u_show < min(1, (1 - no_show_prob) * fit/mean)``;
- sale: shown and ``u_close < min(1, close_prob * skill * fit/mean)``;
- value: the lognormal deal value's quantile at ``u_value`` (its mean if its sd is 0);
- sale day: the day held plus the sales cycle.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from sim.model.build import OperatorInfo
from sim.model.leads import LeadPool
from sim.model.sellers import SalesBook
from sim.model.streams import SPARE_DRAWS_PER_ATTEMPT, SpareDraw
from sim.scenario import Scenario
from sim.scenario.sales import DealValue

MEETING_COLUMNS: dict[str, str] = {
    "replication": "int",
    "meeting": "int",
    "segment": "text",
    "company": "int",
    "booked_by": "text",
    "group": "text",
    "day_booked": "int",
    "day_due": "int",
    "day_held": "int",
    "seller": "text",
    "seller_group": "text",
    "wait_days": "int",
    "shown": "bool",
    "sale": "bool",
    "sale_value": "float",
    "sale_day": "int",
}
"""Columns of the meetings table; ``day_held``, ``seller``, ``wait_days`` and ``shown`` are
empty for a meeting not held by the end of the horizon, ``sale_day`` for one without a sale;
``sale_value`` is 0 without a sale (currency)."""


OPTIONAL_MEETING_COLUMNS: dict[str, dict[str, str]] = {"operator_days": {"meeting_min": "float"}}
"""Columns only a scenario whose callers hold their own meetings has (``team_group``)."""


def callers_hold_meetings(scenario: Scenario) -> bool:
    """Whether some team group's callers hold their own meetings (a ``team_group`` seller)."""
    return any(g.team_group is not None for g in scenario.sales.sellers)


def meeting_minutes(book: SalesBook, warm_up_days: int, n_days: int, n_ops: int) -> np.ndarray:
    """Per operator-day of the horizon (``day * n_ops + operator``): minutes of meetings held.

    The minutes a caller-seller's meetings took off the end of that day's calling (0 for
    everyone else), so an operator-day accounts for its shift as dial, talk, wrap, break, idle
    and meeting minutes, plus overrun.
    """
    minutes = np.zeros(n_days * n_ops)
    if book.away:
        rows = np.asarray(book.away, dtype=float).reshape(-1, 3)
        rows = rows[rows[:, 0] >= warm_up_days]
        at = (rows[:, 0].astype(np.int64) - warm_up_days) * n_ops + rows[:, 1].astype(np.int64)
        minutes[at] = rows[:, 2]
    return minutes


def deal_values(uniforms: np.ndarray, value: DealValue) -> np.ndarray:
    """Order values (currency) at ``uniforms``: lognormal quantiles with the given mean and sd."""
    if value.sd == 0.0:
        return np.full(len(uniforms), value.mean)
    sigma2 = np.log1p((value.sd / value.mean) ** 2)
    scale = value.mean * np.exp(-sigma2 / 2.0)
    return np.asarray(stats.lognorm.ppf(uniforms, np.sqrt(sigma2), scale=scale), dtype=float)


def meetings_table(
    scenario: Scenario,
    roster: list[OperatorInfo],
    pool: LeadPool,
    book: SalesBook,
    replication: int,
) -> pd.DataFrame:
    """The replication's meetings (see the module docstring)."""
    warm_up = scenario.warm_up_days
    booked = np.asarray(book.booked, dtype=np.int64).reshape(-1, 5)
    n = len(booked)
    day_booked, operator, segment, company, attempt = booked.T
    seller = np.full(n, -1, dtype=np.int64)
    day_held = np.full(n, -1, dtype=np.int64)
    for meeting, day, who in book.held:
        day_held[meeting], seller[meeting] = day, who
    group_of = np.asarray(book.meeting_group, dtype=np.int64).reshape(n)
    groups = book.groups
    lead_days = np.array([g.booking_lead_days for g in groups], dtype=np.int64)[group_of]
    spares = np.array(
        [
            pool.draws[s].spare_row(int(c), int(a))
            for s, c, a in zip(segment, company, attempt, strict=True)
        ]
    ).reshape(n, SPARE_DRAWS_PER_ATTEMPT)
    multiplier = np.array(
        [book.multiplier(int(s), int(c)) for s, c in zip(segment, company, strict=True)]
    )
    held = day_held >= 0
    show_prob = np.minimum(
        1.0, (1.0 - np.array([g.no_show_prob for g in groups]))[group_of] * multiplier
    )
    shown = held & (spares[:, SpareDraw.SHOW_UP] < show_prob)
    close = np.array([g.close_prob * g.skill for g in groups])[group_of] * multiplier
    sale = shown & (spares[:, SpareDraw.CLOSE] < np.minimum(1.0, close))
    value = np.zeros(n)
    for g, group in enumerate(groups):
        mask = sale & (group_of == g)
        value[mask] = deal_values(spares[mask, SpareDraw.DEAL_VALUE], group.deal_value)
    cycle = np.array([g.sales_cycle_days for g in groups], dtype=np.int64)[group_of]
    keep = day_booked >= warm_up
    operator_names = [info.operator for info in roster]
    seller_names = [f"{group.name}-{k + 1:02d}" for group in groups for k in range(group.count)]
    for caller, seller_number in book.caller_seller.items():  # named as on the team
        seller_names[seller_number] = operator_names[caller]

    def days(values: np.ndarray, present: np.ndarray) -> pd.arrays.IntegerArray:
        return pd.arrays.IntegerArray((values - warm_up)[keep], ~present[keep])

    def text(codes: np.ndarray, labels: list[str], present: np.ndarray) -> pd.Categorical:
        codes = np.where(present, codes, -1)[keep]
        return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(labels))

    everywhere = np.ones(n, dtype=bool)
    group_names = scenario.group_labels
    group_of_operator = np.array([group_names.index(info.group) for info in roster], dtype=np.int64)
    return pd.DataFrame(
        {
            "replication": np.full(int(keep.sum()), replication, dtype=np.int64),
            "meeting": np.arange(int(keep.sum()), dtype=np.int64),
            "segment": text(segment, list(scenario.segments), everywhere),
            "company": company[keep],
            "booked_by": text(operator, operator_names, everywhere),
            "group": text(group_of_operator[operator] if n else operator, group_names, everywhere),
            "day_booked": days(day_booked, everywhere),
            "day_due": days(day_booked + lead_days, everywhere),
            "day_held": days(day_held, held),
            "seller": text(seller, seller_names, held),
            "seller_group": text(group_of, [g.name for g in groups], everywhere),
            "wait_days": pd.arrays.IntegerArray(
                (day_held - day_booked - lead_days)[keep], ~held[keep]
            ),
            "shown": pd.arrays.BooleanArray(shown[keep], ~held[keep]),
            "sale": sale[keep],
            "sale_value": value[keep],
            "sale_day": days(day_held + cycle, sale),
        }
    )
