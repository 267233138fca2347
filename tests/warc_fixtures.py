"""Test WARCs written in memory: with warcio's writer, or byte by byte where a test needs every
byte known (the one home for writing them)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


def http(status: str = "200 OK", ctype: str = "text/html; charset=utf-8",
         extra: list[tuple[str, str]] | None = None) -> StatusAndHeaders:
    """The HTTP headers of a response record."""
    return StatusAndHeaders(status, [("Content-Type", ctype), *(extra or [])], protocol="HTTP/1.1")


def archive(records: Iterable[tuple[str, str, bytes, StatusAndHeaders | None]], gz: bool = False,
            warcinfo: bool = True) -> bytes:
    """A WARC of ``(type, uri, payload, http headers)`` records, after a warcinfo record unless
    ``warcinfo`` is false; gzipped per record if ``gz``."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    if warcinfo:
        writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "tests"}))
    for rtype, uri, payload, headers in records:
        record = writer.create_warc_record(
            uri, rtype, payload=io.BytesIO(payload), http_headers=headers,
            warc_content_type="text/html" if rtype == "resource" else None)
        writer.write_record(record)
        record.raw_stream.close()  # warcio spools the payload to a temporary file
    return buf.getvalue()


def html_responses(pages: Iterable[tuple[str, bytes]]) -> bytes:
    """A gzipped WARC of ``200 OK`` HTML responses ``(target URI, page)``, no warcinfo record."""
    return archive((("response", uri, page, http()) for uri, page in pages), gz=True, warcinfo=False)


def response(uri: str, payload: bytes, extra: bytes = b"",
             ctype: bytes = b"text/html; charset=utf-8") -> bytes:
    """One uncompressed WARC response record, written byte by byte (no warcio): HTTP 200 with
    ``Content-Type: ctype``, the ``extra`` header lines (each ending in CRLF), ``payload``."""
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: " + ctype + b"\r\n" + extra
            + b"Content-Length: %d\r\n\r\n" % len(payload) + payload)
    head = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: " + uri.encode()
            + b"\r\nWARC-Record-ID: <urn:uuid:%s>\r\n" % uri.encode()
            + b"WARC-Date: 2024-01-01T00:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n"
            b"Content-Length: %d\r\n\r\n" % len(http))
    return head + http + b"\r\n\r\n"
