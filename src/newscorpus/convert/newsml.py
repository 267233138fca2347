"""NewsML-G2 items and news messages (IPTC), parsed safely with lxml.

Only *text* news items (``itemClass`` ``ninat:text``) become articles; pictures, video,
graphics, composites, packages, concept, knowledge, planning and catalog items are skips
with a reason. A text item's body is read from its ``contentSet``: NITF carried in
``inlineXML`` goes through the NITF reader (:func:`newscorpus.convert.nitf.read_nitf`),
XHTML through the block reader, ``inlineData`` as plain text. A text item with no body but
a ``description`` becomes a summary record (``content_kind: "summary"``); one with neither
is rejected. Item metadata — headline, creators, dates, language, subjects and keywords,
provider, info source — comes from ``itemMeta``/``contentMeta``. A ``newsMessage`` gives
one outcome per item of its ``itemSet``; listing excerpts (a bare ``contentSet``,
``contentMeta`` or ``groupSet``) are converted when they carry NITF, else skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from ..records import Credit
from ..report import Skip
from .base import Converter, Input, Outcome, line_numbers
from .blocks import HTML_READER, element_text, text_paragraphs
from .bylines import Party, parse_byline, sort_parties, wire_agency
from .fields import language_tag, unique_strings
from .nitf import XML_LANG, Story, norm_date, read_nitf, story_article
from .xmlsafe import XmlProblem, local_name, parse, safe_parser, sniff_root

NAME = "newsml"
NAR = "http://iptc.org/std/nar/2006-10-01/"
ITEMS = {
    "newsItem": "news item",
    "packageItem": "package item (a package of other items, no text of its own)",
    "conceptItem": "concept item (a knowledge-base concept, not a news article)",
    "knowledgeItem": "knowledge item (a set of concepts, not a news article)",
    "planningItem": "planning item (news coverage planning, not a news article)",
    "catalogItem": "catalog item (controlled vocabulary schemes, not a news article)",
}
ROOTS = frozenset({*ITEMS, "newsMessage"})
_ITEM_NAMES = "|".join(ITEMS)
_ITEM_START = re.compile(rb"<(?:[\w.-]+:)?(?:" + _ITEM_NAMES.encode() + rb")(?=[\s/>])")
_ITEM_END = re.compile(rb"</(?:[\w.-]+:)?(?:" + _ITEM_NAMES.encode() + rb")\s*>|<(?:[\w.-]+:)?(?:"
                       + _ITEM_NAMES.encode() + rb")(?:\s[^<>]*)?/>")
FRAGMENTS = frozenset({"contentSet", "contentMeta", "itemMeta", "groupSet", "itemSet",
                       "rightsInfo", "partMeta"})
_TEXT_TYPES = ("nitf", "xhtml", "html", "text/plain", "text")
# An XHTML body's <header> and slugline/byline holds the item's metadata (headline, kicker,
# byline, subjects and keywords), which contentMeta gives: not body text; nor is an infobox
# (links and background the wire's JSON rendering carries beside the body).
_XHTML_READER = replace(HTML_READER, skip=HTML_READER.skip | {"header"},
                        skip_classes=HTML_READER.skip_classes | {"slugline", "byline", "infobox"})


def _q(name: str) -> str:
    return f"*[local-name()='{name}']"


def _first(el: etree._Element, path: str) -> etree._Element | None:
    found = el.xpath(path)
    return found[0] if found else None


def _text(el: etree._Element | None, path: str) -> str | None:
    if el is None:
        return None
    found = _first(el, path)
    return (element_text(found) or None) if found is not None else None


def _nature(item: etree._Element) -> str | None:
    """``text``, ``picture``... from ``itemClass`` (QCode ``ninat:text`` or a NewsCodes URI)."""
    cls = _first(item, f"{_q('itemMeta')}/{_q('itemClass')}")
    if cls is None:
        return None
    code = (cls.get("qcode") or cls.get("uri") or cls.get("literal") or "").strip().rstrip("/")
    return code.rsplit(":", 1)[-1].rsplit("/", 1)[-1].lower() or None


def _name(el: etree._Element, language: str | None) -> str | None:
    """The ``name`` child in ``language`` if there is one, else the first ``name``."""
    names = el.xpath(_q("name"))
    if language:
        for name in names:
            lang = name.get(XML_LANG)
            if lang and lang.lower().split("-")[0] == language.lower().split("-")[0]:
                return element_text(name) or None
    return (element_text(names[0]) or None) if names else None


def _party(el: etree._Element | None) -> str | None:
    """A party's name: its ``name`` child, else its literal, QCode code or URI host."""
    if el is None:
        return None
    name = _name(el, None)
    if name:
        return name
    if el.get("literal"):
        return el.get("literal", "").strip() or None
    qcode = el.get("qcode", "")
    if ":" in qcode:
        return qcode.split(":", 1)[1].strip().removeprefix("www.") or None
    host = urlsplit(el.get("uri", "")).hostname
    return host.removeprefix("www.") if host else None


