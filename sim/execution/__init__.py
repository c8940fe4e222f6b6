"""Executing experiments: executors, chunked tasks, streaming store with resume, precision.

The pieces, from the bottom up:

- :mod:`sim.execution.tasks` - a task is a chunk of consecutive replications of one scenario;
- :mod:`sim.execution.executors` - in-process, local processes (``--jobs N``) or Dask
  (``--scheduler``); results come back as tasks finish, in any order;
- :mod:`sim.execution.store` - finished chunks kept in memory or streamed to a work folder;
- :mod:`sim.execution.engine` - runs a plan's missing replications, batch by batch when a
  :mod:`precision <sim.execution.precision>` target asks for more;
- :mod:`sim.execution.session` / :mod:`sim.execution.collect` - the work folder, resume, and
  consolidation of the chunks (in replication order) into run folders.

Whatever the executor and the number of workers, the same plan gives identical files.
"""

from sim.execution.engine import ExecutionReport, execute
from sim.execution.executors import (
    DaskExecutor,
    Executor,
    InProcessExecutor,
    ProcessExecutor,
    make_executor,
)
from sim.execution.plan import ExperimentPlan, RunSpec
from sim.execution.precision import PrecisionTarget
from sim.execution.session import run_plan, work_dir_for

__all__ = [
    "DaskExecutor",
    "ExecutionReport",
    "Executor",
    "ExperimentPlan",
    "InProcessExecutor",
    "PrecisionTarget",
    "ProcessExecutor",
    "RunSpec",
    "execute",
    "make_executor",
    "run_plan",
    "work_dir_for",
]
