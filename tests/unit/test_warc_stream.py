"""Issue 9: archives read record by record from a stream, and bounded decompression.

Archives are written here (by hand, or with warcio's writer); memory is measured with
tracemalloc around the real converter reading a real file.
"""

from __future__ import annotations

import gzip
import tracemalloc
import zlib
from pathlib import Path

import brotli
import pytest

from newscorpus.convert.base import ConvertOptions, Input
from newscorpus.convert.batch import convert_paths
from newscorpus.convert.decompress import DecodeError, DecodeLimitError, decode
from newscorpus.convert.warc import WarcConverter
from newscorpus.records import Article
from newscorpus.report import Rejection, Skip
from tests.warc_fixtures import response

MiB = 1 << 20
WORDS = ["harbour", "bridge", "council", "repairs", "winter", "engineers", "crossing", "statement",
         "traffic", "ferry", "mayor", "budget", "river", "tunnel", "workers", "safety", "inspection"]


def page(i: int) -> bytes:
    body = " ".join(WORDS[(i * 7 + k) % len(WORDS)] for k in range(400))
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Story {i} of the "
            f"harbour</title></head><body><article><h1>Story {i} of the harbour</h1><p>{body}.</p>"
            f"<p>Report number {i}: {body}.</p></article></body></html>").encode()


def test_an_archive_over_max_bytes_is_read_record_by_record(tmp_path: Path) -> None:
    limit = 16 * 1024
    records = [response(f"https://news.example/{i}", page(i)) for i in range(12)]
    path = tmp_path / "crawl.warc"
    path.write_bytes(b"".join(records))
    assert path.stat().st_size > limit  # the archive is over the limit, each record under it
    report = convert_paths([path], tmp_path / "a.jsonl", tmp_path / "q.jsonl",
                           ConvertOptions(max_bytes=limit), steps=())
    assert (report.inputs, report.converted, report.rejected) == (12, 12, 0), report.rejections


def test_a_record_over_max_bytes_is_rejected_alone(tmp_path: Path) -> None:
    limit = 64 * 1024
    big = response("https://news.example/big", page(1) + b" " * limit)
    data = response("https://news.example/a", page(2)) + big + response("https://news.example/b", page(3))
    outcomes = list(WarcConverter(ConvertOptions(max_bytes=limit)).convert(
        Input(Path("c.warc"), "c.warc", data)))
    assert [type(o).__name__ for o in outcomes] == ["Article", "Rejection", "Article"]
    rejection = outcomes[1]
    assert isinstance(rejection, Rejection) and rejection.offset == data.index(big)
    assert f"over the {limit}-byte limit for one record" in rejection.reason
    assert "https://news.example/big" in rejection.reason


