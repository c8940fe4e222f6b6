"""How every estimate is written: the console tables, the HTML report and chart annotations.

One rule, :func:`format_estimate`: the 95% CI half-width is rounded to two significant digits
and the mean to the same decimal place, with thousands separators and never in scientific
notation (``3,150 ±120``, ``0.0454 ±0.0038``). Percentages carry the sign on both numbers
(``95.50% ±0.15%``). A mean with no interval (one replication, or replications that all
agree) is shown alone to three significant digits.
"""

from __future__ import annotations

import math

import numpy as np

from sim.records.kpis import KPI_BY_NAME

HALF_WIDTH_DIGITS = 2
"""Significant digits of a confidence half-width; the mean is rounded to the same place."""
MEAN_DIGITS = 3
"""Significant digits of a mean shown without an interval."""
NOISE = 1e-9
"""Relative size below which a difference or half-width is floating-point noise (it is 0)."""
MISSING = "-"
"""How an undefined value (NaN: e.g. cost per meeting with no meeting) is written."""


def format_estimate(
    mean: float | None,
    half_width: float | None = None,
    unit: str = "",
    *,
    signed: bool = False,
    sep: str = " ±",
) -> str:
    """``mean ±half_width`` in the project's one number format.

    ``mean`` and ``half_width`` are in the unit shown (a share to be shown as a percentage is
    passed as ``95.5`` with ``unit="%"``). The half-width keeps two significant digits and the
    mean is rounded to the same decimal place (``3,145.3 ± 118.7`` -> ``3,150 ±120``), both
    with thousands separators and no scientific notation, however large or small. ``unit``
    ``"%"`` is written after both numbers (``95.50% ±0.15%``), any other unit once at the end
    (``3,150 ±120 RUB``). ``signed`` writes the mean's sign (a difference: ``+1.2 ±0.4``).
    A NaN or missing mean is ``-``; a missing, zero or NaN half-width (or one at floating-point
    noise, i.e. identical replications) shows the mean alone.
    """
    if mean is None or not math.isfinite(mean):
        return MISSING
    percent = unit == "%"
    suffix = "%" if percent else ""
    trailer = f" {unit}" if unit and not percent else ""
    if not _has_width(mean, half_width):
        text = format_number(mean, signed=signed) + suffix
        return text + trailer
    assert half_width is not None  # _has_width checked it
    decimals = _decimals(abs(half_width), HALF_WIDTH_DIGITS)
    shown_mean = _fixed(mean, decimals, signed)
    shown_half = _fixed(abs(half_width), decimals, False)
    return f"{shown_mean}{suffix}{sep}{shown_half}{suffix}{trailer}"


def format_number(value: float | None, digits: int = MEAN_DIGITS, *, signed: bool = False) -> str:
    """``value`` to ``digits`` significant digits (whole numbers in full), no scientific notation.

    ``3145.3`` -> ``3,145``; ``0.045454`` -> ``0.0455``; ``5.0`` -> ``5.00``; ``0`` -> ``0``;
    NaN -> ``-``. Used for a value with no interval, such as a swept parameter or a ratio.
    """
    if value is None or not math.isfinite(value):
        return MISSING
    if value == 0:
        return "0"
    return _fixed(value, max(_decimals(abs(value), digits), 0), signed)


def format_value(value: float | None, digits: int = 4) -> str:
    """An exact input (a swept parameter's value) as written: no padding zeros, no exponent.

    Whole numbers in full with separators (``20,000``), others to at most ``digits``
    significant digits with trailing zeros dropped (``0.05``, ``0.05379``, ``0.00001``).
    """
    if value is None or not math.isfinite(value):
        return MISSING
    if float(value).is_integer():
        return f"{int(value):,}"
    return np.format_float_positional(
        float(value), precision=digits, unique=True, fractional=False, trim="-"
    )


