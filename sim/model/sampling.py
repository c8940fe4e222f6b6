"""Duration and uniform streams that draw random numbers in blocks.

A numpy call per event costs more than the rest of an attempt's logic, so every stream here
is an infinite **iterator**: it draws ``BLOCK_SIZE`` values at once into a Python list and
hands them out one by one through ``next()``, which costs a few tens of nanoseconds. Constant
durations consume no random numbers at all.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import chain, count, repeat

import numpy as np

from sim.scenario import Constant, Distribution

BLOCK_SIZE = 256

DurationStream = Iterator[float]


def duration_stream(distribution: Distribution, rng: np.random.Generator,
                    scale: float = 1.0) -> DurationStream:
    """Durations (minutes) from ``distribution`` times ``scale``; ``next()`` gives the next."""
    if isinstance(distribution, Constant):
        return repeat(distribution.value_min * scale)

    def block(_: int) -> list[float]:
        values = distribution.sample(rng, BLOCK_SIZE)
        return (values * scale if scale != 1.0 else values).tolist()

    return chain.from_iterable(map(block, count()))


def sum_stream(parts: Sequence[Distribution], rng: np.random.Generator,
               scale: float = 1.0) -> DurationStream:
    """Durations (minutes): ``scale`` times the sum of one independent draw from each part.

    One stream instead of one per part saves a ``next()`` per use (e.g. dial + ring time).
    """
    if len(parts) == 1:
        return duration_stream(parts[0], rng, scale)
    constant = sum(d.value_min for d in parts if isinstance(d, Constant))
    random_parts = [d for d in parts if not isinstance(d, Constant)]
    if not random_parts:
        return repeat(constant * scale)

    def block(_: int) -> list[float]:
        values = random_parts[0].sample(rng, BLOCK_SIZE)
        for d in random_parts[1:]:
            values = values + d.sample(rng, BLOCK_SIZE)
        if constant:
            values = values + constant
        return (values * scale if scale != 1.0 else values).tolist()

    return chain.from_iterable(map(block, count()))


def uniform_stream(rng: np.random.Generator) -> Iterator[float]:
    """Uniforms in [0, 1) from ``rng``, drawn in blocks; ``next()`` gives the next."""
    return chain.from_iterable(map(lambda _: rng.random(BLOCK_SIZE).tolist(), count()))
