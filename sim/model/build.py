"""Wiring of one replication: the lead pool, one process per caller, and the recorder.

Structure only: who calls which segment with which samplers. Behaviour lives in
:mod:`sim.model.operator` (time) and :mod:`sim.model.decisions` (call paths).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate, repeat

import numpy as np
import simpy

from sim.model.decisions import compile_call_params
from sim.model.leads import LeadPool, called_segments
from sim.model.operator import (
    FixedThresholds,
    OperatorDesk,
    SegmentDurations,
    operator_process,
)
from sim.model.outcomes import ANSWERED, N_OUTCOMES, Outcome
from sim.model.records import Recorder
from sim.model.sampling import (
    DurationStream,
    duration_stream,
    pair_stream,
    sum_stream,
    uniform_stream,
)
from sim.model.streams import Purpose, generator, name_key
from sim.scenario import Profile, Scenario, Segment


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


def _segment_durations(
    segment: Segment, profile: Profile, rng: np.random.Generator
) -> SegmentDurations:
    """A caller's duration streams for ``segment``, all drawn from the caller's ``rng``."""
    scale = profile.talk_time_scale
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
    answered = pair_stream(
        [profile.dial_time, line.ring_time_answered], [profile.wrap_up_time_conversation], rng
    )
    line_times = tuple(
        answered
        if ANSWERED[outcome]
        else pair_stream([profile.dial_time, ring_unanswered[outcome]], [profile.wrap_up_time], rng)
        for outcome in Outcome
    )
    return SegmentDurations(
        line_times=line_times,
        gatekeeper_talk=duration_stream(gk.talk_time, rng, scale),
        hop_talk=duration_stream(segment.referral.hop_talk_time, rng, scale),
        stage_talk=tuple(stage_talk),
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
    roster = operator_roster(scenario)
    groups = dict(zip(scenario.group_labels, scenario.team, strict=True))
    in_group: dict[str, int] = {}
    for info in roster:
        group = groups[info.group]
        profile = scenario.profiles[info.profile]
        k = in_group.get(info.group, 0)
        in_group[info.group] = k + 1
        key = (root_seed, replication, Purpose.OPERATOR_DURATIONS, name_key(info.group), k)
        rng = generator(*key)
        weights = called_segments(scenario, group)
        segments = tuple(weights)
        desk = OperatorDesk(
            segment_choice=uniform_stream(
                generator(
                    root_seed, replication, Purpose.OPERATOR_SELECTION, name_key(info.group), k
                )
            ),
            segments=segments,
            cum_weights=_cumulative_shares(list(weights.values())),
            thresholds=FixedThresholds(
                tuple(
                    compile_call_params(segment, profile) if s in weights else None
                    for s, segment in enumerate(scenario.segments.values())
                )
            ),
            durations=[
                _segment_durations(segment, profile, rng) if s in weights else None
                for s, segment in enumerate(scenario.segments.values())
            ],
        )
        env.process(
            operator_process(
                env, info.index, desk, pool, scenario.shift, scenario.simulated_days, recorder
            )
        )
    return env, pool, recorder
