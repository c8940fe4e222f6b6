"""Where tasks run: in this process, on local worker processes, or on a Dask cluster.

Every executor runs :func:`sim.execution.tasks.run_chunk` on a list of tasks and yields the
results as they finish (in any order); the caller stores them by replication number, so the
results never depend on the executor or the number of workers. Executors are context
managers: workers start on ``__enter__`` and stop on ``__exit__``, so one pool serves every
batch and every scenario of an experiment. Interrupting (Ctrl-C, SIGTERM) stops the workers
at once; finished tasks have already been handed back. An executor that cannot start its
workers, or loses them (a Dask scheduler gone), raises :class:`~sim.errors.ExecutionError`;
a scheduler address that cannot be reached at the start is an
:class:`~sim.errors.ExperimentError` (bad input).
"""

from __future__ import annotations

import logging
import multiprocessing
import numbers
import signal
from collections.abc import Iterator, Sequence
from concurrent.futures import CancelledError
from typing import Any

from sim._core import ENV as CORE_ENV
from sim._core import core_info
from sim.errors import ExecutionError, ExperimentError
from sim.execution.interrupts import check_stop
from sim.execution.limits import check_scheduler_address
from sim.execution.tasks import ChunkResult, ChunkTask, run_chunk

log = logging.getLogger(__name__)


class Executor:
    """Runs tasks; subclasses say how. Use as a context manager."""

    name = "executor"

    @property
    def workers(self) -> int:
        """Tasks that can run at once (used to size chunks)."""
        return 1

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self.terminate()

    def close(self) -> None:
        """Stop the workers once idle (idempotent)."""

    def terminate(self) -> None:
        """Stop the workers now, abandoning running tasks (after an error or Ctrl-C)."""
        self.close()

    def run(self, tasks: Sequence[ChunkTask]) -> Iterator[ChunkResult]:
        """Run ``tasks``, yielding each result as it finishes."""
        raise NotImplementedError


class InProcessExecutor(Executor):
    """Runs tasks one after another in this process (``--jobs 1``)."""

    name = "in-process"

    def run(self, tasks: Sequence[ChunkTask]) -> Iterator[ChunkResult]:
        for task in tasks:
            yield run_chunk(task)


def _worker_signals() -> None:
    """Worker initializer: Ctrl-C is the parent's to handle (it terminates the pool).

    SIGTERM ends a worker as usual, whatever handler the parent had installed when it forked.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


class ProcessExecutor(Executor):
    """Runs tasks on ``jobs`` local worker processes (``--jobs N``)."""

    name = "processes"

    def __init__(self, jobs: int) -> None:
        if jobs < 1:
            raise ExperimentError(f"jobs must be at least 1, got {jobs}")
        self.jobs = jobs
        self._pool: Any = None

    @property
    def workers(self) -> int:
        return self.jobs

    def __enter__(self) -> ProcessExecutor:
        try:
            self._pool = multiprocessing.get_context().Pool(self.jobs, initializer=_worker_signals)
        except OSError as error:  # no processes or file descriptors left
            raise ExecutionError(f"cannot start {self.jobs} worker processes: {error}") from None
        try:
            check_stop()  # a SIGTERM while the pool forked is raised here, not lost
        except BaseException:
            self.terminate()
            raise
        return self

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None

    def terminate(self) -> None:
        """Stop the workers now, abandoning running tasks."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def run(self, tasks: Sequence[ChunkTask]) -> Iterator[ChunkResult]:
        if self._pool is None:
            raise RuntimeError("ProcessExecutor used outside its 'with' block")
        try:
            for result in self._pool.imap_unordered(run_chunk, tasks, chunksize=1):
                check_stop()
                yield result
        except BaseException:
            self.terminate()
            raise


