"""One replication: build the model, run the whole horizon, tabulate the records."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from sim._core import require_core
from sim.model.build import build_replication, operator_roster
from sim.records.tables import ReplicationTables, tabulate
from sim.scenario import Scenario


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while the event loop runs.

    A replication allocates hundreds of thousands of small containers that all live until the
    end; CPython's generational collector would rescan them repeatedly (about a third of the
    run time). Reference counting still frees everything acyclic as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def simulate_replication(
    scenario: Scenario, root_seed: int, replication: int, call_log: bool = False
) -> ReplicationTables:
    """Simulate replication ``replication`` of ``scenario`` under ``root_seed``.

    The result depends only on these arguments, never on which process runs it, nor on
    which core (compiled or pure Python) runs the per-attempt loop.
    """
    require_core()
    with _no_cyclic_gc():
        env, pool, recorder = build_replication(scenario, root_seed, replication, call_log)
        env.run()
    return tabulate(scenario, operator_roster(scenario), pool, recorder, replication)
