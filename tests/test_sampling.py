"""Duration streams hand out their blocks' draws one by one, in order, as Python floats.

The streams draw ``BLOCK_SIZE`` values at a time (:mod:`sim.model.sampling`); how a block is
held in memory must never change which value comes out when, since every table depends on it.
"""

from __future__ import annotations

from itertools import islice

import numpy as np

from sim.model.sampling import BLOCK_SIZE, pair_stream, sum_stream, uniform_stream
from sim.scenario import Constant, Lognormal, Uniform

DIAL = Lognormal(kind="lognormal", mean_min=0.5, sd_min=0.2)
RING = Uniform(kind="uniform", low_min=0.1, high_min=0.4)
WRAP = Lognormal(kind="lognormal", mean_min=1.5, sd_min=0.6)
N = 2 * BLOCK_SIZE + 17  # into a third block


def rng() -> np.random.Generator:
    return np.random.default_rng(20261202)


def test_pair_stream_gives_each_block_in_order_first_then_second_part() -> None:
    got = list(islice(pair_stream([DIAL, RING], [WRAP], rng(), [1.3, 1.0], 0.8), N))
    twin = rng()
    expected: list[tuple[float, float]] = []
    while len(expected) < N:
        first = DIAL.sample(twin, BLOCK_SIZE) * 1.3 + RING.sample(twin, BLOCK_SIZE)
        second = WRAP.sample(twin, BLOCK_SIZE) * 0.8
        expected += zip(first.tolist(), second.tolist(), strict=True)
    assert got == expected[:N]
    assert all(type(a) is float and type(b) is float for a, b in got)


def test_sum_stream_adds_constant_parts_and_scales() -> None:
    got = list(islice(sum_stream([DIAL, Constant(kind="constant", value_min=0.25)], rng(), 2.0), N))
    twin = rng()
    blocks = [(DIAL.sample(twin, BLOCK_SIZE) + 0.25) * 2.0 for _ in range(3)]
    assert got == np.concatenate(blocks).tolist()[:N]
    assert all(type(x) is float for x in got)


def test_constant_pairs_and_uniforms() -> None:
    constant = Constant(kind="constant", value_min=0.5)
    assert list(islice(pair_stream([constant], [constant], rng()), 3)) == [(0.5, 0.5)] * 3
    got = list(islice(uniform_stream(rng()), N))
    twin = rng()
    assert got == np.concatenate([twin.random(BLOCK_SIZE) for _ in range(3)]).tolist()[:N]
