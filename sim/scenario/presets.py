"""Built-in, calibrated defaults for segments small/medium/large and profiles student/experienced.

A scenario that names one of these gets the preset values and overrides only the fields it
writes, e.g. ``segments: {large: {companies: 500}}``. A user-named segment or profile starts from
the plain schema defaults instead. The figures are calibrated to the practitioners' forum thread
(``docs/validation.md`` tabulates the targets against the model's output) and, where the thread
is silent, to the public benchmarks cited in ``source``.
"""

from __future__ import annotations

from typing import Any

_BENCHMARKS = (
    "forum thread T1-T8; Belkins 2025 and Gong 2024 connect rates; Salesfinity 2025 call "
    "endings; Chorus 2019 talk times (see docs/validation.md)"
)

SEGMENT_PRESETS: dict[str, dict[str, Any]] = {
    "small": {
        "companies": 12000,
        "source": "Small firms: the owner often answers. " + _BENCHMARKS,
        "line": {"busy_prob": 0.08, "no_answer_prob": 0.24, "invalid_prob": 0.04},
        "gatekeeper": {
            "present_prob": 0.25,
            "pass_prob": 0.75,
            "dm_out_prob": 0.12,
            "email_prob": 0.06,
            "talk_time": {"kind": "lognormal", "mean_min": 0.4, "sd_min": 0.2},
        },
        "referral": {
            "direct_to_dm_prob": 0.85,
            "next_is_dm_prob": 0.7,
            "thread_lost_prob": 0.1,
            "max_hops": 2,
            "hop_talk_time": {"kind": "lognormal", "mean_min": 0.5, "sd_min": 0.3},
        },
        "decision_maker": {"available_prob": 0.9},
        "needs": {
            "immediate_prob": 0.025,
            "long_term_prob": 0.03,
            "refusal_prob": 0.3,
            "meeting_booking_prob": 0.6,
            "talk_time_immediate": {"kind": "lognormal", "mean_min": 4.5, "sd_min": 2.0},
            "talk_time_long_term": {"kind": "lognormal", "mean_min": 2.5, "sd_min": 1.2},
            "talk_time_no_need": {"kind": "lognormal", "mean_min": 1.0, "sd_min": 0.6},
            "talk_time_refusal": {"kind": "lognormal", "mean_min": 0.5, "sd_min": 0.3},
        },
    },
    "medium": {
        "companies": 8000,
        "source": "Medium firms: a secretary is common. " + _BENCHMARKS,
        "line": {"busy_prob": 0.10, "no_answer_prob": 0.26, "invalid_prob": 0.03},
        "gatekeeper": {
            "present_prob": 0.6,
            "pass_prob": 0.5,
            "dm_out_prob": 0.22,
            "email_prob": 0.13,
            "talk_time": {"kind": "lognormal", "mean_min": 0.6, "sd_min": 0.3},
        },
        "referral": {
            "direct_to_dm_prob": 0.5,
            "next_is_dm_prob": 0.5,
            "thread_lost_prob": 0.15,
            "max_hops": 4,
            "hop_talk_time": {"kind": "lognormal", "mean_min": 0.8, "sd_min": 0.4},
        },
        "decision_maker": {"available_prob": 0.5},
        "needs": {
            "immediate_prob": 0.035,
            "long_term_prob": 0.06,
            "refusal_prob": 0.2,
            "meeting_booking_prob": 0.65,
            "talk_time_immediate": {"kind": "lognormal", "mean_min": 6.0, "sd_min": 2.5},
            "talk_time_long_term": {"kind": "lognormal", "mean_min": 3.5, "sd_min": 1.5},
            "talk_time_no_need": {"kind": "lognormal", "mean_min": 1.6, "sd_min": 0.9},
            "talk_time_refusal": {"kind": "lognormal", "mean_min": 0.6, "sd_min": 0.3},
        },
    },
    "large": {
        "companies": 4000,
        "source": "Large enterprises: switchboards, long referral chains, DMs out. " + _BENCHMARKS,
        "line": {"busy_prob": 0.08, "no_answer_prob": 0.2, "invalid_prob": 0.02},
        "gatekeeper": {
            "present_prob": 0.92,
            "pass_prob": 0.35,
            "dm_out_prob": 0.3,
            "email_prob": 0.2,
            "talk_time": {"kind": "lognormal", "mean_min": 0.9, "sd_min": 0.5},
        },
        "referral": {
            "direct_to_dm_prob": 0.15,
            "next_is_dm_prob": 0.3,
            "thread_lost_prob": 0.3,
            "max_hops": 6,
            "hop_talk_time": {"kind": "lognormal", "mean_min": 1.3, "sd_min": 0.7},
        },
        "decision_maker": {"available_prob": 0.35},
        "needs": {
            "immediate_prob": 0.06,
            "long_term_prob": 0.12,
            "refusal_prob": 0.15,
            "meeting_booking_prob": 0.7,
            "talk_time_immediate": {"kind": "lognormal", "mean_min": 8.0, "sd_min": 3.5},
            "talk_time_long_term": {"kind": "lognormal", "mean_min": 4.5, "sd_min": 2.0},
            "talk_time_no_need": {"kind": "lognormal", "mean_min": 2.2, "sd_min": 1.2},
            "talk_time_refusal": {"kind": "lognormal", "mean_min": 0.8, "sd_min": 0.4},
        },
    },
}

PROFILE_PRESETS: dict[str, dict[str, Any]] = {
    "student": {
        "description": "Novice caller working from a written script; cheap, slower, less skilled.",
        "dial_time": {"kind": "uniform", "low_min": 0.4, "high_min": 0.8},
        "talk_time_scale": 1.3,
        "wrap_up_time": 0.6,
        "wrap_up_time_conversation": {"kind": "lognormal", "mean_min": 2.9, "sd_min": 1.1},
        "gatekeeper_skill": 0.8,
        "discovery_skill": 0.7,
        "booking_skill": 0.6,
        "pay": {"fixed_per_month": 15000.0, "working_days_per_month": 22},
        "quota": [{"counts": "calls_excl_busy_no_answer", "target": 60}],
    },
    "experienced": {
        "description": "Experienced salesperson: gets past secretaries and discovers needs.",
        "dial_time": {"kind": "uniform", "low_min": 0.3, "high_min": 0.6},
        "talk_time_scale": 1.0,
        "wrap_up_time": 0.4,
        "wrap_up_time_conversation": {"kind": "lognormal", "mean_min": 2.0, "sd_min": 0.8},
        "gatekeeper_skill": 1.3,
        "discovery_skill": 1.2,
        "booking_skill": 1.2,
        "pay": {"fixed_per_month": 60000.0, "working_days_per_month": 22},
        "quota": [{"counts": "calls_excl_busy_no_answer", "target": 80}],
    },
}


def merge_onto_preset(preset: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge a user's block onto a preset.

    Nested blocks merge key by key; a distribution (a mapping with ``kind``), a list or a scalar
    given by the user replaces the preset's value whole.
    """
    merged = dict(preset)
    for key, value in override.items():
        base = merged.get(key)
        if isinstance(value, dict) and isinstance(base, dict) and "kind" not in value:
            merged[key] = merge_onto_preset(base, value)
        else:
            merged[key] = value
    return merged
