"""Page furniture in an extracted body: blocks that sit in the page's widgets, not its story.

trafilatura keeps some blocks that are part of the page around the article: a newsletter
sign-up box, a "more must-reads" list, a comment policy, a byline strip. Each extracted block
is found again in the page tree (:func:`locate`), and :func:`furniture` says which blocks
to drop:

* **Named widgets.** The *article container* is the deepest element that holds most (70%)
  of the extracted text. A block whose element sits inside an element whose ``class`` or
  ``id`` names a widget, below the container (or below where the block's ancestors join
  the container's) (:data:`WIDGET_WORDS`: related,
  newsletter, comments, share bar, byline, caption...) is dropped, when that widget holds
  little (at most a quarter) of the extracted text: the article itself is never cut.
* **Link lists.** A list of the page whose items (two or more, all extracted) are each a
  short headline that is (nearly) all link text, with the heading right before it: a
  related-stories list, at the end of the body or inside it.
* **Links outside the article.** A block that is all link text and sits outside the article
  container: a teaser of another page (a sidebar's "most read").
* **Link cards in a paragraph** (:func:`strip_link_cards`): a hover card of related stories
  inside a paragraph (a ``<span>`` of three links or more beside a name) is cut out of it.

Nothing is dropped when the furniture would be more than 40% of the extracted text (the
container was misread). The words are generic web vocabulary (what templates call these
widgets), not a list of sites; the choice is measured on pages it was not tuned on
(``bench/html_heldout.py``).
"""

from __future__ import annotations

import re
from typing import Any

WIDGET_WORDS = frozenset({
    "related", "recirc", "recirculation", "recommended", "recommendations", "newsletter",
    "newsletters", "subscribe", "subscription", "signup", "promo", "share", "sharing",
    "sharebar", "comment", "comments", "disqus", "sidebar", "advert", "advertisement",
    "ad", "ads", "sponsor", "sponsored", "outbrain", "taboola", "footer", "byline", "author",
    "autor", "postinfo", "postmeta", "caption", "breadcrumb",
    "breadcrumbs", "notification", "cookie", "popup", "modal", "tags",
})
"""``class``/``id`` words of page widgets that are not article text (whole words, after
splitting on non-letters and camelCase)."""

CONTAINER_SHARE = 0.7
WIDGET_MAX_SHARE = 0.25
LINK_LIST_DENSITY = 0.8
LINK_ITEM_MAX_CHARS = 150
MAX_DROPPED_SHARE = 0.4

_BLOCK_TAGS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "dd", "dt", "td",
               "figcaption", "pre")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_SPLIT = re.compile(r"[^a-z]+")


def _words(el: Any) -> set[str]:
    value = f"{el.get('class') or ''} {el.get('id') or ''}"
    return set(_SPLIT.split(_CAMEL.sub(" ", value).lower())) - {""}


def _collapse(text: str) -> str:
    return " ".join(text.split())


class PageBlocks:
    """The page's block-level elements by their text, and its text nodes, read once per page
    and shared by the furniture and loose-text repairs (:func:`locate`)."""

    def __init__(self, tree: Any) -> None:
        body = tree.find(".//body")
        self.root = body if body is not None else tree
        self.exact: dict[str, Any] = {}
        for el in self.root.iter(*_BLOCK_TAGS):
            self.exact.setdefault(_collapse(el.text_content()), el)
        self._nodes: list[tuple[str, Any]] | None = None

    @property
    def nodes(self) -> list[tuple[str, Any]]:
        if self._nodes is None:
            self._nodes = [(_collapse(t), t.getparent()) for t in self.root.xpath(".//text()")
                           if t.strip() and t.getparent() is not None]
        return self._nodes


def locate(tree: Any, texts: list[str], blocks: PageBlocks | None = None) -> list[Any]:
    """The page element of each extracted block text (None where it is not found): the
    first block-level element with exactly that text, else the element of the first text
    node holding its first words. ``blocks``: the page read once (else read here)."""
    blocks = blocks or PageBlocks(tree)
    found = []
    for text in texts:
        key = _collapse(text)
        el = blocks.exact.get(key)
        if el is None:
            snippet = " ".join(key.split()[:5])
            el = next((parent for t, parent in blocks.nodes if snippet and snippet in t), None)
        found.append(el)
    return found


def _link_share(el: Any) -> float:
    if next(el.iterancestors("a"), None) is not None:
        return 1.0
    total = len(_collapse(el.text_content()))
    linked = sum(len(_collapse(a.text_content())) for a in el.iter("a"))
    return linked / total if total else 0.0


