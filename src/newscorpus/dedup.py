"""Exact and near-duplicate detection over article records.

Exact duplicates share ``text_sha256``; near duplicates (re-published wire stories, lightly
edited copies) have a MinHash Jaccard similarity of word 5-gram shingles above a threshold
(datasketch LSH to find candidates, then the estimate to confirm). Groups are recorded, not
removed: a release keeps each group inside one split.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .shingles import shingle_set

SHINGLE = 5
NUM_PERM = 128
THRESHOLD = 0.8


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
        self.parent[other] = root
        self.kinds.setdefault(root, set()).update({kind} | self.kinds.pop(other, set()))

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


def signature(text: str) -> Any:
    """The MinHash of ``text``'s shingles (a ``datasketch.MinHash``), or None for no words.
    Computed where the record is made (e.g. in a worker process) and passed to
    :func:`find_duplicates`."""
    from datasketch import MinHash

    grams = shingles(text)
    if not grams:
        return None
    mh = MinHash(num_perm=NUM_PERM, seed=1)
    mh.update_batch([g.encode("utf-8") for g in grams])
    return mh


def find_duplicates(records: Iterable[dict[str, Any]], threshold: float = THRESHOLD,
                    signatures: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """Duplicate groups ``{"id", "members", "kinds"}`` among ``records`` (exact and near).
    ``signatures`` maps record ids to precomputed :func:`signature` values."""
    from datasketch import MinHashLSH

    signatures = signatures or {}
    groups = DuplicateGroups()
    by_hash: dict[str, str] = {}
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    hashes: dict[str, Any] = {}
    for record in records:
        rid, digest = record["id"], record["text_sha256"]
        if digest in by_hash:
            groups.union(by_hash[digest], rid, "exact")
            continue
        by_hash[digest] = rid
        mh = signatures[rid] if rid in signatures else signature(record["text"])
        if mh is None:
            continue
        for other in lsh.query(mh):
            # already in rid's group: the edge adds nothing (keeps many near-identical items linear-ish)
            if rid in groups.parent and groups.find(other) == groups.find(rid):
                continue
            if hashes[other].jaccard(mh) >= threshold:
                groups.union(other, rid, "near")
        lsh.insert(rid, mh)
        hashes[rid] = mh
    return groups.groups()
