"""Checking the table files of a results folder before they are used.

A Parquet table is checked from its footer alone, so opening a folder stays lazy: the columns
must be exactly those of the table it should be (:data:`sim.records.tables.TABLE_COLUMNS`;
a table swapped for another is named as such), each column must hold the kind of value it
should (whole numbers, numbers, true/false, text), the table must have rows (but for
:data:`MAY_BE_EMPTY`), and its
replication numbers (from the row-group statistics) must lie within the folder's replications.
A CSV table (``comparison.csv``, ``sweep.csv``) is read whole and checked the same way: its
columns, at least one row, numbers where numbers belong. Every failure is a
:class:`~sim.errors.ResultsDirError` in one line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.analysis.comparison import COMPARISON_COLUMNS
from sim.analysis.sensitivity import EFFECT_COLUMNS
from sim.analysis.sweep import SWEEP_VALUE_COLUMNS
from sim.records.meetings import OPTIONAL_MEETING_COLUMNS
from sim.records.people import OPTIONAL_COLUMNS
from sim.records.tables import TABLE_COLUMNS
from sim.storage.manifests import damaged

OBSERVATION_COLUMNS = {
    "label": "text",
    "replication": "int",
    "metric": "text",
    "profile": "text",
    "value": "float",
}
"""The columns of ``observations.parquet`` (one value per run, replication, metric, group)."""
PARQUET_TABLES: dict[str, dict[str, str]] = {**TABLE_COLUMNS, "observations": OBSERVATION_COLUMNS}
"""Every Parquet table callsim writes, by name: what a swapped file is recognised by."""
MAY_BE_EMPTY = frozenset({"meetings"})
"""Tables a finished run may leave without rows: no meeting booked in any replication."""
READ_ERRORS = (OSError, ValueError, TypeError, KeyError, IndexError, pa.ArrowException)
"""What reading a damaged file may raise (pandas' and pyarrow's parser errors included)."""


def short(error: BaseException) -> str:
    """An exception's message on one short line."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 160 else text[:157] + "..."


_WORDS = {"int": "whole numbers", "float": "numbers", "bool": "true/false", "text": "text"}


def _holds(kind: str, arrow_type: pa.DataType) -> bool:
    if pa.types.is_dictionary(arrow_type):
        arrow_type = arrow_type.value_type
    if kind == "int":
        return bool(pa.types.is_integer(arrow_type))
    if kind == "float":
        return bool(pa.types.is_floating(arrow_type) or pa.types.is_integer(arrow_type))
    if kind == "bool":
        return bool(pa.types.is_boolean(arrow_type))
    return bool(
        pa.types.is_string(arrow_type)
        or pa.types.is_large_string(arrow_type)
        or pa.types.is_string_view(arrow_type)
    )


def _named_columns(
    path: Path, name: str, columns: Sequence[str], expected: Mapping[str, object]
) -> None:
    """Refuse a table whose columns are not ``expected``'s, naming a swapped-in table.

    Columns a people mechanism adds (:data:`sim.records.people.OPTIONAL_COLUMNS`) may be there.
    """
    optional = {**OPTIONAL_COLUMNS.get(name, {}), **OPTIONAL_MEETING_COLUMNS.get(name, {})}
    columns = [c for c in columns if c not in optional]
    if set(columns) == set(expected):
        return
    tables = {**PARQUET_TABLES, **CSV_TABLES}
    other = next((t for t, cols in tables.items() if t != name and set(cols) <= set(columns)), None)
    if other is not None:
        raise damaged(path, f"holds the {other} table, not {name}")
    missing = [c for c in expected if c not in columns]
    if missing:
        raise damaged(path, f"is not a {name} table: it lacks the columns {', '.join(missing)}")
    unexpected = [str(c)[:40] for c in columns if c not in expected]
    raise damaged(path, f"is not a {name} table: unexpected columns {', '.join(unexpected)}")


