"""A caller (operator) working through shifts: the only SimPy process of the model.

Each working day the caller starts at the shift start and repeats: take a break if one has
fallen due; ask the lead pool for a lead; if nothing is callable, wait (idle) until a callback
falls due, a break falls due or the shift ends; otherwise make one **call attempt**. The
attempt's whole path and durations are computed up front from the company's uniforms and the
caller's duration streams, recorded, and time advances once with a single timeout (one SimPy
event per attempt; a break that fell due during the call is added to that same timeout). New
attempts start only while the shift runs; the attempt in progress at the end is finished and
its excess recorded as overrun. If that overrun reaches into the next working day, the next
shift starts (and ends) that much later, so every operator-day still accounts for exactly its
shift plus overrun.

**Idle callers cost no events of their own.** Once a list is worked out, most callers wait
for callbacks. An idle caller runs *ahead* of SimPy's clock on its own: it idles, takes its
breaks and ends its days arithmetically, and the callback it will take is decided as soon as
it falls idle: the earliest pending one, if it falls due while the caller is free (callers
take callbacks in the order they fell idle; nothing else in its segments can fall due
earlier, see :meth:`LeadPool.next_due_min`). One timeout then covers the wait and the
attempt. Only a callback that falls due while the caller is on a break or off shift costs
an extra event: the caller catches SimPy's clock up to its own and looks again, since
others may take it meanwhile. So events per attempt stay near 1 whatever the idle share.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from heapq import heappop, heappush
from itertools import repeat
from typing import Any, Protocol, cast

import cython
import simpy

from sim.model.air_time import AirTime
from sim.model.decisions import CallParams, decide_attempt
from sim.model.leads import Lead, LeadPool
from sim.model.outcomes import ANSWERED, DM_CONTACT, LEARNS_DM
from sim.model.records import (
    CALLBACK_STATES,
    GATEKEEPER_STATES,
    TALLY_DIAL_MIN,
    TALLY_HOPS,
    TALLY_SUMS,
    TALLY_TALK_MIN,
    TALLY_WRAP_MIN,
    Recorder,
    new_tally,
)
from sim.model.sales_desk import SalesDesk
from sim.model.sampling import DurationPairStream, DurationStream
from sim.model.shift_clock import BreakClock, clock_step
from sim.model.streams import DRAWS_PER_ATTEMPT
from sim.scenario import MINUTES_PER_DAY, Shift


# No slots=True: the compiled core makes this an extension type (see the .pxd).
@dataclass(frozen=True)
class SegmentDurations:
    """A caller's duration streams (minutes) for calling one segment.

    Per caller: each stream is drawn from the caller's own random stream, so the seam for
    anything that changes how long a caller takes (learning, fatigue) is here.
    """

    line_times: tuple[DurationPairStream, ...]
    """Indexed by outcome code: ``(dial plus ring, wrap-up)`` minutes. The line outcomes (busy,
    no answer, invalid) have their own ring times; every answered outcome shares one stream
    (answered ring time, then the wrap-up after a conversation)."""
    gatekeeper_talk: DurationStream
    hop_talk: DurationStream
    """Talk with one specialist of the referral chain (per hop)."""
    stage_talk: tuple[DurationStream, ...]
    """Indexed by outcome code: the talk that ends the attempt after any gatekeeper and hops
    (DM unavailable, discovery, discovery plus booking for a meeting; zero for the rest)."""


class DayThresholds(Protocol):
    """A caller's decision thresholds (:class:`CallParams`) by segment, for each working day.

    The seam for whatever makes a caller's odds change over time (learning curves, fatigue,
    time of day, dialer modes): the per-attempt loop asks once per working day.
    """

    def on_day(self, day: int) -> Sequence[CallParams | None]:
        """Thresholds by segment number on working ``day`` (None: a segment not called)."""
        ...


class DayDurations(Protocol):
    """A caller's duration streams by segment, for each working day (a ramping caller's)."""

    def durations_on_day(self, day: int) -> Sequence[SegmentDurations | None] | None:
        """Duration streams by segment number on working ``day`` (None: not called).

        None instead of a sequence: nobody works in the seat that day. Asked before
        :meth:`DayThresholds.on_day`.
        """
        ...


@dataclass(frozen=True, slots=True)
class FixedThresholds:
    """The same thresholds every day: a caller whose odds never change."""

    by_segment: tuple[CallParams | None, ...]

    def on_day(self, day: int) -> Sequence[CallParams | None]:
        """Thresholds by segment number, whatever the day."""
        return self.by_segment


@dataclass(frozen=True, slots=True)
class OperatorDesk:
    """The caller's segment mix, decision thresholds and duration streams."""

    segment_choice: Iterator[float]
    segments: tuple[int, ...]
    cum_weights: tuple[float, ...]
    """Cumulative segment-mix weights, normalised to end at exactly 1."""
    thresholds: DayThresholds
    durations: list[SegmentDurations | None]
    """Indexed by segment number; None for segments the caller does not call."""
    sales: SalesDesk | None = None
    """Fit, list policy and meeting hooks of issue #12 (None: all off)."""
    day_durations: DayDurations | None = None
    """Streams that change by day (a ramp-up, :mod:`sim.model.ramp`); None: ``durations``."""
    kits: Callable[[Iterable[Any]], list[Any]] = list
    """Makes the day's list of ``(thresholds, durations)`` by segment: a plain list, or one
    whose lookups follow the hour (time of day, :mod:`sim.model.time_of_day`)."""
    air_time: AirTime | None = None
    """The caller's air-time rule (:mod:`sim.model.air_time`); None: no rule."""


