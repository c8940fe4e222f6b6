"""The scenario: everything an analyst sets for one experiment, validated as a whole.

Time is in minutes; the clock counts working days only (day ``d`` starts at ``d * 1440``), so
"the next day" means the next working day and a long-term callback after ``N`` days lands ``N``
working days later. The blocks' own checks live with them; the cross-checks between blocks
are here or, when large, in :mod:`sim.scenario.preset_blocks` (presets),
:mod:`sim.scenario.names` (what things may be called) and :mod:`sim.scenario.team_checks`.
"""

from __future__ import annotations

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
from sim.scenario.names import NAME_PATTERN, check_block_names
from sim.scenario.preset_blocks import apply_presets, check_preset_names
from sim.scenario.retry import RetryPolicy
from sim.scenario.sales import Sales, check_sales_references
from sim.scenario.segment import Segment
from sim.scenario.team import Profile, SegmentWeights, Shift, TeamGroup, group_labels
from sim.scenario.team_checks import check_team
from sim.scenario.time_of_day import TimeOfDay

MINUTES_PER_DAY = 1440.0
"""Length of one day on the simulation clock, minutes."""


MAX_REPLICATIONS = 100_000
"""Most Monte Carlo replications of one experiment (a scenario's default, -n, or a precision
target's cap)."""


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
        return apply_presets(data)

    @field_validator("segments", "profiles", mode="before")
    @classmethod
    def _no_name_like_a_preset(cls, value: Any, info: ValidationInfo) -> Any:
        """A name one typo away from a preset is an error (:func:`check_preset_names`)."""
        return check_preset_names(value, "segment" if info.field_name == "segments" else "profile")

    @field_validator("segments", "profiles")
    @classmethod
    def _names_are_identifiers(cls, value: dict[str, Any]) -> dict[str, Any]:
        return check_block_names(value)

    @field_validator("team")
    @classmethod
    def _team_resolves(cls, team: list[TeamGroup], info: ValidationInfo) -> list[TeamGroup]:
        # A block that failed its own validation is absent here; its errors are reported
        # already, so skip the cross-checks that need it.
        if "profiles" not in info.data or "segments" not in info.data:
            return team
        return check_team(team, info.data["profiles"], info.data["segments"])

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
