"""Writing one Parquet file from a stream of DataFrames, byte-identical to ``to_parquet``.

``pd.concat(frames).to_parquet(path, index=False)`` needs every frame in memory at once. This
writer holds at most one row group (pyarrow's default of 1,048,576 rows) and cuts the stream
at exactly the row boundaries pyarrow would, converting each row group with the same
``Table.from_pandas`` call, so the file is the same, byte for byte, as writing the whole
concatenation in one go.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

ROW_GROUP_ROWS = 1024 * 1024
"""pyarrow's default maximum rows per row group (``write_table(row_group_size=None)``)."""


def write_frames_parquet(
    frames: Iterable[pd.DataFrame], path: Path, row_group_size: int | None = None
) -> int:
    """Write the concatenation of ``frames`` to ``path``; returns the number of rows.

    ``row_group_size`` (rows) defaults to pyarrow's default, as ``DataFrame.to_parquet`` uses.
    """
    size = row_group_size or ROW_GROUP_ROWS
    writer: Any = None
    pending: list[pd.DataFrame] = []
    pending_rows = 0
    rows = 0
    empty: pd.DataFrame | None = None
    try:
        for frame in frames:
            if len(frame) == 0:
                empty = frame if empty is None else empty
                continue
            pending.append(frame)
            pending_rows += len(frame)
            while pending_rows >= size:
                block = pd.concat(pending, ignore_index=True) if len(pending) > 1 else pending[0]
                writer = _write(writer, block.iloc[:size], path, size)
                rows += size
                rest = block.iloc[size:]
                pending, pending_rows = ([rest], len(rest)) if len(rest) else ([], 0)
        if pending:
            block = pd.concat(pending, ignore_index=True) if len(pending) > 1 else pending[0]
            writer = _write(writer, block, path, size)
            rows += len(block)
    finally:
        if writer is not None:
            writer.close()
    if writer is None:
        # No rows at all: write the (empty) table as to_parquet would, its text columns typed.
        if empty is None:
            raise ValueError(f"no frames to write to {path}")
        pq.write_table(_typed_text(pa.Table.from_pandas(empty, preserve_index=False)), path)
    return rows


def _typed_text(table: pa.Table) -> pa.Table:
    """An empty table whose untyped columns are typed as text.

    An empty text (categorical) column read back from a replication's chunk has lost the type
    of its categories, and pyarrow would write it as a column of nulls, which a results
    folder's check refuses as damaged (a run that booked no meeting). With no rows, the
    column can only be text: it is written as such.
    """
    for index, field in enumerate(table.schema):
        kind = field.type
        if pa.types.is_dictionary(kind) and pa.types.is_null(kind.value_type):
            kind = pa.dictionary(kind.index_type, pa.string())
        elif pa.types.is_null(kind):
            kind = pa.string()
        else:
            continue
        table = table.set_column(index, field.with_type(kind), pa.array([], type=kind))
    return table


def _write(writer: Any, block: pd.DataFrame, path: Path, size: int) -> Any:
    table = pa.Table.from_pandas(block, preserve_index=False)
    if writer is None:
        writer = pq.ParquetWriter(path, table.schema, compression="snappy")
    writer.write_table(table, row_group_size=size)
    return writer
