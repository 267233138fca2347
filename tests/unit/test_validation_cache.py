"""The validation cache is an optimisation only: it can never change a verdict.

``convert`` and validation record each valid file (keyed by the file's SHA-256); a file edited
afterwards, behind the cache's back (same size, same modification time), must still be
validated and rejected by the next release build."""

from __future__ import annotations

import json
import os
from pathlib import Path

import orjson
import pytest

from newscorpus import validation as inputs
from newscorpus.checksums import file_sha256
from newscorpus.errors import InvalidRecordsError
from newscorpus.release import writer

from .test_release import make_workspace


def test_a_cached_file_edited_behind_the_cache_is_still_caught(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    path = ws.articles_dir / "articles.jsonl"
    assert inputs.validate_article_files(ws, ws.article_files(), use_cache=True).valid
    cache = json.loads((ws.root / inputs.CACHE_FILE).read_text())
    assert cache["valid"].get(file_sha256(path)), "validation did not fill the cache"

    stat = path.stat()
    lines = path.read_bytes().splitlines()
    record = orjson.loads(lines[0])
    text = record["text"]
    i = len(text) - 2
    record["text"] = text[:i] + ("x" if text[i] != "x" else "y") + text[i + 1:]  # same length
    lines[0] = orjson.dumps(record, option=orjson.OPT_SORT_KEYS)
    path.write_bytes(b"\n".join(lines) + b"\n")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns

    with pytest.raises(InvalidRecordsError) as info:
        writer.build_release(ws, "0.1.0", "2026-11-26")
    problems = info.value.report.problems  # type: ignore[attr-defined]
    assert [(p.record_id, p.pointer) for p in problems] == [(record["id"], "/text_sha256")]
    assert not (ws.releases_dir / "0.1.0").exists()