def _party_kind(el: etree._Element) -> str:
    """``person``/``organisation`` where a creator or contributor says which it is (details
    element, ``related`` isA, a QCode of the ``web:`` scheme naming a site), else ``""``."""
    if _first(el, _q("personDetails")) is not None:
        return "person"
    if _first(el, _q("organisationDetails")) is not None or el.get("qcode", "").startswith("web:"):
        return "organisation"
    return ""


def _people(cmeta: etree._Element, story: Story, language: str | None) -> None:
    """Authors from the item's ``by`` line, else from its creators whose roles make them
    writers; the other creators and the contributors as credits (:func:`sort_parties`)."""
    def parties(tag: str) -> list[Party]:
        return [Party(name, el.get("role") or "", _party_kind(el))
                for el in cmeta.xpath(_q(tag)) if (name := _name(el, language))]

    sorted_parties = sort_parties(parties("creator"), parties("contributor"))
    by = parse_byline(_text(cmeta, _q("by")))
    if by.authors:
        story.set("authors", by.authors, "contentMeta/by")
    story.set("authors", sorted_parties.authors, "contentMeta/creator")
    credits = by.credits() + sorted_parties.credits
    story.credits += [c for c in credits if c not in story.credits]


def _content(item: etree._Element, story: Story) -> Story | str | None:
    """Fill ``story`` from the item's ``contentSet``; a new story when it carries NITF;
    a reason string when its content is not text newscorpus reads; None when empty."""
    content_set = _first(item, _q("contentSet"))
    if content_set is None:
        return None
    for part in content_set:
        kind = local_name(part)
        ctype = (part.get("contenttype") or "").lower()
        if kind == "inlineXML":
            nitf = _first(part, f".//{_q('nitf')}")
            if nitf is not None:
                return read_nitf(nitf)
            if ctype and not any(t in ctype for t in _TEXT_TYPES):
                return f"inline content of type {ctype}, not article text"
            story.body = _XHTML_READER.read(part, include_root=False)
            if story.body:
                story.rules["text"] = f"contentSet/inlineXML ({ctype or 'xhtml'})"
                return story
        elif kind == "inlineData":
            if ctype and not ctype.startswith("text/"):
                return f"inline data of type {ctype}, not article text"
            story.body = text_paragraphs(part.text or "")
            if story.body:
                story.rules["text"] = "contentSet/inlineData"
                return story
    return None


