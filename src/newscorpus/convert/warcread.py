"""Reading web archives record by record from a stream, at any archive size.

:func:`iter_records` walks a WARC (plain, gzip, LZ4, zstd) with FastWARC's
``ArchiveIterator`` over a binary stream (a local file or an fsspec file): memory holds one
record at a time, never the archive. A record whose block is over the byte limit is read
past, not into memory (:attr:`RecordInfo.oversize`). ARC files go through warcio, which
streams too.

Damage is accounted for, not fatal: a corrupt or cut-short gzip member, an invalid record
header or bytes after the last record that are not a record become one
:class:`ArchiveError` naming the byte offset, and reading resumes at the next gzip member
(or, in a plain WARC, the next ``WARC/1.x`` header) that starts a record.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from typing import BinaryIO

GZIP_MAGIC = b"\x1f\x8b"
LZ4_MAGIC = b"\x04\x22\x4d\x18"
_SCAN = 1 << 20
_HEADERS = (b"WARC/1.0\r\n", b"WARC/1.1\r\n")


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
    oversize: bool = False  # the block is over the limit: not read (payload and block empty)


class ArchiveError(Exception):
    """Reading stopped (or skipped damage) at ``offset``."""

    def __init__(self, offset: int, reason: str) -> None:
        super().__init__(reason)
        self.offset = offset
        self.reason = reason


def parse_http_response(block: bytes) -> tuple[int | None, dict[str, str], bytes]:
    """``(status, headers with lower-case names, payload)`` of an HTTP response block;
    status None when the block does not start with an HTTP status line."""
    head_end = block.find(b"\r\n\r\n", 0, 65536)
    sep = 4
    if head_end < 0 or block.find(b"\n\n", 0, head_end) >= 0:
        alt = block.find(b"\n\n", 0, 65536)
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


def content_type(value: str | None) -> tuple[str | None, str | None]:
    """``(mime type, charset)`` of a ``Content-Type`` value."""
    if not value:
        return None, None
    mime, _, params = value.partition(";")
    charset = None
    if params:
        for param in params.split(";"):
            name, _, val = param.partition("=")
            if name.strip().lower() == "charset":
                charset = val.strip(" \"'") or None
                break
    return mime.strip().lower() or None, charset


def _info(offset: int, rtype: str, headers: dict[str, str], block: bytes, declared: int,
          oversize: bool = False) -> RecordInfo:
    """A :class:`RecordInfo` from WARC headers (lower-case names) and the record block."""
    status: int | None = None
    http: dict[str, str] = {}
    payload = block
    get = headers.get
    warc_type = get("content-type") or ""
    if rtype in ("response", "revisit") and "application/http" in warc_type:
        status, http, payload = parse_http_response(block)
    mime, charset = content_type(http.get("content-type") if http else warc_type)
    return RecordInfo(offset, rtype, get("warc-target-uri"), get("warc-record-id"), status, mime,
                      charset, http, payload, block, declared, get("warc-payload-digest"), oversize)


def _type(headers: dict[str, str]) -> str:
    return headers.get("warc-type", "unknown").strip().lower()


def _lower(headers: object) -> dict[str, str]:
    """A FastWARC header map as a dict with lower-case names (one call into FastWARC)."""
    return {k.lower(): v for k, v in headers.asdict().items()}  # type: ignore[attr-defined]


# --- gzip members and plain headers, found in the stream -----------------------------------

def inflate_member(fh: BinaryIO, offset: int) -> tuple[int | None, str | None]:
    """``(end, problem)`` of the gzip member at ``offset``: its end offset (None when it is
    corrupt or cut short) and why it cannot be read (None when it can). The member is
    decompressed in pieces and thrown away: memory stays small whatever it holds."""
    fh.seek(offset)
    d = zlib.decompressobj(31)
    pos = offset
    while True:
        chunk = fh.read(1 << 16)
        if not chunk:
            return None, f"archive truncated: gzip member at byte {offset} is cut short"
        try:
            d.decompress(chunk, 1 << 16)
            while d.unconsumed_tail and not d.eof:
                d.decompress(d.unconsumed_tail, 1 << 16)
        except zlib.error as exc:
            return None, f"corrupt gzip member at byte {offset}: {exc}"
        if d.eof:
            return pos + len(chunk) - len(d.unused_data), None
        pos += len(chunk)


def _find(fh: BinaryIO, start: int, needles: tuple[bytes, ...],
          accept: Callable[[int], bool]) -> int | None:
    """The first offset at or after ``start`` where one of ``needles`` begins and
    ``accept(offset)`` holds, scanning the stream in 1 MiB pieces."""
    keep = max(len(n) for n in needles) - 1
    pos = start
    while True:
        fh.seek(pos)
        chunk = fh.read(_SCAN + keep)
        if len(chunk) <= 0:
            return None
        hits = sorted(i for n in needles for i in _all(chunk, n) if i < _SCAN or len(chunk) < _SCAN + keep)
        for i in hits:
            if accept(pos + i):
                return pos + i
        if len(chunk) < _SCAN + keep:
            return None
        pos += _SCAN


def _all(chunk: bytes, needle: bytes) -> Iterator[int]:
    i = chunk.find(needle)
    while i >= 0:
        yield i
        i = chunk.find(needle, i + 1)


def next_member(fh: BinaryIO, start: int) -> int | None:
    """Offset of the first gzip member at or after ``start`` that decompresses to a WARC
    record header (``WARC/``), or None: where reading resumes after a bad member."""
    def starts_record(at: int) -> bool:
        fh.seek(at)
        try:
            return zlib.decompressobj(31).decompress(fh.read(1 << 16), 5) == b"WARC/"
        except zlib.error:
            return False

    return _find(fh, start, (GZIP_MAGIC + b"\x08",), starts_record)


def next_header(fh: BinaryIO, start: int) -> int | None:
    """Offset of the first ``WARC/1.0`` or ``WARC/1.1`` header line at or after ``start``
    (at a line start) in a plain WARC, or None."""
    def at_line_start(at: int) -> bool:
        if at == 0:
            return True
        fh.seek(at - 1)
        return fh.read(1) == b"\n"

    return _find(fh, start, _HEADERS, at_line_start)


def _trailing(fh: BinaryIO, end: int) -> int:
    """How many bytes after ``end`` are not white space or NUL padding (0 when none are)."""
    size = fh.seek(0, 2)
    fh.seek(end)
    while chunk := fh.read(_SCAN):
        if chunk.strip(b"\x00\r\n "):
            return size - end
    return 0


# --- the reader ----------------------------------------------------------------------------

def iter_records(fh: BinaryIO, limit: int) -> Iterator[RecordInfo | ArchiveError]:
    """Every record of the WARC in ``fh`` (seekable, binary), then one
    :class:`ArchiveError` per damaged place; ``limit`` bounds one record's block."""
    fh.seek(0)
    magic = fh.read(4)
    gz = magic.startswith(GZIP_MAGIC)
    start = 0
    while True:
        result = yield from _read_from(fh, start, gz, magic == LZ4_MAGIC, limit)
        if result is None:
            return
        start = result


