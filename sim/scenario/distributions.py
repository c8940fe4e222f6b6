"""Duration distributions declared in scenario files.

Every duration in callsim (dialing, ringing, talking, wrap-up) is in **minutes** and is described
by one of these distributions, chosen in YAML with a ``kind`` tag::

    talk_time_no_need: {kind: lognormal, mean_min: 1.5, sd_min: 1.0}
    wrap_up_time: 0.5            # a bare number is a constant duration

Each distribution knows its analytic ``expected_min`` and ``variance_min2`` so that tests can
compare simulated throughput against renewal-reward theory, and samples in blocks
(``sample(rng, n)``) so the simulation draws random numbers in bulk, not one call per event.
"""

from __future__ import annotations

import math
import typing
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from sim.scenario.base import MAX_CV, MAX_DURATION_MIN, NotBool, Weight

NonNegativeMinutes = Annotated[
    float, NotBool, Field(ge=0.0, le=MAX_DURATION_MIN, allow_inf_nan=False)
]
PositiveMinutes = Annotated[float, NotBool, Field(gt=0.0, le=MAX_DURATION_MIN, allow_inf_nan=False)]


class _Distribution(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)

    @property
    def expected_min(self) -> float:
        """Analytic mean, minutes."""
        raise NotImplementedError

    @property
    def variance_min2(self) -> float:
        """Analytic variance, minutes squared."""
        raise NotImplementedError

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Draw ``size`` independent durations (minutes) from ``rng``."""
        raise NotImplementedError

    @property
    def can_be_zero(self) -> bool:
        """True if a draw is exactly zero with positive probability."""
        return False


class Constant(_Distribution):
    """A fixed duration: every draw equals ``value_min``."""

    kind: Literal["constant"] = "constant"
    value_min: NonNegativeMinutes = Field(description="The duration, minutes.")

    @property
    def expected_min(self) -> float:
        return self.value_min

    @property
    def variance_min2(self) -> float:
        return 0.0

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return np.full(size, self.value_min)

    @property
    def can_be_zero(self) -> bool:
        return self.value_min == 0.0


class Exponential(_Distribution):
    """Memoryless duration with the given mean (minutes)."""

    kind: Literal["exponential"]
    mean_min: PositiveMinutes = Field(description="Mean duration, minutes.")

    @property
    def expected_min(self) -> float:
        return self.mean_min

    @property
    def variance_min2(self) -> float:
        return self.mean_min**2

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.exponential(self.mean_min, size)


class _MeanSd(_Distribution):
    """A distribution parametrised by its own mean and standard deviation (not log-scale)."""

    mean_min: PositiveMinutes = Field(description="Mean duration, minutes.")
    sd_min: Annotated[float, NotBool, Field(ge=0.0, allow_inf_nan=False)] = Field(
        description=f"Standard deviation of the duration, minutes; at most {MAX_CV:g} x mean_min."
    )

    @model_validator(mode="after")
    def _bounded_spread(self) -> _MeanSd:
        # Beyond this the log-scale (or shape) parameters leave the range where blocks of
        # draws stay finite and non-degenerate.
        if self.sd_min > MAX_CV * self.mean_min:
            raise ValueError(
                f"sd_min ({self.sd_min:g}) may be at most {MAX_CV:g} x mean_min "
                f"({MAX_CV * self.mean_min:g})"
            )
        return self

    @property
    def expected_min(self) -> float:
        return self.mean_min

    @property
    def variance_min2(self) -> float:
        return self.sd_min**2


class Lognormal(_MeanSd):
    """Right-skewed talk time: a few long conversations among many short ones.

    ``mean_min`` and ``sd_min`` are the mean and standard deviation of the duration itself;
    the log-scale parameters are derived from them.
    """

    kind: Literal["lognormal"]

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        if self.sd_min == 0.0:
            return np.full(size, self.mean_min)
        sigma2 = math.log1p((self.sd_min / self.mean_min) ** 2)
        mu = math.log(self.mean_min) - sigma2 / 2.0
        return rng.lognormal(mu, math.sqrt(sigma2), size)


MAX_GAMMA_SHAPE = 1e15
"""Gamma shapes above this (a coefficient of variation under 3e-8) are sampled as the mean:
the draws would differ from it by less than a part in ten million."""


class Gamma(_MeanSd):
    """Gamma-distributed duration with the given mean and standard deviation (minutes)."""

    kind: Literal["gamma"]

    @model_validator(mode="after")
    def _positive_sd(self) -> Gamma:
        if self.sd_min <= 0.0:
            raise ValueError("a gamma duration needs sd_min > 0 (use kind: constant otherwise)")
        return self

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        cv = self.sd_min / self.mean_min
        scale = self.sd_min**2 / self.mean_min
        if cv * cv * MAX_GAMMA_SHAPE < 1.0 or scale == 0.0:
            # A spread too small for floating point (the shape overflows, or the scale
            # underflows to 0, and numpy would return NaN or 0): the duration is its mean.
            return np.full(size, self.mean_min)
        return rng.gamma((self.mean_min / self.sd_min) ** 2, scale, size)


class Uniform(_Distribution):
    """Duration uniformly distributed between ``low_min`` and ``high_min``."""

    kind: Literal["uniform"]
    low_min: NonNegativeMinutes = Field(description="Shortest duration, minutes.")
    high_min: NonNegativeMinutes = Field(description="Longest duration, minutes.")

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high_min < self.low_min:
            raise ValueError("high_min must be at least low_min")
        return self

    @property
    def expected_min(self) -> float:
        return (self.low_min + self.high_min) / 2.0

    @property
    def variance_min2(self) -> float:
        return (self.high_min - self.low_min) ** 2 / 12.0

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.uniform(self.low_min, self.high_min, size)


class Empirical(_Distribution):
    """Resampling of observed durations (e.g. from a call log), optionally weighted."""

    kind: Literal["empirical"]
    values_min: list[NonNegativeMinutes] = Field(
        min_length=1, max_length=10_000, description="Observed durations, minutes."
    )
    weights: list[Weight] | None = Field(
        default=None,
        max_length=10_000,
        description="Relative weight of each value (default: equal weights).",
    )

    @model_validator(mode="after")
    def _weights_match(self) -> Empirical:
        if self.weights is not None:
            if len(self.weights) != len(self.values_min):
                raise ValueError("weights must have one entry per value in values_min")
            if sum(self.weights) <= 0.0:
                raise ValueError("weights must not all be zero")
        return self

    def _probabilities(self) -> np.ndarray:
        if self.weights is None:
            return np.full(len(self.values_min), 1.0 / len(self.values_min))
        w = np.asarray(self.weights, dtype=float)
        return w / w.sum()

    @property
    def expected_min(self) -> float:
        return float(np.dot(self._probabilities(), self.values_min))

    @property
    def variance_min2(self) -> float:
        p, v = self._probabilities(), np.asarray(self.values_min)
        return float(np.dot(p, (v - np.dot(p, v)) ** 2))

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.choice(np.asarray(self.values_min), size=size, p=self._probabilities())

    @property
    def can_be_zero(self) -> bool:
        return any(
            v == 0.0 and p > 0.0
            for v, p in zip(self.values_min, self._probabilities(), strict=True)
        )


def _number_is_constant(value: Any) -> Any:
    """Let a bare number stand for a constant duration (``wrap_up_time: 0.5``)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"kind": "constant", "value_min": value}
    return value


DISTRIBUTION_KINDS: tuple[type[_Distribution], ...] = (
    Constant,
    Exponential,
    Lognormal,
    Gamma,
    Uniform,
    Empirical,
)
"""Every kind of duration distribution a scenario may use (the one list of them)."""

Distribution = Annotated[
    Constant | Exponential | Lognormal | Gamma | Uniform | Empirical,
    Field(discriminator="kind"),
    BeforeValidator(_number_is_constant),
]
"""A duration distribution in minutes; a bare number means a constant."""
assert set(typing.get_args(typing.get_args(Distribution)[0])) == set(DISTRIBUTION_KINDS)