def _metadata(item: etree._Element, story: Story) -> None:
    """Fill ``story`` fields the item's metadata has and the body did not give."""
    meta = _first(item, _q("itemMeta"))
    cmeta = _first(item, _q("contentMeta"))
    language = None
    if cmeta is not None:
        lang_el = _first(cmeta, _q("language"))
        language = language_tag(lang_el.get("tag")) if lang_el is not None else None
    language = language or language_tag(item.get(XML_LANG))
    story.language = None  # the item's language wins over the inline document's
    story.set("language", language, "contentMeta/language")
    if cmeta is not None:
        headline = _text(cmeta, _q("headline"))
        if headline:
            if story.title and story.title != headline:
                story.rules["title"] = "contentMeta/headline"
            story.title = headline
            story.rules.setdefault("title", "contentMeta/headline")
        _people(cmeta, story, language)
        for source in cmeta.xpath(_q("infoSource")):
            name = _party(source)
            if name:
                story.credits.append(Credit("wire", wire_agency(name) or name))
        subjects = [_name(s, language) or _text(s, f"{_q('mainConcept')}/{_q('name')}")
                    for s in cmeta.xpath(_q("subject"))]
        keywords = [element_text(k) for k in cmeta.xpath(_q("keyword"))]
        story.set("keywords", unique_strings([*keywords, *subjects]),
                  "contentMeta/keyword+subject")
        story.set("published", norm_date(_text(cmeta, _q("contentCreated"))),
                  "contentMeta/contentCreated")
        story.set("modified", norm_date(_text(cmeta, _q("contentModified"))),
                  "contentMeta/contentModified")
        if not story.subtitle and not story.deks:
            summary = [d for d in cmeta.xpath(_q("description"))
                       if any(r in (d.get("role") or "") for r in ("summary", "abstract", "teaser"))]
            story.set("deks", [element_text(d) for d in summary[:1] if element_text(d)],
                      "contentMeta/description")
    if meta is not None:
        first = norm_date(_text(meta, _q("firstCreated")))
        if first:  # first publication beats content creation
            story.published, story.rules["published_at"] = first, "itemMeta/firstCreated"
        version = norm_date(_text(meta, _q("versionCreated")))
        if version != story.published:
            story.set("modified", version, "itemMeta/versionCreated")
        story.set("published", version, "itemMeta/versionCreated")
        rights = _first(item, f"{_q('rightsInfo')}/{_q('copyrightHolder')}")
        provider = _first(meta, _q("provider"))
        candidates = [
            (_name(provider, None) if provider is not None else None, "itemMeta/provider/name"),
            (_name(rights, None) if rights is not None else None, "rightsInfo/copyrightHolder/name"),
            (_party(provider), "itemMeta/provider"),
            (_party(rights), "rightsInfo/copyrightHolder"),
        ]
        for source, rule in candidates:
            if source:  # the item's provider wins over what inline NITF says
                story.source, story.rules["source"] = source, rule
                break


