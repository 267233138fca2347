"""NITF 3.x articles (News Industry Text Format), parsed safely with lxml.

``hedline/hl1`` is the title and ``hl2`` the dek, ``abstract`` paragraphs follow as deks,
``byline`` gives the authors (``person`` elements, else the byline text without its
``byttl`` title), ``body.content`` gives paragraphs, ``hl2`` headings, list items, block
quotes and media captions (with the image URL and producer credit); tables are left out.
Dates come from ``docdata/date.issue``, else ``pubdata/@date.publication``, else the
dateline's ``story.date``; keywords from ``docdata/key-list``; the source from ``pubdata``,
the distributor or the copyright holder.

:func:`read_nitf` is also what the NewsML-G2 converter uses for NITF carried inline.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from ..dates import parse_date
from ..ids import article_id as make_id
from ..records import Article, Credit, Image
from .base import Converter, Input, Outcome
from .blocks import BlockReader, Part, drop_repeated, element_text
from .bylines import Byline, parse_byline, person_name
from .fields import language_tag, unique_strings
from .xmlsafe import XmlProblem, local_name, parse, sniff_root

NAME = "nitf"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

BODY_KINDS = {
    "p": "paragraph", "pre": "paragraph", "dd": "paragraph", "dt": "paragraph",
    "hl1": "heading", "hl2": "heading", "li": "list_item", "bq": "quote",
    "blockquote": "quote",
}
BODY_CONTAINERS = frozenset({"body.content", "block", "ul", "ol", "dl", "div", "section"})
BODY_SKIP = frozenset({"nitf-table", "table", "fn", "note", "ed-msg", "object", "body.end",
                       "tagline", "byline", "dateline", "hedline", "script", "style"})
_ABSTRACT = BlockReader({"p": "paragraph", "hl2": "paragraph"}, frozenset({"block"}),
                        loose_kind="dek")


@dataclass(slots=True)
class Story:
    """Article fields read from NITF (or NewsML-G2) before they become an :class:`Article`."""

    title: str | None = None
    subtitle: str | None = None
    deks: list[str] = field(default_factory=list)
    body: list[Part] = field(default_factory=list)
    images: list[tuple[int | None, Image]] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    source: str | None = None
    language: str | None = None
    keywords: list[str] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)
    url: str | None = None
    ref: str | None = None
    content_kind: str | None = None
    rules: dict[str, str] = field(default_factory=dict)

    def set(self, key: str, value: Any, rule: str) -> None:
        """Set field ``key`` (named as in :class:`Story`) unless it already has a value."""
        if value and not getattr(self, key):
            setattr(self, key, value)
            self.rules.setdefault(_FIELD.get(key, key), rule)


_FIELD = {"published": "published_at", "modified": "modified_at", "body": "text",
          "deks": "subtitle"}


def norm_date(value: str | None) -> str | None:
    """ISO 8601 of an NITF/NewsML date (:func:`newscorpus.dates.parse_date`: the basic form
    ``20020225T143000-0500`` included; a time without a UTC offset keeps only its day)."""
    return parse_date(value) if value and value.strip() else None


def _first(root: etree._Element, path: str) -> etree._Element | None:
    found = root.xpath(path)
    return found[0] if found else None


def _attr(root: etree._Element, path: str, name: str) -> str | None:
    el = _first(root, path)
    value = el.get(name) if el is not None else None
    return value.strip() if value and value.strip() else None


def _text(root: etree._Element, path: str) -> str | None:
    el = _first(root, path)
    return (element_text(el) or None) if el is not None else None


def _byline_people(byline: etree._Element) -> Byline:
    """The people of an NITF byline (its ``person`` elements, else its text without the
    ``byttl`` title) and the agencies it names."""
    text = parse_byline(element_text(byline, skip=frozenset({"byttl"})))
    persons = [element_text(p) for p in byline.xpath(".//*[local-name()='person']")]
    photographers = {p.casefold() for p in text.photographers}
    people = [name for p in persons
              if p and (name := person_name(p)) and name.casefold() not in photographers]
    return Byline(people, text.agencies, text.photographers) if people else text


def _body_reader(images: list[tuple[int | None, Image]]) -> BlockReader:
    def media(el: etree._Element, out: list[Part]) -> None:
        caption_el = _first(el, "./*[local-name()='media-caption']")
        caption = element_text(caption_el) if caption_el is not None else ""
        url = _attr(el, "./*[local-name()='media-reference']", "source") or _attr(
            el, "./*[local-name()='media-reference']", "data")
        producers = [element_text(p) for p in el.xpath("./*[local-name()='media-producer']")]
        credit = ", ".join(p for p in producers if p) or None
        index: int | None = None
        if caption:
            index = len(out)
            out.append(("caption", caption))
        if caption or url:
            images.append((index, Image(url, caption or None, credit)))

    return BlockReader(BODY_KINDS, BODY_CONTAINERS, BODY_SKIP, {"media": media})


def read_nitf(nitf: etree._Element) -> Story:
    """The story in an ``<nitf>`` element (namespaced or not, any 3.x version)."""
    story = Story()
    q = "*[local-name()='{}']".format
    head = _first(nitf, q("head"))
    body = _first(nitf, q("body"))
    body_head = _first(body, q("body.head")) if body is not None else None
    if body_head is not None:
        story.set("title", _text(body_head, f"{q('hedline')}/{q('hl1')}"), "hedline/hl1")
        story.set("subtitle", _text(body_head, f"{q('hedline')}/{q('hl2')}"), "hedline/hl2")
        abstract = _first(body_head, q("abstract"))
        if abstract is not None:
            story.set("deks", [t for _, t in _ABSTRACT.read(abstract, include_root=False)],
                      "abstract")
        people = Byline()
        for byline in body_head.xpath(q("byline")):
            people.add(_byline_people(byline))
        story.set("authors", people.authors, "byline")
        story.credits += people.credits()
        distributor = _text(body_head, q("distributor"))
        story.set("published", norm_date(_attr(body_head, f".//{q('story.date')}", "norm")),
                  "dateline/story.date")
    else:
        distributor = None
    if head is not None:
        story.set("title", _text(head, q("title")), "head/title")
        docdata = _first(head, q("docdata"))
        pubdata = _first(head, q("pubdata"))
        if docdata is not None:
            issue = norm_date(_attr(docdata, q("date.issue"), "norm"))
            if issue:  # date.issue wins over the dateline's story date
                story.published, story.rules["published_at"] = issue, "docdata/date.issue"
            story.set("keywords", unique_strings(
                k.get("key") for k in docdata.xpath(f"{q('key-list')}/{q('keyword')}")),
                "docdata/key-list")
            story.ref = _attr(docdata, q("doc-id"), "id-string")
        if pubdata is not None:
            story.set("source", pubdata.get("name", "").strip(), "pubdata/@name")
            story.set("published", norm_date(pubdata.get("date.publication")),
                      "pubdata/@date.publication")
        story.set("source", distributor, "body.head/distributor")
        if docdata is not None:
            story.set("source", _attr(docdata, q("doc.copyright"), "holder"),
                      "docdata/doc.copyright/@holder")
            story.set("published", norm_date(_attr(docdata, q("date.release"), "norm")),
                      "docdata/date.release")
    else:
        story.set("source", distributor, "body.head/distributor")
    content = _first(body, q("body.content")) if body is not None else None
    if content is not None:
        story.body = _body_reader(story.images).read(content, include_root=False)
        if story.body:
            story.rules["text"] = "body.content"
        if story.images:
            story.rules["images"] = "body.content/media"
    story.set("language", language_tag(nitf.get(XML_LANG)), "nitf/@xml:lang")
    return story


def story_article(story: Story, origin: dict[str, Any], converter: str,
                  language: str | None = None) -> Article | str:
    """``story`` as an :class:`Article`, or why it cannot be one. ``language`` (an option)
    overrides the story's."""
    if not story.title:
        return "no headline (no hl1, headline or title)"
    deks = ([story.subtitle] if story.subtitle else []) + [
        d for d in story.deks if d != story.subtitle and d != story.title]
    body = list(story.body)
    dropped = len(body)
    body = drop_repeated(body, story.title, *deks)
    dropped -= len(body)
    if not body and story.content_kind != "summary":
        return "no body text"
    parts: list[Part] = [("title", story.title), *(("dek", d) for d in deks), *body]
    text, blocks = Article.build_text(parts)
    first_body = 1 + len(deks)
    images: list[Image] = []
    credits = list(story.credits)
    for index, image in story.images:
        block = None if index is None or index < dropped else first_body + index - dropped
        images.append(Image(image.url, image.caption, image.credit, block))
        if image.credit:
            credits.append(Credit("photo", image.credit, block))
    source = story.source or "unknown"
    rules = dict(story.rules)
    rules.setdefault("source", "none")
    rules["title"] = rules.get("title", "title")
    url = story.url.strip() if story.url else None  # stored as the source gave it
    # the URL, else the item's own global identifier (GUID/URN), else source + title + day
    article_id, rules["id"] = make_id(url, story.ref, source=source, title=story.title,
                                      date=story.published)
    lang = language or story.language
    if language:
        rules["language"] = "option"
    if not images:
        rules.pop("images", None)
    provenance = {k: {"converter": converter, "rule": v} for k, v in sorted(rules.items())}
    return Article(
        id=article_id, source=source, title=story.title, text=text, blocks=blocks,
        origin=origin, url=url, subtitle=deks[0] if deks else None, authors=story.authors,
        published_at=story.published, modified_at=story.modified, language=lang,
        credits=credits, provenance=provenance, images=images,
        content_kind=story.content_kind, keywords=story.keywords,
    )


class NitfConverter(Converter):
    """NITF 3.x documents (root ``nitf``), one article per file."""

    name = NAME
    extensions = (".xml", ".nitf")
    priority = 20

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        root = sniff_root(head)
        return root is not None and root.local == "nitf"

    def convert(self, inp: Input) -> Iterator[Outcome]:
        root = parse(inp.data, self.options.max_bytes)
        if isinstance(root, XmlProblem):
            yield self.reject(inp, root.reason, line=root.line)
            return
        if local_name(root) != "nitf":
            yield self.reject(inp, f"root element is <{local_name(root)}>, not <nitf>")
            return
        origin = {"path": inp.name, "sha256": inp.sha256, "format": NAME}
        result = story_article(read_nitf(root), origin, NAME, self.options.language)
        yield self.reject(inp, result) if isinstance(result, str) else result
