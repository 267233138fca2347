"""Parquet shards planned on the driver and written by engine workers, byte for byte the
files of the local build (:class:`~newscorpus.release.parquet.SplitWriter`).

The workers of a distributed build stage each split's rows as *pieces*: one Arrow IPC batch
per parsed batch of an article file, the rows the local build hands its split writer for
that batch, with each row's size (:func:`~newscorpus.release.parquet.row_bytes`). The driver
collects the pieces in the global order of the local build (file by file, batch by batch),
cuts them into row groups and shards exactly as the local writer does
(:func:`~newscorpus.release.parquet.group_end`; a shard closes once it holds ``shard_rows``
rows) and sends one :class:`ShardTask` per Parquet file. A worker reads the slices of the
pieces a row group spans — the same Arrow chunks the local writer's group is made of — and
writes them with the same writer options, so every file has the local bytes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from . import parquet
from .parquet import group_end, open_writer, shard_entry


@dataclass(frozen=True)
class Piece:
    """Batch ``batch`` of the staged Arrow IPC file ``source``: ``rows`` rows of one split."""

    source: str
    batch: int
    rows: int


@dataclass(frozen=True)
class ShardTask:
    """One Parquet file: its row groups' sizes, over ``pieces`` from row ``offset`` of the first."""

    path: Path  # the final file, in the release's temporary folder
    folder: Path  # the release's temporary folder (the manifest paths are relative to it)
    name: str
    schema: pa.Schema
    pieces: tuple[Piece, ...]
    offset: int
    groups: tuple[int, ...]
    row_group_size: int = 0  # the writer's (parquet.ROW_GROUP_SIZE when planned)

    @property
    def key(self) -> str:
        return self.path.stem


class SplitPlan:
    """The pieces of one config and split, in the local build's order, and their cuts."""

    def __init__(self) -> None:
        self.pieces: list[Piece] = []
        self.sizes: list[np.ndarray] = []

    def add(self, piece: Piece, sizes: np.ndarray) -> None:
        if piece.rows:
            self.pieces.append(piece)
            self.sizes.append(sizes)

    @property
    def rows(self) -> int:
        return sum(p.rows for p in self.pieces)

    def shards(self, shard_rows: int) -> list[tuple[int, list[int]]]:
        """``(first row, [row group sizes])`` of each shard: the local writer's cuts."""
        if not self.pieces:
            return []
        cum = np.concatenate(([0], np.cumsum(np.concatenate(self.sizes))))
        n, start = len(cum) - 1, 0
        shards: list[tuple[int, list[int]]] = []
        in_shard = shard_rows  # the first group opens a shard
        while start < n:
            end = group_end(cum, start, n)
            if in_shard >= shard_rows:
                shards.append((start, []))
                in_shard = 0
            shards[-1][1].append(end - start)
            in_shard += end - start
            start = end
        return shards

    def tasks(self, folder: Path, config: str, split: str, schema: pa.Schema,
              shard_rows: int) -> list[ShardTask]:
        """One :class:`ShardTask` per file of the split, named as the local writer names them."""
        shards = self.shards(shard_rows)
        starts = np.concatenate(([0], np.cumsum([p.rows for p in self.pieces])))
        out = []
        for i, (first, groups) in enumerate(shards):
            last = first + sum(groups)
            lo = int(np.searchsorted(starts, first, side="right")) - 1
            hi = int(np.searchsorted(starts, last, side="left"))
            path = folder / f"data/{config}/{split}-{i:05d}-of-{len(shards):05d}.parquet"
            out.append(ShardTask(path, folder, f"{config}/{split} shard {i + 1}/{len(shards)}", schema,
                                 tuple(self.pieces[lo:hi]), first - int(starts[lo]), tuple(groups),
                                 parquet.ROW_GROUP_SIZE))
        return out


def write_shard(task: ShardTask) -> tuple[dict[str, Any], int]:
    """Write one planned Parquet file (on a worker); its manifest entry and row-group bytes."""
    sources: dict[str, Any] = {}

    def batch(piece: Piece) -> pa.RecordBatch:
        if piece.source not in sources:
            sources[piece.source] = pa.ipc.open_file(pa.memory_map(piece.source))
        return sources[piece.source].get_batch(piece.batch)

    task.path.parent.mkdir(parents=True, exist_ok=True)
    part = task.path.with_name(f"{task.path.name}.{os.getpid()}.part")
    writer = open_writer(part, task.schema)
    try:
        k, at = 0, task.offset
        for size in task.groups:
            chunks, need = [], size
            while need:
                rows = task.pieces[k].rows
                take = min(need, rows - at)
                chunks.append(batch(task.pieces[k]).slice(at, take))
                at, need = at + take, need - take
                if at == rows:
                    k, at = k + 1, 0
            writer.write_table(pa.Table.from_batches(chunks, task.schema),
                               row_group_size=task.row_group_size)
    finally:
        writer.close()
    part.replace(task.path)
    return shard_entry(task.path, task.folder)
