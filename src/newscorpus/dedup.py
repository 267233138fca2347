"""Exact and near-duplicate detection over article records.

Exact duplicates share ``text_sha256``; near duplicates (re-published wire stories, lightly
edited copies) have a MinHash Jaccard similarity of word 5-gram shingles above a threshold.
Groups are recorded, not removed: a release keeps each group inside one split.

The near-duplicate search is split so that it runs at scale with the same answer:

1. :func:`signature` — a record's MinHash (``NUM_PERM`` values), computed where the record
   is made (a worker); :func:`band_keys` — its ``BANDS`` LSH band keys (datasketch's banding
   for ``THRESHOLD``: ``BANDS`` bands of ``ROWS`` values).
2. :func:`near_edges` — one *partition* of the band buckets (a bucket is one band's equal
   values; buckets are dealt to partitions by key): every pair of records sharing a bucket
   is a candidate, confirmed when the MinHash Jaccard estimate reaches the threshold. A
   partition returns a spanning forest of its confirmed pairs (a pair whose records are
   already joined is not compared again, which keeps many near-identical records linear).
3. :class:`DuplicateGroups` — union-find over the exact pairs and every partition's forest.

The groups are the connected components of the confirmed candidate pairs, so they do not
depend on how the buckets were partitioned, on the order records arrive in, or on the
engine that ran the partitions; they equal those of datasketch's ``MinHashLSH`` queried
record by record (a test checks this).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np

from .shingles import shingle_set

SHINGLE = 5
NUM_PERM = 128
THRESHOLD = 0.8
BANDS, ROWS = 9, 13  # datasketch's optimal banding for THRESHOLD and NUM_PERM (a test checks it)
_CHUNK = 64  # members of a joined component compared at once


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """Word ``size``-grams of ``text`` (case-folded: this is a key, not annotatable text)."""
    return shingle_set(text, size, casefold=True)


@dataclass
class DuplicateGroups:
    """Union-find over article ids, with the reason each pair was joined."""

    parent: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, set[str]] = field(default_factory=dict)

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str, kind: str) -> None:
        ra, rb = self.find(a), self.find(b)
        root, other = sorted((ra, rb))
        kinds = self.kinds.setdefault(root, set())
        kinds.add(kind)
        if other != root:
            self.parent[other] = root
            kinds.update(self.kinds.pop(other, set()))

    def groups(self) -> list[dict[str, Any]]:
        members: dict[str, list[str]] = {}
        for x in self.parent:
            members.setdefault(self.find(x), []).append(x)
        out = []
        for root, ids in members.items():
            if len(ids) < 2:
                continue
            ids.sort()
            gid = "g-" + hashlib.sha256("\x1f".join(ids).encode()).hexdigest()[:16]
            out.append({"id": gid, "members": ids, "kinds": sorted(self.kinds.get(root, ()))})
        return sorted(out, key=lambda g: g["members"][0])


@cache
def _template() -> Any:
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=1)


def prepare() -> None:
    """Import datasketch and make the permutations now (e.g. before worker processes fork,
    so that they inherit them instead of making them each)."""
    _template()


def signature(text: str) -> np.ndarray | None:
    """The MinHash values of ``text``'s shingles (datasketch's, seed 1), or None for no words."""
    grams = shingles(text)
    if not grams:
        return None
    mh = _template().copy()  # shares the permutations: no per-record set-up
    mh.update_batch([g.encode("utf-8") for g in grams])
    values: np.ndarray = mh.hashvalues
    return values


def signatures_matrix(sigs: Sequence[np.ndarray | None]) -> np.ndarray:
    """``sigs`` as one ``(len, NUM_PERM)`` array; a missing signature is a row of zeros
    (never a node of the search: callers keep track of which rows are real)."""
    out = np.zeros((len(sigs), NUM_PERM), dtype=_template().hashvalues.dtype)
    for i, sig in enumerate(sigs):
        if sig is not None:
            out[i] = sig
    return out


_MIX = np.uint64(0x9E3779B97F4A7C15)


def band_keys(sigs: np.ndarray) -> np.ndarray:
    """``(n, BANDS)`` 64-bit keys of each signature's bands (a hash of the band's ``ROWS``
    values; records in one bucket are compared on the values themselves, so a collision of
    keys never joins anything)."""
    values = np.asarray(sigs, dtype=np.uint64)
    keys = np.zeros((values.shape[0], BANDS), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for band in range(BANDS):
            h = np.full(values.shape[0], np.uint64(band + 1), dtype=np.uint64)
            for col in values[:, band * ROWS:(band + 1) * ROWS].T:
                h = (h ^ col) * _MIX
                h ^= h >> np.uint64(29)
            keys[:, band] = h
    return keys


def partition_of(keys: np.ndarray, parts: int) -> np.ndarray:
    """The partition (``0 .. parts-1``) of each band key."""
    return (keys % np.uint64(parts)).astype(np.int64)


def _need(threshold: float) -> int:
    """The fewest equal MinHash values whose Jaccard estimate reaches ``threshold``."""
    return next((c for c in range(NUM_PERM + 1) if c / NUM_PERM >= threshold), NUM_PERM + 1)


class _Forest:
    """Union-find over node numbers, keeping the edges that joined two components."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}
        self.edges: list[tuple[int, int]] = []
        self.compared = 0  # signature pairs compared (the cost a test bounds)

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while x != root:
            parent[x], x = root, parent.get(x, x)
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)
            self.edges.append((min(a, b), max(a, b)))


