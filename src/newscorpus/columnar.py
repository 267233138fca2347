"""The article checks JSON Schema cannot express, over Arrow batches.

The columnar twin of :func:`newscorpus.records.article_text_problems`: the same problems
(``text_sha256`` against the text, block ranges in order and inside the text, the title
block's text, credits pointing at existing blocks), found with pyarrow compute and numpy
over whole batches instead of per record in Python. The text is hashed straight from the
batch's UTF-8 buffer (no Python string per article). It expects rows that passed the schema
(integers are integers, required columns present), as the typed decoder guarantees; a test
compares both implementations on mutated corpora.

:func:`patterns_fail` tests the string patterns the typed decoder left to it
(:attr:`newscorpus.schema.CompiledSchema.column_patterns`) with pyarrow's RE2, whole columns
at a time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

HASH, BLOCK, TITLE, CREDIT = range(4)  # the order article_text_problems reports in


def _plain(column: Any) -> Any:
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column


def _string_parts(array: pa.Array) -> tuple[np.ndarray, memoryview]:
    """``(offsets, data)`` of a string array (offsets relative to ``data``)."""
    if array.type == pa.large_string():
        dtype: Any = np.int64
    else:
        array = array.cast(pa.string()) if array.type != pa.string() else array
        dtype = np.int32
    bufs = array.buffers()
    offsets = np.frombuffer(bufs[1], dtype=dtype, count=len(array) + 1, offset=array.offset
                            * np.dtype(dtype).itemsize)
    data = memoryview(bufs[2]) if bufs[2] is not None else memoryview(b"")
    return offsets.astype(np.int64), data


def _list_parts(lists: pa.ListArray) -> tuple[np.ndarray, pa.StructArray]:
    """``(start of each row's items, flattened items)`` of a list<struct> column."""
    offsets = lists.offsets.to_numpy(zero_copy_only=False).astype(np.int64)
    return offsets[:-1] - offsets[0], lists.flatten()


def article_batch_problems(batch: pa.RecordBatch | pa.Table) -> list[tuple[int, str, str]]:
    """``(row, json pointer, message)`` of every problem, by row and, within a row, in the
    order :func:`~newscorpus.records.article_text_problems` gives them."""
    text = _plain(batch.column("text"))
    n = len(text)
    if n == 0:
        return []
    found: list[tuple[int, int, int, str, str]] = []
    offsets, data = _string_parts(text)
    sha = hashlib.sha256
    starts, ends = offsets[:-1].tolist(), offsets[1:].tolist()
    digests = pa.array([sha(data[a:b]).hexdigest() for a, b in zip(starts, ends, strict=True)],
                       pa.string())
    wrong = pc.fill_null(pc.not_equal(digests, _plain(batch.column("text_sha256"))), True)
    for row in np.flatnonzero(wrong.to_numpy(zero_copy_only=False)).tolist():
        found.append((row, HASH, 0, "/text_sha256", "does not match the SHA-256 of text"))

    length = pc.utf8_length(text).to_numpy(zero_copy_only=False).astype(np.int64)
    blocks = _plain(batch.column("blocks"))
    first, items = _list_parts(blocks)
    count = pc.list_value_length(blocks).to_numpy(zero_copy_only=False).astype(np.int64)
    if len(items):
        parent = pc.list_parent_indices(blocks).to_numpy().astype(np.int64)
        start = items.field("start").to_numpy(zero_copy_only=False).astype(np.int64)
        end = items.field("end").to_numpy(zero_copy_only=False).astype(np.int64)
        index = np.arange(len(items)) - first[parent]
        prev = np.empty_like(end)
        prev[0] = 0
        prev[1:] = end[:-1]
        prev[index == 0] = 0
        bad = (start < prev) | (end <= start) | (end > length[parent])
        for j in np.flatnonzero(bad).tolist():
            i = int(index[j])
            found.append((int(parent[j]), BLOCK, i, f"/blocks/{i}",
                          f"block {int(start[j])}..{int(end[j])} out of order or out of range"))
        found += _title_problems(batch, text, offsets, data, length, first, count, items, start, end)

    credits = _plain(batch.column("credits"))
    cfirst, citems = _list_parts(credits)
    if len(citems):
        block = citems.field("block")
        cparent = pc.list_parent_indices(credits).to_numpy().astype(np.int64)
        present = block.is_valid().to_numpy(zero_copy_only=False)
        value = pc.fill_null(block, 0).to_numpy(zero_copy_only=False).astype(np.int64)
        for j in np.flatnonzero(present & (value >= count[cparent])).tolist():
            i = j - int(cfirst[cparent[j]])
            found.append((int(cparent[j]), CREDIT, i, f"/credits/{i}/block", f"no block {int(value[j])}"))
    found.sort(key=lambda p: p[:3])
    return [(row, pointer, message) for row, _phase, _i, pointer, message in found]


def _title_problems(batch: Any, text: pa.Array, offsets: np.ndarray, data: memoryview,
                    length: np.ndarray, first: np.ndarray, count: np.ndarray, items: pa.StructArray,
                    start: np.ndarray, end: np.ndarray) -> list[tuple[int, int, int, str, str]]:
    """Rows whose first block is a title that differs from the ``title`` column. A title
    block starting at 0 (every converter's) is compared as bytes, all rows at once:
    ``text[0:e] == title`` holds exactly when the title's UTF-8 bytes begin the text's and
    the title has ``min(e, len(text))`` code points; any other start is compared as Python
    strings."""
    rows = np.flatnonzero(count > 0)
    kinds = pc.take(items.field("kind"), pa.array(first[rows]))
    rows = rows[pc.fill_null(pc.equal(kinds, "title"), False).to_numpy(zero_copy_only=False)]
    if not len(rows):
        return []
    title = _plain(batch.column("title"))
    t_offsets, t_data = _string_parts(title)
    t_length = pc.utf8_length(title).to_numpy(zero_copy_only=False).astype(np.int64)
    j = first[rows]
    s, e = start[j], end[j]
    same = np.zeros(len(rows), dtype=bool)
    at0 = s == 0
    r0 = rows[at0]
    if len(r0):
        # the bytes of each title against the bytes at the start of its text (a slice of a
        # memoryview copies nothing; a title longer than its text does not fit anyway)
        t_from, t_to = t_offsets[r0], t_offsets[r0 + 1]
        o, o_end = offsets[r0], offsets[r0 + 1]
        fits = (t_length[r0] == np.minimum(e[at0], length[r0])) & (t_to - t_from <= o_end - o)
        equal = [data[a:a + y - x] == t_data[x:y]
                 for a, x, y in zip(o.tolist(), t_from.tolist(), t_to.tolist(), strict=True)]
        same[at0] = fits & np.array(equal, dtype=bool)
    for k in np.flatnonzero(~at0).tolist():  # a title block not at 0: as Python strings
        row = int(rows[k])
        same[k] = text[row].as_py()[int(s[k]):int(e[k])] == title[row].as_py()
    message = "differs from the text of the title block"
    return [(int(row), TITLE, 0, "/title", message) for row in rows[~same].tolist()]


def patterns_fail(batch: pa.RecordBatch | pa.Table,
                  patterns: Mapping[str, Mapping[tuple[str, ...], str]]) -> bool:
    """Whether a row's string field does not match a pattern of the schema version the row
    declares (``patterns``: version -> {path: pattern}, as
    :attr:`~newscorpus.schema.CompiledSchema.column_patterns`; a null field is not tested).
    A field the batch does not hold counts as a failure, so that it is never left unchecked."""
    versions = _plain(batch.column("schema_version"))
    names = set(batch.schema.names)
    for version in pc.unique(versions).to_pylist():
        rows = pc.equal(versions, version)
        for path, pattern in (patterns.get(version) or {}).items():
            if path[0] not in names:
                return True
            column: Any = _plain(batch.column(path[0]))
            for part in path[1:]:
                if not pa.types.is_struct(column.type) or column.type.get_field_index(part) < 0:
                    return True
                column = pc.struct_field(column, part)
            bad = pc.and_kleene(rows, pc.invert(pc.match_substring_regex(column, pattern)))
            if pc.any(bad).as_py():
                return True
    return False
