"""Named random streams: one root seed, a child per replication, a grandchild per purpose.

Every stream is a :class:`numpy.random.SeedSequence` reached from the root by a *spawn key*:
``SeedSequence(root, spawn_key=(r,))`` is exactly the ``r``-th child that
``SeedSequence(root).spawn(...)`` hands out, and appending further integers names a child of
that child. Keys name purposes, never positions in a draw order, so adding a new stochastic
input does not shift the others and replication ``r`` is the same on any worker.

**Common random numbers.** What decides a company's fate (line outcome, gatekeeper, referral
chain, the DM's availability and needs) is drawn from the company's own stream, keyed by the
segment's *name* and the company's index, and laid out by attempt number. Two scenarios run
with the same seed therefore meet the same companies with the same latent answers on their
k-th attempt, whatever the team size or order of calling. Durations and the fresh-lead segment
mix come from per-operator streams keyed by the group's name and the operator's index.
"""

from __future__ import annotations

import zlib
from array import array
from enum import IntEnum

import numpy as np

DRAWS_PER_ATTEMPT = 7
"""Uniforms per company attempt, one per decision of :class:`AttemptDraw`."""

SPARE_DRAWS_PER_ATTEMPT = 8
"""Uniforms reserved per company attempt for decision stages to come (see :class:`SpareDraw`)."""

COMPANIES_PER_BLOCK = 512
ATTEMPTS_PER_BLOCK = 4


class Purpose(IntEnum):
    """The purposes a replication's randomness is split into (stable integers: never reorder)."""

    COMPANY = 1
    OPERATOR_DURATIONS = 2
    OPERATOR_SELECTION = 3
    COMPANY_SPARE = 4
    CALLER_TRAITS = 5
    """A caller's personal speed and skill multipliers (drawn once per caller and replication)."""
    COMPANY_FIT = 6
    """A company's latent fit and the research score of it (keyed by segment and block)."""
    SELLERS = 7
    """Seller-side randomness (reserved for the sellers block)."""
    TURNOVER = 8
    """A seat's daily quit decisions (one uniform per day worked, :mod:`sim.model.ramp`)."""
    BEHAVIOUR = 9
    """A box-ticker's coins: does a fresh pick drift to the easiest segment
    (:mod:`sim.model.behaviour`)."""


class AttemptDraw(IntEnum):
    """Position of each decision's uniform within a company attempt's draws."""

    LINE = 0
    GATEKEEPER_PRESENT = 1
    GATEKEEPER_OUTCOME = 2
    REFERRAL_CHAIN = 3
    DM_AVAILABLE = 4
    NEEDS = 5
    MEETING_BOOKED = 6


class SpareDraw(IntEnum):
    """Positions of future decision stages' uniforms within a company attempt's *spare* draws.

    A new stage of the call (a voicemail, a meeting's show-up, a sale) takes the next free
    position here, up to ``SPARE_DRAWS_PER_ATTEMPT``, and reads it with
    :meth:`CompanyDraws.spare_attempts`. The spares are a companion stream of the company's,
    laid out like it and drawn only when a stage asks for them, so adding a stage neither
    re-lays the :class:`AttemptDraw` uniforms (no other result moves for a seed) nor costs
    anything while no stage uses them.
    """

    SHOW_UP = 0
    """The client comes to the meeting booked on this attempt."""
    CLOSE = 1
    """The held meeting becomes a sale."""
    LONG_TERM_CONVERT = 2
    """A long-term need called back after its delay has become an immediate one."""
    DEAL_VALUE = 3
    """The value of the order signed, by inverse transform of its distribution."""
    LENGTH_PERSUADES = 7
    """A DM conversation stretched by an air-time rule ends in a meeting (only when the
    analyst sets a true effect of length, :mod:`sim.model.air_time`). The last position, to
    leave the next ones to the sales stages."""


def name_key(name: str) -> int:
    """A stable integer for a name (CRC-32), the same in every process and Python version."""
    return zlib.crc32(name.encode("utf-8"))


