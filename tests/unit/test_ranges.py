"""Shards finer than a file: a JSONL input converted in byte ranges gives the bytes of the
file converted whole (articles, groups, quarantine, counts)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newscorpus.convert.batch import convert_paths
from newscorpus.convert.ranges import plan_spans

BODY = " ".join(f"word{k}" for k in range(60))


def _jsonl(path: Path, rows: int = 300) -> Path:
    lines = []
    for i in range(rows):
        row = {"url": f"https://example.org/{i % 290}", "title": f"Story {i}",  # 10 repeated ids
               "text": f"{BODY} {i % 7}" if i % 3 else f"Other text {i} " + BODY[i % 50:]}
        line = json.dumps(row)
        if i % 37 == 5:
            line = line[:-5]  # cut short: not valid JSON
        elif i % 41 == 7:
            line = "[1, 2]"  # not an object
        elif i % 43 == 9:
            line = json.dumps({"title": f"No text {i}"})  # no body: rejected
        elif i % 47 == 11:
            line = ""  # blank line
        elif i % 53 == 13:
            line = "\ufeff" + line  # a byte-order mark inside the file: not valid JSON
        lines.append(line)
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def _convert(src: Path, out: Path, **kw: object) -> tuple[bytes, bytes, bytes, str]:
    report = convert_paths([src], out / "a.jsonl", out / "q.jsonl", **kw)  # type: ignore[arg-type]
    assert report.inputs == report.converted + report.rejected + report.skipped
    return ((out / "a.jsonl").read_bytes(), (out / "a.groups.json").read_bytes(),
            (out / "q.jsonl").read_bytes(), report.summary())


def test_spans_cover_the_file_at_line_starts(tmp_path: Path) -> None:
    src = _jsonl(tmp_path / "big.jsonl")
    data = src.read_bytes()
    spans = plan_spans(src, 3000)
    assert len(spans) > 10 and spans[0].start == 0 and spans[-1].end == len(data) and spans[-1].last
    for a, b in zip(spans, spans[1:], strict=False):
        assert a.end == b.start and data[b.start - 1:b.start] == b"\n"
        assert not data[b.start:].startswith(b"\xef\xbb\xbf")
        assert b.first_line == data.count(b"\n", 0, b.start) + 1
    assert len({s.sha256 for s in spans}) == 1 and plan_spans(src)[0].end == len(data)


@pytest.mark.parametrize(("shard_bytes", "jobs"), [(3000, 1), (1024, 2), (1, 1)])
def test_byte_ranges_give_the_bytes_of_the_whole_file(tmp_path: Path, shard_bytes: int, jobs: int) -> None:
    src = _jsonl(tmp_path / "big.jsonl")
    whole = _convert(src, tmp_path / "whole")
    assert b"not an object" in whole[2] and b"near" in whole[1] and "skipped 0" not in whole[3]
    assert _convert(src, tmp_path / "ranges", shard_bytes=shard_bytes, jobs=jobs) == whole


def test_a_file_over_max_bytes_streams_and_ranges_agree(tmp_path: Path) -> None:
    """--max-bytes limits one record, not a streamed JSONL file: the file over it converts
    line by line, and its byte ranges give the same bytes."""
    from newscorpus.convert.base import ConvertOptions

    src = _jsonl(tmp_path / "big.jsonl")
    options = ConvertOptions(max_bytes=src.stat().st_size - 1)
    whole = _convert(src, tmp_path / "whole", options=options)
    assert whole == _convert(src, tmp_path / "plain")
    assert _convert(src, tmp_path / "ranges", options=options, shard_bytes=2000) == whole


def test_a_blank_file_over_the_shard_size_is_one_empty_file_rejection(tmp_path: Path) -> None:
    src = tmp_path / "blank.jsonl"
    src.write_bytes(b"\n" * 5000)
    out = _convert(src, tmp_path / "ranges", shard_bytes=1000)
    assert out[3] == "inputs 1 = converted 0 + rejected 1 + skipped 0"