def _read_from(fh: BinaryIO, start: int, gz: bool, lz4: bool, limit: int
               ) -> Generator[RecordInfo | ArchiveError, None, int | None]:
    """Read records from ``start``; return where to resume after damage (None: done).

    A record is given out once the next one has been read (or, for the last one, once its
    gzip member is known to be whole), so that a record in a cut-short or corrupt member is
    reported as that damage, not as a record."""
    from fastwarc.warc import ArchiveIterator

    fh.seek(start)
    pending: RecordInfo | None = None  # the last record read, not given out yet
    try:
        for rec in ArchiveIterator(fh, parse_http=False):
            pos = rec.stream_pos
            headers = _lower(rec.headers)
            if pending is not None:
                yield pending
                pending = None
            if "content-length" not in headers:  # a header cut short (no length line)
                problem = inflate_member(fh, pos)[1] if gz else None
                yield ArchiveError(pos, problem or f"archive truncated or corrupt at byte {pos}: "
                                                   "record header without Content-Length")
                return None
            length = rec.content_length
            if length > limit:
                pending = _info(pos, _type(headers), headers, b"", length, oversize=True)
                continue
            block = rec.reader.read()
            if len(block) < length and gz:  # the member is cut short or corrupt
                problem = inflate_member(fh, pos)[1]
                yield ArchiveError(pos, problem or f"archive truncated inside the record at byte {pos}")
                return None
            pending = _info(pos, _type(headers), headers, block, length)
    except (OSError, ValueError) as exc:
        at = start
        if pending is not None:
            at, problem = _end_of(fh, gz, pending)
            if problem is not None:
                yield ArchiveError(pending.offset, problem)
                return None
            yield pending
        if gz:
            problem = inflate_member(fh, at)[1]
            resume = next_member(fh, at + 1)
            reason = problem or f"archive corrupt at byte {at}: {exc}"
        else:
            resume = next_header(fh, at + 1)
            if resume is not None and resume - at < _SCAN:
                fh.seek(at)
                if not fh.read(resume - at).strip(b"\x00\r\n \t"):
                    return resume  # only padding before the next record: nothing lost
            reason = f"archive corrupt or truncated at byte {at}: {exc}"
        where = f"; reading resumed at byte {resume}" if resume is not None else ""
        yield ArchiveError(at, reason + where)
        return resume
    if pending is not None:
        if lz4:  # LZ4 frames are checked by FastWARC
            yield pending
            return None
        end, problem = _end_of(fh, gz, pending)
        if problem is not None:
            yield ArchiveError(pending.offset, problem)
            return None
        yield pending
        extra = _trailing(fh, end)
        if extra:
            yield ArchiveError(end, f"archive corrupt or truncated at byte {end}: "
                                    f"{extra} bytes after the last record are not a record")
    elif gz:  # nothing read: a first member cut short or corrupt
        problem = inflate_member(fh, start)[1]
        if problem is not None:
            yield ArchiveError(start, problem)
    return None


