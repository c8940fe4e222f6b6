"""The scenario schema: what an analyst writes in a YAML scenario file."""

from sim.scenario.distributions import (
    Constant,
    Distribution,
    Empirical,
    Exponential,
    Gamma,
    Lognormal,
    Uniform,
)
from sim.scenario.retry import RetryPolicy
from sim.scenario.scenario import MINUTES_PER_DAY, Scenario
from sim.scenario.segment import (
    DecisionMakerParams,
    GatekeeperParams,
    LineParams,
    NeedsParams,
    ReferralParams,
    Segment,
)
from sim.scenario.team import Pay, Profile, QuotaTarget, QuotaUnit, Shift, TeamGroup

__all__ = [
    "MINUTES_PER_DAY",
    "Constant",
    "DecisionMakerParams",
    "Distribution",
    "Empirical",
    "Exponential",
    "Gamma",
    "GatekeeperParams",
    "LineParams",
    "Lognormal",
    "NeedsParams",
    "Pay",
    "Profile",
    "QuotaTarget",
    "QuotaUnit",
    "ReferralParams",
    "RetryPolicy",
    "Scenario",
    "Segment",
    "Shift",
    "TeamGroup",
    "Uniform",
]