def _has_width(mean: float, half_width: float | None) -> bool:
    """True when ``half_width`` is a real interval, not absent or rounding noise."""
    if half_width is None or not math.isfinite(half_width):
        return False
    # A half-width at floating-point noise level (relative to the mean) means every
    # replication gave the same value.
    return abs(half_width) > NOISE * abs(mean) and half_width != 0


def _decimals(magnitude: float, digits: int) -> int:
    """Decimal places that keep ``digits`` significant digits of ``magnitude`` (may be < 0).

    Rounding can carry into a new leading digit (``0.0996`` -> ``0.10``), so the place is taken
    from the rounded value.
    """
    decimals = digits - 1 - math.floor(math.log10(magnitude))
    rounded = round(magnitude, decimals)
    if rounded >= 10 ** (digits - decimals):
        decimals -= 1
    return decimals


def _fixed(value: float, decimals: int, signed: bool) -> str:
    """``value`` rounded to ``decimals`` places (negative: tens, hundreds, ...), grouped."""
    rounded = round(value, decimals)
    if rounded == 0:
        rounded = 0.0  # no "-0"
    return f"{rounded:{'+' if signed else ''},.{max(decimals, 0)}f}"


def metric_scale_unit(metric: str) -> tuple[float, str]:
    """How a metric's values are shown: (factor, unit); shares as percentages (100, ``%``)."""
    found = KPI_BY_NAME.get(metric)
    return (100.0, "%") if found is not None and found.kind == "share" else (1.0, "")


def format_metric_estimate(
    metric: str,
    mean: float,
    low: float,
    high: float,
    *,
    difference: bool = False,
    of: float | None = None,
) -> str:
    """:func:`format_estimate` of a metric's mean and 95% CI bounds, shares as percentages.

    ``difference``: a signed paired difference; a difference of shares is in percentage
    points (``+2.0 ±1.5 pp``), never read as a relative change. ``of``: the mean the
    difference is taken of (the scenario's); a difference and bounds within floating-point
    noise of it (1e-9 of its size: two teams with the same pay) are written ``0``, not
    ``-0.000000000000227``.
    """
    if difference and of is not None and math.isfinite(of):
        noise = NOISE * abs(of)
        mean, low, high = (0.0 if abs(v) <= noise else v for v in (mean, low, high))
    scale, unit = metric_scale_unit(metric)
    if difference and unit == "%":
        unit = "pp"
    return format_estimate(mean * scale, half_width(low, high) * scale, unit, signed=difference)


def half_width(low: float, high: float) -> float:
    """Half the width of the interval ``[low, high]``; NaN when either bound is undefined."""
    if low is None or high is None or not (math.isfinite(low) and math.isfinite(high)):
        return math.nan
    return (high - low) / 2


def format_bounds(
    value: float | None, low: float, high: float, *, signed: bool = False
) -> tuple[str, str]:
    """``value`` and its interval ``low to high`` written to one decimal place.

    For an interval given by its bounds (a bootstrap interval, an asymmetric one): the place
    is the one :func:`format_estimate` gives the half-width (two significant digits), and the
    value and both bounds are rounded to it, so ``0.7768`` in ``0.5 .. 1.0123`` is written
    ``0.78`` with ``0.50 to 1.01``, and a difference of ``-1.2e-12`` in ``-2,059 .. 2,059``
    is ``+0`` with ``-2,100 to 2,100``, never floating-point noise. Without a real width the
    numbers are written alone (:func:`format_number`); a missing bound gives ``-``.
    """
    if low is None or high is None or not (math.isfinite(low) and math.isfinite(high)):
        return format_number(value, signed=signed), MISSING
    width = half_width(low, high)
    if not _has_width(max(abs(low), abs(high)), width):
        return format_number(value, signed=signed), f"{format_number(low)} to {format_number(high)}"
    decimals = _decimals(abs(width), HALF_WIDTH_DIGITS)
    shown = (
        MISSING if value is None or not math.isfinite(value) else _fixed(value, decimals, signed)
    )
    return shown, f"{_fixed(low, decimals, False)} to {_fixed(high, decimals, False)}"
