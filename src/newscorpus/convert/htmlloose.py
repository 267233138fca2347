"""Loose article text trafilatura left out: text written straight into the article container.

Some templates put the story's text directly inside a ``<div>`` or ``<section>``, its
paragraphs separated by ``<br>`` rather than wrapped in ``<p>``; trafilatura then keeps some
of those runs and drops others (often the lead before an image). :func:`missing_loose_text`
finds, in the article container (the deepest element holding most of the extracted text,
see :func:`~newscorpus.convert.htmlfurniture.article_container`) and in the ``div``,
``section`` and ``article`` elements inside it, the runs of text between ``<br>``\\ s and
block elements: a run of 15 words or more, few of them links, not already (half of its
word 4-grams) in the extraction, is article text left out. Runs inside figures, captions,
galleries, lists, tables, quotes and named widgets are not. :func:`merge_in_document_order`
puts them back where the page has them.
"""

from __future__ import annotations

from typing import Any

from ..shingles import shingle_counts
from ..text import normalize
from .htmlbody import contained
from .htmlfurniture import WIDGET_WORDS, PageBlocks, _words, article_container, locate

MIN_WORDS = 15
MAX_LINK_SHARE = 0.3
MAX_CONTAINED = 0.5

_HOSTS = frozenset({"div", "section", "article", "main"})
_INLINE = frozenset({"a", "em", "strong", "b", "i", "u", "span", "sup", "sub", "small", "abbr", "time",
                     "code", "mark", "q", "s", "del", "ins", "font"})
_NOT_STORY = frozenset({"figure", "figcaption", "li", "ul", "ol", "table", "blockquote", "aside", "nav",
                        "header", "footer", "form", "a", "cite", "button", "noscript", "script", "style"})
_MEDIA_WORDS = frozenset({"gallery", "slideshow", "media", "photo", "photos", "image", "images", "video",
                          "caption", "credit", "embed"})

Part = tuple[str, str]


def _runs(host: Any) -> list[tuple[tuple[Any, str], str, int]]:
    """``(start, text, linked characters)`` of each run of loose text directly in ``host``;
    ``start`` is the text node it starts with: ``(element, "text")`` or ``(element, "tail")``."""
    runs: list[tuple[tuple[Any, str], str, int]] = []
    pieces: list[str] = [host.text or ""]
    linked = 0
    start: tuple[Any, str] = (host, "text")

    def close(next_start: tuple[Any, str]) -> None:
        nonlocal pieces, linked, start
        text = normalize(" ".join(pieces))
        if text:
            runs.append((start, text, linked))
        pieces, linked, start = [], 0, next_start

    for child in host:
        if isinstance(child.tag, str) and child.tag in _INLINE:
            inner = child.text_content()
            pieces.append(inner)
            if child.tag == "a" or child.find(".//a") is not None:
                linked += len(normalize(inner))
        elif isinstance(child.tag, str):
            close((child, "tail"))  # <br> or a block element ends the run
        pieces.append(child.tail or "")
    close((host, "end"))
    return runs


def _story_host(el: Any, container: Any) -> bool:
    for anc in [el, *el.iterancestors()]:
        if anc.tag in _NOT_STORY or _words(anc) & (WIDGET_WORDS | _MEDIA_WORDS):
            return False
        if anc is container:
            return True
    return False


def missing_loose_text(tree: Any, parts: list[Part], blocks: PageBlocks | None = None
                       ) -> list[tuple[tuple[Any, str], str]]:
    """``(start, text)`` of the runs of loose article text missing from ``parts`` (``start``
    as in :func:`_runs`)."""
    elements = locate(tree, [t for _, t in parts], blocks)
    container, _, _ = article_container(elements, [len(t) for _, t in parts])
    if container is None:
        return []
    candidates = [(start, text) for host in [container, *container.iterdescendants(*_HOSTS)]
                  if _story_host(host, container)
                  for start, text, linked in _runs(host)
                  if len(text.split()) >= MIN_WORDS and linked <= MAX_LINK_SHARE * len(text)]
    known = {t for _, t in parts}
    candidates = [(start, text) for start, text in candidates if text not in known]
    if not candidates:
        return []
    have = shingle_counts("\n".join(t for _, t in parts))
    return [(start, text) for start, text in candidates
            if contained(shingle_counts(text), have) < MAX_CONTAINED]


def _text_positions(tree: Any) -> tuple[list[tuple[float, str]], dict[tuple[Any, str], float]]:
    """Every text node of the page in document order as ``(position, collapsed text)``, and
    the position of each ``(element, "text"|"tail"|"end")``: an element's text sits right
    after its start tag, its tail after its last descendant."""
    positions: dict[tuple[Any, str], float] = {}
    nodes: list[tuple[float, str]] = []
    elements = list(tree.iter())
    index = {el: i for i, el in enumerate(elements)}
    last_of = list(range(len(elements)))  # each element's last descendant, from the end
    for i in range(len(elements) - 1, -1, -1):
        children = len(elements[i])
        if children:
            last_of[i] = last_of[index[elements[i][children - 1]]]
    for i, el in enumerate(elements):
        last = last_of[i]
        positions[(el, "text")] = i + 0.25
        positions[(el, "end")] = last + 0.4
        positions[(el, "tail")] = last + 0.5
    for el in elements:
        for attr in ("text", "tail"):
            value = getattr(el, attr, None) if isinstance(el.tag, str) or attr == "tail" else None
            if value and value.strip():
                nodes.append((positions[(el, attr)], " ".join(value.split())))
    nodes.sort()
    return nodes, positions


def merge_in_document_order(tree: Any, parts: list[Part], extra: list[tuple[tuple[Any, str], str]]
                            ) -> list[Part]:
    """``parts`` with the ``extra`` paragraphs (``(start, text)``) put where the page has
    them: each extracted block at the first text node holding its first words (else right
    after the block before it)."""
    nodes, positions = _text_positions(tree)
    keyed: list[tuple[float, int, Part]] = []
    last, cursor = -1.0, 0
    for seq, part in enumerate(parts):
        snippet = " ".join(part[1].split()[:5])
        # blocks mostly come in page order: look on from the last one found first
        hit = next((i for i in range(cursor, len(nodes)) if snippet in nodes[i][1]), None)
        if hit is None:
            hit = next((i for i in range(cursor) if snippet in nodes[i][1]), None)
        if hit is not None:
            last, cursor = nodes[hit][0], hit
        keyed.append((last, seq, part))
    for seq, (start, text) in enumerate(extra):
        keyed.append((positions.get(start, float("inf")), len(parts) + seq, ("paragraph", text)))
    keyed.sort(key=lambda k: (k[0], k[1]))
    return [part for _, _, part in keyed]
