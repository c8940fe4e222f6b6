"""Scenario builders for tests: small, fully explicit, constant-duration scenarios."""

from __future__ import annotations

import copy
from typing import Any

from sim.scenario import Scenario


def deep_update(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``base`` with ``changes`` merged in recursively (dicts merge, rest replaces)."""
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and "kind" not in value:
            out[key] = deep_update(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def constant_segment(**changes: Any) -> dict[str, Any]:
    """A user-named segment with every duration constant and simple probabilities."""
    base = {
        "companies": 100_000,
        "line": {
            "busy_prob": 0.0,
            "no_answer_prob": 0.0,
            "invalid_prob": 0.0,
            "ring_time_busy": 0.0,
            "ring_time_no_answer": 0.0,
            "ring_time_invalid": 0.0,
            "ring_time_answered": 0.0,
        },
        "gatekeeper": {
            "present_prob": 0.0,
            "pass_prob": 1.0,
            "dm_out_prob": 0.0,
            "email_prob": 0.0,
            "talk_time": 1.0,
        },
        "referral": {
            "direct_to_dm_prob": 1.0,
            "next_is_dm_prob": 1.0,
            "thread_lost_prob": 0.0,
            "max_hops": 1,
            "hop_talk_time": 1.0,
        },
        "decision_maker": {"available_prob": 1.0, "unavailable_talk_time": 0.5},
        "needs": {
            "immediate_prob": 0.0,
            "long_term_prob": 0.0,
            "refusal_prob": 0.0,
            "meeting_booking_prob": 1.0,
            "talk_time_immediate": 5.0,
            "talk_time_long_term": 3.0,
            "talk_time_no_need": 2.0,
            "talk_time_refusal": 1.0,
            "meeting_booking_talk_time": 1.0,
        },
    }
    return deep_update(base, changes)


def constant_profile(**changes: Any) -> dict[str, Any]:
    """A user-named profile: constant dial/wrap times, neutral skills, no quota."""
    base = {
        "dial_time": 0.5,
        "talk_time_scale": 1.0,
        "wrap_up_time": 0.0,
        "wrap_up_time_conversation": 0.0,
        "gatekeeper_skill": 1.0,
        "discovery_skill": 1.0,
        "booking_skill": 1.0,
        "pay": {"fixed_per_month": 22000.0, "working_days_per_month": 22},
    }
    return deep_update(base, changes)


def constant_scenario(
    segment: dict[str, Any] | None = None,
    profile: dict[str, Any] | None = None,
    callers: int = 1,
    **changes: Any,
) -> dict[str, Any]:
    """One segment ``seg``, one profile ``caller``, ``callers`` callers, a 60-minute shift
    without breaks, one day; ``changes`` deep-merge into the scenario mapping."""
    base = {
        "name": "test",
        "horizon_days": 1,
        "replications": 2,
        "seed": 1,
        "shift": {"length_min": 60.0, "break_every_min": None, "break_length_min": 0.0},
        "segments": {"seg": constant_segment(**(segment or {}))},
        "profiles": {"caller": constant_profile(**(profile or {}))},
        "team": [{"profile": "caller", "count": callers}],
    }
    return deep_update(base, changes)


def build(data: dict[str, Any]) -> Scenario:
    """Validate a scenario mapping."""
    return Scenario.model_validate(data)
