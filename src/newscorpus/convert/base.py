"""The converter interface, its options, and the input checks every converter shares."""

from __future__ import annotations

import hashlib
import io
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, ClassVar, TypeVar, cast

from ..checksums import file_sha256
from ..records import Article
from ..report import Rejection, Skip

Outcome = Article | Rejection | Skip

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

T = TypeVar("T")
RecordStep = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class ConvertOptions:
    """Options shared by converters (one object rather than many keyword arguments)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    """The largest input a converter reads whole; for streaming converters (WARC, JSONL,
    ...) the largest record of an input, and the most any payload may decode to."""
    max_ratio: int = 100
    """How many times its encoded size a compressed payload may decode to (a bomb guard)."""
    profile: str | None = None
    profile_dirs: tuple[Path, ...] = ()
    language: str | None = None
    mapping: Path | None = None  # field mapping for jsonl/csv (a YAML file or a built-in name)
    formats: tuple[tuple[str, Any], ...] = ()
    """Per-format options: ``(converter name, its Options dataclass instance)`` pairs, made
    by :func:`newscorpus.convert.formatoptions.format_options` from the workspace config's
    ``convert:`` section and the CLI's ``--option FORMAT.KEY=VALUE``."""

    def for_format(self, name: str, kind: type[T]) -> T:
        """The options of format ``name`` (its defaults when none were given)."""
        for key, value in self.formats:
            if key == name and isinstance(value, kind):
                return value
        return kind()


class Input:
    """One input: its path (local, or a :class:`~newscorpus.convert.sources.RemotePath` for an
    fsspec URL) and the path recorded in records (relative, POSIX).

    ``data`` is the whole input as bytes, read on first use when none was given; converters
    that read their input as a stream (``Converter.streams``) use :meth:`open` instead, so
    that memory does not grow with the input."""

    __slots__ = ("path", "name", "_data", "_digest")

    def __init__(self, path: Path, name: str, data: bytes | None = None) -> None:
        self.path = path
        self.name = name
        self._data = data
        self._digest: str | None = None

    def __repr__(self) -> str:
        return f"Input({self.path!r}, {self.name!r})"

    @property
    def data(self) -> bytes:
        """Every byte of the input (read from ``path`` on first use)."""
        if self._data is None:
            with self.open() as fh:
                self._data = fh.read()
        return self._data

    def open(self) -> BinaryIO:
        """A binary stream of the input, from its start."""
        if self._data is not None:
            return io.BytesIO(self._data)
        return cast(BinaryIO, self.path.open("rb"))

    def head(self, size: int = 4096) -> bytes:
        """The first ``size`` bytes."""
        if self._data is not None:
            return self._data[:size]
        with self.open() as fh:
            return fh.read(size)

    @property
    def size(self) -> int:
        """The input's size in bytes."""
        return len(self._data) if self._data is not None else self.path.stat().st_size

    def is_blank(self) -> bool:
        """Whether the input holds only white space and NUL bytes (or a lone BOM), read in
        chunks up to the first other byte."""
        if self._data is not None and len(self._data) < _BLANK_CHUNK:
            return _blank(self._data)
        with self.open() as fh:
            first = True
            while chunk := fh.read(_BLANK_CHUNK):
                if not _blank(chunk[3:] if first and chunk.startswith(b"\xef\xbb\xbf") else chunk):
                    return False
                first = False
        return True

    @property
    def sha256(self) -> str:
        """SHA-256 of the input's bytes, computed once per input (not once per record); a
        streamed input is hashed in chunks, never held whole."""
        if self._digest is None:
            if self._data is not None:
                self._digest = hashlib.sha256(self._data).hexdigest()
            else:
                self._digest = file_sha256(self.path)
        return self._digest


_BLANK_CHUNK = 1 << 16  # read until the first byte that is not white space


def _blank(data: bytes) -> bool:
    return not data.strip(b" \t\r\n\f\v\x00") or data.strip() == b"\xef\xbb\xbf"


