"""Latent company fit: a persistent propensity per company that scales its odds (issue #12).

Each company of a segment with ``sales.fit.<segment>.sd > 0`` has a fit drawn once per
replication from a Beta distribution, by inverse transform of a uniform of the company's own
stream (:attr:`Purpose.COMPANY_FIT`, keyed by the segment's name and the block of
``COMPANIES_PER_BLOCK`` companies), so a company has the same fit in every scenario compared
with one seed, whatever the team, the list policy or the order of calling. Its
**multiplier** ``fit / mean`` (1 on average) scales the company's immediate- and long-term-need
probabilities, its booking probability and (in :mod:`sim.model.sellers`) its show-up and close
probabilities. A company's fit persists across attempts: one that refused once is more likely
a poor fit, so retries show diminishing returns.

The needs stage is re-decided from the same uniforms as :func:`sim.model.decisions.decide_attempt`
used (``AttemptDraw.NEEDS`` and ``MEETING_BOOKED``), with the probabilities scaled: a
multiplier of 1 gives exactly the outcome ``decide_attempt`` gave.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from sim.model.decisions import DM_REFUSAL, HOT_LEAD, LONG_TERM, MEETING, NO_NEED, CallParams
from sim.model.streams import COMPANIES_PER_BLOCK, AttemptDraw, Purpose, generator, name_key
from sim.scenario.sales import Fit

_NEEDS = int(AttemptDraw.NEEDS)
_BOOKED = int(AttemptDraw.MEETING_BOOKED)
FIT_UNIFORMS, SCORE_NORMALS = 0, 1
"""Sub-keys of a block's :attr:`Purpose.COMPANY_FIT` stream: the fit's uniforms, the research
score's standard normals."""


class SegmentFit:
    """The fit of one segment's companies in one replication, drawn lazily by block."""

    __slots__ = ("_blocks", "_key", "fit")

    def __init__(self, fit: Fit, root_seed: int, replication: int, segment_name: str) -> None:
        self.fit = fit
        self._key = (root_seed, replication, Purpose.COMPANY_FIT, name_key(segment_name))
        self._blocks: dict[int, np.ndarray] = {}

    def _block(self, block: int) -> np.ndarray:
        values = self._blocks.get(block)
        if values is None:
            u = generator(*self._key, block, FIT_UNIFORMS).random(COMPANIES_PER_BLOCK)
            a, b = self.fit.beta_ab
            values = np.asarray(stats.beta.ppf(u, a, b), dtype=float)
            self._blocks[block] = values
        return values

    def of(self, company: int) -> float:
        """Fit of ``company`` (in (0, 1))."""
        block, within = divmod(company, COMPANIES_PER_BLOCK)
        return float(self._block(block)[within])

    def first(self, n: int) -> np.ndarray:
        """Fits of companies ``0 .. n-1``."""
        blocks = -(-n // COMPANIES_PER_BLOCK)
        return np.concatenate([self._block(b) for b in range(blocks)])[:n]

    def score_normals(self, n: int) -> np.ndarray:
        """Standard normals of the research score of companies ``0 .. n-1`` (own sub-stream)."""
        blocks = -(-n // COMPANIES_PER_BLOCK)
        return np.concatenate(
            [
                generator(*self._key, b, SCORE_NORMALS).standard_normal(COMPANIES_PER_BLOCK)
                for b in range(blocks)
            ]
        )[:n]


def needs_with_fit(
    x_needs: float,
    x_booked: float,
    params: CallParams,
    multiplier: float,
    convert_prob: float = 0.0,
    x_convert: float = 1.0,
) -> int:
    """The needs stage's outcome for a company with fit ``multiplier`` (``fit / mean``).

    Immediate and long-term need probabilities are multiplied by ``multiplier`` (capped so
    that they sum to at most 1), no need and refusal share the rest in their base
    proportions, and booking is multiplied too (capped at 1). With ``convert_prob`` (a
    long-term need called back), the company first has an immediate need with probability
    ``convert_prob * multiplier`` (uniform ``x_convert``). A multiplier of 1 and no conversion
    reproduce :func:`~sim.model.decisions.decide_attempt` exactly.
    """
    booking = min(1.0, params.meeting_booking_prob * multiplier)
    if x_convert < min(1.0, convert_prob * multiplier):
        return MEETING if x_booked < booking else HOT_LEAD
    if multiplier == 1.0:
        immediate, long_term_end = params.needs_cuts[0], params.needs_cuts[1]
        rest_map = 1.0
    else:
        immediate = min(1.0, params.needs_cuts[0] * multiplier)
        long_term = min(1.0 - immediate, (params.needs_cuts[1] - params.needs_cuts[0]) * multiplier)
        long_term_end = immediate + long_term
        rest, base_rest = 1.0 - long_term_end, 1.0 - params.needs_cuts[1]
        rest_map = base_rest / rest if rest > 0.0 else 0.0
    if x_needs < immediate:
        return MEETING if x_booked < booking else HOT_LEAD
    if x_needs < long_term_end:
        return LONG_TERM
    # No need or refusal: the rest of the uniform, mapped onto the base's rest.
    y = params.needs_cuts[1] + (x_needs - long_term_end) * rest_map
    return NO_NEED if y < params.needs_cuts[2] else DM_REFUSAL


def needs_uniforms(draws: object, start: int) -> tuple[float, float]:
    """The needs and booking uniforms of the attempt whose draws begin at ``start``."""
    u = draws  # an array of the company's uniforms (sim.model.streams.CompanyDraws)
    return u[start + _NEEDS], u[start + _BOOKED]  # type: ignore[index]
