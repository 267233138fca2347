"""Test WARCs written in memory with warcio's writer (the one home for writing them)."""

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
