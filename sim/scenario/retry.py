"""The retry policy: when a company that was not closed is called again."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sim.scenario.base import MAX_DELAY_DAYS, MAX_DELAY_MIN, Frozen

TimedOutcome = Literal["busy", "no_answer", "gatekeeper_dm_out", "thread_lost", "dm_unavailable"]
"""Outcomes whose callback may be set for a time of day instead of after a delay."""


class CallbackAt(Frozen):
    """A callback set for a time of day ("call back Tuesday at 10").

    Due at the first moment, at or after the attempt's end, that is ``hour`` hours into a
    shift (0 = the shift's start, as in ``time_of_day``) on ``weekday`` (0 = Monday: the
    horizon's first day is a Monday of a five-day week; null = any working day). A time past
    the shift's end is due at the start of the next shift, like any callback.
    """

    hour: float = Field(
        ge=0.0, lt=24.0, allow_inf_nan=False, description="Hours into the shift (0 = start)."
    )
    weekday: int | None = Field(
        None, ge=0, le=4, description="0 = Monday ... 4 = Friday; null = any working day."
    )


class RetryPolicy(Frozen):
    """When a company is called again after an attempt that did not close it.

    Delays run from the end of the attempt on the working-day clock (1440 = same time next
    working day); a callback that falls outside the shift is due at the start of the next one.
    After ``max_attempts`` attempts without a closing outcome the company is *exhausted*.
    """

    max_attempts: int = Field(
        6, ge=1, le=1000, description="Attempts per company before giving up."
    )
    busy_delay_min: float = Field(
        15.0,
        ge=0.0,
        le=MAX_DELAY_MIN,
        allow_inf_nan=False,
        description="Retry after a busy line, min.",
    )
    no_answer_delay_min: float = Field(
        120.0,
        ge=0.0,
        le=MAX_DELAY_MIN,
        allow_inf_nan=False,
        description="Retry after no answer, min.",
    )
    invalid_delay_min: float | None = Field(
        None,
        ge=0.0,
        le=MAX_DELAY_MIN,
        allow_inf_nan=False,
        description="Retry after an invalid number (if it may be a line fault), min; null = "
        "a wrong number stays wrong: the company closes with status 'invalid' and is never "
        "dialled again.",
    )
    gatekeeper_dm_out_delay_min: float = Field(
        1440.0,
        ge=0.0,
        le=MAX_DELAY_MIN,
        allow_inf_nan=False,
        description="Callback when the gatekeeper says the DM is out, min.",
    )
    thread_lost_delay_min: float = Field(
        1440.0,
        ge=0.0,
        le=MAX_DELAY_MIN,
        allow_inf_nan=False,
        description="Retry after losing the thread in a referral chain, min.",
    )
    dm_unavailable_delay_min: float = Field(
        240.0,
        ge=0.0,
        le=MAX_DELAY_MIN,
        allow_inf_nan=False,
        description="Callback when the DM is busy or out (contact learned), min.",
    )
    email_cool_off_days: float | None = Field(
        10.0,
        ge=0.0,
        le=MAX_DELAY_DAYS,
        allow_inf_nan=False,
        description="After 'send an email', call again after this many days; "
        "null = the lead closes as refused.",
    )
    gatekeeper_refusal_cool_off_days: float | None = Field(
        None,
        ge=0.0,
        le=MAX_DELAY_DAYS,
        allow_inf_nan=False,
        description="After a gatekeeper's refusal, call again after this many days; "
        "null = the lead closes as refused.",
    )
    long_term_callback_days: float = Field(
        130.0,
        ge=0.0,
        le=MAX_DELAY_DAYS,
        allow_inf_nan=False,
        description="Callback after a long-term need ('in half a year' = 130 "
        "working days); may fall beyond the horizon.",
    )
    callback_at: dict[TimedOutcome, CallbackAt] = Field(
        default_factory=dict,
        description="Outcomes called back at a time of day instead of after their delay "
        "(e.g. dm_unavailable: {hour: 1, weekday: 1} = Tuesday, an hour into the shift); "
        "empty = every callback after its delay.",
    )
