"""From call to sale: latent company fit, list policies, sellers and two-part pay (issue #12).

Everything here is off by default: a scenario without a ``sales`` block (or with fit spread
zero, every list ``broad``, no sellers and fixed pay only) simulates exactly as before.

- **Fit** (per segment): each company has a persistent propensity drawn once from a Beta
  distribution with mean ``mean`` and standard deviation ``sd``; its needs, booking, show-up
  and close probabilities are multiplied by ``fit / mean`` (1 on average).
- **Lists** (per team group): ``broad`` calls companies in list order; ``targeted`` ranks
  them by a noisy research score of their fit and keeps the top ``share_kept``.
- **Sellers**: experienced sellers who hold the meetings the callers book.
- **Pay**: per caller profile, a fixed pay that may depend on a monthly plan, bonuses per
  meeting and a commission share of the sales from the caller's leads.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Literal

from pydantic import Field, model_validator

from sim.scenario.base import MAX_MONEY, Frozen, did_you_mean

MAX_DAYS = 2000
"""Longest booking lead time or sales cycle, working days."""


class Fit(Frozen):
    """A segment's latent company fit: Beta distributed, mean ``mean``, sd ``sd`` (0 = off)."""

    mean: float = Field(
        0.5, gt=0.0, lt=1.0, allow_inf_nan=False, description="Mean fit of the segment's companies."
    )
    sd: float = Field(
        0.0,
        ge=0.0,
        lt=0.5,
        allow_inf_nan=False,
        description="Spread of fit between companies; 0 makes every company average (off).",
    )

    @model_validator(mode="after")
    def _beta_exists(self) -> Fit:
        if self.sd > 0.0 and self.sd**2 >= self.mean * (1.0 - self.mean):
            raise ValueError(
                f"sd {self.sd} is too large for a Beta distribution with mean {self.mean}: "
                f"it must be below sqrt(mean * (1 - mean)) = "
                f"{math.sqrt(self.mean * (1.0 - self.mean)):.4g}"
            )
        return self

    @property
    def beta_ab(self) -> tuple[float, float]:
        """The Beta distribution's shape parameters ``(a, b)`` (only when ``sd > 0``)."""
        concentration = self.mean * (1.0 - self.mean) / self.sd**2 - 1.0
        return self.mean * concentration, (1.0 - self.mean) * concentration


class ListPolicy(Frozen):
    """How a team group's fresh companies are chosen from the base."""

    policy: Literal["broad", "targeted"] = Field(
        "broad", description="broad: list order; targeted: ranked by a research score of fit."
    )
    score_noise: float = Field(
        0.0,
        ge=0.0,
        allow_inf_nan=True,
        description="Sd of the research error added to a company's fit (.inf: no information).",
    )
    share_kept: float = Field(
        1.0, gt=0.0, le=1.0, allow_inf_nan=False, description="Share of the base kept."
    )
    research_min: float = Field(
        0.0,
        ge=0.0,
        le=600.0,
        allow_inf_nan=False,
        description="Minutes of research per company before its first dial (counted as dial "
        "time of the first attempt).",
    )


class DealValue(Frozen):
    """Value of a signed order: lognormal with this mean and sd, currency units."""

    mean: float = Field(
        100_000.0, gt=0.0, le=MAX_MONEY, allow_inf_nan=False, description="Mean order value."
    )
    sd: float = Field(
        0.0, ge=0.0, le=MAX_MONEY, allow_inf_nan=False, description="Sd of the order value."
    )


class SellerGroup(Frozen):
    """Experienced sellers who hold meetings the callers booked, and close sales."""

    name: str = Field(
        "sellers", pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$", description="The group's name."
    )
    count: int = Field(1, ge=1, le=1000, description="Sellers in the group.")
    meetings_per_day: int = Field(3, ge=1, le=100, description="Meetings one seller can hold.")
    booking_lead_days: int = Field(
        2, ge=0, le=MAX_DAYS, description="Working days from the call to the meeting booked."
    )
    no_show_prob: float = Field(0.2, ge=0.0, le=1.0, description="The client does not come.")
    close_prob: float = Field(
        0.3, ge=0.0, le=1.0, description="A held meeting becomes a sale (× fit/mean × skill)."
    )
    skill: float = Field(1.0, gt=0.0, le=10.0, description="Multiplier on close_prob.")
    deal_value: DealValue = Field(
        default_factory=DealValue, description="Value of an order signed (lognormal)."
    )
    sales_cycle_days: int = Field(
        10, ge=0, le=MAX_DAYS, description="Working days from the meeting to the signed order."
    )
    hourly_cost: float = Field(
        0.0, ge=0.0, le=MAX_MONEY, allow_inf_nan=False, description="Cost per working hour."
    )
    hours_per_day: float = Field(
        8.0, gt=0.0, le=24.0, allow_inf_nan=False, description="Paid hours per working day."
    )
    commission_share: float = Field(
        0.0, ge=0.0, le=1.0, description="Share of the value of the group's sales paid to it."
    )
    team_group: str | None = Field(
        None,
        description="The forum's alternative: the callers of this team group are the group's "
        "sellers (``count`` must equal the team group's). Each holds the meetings they book "
        "themselves, and a share of the rest of the team's when no other seller group exists; "
        "each meeting takes ``meeting_min`` out of that caller's calling day.",
    )
    meeting_min: float = Field(
        60.0,
        ge=0.0,
        le=600.0,
        allow_inf_nan=False,
        description="Minutes one meeting takes out of a calling seller's day (with team_group).",
    )


