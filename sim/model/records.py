"""The record layout of a replication: tallies, attempt paths and call-log rows.

The one place that says where each recorded number sits. The per-attempt loop
(:mod:`sim.model.operator`) writes these records and the KPI code (:mod:`sim.records.tables`)
reads them, both through the names defined here.

- A **tally** is one list per (operator-day, segment called): the sums of
  :data:`TALLY_FIELDS` (minutes of dialling, talking and wrapping up, referral hops), then a
  histogram of attempt **paths**, counted at ``TALLY_SUMS + path_index(...)``.
- A **path** is what the KPIs need to know of one attempt: its outcome, the gatekeeper state
  (:data:`~sim.model.outcomes.GATEKEEPER_NONE`, ``_PASSED``, ``_STOPPED``) and whether a
  callback was scheduled: ``path_index = (outcome * GATEKEEPER_STATES + gatekeeper) *
  CALLBACK_STATES + callback``.
- A **call-log row** (with ``call_log``) is one tuple of :data:`CALL_LOG_FIELDS` per attempt.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.model.outcomes import N_OUTCOMES

TALLY_FIELDS = ("dial_min", "talk_min", "wrap_min", "referrals")
"""The sums at the head of a tally, in order."""
TALLY_DIAL_MIN, TALLY_TALK_MIN, TALLY_WRAP_MIN, TALLY_HOPS = range(len(TALLY_FIELDS))
TALLY_SUMS = len(TALLY_FIELDS)
"""Position of the path histogram in a tally."""

GATEKEEPER_STATES = 3
CALLBACK_STATES = 2
PATH_COUNT = N_OUTCOMES * GATEKEEPER_STATES * CALLBACK_STATES
"""Length of a path histogram."""

CALL_LOG_FIELDS = (
    "day",
    "operator",
    "segment",
    "company",
    "attempt_no",
    "outcome",
    "gatekeeper",
    "hops",
    "callback",
    "start_min",
    "dial_min",
    "talk_min",
    "wrap_min",
)
"""Fields of a call-log row; ``start_min`` is minutes from the working day's start (the shift
start, unless an extreme overrun delayed the shift), ``attempt_no`` counts from 0."""
CALL_LOG = {name: i for i, name in enumerate(CALL_LOG_FIELDS)}
"""Position of each call-log field in a row."""


def path_index(outcome: int, gatekeeper: int, callback: int) -> int:
    """Position of an attempt's path in a tally's histogram (after ``TALLY_SUMS``)."""
    return (outcome * GATEKEEPER_STATES + gatekeeper) * CALLBACK_STATES + callback


def decode_paths() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(outcome, gatekeeper, callback)`` of every path index, as arrays."""
    codes = np.arange(PATH_COUNT)
    callback = codes % CALLBACK_STATES
    gatekeeper = (codes // CALLBACK_STATES) % GATEKEEPER_STATES
    outcome = codes // (CALLBACK_STATES * GATEKEEPER_STATES)
    return outcome, gatekeeper, callback


def new_tally() -> list[Any]:
    """An empty tally: the sums, then the path histogram."""
    return [0.0, 0.0, 0.0, 0] + [0] * PATH_COUNT


class Recorder:
    """What a replication records; every KPI is derived from it after the run.

    For each operator-day, per segment called, a tally (module docstring), plus the day's
    break, idle and overrun minutes; with ``call_log``, also one call-log row per attempt.
    """

    __slots__ = ("calls", "days", "n_segments", "people", "sales")

    def __init__(self, n_segments: int, call_log: bool = False) -> None:
        self.n_segments = n_segments
        self.days: list[tuple[int, int, list[Any], float, float, float]] = []
        """``(day, operator, tallies by segment (None if not called), break_min, idle_min,
        overrun_min)`` per operator-day."""
        self.calls: list[tuple[Any, ...]] | None = [] if call_log else None
        self.sales: Any = None
        """The meeting book (:class:`sim.model.sellers.SalesBook`) when the scenario has one."""
        self.people: list[list[int]] | None = None
        """With a people mechanism on (:mod:`sim.model.ramp`): ``[day, operator, tenure_day,
        hired, quit]`` per operator-day worked; None otherwise."""