def _link(forest: _Forest, nodes: np.ndarray, sigs: np.ndarray, need: int) -> None:
    """Join every pair of one bucket's ``nodes`` whose signatures agree on ``need`` values:
    each node is compared with the bucket's components it is not yet part of, first with
    their first members (all at once), then with the rest of a component, ``_CHUNK`` at a
    time, until one agrees."""
    comps: list[list[int]] = []  # positions in the bucket; each list is one joined component
    ids: list[int] = nodes.tolist()
    find = forest.find
    for pos, x in enumerate(ids):
        root = find(x)
        roots = [find(ids[c[0]]) for c in comps]
        joined = [c for c, r in zip(comps, roots, strict=True) if r == root]
        if len(joined) == len(comps) == 1:  # already joined to the bucket's one component
            joined[0].append(pos)
            continue
        others = [c for c, r in zip(comps, roots, strict=True) if r != root]
        if others:
            firsts = [c[0] for c in others]
            forest.compared += len(firsts)
            agree = np.count_nonzero(sigs[firsts] == sigs[pos], axis=1) >= need
            for comp, first_agrees in zip(others, agree, strict=True):
                if first_agrees:
                    forest.union(ids[comp[0]], x)
                    joined.append(comp)
                    continue
                for start in range(1, len(comp), _CHUNK):
                    chunk = comp[start:start + _CHUNK]
                    forest.compared += len(chunk)
                    hits = np.flatnonzero(np.count_nonzero(sigs[chunk] == sigs[pos], axis=1) >= need)
                    if hits.size:
                        forest.union(ids[chunk[int(hits[0])]], x)
                        joined.append(comp)
                        break
        if not joined:
            comps.append([pos])
            continue
        joined.sort(key=len, reverse=True)
        largest = joined[0]  # grows in place: merging costs the smaller components only
        for comp in joined[1:]:
            largest.extend(comp)
        largest.append(pos)
        if len(joined) > 1:
            gone = {id(c) for c in joined[1:]}
            comps = [c for c in comps if id(c) not in gone]


