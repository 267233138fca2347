"""Atomic writes: the old file survives a failed write, and no temporary file is left."""

from __future__ import annotations

from pathlib import Path

import pytest

from newscorpus.atomic import atomic_write, write_text
from newscorpus.records import write_jsonl


def test_a_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    write_text(path, "old\n")
    with pytest.raises(RuntimeError), atomic_write(path) as fh:
        fh.write(b"half")
        raise RuntimeError("crash")
    assert path.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.jsonl"]


def test_write_jsonl_replaces_and_creates_parents(tmp_path: Path) -> None:
    path = tmp_path / "new" / "b.jsonl"
    assert write_jsonl(path, [{"b": 1, "a": 2}]) == 1
    assert path.read_bytes() == b'{"a":2,"b":1}\n'

    def bad() -> object:
        yield {"a": 1}
        raise ValueError("bad record")

    with pytest.raises(ValueError):
        write_jsonl(path, bad())  # type: ignore[arg-type]
    assert path.read_bytes() == b'{"a":2,"b":1}\n'
