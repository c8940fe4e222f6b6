"""Which fresh companies a team group calls, and in what order: the list policy (issue #12).

``broad`` calls a segment's companies in list order (index order), as the lead pool does
without a policy. ``targeted`` ranks them by a research score of their fit and keeps the top
``share_kept``: the score is the linear-Bayes estimate of the fit from a noisy signal
``fit + score_noise * z``, ``mean + r * (signal - mean)`` with ``r = sd² / (sd² + noise²)``.
Zero noise ranks by true fit; infinite noise gives every company the mean, and the stable sort
then keeps list order, so the targeted list is the broad one.

When any group of a scenario calls a targeted list, every group takes its fresh companies
through a :class:`ListPicker` (broad ones in list order) sharing the pool's record of who has
been called, so no company is taken twice.
"""

from __future__ import annotations

import math
from bisect import bisect_right

import numpy as np

from sim.model.fit import SegmentFit
from sim.model.leads import Lead, LeadPool
from sim.scenario.sales import ListPolicy


def ranked_companies(size: int, policy: ListPolicy, fit: SegmentFit | None) -> np.ndarray:
    """The companies ``0 .. size-1`` a group calls under ``policy``, in calling order."""
    if policy.policy == "broad":
        return np.arange(size)
    kept = min(size, max(1, math.ceil(policy.share_kept * size - 1e-9)))  # none of none
    noise = policy.score_noise
    if fit is None or math.isinf(noise):
        return np.arange(kept)  # no information: every score is the mean, list order stays
    fits = fit.first(size)
    variance = fit.fit.sd**2
    shrink = variance / (variance + noise * noise)
    score = fit.fit.mean + shrink * (fits - fit.fit.mean)
    if noise > 0.0:
        score = score + shrink * noise * fit.score_normals(size)
    return np.argsort(-score, kind="stable")[:kept]


class ListPicker:
    """A team group's fresh companies by segment, in its list's order, skipping taken ones."""

    def __init__(
        self,
        pool: LeadPool,
        orders: dict[int, np.ndarray],
        taken: list[bytearray],
    ) -> None:
        self.pool = pool
        self.orders = {s: order.tolist() for s, order in orders.items()}
        self.cursor = dict.fromkeys(orders, 0)
        self.taken = taken

    def has_fresh(self, segments: tuple[int, ...]) -> bool:
        """Whether this group's list still holds an uncalled company of ``segments``."""
        return any(self._next_index(s) >= 0 for s in segments if s in self.orders)

    def _next_index(self, segment: int) -> int:
        """The next company of ``segment`` nobody has called (-1 if the list is used up)."""
        order, taken = self.orders[segment], self.taken[segment]
        i = self.cursor[segment]
        while i < len(order) and taken[order[i]]:
            i += 1
        self.cursor[segment] = i
        return order[i] if i < len(order) else -1

    def fresh(
        self, day: int, segments: tuple[int, ...], cum_weights: tuple[float, ...], uniform: float
    ) -> Lead | None:
        """As :meth:`LeadPool.fresh`, from the group's list (same segment choice rule)."""
        chosen = segments[bisect_right(cum_weights, uniform)] if len(segments) > 1 else segments[0]
        index = self._next_index(chosen)
        if index < 0:
            weights, previous = [], 0.0
            for s, cum in zip(segments, cum_weights, strict=True):
                weights.append(cum - previous if self._next_index(s) >= 0 else 0.0)
                previous = cum
            total = sum(weights)
            if total <= 0.0:
                return None
            target, acc = uniform * total, 0.0
            chosen = next(s for s, w in zip(segments, weights, strict=True) if w > 0.0)
            for s, w in zip(segments, weights, strict=True):
                acc += w
                if w > 0.0 and target < acc:
                    chosen = s
                    break
            index = self._next_index(chosen)
        self.taken[chosen][index] = 1
        block, offset = self.pool.draws[chosen].attempts(index)
        lead = Lead(chosen, index, block, offset, day)
        self.pool.touched[chosen].append(lead)
        return lead