@pytest.mark.parametrize("gz", [False, True])
def test_memory_does_not_grow_with_the_archive(tmp_path: Path, gz: bool) -> None:
    """A 48 MiB archive of 1 MiB records is read with a few MiB of Python memory."""
    path = tmp_path / ("big.warc.gz" if gz else "big.warc")
    chunk = bytes(range(256)) * 4096
    with path.open("wb") as fh:
        for i in range(48):
            record = response(f"https://news.example/img{i}.png", chunk, ctype=b"image/png")
            fh.write(gzip.compress(record, 1, mtime=0) if gz else record)
    tracemalloc.start()
    try:
        outcomes = list(WarcConverter().convert(Input(path, path.name)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(outcomes) == 48 and all(isinstance(o, Skip) for o in outcomes), outcomes[:2]
    assert "content type image/png" in outcomes[-1].reason
    assert peak < 8 * MiB, peak


def test_reading_resumes_at_the_next_header_of_a_plain_warc() -> None:
    good = [response(f"https://news.example/{i}", page(i)) for i in range(3)]
    data = good[0] + b"GARBAGE that is not a WARC record\r\n" * 3 + good[1] + good[2]
    outcomes = list(WarcConverter().convert(Input(Path("c.warc"), "c.warc", data)))
    assert [type(o).__name__ for o in outcomes] == ["Article", "Rejection", "Article", "Article"]
    assert outcomes[1].offset == len(good[0])
    assert f"reading resumed at byte {data.index(good[1])}" in outcomes[1].reason


# --- bounded decompression -----------------------------------------------------------------

def _encoders() -> dict[str, object]:
    import lz4.frame
    import zstandard

    return {"gzip": lambda b: gzip.compress(b, mtime=0), "br": brotli.compress,
            "deflate": lambda b: zlib.compress(b)[2:-4],  # raw deflate, as servers send it
            "zstd": zstandard.ZstdCompressor().compress, "lz4": lz4.frame.compress}


@pytest.mark.parametrize("codec", ["gzip", "br", "deflate", "zstd", "lz4"])
def test_each_codec_decodes_and_stops_at_the_caps(codec: str) -> None:
    encode = _encoders()[codec]
    html = page(5) * 20
    assert decode(encode(html), codec, 10 * MiB) == html  # type: ignore[operator]
    with pytest.raises(DecodeLimitError, match="over the 4096-byte limit"):
        decode(encode(html), codec, 4096)  # type: ignore[operator]
    bomb = encode(b"\0" * (8 * MiB))  # type: ignore[operator]
    with pytest.raises(DecodeLimitError, match="decompression ratio limit"):
        decode(bomb, codec, 64 * MiB, ratio=100)
    with pytest.raises(DecodeError):
        decode(b"\x13\x37 certainly not " + codec.encode(), codec, MiB)


def test_a_brotli_payload_of_1_gib_stops_at_the_cap_in_little_memory() -> None:
    compressor = brotli.Compressor(quality=1)
    zeros = b"\0" * MiB
    bomb = b"".join([compressor.process(zeros) for _ in range(1024)] + [compressor.finish()])
    tracemalloc.start()
    try:
        with pytest.raises(DecodeLimitError, match="ratio limit") as info:
            decode(bomb, "br", 2**31, ratio=100)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100 * len(bomb) + 8 * MiB, peak  # about the cap, never the 1 GiB
    assert f"{len(bomb)} encoded bytes" in str(info.value)


@pytest.mark.parametrize("codec", ["br", "zstd", "lz4"])
def test_content_encoded_warc_payloads(codec: str) -> None:
    html = page(9)
    body = _encoders()[codec](html)  # type: ignore[operator]
    data = response("https://news.example/enc", body, b"Content-Encoding: " + codec.encode() + b"\r\n")
    [article] = WarcConverter().convert(Input(Path("c.warc"), "c.warc", data))
    assert isinstance(article, Article) and article.title == "Story 9 of the harbour"


def test_a_content_encoding_bomb_names_the_record_and_the_limit() -> None:
    bomb = brotli.compress(page(1) + b" " * (16 * MiB), quality=5)
    data = response("https://news.example/bomb", bomb, b"Content-Encoding: br\r\n")
    [rejection] = WarcConverter().convert(Input(Path("c.warc"), "c.warc", data))
    assert isinstance(rejection, Rejection) and rejection.offset == 0
    assert "record at byte 0 (https://news.example/bomb)" in rejection.reason
    assert "decompression ratio limit" in rejection.reason and "--max-ratio" in rejection.reason


def test_the_default_accepts_a_cc_news_sized_archive() -> None:
    """``--max-bytes`` limits a record: the default is far below an archive, far above a page."""
    limit = ConvertOptions().max_bytes
    assert WarcConverter.streams and WarcConverter(ConvertOptions()).oversize(
        _SizedInput(Path("CC-NEWS-20240101.warc.gz"), "CC-NEWS.warc.gz")) is None
    assert limit >= 10 * MiB


class _SizedInput(Input):
    """An input that says it is 1 GiB (the size of a CC-NEWS archive) without being one."""

    @property
    def size(self) -> int:
        return 2**30



def test_an_archive_over_max_bytes_is_kept_when_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    path.write_bytes(b"".join(response(f"https://news.example/{i}", page(i)) for i in range(4)))
    options = ConvertOptions(max_bytes=16 * 1024)
    assert path.stat().st_size > options.max_bytes
    out, quarantine = tmp_path / "a.jsonl", tmp_path / "q.jsonl"
    first = convert_paths([path], out, quarantine, options, steps=())
    again = convert_paths([path], out, quarantine, options, steps=(), resume=True)
    assert (first.converted, again.converted, again.skipped) == (4, 0, 1)
    assert "unchanged since the last conversion (4 record(s) kept)" in again.skips[0].reason
