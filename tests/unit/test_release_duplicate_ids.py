"""Duplicate article ids: found across files and within one, reported once each in the order
of their first occurrence, and never invented by a collision of the 64-bit id hashes the
check keeps (a repeated hash is confirmed on the ids themselves)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import orjson
import pyarrow as pa
import pytest

from newscorpus.errors import InvalidRecordsError
from newscorpus.release import writer
from newscorpus.validation import BatchChecker, ReleaseInputs, check_workspace
from newscorpus.workspace import Workspace
from tests.unit.test_release import make_workspace


def _records(ws: Workspace) -> list[dict]:
    return [orjson.loads(line) for line in (ws.articles_dir / "articles.jsonl").read_bytes().splitlines()]


def _write(path: Path, records: list[dict]) -> None:
    path.write_bytes(b"".join(orjson.dumps(r, option=orjson.OPT_SORT_KEYS) + b"\n" for r in records))


def _duplicated_workspace(tmp_path: Path) -> tuple[Workspace, list[str]]:
    ws = make_workspace(tmp_path / "ws", n=6, varied=True)
    records = _records(ws)
    # file a: 0..3 plus a second copy of 2; file b: 4, 5 and a copy of 0 (a, then b)
    _write(ws.articles_dir / "articles.jsonl", [*records[:4], records[2]])
    _write(ws.articles_dir / "more.jsonl", [*records[4:], records[0]])
    return Workspace.open(ws.root), [records[0]["id"], records[2]["id"]]


def test_duplicate_ids_across_and_within_files(tmp_path: Path) -> None:
    ws, dupes = _duplicated_workspace(tmp_path)
    report = check_workspace(ws, use_cache=False)
    got = [(p.record_id, p.pointer, p.rule) for p in report.problems if p.rule == "duplicate"]
    assert got == [(i, "/id", "duplicate") for i in dupes]  # first occurrence order: 0 then 2
    with pytest.raises(InvalidRecordsError, match="duplicate article id"):
        writer.build_release(ws, "0.1.0", "2026-11-26", tmp_path / "out")


def test_hash_collision_is_not_a_duplicate(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws", n=4, varied=True)
    inputs = ReleaseInputs(files=ws.article_files(), annotations=[], gold={})
    checker = BatchChecker(inputs)
    ids = [r["id"] for r in _records(ws)]
    checker.check(pa.record_batch({"id": pa.array(ids, pa.string())}))
    assert checker.id_hashes and len(checker.id_hashes[0]) == len(ids)
    checker.id_hashes = [np.full(len(ids), 7, np.int64)]  # every distinct id on one hash
    assert checker.finish().problems == []
