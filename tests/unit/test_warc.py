"""WARC/ARC converter on archives written here (warcio's writer, or by hand)."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders

from newscorpus.convert.base import Input
from newscorpus.convert.registry import detect
from newscorpus.convert.warc import WarcConverter, dechunk, digest_problem, parse_http_response
from newscorpus.records import Article
from newscorpus.report import Rejection, Skip
from newscorpus.schema import DEFAULT_STORE
from tests.warc_fixtures import archive, http

BODY = " ".join(["The harbour bridge reopened on Monday after three months of repairs,"
                 " the city council said in a statement."] * 6)


def page(title: str, charset_meta: str = '<meta charset="utf-8">') -> str:
    return (f"<!doctype html><html lang='en'><head>{charset_meta}<title>{title}</title>"
            f"<meta property='article:published_time' content='2026-11-03T09:15:00+01:00'>"
            f"</head><body><article><h1>{title}</h1><p>{BODY}</p><p>{BODY}</p>"
            f"<p>Engineers said the crossing is safe for the winter, café owners agreed.</p>"
            f"</article></body></html>")


def run(data: bytes, name: str = "crawl.warc") -> list[object]:
    return list(WarcConverter().convert(Input(Path(name), name, data)))


SAMPLE = [
    ("request", "https://news.example/bridge", b"", StatusAndHeaders(
        "GET /bridge HTTP/1.1", [("Host", "news.example")], is_http_request=True)),
    ("response", "https://news.example/bridge?utm_source=x", page("Bridge reopens").encode(), http()),
    ("response", "https://news.example/missing", b"<html>gone</html>", http("404 Not Found")),
    ("response", "https://news.example/logo.png", b"\x89PNG\r\n\x1a\n", http(ctype="image/png")),
]


@pytest.mark.parametrize("gz", [False, True])
def test_records_become_articles_or_skips(gz: bool) -> None:
    data = archive(SAMPLE, gz)
    outcomes = run(data, "crawl.warc.gz" if gz else "crawl.warc")
    assert len(outcomes) == 5  # warcinfo + 4 records: the counts add up
    articles = [o for o in outcomes if isinstance(o, Article)]
    assert len(articles) == 1
    article = articles[0]
    assert article.title == "Bridge reopens"
    assert article.url == "https://news.example/bridge"
    assert article.published_at == "2026-11-03T09:15:00+01:00"
    assert article.origin["format"] == "warc"
    assert article.origin["path"] == "crawl.warc" + (".gz" if gz else "")
    assert data[article.origin["offset"]:].startswith(b"\x1f\x8b" if gz else b"WARC/1.0")
    assert "WARC-Record-ID <urn:uuid:" in article.provenance["origin"]["rule"]
    assert DEFAULT_STORE.problems(article.to_dict()) == []
    reasons = [o.reason for o in outcomes if isinstance(o, Skip)]
    assert any("warcinfo record" in r for r in reasons)
    assert any("request record" in r for r in reasons)
    assert any("HTTP 404, not 200" in r for r in reasons)
    assert any("content type image/png, not HTML" in r for r in reasons)
    assert all(r.startswith("record at byte ") for r in reasons)


def test_html_resource_record_converts() -> None:
    data = archive([("resource", "https://news.example/r", page("Resource page").encode(), None)])
    assert [type(o).__name__ for o in run(data)] == ["Skip", "Article"]


def test_digest_mismatch_is_a_rejection_with_offset() -> None:
    data = archive(SAMPLE[1:2])
    start = data.index(b"WARC-Payload-Digest: ") + len("WARC-Payload-Digest: ")
    end = data.index(b"\r\n", start)
    broken = data[:start] + b"sha1:" + b"A" * (end - start - 5) + data[end:]
    outcomes = run(broken)
    [rejection] = [o for o in outcomes if isinstance(o, Rejection)]
    offset = data.index(b"WARC/1.0\r\nWARC-Type: response")
    assert rejection.offset == offset
    assert f"record at byte {offset}" in rejection.reason
    assert "payload digest mismatch" in rejection.reason


def test_digest_encodings() -> None:
    import base64
    import hashlib

    raw = hashlib.sha1(b"abc").digest()
    for value in (base64.b32encode(raw).decode(), raw.hex(), base64.b64encode(raw).decode()):
        assert digest_problem(f"sha1:{value}", (b"abc",)) is None
        assert digest_problem(f"sha1:{value}", (b"abd",)) is not None
    assert digest_problem("crc32:1234", (b"abc",)) is None  # unknown algorithm: not checked


@pytest.mark.parametrize("gz", [False, True])
def test_truncated_archive_yields_records_then_one_rejection(gz: bool) -> None:
    second = ("response", "https://news.example/two", page("Second story").encode(), http())
    data = archive([*SAMPLE, second], gz)
    last = data.rindex(b"\x1f\x8b") if gz else data.rindex(b"WARC/1.0")
    outcomes = run(data[: last + 300])
    assert len(outcomes) == 6
    assert sum(isinstance(o, Article) for o in outcomes) == 1
    tail = outcomes[-1]
    assert isinstance(tail, Rejection) and tail.offset == last
    assert "truncated" in tail.reason or "corrupt" in tail.reason
    assert not any(isinstance(o, Rejection) for o in outcomes[:-1])


def test_garbage_after_last_record_names_its_offset() -> None:
    data = archive(SAMPLE[1:2])
    outcomes = run(data + b"this is not a WARC record\r\n")
    tail = outcomes[-1]
    assert isinstance(tail, Rejection) and tail.offset == len(data)


def test_chunked_gzip_payload_and_header_charset() -> None:
    html = page("Café reopens", charset_meta="").encode("cp1252")
    body = gzip.compress(html)
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 100]), body[i:i + 100])
                       for i in range(0, len(body), 100)) + b"0\r\n\r\n"
    headers = http(ctype="text/html; charset=windows-1252",
                   extra=[("Transfer-Encoding", "chunked"), ("Content-Encoding", "gzip")])
    [_, article] = run(archive([("response", "https://news.example/cafe", chunked, headers)]))
    assert isinstance(article, Article)
    assert article.title == "Café reopens" and "café owners" in article.text


def test_lz4_archive() -> None:
    from fastwarc.stream_io import Lz4Writer

    out = io.BytesIO()
    writer = Lz4Writer(out)
    writer.write(archive(SAMPLE[1:2]))
    writer.close()
    data = out.getvalue()
    assert data[:4] == b"\x04\x22\x4d\x18"
    outcomes = run(data, "crawl.warc.lz4")
    assert [type(o).__name__ for o in outcomes] == ["Skip", "Article"]


def test_arc_file() -> None:
    html = page("Old story").encode()
    http_block = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + html
    filedesc = b"1 0 Tests\nURL IP-address Archive-date Content-type Archive-length\n"
    head = b"filedesc://test.arc 0.0.0.0 20260101000000 text/plain %d\n" % len(filedesc)
    rec = (b"http://news.example/old 192.0.2.1 20260101000000 text/html %d\n" % len(http_block)
           + http_block + b"\n")
    outcomes = run(head + filedesc + b"\n" + rec, "old.arc")
    articles = [o for o in outcomes if isinstance(o, Article)]
    assert len(articles) == 1 and articles[0].title == "Old story"


@pytest.mark.parametrize(("data", "reason"), [(b"", "empty file"), (b"   \n", "empty file")])
def test_empty_archive(data: bytes, reason: str) -> None:
    [outcome] = run(data)
    assert isinstance(outcome, Rejection) and reason in outcome.reason


def test_sniff_and_detect() -> None:
    data = archive(SAMPLE[1:2], gz=True)
    assert WarcConverter.sniff(Path("x.warc.gz"), b"")
    assert WarcConverter.sniff(Path("download.bin"), data[:4096])
    assert detect(Path("download.bin"), data[:4096]) == "warc"
    assert not WarcConverter.sniff(Path("page.html"), b"<!doctype html><html>")


def test_helpers() -> None:
    assert dechunk(b"3\r\nabc\r\n2;x=1\r\nde\r\n0\r\n\r\n") == b"abcde"
    assert dechunk(b"zz\r\nabc") is None
    status, headers, payload = parse_http_response(b"HTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\nbody")
    assert (status, headers, payload) == (301, {"location": "/x"}, b"body")
    assert parse_http_response(b"not http")[0] is None


def test_bad_content_encoding_is_a_rejection() -> None:
    headers = http(extra=[("Content-Encoding", "br")])
    outcomes = run(archive([("response", "https://news.example/br", b"\x00not brotli\xff", headers)]))
    rejection = outcomes[-1]
    assert isinstance(rejection, Rejection) and "Content-Encoding" in rejection.reason


def test_a_failing_record_costs_that_record_only(monkeypatch: pytest.MonkeyPatch) -> None:
    from newscorpus.convert.html import HtmlConverter

    def boom(*args: object, **kwargs: object) -> object:
        raise RuntimeError("bug")

    monkeypatch.setattr(HtmlConverter, "convert_document", boom)
    outcomes = run(archive(SAMPLE))
    assert len(outcomes) == 5
    [failed] = [o for o in outcomes if isinstance(o, Rejection)]
    assert "conversion failed: RuntimeError: bug" in failed.reason and failed.offset is not None


def _comparable(outcomes: list[object]) -> list[object]:
    out: list[object] = []
    for o in outcomes:
        if isinstance(o, Article):
            d = o.to_dict()
            out.append({k: d.get(k) for k in ("id", "url", "title", "text", "published_at", "language")})
        else:
            out.append((type(o).__name__, getattr(o, "reason", "").split(":", 1)[-1]))
    return out


def test_a_warc_gzipped_whole_gives_the_plain_archives_records() -> None:
    """``gzip crawl.warc`` makes one member of every record: it was rejected as "gzip member
    ... cut short" after the first record, and its pages were lost."""
    plain = archive(SAMPLE)
    whole = gzip.compress(plain)
    outcomes = run(whole, "crawl.warc.gz")
    assert not [o for o in outcomes if isinstance(o, Rejection)], outcomes
    assert _comparable(outcomes) == _comparable(run(plain))
    assert len([o for o in outcomes if isinstance(o, Article)]) == 1


def test_a_warc_gzipped_whole_over_the_ratio_is_one_rejection() -> None:
    padding = b"WARC/1.0\r\nWARC-Type: resource\r\nContent-Length: 2000000\r\n\r\n" + b" " * 2_000_000
    outcomes = run(gzip.compress(archive(SAMPLE) + padding), "bomb.warc.gz")
    assert [type(o) for o in outcomes] == [Rejection], outcomes
    assert "ratio" in outcomes[0].reason  # type: ignore[attr-defined]
