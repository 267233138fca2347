"""Streaming Parquet output: one writer per config and split, exact row groups, shards.

Rows arrive in batches of any size; each split buffers them and writes row groups of
:data:`ROW_GROUP_SIZE` rows, or fewer when the rows' size reaches :data:`ROW_GROUP_BYTES`
(the Hub's dataset viewer refuses row groups over 100 MB; long articles reach that long
before 10,000 rows). A row's size is computed from its own values (:func:`row_bytes`), so
the cuts, and the bytes, do not depend on how the input was batched. A split's file is cut
into shards of :data:`SHARD_ROWS` rows, named ``<split>-NNNNN-of-MMMMM.parquet`` when the
split is closed. A split with no rows writes no file (`datasets` cannot read an empty
Parquet file).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..checksums import file_sha256

ROW_GROUP_SIZE = 10_000
ROW_GROUP_BYTES = 32 << 20  # uncompressed, estimated by row_bytes; well below the Hub's 100 MB
SHARD_ROWS = 250_000
COMPRESSION = "zstd"


_DIGESTS: dict[tuple[str, int, int, int], str] = {}


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, remembered while the file is unchanged (same inode, size and
    modification time), so a build hashes each file it writes once."""
    st = Path(path).stat()
    key = (str(Path(path).resolve()), st.st_ino, st.st_size, st.st_mtime_ns)
    if key in _DIGESTS:
        return _DIGESTS[key]
    if len(_DIGESTS) > 10_000:
        _DIGESTS.clear()
    _DIGESTS[key] = digest = file_sha256(path)
    return digest


