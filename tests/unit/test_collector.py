"""A conversion holds where its records are, not the records (convert/collect.py)."""

from __future__ import annotations

import json
import random
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from newscorpus.convert import registry
from newscorpus.convert.base import Converter, Input, Outcome
from newscorpus.convert.batch import convert_paths

WORDS = [a + b for a in ("coun", "bud", "har", "sch", "res", "ro", "wa", "tue", "ma", "vo", "pla", "ri")
         for b in ("cil", "get", "bour", "ool", "ident", "ad", "ter", "sday", "yor", "te", "n", "ver")]


def _rows(path: Path, rows: int, words: int = 400) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(rows):
            text = " ".join(random.Random(i).choices(WORDS, k=words))  # no two alike
            fh.write(json.dumps({"url": f"https://example.org/news/{i}", "title": f"Story {i}",
                                 "text": f"{text} story {i}.", "language": "en",
                                 "published_at": "2024-05-01T10:00:00+00:00"}) + "\n")


def _peak(inp: Path, out: Path) -> int:
    tracemalloc.start()
    try:
        convert_paths([inp], out / "a.jsonl", out / "q.jsonl", shard_bytes=256 * 1024)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_conversions_memory_does_not_hold_its_records(tmp_path: Path) -> None:
    small, large = tmp_path / "small.jsonl", tmp_path / "large.jsonl"
    _rows(small, 200)
    _rows(large, 1200)
    _peak(small, tmp_path / "warm")  # converters, language model: loaded once
    peak_small = _peak(small, tmp_path / "s")
    peak_large = _peak(large, tmp_path / "l")
    grown = (tmp_path / "l" / "a.jsonl").stat().st_size - (tmp_path / "s" / "a.jsonl").stat().st_size
    assert grown > 2_000_000
    # the records of the extra 1,000 rows are > 2 MB as JSON (several times that as dicts)
    assert peak_large - peak_small < grown / 4, (peak_small, peak_large, grown)
    assert not list(tmp_path.glob("l/.*staging*"))  # the staged records are removed


class FailsMidway(Converter):
    """The JSONL converter's first two records, then a crash."""

    name = "fails-midway"
    extensions = (".midway",)

    def convert(self, inp: Input) -> Iterator[Outcome]:
        for n, outcome in enumerate(registry.get("jsonl")(self.options).convert(inp)):
            if n == 2:
                raise RuntimeError("kaboom")
            yield outcome


def test_a_converter_failing_midway_leaves_none_of_its_records(tmp_path: Path) -> None:
    registry.register("fails-midway", f"{__name__}:FailsMidway")
    try:
        _rows(tmp_path / "a.midway", 5, words=20)
        _rows(tmp_path / "b.jsonl", 1, words=20)
        report = convert_paths([tmp_path / "a.midway", tmp_path / "b.jsonl"], tmp_path / "o.jsonl",
                               tmp_path / "q.jsonl")
    finally:
        registry._registered.pop("fails-midway")
        registry._load.cache_clear()
    assert (report.converted, report.rejected, report.skipped) == (1, 1, 0)
    assert "converter fails-midway failed: RuntimeError: kaboom" in report.rejections[0].reason
    # b.jsonl's row is a.midway's first row (same id): it is no duplicate of a dropped record
    lines = (tmp_path / "o.jsonl").read_bytes().splitlines()
    assert [json.loads(line)["origin"]["path"] for line in lines] == ["b.jsonl"]


@pytest.mark.parametrize("per_part", [50_000, 37])
def test_groups_across_many_shards_equal_the_in_process_search(tmp_path: Path, per_part: int,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Near and exact duplicates spread over many shards (byte ranges) are grouped as
    :func:`~newscorpus.dedup.find_duplicates` groups the written records, whatever the
    number of band partitions."""
    from newscorpus.convert import shardgroups
    from newscorpus.dedup import find_duplicates

    monkeypatch.setattr(shardgroups, "NODES_PER_PART", per_part)

    rng = random.Random(5)
    base = [rng.choices(WORDS, k=120) for _ in range(40)]
    with (tmp_path / "rows.jsonl").open("w", encoding="utf-8") as fh:
        for i in range(240):
            words = list(base[i % 40])
            if i % 3 == 1:
                words[rng.randrange(len(words))] = "changed"  # a near copy
            text = " ".join(words) if i % 40 < 30 else " ".join(rng.choices(WORDS, k=120))
            fh.write(json.dumps({"url": f"https://example.org/n/{i}", "title": f"T {i % 40}", "text": text,
                                 "language": "en"}) + "\n")
    out = tmp_path / "a.jsonl"
    convert_paths([tmp_path / "rows.jsonl"], out, tmp_path / "q.jsonl", shard_bytes=8 * 1024)
    staged = json.loads(out.with_name("a.groups.json").read_text())["groups"]
    records = [json.loads(line) for line in out.read_bytes().splitlines()]
    expected = find_duplicates(records)
    assert len(staged) >= 30 and any("exact" in g["kinds"] for g in staged)
    assert any("near" in g["kinds"] for g in staged)
    assert staged == expected