class Converter(ABC):
    """One input format. Subclasses set ``name`` and ``extensions`` and implement ``convert``.

    ``convert`` yields one outcome per record found in the input: an :class:`Article`, a
    :class:`Rejection` (with reason and location) or a :class:`Skip`. It never raises on bad
    data.
    """

    name: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]] = ()
    priority: ClassVar[int] = 50
    """Detection order (lower first): converters that recognize content (magic bytes, an XML
    root) come before those that go by extension, so the first match is the most specific."""
    Options: ClassVar[type | None] = None
    """The format's own options dataclass (frozen, every field with a default), or None."""
    streams: ClassVar[bool] = False
    """Whether ``convert`` reads its input as a stream (:meth:`Input.open`): then
    ``max_bytes`` limits one record of the input, not the whole file."""

    def __init__(self, options: ConvertOptions | None = None) -> None:
        self.options = options or ConvertOptions()

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        """Whether this converter recognizes ``path`` whose first bytes are ``head``."""
        return path.suffix.lower() in cls.extensions

    @abstractmethod
    def convert(self, inp: Input) -> Iterator[Outcome]:
        """Yield one outcome per record in ``inp`` (raw: no language identification, not
        validated; :meth:`records` gives what ``newscorpus convert`` keeps)."""

    def records(self, inp: Input, steps: Sequence[RecordStep] | None = None
                ) -> Iterator[dict[str, Any] | Rejection | Skip]:
        """The outcomes of ``inp`` as ``newscorpus convert`` keeps them: each article as a
        record dict finished by the record ``steps`` (default: language identification) and
        checked against the article schema (a record that fails is a rejection naming the
        first problems); rejections and skips as :meth:`convert` gives them."""
        from ..schema import DEFAULT_STORE

        if steps is None:
            from ..language import add_language

            steps = (add_language,)
        for outcome in self.convert(inp):
            if isinstance(outcome, Rejection | Skip):
                yield outcome
                continue
            record = outcome.to_dict()
            for step in steps:
                record = step(record)
            problems = DEFAULT_STORE.problems(record, "article", inp.name)
            if problems:
                yield Rejection(inp.name, "record fails the article schema: " + "; ".join(
                    f"{p.pointer or '/'} {p.message}" for p in problems[:3]), converter=self.name)
            else:
                yield record

    def oversize(self, inp: Input) -> Rejection | None:
        """The rejection of an input over ``max_bytes`` when this converter reads its inputs
        whole (a streaming converter limits each record instead), else None."""
        if self.streams or (size := inp.size) <= self.options.max_bytes:
            return None
        return Rejection(inp.name, f"file is {size / 2**20:.1f} MiB, over the "
                         f"{self.options.max_bytes / 2**20:.0f} MiB limit (raise it with --max-bytes)",
                         converter=self.name)

    def reject(self, inp: Input, reason: str, line: int | None = None,
               offset: int | None = None) -> Rejection:
        return Rejection(inp.name, reason, line=line, offset=offset, converter=self.name)


@dataclass(frozen=True, slots=True)
class TextProblem:
    """Why an input is not usable text, and where."""

    reason: str
    offset: int | None
    line: int | None = None


def decode_text(inp: Input) -> str | TextProblem:
    """Decode a text input as UTF-8 (BOM allowed). Returns the text, or a
    :class:`TextProblem` saying why it is not usable text."""
    data = inp.data
    if not data.strip():
        return TextProblem("empty file (no text)", None)
    nul = data.find(b"\x00", 0, 8192)
    if nul >= 0:
        return TextProblem("binary file (NUL byte in the first 8 KiB), not a text dump", nul)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return TextProblem(
            f"invalid UTF-8 at byte {exc.start} (line {line}): {exc.reason}", exc.start, line
        )



def line_numbers(data: bytes, offsets: list[int]) -> list[int]:
    """1-based line of each byte offset in ``offsets`` (ascending), in one pass over ``data``."""
    lines: list[int] = []
    line, last = 1, 0
    for pos in offsets:
        line += data.count(b"\n", last, pos)
        last = pos
        lines.append(line)
    return lines


def json_problem(data: bytes) -> TextProblem:
    """Why ``data`` is not valid JSON, pointing at the actual bad byte: its byte offset, line
    and column (for bad encoding as for bad syntax)."""
    import json

    def place(pos: int) -> tuple[int, str]:
        line = data.count(b"\n", 0, pos) + 1
        column = pos - data.rfind(b"\n", 0, pos)
        return line, f"byte {pos} (line {line}, column {column})"

    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(data) > 1 and b"\x00" in data[:4]):
        codec = "utf-16-le" if data.startswith(b"\xff\xfe") or data[1:2] == b"\x00" else "utf-16-be"
        try:
            data.decode(codec)
        except UnicodeDecodeError as exc:
            line, at = place(exc.start)
            return TextProblem(f"invalid UTF-16 at {at}: {exc.reason}", exc.start, line)
        return TextProblem("UTF-16 text: JSON files must be UTF-8 (RFC 8259)", 0, 1)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, at = place(exc.start)
        return TextProblem(f"invalid UTF-8 at {at}: {exc.reason}", exc.start, line)
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        pos = len(text[:exc.pos].encode("utf-8")) + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        line, at = place(pos)
        return TextProblem(f"not valid JSON at {at}: {exc.msg}", pos, line)
    return TextProblem("not valid JSON", None)
