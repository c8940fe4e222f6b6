"""People over time: how a caller's level ramps up with tenure, and who quits and is replaced.

Both mechanisms are optional and off by default (a profile without ``ramp`` works at its full
level every day; a profile without ``turnover`` never quits), so a scenario that does not
write them simulates exactly as before.

- **Ramp-up** (:class:`RampUp`): a caller's *level* (a share of the profile's full speed and
  skills, in (0, 1]) rises with the working days the caller has worked (tenure). Staged, as
  sales organisations report ramps ("35 % of quota in month 1, 65 % in month 2, 100 % after"),
  or exponential towards 1. Source: the forum thread (T2: newcomers at most ~60 calls a day,
  trained ~80; T4: operators reach 130-170 dials "fairly quickly"); the shapes and their
  numbers are assumptions to set per team.
- **Turnover** (:class:`Turnover`): each caller quits at the end of a working day with a daily
  hazard, which may rise with a run of days without a meeting; the seat stays empty for
  ``hiring_delay_days`` and is then taken by a novice (tenure 0, ramping up again), at a
  hiring cost. An assumption: the thread reports that broad lists "demotivate sellers and
  cause high turnover" only qualitatively.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import Field, model_validator

from sim.scenario.base import MAX_MONEY
from sim.scenario.base import Frozen as _Frozen

Level = float
"""A share of the profile's full value, in (0, 1]."""


class RampStage(_Frozen):
    """One stage of a staged ramp: ``level`` for tenure days below ``until_day``."""

    until_day: int = Field(ge=1, le=100_000, description="Stage ends at this tenure day.")
    level: float = Field(
        gt=0.0, le=1.0, allow_inf_nan=False, description="Share of full speed/skill."
    )


class RampUp(_Frozen):
    """How a new caller's speed and skills rise to the profile's values over days worked.

    The *level* on tenure day ``t`` (0 = the first day worked) multiplies the caller's
    gatekeeper, discovery and booking skills (``skills: true``) and divides the caller's own
    dial, talk and wrap-up times (``speed: true``; ring times are the line's and stay).

    - ``staged``: the level of the first stage whose ``until_day`` exceeds ``t``, else 1
      (e.g. 35 % for 22 days, 65 % until day 44, then 100 %);
    - ``exponential``: ``1 - (1 - start_level) * exp(-t / time_constant_days)``.
    """

    kind: Literal["staged", "exponential"] = Field(description="Shape of the ramp.")
    stages: list[RampStage] = Field(
        default_factory=list,
        max_length=50,
        description="Staged ramp: stages in order of until_day (level 1 after the last).",
    )
    start_level: float = Field(
        0.5, gt=0.0, le=1.0, allow_inf_nan=False, description="Exponential: level on day 0."
    )
    time_constant_days: float = Field(
        10.0,
        gt=0.0,
        le=100_000.0,
        allow_inf_nan=False,
        description="Exponential: working days for the gap to full level to shrink by e.",
    )
    speed: bool = Field(True, description="The level divides the caller's own times.")
    skills: bool = Field(True, description="The level multiplies the caller's skills.")

    @model_validator(mode="after")
    def _stages_in_order(self) -> RampUp:
        if self.kind == "staged":
            if not self.stages:
                raise ValueError("a staged ramp needs at least one stage")
            ends = [s.until_day for s in self.stages]
            if ends != sorted(set(ends)):
                raise ValueError("ramp stages must have increasing until_day")
        elif self.stages:
            raise ValueError("stages apply to a staged ramp only")
        return self

    def level(self, tenure_day: int) -> Level:
        """The caller's level (share of full speed and skills) on ``tenure_day`` (from 0)."""
        if self.kind == "staged":
            for stage in self.stages:
                if tenure_day < stage.until_day:
                    return stage.level
            return 1.0
        gap = (1.0 - self.start_level) * math.exp(-tenure_day / self.time_constant_days)
        return 1.0 - gap


class Turnover(_Frozen):
    """Callers of a profile quit and are replaced by novices.

    At the end of each working day a caller quits with probability ``min(1, daily_quit_prob *
    (1 + rise_per_day_without_meeting * r))``, where ``r`` counts the working days in a row,
    up to and including that day, on which the caller booked no meeting. A seat left empty
    is refilled ``hiring_delay_days`` working days later by a novice with tenure 0.
    """

    daily_quit_prob: float = Field(
        ge=0.0, le=1.0, allow_inf_nan=False, description="Base daily hazard of quitting."
    )
    rise_per_day_without_meeting: float = Field(
        0.0,
        ge=0.0,
        le=100.0,
        allow_inf_nan=False,
        description="Relative rise of the hazard per working day in a row without a meeting.",
    )
    hiring_delay_days: int = Field(
        5, ge=0, le=100_000, description="Working days a quit seat stays empty."
    )
    hiring_cost: float = Field(
        0.0,
        ge=0.0,
        le=MAX_MONEY,
        allow_inf_nan=False,
        description="Cost of hiring (and training) one replacement, currency units.",
    )