def check_parquet_table(path: Path, name: str, replications: int) -> int:
    """Check the Parquet table ``name`` at ``path`` from its footer; returns its rows.

    ``replications``: the folder's replication count (replication numbers are below it).
    """
    expected = PARQUET_TABLES[name]
    try:
        metadata = pq.read_metadata(path)
        schema = metadata.schema.to_arrow_schema()
    except READ_ERRORS as exc:
        raise damaged(path, f"cannot be read ({short(exc)})") from None
    _named_columns(path, name, schema.names, expected)
    for column, kind in expected.items():
        arrow_type = schema.field(column).type
        if not _holds(kind, arrow_type):
            raise damaged(path, f"column {column} holds {arrow_type} values, not {_WORDS[kind]}")
    if metadata.num_rows == 0 and name not in MAY_BE_EMPTY:
        raise damaged(path, "holds no rows (only the column names)")
    low, high = _statistics_range(metadata, schema.get_field_index("replication"))
    if low is not None and high is not None and (low < 0 or high >= replications):
        raise damaged(
            path,
            f"holds replications {low}..{high}, outside the folder's 0..{replications - 1}",
        )
    return int(metadata.num_rows)


def _statistics_range(metadata: pq.FileMetaData, column: int) -> tuple[int | None, int | None]:
    """Smallest and largest value of an integer column, from the row-group statistics."""
    lows, highs = [], []
    for group in range(metadata.num_row_groups):
        statistics = metadata.row_group(group).column(column).statistics
        if statistics is None or not statistics.has_min_max:
            return None, None
        lows.append(statistics.min)
        highs.append(statistics.max)
    if not lows:
        return None, None
    return int(min(lows)), int(max(highs))


def read_parquet_checked(path: Path) -> pd.DataFrame:
    """Read a Parquet file that :func:`check_parquet_table` accepted."""
    try:
        return pd.read_parquet(path)
    except READ_ERRORS as exc:
        raise damaged(path, f"cannot be read ({short(exc)})") from None


_TEXT_COLUMNS = frozenset({"scenario", "label", "baseline", "metric", "profile"})
CSV_TABLES: dict[str, dict[str, str]] = {
    "comparison": {c: "text" if c in _TEXT_COLUMNS else "number" for c in COMPARISON_COLUMNS},
    "sweep": {
        "point": "number",
        **{c: "text" if c in _TEXT_COLUMNS else "number" for c in SWEEP_VALUE_COLUMNS},
    },
    "effects": {
        c: "text"
        if c in ("parameter", "metric", "group", "method")
        else "any"
        if c == "unit"
        else "number"
        for c in EFFECT_COLUMNS
    },
    "money": {
        "metric": "text",
        "mean": "number",
        "ci_low": "number",
        "ci_high": "number",
        "n": "number",
    },
}
"""The CSV tables of experiment folders (and ``money.csv`` of a compared run, which the
comparison's money chart reads): each column holds ``text`` or a ``number``."""


_NUMBER_NA = ["", "nan", "NaN", "-nan", "NA", "N/A", "n/a", "null", "NULL", "None", "<NA>"]


def read_csv_table(path: Path, name: str, further: Sequence[str] = ()) -> pd.DataFrame:
    """Read and check the CSV table ``name`` (:data:`CSV_TABLES`) at ``path``.

    ``further`` columns must be there too (a sweep's varied paths). A number column may have
    empty cells (no figure) but no text; a text column has no empty cell.
    """
    columns = {**CSV_TABLES[name], **dict.fromkeys(further, "any")}
    try:
        # Empty cells are missing; "NA" or "nan" too in a number column, but a label "NA" is text.
        na_values = {c: _NUMBER_NA if kind == "number" else [""] for c, kind in columns.items()}
        table = pd.read_csv(path, keep_default_na=False, na_values=na_values)
    except READ_ERRORS as exc:  # pandas' EmptyDataError and ParserError are ValueErrors
        raise damaged(path, f"cannot be read ({short(exc)})") from None
    missing = [c for c in columns if c not in table.columns]
    if missing:
        _named_columns(path, name, list(table.columns), columns)
    if table.empty:
        raise damaged(path, "holds no rows (only the column names)")
    for column, kind in columns.items():
        values = table[column]
        if kind == "any":
            continue
        if kind == "text":
            if values.isna().any():
                raise damaged(path, f"column {column} has empty cells")
            continue
        numbers = pd.to_numeric(values, errors="coerce")
        bad = values[numbers.isna() & values.notna()]
        if len(bad):
            raise damaged(path, f"column {column} holds {str(bad.iloc[0])[:40]!r}, not a number")
        table[column] = numbers
    return table