class DaskExecutor(Executor):
    """Runs tasks on a Dask distributed cluster.

    ``scheduler`` is ``tcp://host:port`` (an existing scheduler; its workers need callsim
    installed) or ``local:N`` (start a :class:`distributed.LocalCluster` of N single-threaded
    worker processes for the duration of the experiment).
    """

    name = "dask"

    def __init__(self, scheduler: str) -> None:
        self.scheduler = scheduler
        self._client: Any = None
        self._cluster: Any = None
        self._client_log_level: int | None = None

    @property
    def workers(self) -> int:
        if self._client is None:
            return 1
        try:
            info = self._client.scheduler_info()
        except _LOST:  # the scheduler is gone: submitting will say so
            return 1
        return max(1, sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()))

    def __enter__(self) -> DaskExecutor:
        try:
            from distributed import Client, LocalCluster
        except ImportError:  # pragma: no cover - optional dependency
            raise ExperimentError(
                "--scheduler needs Dask distributed: pip install 'callsim[distributed]'"
            ) from None
        try:
            if self.scheduler.startswith("local:"):
                n = _local_workers(self.scheduler)
                self._cluster = LocalCluster(
                    n_workers=n,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                    # The workers run the core this process runs (or fail, never silently
                    # another one).
                    env={CORE_ENV: core_info().name},
                )
                self._client = Client(self._cluster)
            else:
                self._client = Client(self.scheduler, timeout=CONNECT_TIMEOUT_S)
        except ExperimentError:
            raise
        except Exception as error:
            self.close()
            if not self.scheduler.startswith("local:"):
                raise ExperimentError(
                    f"cannot reach Dask scheduler {self.scheduler}: {_one_line(error)}"
                ) from None
            raise ExecutionError(
                f"cannot start a Dask cluster for {self.scheduler}: {_one_line(error)}"
            ) from None
        log.info("Dask scheduler %s with %d worker threads", self.scheduler, self.workers)
        # A lost scheduler is reported once, by run(); not also as the client's reconnection
        # tracebacks.
        self._client_log_level = _CLIENT_LOG.level
        _CLIENT_LOG.setLevel(logging.CRITICAL)
        try:
            check_stop()  # a SIGTERM lost while the cluster started its workers
        except BaseException:
            self.close()
            raise
        return self

    def close(self) -> None:
        client, cluster = self._client, self._cluster
        self._client = self._cluster = None
        try:
            if client is not None:
                client.close(timeout=CONNECT_TIMEOUT_S)
            if cluster is not None:
                cluster.close()
        except Exception:  # a scheduler already gone: nothing left to close
            log.debug("closing the Dask client", exc_info=True)
        finally:
            if self._client_log_level is not None:
                _CLIENT_LOG.setLevel(self._client_log_level)
                self._client_log_level = None

    def run(self, tasks: Sequence[ChunkTask]) -> Iterator[ChunkResult]:
        from distributed import as_completed

        if self._client is None:
            raise RuntimeError("DaskExecutor used outside its 'with' block")
        client = self._client
        try:
            futures = [client.submit(run_chunk, task, pure=False) for task in tasks]
        except _LOST as error:
            raise self._lost(error) from None
        try:
            for future in as_completed(futures):
                result = future.result()
                future.release()
                yield result
        except _LOST as error:
            raise self._lost(error) from None
        except BaseException:
            _cancel(client, futures)
            raise

    def _lost(self, error: BaseException) -> ExecutionError:
        self.terminate()
        reason = "connection lost" if isinstance(error, CancelledError) else _one_line(error)
        return ExecutionError(f"lost the Dask scheduler {self.scheduler} mid-run ({reason})")


def _cancel(client: Any, futures: list[Any]) -> None:
    try:
        client.cancel(futures)
    except Exception:  # the scheduler may be gone already
        log.debug("cancelling Dask futures", exc_info=True)


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:200]


_CLIENT_LOG = logging.getLogger("distributed.client")
CONNECT_TIMEOUT_S = 30
"""Seconds to wait for a Dask scheduler (at the start, and when closing)."""
_LOST = (OSError, CancelledError, TimeoutError)
"""What a Dask client raises when its scheduler is gone (CommClosedError is an OSError;
futures of a lost scheduler are cancelled)."""


def _local_workers(scheduler: str) -> int:
    text = scheduler.partition(":")[2]
    if not text.isdigit() or int(text) < 1:
        raise ExperimentError(f"--scheduler local:N needs a worker count N >= 1, got {scheduler!r}")
    return int(text)


def make_executor(jobs: int = 1, scheduler: str | None = None) -> Executor:
    """The executor for ``--scheduler`` (Dask) if given, else ``jobs`` local processes.

    ``jobs=1`` runs in this process. Raises :class:`ExperimentError` for a bad request.
    """
    if scheduler is not None:  # an empty address is refused, not taken for "run locally"
        check_scheduler_address(scheduler)
        return DaskExecutor(scheduler)
    if isinstance(jobs, bool) or not isinstance(jobs, numbers.Integral) or jobs < 1:
        raise ExperimentError(f"jobs must be a whole number of at least 1, got {jobs!r}")
    return InProcessExecutor() if jobs == 1 else ProcessExecutor(int(jobs))
