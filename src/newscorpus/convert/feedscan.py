"""Feed items found without the feed parser: a scan of the bytes for item start and end
tags (outside comments and CDATA), so that items the parser loses are still counted
(issue 15: every item accounted for)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .base import line_numbers

_BLANK = bytes(b if b == 0x0A else 0x20 for b in range(256))  # every byte but newline -> space


def _mask(data: bytes) -> bytes:
    """``data`` with comments and CDATA sections blanked (same length, newlines kept)."""
    def blank(m: re.Match[bytes]) -> bytes:
        return m.group(0).translate(_BLANK)

    return re.sub(rb"<!--.*?(?:-->|\Z)|<!\[CDATA\[.*?(?:\]\]>|\Z)", blank, data, flags=re.DOTALL)


_ITEM_START = re.compile(rb"<(?:[\w.-]+:)?(?:item|entry)(?=[\s/>])")
_ITEM_END = re.compile(rb"</(?:[\w.-]+:)?(?:item|entry)\s*>")
_ROOT_END = re.compile(rb"</(?:[\w.-]+:)?(?:rss|feed|RDF)\s*>\s*\Z")


@dataclass(frozen=True, slots=True)
class ItemScan:
    """Where one ``<item>``/``<entry>`` is in the feed's bytes, found without the parser:
    ``end`` is just past its closing tag (None when the item is cut short)."""

    start: int
    end: int | None
    line: int


def scan_items(data: bytes) -> tuple[list[ItemScan], bool] | None:
    """``(items, closed)``: every item start tag outside comments and CDATA, and whether the
    document ends with the root's closing tag. None for encodings that are not
    ASCII-compatible (UTF-16/32), where the bytes cannot be scanned."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:200]:
        return None
    masked = _mask(data)
    starts = [m.start() for m in _ITEM_START.finditer(masked)]
    items: list[ItemScan] = []
    for i, (start, line) in enumerate(zip(starts, line_numbers(masked, starts), strict=True)):
        limit = starts[i + 1] if i + 1 < len(starts) else len(masked)
        end = _ITEM_END.search(masked, start, limit)
        items.append(ItemScan(start, end.end() if end else None, line))
    return items, _ROOT_END.search(masked) is not None
