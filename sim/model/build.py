"""Wiring of one replication: the lead pool, one process per caller, and the recorder.

Structure only: who calls which segment with which samplers. Behaviour lives in
:mod:`sim.model.operator` (time) and :mod:`sim.model.decisions` (call paths).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from itertools import accumulate, repeat
from typing import Any

import numpy as np
import simpy

from sim.model.air_time import AirTime
from sim.model.behaviour import BoxTicker, DriftingChoice
from sim.model.decisions import CallParams, compile_call_params
from sim.model.leads import LeadPool, called_segments
from sim.model.operator import (
    DayThresholds,
    FixedThresholds,
    OperatorDesk,
    SegmentDurations,
    operator_process,
)
from sim.model.outcomes import ANSWERED, DM_CONTACT, N_OUTCOMES, Outcome
from sim.model.ramp import Career
from sim.model.records import Recorder
from sim.model.sales_desk import build_sales
from sim.model.sampling import (
    DurationStream,
    duration_stream,
    pair_stream,
    sum_stream,
    uniform_stream,
)
from sim.model.streams import Purpose, generator, name_key
from sim.model.time_of_day import TimedTable
from sim.scenario import Profile, Scenario, Segment
from sim.scenario.people import COUNT_UNITS
from sim.scenario.time_of_day import TimeOfDay


@dataclass(frozen=True)
class OperatorInfo:
    """Who operator number ``index`` is."""

    index: int
    operator: str
    group: str
    profile: str


def operator_roster(scenario: Scenario) -> list[OperatorInfo]:
    """Every caller of the team in order, with ids like ``student-03``."""
    roster: list[OperatorInfo] = []
    for group, label in zip(scenario.team, scenario.group_labels, strict=True):
        width = max(2, len(str(group.count)))
        for k in range(group.count):
            roster.append(
                OperatorInfo(len(roster), f"{label}-{k + 1:0{width}d}", label, group.profile)
            )
    return roster


@dataclass(frozen=True)
class CallerTraits:
    """One caller's personal multipliers around the profile (1 = the profile as written)."""

    speed: float
    """The caller's dial, talk and wrap-up times are divided by this."""
    skill: float
    """The caller's gatekeeper, discovery and booking skills are multiplied by this."""


def _lognormal_mean_one(z: float, spread: float) -> float:
    """``exp(spread * z - spread² / 2)``: lognormal with mean 1 and log-sd ``spread``; 1 if 0."""
    return math.exp(spread * z - spread * spread / 2.0) if spread > 0.0 else 1.0


def caller_traits(
    profile: Profile, root_seed: int, replication: int, group: str, k: int
) -> CallerTraits:
    """The personal multipliers of caller ``k`` of team group ``group`` in ``replication``.

    Drawn from the caller's own stream (:attr:`Purpose.CALLER_TRAITS`, keyed by the group's
    name and the caller's index), always two standard normals (speed, then skill), so one
    spread never moves the other's draws and no other stream of the replication moves.
    """
    z_speed, z_skill = generator(
        root_seed, replication, Purpose.CALLER_TRAITS, name_key(group), k
    ).standard_normal(2)
    return CallerTraits(
        speed=_lognormal_mean_one(float(z_speed), profile.speed_spread),
        skill=_lognormal_mean_one(float(z_skill), profile.skill_spread),
    )


def _personal_profile(profile: Profile, skill: float) -> Profile:
    """``profile`` with its three skills multiplied by a caller's personal ``skill``."""
    if skill == 1.0:
        return profile
    return profile.model_copy(
        update={
            "gatekeeper_skill": profile.gatekeeper_skill * skill,
            "discovery_skill": profile.discovery_skill * skill,
            "booking_skill": profile.booking_skill * skill,
        }
    )


