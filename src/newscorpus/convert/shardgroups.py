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

from ..dedup import (
    BANDS,
    THRESHOLD,
    DuplicateGroups,
    band_keys,
    near_edges,
    representatives,
    signature,
    signatures_matrix,
)

NODES = "lsh-nodes.npz"


def _save(path: Path, array: np.ndarray) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with tmp.open("wb") as fh:
        np.save(fh, array, allow_pickle=False)
    tmp.replace(path)


def stage_signatures(outcomes: list[Any], staging: Path, key: str) -> list[Any]:
    """Write the signatures of ``outcomes``' records (``(record, signature)`` pairs) and their
    band keys as the shard ``key`` of ``staging``; return the outcomes with each signature
    replaced by its row (-1 for a record without words)."""
    sigs = [o[1] for o in outcomes if isinstance(o, tuple)]
    kept = [s for s in sigs if s is not None]
    matrix = signatures_matrix(kept)
    staging.mkdir(parents=True, exist_ok=True)
    _save(staging / f"{key}.sig.npy", matrix)
    _save(staging / f"{key}.band.npy", band_keys(matrix))
    out: list[Any] = []
    row = 0
    for outcome in outcomes:
        if isinstance(outcome, tuple):
            record, sig = outcome
            out.append((record, -1 if sig is None else row))
            row += sig is not None
        else:
            out.append(outcome)
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


def run_band_task(task: BandTask) -> tuple[np.ndarray, int]:
    """The confirmed pairs (node numbers) of one band partition, and the comparisons made."""
    staging = Path(task.staging)
    with np.load(staging / NODES) as data:
        nodes, src, row = data["node"], data["src"], data["row"]
    keys = np.zeros((len(nodes), BANDS), dtype=np.uint64)
    for s, key in enumerate(task.sources):
        sel = np.flatnonzero(src == s)
        if sel.size:
            keys[sel] = np.load(staging / f"{key}.band.npy", mmap_mode="r")[row[sel]]

    def load(at: np.ndarray) -> np.ndarray:
        out: np.ndarray | None = None
        for s, key in enumerate(task.sources):
            sel = np.flatnonzero(src[at] == s)
            if sel.size:
                part = np.load(staging / f"{key}.sig.npy", mmap_mode="r")[row[at[sel]]]
                if out is None:
                    out = np.zeros((len(at), part.shape[1]), dtype=part.dtype)
                out[sel] = part
        assert out is not None
        return out

    return near_edges(nodes, keys, load, task.part, task.parts, task.threshold)


def batch_groups(ordered: Sequence[dict[str, Any]], where: dict[str, tuple[int, int]],
                 sources: Sequence[str], staging: Path, engine: Any,
                 threshold: float = THRESHOLD) -> list[dict[str, Any]]:
    """Duplicate groups of ``ordered`` (the batch's records, sorted by id): ``where`` maps
    each id to ``(source, row)`` of its staged signature, ``sources`` are the staged shards'
    keys; the band partitions run on ``engine``."""
    _, exact, searched = representatives(ordered)
    groups = DuplicateGroups()
    for first, other in exact:
        groups.union(first, other, "exact")
    located = [(i, *where[rid]) for i, (rid, _) in enumerate(searched) if where[rid][1] >= 0]
    if not located:
        return groups.groups()
    table = np.array(located, dtype=np.int64)
    staging.mkdir(parents=True, exist_ok=True)
    tmp = staging / f"{NODES}.{os.getpid()}.tmp"
    with tmp.open("wb") as fh:
        np.savez(fh, node=table[:, 0], src=table[:, 1], row=table[:, 2])
    tmp.replace(staging / NODES)
    parts = max(1, int(engine.parallelism))
    tasks = [BandTask(str(staging), tuple(sources), p, parts, threshold) for p in range(parts)]
    for edges, _ in engine.run(run_band_task, tasks):
        for a, b in edges.tolist():
            groups.union(searched[a][0], searched[b][0], "near")
    return groups.groups()
