"""Bounded decompression: gzip, deflate, brotli, zstd and LZ4, decoded in pieces.

Every decoder here yields its output 64 KiB at a time and :func:`decode` stops as soon as
the output passes the cap: the smaller of an absolute limit (``--max-bytes``) and a ratio
of the encoded size (``--max-ratio``; small inputs get at least :data:`RATIO_FLOOR`). A
brotli payload that would expand to 1 GiB is refused after about ``cap`` bytes, never held
whole. zstd and LZ4 need their optional packages (``newscorpus[codecs]``); without them a
payload in those encodings is refused with a line naming the extra.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable, Iterator
from typing import Any

PIECE = 1 << 16
RATIO_FLOOR = 1 << 20
DEFAULT_MAX_RATIO = 100

_ALIASES = {"x-gzip": "gzip", "brotli": "br", "zstandard": "zstd", "x-lz4": "lz4"}


class DecodeError(ValueError):
    """A payload could not be decoded (bad data, an unknown encoding, a missing codec)."""


class DecodeLimitError(DecodeError):
    """Decoding stopped at the cap: the payload expands to more than is allowed."""


def _zlib(data: bytes, wbits: int) -> Iterator[bytes]:
    while True:
        d = zlib.decompressobj(wbits)
        buf = data
        while buf and not d.eof:
            yield d.decompress(buf, PIECE)
            buf = d.unconsumed_tail
        if not d.eof:
            raise DecodeError("encoded data is cut short")
        data = d.unused_data.lstrip(b"\x00")
        if wbits != 47 or not data:  # gzip may hold several members
            return


def _deflate(data: bytes) -> Iterator[bytes]:
    # "deflate" is zlib-wrapped by the standard, raw deflate in practice: try both
    try:
        zlib.decompressobj().decompress(data[:64], 1)
    except zlib.error:
        return _zlib(data, -15)
    return _zlib(data, 15)


def _brotli(data: bytes) -> Iterator[bytes]:
    import brotli

    d = brotli.Decompressor()
    try:
        yield d.process(data, output_buffer_limit=PIECE)
        while not d.is_finished():
            piece = d.process(b"", output_buffer_limit=PIECE)
            if not piece and d.can_accept_more_data():
                raise DecodeError("encoded data is cut short")
            yield piece
    except brotli.error as exc:
        raise DecodeError(f"bad brotli data: {exc}") from None


def _reader(open_reader: Callable[[io.BytesIO], Any], data: bytes) -> Iterator[bytes]:
    reader = open_reader(io.BytesIO(data))
    while piece := reader.read(PIECE):
        yield piece


def _zstd(data: bytes) -> Iterator[bytes]:
    try:
        import zstandard
    except ImportError:
        raise DecodeError("zstd needs the zstandard package: pip install 'newscorpus[codecs]'") from None
    try:
        yield from _reader(lambda raw: zstandard.ZstdDecompressor().stream_reader(
            raw, read_across_frames=True), data)
    except zstandard.ZstdError as exc:
        raise DecodeError(f"bad zstd data: {exc}") from None


def _lz4(data: bytes) -> Iterator[bytes]:
    try:
        import lz4.frame
    except ImportError:
        raise DecodeError("lz4 needs the lz4 package: pip install 'newscorpus[codecs]'") from None
    try:
        yield from _reader(lambda raw: lz4.frame.LZ4FrameFile(raw, "rb"), data)
    except (RuntimeError, EOFError) as exc:
        raise DecodeError(f"bad lz4 data: {exc}") from None


DECODERS: dict[str, Callable[[bytes], Iterator[bytes]]] = {
    "gzip": lambda data: _zlib(data, 47),
    "deflate": _deflate,
    "br": _brotli,
    "zstd": _zstd,
    "lz4": _lz4,
}


def codec_name(encoding: str | None) -> str | None:
    """The decoder's name for an HTTP ``Content-Encoding`` value; None for identity."""
    enc = (encoding or "").strip().lower()
    enc = _ALIASES.get(enc, enc)
    return None if enc in ("", "identity", "none") else enc


