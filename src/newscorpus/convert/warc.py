"""Web archives: WARC (plain, gzip, LZ4) with FastWARC, ARC with warcio.

Archives are read record by record from a stream (:mod:`newscorpus.convert.warcread`), so
memory does not grow with the archive: ``--max-bytes`` limits one record's block and what
its payload may decode to (``--max-ratio`` bounds the decoding too), never the archive.

Every record of an archive ends as one outcome, so that the counts add up:

* an HTTP 200 HTML ``response`` (or an HTML ``resource``) goes through
  :meth:`newscorpus.convert.html.HtmlConverter.convert_document`, with the charset of its
  ``Content-Type`` header (the page's ``<meta charset>`` and detection are the fallbacks)
  and its ``WARC-Target-URI``; it becomes an article or a rejection;
* a record whose ``WARC-Payload-Digest`` does not match its payload, or whose payload is
  shorter than its ``Content-Length``, is rejected with its byte offset;
* any other record (warcinfo, request, metadata, revisit, non-200, non-HTML) is a skip
  whose reason names the record offset and what it is.

A truncated or corrupt archive yields every record that could be read, and one rejection per
damaged place naming its byte offset; reading resumes at the next gzip member (or plain
``WARC/1.x`` header) that starts a record. Articles carry ``origin.offset`` (the
record's byte offset in the file, compressed offset for compressed archives) and the
record id and URI in ``provenance["origin"]``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import shutil
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, cast

from ..report import Rejection, Skip
from .base import Converter, ConvertOptions, Input, Outcome
from .decompress import DEFAULT_MAX_RATIO, PIECE, DecodeError, GzipStream, codec_name, decode
from .html import HtmlConverter, looks_like_html
from .titles import SiteTitles
from .warcread import (
    GZIP_MAGIC,
    ArchiveError,
    RecordInfo,
    inflate_member,
    is_arc,
    iter_records,
    parse_http_response,
    warcio_records,
)

__all__ = ["WarcConverter", "decode_content", "dechunk", "digest_problem", "parse_http_response"]
NAME = "warc"
HTML_TYPES = ("text/html", "application/xhtml+xml")
_SUFFIXES = (".warc", ".warc.gz", ".warc.lz4", ".arc", ".arc.gz")


# --- payload checks and decoding -----------------------------------------------------------

def _digest_value(text: str) -> tuple[str, bytes] | None:
    """``(algorithm, raw digest)`` of a ``WARC-*-Digest`` value (base32, hex or base64)."""
    algo, _, value = text.strip().partition(":")
    algo = algo.lower().replace("-", "")
    if algo not in ("sha1", "sha256", "sha512", "md5") or not value:
        return None
    size = hashlib.new(algo).digest_size
    for unpack in (base64.b32decode, bytes.fromhex, base64.b64decode, base64.urlsafe_b64decode):
        try:
            raw = unpack(value.upper() if unpack is base64.b32decode else value)
        except (binascii.Error, ValueError):
            continue
        if len(raw) == size:
            return algo, raw
    return None


def digest_problem(header: str, payloads: tuple[bytes, ...]) -> str | None:
    """Why ``header`` (a WARC-Payload-Digest) matches none of ``payloads``, or None."""
    parsed = _digest_value(header)
    if parsed is None:
        return None  # an algorithm or encoding we cannot check is not evidence of damage
    algo, expected = parsed
    for payload in payloads:
        if hashlib.new(algo, payload).digest() == expected:
            return None
    got = base64.b32encode(hashlib.new(algo, payloads[0]).digest()).decode()
    return f"payload digest mismatch: header {header.strip()}, payload hashes to {algo}:{got}"


def dechunk(data: bytes) -> bytes | None:
    """The body of a chunked transfer encoding, or None when ``data`` is not well chunked."""
    out: list[bytes] = []
    pos = 0
    while True:
        eol = data.find(b"\r\n", pos)
        if eol < 0:
            return None
        size_text = data[pos:eol].split(b";")[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            return None
        if size == 0:
            return b"".join(out)
        start = eol + 2
        if start + size > len(data):
            return None
        out.append(data[start:start + size])
        pos = start + size + 2


def decode_content(body: bytes, encoding: str | None, limit: int,
                   ratio: int = DEFAULT_MAX_RATIO) -> bytes:
    """``body`` with its HTTP ``Content-Encoding`` (gzip, deflate, br, zstd, lz4) removed,
    decoded in pieces and refused past the ratio and byte caps
    (:func:`newscorpus.convert.decompress.decode`)."""
    codec = codec_name(encoding)
    if codec is not None and body.lstrip()[:1] == b"<":
        return body  # already decoded (a ClueWeb quirk: the header kept, the body decoded)
    if codec is None and body.startswith(GZIP_MAGIC):
        codec = "gzip"
    if codec is None:
        return body
    return decode(body, codec, limit, ratio)


# --- the converter -------------------------------------------------------------------------

class WarcConverter(Converter):
    """WARC/ARC archives: each HTML response becomes an article (see the module docstring)."""

    name = NAME
    streams = True
    extensions = (".warc", ".arc")
    priority = 10

    def __init__(self, options: ConvertOptions | None = None) -> None:
        super().__init__(options)
        self.html = HtmlConverter(self.options)

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        if path.name.lower().endswith(_SUFFIXES):
            return True
        if head.startswith(GZIP_MAGIC):
            try:
                head = zlib.decompressobj(31).decompress(head, 64)
            except zlib.error:
                return False
        return head.startswith((b"WARC/", b"filedesc://"))

    def convert(self, inp: Input) -> Iterator[Outcome]:
        self.html.site_titles = SiteTitles()  # site title patterns are learned per archive
        if inp.is_blank():
            yield self.reject(inp, "empty file (no WARC records)")
            return
        with inp.open() as fh:
            head = fh.read(2)
            if head == GZIP_MAGIC and _one_member(fh):
                yield from self._whole_gzip(inp, fh)
                return
            fh.seek(0)
            yield from self._records(inp, fh)

    def _whole_gzip(self, inp: Input, fh: BinaryIO) -> Iterator[Outcome]:
        """A WARC gzipped as one file (``gzip crawl.warc``), not record by record: decoded
        into a temporary file within ``--max-ratio`` and read as a plain WARC (record offsets
        are then offsets in the decoded archive)."""
        size = fh.seek(0, 2)
        fh.seek(0)
        with tempfile.TemporaryFile() as plain:
            try:
                shutil.copyfileobj(GzipStream(fh, size, self.options.max_ratio), plain, PIECE)
            except DecodeError as exc:
                yield self.reject(inp, f"gzip-compressed WARC: {exc}", offset=0)
                return
            plain.seek(0)
            yield from self._records(inp, cast(BinaryIO, plain))

    def _records(self, inp: Input, fh: BinaryIO) -> Iterator[Outcome]:
        limit = self.options.max_bytes
        records: Iterator[RecordInfo | ArchiveError]
        records = warcio_records(fh) if is_arc(fh.read(4096)) else iter_records(fh, limit)
        count = 0
        try:
            for rec in records:
                if isinstance(rec, ArchiveError):  # damage: reading goes on after it
                    yield self.reject(inp, f"{rec.reason} ({count} record(s) read before)",
                                      offset=rec.offset)
                    count += 1
                    continue
                count += 1
                if rec.oversize:
                    yield self.reject(
                        inp, f"record at byte {rec.offset}{_uri(rec)}: its block of "
                             f"{rec.content_length} bytes is over the {limit}-byte limit for one "
                             "record (raise it with --max-bytes)", offset=rec.offset)
                    continue
                if len(rec.block) < rec.content_length:
                    yield self.reject(
                        inp, f"archive truncated inside the record at byte {rec.offset}: it has "
                             f"{len(rec.block)} of its {rec.content_length} bytes "
                             f"({count - 1} complete record(s) before)", offset=rec.offset)
                    continue
                try:
                    yield self._record(inp, rec)
                except Exception as exc:  # noqa: BLE001 - a converter bug costs one record
                    yield self.reject(inp, f"record at byte {rec.offset}: conversion failed: "
                                           f"{type(exc).__name__}: {exc}", offset=rec.offset)
        except ArchiveError as exc:
            yield self.reject(inp, f"{exc.reason} ({count} record(s) read before)", offset=exc.offset)
            return
        if count == 0:
            yield self.reject(inp, "no WARC or ARC records found", offset=0)

    def _record(self, inp: Input, rec: RecordInfo) -> Outcome:
        where = f"record at byte {rec.offset}{_uri(rec)}"
        if rec.type not in ("response", "resource"):
            return Skip(inp.name, f"{where}: {rec.type} record, not a page")
        if rec.type == "response" and rec.status is None:
            return Skip(inp.name, f"{where}: response without HTTP status (not an HTTP page)")
        if rec.status is not None and rec.status != 200:
            return Skip(inp.name, f"{where}: HTTP {rec.status}, not 200")
        mime = (rec.content_type or "").split(";")[0].strip().lower()
        if mime and mime not in HTML_TYPES and not (
                mime in ("application/octet-stream", "text/plain", "unknown")
                and looks_like_html(rec.payload[:2048])):
            return Skip(inp.name, f"{where}: content type {mime}, not HTML")
        body = rec.payload
        chunked = "chunked" in rec.http_headers.get("transfer-encoding", "").lower()
        unchunked = dechunk(body) if chunked else None
        if rec.payload_digest:
            # some crawlers hash the de-chunked body, ClueWeb hashes the whole block
            problem = digest_problem(rec.payload_digest,
                                     (body, rec.block) + ((unchunked,) if unchunked else ()))
            if problem:
                return self.reject(inp, f"{where}: {problem}", offset=rec.offset)
        if unchunked is not None:
            body = unchunked
        try:
            body = decode_content(body, rec.http_headers.get("content-encoding"), self.options.max_bytes,
                                  self.options.max_ratio)
        except DecodeError as exc:
            return self.reject(inp, f"{where}: cannot decode Content-Encoding: {exc}", offset=rec.offset)
        if not mime and not looks_like_html(body[:2048]):
            return Skip(inp.name, f"{where}: no content type and the payload is not HTML")
        uri = (rec.uri or "").strip().strip("<>").replace(" ", "%20") or None
        provenance = {"origin": {"converter": NAME, "rule": "WARC-Record-ID "
                                 f"{rec.record_id or '(none)'}; WARC-Target-URI {uri or '(none)'}"}}
        outcome = self.html.convert_document(
            body, inp.name, uri, rec.charset,
            {"path": inp.name, "sha256": inp.sha256, "offset": rec.offset, "format": NAME},
            provenance_extra=provenance)
        if isinstance(outcome, Rejection):
            return Rejection(inp.name, f"{where}: {outcome.reason}", offset=rec.offset,
                             converter=NAME)
        return outcome


def _one_member(fh: BinaryIO) -> bool:
    """Whether a gzip archive is one member ending at the end of the file (gzipped whole);
    a WARC gzipped record by record has one member per record."""
    size = fh.seek(0, 2)
    end, problem = inflate_member(fh, 0)
    return problem is None and end == size


def _uri(rec: RecordInfo) -> str:
    return f" ({rec.uri.strip('<>')})" if rec.uri else ""