def article_container(elements: list[Any], sizes: list[int]
                      ) -> tuple[Any, dict[Any, int], list[list[Any]]]:
    """``(container, held, chains)``: the deepest element holding :data:`CONTAINER_SHARE` of
    the located blocks' characters (None when there is none), the characters each ancestor
    holds, and each block's chain of ancestors (itself first; empty when not located)."""
    total = sum(size for size, el in zip(sizes, elements, strict=True) if el is not None)
    held: dict[Any, int] = {}
    chains: list[list[Any]] = []
    for size, el in zip(sizes, elements, strict=True):
        chain = [el, *el.iterancestors()] if el is not None else []
        chains.append(chain)
        for anc in chain:
            held[anc] = held.get(anc, 0) + size
    container = max((anc for anc, n in held.items() if total and n >= CONTAINER_SHARE * total),
                    key=lambda anc: sum(1 for _ in anc.iterancestors()), default=None)
    return container, held, chains


def furniture(tree: Any, parts: list[tuple[str, str]], blocks: PageBlocks | None = None) -> set[int]:
    """Indices of the blocks of ``parts`` (``(kind, text)``) that are page furniture."""
    elements = locate(tree, [t for _, t in parts], blocks)
    sizes = [len(t) for _, t in parts]
    total = sum(size for size, el in zip(sizes, elements, strict=True) if el is not None)
    if not total:
        return set()
    container, held, chains = article_container(elements, sizes)
    drop: set[int] = set()
    if container is None:
        return _link_lists(parts, elements)
    spine = {container, *container.iterancestors()}
    for i, chain in enumerate(chains):
        # the block's own widgets: its ancestors below the container, or below where it
        # joins the container's ancestors
        cut = next((k for k, anc in enumerate(chain) if anc in spine), len(chain))
        if chain and container not in chain and _link_share(chain[0]) >= LINK_LIST_DENSITY:
            drop.add(i)  # a link outside the article container: a teaser of another page
            continue
        for anc in chain[:cut]:
            if held[anc] <= WIDGET_MAX_SHARE * total and _words(anc) & WIDGET_WORDS:
                drop.add(i)
                break
    drop |= _link_lists(parts, elements)
    if sum(sizes[i] for i in drop) > MAX_DROPPED_SHARE * sum(sizes):
        return set()  # that much furniture means the container was misread: cut nothing
    return drop


def _link_lists(parts: list[tuple[str, str]], elements: list[Any]) -> set[int]:
    """Lists made of links only: every item of the page's list (two or more) extracted and
    (nearly) all link text, each a short headline; with the heading right before them."""
    lists: dict[Any, list[int]] = {}
    for i, ((kind, _text), el) in enumerate(zip(parts, elements, strict=True)):
        li = el if el is not None and el.tag == "li" else (
            next(el.iterancestors("li"), None) if el is not None else None)
        if kind == "list_item" and li is not None and li.getparent() is not None:
            lists.setdefault(li.getparent(), []).append(i)
    drop: set[int] = set()
    for owner, members in lists.items():
        items = [c for c in owner if c.tag == "li"]
        if len(members) < 2 or len(members) != len(items):
            continue
        if all(len(parts[i][1]) <= LINK_ITEM_MAX_CHARS and _link_share(elements[i]) >= LINK_LIST_DENSITY
               for i in members):
            drop.update(members)
            first = min(members)
            if first > 0 and parts[first - 1][0] == "heading":
                drop.add(first - 1)
    return drop


def strip_link_cards(tree: Any, parts: list[tuple[str, str]], blocks: PageBlocks | None = None
                     ) -> list[tuple[str, str]]:
    """``parts`` without the link cards inside their paragraphs: a ``<span>`` or ``<div>``
    in a paragraph's element that holds :data:`CARD_MIN_LINKS` links or more, is (nearly)
    all link text and at least :data:`CARD_MIN_CHARS` long (a hover card of related
    stories beside a name); the deepest such element, when its text is in the block."""
    elements = locate(tree, [t for _, t in parts], blocks)
    out = []
    for (kind, text), el in zip(parts, elements, strict=True):
        if el is not None and kind == "paragraph":
            for card in _cards(el):
                piece = _collapse(card.text_content())
                if piece in text and len(piece) < len(text):
                    text = _collapse(text.replace(piece, " "))
        out.append((kind, text))
    return out


CARD_MIN_LINKS = 3
CARD_MIN_CHARS = 60


def _cards(el: Any) -> list[Any]:
    found = [d for d in el.iterdescendants("span", "div")
             if len(d.findall(".//a")) >= CARD_MIN_LINKS
             and len(_collapse(d.text_content())) >= CARD_MIN_CHARS and _link_share(d) >= LINK_LIST_DENSITY]
    return [d for d in found if not any(o is not d and d in set(o.iterancestors()) for o in found)]