def cap(encoded: int, limit: int, ratio: int) -> int:
    """How many decoded bytes ``encoded`` bytes may become: ``ratio`` times as many (at least
    :data:`RATIO_FLOOR`), and never more than ``limit``."""
    return min(limit, max(encoded * ratio, RATIO_FLOOR))


def _over(most: int, limit: int | None, ratio: int, encoded: int) -> DecodeLimitError:
    if most == limit:
        return DecodeLimitError(f"decoded payload is over the {limit}-byte limit (raise it with --max-bytes)")
    return DecodeLimitError(
        f"decoded payload is over {ratio} times its {encoded} encoded bytes ({most} bytes), the "
        "decompression ratio limit (raise it with --max-ratio)")


class GzipStream(io.RawIOBase):
    """A gzip file (every member) decoded as it is read, :data:`PIECE` bytes of it at a time:
    reading past ``ratio`` times the file's ``encoded`` size (at least :data:`RATIO_FLOOR`;
    and past ``limit`` when one is given) raises :class:`DecodeLimitError`, damaged or cut
    short data :class:`DecodeError`. Wrap it in :class:`io.BufferedReader` for lines."""

    def __init__(self, raw: Any, encoded: int, ratio: int = DEFAULT_MAX_RATIO,
                 limit: int | None = None) -> None:
        super().__init__()
        self._raw = raw
        self._ratio, self._limit, self._encoded = ratio, limit, encoded
        self._most = max(encoded * ratio, RATIO_FLOOR) if limit is None else cap(encoded, limit, ratio)
        self._d = zlib.decompressobj(47)
        self._tail = b""  # compressed bytes read but not yet decoded
        self._out = b""
        self.decoded = 0

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()

    def _more(self) -> bytes:
        """The next decoded piece; b"" past the last member."""
        while True:
            if self._d.eof:  # the next member, if any (NUL padding between members is ignored)
                rest = self._d.unused_data.lstrip(b"\x00")
                while not rest:
                    chunk = self._raw.read(PIECE)
                    if not chunk:
                        return b""
                    rest = chunk.lstrip(b"\x00")
                self._d = zlib.decompressobj(47)
                self._tail = rest
            if not self._tail:
                self._tail = self._raw.read(PIECE)
                if not self._tail:
                    raise DecodeError("encoded data is cut short")
            try:
                piece = self._d.decompress(self._tail, PIECE)
            except zlib.error as exc:
                raise DecodeError(f"bad gzip data: {exc}") from None
            self._tail = self._d.unconsumed_tail
            if piece:
                self.decoded += len(piece)
                if self.decoded > self._most:
                    raise _over(self._most, self._limit, self._ratio, self._encoded)
                return piece

    def readinto(self, buffer: Any) -> int:
        if not self._out:
            self._out = self._more()
        n = min(len(buffer), len(self._out))
        buffer[:n] = self._out[:n]
        self._out = self._out[n:]
        return n


def decode(data: bytes, codec: str, limit: int, ratio: int = DEFAULT_MAX_RATIO) -> bytes:
    """``data`` decoded with ``codec`` (see :data:`DECODERS`), in pieces, stopping with
    :class:`DecodeLimitError` once the output passes :func:`cap`."""
    decoder = DECODERS.get(codec)
    if decoder is None:
        raise DecodeError(f"unknown encoding {codec!r} (known: {', '.join(DECODERS)})")
    most = cap(len(data), limit, ratio)
    out: list[bytes] = []
    size = 0
    try:
        for piece in decoder(data):
            size += len(piece)
            if size > most:
                raise _over(most, limit, ratio, len(data))
            out.append(piece)
    except zlib.error as exc:
        raise DecodeError(f"bad {codec} data: {exc}") from None
    except OSError as exc:
        raise DecodeError(f"bad {codec} data: {exc}") from None
    return b"".join(out)