def _element_bytes(arr: pa.Array) -> np.ndarray:
    """The uncompressed size of each element of ``arr``: its value bytes plus 4 per string
    or list (offsets), summed through lists and structs."""
    kind = arr.type
    if (pa.types.is_string(kind) or pa.types.is_binary(kind) or pa.types.is_large_string(kind)
            or pa.types.is_large_binary(kind)):
        return pc.binary_length(arr).fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64) + 4
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        inner = np.concatenate(([0], np.cumsum(_element_bytes(arr.values))))
        offsets = arr.offsets.to_numpy()
        return inner[offsets[1:]] - inner[offsets[:-1]] + 4
    if pa.types.is_struct(kind):
        total = np.zeros(len(arr), dtype=np.int64)
        for i in range(kind.num_fields):
            total += _element_bytes(arr.field(i))
        return total
    try:
        width = max(kind.bit_width // 8, 1)
    except ValueError:  # another variable-width type: count it as 8 bytes a value
        width = 8
    return np.full(len(arr), width, dtype=np.int64)


def row_bytes(table: pa.Table) -> np.ndarray:
    """Each row's uncompressed size (the measure of :data:`ROW_GROUP_BYTES`)."""
    total = np.zeros(table.num_rows, dtype=np.int64)
    for column in table.columns:
        if column.num_chunks:
            total += np.concatenate([_element_bytes(c) for c in column.chunks])
    return total


def group_end(cum: np.ndarray, start: int, n: int) -> int:
    """The end of the row group that starts at row ``start`` of ``n`` rows whose cumulative
    sizes are ``cum`` (``n + 1`` values from 0): :data:`ROW_GROUP_SIZE` rows, or fewer when
    the next row would take the group over :data:`ROW_GROUP_BYTES` (a single larger row is a
    group of its own). Complete unless it ends at ``n`` short of :data:`ROW_GROUP_SIZE` (more
    rows may come)."""
    end = min(start + ROW_GROUP_SIZE, n)
    fits = int(np.searchsorted(cum, cum[start] + ROW_GROUP_BYTES, side="right")) - 1
    return max(start + 1, min(end, fits))


def open_writer(path: Path, schema: pa.Schema) -> pq.ParquetWriter:
    """The Parquet writer of one shard file (every writer of a release: same options)."""
    return pq.ParquetWriter(path, schema, compression=COMPRESSION)


def shard_entry(path: Path, folder: Path) -> tuple[dict[str, Any], int]:
    """A written shard as its manifest entry (path relative to ``folder``, rows, bytes,
    sha256) and the uncompressed size of its row groups."""
    meta = pq.ParquetFile(path).metadata
    nbytes = sum(meta.row_group(g).total_byte_size for g in range(meta.num_row_groups))
    return ({"path": path.relative_to(folder).as_posix(), "rows": meta.num_rows,
             "bytes": path.stat().st_size, "sha256": sha256_file(path)}, nbytes)


class Background:
    """Runs file writes in one worker thread, in the order they were submitted (pyarrow
    encodes and compresses without holding the GIL, so this overlaps with the caller's
    work); at most ``max_pending`` writes wait, which bounds the memory they hold."""

    def __init__(self, max_pending: int = 4) -> None:
        from collections import deque
        from concurrent.futures import Future, ThreadPoolExecutor

        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newscorpus-write")
        self.pending: deque[Future[Any]] = deque()
        self.max_pending = max_pending

    def submit(self, fn: Any, *args: Any) -> None:
        while len(self.pending) >= self.max_pending:
            self.pending.popleft().result()
        self.pending.append(self.pool.submit(fn, *args))

    def drain(self) -> None:
        """Wait for every submitted write (re-raising the first failure)."""
        while self.pending:
            self.pending.popleft().result()

    def shutdown(self) -> None:
        """Stop after the writes under way, without raising (for clean-up after a failure)."""
        for future in self.pending:
            future.cancel()
        self.pending.clear()
        self.pool.shutdown(wait=True)


class SplitWriter:
    """Rows of one config and split, written as they come (by ``background`` when given)."""

    def __init__(self, folder: Path, config: str, split: str, schema: pa.Schema,
                 shard_rows: int = SHARD_ROWS, background: Background | None = None) -> None:
        self.folder, self.config, self.split, self.schema = folder, config, split, schema
        self.shard_rows = shard_rows
        self.background = background
        self.buffer: list[pa.Table] = []
        self.sizes: list[np.ndarray] = []  # row_bytes of each buffered table
        self.buffered = 0
        self.buffered_bytes = 0
        self.rows = 0
        self.nbytes = 0  # uncompressed bytes of the written row groups
        self.parts: list[Path] = []
        self._writer: pq.ParquetWriter | None = None
        self._in_shard = 0

    def write(self, table: pa.Table) -> None:
        if table.num_rows == 0:
            return
        sizes = row_bytes(table)
        self.buffer.append(table)
        self.sizes.append(sizes)
        self.buffered += table.num_rows
        self.buffered_bytes += int(sizes.sum())
        if self.buffered >= ROW_GROUP_SIZE or self.buffered_bytes >= ROW_GROUP_BYTES:
            self._flush(final=False)

    def _flush(self, final: bool) -> None:
        """Write every complete row group of the buffer (with ``final``, the rest too). A
        group is complete at :data:`ROW_GROUP_SIZE` rows or when the next row would take it
        over :data:`ROW_GROUP_BYTES` (a single larger row is a group of its own)."""
        if not self.buffer:
            return
        table = pa.concat_tables(self.buffer)
        cum = np.concatenate(([0], np.cumsum(np.concatenate(self.sizes))))
        n, start = table.num_rows, 0
        while start < n:
            end = group_end(cum, start, n)
            complete = end - start == ROW_GROUP_SIZE or end < n
            if not complete and not final:
                break
            self._write_group(table.slice(start, end - start))
            start = end
        rest = table.slice(start)
        self.buffer = [rest] if rest.num_rows else []
        self.sizes = [cum[start + 1:] - cum[start:-1]] if rest.num_rows else []
        self.buffered = rest.num_rows
        self.buffered_bytes = int(cum[-1] - cum[start])

    def _run(self, fn: Any, *args: Any) -> None:
        if self.background is None:
            fn(*args)
        else:
            self.background.submit(fn, *args)

    def _write_group(self, group: pa.Table) -> None:
        if not self.parts or self._in_shard >= self.shard_rows:
            self._close_shard()
            path = self.folder / f"data/{self.config}/{self.split}-{len(self.parts):05d}.part"
            path.parent.mkdir(parents=True, exist_ok=True)
            self.parts.append(path)
            self._run(self._open, path)
        self._run(self._write, group)
        self._in_shard += group.num_rows
        self.rows += group.num_rows

    # the three below run in the background thread when there is one
    def _open(self, path: Path) -> None:
        self._writer = open_writer(path, self.schema)

    def _write(self, group: pa.Table) -> None:
        assert self._writer is not None
        self._writer.write_table(group, row_group_size=ROW_GROUP_SIZE)

    def _close_writer(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def _close_shard(self) -> None:
        if self.parts:
            self._run(self._close_writer)
        self._in_shard = 0

    def close(self) -> list[dict[str, Any]]:
        """Finish the split; its files as manifest entries (path, rows, bytes, sha256)."""
        self._flush(final=True)
        self._close_shard()
        if self.background is not None:
            self.background.drain()
        files = []
        for i, part in enumerate(self.parts):
            final = part.with_name(f"{self.split}-{i:05d}-of-{len(self.parts):05d}.parquet")
            part.rename(final)
            entry, nbytes = shard_entry(final, self.folder)
            self.nbytes += nbytes
            files.append(entry)
        return files


class ConfigWriter:
    """Every split of one config."""

    def __init__(self, folder: Path, config: str, schema: pa.Schema, splits: tuple[str, ...],
                 shard_rows: int = SHARD_ROWS, background: Background | None = None) -> None:
        self.config = config
        self.splits = {name: SplitWriter(folder, config, name, schema, shard_rows, background)
                       for name in splits}

    def write(self, split: str, table: pa.Table) -> None:
        self.splits[split].write(table)

    def close(self) -> dict[str, Any]:
        """``{split: {"rows", "files", "arrow_bytes"}}`` for the manifest (``arrow_bytes``:
        the uncompressed size of the split's row groups, the card's ``num_bytes``)."""
        out: dict[str, Any] = {}
        for name, writer in self.splits.items():
            files = writer.close()
            out[name] = {"rows": writer.rows, "files": files, "arrow_bytes": writer.nbytes}
        return out