class Fatigue(_Frozen):
    """Callers tire over the shift: pace and conversation quality decline, breaks restore.

    The *fatigue loss* grows by ``loss_per_hour`` per hour into the shift, not counting
    breaks; each break (at its due time) takes away ``break_recovery`` of the loss built up so
    far. The caller's fatigue level is ``max(floor, 1 - loss)``, rounded to 0.01 (and at least
    0.01); it divides
    the caller's own times (``pace: true``) and multiplies the skills (``quality: true``), on
    top of any ramp. An assumption: the thread mentions tiring calls but gives no rate.
    """

    loss_per_hour: float = Field(
        ge=0.0, le=1.0, allow_inf_nan=False, description="Level lost per hour on the phones."
    )
    break_recovery: float = Field(
        0.5, ge=0.0, le=1.0, allow_inf_nan=False, description="Share of the loss a break restores."
    )
    floor: float = Field(
        0.5, gt=0.0, le=1.0, allow_inf_nan=False, description="Lowest fatigue level."
    )
    pace: bool = Field(True, description="Fatigue divides the caller's own times.")
    quality: bool = Field(True, description="Fatigue multiplies the caller's skills.")

    def level(self, minute: float, break_due_min: list[float], break_length_min: float) -> float:
        """The fatigue level ``minute`` minutes into the shift, given the breaks' due times."""
        loss, clock = 0.0, 0.0
        for due in break_due_min:
            if due >= minute:
                break
            loss += self.loss_per_hour * (due - clock) / 60.0
            loss *= 1.0 - self.break_recovery
            clock = due + break_length_min
        loss += self.loss_per_hour * max(0.0, minute - clock) / 60.0
        # Rounded to 0.01, and never below it: a floor under 0.005 would round to a level of
        # 0, and a caller's times are divided by the level.
        return max(round(max(self.floor, 1.0 - loss), 2), 0.01)


COUNT_UNITS = ("dials", "calls_excl_busy_no_answer", "answered")
"""Quota units that count volume only: a quota of these alone invites box-ticking."""


class BoxTicking(_Frozen):
    """Box-tickers: under a count-only quota, a caller behind plan pads the count.

    On a working day after one on which the caller missed a quota counting only dials,
    calls or answered calls (:data:`COUNT_UNITS`), a share ``strength`` of the caller's
    fresh-lead picks go to the easiest segment, and conversations are cut short: talk times
    times ``1 - strength * talk_cut`` and discovery skill times ``1 - strength *
    discovery_cut``. A quota with any quality part (DM contacts, needs, meetings) gives no
    such drift. Source: the thread's box-tickers who call small firms to pad a count quota;
    the strength and cuts are assumptions.
    """

    strength: float = Field(
        ge=0.0, le=1.0, allow_inf_nan=False, description="0 = no drift; 1 = all fresh picks."
    )
    easiest_segment: str | None = Field(
        None,
        description="Segment the caller drifts to; null = the called segment answered most "
        "often (fewest busy, unanswered and invalid lines).",
    )
    talk_cut: float = Field(
        0.3, ge=0.0, lt=1.0, allow_inf_nan=False, description="Talk shortened at strength 1."
    )
    discovery_cut: float = Field(
        0.5, ge=0.0, le=1.0, allow_inf_nan=False, description="Discovery lost at strength 1."
    )


class AirTimeRule(_Frozen):
    """A manager's air-time rule, and the analyst's assumption on whether talk length sells.

    In the model a DM conversation's outcome follows from the caller's skill and the
    company's latent interest (its uniforms), and its length from that outcome (each outcome
    has its own talk-time distribution; a booked meeting talks longest). Long talks and
    meetings go together without length causing anything. The rule stretches conversations:

    - ``min_talk_min`` ("no sales talk under M minutes"): every DM conversation's talk
      (gatekeeper and referrals included) lasts at least this many minutes;
    - ``min_air_hours_per_day`` ("at least N hours on air"): while the caller's talk so far
      today is behind the pro-rata pace (N hours times the share of the shift gone), each DM
      conversation's talk is multiplied by ``stretch_when_behind``.

    ``length_effect_per_min`` is the *true* effect of the added minutes on conversion: a DM
    conversation that did not end in a meeting ends in one with probability ``1 - exp(-effect
    * added minutes)`` (the company's own spare uniform decides, so scenarios share it). The
    default 0 means length does not cause conversion. The rule comes from the forum thread
    (managers kept 3 hours on air); the stretch and the effect are assumptions.
    """

    min_talk_min: float | None = Field(
        None,
        gt=0.0,
        le=600.0,
        allow_inf_nan=False,
        description="Shortest DM conversation allowed, minutes; null = no floor.",
    )
    min_air_hours_per_day: float | None = Field(
        None,
        gt=0.0,
        le=24.0,
        allow_inf_nan=False,
        description="Talk hours a caller must reach per day; null = no daily target.",
    )
    stretch_when_behind: float = Field(
        1.5,
        ge=1.0,
        le=10.0,
        allow_inf_nan=False,
        description="Talk multiplier of a DM conversation while behind the air-time pace.",
    )
    length_effect_per_min: float = Field(
        0.0,
        ge=0.0,
        le=10.0,
        allow_inf_nan=False,
        description="True effect of an added talk minute on conversion (hazard per minute); "
        "0 = length does not cause meetings.",
    )

    @model_validator(mode="after")
    def _some_rule(self) -> AirTimeRule:
        if self.min_talk_min is None and self.min_air_hours_per_day is None:
            raise ValueError("an air-time rule needs min_talk_min or min_air_hours_per_day")
        return self
