"""Callers: their profiles (skills, speed, pay, quota), groups on the team, and the shift.

A **profile** describes a kind of caller: a *student* (cheap novice working from a script) or an
*experienced* salesperson, or any user-defined kind. A **team group** puts ``count`` callers of
one profile on the phones, calling a weighted mix of segments.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import Field, model_validator

from sim.scenario.base import MAX_MONEY, Weight
from sim.scenario.base import Frozen as _Frozen
from sim.scenario.distributions import Distribution
from sim.scenario.people import AirTimeRule, BoxTicking, Fatigue, RampUp, Turnover

Multiplier = Annotated[float, Field(ge=0.0, le=100.0, allow_inf_nan=False)]
SegmentWeights = dict[str, Weight]

QuotaUnit = Literal[
    "dials",
    "calls_excl_busy_no_answer",
    "answered",
    "dm_contacts",
    "needs",
    "needs_immediate",
    "meetings",
]
"""What a quota counts, per operator-day:

- ``dials``: every call attempt;
- ``calls_excl_busy_no_answer``: dials minus busy and no-answer (the forum's "calls");
- ``answered``: calls a human picked up;
- ``dm_contacts``: conversations with a decision-maker;
- ``needs``: immediate plus long-term needs discovered;
- ``needs_immediate``: immediate needs only;
- ``meetings``: meetings booked.
"""


class Shift(_Frozen):
    """The working day. Default: 8 hours with 10 minutes' break each hour = 400 working minutes.

    Breaks fall due at the end of each ``break_every_min`` period (50, 110, ... minutes into a
    default shift); a break starts at the first attempt boundary after it falls due, since nobody
    hangs up for a break. A caller starts new attempts only while the shift runs and finishes the
    attempt in progress at its end (recorded as overrun).
    """

    length_min: float = Field(
        480.0, gt=0.0, le=1200.0, allow_inf_nan=False, description="Shift length, min."
    )
    break_every_min: float | None = Field(
        60.0,
        ge=1.0,
        le=1200.0,
        allow_inf_nan=False,
        description="A break falls due every this many minutes; null = no breaks.",
    )
    break_length_min: float = Field(
        10.0, ge=0.0, le=1200.0, allow_inf_nan=False, description="Length of each break, min."
    )

    @model_validator(mode="after")
    def _break_fits(self) -> Shift:
        if self.break_every_min is not None and self.break_length_min >= self.break_every_min:
            raise ValueError("break_length_min must be shorter than break_every_min")
        return self

    def break_due_times_min(self) -> list[float]:
        """Minutes into the shift at which breaks fall due."""
        if self.break_every_min is None or self.break_length_min == 0.0:
            return []
        every, length = self.break_every_min, self.break_length_min
        n = int(self.length_min // every)
        return [k * every - length for k in range(1, n + 1)]

    @property
    def working_min(self) -> float:
        """Nominal working minutes: shift length less scheduled breaks."""
        return self.length_min - len(self.break_due_times_min()) * self.break_length_min


class QuotaTarget(_Frozen):
    """One part of a daily quota: at least ``target`` units of ``counts`` per operator-day."""

    counts: QuotaUnit = Field(description="What the quota counts (see QuotaUnit).")
    target: float = Field(
        ge=0.0, le=1e9, allow_inf_nan=False, description="Units per operator-day."
    )


class Pay(_Frozen):
    """Fixed pay. Cost per operator-day = fixed_per_month / working_days_per_month."""

    fixed_per_month: float = Field(
        15000.0,
        ge=0.0,
        le=MAX_MONEY,
        allow_inf_nan=False,
        description="Fixed wage per month, currency units.",
    )
    working_days_per_month: float = Field(
        22.0, ge=1.0, le=31.0, allow_inf_nan=False, description="Working days in a month."
    )

    @property
    def cost_per_day(self) -> float:
        """Cost of one operator-day, currency units."""
        return self.fixed_per_month / self.working_days_per_month


class Profile(_Frozen):
    """A kind of caller: speed, skills (multipliers on segment probabilities), pay, quota."""

    description: str = Field("", description="Who these callers are (free text).")
    dial_time: Distribution = Field(
        0.3,
        validate_default=True,
        description="Looking up and dialling a number by hand, min (a dialer makes it short).",
    )
    talk_time_scale: float = Field(
        1.0, gt=0.0, le=10.0, description="Multiplier on every talk time of the segments."
    )
    wrap_up_time: Distribution = Field(
        0.3,
        validate_default=True,
        description="Form filling after an attempt with no conversation, min.",
    )
    wrap_up_time_conversation: Distribution = Field(
        1.0,
        validate_default=True,
        description="Form filling after an attempt with a DM conversation (needs discovery), "
        "min; also after any answered attempt when wrap_up_time_no_dm is null.",
    )
    wrap_up_time_no_dm: Distribution | None = Field(
        None,
        description="Form filling after an answered attempt without a DM conversation "
        "(gatekeeper only, lost in referrals, DM unavailable), min; null = "
        "wrap_up_time_conversation.",
    )
    gatekeeper_skill: Multiplier = Field(1.0, description="Multiplier on gatekeeper.pass_prob.")
    discovery_skill: Multiplier = Field(
        1.0, description="Multiplier on needs.immediate_prob and needs.long_term_prob."
    )
    booking_skill: Multiplier = Field(1.0, description="Multiplier on needs.meeting_booking_prob.")
    speed_spread: float = Field(
        0.0,
        ge=0.0,
        le=2.0,
        allow_inf_nan=False,
        description="Callers differ in speed: each caller's dial, talk and wrap-up times are "
        "divided by a personal multiplier, lognormal with mean 1 and this log-sd (0 = every "
        "caller of the profile alike; 0.2 puts the middle 50 % of callers within about "
        "±13 %).",
    )
    skill_spread: float = Field(
        0.0,
        ge=0.0,
        le=2.0,
        allow_inf_nan=False,
        description="Callers differ in skill: each caller's gatekeeper, discovery and booking "
        "skills are multiplied by a personal multiplier, lognormal with mean 1 and this "
        "log-sd (0 = every caller of the profile alike).",
    )
    segments: SegmentWeights | None = Field(
        None, description="Segments called and their weights in the fresh-lead mix; null = all."
    )
    pay: Pay = Field(default_factory=Pay, description="What a caller of this profile costs.")
    quota: list[QuotaTarget] = Field(
        default_factory=list,
        max_length=50,
        description="Daily quota; met on an operator-day when every part is met. Empty = none.",
    )
    ramp: RampUp | None = Field(
        None,
        description="How a new caller's speed and skills ramp up with tenure; null = always "
        "at full level (see sim/scenario/people.py).",
    )
    turnover: Turnover | None = Field(
        None,
        description="Callers quit with a daily hazard and are replaced by novices after a "
        "hiring delay; null = nobody quits.",
    )
    fatigue: Fatigue | None = Field(
        None,
        description="Pace and quality decline over the shift, breaks restore part; null = "
        "callers never tire.",
    )
    box_ticking: BoxTicking | None = Field(
        None,
        description="Under a count-only quota, a caller behind plan drifts to the easiest "
        "segment and cuts conversations short; null = never.",
    )
    air_time: AirTimeRule | None = Field(
        None,
        description="A manager's air-time rule (minimum talk per conversation or hours on air "
        "per day) and the assumed true effect of talk length; null = no rule.",
    )


class TeamGroup(_Frozen):
    """``count`` callers sharing one profile."""

    profile: str = Field(description="Name of a profile in ``profiles``.")
    count: int = Field(ge=0, le=10_000, description="Number of callers in the group.")
    name: str | None = Field(
        None,
        min_length=1,
        max_length=100,
        description="Group name: its row in results and its operator ids. Default: the profile "
        "name, or profile-INDEX (e.g. student-1, the group's position in team) when several "
        "unnamed groups share a profile.",
    )
    segments: SegmentWeights | None = Field(
        None, description="Overrides the profile's segment mix for this group."
    )
    tenure_days: int = Field(
        0,
        ge=0,
        le=100_000,
        description="Working days each caller of the group has worked at the horizon's start "
        "(read only by a profile's ramp).",
    )


def group_labels(team: Sequence[TeamGroup]) -> list[str]:
    """Each group's label: the name its results row and operator ids (``student-03``) use.

    A group's ``name`` if set; otherwise its profile, or ``profile-INDEX`` (its 0-based position
    in the team list, as in ``--set team.INDEX.count=...``) when more than one unnamed group
    shares that profile.
    """
    unnamed = Counter(group.profile for group in team if group.name is None)
    return [
        group.name
        if group.name is not None
        else group.profile
        if unnamed[group.profile] == 1
        else f"{group.profile}-{index}"
        for index, group in enumerate(team)
    ]
