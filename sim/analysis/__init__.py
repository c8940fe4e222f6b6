"""Statistics over replications: the estimator, intervals, results, comparisons and sweeps.

Pure data: nothing here reads or writes files or draws (see :mod:`sim.storage` and
:mod:`sim.presentation`).
"""