def near_edges(nodes: np.ndarray, keys: np.ndarray, sigs: Any, part: int = 0, parts: int = 1,
               threshold: float = THRESHOLD) -> tuple[np.ndarray, int]:
    """The near-duplicate edges found in partition ``part`` of ``parts``: a spanning forest
    (``(m, 2)`` node numbers) of the candidate pairs confirmed by their Jaccard estimate,
    and the number of signature comparisons made.

    ``nodes`` are the node numbers of the searched records (``(n,)``), ``keys`` their band
    keys (``(n, BANDS)``), ``sigs`` their signatures: ``sigs(rows)`` gives the ``(len(rows),
    NUM_PERM)`` signatures of the records at ``rows`` (positions in ``nodes``), so that only
    the records of shared buckets are loaded."""
    nodes = np.asarray(nodes, dtype=np.int64)
    keys = np.asarray(keys, dtype=np.uint64)
    band = np.broadcast_to(np.arange(BANDS, dtype=np.int64), keys.shape)
    row = np.broadcast_to(np.arange(len(nodes), dtype=np.int64)[:, None], keys.shape)
    mine = partition_of(keys, parts) == part if parts > 1 else np.ones(keys.shape, dtype=bool)
    k, b, r = keys[mine], band[mine], row[mine]
    order = np.lexsort((nodes[r], k, b))
    k, b, r = k[order], b[order], r[order]
    same = (k[1:] == k[:-1]) & (b[1:] == b[:-1])
    starts = np.flatnonzero(np.concatenate(([True], ~same)))
    sizes = np.diff(np.concatenate((starts, [len(k)])))
    shared = sizes >= 2
    forest = _Forest()
    if not shared.any():
        return np.zeros((0, 2), dtype=np.int64), 0
    runs = [(int(s), int(s + n)) for s, n in zip(starts[shared], sizes[shared], strict=True)]
    needed = np.unique(np.concatenate([r[s:e] for s, e in runs]))
    loaded = np.asarray(sigs(needed))
    at = {int(x): i for i, x in enumerate(needed)}
    need = _need(threshold)
    for s, e in runs:
        members = r[s:e]
        msigs = loaded[[at[int(x)] for x in members]]
        bnd = int(b[s])
        cols = msigs[:, bnd * ROWS:(bnd + 1) * ROWS]
        if (cols == cols[0]).all():
            _link(forest, nodes[members], msigs, need)
            continue
        # a collision of keys: the bucket's true members share the band's values
        _, sub = np.unique(cols, axis=0, return_inverse=True)
        for label in np.unique(sub):
            pick = np.flatnonzero(sub.reshape(-1) == label)
            if len(pick) >= 2:
                _link(forest, nodes[members[pick]], msigs[pick], need)
    return np.array(forest.edges, dtype=np.int64).reshape(-1, 2), forest.compared


def find_duplicates(records: Iterable[dict[str, Any]], threshold: float = THRESHOLD,
                    signatures: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """Duplicate groups ``{"id", "members", "kinds"}`` among ``records`` (exact and near),
    in this process. ``signatures`` maps record ids to precomputed :func:`signature` values."""
    signatures = signatures or {}
    _, exact, searched = representatives(records)
    groups = DuplicateGroups()
    for first, other in exact:
        groups.union(first, other, "exact")
    found = [(rid, signatures[rid] if rid in signatures else signature(text)) for rid, text in searched]
    found = [(rid, sig) for rid, sig in found if sig is not None]
    if found:
        matrix = signatures_matrix([sig for _, sig in found])
        nodes = np.arange(len(found), dtype=np.int64)
        edges, _ = near_edges(nodes, band_keys(matrix), lambda at: matrix[at], threshold=threshold)
        for a, b in edges:
            groups.union(found[a][0], found[b][0], "near")
    return groups.groups()


def representatives(records: Iterable[dict[str, Any]]
                    ) -> tuple[list[str], list[tuple[str, str]], list[tuple[str, str]]]:
    """Split ``records`` (in order) into ``(ids, exact pairs, searched)``: every id; the
    ``(first, copy)`` pairs of exact duplicates (same ``text_sha256`` as an earlier record);
    and ``(id, text)`` of the first record of each text, the ones the near search compares."""
    ids: list[str] = []
    exact: list[tuple[str, str]] = []
    searched: list[tuple[str, str]] = []
    by_hash: dict[str, str] = {}
    for record in records:
        rid, digest = record["id"], record["text_sha256"]
        ids.append(rid)
        if digest in by_hash:
            exact.append((by_hash[digest], rid))
        else:
            by_hash[digest] = rid
            searched.append((rid, record["text"]))
    return ids, exact, searched
