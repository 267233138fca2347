"""Web archives: WARC (plain, gzip, LZ4) with FastWARC, ARC with warcio.

Every record of an archive ends as one outcome, so that the counts add up:

* an HTTP 200 HTML ``response`` (or an HTML ``resource``) goes through
  :meth:`newscorpus.convert.html.HtmlConverter.convert_document`, with the charset of its
  ``Content-Type`` header (the page's ``<meta charset>`` and detection are the fallbacks)
  and its ``WARC-Target-URI``; it becomes an article or a rejection;
* a record whose ``WARC-Payload-Digest`` does not match its payload, or whose payload is
  shorter than its ``Content-Length``, is rejected with its byte offset;
* any other record (warcinfo, request, metadata, revisit, non-200, non-HTML) is a skip
  whose reason names the record offset and what it is.

A truncated or corrupt archive yields every record that could be read, then one rejection
naming the byte offset where reading stopped. Articles carry ``origin.offset`` (the
record's byte offset in the file, compressed offset for compressed archives) and the
record id and URI in ``provenance["origin"]``.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import hashlib
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..report import Rejection, Skip
from .base import Converter, ConvertOptions, Input, Outcome
from .html import HtmlConverter, looks_like_html
from .titles import SiteTitles

NAME = "warc"
GZIP_MAGIC = b"\x1f\x8b"
LZ4_MAGIC = b"\x04\x22\x4d\x18"
HTML_TYPES = ("text/html", "application/xhtml+xml")
_SUFFIXES = (".warc", ".warc.gz", ".warc.lz4", ".arc", ".arc.gz")


@dataclass(slots=True)
class RecordInfo:
    """What the converter needs from one archive record, whichever library read it."""

    offset: int
    type: str
    uri: str | None
    record_id: str | None
    status: int | None
    content_type: str | None
    charset: str | None
    http_headers: dict[str, str]
    payload: bytes
    block: bytes
    content_length: int
    payload_digest: str | None


# --- payload checks and decoding -----------------------------------------------------------

def _digest_value(text: str) -> tuple[str, bytes] | None:
    """``(algorithm, raw digest)`` of a ``WARC-*-Digest`` value (base32, hex or base64)."""
    algo, _, value = text.strip().partition(":")
    algo = algo.lower().replace("-", "")
    if algo not in ("sha1", "sha256", "sha512", "md5") or not value:
        return None
    size = hashlib.new(algo).digest_size
    for decode in (base64.b32decode, bytes.fromhex, base64.b64decode, base64.urlsafe_b64decode):
        try:
            raw = decode(value.upper() if decode is base64.b32decode else value)
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


def decode_content(body: bytes, encoding: str | None, limit: int) -> bytes:
    """``body`` with its HTTP ``Content-Encoding`` (gzip, deflate, br) removed."""
    enc = (encoding or "").strip().lower()
    if enc in ("gzip", "x-gzip", "deflate", "br") and body.lstrip()[:1] == b"<":
        return body  # already decoded (a ClueWeb quirk: the header kept, the body decoded)
    if enc in ("gzip", "x-gzip") or (not enc and body.startswith(GZIP_MAGIC)):
        d = zlib.decompressobj(47)
    elif enc == "deflate":
        d = zlib.decompressobj()
        try:
            d.decompress(body[:2])
        except zlib.error:  # raw deflate, no zlib header
            d = zlib.decompressobj(-15)
        else:
            d = zlib.decompressobj()
    elif enc == "br":
        try:
            import brotli
        except ImportError:
            raise ValueError("brotli is not installed (pip install brotli)") from None
        try:
            out = bytes(brotli.decompress(body))
        except brotli.error as exc:
            raise ValueError(f"bad brotli data: {exc}") from None
        if len(out) > limit:
            raise ValueError(f"decoded payload is over the {limit}-byte limit (raise it with --max-bytes)")
        return out
    else:
        return body
    out = d.decompress(body, limit)
    if d.unconsumed_tail or (not d.eof and len(out) >= limit):
        raise ValueError(f"decoded payload is over the {limit}-byte limit (raise it with --max-bytes)")
    return out


# --- readers -------------------------------------------------------------------------------

class ArchiveError(Exception):
    """Reading stopped at ``offset``."""

    def __init__(self, offset: int, reason: str) -> None:
        super().__init__(reason)
        self.offset = offset
        self.reason = reason


def parse_http_response(block: bytes) -> tuple[int | None, dict[str, str], bytes]:
    """``(status, headers with lower-case names, payload)`` of an HTTP response block;
    status None when the block does not start with an HTTP status line."""
    head_end = block.find(b"\r\n\r\n")
    sep = 4
    if head_end < 0 or block.find(b"\n\n", 0, head_end) >= 0:
        alt = block.find(b"\n\n")
        if alt >= 0 and (head_end < 0 or alt < head_end):
            head_end, sep = alt, 2
    if head_end < 0 or not block.startswith(b"HTTP/"):
        return None, {}, block
    lines = block[:head_end].decode("latin-1").splitlines()
    parts = lines[0].split(None, 2)
    status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if colon:
            headers.setdefault(name.strip().lower(), value.strip())
    return status, headers, block[head_end + sep:]


def _content_type(value: str | None) -> tuple[str | None, str | None]:
    mime, _, params = (value or "").partition(";")
    charset = next((p.split("=", 1)[1].strip(" \"'") for p in params.split(";")
                    if p.strip().lower().startswith("charset=")), None)
    return mime.strip().lower() or None, charset or None


def _info(offset: int, rtype: str, get: Any, block: bytes, declared: int) -> RecordInfo:
    """A :class:`RecordInfo` from WARC headers (``get(name)``) and the record block."""
    status: int | None = None
    http: dict[str, str] = {}
    payload = block
    if rtype in ("response", "revisit") and "application/http" in (get("Content-Type") or ""):
        status, http, payload = parse_http_response(block)
    mime, charset = _content_type(http.get("content-type") if http else get("Content-Type"))
    return RecordInfo(offset=offset, type=rtype, uri=get("WARC-Target-URI"),
                      record_id=get("WARC-Record-ID"), status=status, content_type=mime,
                      charset=charset, http_headers=http, payload=payload, block=block,
                      content_length=declared, payload_digest=get("WARC-Payload-Digest"))


def _fastwarc_records(data: bytes) -> Iterator[RecordInfo]:
    from fastwarc.warc import ArchiveIterator

    last: tuple[int, int] | None = None
    try:
        for rec in ArchiveIterator(io.BytesIO(data), parse_http=False):
            headers = rec.headers
            if headers.get("Content-Length") is None:  # a header cut short (no length line)
                raise ArchiveError(rec.stream_pos, f"archive truncated or corrupt at byte "
                                                   f"{rec.stream_pos}: record header without Content-Length")
            block = rec.reader.read()
            last = (rec.stream_pos, rec.content_length)
            yield _info(rec.stream_pos, str(rec.record_type), headers.get, block, rec.content_length)
    except ArchiveError:
        raise
    except (OSError, ValueError) as exc:
        at = _record_end(data, *last) if last else 0
        raise ArchiveError(at, f"archive corrupt or truncated at byte {at}: {exc}") from None
    if last:
        _check_tail(data, *last)


def _record_end(data: bytes, offset: int, length: int) -> int:
    """Byte offset just past the record at ``offset`` (block ``length`` long)."""
    if data.startswith(GZIP_MAGIC):
        d = zlib.decompressobj(31)
        try:
            d.decompress(data[offset:])
        except zlib.error:
            return offset
        return len(data) - len(d.unused_data) if d.eof else offset
    head_end = data.find(b"\r\n\r\n", offset)
    return offset if head_end < 0 else min(len(data), head_end + 4 + length + 4)


def _check_tail(data: bytes, offset: int, length: int) -> None:
    """Raise :class:`ArchiveError` when bytes that are not a record follow the last record
    (a cut-short gzip member or a partial record)."""
    if data[:4] == LZ4_MAGIC or offset >= len(data):
        return  # LZ4 frames are checked by FastWARC; past the end: one gzip member for all
    end = _record_end(data, offset, length)
    if data.startswith(GZIP_MAGIC):
        d = zlib.decompressobj(31)
        try:
            d.decompress(data[offset:])
        except zlib.error as exc:
            raise ArchiveError(offset, f"corrupt gzip member at byte {offset}: {exc}") from None
        if not d.eof:
            raise ArchiveError(offset, f"archive truncated: gzip member at byte {offset} is cut short")
    if data[end:].strip(b"\x00\r\n "):
        raise ArchiveError(end, f"archive corrupt or truncated at byte {end}: "
                                f"{len(data) - end} bytes after the last record are not a record")


def next_member(data: bytes, start: int) -> int | None:
    """Offset of the first gzip member at or after ``start`` that decompresses to a WARC
    record header (``WARC/``), or None: where reading resumes after a bad member."""
    pos = data.find(GZIP_MAGIC + b"\x08", start)
    while pos >= 0:
        try:
            if zlib.decompressobj(31).decompress(data[pos:pos + 65536], 5) == b"WARC/":
                return pos
        except zlib.error:
            pass
        pos = data.find(GZIP_MAGIC + b"\x08", pos + 1)
    return None


def gzip_members(data: bytes, limit: int) -> Iterator[tuple[int, bytes] | ArchiveError]:
    """``(offset, decompressed bytes)`` of each gzip member of ``data``; a bad, cut-short or
    oversize member is an :class:`ArchiveError` and reading resumes at the next member that
    holds a WARC record."""
    pos = 0
    while pos < len(data) and data[pos:].strip(b"\x00\r\n "):
        d = zlib.decompressobj(31)
        problem = None
        try:
            out = d.decompress(data[pos:], limit)
        except zlib.error as exc:
            problem = f"corrupt gzip member at byte {pos}: {exc}"
        else:
            if d.unconsumed_tail:
                problem = f"gzip member at byte {pos} decompresses to over the {limit}-byte limit"
            elif not d.eof:
                problem = f"archive truncated: gzip member at byte {pos} is cut short"
        if problem is None:
            yield pos, out
            pos = len(data) - len(d.unused_data)
            continue
        resume = next_member(data, pos + 1)
        where = f"; reading resumed at byte {resume}" if resume is not None else ""
        yield ArchiveError(pos, problem + where)
        if resume is None:
            return
        pos = resume


def _gzip_warc_records(data: bytes, limit: int) -> Iterator[RecordInfo | ArchiveError]:
    """Records of a gzip WARC, read member by member so that a bad member costs only what it
    holds: the good members between two bad ones are read as one stream (a record may span
    members). Offsets are the (compressed) offset of the member where a record starts."""
    run: list[tuple[int, bytes]] = []
    for member in gzip_members(data, limit):
        if isinstance(member, ArchiveError):
            yield from _read_run(run)
            run = []
            yield member
        else:
            run.append(member)
    yield from _read_run(run)


def _read_run(run: list[tuple[int, bytes]]) -> Iterator[RecordInfo | ArchiveError]:
    if not run:
        return
    starts: list[int] = []  # uncompressed offset where each member starts
    size = 0
    for _, raw in run:
        starts.append(size)
        size += len(raw)
    stream = b"".join(raw for _, raw in run)

    def member_at(u: int) -> int:
        return run[max(bisect.bisect_right(starts, u) - 1, 0)][0]

    try:
        for rec in _fastwarc_records(stream):
            rec.offset = member_at(rec.offset)
            yield rec
    except ArchiveError as exc:
        at = member_at(exc.offset)
        yield ArchiveError(at, f"in the gzip member at byte {at}: {exc.reason}")


def _warcio_records(data: bytes) -> Iterator[RecordInfo]:
    """Records of an ARC file (warcio converts them to WARC records on the fly)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    it = ArchiveIterator(io.BytesIO(data), arc2warc=True)
    offset = 0
    try:
        for rec in it:
            http = rec.http_headers
            payload = rec.raw_stream.read()
            offset = it.get_record_offset()  # reads the record to its end: call after reading
            get = rec.rec_headers.get_header
            status = http.get_statuscode() if http else None
            mime, charset = _content_type(http.get_header("Content-Type") if http
                                          else get("Content-Type"))
            yield RecordInfo(
                offset=offset, type=rec.rec_type, uri=get("WARC-Target-URI"),
                record_id=get("WARC-Record-ID"),
                status=int(status) if status and str(status).isdigit() else None,
                content_type=mime, charset=charset,
                http_headers={k.lower(): v for k, v in http.headers} if http else {},
                payload=payload, block=payload, content_length=len(payload),
                payload_digest=get("WARC-Payload-Digest"))
    except (ArchiveLoadFailed, OSError, ValueError, EOFError, zlib.error) as exc:
        raise ArchiveError(offset, f"archive corrupt or truncated after byte {offset}: {exc}") from None


