"""Per operator-day columns of the people mechanisms (tenure, hires, quits), when any is on.

A scenario whose profiles have neither ``ramp`` nor ``turnover`` records no people log and its
tables have none of these columns, so they stay byte-identical to the model without them.
With turnover, an empty seat's days are not operator-days: nobody worked them, so they are
left out of the ``operator_days`` table (its rows are the days worked), and a replacement's
first day carries the profile's hiring cost in ``cost``.
"""

from __future__ import annotations

import numpy as np

from sim.model.records import Recorder
from sim.scenario import Scenario

OPTIONAL_COLUMNS: dict[str, dict[str, str]] = {
    "operator_days": {"tenure_day": "int", "hired": "bool", "quit": "bool"}
}
"""Columns a table holds only when a people mechanism is on, and the kind of each."""


def has_turnover(scenario: Scenario) -> bool:
    """Whether any staffed profile of ``scenario`` has turnover."""
    return any(scenario.profiles[g.profile].turnover is not None for g in scenario.team)


def people_columns(
    recorder: Recorder,
    scenario: Scenario,
    profile_of: np.ndarray,
    cost: np.ndarray,
) -> tuple[dict[str, np.ndarray], np.ndarray | None]:
    """Columns to add to (or replace in) the operator-day grid, and the rows worked.

    The grid is day-major (``day * n_ops + operator``) over the horizon; ``profile_of`` is
    each operator's profile number, ``cost`` the grid's pay per operator-day. Returns no
    columns when no people mechanism is on; the rows worked (a mask) only with turnover.

    - ``tenure_day``: working days the caller had worked before that day (0 on the first);
    - ``hired``: the day is a replacement's first; ``quit``: the caller quit after it;
    - ``cost``: pay plus, on a replacement's first day, the profile's hiring cost.
    """
    if recorder.people is None:
        return {}, None
    n_ops, n_days, warm_up = len(profile_of), scenario.horizon_days, scenario.warm_up_days
    rows = np.asarray(recorder.people, dtype=np.int64).reshape(-1, 5)
    rows = rows[rows[:, 0] >= warm_up]
    at = (rows[:, 0] - warm_up) * n_ops + rows[:, 1]
    tenure = np.full(n_days * n_ops, -1, dtype=np.int64)
    tenure[at] = rows[:, 2]
    if not has_turnover(scenario):
        return {"tenure_day": tenure}, None
    hired = np.zeros(n_days * n_ops, dtype=bool)
    quit_ = np.zeros(n_days * n_ops, dtype=bool)
    hired[at], quit_[at] = rows[:, 3] == 1, rows[:, 4] == 1
    profiles = list(scenario.profiles.values())
    hiring_cost = np.array(
        [0.0 if p.turnover is None else p.turnover.hiring_cost for p in profiles]
    )
    grid_profile = np.tile(profile_of, n_days)
    columns = {
        "tenure_day": tenure,
        "hired": hired,
        "quit": quit_,
        "cost": cost + hired * hiring_cost[grid_profile],
    }
    return columns, tenure >= 0