class CallerPay(Frozen):
    """Pay of a caller profile beyond the fixed wage (``Profile.pay``)."""

    plan_meetings_per_month: int = Field(
        0, ge=0, le=100_000, description="Meetings a caller must book in a month (0: no plan)."
    )
    fixed_only_if_plan_met: bool = Field(
        False, description="The fixed pay is earned only in a month the plan is met."
    )
    bonus_per_meeting_booked: float = Field(
        0.0, ge=0.0, le=MAX_MONEY, allow_inf_nan=False, description="Bonus per meeting booked."
    )
    bonus_per_meeting_held: float = Field(
        0.0,
        ge=0.0,
        le=MAX_MONEY,
        allow_inf_nan=False,
        description="Bonus per meeting booked that the client came to.",
    )
    commission_share: float = Field(
        0.0, ge=0.0, le=1.0, description="Share of the value of sales from the caller's leads."
    )


class Sales(Frozen):
    """The ``sales`` block of a scenario: from the call to the sale and the money."""

    fit: dict[str, Fit] = Field(default_factory=dict, description="Latent fit per segment.")
    long_term_convert_prob: float = Field(
        0.0,
        ge=0.0,
        le=1.0,
        description="A long-term need called back after its delay has an immediate need with "
        "this probability (× fit/mean).",
    )
    lists: dict[str, ListPolicy] = Field(
        default_factory=dict, description="List policy per team group label (default broad)."
    )
    sellers: list[SellerGroup] = Field(
        default_factory=list, description="Who holds the booked meetings (none: not modelled)."
    )
    pay: dict[str, CallerPay] = Field(
        default_factory=dict, description="Caller pay beyond the fixed wage, per profile."
    )

    @property
    def fit_on(self) -> bool:
        """Some segment's companies differ in fit."""
        return any(f.sd > 0.0 for f in self.fit.values())

    @property
    def targeted(self) -> bool:
        """Some team group calls a targeted list."""
        return any(p.policy == "targeted" for p in self.lists.values())

    @property
    def model_on(self) -> bool:
        """The per-attempt loop needs the sales hooks (fit, long-term return or lists)."""
        return self.fit_on or self.targeted or self.long_term_convert_prob > 0.0


def check_sales_references(
    sales: Sales,
    segments: list[str],
    groups: list[str],
    profiles: Iterable[str],
    group_counts: dict[str, int] | None = None,
) -> None:
    """Refuse a ``sales`` block naming a segment, team group or profile the scenario lacks.

    ``group_counts`` (callers per team group label) also checks that a seller group of
    callers (``team_group``) counts as many sellers as the team group has callers.
    """
    for block, names, known in (
        ("fit", sales.fit, segments),
        ("lists", sales.lists, groups),
        ("pay", sales.pay, list(profiles)),
    ):
        unknown = sorted(set(names) - set(known))
        if unknown:
            raise ValueError(
                f"sales.{block} names unknown {unknown}; known: {', '.join(sorted(known))}"
                f"{did_you_mean(unknown, known)}"
            )
    seller_names = [g.name for g in sales.sellers]
    if len(set(seller_names)) != len(seller_names):
        raise ValueError(f"sales.sellers: two groups share a name ({seller_names}); set `name`")
    callers = [g.team_group for g in sales.sellers if g.team_group is not None]
    if len(set(callers)) != len(callers):
        raise ValueError(f"sales.sellers: a team group holds meetings twice ({callers})")
    for seller in sales.sellers:
        if seller.team_group is None:
            continue
        if seller.team_group not in groups:
            raise ValueError(
                f"sales.sellers {seller.name!r}: team_group {seller.team_group!r} is not a team "
                f"group; known: {', '.join(groups)}"
            )
        count = None if group_counts is None else group_counts.get(seller.team_group)
        if count is not None and count != seller.count:
            raise ValueError(
                f"sales.sellers {seller.name!r}: count {seller.count} but team group "
                f"{seller.team_group!r} has {count} callers; set count: {count}"
            )
