"""How much work one request may ask for, and what an experiment is likely to cost.

Everything here is checked before the first replication, so work that cannot fit is refused
at once, with the limit stated, rather than after minutes (or never):

- documented maxima: replications, sweep and Latin hypercube points, scenarios of a
  comparison, local worker processes (a multiple of the cores: 1,000 processes took 67 s to
  start for a 2 s job), and the shape of a Dask scheduler address;
- an estimate of the call attempts, wall time and memory of a plan, from companies, callers,
  days and replications: above :data:`WARN_SECONDS` a warning is logged; above
  :data:`HARD_SECONDS` or the machine's memory the experiment is refused unless forced.
"""

from __future__ import annotations

import logging
import math
import os
import re
from dataclasses import dataclass

from sim.errors import ExperimentError
from sim.execution.plan import ExperimentPlan
from sim.scenario import Scenario
from sim.scenario.scenario import MAX_REPLICATIONS

log = logging.getLogger(__name__)

__all__ = [
    "HARD_SECONDS",
    "MAX_JOBS_PER_CORE",
    "MAX_LHS_POINTS",
    "MAX_MORRIS_LEVELS",
    "MAX_REPLICATIONS",
    "MAX_RUNS",
    "MAX_SWEEP_POINTS",
    "WARN_SECONDS",
    "WorkEstimate",
    "check_count",
    "check_jobs",
    "check_resources",
    "check_scheduler_address",
    "estimate_work",
    "max_jobs",
]

MAX_SWEEP_POINTS = 2000
"""Most points of a grid sweep (the product of the listed values' counts)."""
MAX_LHS_POINTS = 2000
"""Most points of a Latin hypercube sweep (``--points``)."""
MAX_RUNS = 2000
"""Most scenarios in one experiment (compared files, or sweep points)."""
MAX_JOBS_PER_CORE = 4
"""Most local worker processes per processor core (``--jobs``)."""
MAX_MORRIS_LEVELS = 1000
"""Most levels of a Morris grid (``sensitivity --levels``)."""
ATTEMPTS_PER_SECOND = 100_000
"""Call attempts one worker simulates per second, records included (docs/performance.md
measures 140,000-205,000 for the event loop alone); used only for the time estimate."""
BYTES_PER_ATTEMPT = 400
"""Peak memory per call attempt of one replication in a worker (lead state, records, call
log), bytes; an upper estimate."""
COMPANIES_PER_SECOND = 2_000_000
"""Companies of the calling base one worker tabulates per second (the leads table has a row
per company, called or not); used only for the time estimate."""
BYTES_PER_COMPANY = 100
"""Memory per company of the calling base while a replication's leads table is built, bytes."""
BYTES_PER_KEPT_ROW = 200
"""Memory per operator-day or lead row kept when results stay in memory (no ``out``), bytes."""
WARN_SECONDS = 3600.0
"""Estimated wall time above which a warning is logged, seconds (an hour)."""
HARD_SECONDS = 7 * 86400.0
"""Estimated wall time above which an experiment is refused unless forced, seconds (a week)."""

_PORT = r"(?P<port>[1-9][0-9]{0,4})"
_HOST = r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?)"
_TCP = re.compile(rf"^tcp://{_HOST}:{_PORT}$", re.ASCII)
_LOCAL = re.compile(r"^local:([0-9]{1,6})$", re.ASCII)