def _segment_durations(
    segment: Segment, profile: Profile, rng: np.random.Generator, speed: float = 1.0
) -> SegmentDurations:
    """A caller's duration streams for ``segment``, all drawn from the caller's ``rng``.

    ``speed`` divides the caller's own times (dial, talk, wrap-up), not the line's ring times.
    Wrap-up follows how the call ended: ``wrap_up_time`` with no answer,
    ``wrap_up_time_no_dm`` (if set) when someone answered but no DM conversation took place,
    ``wrap_up_time_conversation`` otherwise.
    """
    own = 1.0 / speed if speed != 1.0 else 1.0
    scale = profile.talk_time_scale * own if own != 1.0 else profile.talk_time_scale
    line, gk, needs = segment.line, segment.gatekeeper, segment.needs
    no_talk = repeat(0.0)
    stage_talk: list[DurationStream] = [no_talk] * N_OUTCOMES
    stage_talk[Outcome.DM_UNAVAILABLE] = duration_stream(
        segment.decision_maker.unavailable_talk_time, rng, scale
    )
    stage_talk[Outcome.MEETING] = sum_stream(
        [needs.talk_time_immediate, needs.meeting_booking_talk_time], rng, scale
    )
    for outcome, talk in (
        (Outcome.HOT_LEAD, needs.talk_time_immediate),
        (Outcome.LONG_TERM_NEED, needs.talk_time_long_term),
        (Outcome.NO_NEED, needs.talk_time_no_need),
        (Outcome.DM_REFUSAL, needs.talk_time_refusal),
    ):
        stage_talk[outcome] = duration_stream(talk, rng, scale)
    ring_unanswered = {
        Outcome.BUSY: line.ring_time_busy,
        Outcome.NO_ANSWER: line.ring_time_no_answer,
        Outcome.INVALID: line.ring_time_invalid,
    }
    dial_scales = (own, 1.0)
    answered = pair_stream(
        [profile.dial_time, line.ring_time_answered],
        [profile.wrap_up_time_conversation],
        rng,
        dial_scales,
        own,
    )
    # Without wrap_up_time_no_dm every answered outcome shares one stream (and no draw moves).
    answered_no_dm = (
        answered
        if profile.wrap_up_time_no_dm is None
        else pair_stream(
            [profile.dial_time, line.ring_time_answered],
            [profile.wrap_up_time_no_dm],
            rng,
            dial_scales,
            own,
        )
    )
    line_times = tuple(
        (answered if DM_CONTACT[outcome] else answered_no_dm)
        if ANSWERED[outcome]
        else pair_stream(
            [profile.dial_time, ring_unanswered[outcome]],
            [profile.wrap_up_time],
            rng,
            dial_scales,
            own,
        )
        for outcome in Outcome
    )
    return SegmentDurations(
        line_times=line_times,
        gatekeeper_talk=duration_stream(gk.talk_time, rng, scale),
        hop_talk=duration_stream(segment.referral.hop_talk_time, rng, scale),
        stage_talk=tuple(stage_talk),
    )


def _ramped_params(
    segments: list[Segment],
    called: dict[int, float],
    personal: Profile,
    level: float,
    pressure: float = 0.0,
) -> tuple[CallParams | None, ...]:
    """Thresholds by segment number for a caller at ``level`` of ``personal``'s skills.

    ``pressure``: box-ticking pressure, lowering discovery (:mod:`sim.model.behaviour`).
    """
    ramped = _personal_profile(personal, level)
    box = personal.box_ticking
    if pressure and box is not None:
        cut = 1.0 - pressure * box.discovery_cut
        ramped = ramped.model_copy(update={"discovery_skill": ramped.discovery_skill * cut})
    return tuple(
        compile_call_params(segment, ramped) if s in called else None
        for s, segment in enumerate(segments)
    )


def _ramped_durations(
    segments: list[Segment],
    called: dict[int, float],
    profile: Profile,
    rng: np.random.Generator,
    speed: float,
    level: float,
    pressure: float = 0.0,
) -> list[SegmentDurations | None]:
    """Duration streams by segment number for a caller at ``level`` of its ``speed``.

    ``pressure``: box-ticking pressure, shortening talk (:mod:`sim.model.behaviour`).
    """
    box = profile.box_ticking
    if pressure and box is not None:
        scale = profile.talk_time_scale * (1.0 - pressure * box.talk_cut)
        profile = profile.model_copy(update={"talk_time_scale": scale})
    return [
        _segment_durations(segment, profile, rng, speed * level) if s in called else None
        for s, segment in enumerate(segments)
    ]


def _box_ticker(
    env: simpy.Environment,
    scenario: Scenario,
    profile: Profile,
    called: dict[int, float],
    recorder: Recorder,
    operator: int,
    choice: Iterator[float],
    coins: Iterator[float],
) -> tuple[BoxTicker | None, Iterator[float]]:
    """The caller's box-ticker and its segment-pick uniforms (``choice`` if it never drifts).

    Only under a quota of count-only parts, with a positive strength and more than one
    segment called.
    """
    box = profile.box_ticking
    quota = profile.quota
    if (
        box is None
        or box.strength == 0.0
        or not quota
        or any(q.counts not in COUNT_UNITS for q in quota)
        or len(called) < 2
    ):
        return None, choice
    names = list(scenario.segments)
    order = list(called)
    if box.easiest_segment is not None and names.index(box.easiest_segment) in called:
        easy = names.index(box.easiest_segment)
    else:
        easy = max(order, key=lambda s: scenario.segments[names[s]].line.answered_prob)
    cum = _cumulative_shares([called[s] for s in order])
    k = order.index(easy)
    ticker = BoxTicker(operator, quota, box.strength, recorder.days)
    low = 0.0 if k == 0 else cum[k - 1]
    return ticker, DriftingChoice(env, choice, coins, ticker, low, cum[k])