def seed_sequence(root_seed: int, *key: int) -> np.random.SeedSequence:
    """The stream reached from ``root_seed`` by the spawn key ``key``."""
    return np.random.SeedSequence(root_seed, spawn_key=tuple(int(k) for k in key))


def generator(root_seed: int, *key: int) -> np.random.Generator:
    """A PCG64 generator on the stream named by ``key``."""
    return np.random.Generator(np.random.PCG64(seed_sequence(root_seed, *key)))


class CompanyDraws:
    """Uniforms deciding each company's attempts in one segment of one replication.

    Draws are generated lazily in blocks of ``COMPANIES_PER_BLOCK`` companies by
    ``ATTEMPTS_PER_BLOCK`` attempts by ``DRAWS_PER_ATTEMPT`` uniforms, each block its own
    stream, so the values never depend on how many companies or attempts a scenario uses.
    """

    __slots__ = ("_blocks", "_key", "_spare_blocks", "_spare_key")

    def __init__(self, root_seed: int, replication: int, segment_name: str) -> None:
        self._key = (root_seed, replication, Purpose.COMPANY, name_key(segment_name))
        self._blocks: dict[tuple[int, int], array[float]] = {}
        self._spare_key = (root_seed, replication, Purpose.COMPANY_SPARE, name_key(segment_name))
        self._spare_blocks: dict[tuple[int, int], array[float]] = {}

    def attempts(self, company: int, attempt_block: int = 0) -> tuple[array[float], int]:
        """``(block, offset)`` holding ``company``'s uniforms for ``attempt_block``.

        Attempt ``attempt_block * ATTEMPTS_PER_BLOCK + k`` reads the ``DRAWS_PER_ATTEMPT``
        items of ``block`` from ``offset + k * DRAWS_PER_ATTEMPT``.
        """
        return _block(self._blocks, self._key, DRAWS_PER_ATTEMPT, company, attempt_block)

    def spare_attempts(self, company: int, attempt_block: int = 0) -> tuple[array[float], int]:
        """``(block, offset)`` of ``company``'s spare uniforms (:class:`SpareDraw`).

        Laid out as :meth:`attempts` with ``SPARE_DRAWS_PER_ATTEMPT`` values per attempt.
        """
        return _block(
            self._spare_blocks, self._spare_key, SPARE_DRAWS_PER_ATTEMPT, company, attempt_block
        )

    def row(self, company: int, attempt: int) -> array[float]:
        """Uniforms in [0, 1) for ``company``'s ``attempt``-th attempt (0-based)."""
        attempt_block, k = divmod(attempt, ATTEMPTS_PER_BLOCK)
        block, offset = self.attempts(company, attempt_block)
        start = offset + k * DRAWS_PER_ATTEMPT
        return block[start : start + DRAWS_PER_ATTEMPT]

    def spare_row(self, company: int, attempt: int) -> array[float]:
        """Spare uniforms in [0, 1) for ``company``'s ``attempt``-th attempt (0-based)."""
        attempt_block, k = divmod(attempt, ATTEMPTS_PER_BLOCK)
        block, offset = self.spare_attempts(company, attempt_block)
        start = offset + k * SPARE_DRAWS_PER_ATTEMPT
        return block[start : start + SPARE_DRAWS_PER_ATTEMPT]


def _block(
    blocks: dict[tuple[int, int], array[float]],
    key: tuple[int, ...],
    per_attempt: int,
    company: int,
    attempt_block: int,
) -> tuple[array[float], int]:
    """The block of ``blocks`` holding ``company``'s uniforms, drawn on first use."""
    cb, ci = divmod(company, COMPANIES_PER_BLOCK)
    block = blocks.get((cb, attempt_block))
    if block is None:
        rng = generator(*key, cb, attempt_block)
        size = COMPANIES_PER_BLOCK * ATTEMPTS_PER_BLOCK * per_attempt
        # A flat array of C doubles: slicing copies raw memory, and each value becomes a
        # Python float only when a decision reads it.
        block = array("d", rng.random(size).tobytes())
        blocks[(cb, attempt_block)] = block
    return block, ci * ATTEMPTS_PER_BLOCK * per_attempt