@cython.locals(
    # Typed for the compiled core (operator.pxd imports the types); no effect in Python.
    lead=Lead,
    params=CallParams,
    times=SegmentDurations,
    tally=list,
    queue=list,
    now=cython.double,
    day_start=cython.double,
    shift_start=cython.double,
    end=cython.double,
    next_stop=cython.double,
    idle_min=cython.double,
    pause=cython.double,
    due=cython.double,
    wait=cython.double,
    dial=cython.double,
    wrap=cython.double,
    talk=cython.double,
    duration=cython.double,
    end_of_break=cython.double,
    last_callable_min=cython.double,
    day=cython.Py_ssize_t,
    days=cython.Py_ssize_t,
    seg=cython.Py_ssize_t,
    attempt_no=cython.Py_ssize_t,
    attempts=cython.Py_ssize_t,
    outcome=cython.Py_ssize_t,
    gatekeeper=cython.Py_ssize_t,
    hops=cython.Py_ssize_t,
    _hop=cython.Py_ssize_t,
    callback=cython.Py_ssize_t,
    seq=cython.Py_ssize_t,
    claimed=cython.Py_ssize_t,
    waiting=cython.Py_ssize_t,
    max_attempts=cython.Py_ssize_t,
    path_at=cython.Py_ssize_t,
    dial_at=cython.Py_ssize_t,
    talk_at=cython.Py_ssize_t,
    wrap_at=cython.Py_ssize_t,
    hops_at=cython.Py_ssize_t,
    gk_states=cython.Py_ssize_t,
    callback_states=cython.Py_ssize_t,
    ahead=cython.bint,
    keeps_clock=cython.bint,
    answered=tuple,
    learns_dm=tuple,
    dm_contact=tuple,
)
def operator_process(
    env: simpy.Environment,
    operator: int,
    desk: OperatorDesk,
    pool: LeadPool,
    shift: Shift,
    days: int,
    recorder: Recorder,
) -> Generator[simpy.Event, Any, None]:
    """Run one caller through ``days`` working days (the warm-up days, then the horizon's).

    This loop runs once per call attempt, so it is written for speed: everything it touches is
    bound to a local name first, and the lead pool's two per-attempt steps (taking a due
    callback and applying the retry rules after the attempt) are inlined; :class:`LeadPool`
    documents the structures they work on. ``now`` is the caller's clock: while working, after
    ``yield timeout(d)`` SimPy's clock is exactly ``now + d`` (the same float addition); while
    idle (``ahead``) it runs ahead of SimPy's, and every timeout then starts from
    ``env.now``.
    """
    calls = recorder.calls
    sales = desk.sales
    fresh, load_draws = pool.fresh, pool.load_draws
    if sales is not None and sales.fresh is not None:
        fresh = sales.fresh
    hold = None if sales is None else sales.hold
    retry_delays, settle, max_attempts = pool.retry_delays, pool.settle, pool.max_attempts
    sequence, queues_of_segment = pool.sequence, pool.queues_of_segment
    last_callable_min = pool.last_callable_min
    segments, cum_weights = desk.segments, desk.cum_weights
    durations, day_durations, make_kits = desk.durations, desk.day_durations, desk.kits
    air = desk.air_time
    lead: Lead | None
    answered, learns_dm, dm_contact = ANSWERED, LEARNS_DM, DM_CONTACT
    dial_at, talk_at, wrap_at, hops_at = TALLY_DIAL_MIN, TALLY_TALK_MIN, TALLY_WRAP_MIN, TALLY_HOPS
    gk_states, callback_states = GATEKEEPER_STATES, CALLBACK_STATES
    queue = pool.callback_queue(segments)
    choose = desk.segment_choice if len(segments) > 1 else repeat(0.0)
    timeout = env.timeout
    path_at = TALLY_SUMS
    next_due_min, pending_until = pool.next_due_min, pool.pending_until
    claims = pool.claims(segments)
    fresh_open = pool.fresh_open
    # No running ahead when the day's kits read SimPy's clock, or when the caller holds
    # meetings that others may book for its coming days.
    keeps_clock = make_kits is not list or hold is not None
    # ``ahead``: the caller idles on its own clock ``now``, past SimPy's (see the docstring).
    ahead = False
    for day in range(days):
        day_start = day * MINUTES_PER_DAY
        if not ahead and env.now < day_start:
            yield timeout(day_start - env.now)
        streams: Sequence[SegmentDurations | None] | None
        if day_durations is None:
            streams = durations
        else:
            streams = day_durations.durations_on_day(day)  # asked first: settles who works
            if streams is None:  # the seat is empty today (turnover)
                continue
        # A caller still ahead idled through the evening with no event. A call that ran past
        # the next shift's start (over 16 h of overrun, only with extreme duration tails)
        # delays that shift as a whole: the caller still works a full shift.
        now = day_start if ahead else env.now
        clock = BreakClock(now, shift)
        shift_start, end, next_stop = now, clock.end, clock.next_stop
        if hold is not None and (away := hold(operator, day)):  # meetings end the calling day
            end = clock.end = end - away
            next_stop = clock.next_stop = min(next_stop, end)
        idle_min = 0.0
        # Today's thresholds beside the caller's duration streams, by segment: one lookup per
        # attempt (segments the caller does not call are never looked up).
        day_kits = cast(
            "list[tuple[CallParams, SegmentDurations]]",
            make_kits(zip(desk.thresholds.on_day(day), streams, strict=True)),
        )
        tallies: list[Any] = [None] * recorder.n_segments
        for s in segments:
            tallies[s] = new_tally()
        while True:
            if now >= next_stop:  # the shift is over, or a break fell due while idle
                if now >= end:
                    break
                pause = clock.take_break(now)
                next_stop = clock.next_stop
                if not ahead:
                    yield timeout(pause)
                now += pause
                continue
            if ahead:
                lead = None
            else:
                # The earliest due callback of the caller's segments first (see LeadPool on
                # stale entries), else a fresh lead.
                while queue and queue[0][0] <= now:
                    _, seq, lead = heappop(queue)
                    if lead.callback_seq == seq:
                        lead.callback_seq = 0  # the copies in other segment sets are stale
                        break
                else:
                    lead = fresh(day, segments, cum_weights, next(choose))
            if lead is None:
                # Nothing callable now. Nothing of this caller's can become callable before
                # ``due``: fresh leads only run out, and a new callback in these segments
                # needs an attempt on a lead of these segments, none of which is due before.
                due = next_due_min(queue)
                if keeps_clock or (fresh_open is not None and fresh_open(segments)):
                    # No running ahead when the caller's odds follow SimPy's clock (time of
                    # day, fatigue), or when others may still call fresh companies of these
                    # segments (their callbacks join the heap at any time): wait on SimPy's
                    # clock for the earliest of the next due callback, break and shift end,
                    # and look again. (A callback others schedule meanwhile is seen then.)
                    wait = clock_step(now, min(due, next_stop))
                    yield timeout(wait)
                    idle_min += (now + wait) - now
                    now += wait
                    continue
                entry = queue[0] if queue else None
                if due <= now and now != shift_start:
                    # Only when ahead, at the end of a break: callbacks fell due meanwhile,
                    # and callers free during the break may take them. One caller per such
                    # callback catches SimPy's clock up to its own (one event) and looks
                    # again; once each has one, the others go on from the next callback.
                    # (At the shift start nobody was free earlier: what fell due overnight
                    # is taken below like any other.)
                    waiting, entry = pending_until(queue, now)
                    claimed = claims.get(now, 0)
                    if claimed < waiting:
                        end_of_break = now
                        claims[end_of_break] = claimed + 1
                        yield timeout(clock_step(env.now, now))
                        now, ahead = env.now, False
                        if claims[end_of_break] == 1:
                            del claims[end_of_break]
                        else:
                            claims[end_of_break] -= 1
                        continue
                    due = entry[0] if entry is not None else math.inf
                if due >= next_stop or entry is None:
                    # Idle up to the break or the shift end on the caller's own clock.
                    idle_min += next_stop - now
                    now, ahead = next_stop, True
                    continue
                # Idle until the callback falls due, and take it now: callers wait in the
                # order they fell idle, and this one is the first free at ``due``. Its
                # attempt is computed here and one timeout covers the wait and the attempt.
                lead = entry[2]
                lead.callback_seq = 0  # taken: every heap's copy is stale now
                if due > now:
                    idle_min += due - now
                    now = due
                ahead = True

            # The attempt's path, from the company's uniforms for this attempt.
            seg = lead.segment
            params, times = day_kits[seg]
            attempt_no = lead.attempts
            if attempt_no >= lead.draws_end:
                load_draws(lead)
            outcome, gatekeeper, hops = decide_attempt(
                lead.draws,
                params,
                lead.dm_known,
                lead.draws_offset + attempt_no * DRAWS_PER_ATTEMPT,
            )
            tally = tallies[seg]

            # Its durations, from the caller's streams (minutes).
            dial, wrap = next(times.line_times[outcome])
            if sales is not None:
                # Fit may move a DM conversation's outcome to another DM conversation's,
                # which shares its (dial, wrap) stream; research adds to a first dial.
                outcome, dial = sales.attempt(lead, params, outcome, dial, operator, day)
            if not answered[outcome]:
                talk = 0.0
            else:
                talk = next(times.stage_talk[outcome])
                if gatekeeper:
                    talk += next(times.gatekeeper_talk)
                if hops:
                    for _hop in range(hops):
                        talk += next(times.hop_talk)
                    tally[hops_at] += hops
                if air is not None:  # a manager's air-time rule stretches the talk
                    outcome, talk = air.talk(
                        lead, attempt_no, outcome, talk, day, now - shift_start
                    )
                tally[talk_at] += talk
            duration = dial + talk + wrap

            # The company's state afterwards, by the pool's retry rules (the common case here,
            # the rest in LeadPool.settle).
            lead.attempts = attempts = attempt_no + 1
            if learns_dm[outcome]:
                lead.dm_known = True
                if dm_contact[outcome] and lead.dm_contact_day < 0:
                    lead.dm_contact_day = day
                    lead.dm_contact_attempt = attempts
            delay = retry_delays[outcome]
            if delay is None or attempts - lead.budget_start >= max_attempts:
                delay = settle(lead, outcome, now + duration)
            if delay is None:
                callback = 0
            else:
                callback = 1
                due = now + duration + delay
                if due <= last_callable_min:
                    lead.callback_seq = seq = next(sequence)
                    entry = (due, seq, lead)
                    for callback_queue in queues_of_segment[seg]:
                        heappush(callback_queue, entry)

            # The path's slot: TALLY_SUMS + records.path_index(outcome, gatekeeper, callback).
            tally[path_at + (outcome * gk_states + gatekeeper) * callback_states + callback] += 1
            tally[dial_at] += dial
            tally[wrap_at] += wrap
            if calls is not None:
                calls.append(  # a row of records.CALL_LOG_FIELDS
                    (
                        day,
                        operator,
                        seg,
                        lead.index,
                        attempt_no,
                        outcome,
                        gatekeeper,
                        hops,
                        callback,
                        now - day_start,
                        dial,
                        talk,
                        wrap,
                    )
                )
            if now + duration >= next_stop and now + duration < end:
                # A break fell due during the call: it starts when the call ends, and the
                # same timeout covers both.
                duration += clock.take_break(now + duration)
                next_stop = clock.next_stop
            if ahead:  # the wait for a callback and its attempt, in one event
                yield timeout(clock_step(env.now, now) + duration)
                now, ahead = env.now, False
            else:
                yield timeout(duration)
                now += duration
        recorder.days.append(
            (day, operator, tallies, clock.taken_min, idle_min, max(0.0, now - end))
        )
