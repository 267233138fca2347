"""Shards finer than a file: byte ranges of a large JSONL input, cut at line ends.

A JSONL file over the shard size is split into byte ranges that each start at a line start
(never before a line that starts with a byte-order mark: the converter strips one only on
the file's first line). A range carries its first line number and the SHA-256 of the whole
file, so its records and rejections carry the same ``origin`` (path, hash, line) as when the
file is converted whole, and the merge writes the same bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

SHARD_BYTES = 4 * 2**20
RANGED_FORMATS = frozenset({"jsonl"})
_BOM = b"\xef\xbb\xbf"
_BLOCK = 2**20


@dataclass(frozen=True, slots=True)
class Span:
    """Bytes ``start .. end`` of a file, whose first line is line ``first_line``; ``sha256``
    is the whole file's; ``last`` marks the file's last range."""

    start: int
    end: int
    first_line: int
    sha256: str
    last: bool


def _cuts(path: Path, size: int, shard_bytes: int) -> list[int]:
    """Byte offsets where ranges start (0 first): the first line start at or after each
    multiple of ``shard_bytes``, skipping lines that start with a byte-order mark."""
    cuts = [0]
    with path.open("rb") as fh:
        target = shard_bytes
        while target < size:
            fh.seek(target - 1)  # a range may start right at the target if a line ends before it
            pos = target - 1
            cut = None
            while cut is None:
                block = fh.read(_BLOCK)
                if not block:
                    break
                at = block.find(b"\n")
                while at >= 0:
                    if block[at + 1:at + 4] != _BOM and (at + 4 <= len(block) or _peek(fh, pos + at + 1)):
                        cut = pos + at + 1
                        break
                    at = block.find(b"\n", at + 1)
                pos += len(block)
            if cut is None or cut >= size:
                break
            cuts.append(cut)
            target = max(cut, target) + shard_bytes
    return cuts


def _peek(fh: object, offset: int) -> bool:
    """Whether the line at ``offset`` does not start with a byte-order mark (read ahead)."""
    here = fh.tell()  # type: ignore[attr-defined]
    fh.seek(offset)  # type: ignore[attr-defined]
    head: bytes = fh.read(3)  # type: ignore[attr-defined]
    fh.seek(here)  # type: ignore[attr-defined]
    return head != _BOM


def plan_spans(path: Path, shard_bytes: int = SHARD_BYTES) -> list[Span]:
    """The ranges of ``path`` (one range when it is not over ``shard_bytes``): one read of
    the file for its SHA-256 and the line number where each range starts."""
    size = path.stat().st_size
    cuts = _cuts(path, size, shard_bytes) if size > shard_bytes else [0]
    digest = hashlib.sha256()
    first_lines = [1]
    lines, pos, nxt = 1, 0, 1
    with path.open("rb") as fh:
        while block := fh.read(_BLOCK):
            digest.update(block)
            start = 0
            while nxt < len(cuts) and cuts[nxt] <= pos + len(block):
                lines += block.count(b"\n", start, cuts[nxt] - pos)
                start = cuts[nxt] - pos
                first_lines.append(lines)
                nxt += 1
            lines += block.count(b"\n", start)
            pos += len(block)
    sha = digest.hexdigest()
    ends = [*cuts[1:], size]
    return [Span(s, e, line, sha, i == len(cuts) - 1)
            for i, (s, e, line) in enumerate(zip(cuts, ends, first_lines, strict=True))]