class NewsMLConverter(Converter):
    """NewsML-G2 documents: one outcome per item (one, or several in a ``newsMessage``)."""

    name = NAME
    extensions = (".xml", ".newsml")
    priority = 20

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        """Root ``newsItem``, ``newsMessage``, ``packageItem``, ``conceptItem``,
        ``knowledgeItem``, ``planningItem`` or ``catalogItem`` (in the NewsML-G2 namespace or
        none), or a NewsML-G2 listing excerpt (``contentSet``, ``contentMeta``, ``groupSet``...)."""
        root = sniff_root(head)
        if root is None or root.namespace not in (NAR, None):
            return False
        return root.local in ROOTS or root.local in FRAGMENTS

    streams = True  # a news message is read item by item; max_bytes limits a lone item

    def convert(self, inp: Input) -> Iterator[Outcome]:
        head = sniff_root(inp.head(4096))
        if head is not None and head.local == "newsMessage":
            yield from self._message(inp)
            return
        if inp.size > self.options.max_bytes:
            yield self.reject(inp, f"XML document of {inp.size} bytes is over the "
                                   f"{self.options.max_bytes}-byte limit")
            return
        root = parse(inp.data, self.options.max_bytes)
        if isinstance(root, XmlProblem):
            yield self.reject(inp, root.reason, line=root.line)
            return
        kind = local_name(root) or ""
        if kind == "newsMessage":
            yield from self._message(inp)
        elif kind in ITEMS:
            yield self._item(inp, root, kind, None)
        elif kind in FRAGMENTS:
            yield self._fragment(inp, root, kind)
        else:
            yield self.reject(inp, f"root element <{kind}> is not a NewsML-G2 item or message")

    def _message(self, inp: Input) -> Iterator[Outcome]:
        """The items of a news message, each given out as soon as its end tag is parsed
        (lxml ``iterparse``, the safe parser's settings) and then cleared from the tree, so
        that time is linear and memory holds one item whatever the message's size. Where the
        message is not well-formed, it is rejected and, when it is small enough to read
        whole, the items after the damage are salvaged (:meth:`_salvage`)."""
        index = 0
        with inp.open() as fh:
            items = etree.iterparse(fh, events=("end",), resolve_entities=False, no_network=True,
                                    huge_tree=False, load_dtd=False, remove_pis=True)
            try:
                for _, el in items:
                    parent = el.getparent()
                    if parent is None or local_name(parent) != "itemSet" or not local_name(el):
                        continue
                    index += 1
                    yield self._item(inp, el, f"item {index} (line {el.sourceline})", el.sourceline)
                    el.clear(keep_tail=True)
                    while el.getprevious() is not None:  # items already given out
                        del parent[0]
            except etree.XMLSyntaxError as exc:
                line = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else None
                yield self.reject(inp, f"not well-formed XML: {exc.msg}", line=line)
                if inp.size <= self.options.max_bytes:
                    yield from self._salvage(inp, done=index)
                return
        if index == 0:
            yield Skip(inp.name, "news message with no items")

    def _salvage(self, inp: Input, done: int = 0) -> Iterator[Outcome]:
        """The items of a damaged news message after the first ``done`` (the message itself
        is rejected): a recovering parse keeps the complete items, and each item start tag
        without its end tag, or lost by the parse, is a rejection naming its byte offset."""
        starts = [m.start() for m in _ITEM_START.finditer(inp.data)]
        complete = len(_ITEM_END.findall(inp.data))
        try:
            root = etree.fromstring(inp.data, safe_parser(recover=True))
        except etree.XMLSyntaxError:
            root = None
        items = [] if root is None else [el for el in root.xpath(f"{_q('itemSet')}/*") if local_name(el)]
        lines = line_numbers(inp.data, starts)
        for index in range(done + 1, max(len(starts), len(items)) + 1):
            at = starts[index - 1] if index <= len(starts) else None
            line = lines[index - 1] if at is not None else None
            if index <= min(complete, len(items)):
                item = items[index - 1]
                yield self._item(inp, item, f"item {index} (line {item.sourceline})", item.sourceline)
            else:
                why = "cut short (no end tag)" if index > complete else "lost by the parser"
                yield self.reject(inp, f"item {index} of the damaged news message at byte {at}: {why}",
                                  line=line, offset=at)

    def _origin(self, inp: Input, line: int | None) -> dict[str, Any]:
        origin: dict[str, Any] = {"path": inp.name, "sha256": inp.sha256, "format": NAME}
        if line is not None:
            origin["line"] = line
        return origin

    def _fragment(self, inp: Input, root: etree._Element, kind: str) -> Outcome:
        nitf = _first(root, f".//{_q('nitf')}")
        if nitf is None:
            return Skip(inp.name, f"NewsML-G2 excerpt <{kind}> (part of an item, no article "
                                  "text of its own)")
        story = read_nitf(nitf)
        story.rules = {k: f"{kind}/inlineXML/nitf:{v}" for k, v in story.rules.items()}
        result = story_article(story, self._origin(inp, None), NAME, self.options.language)
        return self.reject(inp, f"<{kind}> excerpt with NITF: {result}") \
            if isinstance(result, str) else result

    def _item(self, inp: Input, item: etree._Element, where: str, line: int | None) -> Outcome:
        kind = local_name(item) or "?"
        guid = item.get("guid") or "no guid"
        label = f"{where}: {ITEMS.get(kind, kind)} {guid!r}" if line else f"{ITEMS.get(kind, kind)} {guid!r}"
        if kind != "newsItem":
            return Skip(inp.name, f"{label}: not converted")
        nature = _nature(item)
        if nature is None:
            return self.reject(inp, f"{label} has no itemClass", line=line)
        if nature != "text":
            return Skip(inp.name, f"{label} is a {nature} item, not text")
        content = _content(item, Story())
        if isinstance(content, str):
            return Skip(inp.name, f"{label}: {content}")
        story = content or Story()
        if content is not None and story.rules.get("text") == "body.content":
            story.rules = {k: f"inlineXML/nitf:{v}" for k, v in story.rules.items()}
        _metadata(item, story)
        if not story.body:
            if not story.deks:
                return self.reject(inp, f"{label}: text item with no body text and no "
                                        "description", line=line)
            story.content_kind = "summary"
            story.rules["text"] = "contentMeta/description (no body)"
        story.ref = guid if guid != "no guid" else story.ref
        if line is not None:  # an item of a news message: say which
            story.rules["origin"] = where
        result = story_article(story, self._origin(inp, line), NAME, self.options.language)
        if isinstance(result, str):
            return self.reject(inp, f"{label}: {result}", line=line)
        return result
