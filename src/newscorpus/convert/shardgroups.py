"""Duplicate groups of a batch, computed where its shards were converted.

The search of :mod:`newscorpus.dedup`, spread over an engine:

1. in the workers, each shard's MinHash signatures and LSH band keys are written to the
   staging folder (``<shard>.sig.npy``, ``<shard>.band.npy``; :func:`stage_signatures`);
   the records travel to the driver with the row of their signature, not the signature;
2. the driver numbers the searched records (the first of each text, in id order) and writes
   where each one's signature is (``lsh-nodes.npz``);
3. one task per band partition (:func:`run_band_task`, on the engine's workers) reads the
   band keys of every shard, keeps its own buckets, loads the signatures of the records
   that share one and returns the confirmed pairs (a spanning forest);
4. the driver joins the exact pairs and every partition's pairs by union-find.

The groups are the same whatever the engine, the number of partitions or shards.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..atomic import atomic_write
from ..dedup import (
    BANDS,
    NUM_PERM,
    THRESHOLD,
    DuplicateGroups,
    band_keys,
    near_edges,
    signature,
    signatures_matrix,
)

NODES = "lsh-nodes.npz"
_CHUNK = 4096  # signatures of a shard held in memory at once
NODES_PER_PART, MAX_PARTS = 50_000, 16


class SignatureStage:
    """The signatures of one shard's records and their band keys, staged as the shard ``key``
    of ``staging`` as they come (``<key>.sig.npy``, ``<key>.band.npy``): a shard of any size
    holds at most ``_CHUNK`` signatures in memory."""

    def __init__(self, staging: Path, key: str) -> None:
        staging.mkdir(parents=True, exist_ok=True)
        self.staging, self.key = staging, key
        self._raw_path = staging / f"{key}.sig.{os.getpid()}.raw"
        self._raw = self._raw_path.open("w+b")
        self._pending: list[np.ndarray] = []
        self.rows = 0

    def add(self, sig: np.ndarray | None) -> int:
        """Stage ``sig``; its row, or -1 for a record without words (no signature)."""
        if sig is None:
            return -1
        self._pending.append(sig)
        if len(self._pending) >= _CHUNK:
            self._flush()
        self.rows += 1
        return self.rows - 1

    def reset(self) -> None:
        """Forget what was staged (the shard's converter failed: its records are dropped)."""
        self._raw.seek(0)
        self._raw.truncate()
        self._pending.clear()
        self.rows = 0

    def discard(self) -> None:
        """Drop what was staged and every scratch file (the shard failed)."""
        self._raw.close()
        self._raw_path.unlink(missing_ok=True)
        for name in (f"{self.key}.sig.npy.{os.getpid()}.tmp", f"{self.key}.band.npy.{os.getpid()}.tmp"):
            (self.staging / name).unlink(missing_ok=True)

    def _flush(self) -> None:
        if self._pending:
            self._raw.write(signatures_matrix(self._pending).tobytes())
            self._pending.clear()

    def close(self) -> None:
        """Write the two ``.npy`` files (renamed into place) and drop the scratch file."""
        self._flush()
        dtype = signatures_matrix([]).dtype
        sig_tmp = self.staging / f"{self.key}.sig.npy.{os.getpid()}.tmp"
        band_tmp = self.staging / f"{self.key}.band.npy.{os.getpid()}.tmp"
        sigs = np.lib.format.open_memmap(sig_tmp, mode="w+", dtype=dtype, shape=(self.rows, NUM_PERM))
        bands = np.lib.format.open_memmap(band_tmp, mode="w+", dtype=np.uint64, shape=(self.rows, BANDS))
        self._raw.seek(0)
        for at in range(0, self.rows, _CHUNK):
            n = min(_CHUNK, self.rows - at)
            chunk = np.frombuffer(self._raw.read(n * NUM_PERM * dtype.itemsize), dtype=dtype)
            chunk = chunk.reshape(n, NUM_PERM)
            sigs[at:at + n] = chunk
            bands[at:at + n] = band_keys(chunk)
        sigs.flush()
        bands.flush()
        del sigs, bands  # unmapped before the renames
        sig_tmp.replace(self.staging / f"{self.key}.sig.npy")
        band_tmp.replace(self.staging / f"{self.key}.band.npy")
        self._raw.close()
        self._raw_path.unlink(missing_ok=True)


def stage_signatures(outcomes: list[Any], staging: Path, key: str) -> list[Any]:
    """Write the signatures of ``outcomes``' records (``(record, signature)`` pairs) and their
    band keys as the shard ``key`` of ``staging``; return the outcomes with each signature
    replaced by its row (-1 for a record without words)."""
    stage = SignatureStage(staging, key)
    out = [(o[0], stage.add(o[1])) if isinstance(o, tuple) else o for o in outcomes]
    stage.close()
    return out


def stage_kept(records: Sequence[dict[str, Any]], staging: Path, key: str) -> list[int]:
    """Stage the signatures of records kept from a previous output (resume), computed here;
    returns each record's row."""
    staged = stage_signatures([(r, signature(r["text"])) for r in records], staging, key)
    return [row for _, row in staged]


@dataclass(frozen=True)
class BandTask:
    """One band partition of the search: the staging folder, the staged shards (by key, in
    the node file's source order), which partition and how many, the threshold."""

    staging: str
    sources: tuple[str, ...]
    part: int
    parts: int
    threshold: float = THRESHOLD


def _by_source(src: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """``(source, positions)`` for each source in ``src``: one sort, not a pass per source
    (a batch may have tens of thousands of shards)."""
    order = np.argsort(src, kind="stable")
    values, starts = np.unique(src[order], return_index=True)
    ends = [*starts[1:].tolist(), len(order)]
    return [(int(v), order[a:b]) for v, a, b in zip(values.tolist(), starts.tolist(), ends, strict=True)]


def run_band_task(task: BandTask) -> tuple[np.ndarray, int]:
    """The confirmed pairs (node numbers) of one band partition, and the comparisons made."""
    staging = Path(task.staging)
    with np.load(staging / NODES) as data:
        nodes, src, row = data["node"], data["src"], data["row"]
    keys = np.zeros((len(nodes), BANDS), dtype=np.uint64)
    for s, sel in _by_source(src):
        keys[sel] = np.load(staging / f"{task.sources[s]}.band.npy", mmap_mode="r")[row[sel]]

    def load(at: np.ndarray) -> np.ndarray:
        out = np.zeros((len(at), NUM_PERM), dtype=signatures_matrix([]).dtype)
        for s, sel in _by_source(src[at]):
            out[sel] = np.load(staging / f"{task.sources[s]}.sig.npy", mmap_mode="r")[row[at[sel]]]
        return out

    return near_edges(nodes, keys, load, task.part, task.parts, task.threshold)


def exact_and_searched(digests: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For records in id order with text hashes ``digests`` (``(n, 32)`` bytes): the
    positions of the first record of each text (the ones the near search compares, in
    order), and the ``(first, copy)`` positions of exact duplicates — what
    :func:`~newscorpus.dedup.representatives` gives, from arrays."""
    if not len(digests):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    keys = np.ascontiguousarray(digests).view(np.dtype((np.void, digests.shape[1]))).ravel()
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    of = first[inverse.reshape(-1)]
    copies = np.flatnonzero(of != np.arange(len(keys)))
    return np.sort(first), of[copies], copies


def batch_groups(ids: Sequence[str], digests: np.ndarray, src: np.ndarray, row: np.ndarray,
                 sources: Sequence[str], staging: Path, engine: Any,
                 threshold: float = THRESHOLD) -> list[dict[str, Any]]:
    """Duplicate groups of the batch's records: ``ids`` in order, with their text hashes
    (``digests``) and where their staged signatures are (``src`` indexes ``sources``, the
    staged shards' keys; ``row`` is -1 for a record without words); the band partitions
    run on ``engine``. Only ids and arrays are held, never texts."""
    searched, firsts, copies = exact_and_searched(digests)
    groups = DuplicateGroups()
    for first, other in zip(firsts.tolist(), copies.tolist(), strict=True):
        groups.union(ids[first], ids[other], "exact")
    real = np.flatnonzero(row[searched] >= 0)
    if not real.size:
        return groups.groups()
    staging.mkdir(parents=True, exist_ok=True)
    with atomic_write(staging / NODES) as fh:
        np.savez(fh, node=real.astype(np.int64), src=src[searched[real]], row=row[searched[real]])
    # at least one partition per engine worker, and enough that one sorts the band keys of
    # about NODES_PER_PART records at once, up to MAX_PARTS (each reads every record's keys);
    # the groups do not depend on it
    parts = max(1, int(engine.parallelism), min(MAX_PARTS, -(-real.size // NODES_PER_PART)))
    tasks = [BandTask(str(staging), tuple(sources), p, parts, threshold) for p in range(parts)]
    for edges, _ in engine.run(run_band_task, tasks):
        for a, b in edges.tolist():
            groups.union(ids[searched[a]], ids[searched[b]], "near")
    return groups.groups()
