"""Per operator-day columns of the people mechanisms (tenure), when any is on.

A scenario whose profiles have no ``ramp`` records no people log and its tables have none of
these columns, so they stay byte-identical to the model without the mechanisms.
"""

from __future__ import annotations

import numpy as np

from sim.model.records import Recorder

OPTIONAL_COLUMNS: dict[str, dict[str, str]] = {"operator_days": {"tenure_day": "int"}}
"""Columns a table holds only when a people mechanism is on, and the kind of each."""


def people_columns(
    recorder: Recorder, warm_up_days: int, n_ops: int, n_days: int
) -> dict[str, np.ndarray]:
    """``tenure_day`` per operator-day of the horizon grid (day-major), or nothing when off.

    ``tenure_day`` counts the working days the caller had worked before that day (0 on the
    first day worked).
    """
    if recorder.people is None:
        return {}
    rows = np.asarray(recorder.people, dtype=np.int64).reshape(-1, 3)
    rows = rows[rows[:, 0] >= warm_up_days]
    tenure = np.full(n_days * n_ops, -1, dtype=np.int64)
    tenure[(rows[:, 0] - warm_up_days) * n_ops + rows[:, 1]] = rows[:, 2]
    return {"tenure_day": tenure}
