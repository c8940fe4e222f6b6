"""Duration and uniform streams that draw random numbers in blocks.

A numpy call per event costs more than the rest of an attempt's logic, so every stream here
is an infinite **iterator**: it draws ``BLOCK_SIZE`` values at once into a Python list and
hands them out one by one through ``next()``, which costs a few tens of nanoseconds. Constant
durations consume no random numbers at all.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, count, repeat

import numpy as np

from sim.scenario import Constant, Distribution

BLOCK_SIZE = 256

DurationStream = Iterator[float]
DurationPairStream = Iterator[tuple[float, float]]


def _sum_sampler(
    parts: Sequence[Distribution],
    rng: np.random.Generator,
    scale: float,
    part_scales: Sequence[float] | None = None,
) -> float | Callable[[], np.ndarray]:
    """``scale`` times the sum of one draw per part: a float if all parts are constant.

    Otherwise a function that draws ``BLOCK_SIZE`` such sums at once. ``part_scales``
    multiplies each part's draws first (a caller's personal speed on the dial time but not on
    the ring time); a factor of exactly 1 changes nothing, bit for bit.
    """
    factors = list(part_scales) if part_scales is not None else [1.0] * len(parts)
    constant = sum(
        d.value_min * f for d, f in zip(parts, factors, strict=True) if isinstance(d, Constant)
    )
    random_parts = [
        (d, f) for d, f in zip(parts, factors, strict=True) if not isinstance(d, Constant)
    ]
    if not random_parts:
        return constant * scale

    def draw(d: Distribution, f: float) -> np.ndarray:
        values = d.sample(rng, BLOCK_SIZE)
        return values * f if f != 1.0 else values

    def block() -> np.ndarray:
        values = draw(*random_parts[0])
        for d, f in random_parts[1:]:
            values = values + draw(d, f)
        if constant:
            values = values + constant
        return values * scale if scale != 1.0 else values

    return block


def sum_stream(
    parts: Sequence[Distribution], rng: np.random.Generator, scale: float = 1.0
) -> DurationStream:
    """Durations (minutes): ``scale`` times the sum of one independent draw from each part.

    One stream instead of one per part saves a ``next()`` per use (e.g. dial + ring time).
    """
    sampler = _sum_sampler(parts, rng, scale)
    if isinstance(sampler, float):
        return repeat(sampler)
    return chain.from_iterable(map(lambda _: _doubles(sampler()), count()))


def _doubles(values: np.ndarray) -> array[float]:
    """A block of draws as a flat array of C doubles, the same values bit for bit.

    Compact (8 bytes a value, against a list's pointer plus a float object): with a caller's
    dozens of streams each holding a block, the blocks of a large team then stay in the
    processor's caches. Each ``next()`` makes the float it hands out.
    """
    return array("d", np.ascontiguousarray(values, dtype=np.float64).tobytes())


def duration_stream(
    distribution: Distribution, rng: np.random.Generator, scale: float = 1.0
) -> DurationStream:
    """Durations (minutes) from ``distribution`` times ``scale``; ``next()`` gives the next."""
    return sum_stream([distribution], rng, scale)


def pair_stream(
    first: Sequence[Distribution],
    second: Sequence[Distribution],
    rng: np.random.Generator,
    first_scales: Sequence[float] | None = None,
    second_scale: float = 1.0,
) -> DurationPairStream:
    """Pairs of durations (minutes), each the sum of one draw from every part of its list.

    For two durations that always come together (dial + ring, then wrap-up): one ``next()``.
    ``first_scales`` multiplies each part of the first duration, ``second_scale`` the second.
    """
    a = _sum_sampler(first, rng, 1.0, first_scales)
    b = _sum_sampler(second, rng, second_scale)
    if isinstance(a, float) and isinstance(b, float):
        return repeat((a, b))

    def block(_: int) -> Iterator[tuple[float, float]]:
        a_values: Iterable[float] = repeat(a, BLOCK_SIZE) if isinstance(a, float) else _doubles(a())
        b_values: Iterable[float] = repeat(b, BLOCK_SIZE) if isinstance(b, float) else _doubles(b())
        return zip(a_values, b_values, strict=True)

    return chain.from_iterable(map(block, count()))


def uniform_stream(rng: np.random.Generator) -> Iterator[float]:
    """Uniforms in [0, 1) from ``rng``, drawn in blocks; ``next()`` gives the next."""
    return chain.from_iterable(map(lambda _: _doubles(rng.random(BLOCK_SIZE)), count()))
