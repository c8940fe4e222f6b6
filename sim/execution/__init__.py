"""Executing experiments: executors, chunked tasks, streaming store with resume, precision.

The pieces, from the bottom up:

- :mod:`sim.execution.tasks` - a task is a chunk of consecutive replications of one scenario;
- :mod:`sim.execution.executors` - in-process, local processes (``--jobs N``) or Dask
  (``--scheduler``); results come back as tasks finish, in any order;
- :mod:`sim.execution.store` - finished chunks kept in memory or streamed to a work folder;
- :mod:`sim.execution.session` - the work folder of an unfinished experiment, and resuming it;
- :mod:`sim.execution.engine` - runs a plan's missing replications, batch by batch when a
  :mod:`precision <sim.execution.precision>` target asks for more.

Whatever the executor and the number of workers, the same plan gives identical tables.
Writing the results folder is :mod:`sim.storage`'s; :mod:`sim.api.pipeline` puts the two
together.
"""
