"""The local engine's batches (largest shards first), and what a shard leaves behind when
it fails or is kept by ``--resume``."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newscorpus.convert.batch import convert_paths
from newscorpus.convert.collect import stage_shard
from newscorpus.convert.compressed import GzipInput
from newscorpus.convert.engine import LocalEngine, batches, tasks_per_batch
from newscorpus.errors import NewscorpusError


class _Shard:
    def __init__(self, n: int, cost: int) -> None:
        self.n, self.cost, self.key = n, cost, f"k{n}"


def _square(shard: _Shard) -> list[Any]:
    return [shard.n * shard.n]


def test_batches_send_big_shards_first_and_alone() -> None:
    shards = [_Shard(n, cost) for n, cost in enumerate([10] * 60 + [5000, 9000] + [10] * 40)]
    plan = batches(shards, 2)
    assert plan[0] == [61] and plan[1] == [60]  # the biggest first, each alone
    assert sorted(i for b in plan for i in b) == list(range(len(shards)))
    assert all(b == sorted(b) for b in plan)  # a batch is in task order
    assert max(len(b) for b in plan) == tasks_per_batch(len(shards), 2)


def test_batches_without_costs_keep_task_order() -> None:
    plan = batches([_Shard(n, 0) for n in range(40)], 2)
    assert [i for b in plan for i in b] == list(range(40))


def test_the_local_engine_gives_outcomes_in_task_order(tmp_path: Path) -> None:
    shards = [_Shard(n, cost) for n, cost in enumerate([1, 50, 3, 900, 2, 2, 70, 1] * 5)]
    engine = LocalEngine(jobs=2)
    assert list(engine.map(_square, shards, tmp_path)) == [[s.n * s.n] for s in shards]


def test_a_gzip_input_closes_its_file_when_stat_fails(tmp_path: Path) -> None:
    opened: list[Any] = []

    class Vanishing(type(Path())):  # type: ignore[misc]
        def open(self, *args: Any, **kwargs: Any) -> Any:
            fh = super().open(*args, **kwargs)
            opened.append(fh)
            return fh

        def stat(self, **kwargs: Any) -> Any:
            raise OSError("gone")

    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(b"{}\n"))
    with pytest.raises(OSError, match="gone"):
        GzipInput(Vanishing(tmp_path / "a.jsonl.gz"), "a.jsonl.gz", 100).open()
    assert len(opened) == 1 and opened[0].closed


def test_a_shard_failing_midway_leaves_no_scratch_files(tmp_path: Path) -> None:
    from newscorpus.dedup import signature

    def outcomes() -> Iterator[Any]:
        yield {"id": "a", "text": "one two three four five six", "text_sha256": "0" * 64}, \
            signature("one two three four five six")
        raise NewscorpusError("a.warc: the disk went away")

    with pytest.raises(NewscorpusError):
        stage_shard(outcomes(), tmp_path / "staging", "key")
    assert [p.name for p in (tmp_path / "staging").iterdir()] == []


def test_resume_keeps_the_rejections_of_an_unchanged_input(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    rows = [{"url": f"https://example.org/news/{i}", "title": f"Story {i}",
             "text": f"Story {i} has words enough to be an article body, number {i}.",
             "published_at": "2024-05-01T10:00:00+00:00", "language": "en"} for i in range(2)]
    (raw / "a.jsonl").write_text(json.dumps(rows[0]) + "\n{not json\n" + json.dumps(rows[1]) + "\n")
    (raw / "b.jsonl").write_text("{not json either\n" + json.dumps(rows[1] | {"url": "https://example.org/b"})
                                 + "\n")
    (raw / "c.txt").write_bytes(b"")
    out, q = tmp_path / "out" / "a.jsonl", tmp_path / "out" / "q.jsonl"
    first = convert_paths([raw], out, q)
    assert first.rejected == 3
    before = q.read_bytes()
    again = convert_paths([raw], out, q, resume=True)
    assert again.converted == 0 and again.rejected == 3
    assert q.read_bytes() == before  # the kept inputs' rejected lines, in input order