def _end_of(fh: BinaryIO, gz: bool, rec: RecordInfo) -> tuple[int, str | None]:
    """``(end, problem)``: the offset just past ``rec``, and what is wrong with its gzip
    member (None when it is whole, or the archive is not gzip)."""
    if gz:
        end, problem = inflate_member(fh, rec.offset)
        return (rec.offset if end is None else end), problem
    fh.seek(rec.offset)
    head_end = fh.read(1 << 16).find(b"\r\n\r\n")
    size = fh.seek(0, 2)
    if head_end < 0:
        return rec.offset, None
    return min(size, rec.offset + head_end + 4 + rec.content_length + 4), None


def warcio_records(fh: BinaryIO) -> Iterator[RecordInfo]:
    """Records of an ARC file (warcio converts them to WARC records on the fly, streaming)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    fh.seek(0)
    it = ArchiveIterator(fh, arc2warc=True)
    offset = 0
    try:
        for rec in it:
            http = rec.http_headers
            payload = rec.raw_stream.read()
            offset = it.get_record_offset()  # reads the record to its end: call after reading
            get = rec.rec_headers.get_header
            status = http.get_statuscode() if http else None
            mime, charset = content_type(http.get_header("Content-Type") if http
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


def is_arc(head: bytes) -> bool:
    """Whether the archive starting with ``head`` is an ARC (not WARC) archive."""
    if head.startswith(GZIP_MAGIC):
        try:
            head = zlib.decompressobj(31).decompress(head[:4096], 64)
        except zlib.error:
            return False
    return head.startswith(b"filedesc://")
