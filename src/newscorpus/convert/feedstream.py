"""Big RSS/Atom feeds read a batch of items at a time, in time linear in their size and in
memory that does not grow with them.

The feed is read from its stream in pieces; items are found by the parser-independent scan
of :mod:`newscorpus.convert.feedscan` (start and end tags outside comments and CDATA). Each
batch of complete items is parsed by :func:`newscorpus.convert.feeds.read_xml_feed` as a
small feed of its own: the feed's head (everything before its first item: declarations,
root, channel metadata), the batch's items, and the closing tags of the head's open
elements. Items keep their place in the whole feed (index, line, byte offset); a first pass
counts them (a scan, no parsing) so that each item says "item N of TOTAL" as in the
whole-document reader. Whatever follows the last complete item and is not the root's
closing tag is the feed's truncation, reported as the whole-document reader does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import BinaryIO

from .feeds import Feed, read_xml_feed
from .feedscan import _ITEM_END, _ITEM_START, _ROOT_END, _mask

PIECE = 4 << 20
BATCH = 200
_TAG = re.compile(rb"<(/?)([A-Za-z_][\w.:-]*)[^<>]*?(/?)>")


def _closing_tags(head: bytes) -> bytes:
    """The end tags of the elements left open at the end of ``head`` (innermost first)."""
    stack: list[bytes] = []
    for m in _TAG.finditer(_mask(head)):
        closing, name, empty = m.groups()
        if empty:
            continue
        if closing:
            if stack and stack[-1] == name:
                stack.pop()
        else:
            stack.append(name)
    return b"".join(b"</" + name + b">" for name in reversed(stack))


def _pieces(fh: BinaryIO) -> Iterator[tuple[int, bytes, bool, int]]:
    """``(offset, bytes, last, items)``: first the head (offset 0, the bytes before the first
    item), then the complete items, a batch at a time (``items`` of them), then what follows
    the last complete item (``last`` True). A feed without items is one ``last`` piece."""
    buf = b""
    base = 0  # file offset of buf[0]
    head_done = False
    while True:
        chunk = fh.read(PIECE)
        eof = not chunk
        buf += chunk
        masked = _mask(buf)
        if not head_done:
            first = _ITEM_START.search(masked)
            if first is None:
                if eof:
                    yield 0, buf, True, 0
                    return
                continue
            yield 0, buf[:first.start()], False, 0
            head_done = True
            base = first.start()
            buf, masked = buf[base:], masked[base:]
        pos = count = 0
        while (start := _ITEM_START.search(masked, pos)) is not None:
            end = _ITEM_END.search(masked, start.end())
            following = _ITEM_START.search(masked, start.end())
            if end is None or (following is not None and following.start() < end.start()):
                break  # not complete in this piece yet (or cut short: then read whole at the end)
            pos = end.end()
            count += 1
            if count == BATCH:
                yield base, buf[:pos], False, count
                buf, masked, base, pos, count = buf[pos:], masked[pos:], base + pos, 0, 0
        if count:
            yield base, buf[:pos], False, count
            buf, base = buf[pos:], base + pos
        if eof:
            yield base, buf, True, 0
            return


def count_items(fh: BinaryIO) -> int:
    """How many item start tags the feed has (the scan's count, without parsing)."""
    fh.seek(0)
    total = 0
    for _, data, last, items in _pieces(fh):
        total += len(_ITEM_START.findall(_mask(data))) if last else items
    fh.seek(0)
    return total


def stream_feed(fh: BinaryIO) -> Iterator[Feed]:
    """The feed in batches: each a :class:`Feed` whose items carry their place in the whole
    feed (and ``total``, the scan's count); the last one's ``truncated_at`` is set when the
    document ends before the root's closing tag."""
    total = count_items(fh)
    head = tail = b""
    done = 0
    lines = 1  # the line where the next piece starts
    for offset, data, last, _ in _pieces(fh):
        if offset == 0 and not last:
            head, tail = data, _closing_tags(data)
        else:
            masked = _mask(data)
            if last and done and _ROOT_END.search(masked) and not _ITEM_START.search(masked):
                return  # the root's closing tag: nothing more
            feed = read_xml_feed(head + data + (b"" if last else tail))
            if last and feed.truncated_at is not None:
                feed.truncated_at = offset + len(data)
            shift = lines - 1 - (head.count(b"\n") if offset else 0)
            feed.items = [replace(item, index=done + i,
                                  line=None if item.line is None else item.line + shift,
                                  offset=None if item.offset is None else item.offset + offset
                                  - (len(head) if offset else 0))
                          for i, item in enumerate(feed.items, 1)]
            feed.total = total if not last or done else None
            done += len(feed.items)
            yield feed
        lines += data.count(b"\n")
