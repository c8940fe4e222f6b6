"""A caller (operator) working through shifts: the only SimPy process of the model.

Each working day the caller starts at the shift start and repeats: take a break if one has
fallen due; ask the lead pool for a lead; if nothing is callable, wait (idle) until a callback
falls due, a break falls due or the shift ends; otherwise
make one **call attempt**. The attempt's whole path and durations are computed up front from the
company's uniforms and the caller's duration streams, recorded, and time advances once with a
single timeout (about one SimPy event per attempt). New attempts start only while the shift
runs; the attempt in progress at the end is finished and its excess recorded as overrun.
If that overrun reaches into the next working day, the next shift starts (and ends) that much
later, so every operator-day still accounts for exactly its shift plus overrun.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass
from itertools import repeat
from typing import Any

import simpy

from sim.model.decisions import (
    DM_UNAVAILABLE,
    GATEKEEPER_NONE,
    INVALID,
    MEETING,
    CallParams,
    decide_attempt,
)
from sim.model.leads import LeadPool
from sim.model.outcomes import N_OUTCOMES
from sim.model.sampling import DurationStream
from sim.scenario import MINUTES_PER_DAY, Shift
from sim.streams import DRAWS_PER_ATTEMPT


@dataclass(frozen=True, slots=True)
class SegmentKit:
    """What a caller needs to call one segment: thresholds and duration streams (minutes)."""

    params: CallParams
    ring: tuple[DurationStream, DurationStream, DurationStream, DurationStream]
    """Ring time by line outcome: busy, no answer, invalid, answered."""
    gatekeeper_talk: DurationStream
    hop_talk: DurationStream
    dm_unavailable_talk: DurationStream
    discovery_talk: tuple[DurationStream, ...]
    """Discovery talk for outcomes meeting, hot lead, long-term, no need, refusal."""
    booking_talk: DurationStream


@dataclass(frozen=True, slots=True)
class OperatorDesk:
    """The caller's own duration streams and the segments they call."""

    dial: DurationStream
    wrap_up: DurationStream
    wrap_up_conversation: DurationStream
    segment_choice: Iterator[float]
    segments: tuple[int, ...]
    cum_weights: tuple[float, ...]
    kits: list[SegmentKit | None]
    """Indexed by segment number; None for segments the caller does not call."""


class Recorder:
    """What a replication records; every KPI is derived from it after the run.

    For each operator-day, per segment: a histogram of attempt *paths* and the sums
    ``[dial_min, talk_min, wrap_min, referral hops]``; plus the day's break, idle and overrun
    minutes. A path's index is ``(outcome * 3 + gatekeeper) * 2 + callback_scheduled``
    (decoded by :func:`sim.metrics.path_indicators`). With ``call_log``, also one row per
    attempt: ``(day, operator, segment, company, attempt_no, outcome, gatekeeper, hops,
    callback, start_min, dial_min, talk_min, wrap_min)``, ``start_min`` from the shift start.
    """

    __slots__ = ("calls", "days", "n_segments")

    def __init__(self, n_segments: int, call_log: bool = False) -> None:
        self.n_segments = n_segments
        self.days: list[tuple[int, int, list[Any], list[Any], float, float, float]] = []
        self.calls: list[tuple[Any, ...]] | None = [] if call_log else None

    @property
    def path_count(self) -> int:
        """Length of a path histogram."""
        return N_OUTCOMES * 3 * 2



def operator_process(env: simpy.Environment, operator: int, desk: OperatorDesk, pool: LeadPool,
                     shift: Shift, horizon_days: int,
                     recorder: Recorder) -> Generator[simpy.Event, Any, None]:
    """Run one caller through every working day of the horizon."""
    break_offsets = shift.break_due_times_min()
    break_length = shift.break_length_min
    calls = recorder.calls
    path_count = recorder.path_count
    select, finish, load_draws = pool.select, pool.finish, pool.load_draws
    segments, cum_weights, kits = desk.segments, desk.cum_weights, desk.kits
    queue_id = pool.callback_queue(segments)
    choose = desk.segment_choice if len(segments) > 1 else repeat(0.0)
    dial_stream = desk.dial
    wrap_stream, wrap_conversation_stream = desk.wrap_up, desk.wrap_up_conversation
    timeout = env.timeout
    inf = float("inf")
    for day in range(horizon_days):
        day_start = start = day * MINUTES_PER_DAY
        if env.now < start:
            yield timeout(start - env.now)
        # A call that ran past the next shift's start (over 16 h of overrun, only with extreme
        # duration tails) delays that shift as a whole: the caller still works a full shift.
        start = env.now
        end = start + shift.length_min
        breaks = [start + b for b in break_offsets] + [inf]
        next_break_at = breaks[0]
        next_break = 0
        next_stop = min(end, next_break_at)
        break_min = idle_min = 0.0
        histograms: list[Any] = [None] * recorder.n_segments
        minutes: list[Any] = [None] * recorder.n_segments
        for s in segments:
            histograms[s] = [0] * path_count
            minutes[s] = [0.0, 0.0, 0.0, 0]
        while True:
            now = env.now
            if now >= next_stop:  # the shift is over or a break is due
                if now >= end:
                    break
                pause = min(break_length, end - now)
                next_break += 1
                next_break_at = breaks[next_break]
                next_stop = min(end, next_break_at)
                break_min += pause
                yield timeout(pause)
                continue
            lead = select(now, queue_id, segments, cum_weights, next(choose))
            if lead is None:
                wake = min(pool.next_due_min(queue_id), next_break_at, end)
                # Nothing of this caller's can become callable before ``wake``: fresh leads only
                # run out, and a new callback in these segments needs an attempt on a lead of
                # these segments, none of which falls due before ``wake``.
                yield timeout(wake - now)
                idle_min += env.now - now
                continue
            seg = lead.segment
            kit = kits[seg]
            attempt_no = lead.attempts
            if attempt_no >= lead.draws_end:
                load_draws(lead)
            start_draw = lead.draws_offset + attempt_no * DRAWS_PER_ATTEMPT
            draws = lead.draws[start_draw:start_draw + DRAWS_PER_ATTEMPT]
            outcome, gatekeeper, hops = decide_attempt(draws, kit.params, lead.dm_known)
            if outcome <= INVALID:
                dial = next(dial_stream) + next(kit.ring[outcome])
                talk = 0.0
                wrap = next(wrap_stream)
            else:
                dial = next(dial_stream) + next(kit.ring[3])
                talk = next(kit.gatekeeper_talk) if gatekeeper != GATEKEEPER_NONE else 0.0
                for _ in range(hops):
                    talk += next(kit.hop_talk)
                if outcome == DM_UNAVAILABLE:
                    talk += next(kit.dm_unavailable_talk)
                elif outcome >= MEETING:
                    talk += next(kit.discovery_talk[outcome - MEETING])
                    if outcome == MEETING:
                        talk += next(kit.booking_talk)
                wrap = next(wrap_conversation_stream)
            duration = dial + talk + wrap
            callback = finish(lead, outcome, now + duration, day)
            histograms[seg][(outcome * 3 + gatekeeper) * 2 + callback] += 1
            acc = minutes[seg]
            acc[0] += dial
            acc[1] += talk
            acc[2] += wrap
            acc[3] += hops
            if calls is not None:
                calls.append((day, operator, seg, lead.index, attempt_no, outcome, gatekeeper,
                               hops, callback, now - day_start, dial, talk, wrap))
            yield timeout(duration)
        recorder.days.append((day, operator, histograms, minutes, break_min, idle_min,
                              max(0.0, env.now - end)))
