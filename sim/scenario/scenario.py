"""The scenario: everything an analyst sets for one experiment, validated as a whole.

Time is in minutes; the clock counts working days only (day ``d`` starts at ``d * 1440``), so
"the next day" means the next working day and a long-term callback after ``N`` days lands ``N``
working days later.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import (
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from sim.scenario.base import (
    MAX_SEED,
    MIN_ATTEMPT_MIN,
    Frozen,
    did_you_mean,
)
from sim.scenario.presets import PROFILE_PRESETS, SEGMENT_PRESETS, merge_onto_preset
from sim.scenario.retry import RetryPolicy
from sim.scenario.sales import Sales, check_sales_references
from sim.scenario.segment import Segment
from sim.scenario.team import Profile, SegmentWeights, Shift, TeamGroup, group_labels
from sim.scenario.time_of_day import TimeOfDay


class NestedValueError(ValueError):
    """A validator's complaint about one item inside the field it validates.

    ``within`` is the item's path below that field (``0, "profile"`` for the first team group's
    profile), so that the error report names the item and its line, not the whole block.
    """

    def __init__(self, message: str, *within: str | int) -> None:
        super().__init__(message)
        self.within = within


NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
"""What a scenario name may look like: it names the results folder."""

AGGREGATE_NAME = "all"
"""What results call every profile (or segment) together; no profile or segment may use it."""
TEAM_NAME = "team"
"""What results call the whole team as one (per team-day); no profile or segment may use it."""

PRESET_KEY = "preset"
"""A segment or profile block's key naming the preset it starts from (``preset: medium``), or
``null`` for the schema's defaults; a block named like a preset starts from it unasked."""

MINUTES_PER_DAY = 1440.0
"""Length of one day on the simulation clock, minutes."""


MAX_REPLICATIONS = 100_000
"""Most Monte Carlo replications of one experiment (a scenario's default, -n, or a precision
target's cap)."""
MAX_NAME_LENGTH = 100
"""Longest scenario, segment or profile name, characters."""


