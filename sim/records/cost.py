"""What an operator-day costs. The single place the pay model lives.

Today callers are paid a fixed wage: ``cost = fixed_per_month / working_days_per_month`` per
operator-day, whatever the results. Bonuses (per meeting, a share of sales) will be added here
as functions of the operator-day's counts, so every report picks them up.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.scenario import Profile


def operator_day_cost(days: pd.DataFrame, profile: Profile) -> np.ndarray:
    """Cost of each operator-day in ``days`` (all of one profile), in the scenario currency."""
    return np.full(len(days), profile.pay.cost_per_day)
