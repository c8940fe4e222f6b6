"""Attempts by hour of the shift, from the call log: the answered share hour by hour.

Time-of-day factors (:mod:`sim.scenario.time_of_day`) change the odds by hour of the shift;
this reads a run's call log (``call_log=True``), whose ``start_min`` is each attempt's start
in minutes from the working day's start, and counts per hour the dials, the answered ones
and the DM contacts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.model.outcomes import ANSWERED, Outcome

MINUTES_PER_HOUR = 60.0
_ANSWERED_LABELS = [o.label for o in Outcome if ANSWERED[o]]


def by_hour(calls: pd.DataFrame, segment: str | None = None) -> pd.DataFrame:
    """Per hour of the shift: ``dials``, ``answered``, ``dm_contacts``, ``answered_share``.

    ``calls`` is a call-log table; ``segment`` keeps that segment's attempts only. Hour 0 is
    the shift's first; an attempt counts in the hour it started.
    """
    if segment is not None:
        calls = calls[calls["segment"].astype(str) == segment]
    hour = np.floor(calls["start_min"].to_numpy(dtype=float) / MINUTES_PER_HOUR).astype(int)
    frame = pd.DataFrame(
        {
            "hour": hour,
            "answered": calls["outcome"].astype(str).isin(_ANSWERED_LABELS).to_numpy(),
            "dm_contacts": calls["dm_contact"].to_numpy(dtype=bool),
        }
    )
    grouped = frame.groupby("hour", sort=True)
    out = pd.DataFrame(
        {
            "dials": grouped.size(),
            "answered": grouped["answered"].sum().astype(int),
            "dm_contacts": grouped["dm_contacts"].sum().astype(int),
        }
    )
    out["answered_share"] = out["answered"] / out["dials"]
    return out.reset_index()
