"""The companies a ``leads`` table leaves out: counted, or restored row by row.

A replication's ``leads`` table (:func:`sim.records.tables.tabulate`) holds the companies that
were called, so its size follows the attempts made, not the calling base (a base of millions
of companies costs nothing). The rest is known without storing it: an untouched company is
open, was never dialled and has no DM contact, so the untouched companies of a segment in a
replication are those whose number is not among its rows. Without lists they are the numbers
from the count of called companies up (fresh companies are taken in index order), but a
targeted list (issue #12) calls companies by score, so nothing here assumes a prefix: rows are
placed by their ``company`` number. These functions give the count, and the full table of
every company when it is really wanted (it grows with the base: a 2-million-company
segment is 2 million rows per replication).

Both also accept a full table (results written before the table was lean, which hold a row
per company with ``first_attempt_day`` empty for the untouched ones).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sim.model.outcomes import LeadStatus
from sim.scenario import Scenario


def _called(leads: pd.DataFrame) -> pd.DataFrame:
    """The rows of companies called at least once (all rows of a lean table, not copied)."""
    called = leads["first_attempt_day"].notna().to_numpy()
    return leads if called.all() else leads[called]


def segment_codes(segment: pd.Series, names: list[str]) -> np.ndarray:
    """Each row's segment as its position in ``names`` (-1 if none), without making strings."""
    if isinstance(segment.dtype, pd.CategoricalDtype):
        as_text = segment.cat.categories.astype(str)
        if list(as_text) != list(segment.cat.categories):
            segment = segment.cat.rename_categories(list(as_text))
        return segment.cat.set_categories(names).cat.codes.to_numpy(dtype=np.int64)
    return pd.Categorical(segment.astype(str), categories=names).codes.astype(np.int64)


def untouched_counts(
    leads: pd.DataFrame, scenario: Scenario, replications: Sequence[int]
) -> pd.DataFrame:
    """Per replication and segment, the companies called and those never called.

    ``leads`` needs the columns ``replication``, ``segment`` and ``first_attempt_day``;
    ``replications`` are the replication numbers of the run (a replication that called no
    company of a segment has no row of it). Columns: ``replication``, ``segment``,
    ``companies`` (the segment's size), ``called``, ``untouched`` (companies), one row per
    replication and segment, in that order.
    """
    names = list(scenario.segments)
    sizes = np.array([s.companies for s in scenario.segments.values()], dtype=np.int64)
    reps = np.asarray(sorted(replications), dtype=np.int64)
    called = _called(leads)
    rep_pos = np.searchsorted(reps, called["replication"].to_numpy(dtype=np.int64))
    seg_pos = segment_codes(called["segment"], names)
    counts = np.bincount(rep_pos * len(names) + seg_pos, minlength=len(reps) * len(names))
    companies = np.tile(sizes, len(reps))
    return pd.DataFrame(
        {
            "replication": np.repeat(reps, len(names)),
            "segment": np.tile(np.array(names, dtype=object), len(reps)),
            "companies": companies,
            "called": counts,
            "untouched": companies - counts,
        }
    )


def with_untouched(
    leads: pd.DataFrame, scenario: Scenario, replications: Sequence[int]
) -> pd.DataFrame:
    """The full table: a row per replication and company, the untouched ones restored.

    Rows are in the order of replication, segment and company, with the columns and types of
    ``leads``; an untouched company is ``open`` with no attempts, no DM identified and empty
    days. Memory grows with the base (replications x companies rows).
    """
    sizes = np.array([s.companies for s in scenario.segments.values()], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    reps = np.asarray(sorted(replications), dtype=np.int64)
    per_rep = int(sizes.sum())
    total = len(reps) * per_rep
    called = _called(leads)
    seg_codes = segment_codes(called["segment"], list(scenario.segments))
    rows = (
        np.searchsorted(reps, called["replication"].to_numpy(dtype=np.int64)) * per_rep
        + starts[seg_codes]
        + called["company"].to_numpy(dtype=np.int64)
    )
    row_segment = np.tile(np.repeat(np.arange(len(sizes)), sizes), len(reps))
    warm_up = scenario.warm_up_days
    status_labels = [s.label for s in LeadStatus]
    status = np.full(total, status_labels.index("open"), dtype=np.int8)
    status[rows] = pd.Categorical(called["status"].astype(str), categories=status_labels).codes
    columns: dict[str, object] = {
        "replication": np.repeat(reps, per_rep),
        "segment": pd.Categorical.from_codes(row_segment, list(scenario.segments)),
        "company": np.arange(total, dtype=np.int64) % per_rep - starts[row_segment],
        "attempts": np.zeros(total, dtype=np.int64),
        "status": pd.Categorical.from_codes(status, status_labels),
        "dm_identified": np.zeros(total, dtype=bool),
    }
    columns["attempts"][rows] = called["attempts"].to_numpy(dtype=np.int64)  # type: ignore[index]
    columns["dm_identified"][rows] = called["dm_identified"].to_numpy(dtype=bool)  # type: ignore[index]
    # Days count from the horizon's first day; "none" is stored as -1 before that shift.
    for name, empty in (
        ("first_attempt_day", -1 - warm_up),
        ("dm_contact_day", -1 - warm_up),
        ("dm_contact_attempt", -1),
    ):
        values = np.full(total, empty, dtype=np.int64)
        mask = np.ones(total, dtype=bool)
        source = called[name]
        values[rows] = source.to_numpy(dtype=np.int64, na_value=empty)
        mask[rows] = source.isna().to_numpy()
        columns[name] = pd.arrays.IntegerArray(values, mask)
    return pd.DataFrame(columns)
