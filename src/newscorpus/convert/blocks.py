"""Block text from marked-up content (HTML fragments in feeds, NITF bodies, XHTML).

A :class:`BlockReader` walks an element tree and returns ``(kind, text)`` parts ready for
:meth:`newscorpus.records.Article.build_text`: each block element (``p``, ``h2``, ``li``...)
gives one part of its kind, inline markup is flattened into the text around it, text that
sits loose in a container (``<div>text<p>...</p>more</div>``) becomes paragraphs of its
own, and two ``<br>`` in a row split a paragraph. Which element is which is data (a table
of local names), so HTML and NITF share one walker. Elements are matched by local name;
namespaces are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from lxml import etree

from ..text import normalize
from .xmlsafe import entity_text, is_entity, local_name

Part = tuple[str, str]
Handler = Callable[[etree._Element, list[Part]], None]

_BR = "\x00"  # marks a <br> in the buffer (never present in parsed text)
_BREAKS = re.compile(_BR + r"\s*(?:" + _BR + r"\s*)+")
_WS = re.compile(r"\s+")

HTML_KINDS: Mapping[str, str] = {
    "p": "paragraph", "pre": "paragraph", "address": "paragraph", "dd": "paragraph",
    "dt": "paragraph", "td": "paragraph", "th": "paragraph", "caption": "caption",
    "h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading",
    "h6": "heading", "li": "list_item", "blockquote": "quote", "figcaption": "caption",
}
HTML_CONTAINERS = frozenset({
    "html", "body", "div", "section", "article", "main", "header", "footer", "aside", "nav",
    "ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr", "figure", "center", "details",
    "summary", "hgroup", "fieldset", "form",
})
HTML_SKIP = frozenset({
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math",
    "head", "title", "meta", "link", "button", "select", "input", "textarea", "video", "audio",
    "canvas", "map",
})


@dataclass(slots=True)
class BlockReader:
    """Walks a tree into ``(kind, text)`` parts. ``kinds`` maps block element names to part
    kinds; ``containers`` only group blocks (loose text in them becomes ``loose_kind``
    parts); ``skip`` elements are dropped with their content (their tail is kept);
    ``handlers`` take over an element entirely (e.g. NITF ``media`` → caption + image);
    elements with a ``class`` in ``skip_classes`` (lower case, matched in any case) are
    dropped like ``skip`` ones (the dateline a wire service prints before the first
    sentence, "Berlin (dpa) - ")."""

    kinds: Mapping[str, str]
    containers: frozenset[str]
    skip: frozenset[str] = frozenset()
    handlers: Mapping[str, Handler] = field(default_factory=dict)
    loose_kind: str = "paragraph"
    skip_classes: frozenset[str] = frozenset()

    def read(self, root: etree._Element, include_root: bool = True) -> list[Part]:
        """Parts of ``root`` (``include_root``: ``root`` itself may be a block element)."""
        out: list[Part] = []
        if include_root:
            self._element(root, out, [], self.loose_kind)
        else:
            buf = [root.text or ""]
            self._children(root, out, buf, self.loose_kind)
            _flush(buf, self.loose_kind, out)
        return out

    def _children(self, el: etree._Element, out: list[Part], buf: list[str], kind: str) -> None:
        for child in el:
            self._element(child, out, buf, kind)
            if child.tail:
                buf.append(child.tail)

    def _element(self, el: etree._Element, out: list[Part], buf: list[str], kind: str) -> None:
        if is_entity(el):
            buf.append(entity_text(el))
            return
        name = local_name(el)
        if name is None or name in self.skip:
            return
        if self.skip_classes and not self.skip_classes.isdisjoint((el.get("class") or "").lower().split()):
            return
        if name == "br":
            buf.append(_BR)
            return
        handler = self.handlers.get(name)
        if handler is not None:
            _flush(buf, kind, out)
            handler(el, out)
            return
        if name in self.kinds or name in self.containers:
            # A container's loose text, and a paragraph inside a quote or list item, take
            # the kind of the block around them.
            own = self.kinds.get(name, kind)
            block_kind = kind if own == "paragraph" else own
            _flush(buf, kind, out)
            inner = [el.text or ""]
            self._children(el, out, inner, block_kind)
            _flush(inner, block_kind, out)
            return
        buf.append(el.text or "")  # inline element
        self._children(el, out, buf, kind)


def _flush(buf: list[str], kind: str, out: list[Part]) -> None:
    """Turn the buffered inline text into parts (split at double ``<br>``) and clear it."""
    if not buf:
        return
    raw = "".join(buf)
    buf.clear()
    for piece in _BREAKS.split(raw):
        text = normalize(_WS.sub(" ", piece.replace(_BR, " ")))
        if text:
            out.append((kind, text))


def element_text(el: etree._Element, skip: frozenset[str] = frozenset()) -> str:
    """All text of ``el`` on one normalized line (entities as in :func:`entity_text`),
    leaving out the content of descendants named in ``skip``."""
    parts: list[str] = []

    def walk(e: etree._Element) -> None:
        if is_entity(e):
            parts.append(entity_text(e))
        elif local_name(e) is not None and local_name(e) not in skip:
            parts.append(e.text or "")
            for child in e:
                walk(child)
        if e.tail:
            parts.append(e.tail)

    parts.append(el.text or "")
    for child in el:
        walk(child)
    return normalize(_WS.sub(" ", "".join(parts)))


# Marked-up datelines are metadata, not body text: the same wire story carries them in one
# rendering and not in another.
HTML_SKIP_CLASSES = frozenset({"dateline"})
HTML_READER = BlockReader(HTML_KINDS, HTML_CONTAINERS, HTML_SKIP, skip_classes=HTML_SKIP_CLASSES)


def html_blocks(markup: str, reader: BlockReader = HTML_READER) -> list[Part]:
    """``(kind, text)`` parts of an HTML fragment (feed content, JSON Feed ``content_html``).
    Never raises on bad markup; an empty or text-free fragment gives ``[]``."""
    if not markup or not markup.strip():
        return []
    import lxml.html

    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div", parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return []
    return reader.read(root, include_root=False)


def html_text(markup: str) -> str:
    """An HTML fragment as one normalized line (titles, captions given as HTML)."""
    return " ".join(text for _, text in html_blocks(markup))


def text_paragraphs(text: str, kind: str = "paragraph") -> list[Part]:
    """Plain text split into paragraphs at blank lines, each normalized to one line."""
    out: list[Part] = []
    for piece in re.split(r"\n[ \t\r\f\v]*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        norm = normalize(piece)
        if norm:
            out.append((kind, norm))
    return out


def drop_repeated(parts: Iterable[Part], *texts: str | None) -> list[Part]:
    """``parts`` without leading parts that repeat one of ``texts`` (a title or dek that
    the body starts with again)."""
    parts = list(parts)
    seen = {t for t in texts if t}
    while parts and parts[0][1] in seen:
        parts.pop(0)
    return parts
