"""Issue 15: a corpus of damaged inputs generated at test time from ../shared/data.

Truncations at many offsets, flipped bytes, bad gzip members and oversize payloads of real
feeds, archives and wire files. For every case the outcome is asserted, and the number of
outcomes (``inputs``) must equal a count made here without the converters' parsers:
item start tags in the bytes, gzip members found by walking the file with zlib.
"""

from __future__ import annotations

import gzip
import random
import re
import zlib
from pathlib import Path

import pytest

from newscorpus.convert.base import ConvertOptions
from newscorpus.convert.batch import convert_paths
from newscorpus.report import ConvertReport
from tests.warc_fixtures import response

pytestmark = pytest.mark.shared_data

_ITEM = re.compile(rb"<item[\s>]")


def _run(path: Path, fmt: str, options: ConvertOptions | None = None) -> tuple[ConvertReport, list[str]]:
    out = path.parent / f"{path.name}.out"
    report = convert_paths([path], out / "a.jsonl", out / "q.jsonl", options, fmt=fmt, steps=())
    for rejection in report.rejections:  # a caught exception is a bug, never an outcome
        assert " failed: " not in rejection.reason, rejection
    return report, [r.reason for r in report.rejections]


# ------------------------------------------------------------------------------ feeds

def _big_feed(shared_data: Path, items: int = 12) -> bytes:
    """The real RSS 2.0 example with its one item repeated ``items`` times (distinct links)."""
    data = (shared_data / "feeds" / "feedparser" / "examples" / "rss20.xml").read_bytes()
    start, end = data.index(b"<item>"), data.index(b"</item>") + len(b"</item>")
    item = data[start:end]
    copies = b"\n  ".join(item.replace(b"item/1", b"item/%d" % i).replace(
        b"First item title", b"Item title %d" % i) for i in range(1, items + 1))
    return data[:start] + copies + data[end:]


def _expected_feed_outcomes(data: bytes) -> int:
    closed = data.rstrip().endswith(b"</rss>")
    return len(_ITEM.findall(data)) + (0 if closed else 1)


