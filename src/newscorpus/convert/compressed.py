"""Gzip-compressed inputs of any format (``.jsonl.gz``, ``.csv.gz``, ``.json.gz``, ...),
decoded as they are read.

A ``NAME.EXT.gz`` file that no converter claims as it is (WARC and HTML read their own
gzip) is converted as ``NAME.EXT`` by the converter of ``EXT``, through a
:class:`GzipInput`: its stream is the decoded bytes, read :data:`~.decompress.PIECE` bytes at
a time (:class:`~.decompress.GzipStream`), never held whole by a streaming converter. The
decoded size may not pass ``--max-ratio`` times the file's size (a bomb guard; one pass over
the file checks it, and the gzip data, before any record is made); a converter that reads
its input whole gets it only when the decoded size is within ``--max-bytes``. Records keep
the file's own name and the SHA-256 of its compressed bytes (what ``--resume`` compares).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO, cast

from ..checksums import file_sha256
from .base import Input
from .decompress import PIECE, GzipStream

GZIP_MAGIC = b"\x1f\x8b"
SELF_DECOMPRESSING = frozenset({"warc", "html"})
"""Converters that read gzip themselves (``.warc.gz``, ``.html.gz``)."""


def inner_path(path: Path, head: bytes) -> Path | None:
    """The path a gzip input is converted as (``a.jsonl.gz`` → ``a.jsonl``), or None when
    ``path`` is not a gzip file named ``*.gz``."""
    if path.name.lower().endswith(".gz") and head.startswith(GZIP_MAGIC) and len(path.name) > 3:
        return Path(path.name[:-3])
    return None


class GzipInput(Input):
    """An :class:`~.base.Input` whose bytes are the decoded content of a gzip file."""

    __slots__ = ("ratio", "_size")

    def __init__(self, path: Path, name: str, ratio: int) -> None:
        super().__init__(path, name)
        self.ratio = ratio
        self._size: int | None = None

    def open(self) -> BinaryIO:
        raw = self.path.open("rb")
        try:
            encoded = self.path.stat().st_size
            return cast(BinaryIO, io.BufferedReader(GzipStream(raw, encoded, self.ratio), PIECE))
        except BaseException:
            raw.close()
            raise

    @property
    def sha256(self) -> str:
        """SHA-256 of the file's own (compressed) bytes, also once its content was read whole."""
        if self._digest is None:
            self._digest = file_sha256(self.path)
        return self._digest

    @property
    def size(self) -> int:
        """The decoded size (one pass over the file; raises
        :class:`~.decompress.DecodeError` for damaged data or a decoded size over the ratio)."""
        if self._size is None:
            size = 0
            with self.open() as fh:
                while piece := fh.read(PIECE):
                    size += len(piece)
            self._size = size
        return self._size
