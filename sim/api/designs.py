"""Experimental designs for sweeps: the full grid, or a Latin hypercube over ranges.

``--vary path=v1,v2,...`` lists values (each read as YAML: ``5``, ``0.3``, ``null``) for a
grid; ``--vary path=lo:hi`` gives a range for a Latin hypercube (``--design lhs --points K``):
K points, each range cut into K equal strata with exactly one point per stratum in every
dimension (:class:`scipy.stats.qmc.LatinHypercube`, seeded by the experiment's seed). A range
whose bounds are both written as whole numbers (``1:8``, not ``1.0:8``) is sampled as whole
numbers: ``lo .. hi`` is cut into K strata and the value rounded down, so each integer is
about equally likely.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from scipy.stats import qmc

from sim.errors import ExperimentError
from sim.execution.limits import MAX_LHS_POINTS, MAX_SWEEP_POINTS, check_count
from sim.scenario.arguments import require_texts
from sim.scenario.guard import YamlLimitError, load_value


@dataclass(frozen=True)
class Factor:
    """One varied scenario field: listed ``values`` (grid) or a ``low``-``high`` range (LHS)."""

    path: str
    values: tuple[Any, ...] = ()
    low: float | None = None
    high: float | None = None
    whole: bool = False

    def __post_init__(self) -> None:
        # The sweep table and charts put every varied path on a numeric axis: a text, a
        # true/false or a block would fail only when the results are tabulated, after the run.
        if not self.is_range and not self.values:
            raise ExperimentError(f"vary {self.path!r}: give at least one value")
        for value in self.values:
            if value is not None and (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
            ):
                raise ExperimentError(
                    f"vary {self.path!r}: {value!r} is not a finite number; a sweep varies "
                    "numeric fields only (numbers, or null where the field allows it)"
                )

    @property
    def is_range(self) -> bool:
        """True for a ``lo:hi`` range."""
        return self.low is not None

    @property
    def integer(self) -> bool:
        """True for a range sampled as whole numbers (bounds written as integers)."""
        return self.is_range and self.whole


def parse_vary(texts: Sequence[str]) -> list[Factor]:
    """Parse ``--vary`` options (see module docstring); raises :class:`ExperimentError`."""
    factors: list[Factor] = []
    for text in require_texts(texts, "vary"):
        path, sep, spec = text.partition("=")
        path = path.strip()
        if not sep or not path or not spec.strip():
            raise ExperimentError(f"--vary {text!r}: expected path=v1,v2,... or path=lo:hi")
        if any(f.path == path for f in factors):
            raise ExperimentError(f"--vary {path} given twice")
        if ":" in spec and "," not in spec and not spec.strip().startswith(("{", "[")):
            low_text, _, high_text = spec.partition(":")
            try:
                if not (low_text.isascii() and high_text.isascii()):
                    raise ValueError("digits must be 0-9")
                low, high = float(low_text), float(high_text)
            except ValueError:
                raise ExperimentError(f"--vary {text!r}: range bounds must be numbers") from None
            if not math.isfinite(high - low) or high < low:
                raise ExperimentError(f"--vary {text!r}: need finite lo <= hi")
            whole = all(_is_int_text(t) for t in (low_text, high_text))
            factors.append(Factor(path, low=low, high=high, whole=whole))
            continue
        try:
            values = tuple(load_value(v) for v in spec.split(","))
        except YamlLimitError as error:
            raise ExperimentError(f"--vary {path}: {error}") from None
        except yaml.YAMLError:
            raise ExperimentError(f"--vary {text!r}: values must be YAML scalars") from None
        factors.append(Factor(path, values=values))
    if not factors:
        raise ExperimentError("a sweep needs at least one --vary path=...")
    return factors


def _is_int_text(text: str) -> bool:
    text = text.strip().lstrip("+-")
    return text.isdigit()


def grid_points(factors: Sequence[Factor]) -> list[dict[str, Any]]:
    """Every combination of the listed values (the first path varies slowest)."""
    ranged = [f.path for f in factors if f.is_range]
    if ranged:
        raise ExperimentError(
            f"the grid design needs listed values, not ranges: "
            f"{', '.join(ranged)} (use --design lhs --points K for ranges)"
        )
    check_count(math.prod(len(f.values) for f in factors), MAX_SWEEP_POINTS, "sweep points")
    combos = itertools.product(*(f.values for f in factors))
    return [dict(zip([f.path for f in factors], combo, strict=True)) for combo in combos]


def lhs_points(factors: Sequence[Factor], points: int, seed: int) -> list[dict[str, Any]]:
    """``points`` Latin hypercube points over the factors' ranges (reproducible by ``seed``)."""
    listed = [f.path for f in factors if not f.is_range]
    if listed:
        raise ExperimentError(f"the lhs design needs ranges lo:hi, not lists: {', '.join(listed)}")
    if isinstance(points, bool) or not isinstance(points, int) or points < 1:
        raise ExperimentError(f"--points must be a whole number of at least 1, got {points!r}")
    check_count(points, MAX_LHS_POINTS, "Latin hypercube points")
    sample = qmc.LatinHypercube(d=len(factors), seed=seed).random(points)
    out = []
    for row in sample:
        point: dict[str, Any] = {}
        for factor, u in zip(factors, row, strict=True):
            assert factor.low is not None and factor.high is not None  # ranges only (see above)
            low, high = float(factor.low), float(factor.high)
            if factor.integer:
                point[factor.path] = int(min(high, math.floor(low + u * (high - low + 1))))
            else:
                point[factor.path] = low + u * (high - low)
        out.append(point)
    return out


def design_points(
    factors: Sequence[Factor], design: str = "grid", points: int | None = None, seed: int = 0
) -> list[dict[str, Any]]:
    """The design's points as ``{path: value}`` dicts."""
    if design == "grid":
        if points is not None:
            raise ExperimentError("--points is for --design lhs")
        return grid_points(factors)
    if design == "lhs":
        if points is None:
            raise ExperimentError("--design lhs needs --points K")
        return lhs_points(factors, points, seed)
    raise ExperimentError(f"unknown design {design!r}; use grid or lhs")