def test_feed_truncated_at_many_offsets(shared_data: Path, tmp_path: Path) -> None:
    data = _big_feed(shared_data)
    root = data.index(b"<rss")
    cuts = sorted({root + 10 + (len(data) - root - 20) * k // 24 for k in range(25)})
    for cut in cuts:
        path = tmp_path / f"cut{cut}.xml"
        path.write_bytes(data[:cut])
        report, reasons = _run(path, "feed")
        assert report.inputs == _expected_feed_outcomes(data[:cut]), (cut, reasons)
        assert any("truncated" in r for r in reasons), (cut, reasons)  # never a silent success
        complete = data[:cut].count(b"</item>")
        assert report.converted == complete, (cut, reasons)


def test_feed_with_flipped_bytes_accounts_for_every_item(shared_data: Path, tmp_path: Path) -> None:
    data = _big_feed(shared_data)
    rng = random.Random(15)
    body = data.index(b"<item>")
    for case in range(20):
        damaged = bytearray(data)
        for pos in rng.sample(range(body, len(data)), 3):
            damaged[pos] ^= 0xFF  # a high byte: invalid UTF-8, never a new tag
        path = tmp_path / f"flip{case}.xml"
        path.write_bytes(bytes(damaged))
        report, reasons = _run(path, "feed")
        assert report.inputs == _expected_feed_outcomes(bytes(damaged)), (case, reasons)
        # each rejection names the item it costs, or the damage to the whole feed
        assert all(r.startswith(("item ", "feed truncated", "ill-formed feed")) for r in reasons), reasons


# ------------------------------------------------------------------------------ WARC

def _members(data: bytes) -> list[tuple[int, int]]:
    """``(start, end)`` of each gzip member, walking the file with zlib."""
    out, pos = [], 0
    while pos < len(data):
        d = zlib.decompressobj(31)
        d.decompress(data[pos:])
        end = len(data) - len(d.unused_data)
        out.append((pos, end))
        pos = end
    return out


def test_warc_truncated_at_many_offsets(shared_data: Path, tmp_path: Path) -> None:
    data = (shared_data / "warc" / "warcio" / "example.warc.gz").read_bytes()
    members = _members(data)
    ends = {end for _, end in members}
    cuts = [c for c in range(12, len(data), max(1, len(data) // 30)) if c not in ends]
    for cut in cuts:
        path = tmp_path / f"cut{cut}.warc.gz"
        path.write_bytes(data[:cut])
        report, reasons = _run(path, "warc")
        complete = sum(1 for _, end in members if end <= cut)
        assert report.inputs == complete + 1, (cut, reasons)
        assert any("cut short" in r or "truncated" in r for r in reasons), (cut, reasons)


@pytest.mark.slow
def test_warc_resumes_after_a_bad_gzip_member(shared_data: Path, tmp_path: Path) -> None:
    data = (shared_data / "warc" / "resiliparse" / "warcfile.warc.gz").read_bytes()
    members = _members(data)
    intact, _ = _run(_write(tmp_path / "intact.warc.gz", data), "warc")
    assert intact.inputs == len(members)
    for k in (0, 7, len(members) // 2, len(members) - 1):
        start, end = members[k]
        damaged = bytearray(data)
        for pos in range(start + 30, min(end - 9, start + 40)):
            damaged[pos] ^= 0x5A
        report, reasons = _run(_write(tmp_path / f"bad{k}.warc.gz", bytes(damaged)), "warc")
        assert report.inputs == len(members), (k, reasons)
        assert report.rejected <= intact.rejected + 1, (k, reasons)
        assert any(r.startswith(f"corrupt gzip member at byte {start}") for r in reasons), (k, reasons)
        assert report.converted >= intact.converted - 1, (k, reasons)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _warc_response(uri: str, html: bytes, encoding: str) -> bytes:
    """A WARC response of ``html`` gzipped, its Content-Encoding header saying ``encoding``."""
    return response(uri, gzip.compress(html, mtime=0), b"Content-Encoding: " + encoding.encode() + b"\r\n")


def test_oversize_decoded_payload_is_a_rejection_not_a_cut(shared_data: Path, tmp_path: Path) -> None:
    page = gzip.decompress(min((shared_data / "html-extraction-dev" / "html").glob("*.html.gz")).read_bytes())
    limit = 256 * 1024
    html = page + b" " * (limit * 4)  # small on the wire, over the limit once decoded
    path = _write(tmp_path / "bomb.warc", _warc_response("https://example.org/bomb", html, "gzip"))
    assert path.stat().st_size < limit
    report, reasons = _run(path, "warc", ConvertOptions(max_bytes=limit))
    assert (report.inputs, report.converted, report.rejected) == (1, 0, 1)
    assert f"over the {limit}-byte limit" in reasons[0]


# ------------------------------------------------------------------- NewsML and JSON

def test_truncated_news_message_keeps_complete_items(shared_data: Path, tmp_path: Path) -> None:
    name = "LISTING_24_News_Message_conveying_a_complete_News_Package.xml"
    data = (shared_data / "newsml" / "iptc-newsml-g2-examples" / name).read_bytes()
    item = re.compile(rb"<(?:newsItem|packageItem|conceptItem|knowledgeItem|planningItem|catalogItem)[\s/>]")
    for k in range(1, 16):
        cut = len(data) * k // 16
        report, reasons = _run(_write(tmp_path / f"cut{k}.xml", data[:cut]), "newsml")
        assert report.inputs == 1 + len(item.findall(data[:cut])), (cut, reasons)
        # the message is read item by item: its rejection comes where the damage is found
        assert sum(r.startswith("not well-formed XML") for r in reasons) == 1, (cut, reasons)


@pytest.mark.parametrize(("folder", "name", "fmt"), [
    ("feeds/gofeed-jsonfeed", "json11_feed.json", "feed"),
    ("feeds/gofeed-jsonfeed", "json10_feed.json", "feed"),
])
def test_truncated_documents_are_one_rejection(shared_data: Path, tmp_path: Path, folder: str,
                                               name: str, fmt: str) -> None:
    data = (shared_data / folder / name).read_bytes()
    for k in range(1, 16):
        cut = len(data) * k // 16
        path = _write(tmp_path / f"cut{k}{Path(name).suffix}", data[:cut])
        report, reasons = _run(path, fmt)
        assert (report.inputs, report.converted, report.rejected) == (1, 0, 1), (cut, reasons)