def cores() -> int:
    """Processor cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def max_jobs() -> int:
    """Most local worker processes (or ``local:N`` Dask workers) on this machine."""
    return MAX_JOBS_PER_CORE * cores()


def check_count(value: int, maximum: int, what: str) -> None:
    """Refuse ``value`` of ``what`` (e.g. "replications") above its documented ``maximum``."""
    if value > maximum:
        raise ExperimentError(f"{value:,} {what} is more than the limit of {maximum:,}")


def check_jobs(jobs: int) -> None:
    """Refuse more local worker processes than :func:`max_jobs`."""
    limit = max_jobs()
    if jobs > limit:
        raise ExperimentError(
            f"{jobs:,} worker processes is more than the limit of {limit} "
            f"({MAX_JOBS_PER_CORE} per core on {cores()} core(s)): starting them would take "
            "longer than the work"
        )


def check_scheduler_address(address: str) -> None:
    """Refuse a ``--scheduler`` that is not ``tcp://HOST:PORT`` or ``local:N``.

    An empty address, a bare ``tcp://``, ``inproc://`` (only reachable inside one Python
    process) and ``tls://`` (it needs certificates callsim cannot pass) are refused, as is
    a ``local:N`` with more workers than :func:`max_jobs`.
    """
    if not isinstance(address, str) or not address.strip():
        raise ExperimentError("--scheduler is empty: give tcp://HOST:PORT or local:N")
    shown = repr(address[:80])
    local = _LOCAL.match(address)
    if local is not None:
        workers = int(local.group(1))
        if workers < 1:
            raise ExperimentError(f"--scheduler local:N needs N >= 1, got {shown}")
        check_jobs(workers)
        return
    tcp = _TCP.match(address)
    if tcp is not None:
        if not 1 <= int(tcp.group("port")) <= 65535:
            raise ExperimentError(f"--scheduler port must be 1 to 65535, got {shown}")
        return
    if address.startswith(("inproc://", "tls://", "ucx://")):
        scheme = address.partition("://")[0]
        raise ExperimentError(
            f"--scheduler {scheme}:// addresses are not supported ({shown}); give "
            "tcp://HOST:PORT of a Dask scheduler or local:N"
        )
    raise ExperimentError(f"--scheduler must be tcp://HOST:PORT or local:N, got {shown}")


@dataclass(frozen=True)
class WorkEstimate:
    """What a plan is likely to cost: call attempts, wall time and peak memory."""

    attempts: float
    seconds: float
    memory_bytes: float

    def describe(self) -> str:
        """E.g. ``about 32,000,000 call attempts, 5 min and 1.2 GB`` (never an exponent)."""
        return (
            f"about {_two_digits(self.attempts)} call attempts, {_duration(self.seconds)} and "
            f"{_two_digits(self.memory_bytes / 1e9)} GB"
        )


def attempts_per_operator_day(scenario: Scenario) -> float:
    """An upper estimate of one caller's attempts in a working day, per team member.

    An attempt takes at least the dial, the ring of its outcome and the wrap-up; talk is left
    out, so the estimate errs high (about 2.5x for the presets).
    """
    worst = 0.0
    for group in scenario.team:
        profile = scenario.profiles[group.profile]
        for name in scenario.segment_weights(group):
            line = scenario.segments[name].line
            minutes = profile.dial_time.expected_min + (
                line.busy_prob * (line.ring_time_busy.expected_min)
                + line.no_answer_prob * line.ring_time_no_answer.expected_min
                + line.invalid_prob * line.ring_time_invalid.expected_min
                + line.answered_prob
                * (
                    line.ring_time_answered.expected_min
                    + profile.wrap_up_time_conversation.expected_min
                )
                + (1.0 - line.answered_prob) * profile.wrap_up_time.expected_min
            )
            worst = max(worst, scenario.shift.length_min / max(minutes, 1e-3))
    return worst


def estimate_work(plan: ExperimentPlan, workers: int, in_memory: bool) -> WorkEstimate:
    """Estimate ``plan`` on ``workers`` workers (results kept in memory if ``in_memory``)."""
    attempts = 0.0
    seconds = 0.0
    peak = 0.0
    kept = 0.0
    for run in plan.runs:
        scenario = run.scenario
        days = scenario.operator_count * scenario.horizon_days
        companies = sum(segment.companies for segment in scenario.segments.values())
        per_replication = days * attempts_per_operator_day(scenario)
        attempts += per_replication * plan.replications
        seconds += plan.replications * (
            per_replication / ATTEMPTS_PER_SECOND + companies / COMPANIES_PER_SECOND
        )
        peak = max(peak, per_replication * BYTES_PER_ATTEMPT + companies * BYTES_PER_COMPANY)
        if in_memory:
            rows = float(days + companies)
            if plan.call_log:
                rows += per_replication
            kept += rows * BYTES_PER_KEPT_ROW * plan.replications
    return WorkEstimate(attempts, seconds / max(1, workers), peak * max(1, workers) + kept)


def check_resources(plan: ExperimentPlan, workers: int, in_memory: bool, force: bool) -> None:
    """Warn about a long experiment; refuse one over the hard bounds unless ``force``."""
    estimate = estimate_work(plan, workers, in_memory)
    memory = _physical_memory()
    over = []
    if estimate.seconds > HARD_SECONDS:
        over.append(f"more than {_duration(HARD_SECONDS)}")
    if memory is not None and estimate.memory_bytes > memory:
        over.append(f"more memory than this machine's {_two_digits(memory / 1e9)} GB")
    if over:
        if not force:
            raise ExperimentError(
                f"this experiment would take {' and '.join(over)} ({estimate.describe()}, "
                f"{plan.replications:,} replications on {workers} worker(s)); reduce "
                "replications, days, callers or points, or pass --force to run it anyway"
            )
        log.warning("running despite the estimate (--force): %s", estimate.describe())
    elif estimate.seconds > WARN_SECONDS:
        log.warning("this experiment may take long: %s", estimate.describe())


def _physical_memory() -> float | None:
    try:
        return float(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not POSIX
        return None


def _two_digits(value: float) -> str:
    """``value`` to two significant digits, grouped, never in scientific notation."""
    if not math.isfinite(value) or value <= 0:
        return f"{value:g}"
    decimals = max(1 - math.floor(math.log10(value)), 0)
    return f"{round(value, 1 - math.floor(math.log10(value))):,.{decimals}f}"


def _duration(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "forever"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} days"