def _timed_kits(
    env: simpy.Environment,
    scenario: Scenario,
    called: dict[int, float],
    profile: Profile,
    career: Career | None,
) -> Callable[[Iterable[Any]], list[Any]]:
    """The day's kit list of a caller: a plain list, or timed (:mod:`sim.model.time_of_day`).

    Timed if a segment the caller calls has time-of-day factors or its profile tires.
    """
    by_segment: list[TimeOfDay | None] | None = [
        scenario.time_of_day.get(name) if s in called else None
        for s, name in enumerate(scenario.segments)
    ]
    if by_segment is not None and all(f is None for f in by_segment):
        by_segment = None
    if by_segment is None and (profile.fatigue is None or career is None):
        return list
    return TimedTable(
        env, by_segment, scenario.warm_up_days, profile.fatigue, career, scenario.shift
    )


def _cumulative_shares(weights: list[float]) -> tuple[float, ...]:
    """Cumulative shares of ``weights``; the last is exactly 1 (uniforms are below it)."""
    total = sum(weights)
    return (*(c / total for c in accumulate(weights[:-1])), 1.0)


def build_replication(
    scenario: Scenario, root_seed: int, replication: int, call_log: bool = False
) -> tuple[simpy.Environment, LeadPool, Recorder]:
    """A ready-to-run SimPy environment for replication ``replication`` of ``scenario``."""
    env = simpy.Environment()
    pool = LeadPool(scenario, root_seed, replication)
    recorder = Recorder(len(scenario.segments), call_log)
    recorder.sales, sales_desks = build_sales(scenario, root_seed, replication, pool, env)
    roster = operator_roster(scenario)
    groups = dict(zip(scenario.group_labels, scenario.team, strict=True))
    in_group: dict[str, int] = {}
    staffed = [scenario.profiles[g.profile] for g in scenario.team if g.count]
    if any(p.ramp or p.turnover or p.fatigue or p.box_ticking for p in staffed):
        recorder.people = []
    for info in roster:
        group = groups[info.group]
        profile = scenario.profiles[info.profile]
        k = in_group.get(info.group, 0)
        in_group[info.group] = k + 1
        key = (root_seed, replication, Purpose.OPERATOR_DURATIONS, name_key(info.group), k)
        rng = generator(*key)
        weights = called_segments(scenario, group)
        segments = tuple(weights)
        traits = caller_traits(profile, root_seed, replication, info.group, k)
        personal = _personal_profile(profile, traits.skill)
        segs = list(scenario.segments.values())
        make_params = partial(_ramped_params, segs, weights, personal)
        make_durations = partial(_ramped_durations, segs, weights, profile, rng, traits.speed)
        params = make_params(1.0)
        durations = make_durations(1.0)
        thresholds: DayThresholds = FixedThresholds(params)
        choice = uniform_stream(
            generator(root_seed, replication, Purpose.OPERATOR_SELECTION, name_key(info.group), k)
        )
        career = None
        if recorder.people is not None:
            coins = uniform_stream(
                generator(root_seed, replication, Purpose.BEHAVIOUR, name_key(info.group), k)
            )
            box, choice = _box_ticker(
                env, scenario, profile, weights, recorder, info.index, choice, coins
            )
            thresholds = career = Career(
                info.index,
                profile.ramp,
                group.tenure_days - scenario.warm_up_days,
                params,
                durations,
                make_params,
                make_durations,
                recorder.people,
                profile.turnover,
                uniform_stream(
                    generator(root_seed, replication, Purpose.TURNOVER, name_key(info.group), k)
                ),
                recorder.days,
                box,
            )
        desk = OperatorDesk(
            segment_choice=choice,
            segments=segments,
            cum_weights=_cumulative_shares(list(weights.values())),
            thresholds=thresholds,
            durations=durations,
            day_durations=career,
            kits=_timed_kits(env, scenario, weights, profile, career)
            if scenario.time_of_day or profile.fatigue is not None
            else list,
            sales=sales_desks.get(info.group),
            air_time=None
            if profile.air_time is None
            else AirTime(
                profile.air_time,
                scenario.shift.length_min,
                pool,
                info.index,
                sales_desks.get(info.group),
            ),
        )
        env.process(
            operator_process(
                env, info.index, desk, pool, scenario.shift, scenario.simulated_days, recorder
            )
        )
    return env, pool, recorder
