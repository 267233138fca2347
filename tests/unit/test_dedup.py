"""Duplicate groups: the banded search gives datasketch's record-by-record LSH answer, in any
number of partitions, at a cost linear in the number of near-identical records."""

from __future__ import annotations

import hashlib
import random
from typing import Any

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH

from newscorpus import dedup
from newscorpus.dedup import DuplicateGroups, band_keys, find_duplicates, near_edges, signature


def _record(rid: str, text: str) -> dict[str, Any]:
    return {"id": rid, "text": text, "text_sha256": hashlib.sha256(text.encode()).hexdigest()}


def _reference(records: list[dict[str, Any]], threshold: float = dedup.THRESHOLD) -> list[dict[str, Any]]:
    """datasketch's MinHashLSH queried record by record (the search before the banded one)."""
    groups = DuplicateGroups()
    by_hash: dict[str, str] = {}
    hashes: dict[str, MinHash] = {}
    lsh = MinHashLSH(threshold=threshold, num_perm=dedup.NUM_PERM)
    for record in records:
        rid, digest = record["id"], record["text_sha256"]
        if digest in by_hash:
            groups.union(by_hash[digest], rid, "exact")
            continue
        by_hash[digest] = rid
        grams = dedup.shingles(record["text"])
        if not grams:
            continue
        mh = MinHash(num_perm=dedup.NUM_PERM, seed=1)
        mh.update_batch([g.encode() for g in grams])
        for other in lsh.query(mh):
            if hashes[other].jaccard(mh) >= threshold:
                groups.union(other, rid, "near")
        lsh.insert(rid, mh)
        hashes[rid] = mh
    return groups.groups()


def _corpus(seed: int, n: int = 400) -> list[dict[str, Any]]:
    """Clusters of lightly edited copies (0 to 15 words changed), exact copies, texts of a
    few words and texts without words, in id order."""
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(300)]
    bases = [[rng.choice(vocab) for _ in range(rng.randint(3, 120))] for _ in range(30)]
    records = []
    for i in range(n):
        words = list(rng.choice(bases))
        for _ in range(rng.choice([0, 0, 1, 2, 3, 5, 8, 15])):
            words[rng.randrange(len(words))] = rng.choice(vocab)
        text = " ".join(words) if rng.random() > 0.02 else "..."
        records.append(_record(f"{rng.random():.12f}-{i}", text))
    return sorted(records, key=lambda r: r["id"])


def test_banding_and_signatures_are_datasketchs() -> None:
    lsh = MinHashLSH(threshold=dedup.THRESHOLD, num_perm=dedup.NUM_PERM)
    assert (lsh.b, lsh.r) == (dedup.BANDS, dedup.ROWS)
    text = "The council met on Tuesday to discuss the budget and the new school"
    mh = MinHash(num_perm=dedup.NUM_PERM, seed=1)
    mh.update_batch([g.encode() for g in dedup.shingles(text)])
    sig = signature(text)
    assert sig is not None and np.array_equal(sig, mh.hashvalues)
    assert signature("... !!") is None


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_groups_equal_datasketchs_record_by_record_search(seed: int) -> None:
    records = _corpus(seed)
    expected = _reference(records)
    assert sum(len(g["members"]) for g in expected) > 100  # the corpus has groups to find
    assert {k for g in expected for k in g["kinds"]} == {"exact", "near"}
    assert find_duplicates(records) == expected


@pytest.mark.parametrize("parts", [2, 3, 7])
def test_any_number_of_band_partitions_gives_the_same_components(parts: int) -> None:
    records = [r for r in _corpus(5) if signature(r["text"]) is not None]
    sigs = dedup.signatures_matrix([signature(r["text"]) for r in records])
    nodes = np.arange(len(records)) * 3 + 11  # node numbers need not be positions
    keys = band_keys(sigs)

    def components(edge_lists: list[np.ndarray]) -> list[list[int]]:
        groups = DuplicateGroups()
        for edges in edge_lists:
            for a, b in edges.tolist():
                groups.union(str(a), str(b), "near")
        return sorted(sorted(int(x) for x in g["members"]) for g in groups.groups())

    whole, _ = near_edges(nodes, keys, lambda at: sigs[at])
    split = [near_edges(nodes, keys, lambda at: sigs[at], part, parts)[0] for part in range(parts)]
    assert components([whole]) == components(split)
    assert len(components([whole])) > 5


def test_near_identical_records_cost_linear_comparisons() -> None:
    words = ["the", "council", "met", "on", "tuesday", "to", "discuss", "the", "budget", "and", "the",
             "new", "school", "while", "residents", "asked", "about", "roads", "water", "and", "the",
             "harbour"]
    n = 6000  # one group: every row shares the 20 shingles of one word cycle
    texts = [" ".join(words[(i * 7 + k) % len(words)] for k in range(80)) + f" story {i}." for i in range(n)]
    sigs = dedup.signatures_matrix([signature(t) for t in texts])
    edges, compared = near_edges(np.arange(n), band_keys(sigs), lambda at: sigs[at])
    groups = find_duplicates([_record(f"{i:05d}", t) for i, t in enumerate(texts)])
    assert max(len(g["members"]) for g in groups) > 0.99 * n
    assert len(edges) == sum(len(g["members"]) - 1 for g in groups)  # a spanning forest
    assert compared < 3 * n  # the record-by-record search compared ~n**2/4 pairs here