def is_arc(data: bytes) -> bool:
    """Whether ``data`` is an ARC (not WARC) archive."""
    head = data[:512]
    if head.startswith(GZIP_MAGIC):
        try:
            head = zlib.decompressobj(31).decompress(data[:4096], 64)
        except zlib.error:
            return False
    return head.startswith(b"filedesc://")


# --- the converter -------------------------------------------------------------------------

class WarcConverter(Converter):
    """WARC/ARC archives: each HTML response becomes an article (see the module docstring)."""

    name = NAME
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
        data = inp.data
        if not data.strip():
            yield self.reject(inp, "empty file (no WARC records)")
            return
        records: Iterator[RecordInfo | ArchiveError]
        if is_arc(data):
            records = _warcio_records(data)
        elif data.startswith(GZIP_MAGIC):
            records = _gzip_warc_records(data, self.options.max_bytes)
        else:
            records = _fastwarc_records(data)
        count = 0
        try:
            for rec in records:
                if isinstance(rec, ArchiveError):  # a bad member: reading goes on after it
                    yield self.reject(inp, f"{rec.reason} ({count} record(s) read before)",
                                      offset=rec.offset)
                    count += 1
                    continue
                count += 1
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
        where = f"record at byte {rec.offset}"
        if rec.uri:
            where += f" ({rec.uri.strip('<>')})"
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
            body = decode_content(body, rec.http_headers.get("content-encoding"), self.options.max_bytes)
        except (zlib.error, OSError, ValueError) as exc:
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
