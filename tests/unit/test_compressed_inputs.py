"""Gzip-compressed inputs (``.jsonl.gz``, ``.csv.gz``, ``.json.gz``) decoded as a stream,
within the decompression ratio limit (convert/compressed.py, decompress.GzipStream)."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import random
import tracemalloc
from pathlib import Path

import orjson
import pytest

from newscorpus.convert.base import ConvertOptions
from newscorpus.convert.batch import convert_paths
from newscorpus.convert.decompress import DecodeError, GzipStream

WORDS = [a + b for a in ("coun", "bud", "har", "sch", "res", "ro", "wa", "tue", "ma", "vo", "pla", "ri")
         for b in ("cil", "get", "bour", "ool", "ident", "ad", "ter", "sday", "yor", "te", "n", "ver")]


def _row(i: int, words: int = 60) -> dict[str, str]:
    text = " ".join(random.Random(i).choices(WORDS, k=words))
    return {"url": f"https://example.org/news/{i}", "title": f"Story {i}", "text": f"{text} story {i}.",
            "published_at": "2024-05-01T10:00:00+00:00", "language": "en"}


def _records(path: Path) -> list[dict[str, object]]:
    out = []
    for line in path.read_bytes().splitlines():
        record = orjson.loads(line)
        record["origin"] = {k: v for k, v in record["origin"].items() if k not in ("path", "sha256")}
        out.append(record)
    return out


def _convert(tmp_path: Path, inp: Path, options: ConvertOptions | None = None):  # type: ignore[no-untyped-def]
    out = tmp_path / f"out-{inp.name}"
    return convert_paths([inp], out / "a.jsonl", out / "q.jsonl", options), out / "a.jsonl"


def test_a_gzip_stream_reads_every_member_past_nul_padding() -> None:
    data = gzip.compress(b"one\n") + b"\x00" * 10 + gzip.compress(b"two\n") + gzip.compress(b"")
    raw = io.BytesIO(data)
    assert io.BufferedReader(GzipStream(raw, len(data))).read() == b"one\ntwo\n"
    with pytest.raises(DecodeError, match="cut short"):
        io.BufferedReader(GzipStream(io.BytesIO(data[:-30]), len(data))).read()


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".json"])
def test_a_gzipped_export_gives_the_records_of_the_plain_file(tmp_path: Path, suffix: str) -> None:
    rows = [_row(i) for i in range(5)]
    plain = tmp_path / f"export{suffix}"
    if suffix == ".jsonl":
        plain.write_text("".join(json.dumps(r) + "\n" for r in rows))
    elif suffix == ".json":
        plain.write_text(json.dumps(rows))
    else:
        keys = list(rows[0])
        plain.write_text(",".join(keys) + "\n" + "".join(",".join(f'"{r[k]}"' for k in keys) + "\n"
                                                         for r in rows))
    packed = tmp_path / f"packed{suffix}.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    plain_report, plain_out = _convert(tmp_path, plain)
    report, out = _convert(tmp_path, packed)
    assert report.converted == plain_report.converted == 5, [r.reason for r in report.rejections]
    assert _records(out) == _records(plain_out)
    origin = orjson.loads(out.read_bytes().splitlines()[0])["origin"]
    assert origin["path"] == packed.name
    assert origin["sha256"] == hashlib.sha256(packed.read_bytes()).hexdigest()


def _packed(path: Path, rows: int) -> int:
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for i in range(rows):
            fh.write(json.dumps(_row(i, words=12_000)) + "\n")  # ~80 KB a line
    return sum(len(line) for line in gzip.open(path))


def _peak(tmp_path: Path, inp: Path) -> int:
    tracemalloc.start()
    try:
        report, _ = _convert(tmp_path, inp, ConvertOptions(max_bytes=1 << 20))  # a line's limit
        assert report.rejected == 0, [r.reason for r in report.rejections]
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_a_large_jsonl_gz_is_read_as_a_stream(tmp_path: Path) -> None:
    small, large = tmp_path / "small.jsonl.gz", tmp_path / "large.jsonl.gz"
    decoded = _packed(large, 120) - _packed(small, 10)
    assert decoded > 8_000_000 and decoded > 2 * large.stat().st_size  # 9.6 MB, over max_bytes
    _peak(tmp_path / "warm", small)  # converters, language model: loaded once
    grown = _peak(tmp_path / "large", large) - _peak(tmp_path / "small", small)
    assert grown < decoded / 4, (grown, decoded)  # per-line work, not the file


def test_a_gzip_bomb_is_one_rejection_naming_the_ratio_limit(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.jsonl.gz"
    line = json.dumps({"url": "https://example.org/x", "title": "X", "text": "a " * 3_000_000}) + "\n"
    bomb.write_bytes(gzip.compress((json.dumps(_row(1)) + "\n" + line).encode(), 9))
    assert len(line) > 100 * bomb.stat().st_size
    report, out = _convert(tmp_path, bomb, ConvertOptions(max_bytes=50 << 20))
    assert (report.converted, report.rejected, report.skipped) == (0, 1, 0)
    reason = report.rejections[0].reason
    assert report.rejections[0].path == "bomb.jsonl.gz"
    assert "over 100 times its" in reason and "--max-ratio" in reason, reason
    assert out.read_bytes() == b""
    report, _ = _convert(tmp_path / "raised", bomb, ConvertOptions(max_bytes=50 << 20, max_ratio=10_000))
    assert (report.converted, report.rejected) == (2, 0)


def test_a_cut_short_gzip_is_one_rejection(tmp_path: Path) -> None:
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(gzip.compress("".join(json.dumps(_row(i)) + "\n" for i in range(50)).encode())[:-200])
    report, _ = _convert(tmp_path, cut)
    assert (report.converted, report.rejected) == (0, 1)
    assert report.rejections[0].reason == "gzip file: encoded data is cut short"


def test_a_forced_format_on_a_gzip_jsonl_over_the_shard_size_is_never_cut_into_ranges(tmp_path: Path) -> None:
    """Byte ranges of a gzip file are ranges of its compressed bytes: a forced ``jsonl`` must not
    plan them (it gave 0 converted and a rejection per garbage line)."""
    packed = tmp_path / "export.jsonl.gz"
    with gzip.open(packed, "wt", encoding="utf-8") as fh:
        for i in range(300):
            fh.write(json.dumps(_row(i)) + "\n")
    shard = packed.stat().st_size // 5
    out = tmp_path / "out"
    report = convert_paths([packed], out / "a.jsonl", out / "q.jsonl", fmt="jsonl", shard_bytes=shard)
    assert (report.converted, report.rejected) == (300, 0), [r.reason for r in report.rejections[:3]]
