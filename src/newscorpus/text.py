"""Text normalization steps and code-point offset helpers.

Offsets in newscorpus are Unicode code-point offsets into an article's ``text`` (Python
``str`` indices). Everything that changes text (NFC, whitespace) happens *before* offsets
are computed; nothing here case-folds text that offsets point into.

Normalization is a list of small ``str -> str`` steps, each testable alone, applied by
:func:`normalize` in order.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence

from .errors import OffsetError

BLOCK_SEPARATOR = "\n\n"

Step = Callable[[str], str]

# Horizontal white space that collapses to one ASCII space inside a block. Zero-width
# characters (ZWJ in emoji sequences, ZWNJ in Persian) are *not* white space and are kept.
_HSPACE = re.compile(r"[ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")


def unify_newlines(s: str) -> str:
    """CRLF, CR and Unicode line/paragraph separators become ``\\n``."""
    return _NEWLINES.sub("\n", s) if ("\r" in s or "\u2028" in s or "\u2029" in s or "\x85" in s) else s


def nfc(s: str) -> str:
    """Unicode NFC composition (combining marks composed where a precomposed form exists)."""
    return s if unicodedata.is_normalized("NFC", s) else unicodedata.normalize("NFC", s)


def collapse_spaces(s: str) -> str:
    """Runs of horizontal white space become one space; each line is stripped."""
    if "\n" in s:
        return "\n".join(_HSPACE.sub(" ", line).strip() for line in s.split("\n"))
    return _HSPACE.sub(" ", s).strip()


def single_line(s: str) -> str:
    """A block's internal newlines become spaces (for titles, deks, captions)."""
    return " ".join(part for part in s.split("\n") if part)


# Characters that show up when UTF-8 was decoded as Latin-1/cp1252 (mojibake); ftfy is
# only run on text that contains one, so clean text costs a regex search, not a repair.
_MOJIBAKE_HINT = re.compile(
    "[\u00c2\u00c3\u00c5\u00d0\u00d1\u00e2\u00ef]"
    "[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]"
    "|\ufffd"
)


def fix_mojibake(s: str) -> str:
    """Repair mojibake (e.g. ``doesnÃ¢â‚¬â„¢t`` → ``doesn’t``) with ftfy, leaving clean text as it is."""
    if not _MOJIBAKE_HINT.search(s):
        return s
    import ftfy

    return ftfy.fix_text(s, normalization="NFC", uncurl_quotes=False, fix_latin_ligatures=False,
                         fix_character_width=False, fix_line_breaks=False)


BLOCK_STEPS: tuple[Step, ...] = (unify_newlines, fix_mojibake, nfc, collapse_spaces, single_line)


def normalize(s: str, steps: Sequence[Step] = BLOCK_STEPS) -> str:
    """Apply ``steps`` in order."""
    for step in steps:
        s = step(s)
    return s


def join_blocks(parts: Iterable[tuple[str, str]]) -> tuple[str, list[dict[str, object]]]:
    """Join ``(kind, already-normalized text)`` parts with blank lines.

    Returns the text and its blocks, each ``{"kind", "start", "end"}`` in code points.
    Empty parts are dropped.
    """
    pieces: list[str] = []
    blocks: list[dict[str, object]] = []
    pos = 0
    for kind, part in parts:
        if not part:
            continue
        if pieces:
            pieces.append(BLOCK_SEPARATOR)
            pos += len(BLOCK_SEPARATOR)
        pieces.append(part)
        blocks.append({"kind": kind, "start": pos, "end": pos + len(part)})
        pos += len(part)
    return "".join(pieces), blocks


def sha256_text(text: str) -> str:
    """Lower-case hex SHA-256 of ``text`` as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def span_problem(text: str, start: object, end: object, surface: object) -> str | None:
    """Why the span ``[start, end)`` with ``surface`` does not fit ``text``, or None."""
    if not isinstance(start, int) or not isinstance(end, int):
        return f"offsets must be integers, got {start!r}..{end!r}"
    if not 0 <= start < end <= len(text):
        return f"offsets {start}..{end} outside text of length {len(text)} (or empty)"
    actual = text[start:end]
    if actual != surface:
        return f"text[{start}:{end}] is {actual!r}, span says {surface!r}"
    return None


def check_span(text: str, start: int, end: int, surface: str) -> None:
    """Raise :class:`OffsetError` unless ``text[start:end] == surface``."""
    problem = span_problem(text, start, end, surface)
    if problem:
        raise OffsetError(problem)


def find_span(text: str, surface: str, occurrence: int = 1, after: int = 0) -> tuple[int, int]:
    """Code-point offsets of the ``occurrence``-th ``surface`` in ``text`` at or after ``after``."""
    pos = after - 1
    for _ in range(occurrence):
        pos = text.find(surface, pos + 1)
        if pos < 0:
            raise OffsetError(f"{surface!r} occurs fewer than {occurrence} times in the text")
    return pos, pos + len(surface)
