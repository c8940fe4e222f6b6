"""Monte Carlo experiments: scenario comparisons and parameter sweeps under common random numbers.

- :func:`compare` / :class:`Comparison` - scenarios side by side, paired differences against
  the first, CRN variance ratios (:mod:`.compare`);
- :func:`sweep` / :class:`Sweep` - a base scenario over a grid or Latin hypercube of
  parameter values (:mod:`.sweep`, :mod:`.designs`);
- :func:`quota_attainment` - how often quotas are met and what norm is fair (:mod:`.quota`);
- :mod:`.observations` and :mod:`.statistics` - per-replication observations (delta-method
  pseudo-values for ratios) and the intervals built from them.
"""

from sim.experiments.compare import COMPARISON_COLUMNS, HEADLINE_METRICS, Comparison, compare
from sim.experiments.observations import EXPERIMENT_METRICS, QUOTA_NORM_METRICS, observations
from sim.experiments.quota import quota_attainment
from sim.experiments.sweep import Sweep, sweep

__all__ = [
    "COMPARISON_COLUMNS",
    "EXPERIMENT_METRICS",
    "HEADLINE_METRICS",
    "QUOTA_NORM_METRICS",
    "Comparison",
    "Sweep",
    "compare",
    "observations",
    "quota_attainment",
    "sweep",
]