class Scenario(Frozen):
    """One experiment: target base, team, shift, retry policy and run settings."""

    name: str = Field(
        "scenario",
        min_length=1,
        max_length=100,
        pattern=NAME_PATTERN,
        description="Short name; results go to results/<name> by default.",
    )
    description: str = Field(
        "", max_length=100_000, description="What the scenario is for (free text)."
    )
    currency: str = Field("RUB", max_length=20, description="Currency of pay and cost figures.")
    horizon_days: int = Field(
        22, ge=1, le=2000, description="Working days measured; any warm-up days come before them."
    )
    warm_up_days: int = Field(
        0,
        ge=0,
        le=2000,
        description="Working days simulated before the horizon and left out of every figure: "
        "callbacks and cool-offs of a list already being worked are under way when measuring "
        "starts. Tables number the horizon's days from 0; warm-up days are negative in the "
        "leads table.",
    )
    replications: int = Field(
        20, ge=1, le=MAX_REPLICATIONS, description="Default Monte Carlo replications."
    )
    seed: int = Field(20261127, ge=0, le=MAX_SEED, description="Default root seed.")
    shift: Shift = Field(default_factory=Shift, description="The working day and its breaks.")
    retry: RetryPolicy = Field(
        default_factory=RetryPolicy, description="When companies are called again."
    )
    segments: dict[str, Segment] = Field(
        min_length=1, description="Target segments by name; small/medium/large start from presets."
    )
    profiles: dict[str, Profile] = Field(
        default_factory=dict,
        description="Caller profiles by name; student/experienced start from presets.",
    )
    team: list[TeamGroup] = Field(min_length=1, description="Groups of callers on the phones.")
    sales: Sales = Field(
        default_factory=Sales, description="From call to sale: fit, lists, sellers, pay (off)."
    )
    time_of_day: dict[str, TimeOfDay] = Field(
        default_factory=dict,
        description="Per segment name: answer, gatekeeper and DM-availability multipliers by "
        "hour of the shift and weekday (sim/scenario/time_of_day.py); empty = every hour alike.",
    )

    @property
    def simulated_days(self) -> int:
        """Working days the model runs: the warm-up, then the measured horizon."""
        return self.warm_up_days + self.horizon_days

    @property
    def group_labels(self) -> list[str]:
        """Each team group's label, in team order (:func:`sim.scenario.team.group_labels`)."""
        return group_labels(self.team)

    @property
    def headcount(self) -> int:
        """Callers on the team (the sum of every group's count)."""
        return sum(group.count for group in self.team)

    @model_validator(mode="before")
    @classmethod
    def _apply_presets(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for key, presets in (("segments", SEGMENT_PRESETS), ("profiles", PROFILE_PRESETS)):
            block = data.get(key)
            if isinstance(block, dict):
                data[key] = {
                    name: _onto_preset(name, value, presets) for name, value in block.items()
                }
        team = data.get("team")
        if isinstance(team, list):
            profiles = dict(data.get("profiles") or {})
            for group in team:
                name = group.get("profile") if isinstance(group, dict) else None
                if isinstance(name, str) and name in PROFILE_PRESETS and name not in profiles:
                    profiles[name] = dict(PROFILE_PRESETS[name])
            data["profiles"] = profiles
        return data

    @field_validator("segments", "profiles", mode="before")
    @classmethod
    def _no_name_like_a_preset(cls, value: Any, info: ValidationInfo) -> Any:
        """A name one typo away from a preset is an error, unless ``preset:`` says what it is.

        ``Medium:`` for ``medium:`` or ``students:`` for ``student:`` would otherwise validate
        as a new block with the schema's defaults, and change results without a word.
        """
        if not isinstance(value, dict):
            return value
        kind = "segment" if info.field_name == "segments" else "profile"
        presets = SEGMENT_PRESETS if kind == "segment" else PROFILE_PRESETS
        checked = {}
        for name, block in value.items():
            if isinstance(block, dict) and PRESET_KEY in block:
                chosen = block[PRESET_KEY]
                if chosen is not None and chosen not in presets:
                    raise NestedValueError(
                        f"unknown preset {chosen!r}; the {kind} presets are "
                        f"{', '.join(presets)}, or null for none",
                        name,
                        PRESET_KEY,
                    )
                block = {k: v for k, v in block.items() if k != PRESET_KEY}
            elif isinstance(name, str) and name not in presets:
                near = _near_preset(name, presets)
                if near is not None:
                    raise NestedValueError(
                        f"{kind} {name!r} looks like the preset {near!r} mistyped, which would "
                        f"silently give a {kind} with the schema's defaults: write {near!r} to "
                        f"use the preset, or keep the name and say `preset: {near}` (start from "
                        "it) or `preset: null` (start from the schema's defaults)",
                        name,
                    )
            checked[name] = block
        return checked

    @field_validator("segments", "profiles")
    @classmethod
    def _names_are_identifiers(cls, value: dict[str, Any]) -> dict[str, Any]:
        for name in value:
            if not name or not name.replace("_", "").replace("-", "").isalnum():
                raise ValueError(f"name {name!r} must be letters, digits, '_' or '-'")
            if len(name) > MAX_NAME_LENGTH:
                raise ValueError(
                    f"name {name[:20]!r}... is {len(name)} characters long; "
                    f"the limit is {MAX_NAME_LENGTH}"
                )
            if name in (AGGREGATE_NAME, TEAM_NAME):
                raise ValueError(
                    f"name {name!r} is reserved: results use {AGGREGATE_NAME!r} for every "
                    f"profile or segment together and {TEAM_NAME!r} for the whole team; "
                    "choose another name"
                )
        return value

    @field_validator("team")
    @classmethod
    def _team_resolves(cls, team: list[TeamGroup], info: ValidationInfo) -> list[TeamGroup]:
        # A block that failed its own validation is absent here; its errors are reported
        # already, so skip the cross-checks that need it.
        if "profiles" not in info.data or "segments" not in info.data:
            return team
        profiles, segments = info.data["profiles"], info.data["segments"]
        if sum(group.count for group in team) == 0:
            raise ValueError(
                "the team has no callers: give at least one group a count of 1 or more"
            )
        labels = group_labels(team)
        seen: set[str] = set()
        for i, (group, label) in enumerate(zip(team, labels, strict=True)):
            if group.profile not in profiles:
                known = sorted(set(profiles) | set(PROFILE_PRESETS))
                close = difflib.get_close_matches(group.profile, known, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise NestedValueError(
                    f"{group.profile!r} is not a defined or preset profile "
                    f"(known: {', '.join(known)}){hint}",
                    i,
                    "profile",
                )
            if label in seen:
                raise NestedValueError(f"two groups named {label!r}; set `name`", i)
            seen.add(label)
            if group.name is not None:
                _check_group_name(group.name, group.profile, set(profiles), i)
                if group.name == group.profile and sum(g.profile == label for g in team) > 1:
                    raise NestedValueError(
                        f"group name {label!r} is its profile's name, but the profile has "
                        f"several groups and its results row covers them all: give this "
                        "group another name",
                        i,
                        "name",
                    )
            if group.segments is not None:
                weights = group.segments
            else:
                weights = profiles[group.profile].segments or dict.fromkeys(segments, 1.0)
            where = (i, "segments") if group.segments is not None else (i,)
            unknown = sorted(set(weights) - set(segments))
            if unknown:
                raise NestedValueError(
                    f"group {label} calls unknown segment(s) {unknown}; "
                    f"defined: {sorted(segments)}{did_you_mean(unknown, segments)}",
                    *where,
                )
            if not any(w > 0 for w in weights.values()):
                raise NestedValueError(f"group {label} has no segment with weight > 0", *where)
        return team

    @model_validator(mode="after")
    def _attempts_take_time(self) -> Scenario:
        # A zero-length attempt whose callback falls due at once would let the clock stand
        # still forever; require that no attempt can take exactly zero minutes.
        for i, (group, label) in enumerate(zip(self.team, self.group_labels, strict=True)):
            profile = self.profiles[group.profile]
            wraps_zero = (
                profile.wrap_up_time.can_be_zero
                or profile.wrap_up_time_conversation.can_be_zero
                or (
                    profile.wrap_up_time_no_dm is not None
                    and profile.wrap_up_time_no_dm.can_be_zero
                )
            )
            if not (profile.dial_time.can_be_zero and wraps_zero):
                continue
            for name in self.segment_weights(group):
                line = self.segments[name].line
                rings = (
                    line.ring_time_busy,
                    line.ring_time_no_answer,
                    line.ring_time_invalid,
                    line.ring_time_answered,
                )
                if any(ring.can_be_zero for ring in rings):
                    raise ValueError(
                        f"team[{i}] ({label}) calling {name!r}: an attempt could take no "
                        "time at all (dial_time, a ring time and a wrap-up time can all be 0), "
                        "which lets the clock stand still; give at least one a positive value"
                    )
        return self

    @model_validator(mode="after")
    def _attempts_take_long_enough(self) -> Scenario:
        # Even when no attempt takes exactly zero minutes, near-zero ones would let a shift
        # hold millions of attempts; bound the shortest expected attempt from below.
        for i, group in enumerate(self.team):
            profile = self.profiles[group.profile]
            wrap = min(
                profile.wrap_up_time.expected_min,
                profile.wrap_up_time_conversation.expected_min,
            )
            for name in self.segment_weights(group):
                line = self.segments[name].line
                ring = min(
                    d.expected_min
                    for d in (
                        line.ring_time_busy,
                        line.ring_time_no_answer,
                        line.ring_time_invalid,
                        line.ring_time_answered,
                    )
                )
                shortest = profile.dial_time.expected_min + ring + wrap
                if shortest < MIN_ATTEMPT_MIN:
                    raise ValueError(
                        f"team[{i}] ({self.group_labels[i]}) calling {name!r}: the shortest "
                        f"attempt (dial_time + the shortest ring time + the shorter wrap-up time) "
                        f"takes {shortest:.3g} min on average; it must take at least "
                        f"{MIN_ATTEMPT_MIN} min, or a shift would hold millions of attempts"
                    )
        return self

    @model_validator(mode="after")
    def _profile_segments_resolve(self) -> Scenario:
        for name, profile in self.profiles.items():
            unknown = sorted(set(profile.segments or {}) - set(self.segments))
            if unknown:
                raise ValueError(
                    f"profiles.{name}.segments names unknown segment(s) {unknown}; "
                    f"defined: {sorted(self.segments)}{did_you_mean(unknown, self.segments)}"
                )
        return self

    @model_validator(mode="after")
    def _sales_references_resolve(self) -> Scenario:
        counts = {label: g.count for label, g in zip(self.group_labels, self.team, strict=True)}
        check_sales_references(
            self.sales, list(self.segments), self.group_labels, self.profiles, counts
        )
        return self

    @model_validator(mode="after")
    def _time_of_day_segments_resolve(self) -> Scenario:
        unknown = sorted(set(self.time_of_day) - set(self.segments))
        if unknown:
            raise ValueError(
                f"time_of_day names unknown segment(s) {unknown}; defined: {sorted(self.segments)}"
                f"{did_you_mean(unknown, self.segments)}"
            )
        for name, profile in self.profiles.items():
            box = profile.box_ticking
            if box is not None and box.easiest_segment not in (None, *self.segments):
                raise ValueError(
                    f"profiles.{name}.box_ticking.easiest_segment names unknown segment "
                    f"{box.easiest_segment!r}; defined: {sorted(self.segments)}"
                )
        return self

    def segment_weights(self, group: TeamGroup) -> SegmentWeights:
        """The segment mix a group calls: its own, else its profile's, else all equally."""
        if group.segments is not None:
            return dict(group.segments)
        profile = self.profiles.get(group.profile)
        if profile is not None and profile.segments is not None:
            return dict(profile.segments)
        return dict.fromkeys(self.segments, 1.0)

    @property
    def operator_count(self) -> int:
        """Callers on the team."""
        return sum(group.count for group in self.team)


def _onto_preset(name: str, value: Any, presets: dict[str, dict[str, Any]]) -> Any:
    """A block merged onto its preset: its own name's, or the one its ``preset:`` key names.

    The ``preset`` key stays, for :meth:`Scenario._no_name_like_a_preset` to check and drop.
    """
    if (
        name in presets
        and isinstance(value, dict | None)
        and not (isinstance(value, dict) and PRESET_KEY in value)
    ):
        return merge_onto_preset(presets[name], value or {})
    if isinstance(value, dict) and isinstance(value.get(PRESET_KEY), str):
        chosen = value[PRESET_KEY]
        if chosen in presets:
            own = {k: v for k, v in value.items() if k != PRESET_KEY}
            return {**merge_onto_preset(presets[chosen], own), PRESET_KEY: chosen}
    return value


def _near_preset(name: str, presets: dict[str, dict[str, Any]]) -> str | None:
    """The preset ``name`` is most likely a typo of (same letters in another case, or close)."""
    for preset in presets:
        if name.lower() == preset.lower():
            return preset
    close = difflib.get_close_matches(name.lower(), list(presets), n=1, cutoff=0.8)
    return close[0] if close else None


def _check_group_name(name: str, profile: str, profiles: set[str], index: int) -> None:
    """Refuse a group name that could not be a results row and an operator-id prefix.

    It must be an identifier, not reserved, and not another profile's name (whose row it
    would be mistaken for).
    """
    if not name or not name.replace("_", "").replace("-", "").isalnum():
        raise NestedValueError(
            f"group name {name!r} must be letters, digits, '_' or '-'", index, "name"
        )
    if name in (AGGREGATE_NAME, TEAM_NAME):
        raise NestedValueError(
            f"group name {name!r} is reserved for every caller together ({AGGREGATE_NAME!r}) "
            f"and the whole team ({TEAM_NAME!r}); choose another name",
            index,
            "name",
        )
    if name != profile and name in profiles:
        raise NestedValueError(
            f"group name {name!r} is the name of another profile; results would show the "
            f"group as that profile: choose another name",
            index,
            "name",
        )
