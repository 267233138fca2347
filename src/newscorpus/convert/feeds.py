"""Feeds: RSS 0.9x/1.0/2.0 and Atom (with feedparser), and JSON Feed 1.0/1.1.

Each item is one outcome. An item with full content (``content:encoded``, Atom
``content``, JSON Feed ``content_html``/``content_text``) becomes an article; an item with
only a summary (RSS ``description``, Atom ``summary``) becomes a record with
``content_kind: "summary"``, which :mod:`newscorpus.convert.completion` can complete from
the HTML page at the item's URL. An item with no title, or with neither text nor link, is
rejected with its index and line in the feed.

Ill-formed ("bozo") feeds are salvaged: whatever items feedparser recovers are converted,
and the parser's complaint is reported only when nothing usable came out (a feed with no
items, or items that are all rejected). A well-formed feed with no items is a skip.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

from ..dates import parse_date
from ..ids import article_id as make_id
from ..records import Article, Credit, Image
from ..report import Skip
from .base import Converter, Input, Outcome, json_problem
from .blocks import Part, drop_repeated, html_blocks, html_text, text_paragraphs
from .bylines import Byline, parse_authors
from .feedscan import ItemScan, scan_items
from .fields import language_tag, single_line_text, unique_strings
from .xmlsafe import sniff_root

NAME = "feed"
FEED_ROOTS = frozenset({"rss", "feed", "RDF"})
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_JSONFEED_VERSION = re.compile(r'"version"\s*:\s*"(https?://jsonfeed\.org/version/[\d.]+|1(?:\.\d+)?)"')
_JSONFEED_KEYS = re.compile(r'"(?:items|home_page_url|feed_url)"\s*:')
_IMAGE_EXT = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|svg)(?:$|\?)", re.IGNORECASE)
_HTML_TYPES = ("html", "xhtml")


@dataclass(slots=True)
class FeedItem:
    """One feed item, format-neutral: what RSS, Atom and JSON Feed items have in common."""

    index: int
    line: int | None = None
    offset: int | None = None
    title: str | None = None
    link: str | None = None
    guid: str | None = None
    authors: list[str] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)  # agencies, photographers, contributors
    published: str | None = None
    modified: str | None = None
    content: list[Part] = field(default_factory=list)
    summary: list[Part] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    language: str | None = None
    rules: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Feed:
    """A parsed feed: its own metadata, its items, and the parser's complaint if ill-formed."""

    version: str
    title: str | None = None
    link: str | None = None
    language: str | None = None
    publisher: str | None = None
    encoding: str | None = None
    problem: str | None = None
    problem_line: int | None = None
    truncated_at: int | None = None  # the document ends before the root's closing tag
    items: list[FeedItem] = field(default_factory=list)
    total: int | None = None  # items in the whole feed, when these are a batch of them


# ---------------------------------------------------------------------------- dates


def feed_date(raw: object, parsed: object = None) -> str | None:
    """ISO 8601 (with the source's UTC offset) of a feed date: RFC 822 (RSS), W3C-DTF/ISO
    (Atom, Dublin Core, JSON Feed), then any format dateparser reads; as a last resort the
    UTC time feedparser parsed (``*_parsed``)."""
    if isinstance(raw, str) and raw.strip():
        iso = parse_date(raw)
        if iso is not None:
            return iso
    if parsed is not None:
        try:
            return datetime(*parsed[:6], tzinfo=UTC).isoformat()  # type: ignore[index, misc]
        except (TypeError, ValueError):
            return None
    return None


# ----------------------------------------------------------------------- XML feeds


def _detail_text(detail: Mapping[str, Any] | None, value: object) -> str | None:
    if not isinstance(value, str):
        return None
    kind = (detail or {}).get("type") or ""
    if any(t in kind for t in _HTML_TYPES):
        return html_text(value) or None
    return single_line_text(value)


def _body(detail: Mapping[str, Any] | None) -> list[Part]:
    if not detail or not isinstance(detail.get("value"), str):
        return []
    kind = detail.get("type") or "text/html"
    if any(t in kind for t in _HTML_TYPES):
        return html_blocks(detail["value"])
    return text_paragraphs(detail["value"])


def _is_url(value: object) -> bool:
    return isinstance(value, str) and urlsplit(value.strip()).scheme in ("http", "https")


def _note(item: FeedItem, **rules: str) -> None:
    """Record the rule of each field the item has a value for (unless already recorded)."""
    values = {"title": item.title, "authors": item.authors, "keywords": item.keywords,
              "images": item.images, "modified_at": item.modified, "credits": item.credits}
    for key, rule in rules.items():
        if values[key]:
            item.rules.setdefault(key, rule)


def _xml_item(entry: Mapping[str, Any], index: int, line: int | None,
              inherit: Byline, base: str | None) -> FeedItem:
    item = FeedItem(index, line)
    item.title = _detail_text(entry.get("title_detail"), entry.get("title"))
    link = entry.get("link")
    if isinstance(link, str) and link.strip() and base and not _is_url(link):
        link = urljoin(base, link.strip())  # relative, and no xml:base: the feed's own link
    # FeedBurner's origLink is the story's own URL; its <link> is a redirect through feedproxy
    guid = entry.get("id")
    item.guid = guid.strip() if isinstance(guid, str) and guid.strip() else None
    # a guid that says isPermaLink="false" identifies the item but is not where the story is
    permalink = item.guid if entry.get("guidislink") is not False else None
    for value, rule in ((entry.get("feedburner_origlink"), "feedburner:origLink"), (link, "link"),
                        (permalink, "guid")):
        if isinstance(value, str) and _is_url(value):
            item.link, item.rules["url"] = value.strip(), rule
            break
    _set_byline(item, parse_authors(entry.get("authors") or []), inherit, "author", "feed author")
    contributors = parse_authors(entry.get("contributors") or [])
    _add_credits(item, [Credit("contributor", n) for n in contributors.authors] + contributors.credits(),
                 "contributor")
    for key in ("published", "created", "updated"):
        iso = feed_date(entry.get(key), entry.get(f"{key}_parsed"))
        if iso:
            item.published, item.rules["published_at"] = iso, key
            break
    updated = feed_date(entry.get("updated"), entry.get("updated_parsed"))
    if updated and updated != item.published:
        item.modified = updated
    for content in entry.get("content") or []:
        item.content = _body(content)
        if item.content:
            item.rules["text"] = f"content ({content.get('type') or 'text/html'})"
            break
    item.summary = _body(entry.get("summary_detail"))
    item.keywords = unique_strings(t.get("label") or t.get("term") for t in entry.get("tags") or [])
    item.images = _xml_images(entry)
    _note(item, title="title", keywords="category", images="enclosure/media", modified_at="updated")
    details = [*(entry.get("content") or []), entry.get("summary_detail"),
               entry.get("title_detail")]
    for detail in details:
        lang = language_tag((detail or {}).get("language"))
        if lang:
            item.language = lang
            break
    return item


def _xml_images(entry: Mapping[str, Any]) -> list[Image]:
    credits = [c.get("content") for c in entry.get("media_credit") or [] if isinstance(c, dict)]
    credit = single_line_text(credits[0]) if credits else None
    urls: list[str] = []
    enclosures = [link for link in entry.get("links") or [] if link.get("rel") == "enclosure"]
    for enc in enclosures:
        href, kind = enc.get("href"), enc.get("type") or ""
        if _is_url(href) and (kind.startswith("image/") or (not kind and _IMAGE_EXT.search(href))):
            urls.append(href)
    for media in entry.get("media_content") or []:
        url, kind = media.get("url"), media.get("type") or ""
        if _is_url(url) and (media.get("medium") == "image" or kind.startswith("image/")):
            urls.append(url)
    if not urls:
        urls = [t["url"] for t in entry.get("media_thumbnail") or [] if _is_url(t.get("url"))]
    seen: list[str] = []
    for url in urls:
        if url not in seen:
            seen.append(url)
    return [Image(url, None, credit) for url in seen]


def _plain(d: object) -> dict[str, Any]:
    """A feedparser dict as a plain dict: its stored keys only, without feedparser's key
    aliases (reading an absent ``updated`` through them warns and returns ``published``)."""
    return {k: dict.__getitem__(d, k) for k in dict.keys(d)} if isinstance(d, dict) else {}


def read_xml_feed(data: bytes) -> Feed:
    """Parse an RSS/Atom feed with feedparser (from memory: never a file name or URL)."""
    import feedparser

    try:
        parsed = _plain(feedparser.parse(io.BytesIO(data), sanitize_html=True,
                                         resolve_relative_uris=True))
    except Exception as exc:  # feedparser itself fails on some garbage (e.g. UnicodeDecodeError)
        return Feed("unknown", problem=f"feedparser failed: {type(exc).__name__}: {exc}")
    meta = _plain(parsed.get("feed"))
    feed = Feed(parsed.get("version") or "unknown")
    feed.title = _detail_text(meta.get("title_detail"), meta.get("title"))
    feed.link = meta.get("link") if _is_url(meta.get("link")) else None
    feed.language = language_tag(meta.get("language"))
    feed.publisher = single_line_text(meta.get("publisher"))
    feed.encoding = parsed.get("encoding")
    if parsed.get("bozo"):
        bozo = parsed.get("bozo_exception")
        feed.problem = f"{type(bozo).__name__}: {bozo}" if bozo is not None else "ill-formed feed"
        get_line = getattr(bozo, "getLineNumber", None)
        if callable(get_line):
            line = get_line()
            feed.problem_line = line if isinstance(line, int) and line > 0 else None
    inherit = parse_authors(meta.get("authors") or []) if feed.version.startswith("atom") else Byline()
    entries: list[dict[str, Any] | None] = [_plain(e) for e in parsed.get("entries") or []]
    scan = scan_items(data)
    scanned: list[ItemScan | None] = [None] * len(entries)
    if scan is not None:
        found, closed = scan
        if not closed:
            feed.truncated_at = len(data)
        if len(found) > len(entries):  # the parser lost items: read each complete one alone
            entries = [_recover_item(data, found[0].start, it) for it in found]
        if len(found) == len(entries):
            scanned = list(found)
    for i, (entry, where) in enumerate(zip(entries, scanned, strict=True), 1):
        line = where.line if where else None
        if where is not None and where.end is None:
            feed.items.append(FeedItem(i, line, offset=where.start, rules={
                "problem": f"item cut short at byte {where.start}: no closing tag (the feed is truncated)"}))
        elif entry is None:
            feed.items.append(FeedItem(i, line, offset=where.start if where else None, rules={
                "problem": f"item at byte {where.start if where else '?'} could not be read, even alone"}))
        else:
            item = _xml_item(entry, i, line, inherit, feed.link)
            item.offset = where.start if where else None
            feed.items.append(item)
    return feed


def _recover_item(data: bytes, first: int, item: ItemScan) -> dict[str, Any] | None:
    """The entry feedparser reads from the feed's head (everything before its first item:
    declarations, root and channel) followed by this one complete item; None if none."""
    if item.end is None:
        return None
    import feedparser

    try:
        parsed = _plain(feedparser.parse(io.BytesIO(data[:first] + data[item.start:item.end]),
                                         sanitize_html=True, resolve_relative_uris=True))
    except Exception:  # noqa: BLE001 - feedparser fails on some garbage
        return None
    entries = parsed.get("entries") or []
    return _plain(entries[0]) if len(entries) == 1 else None


# ----------------------------------------------------------------------- JSON Feed


def _json_item_lines(text: str) -> list[int]:
    """1-based line of each object in the top-level ``items`` array ([] if not found)."""
    decoder = json.JSONDecoder()
    ws = re.compile(r"[ \t\n\r]*")
    try:
        pos = ws.match(text, 0).end()  # type: ignore[union-attr]
        if text[pos] != "{":
            return []
        pos += 1
        while True:
            pos = ws.match(text, pos).end()  # type: ignore[union-attr]
            if text[pos] == "}":
                return []
            key, pos = json.decoder.scanstring(text, pos + 1)  # type: ignore[attr-defined]
            pos = ws.match(text, pos).end() + 1  # type: ignore[union-attr]  # the ':'
            pos = ws.match(text, pos).end()  # type: ignore[union-attr]
            if key == "items" and text[pos] == "[":
                lines: list[int] = []
                line, last = 1, 0
                pos += 1
                while True:
                    pos = ws.match(text, pos).end()  # type: ignore[union-attr]
                    if text[pos] == "]":
                        return lines
                    line += text.count("\n", last, pos)
                    last = pos
                    lines.append(line)
                    _, pos = decoder.raw_decode(text, pos)
                    pos = ws.match(text, pos).end()  # type: ignore[union-attr]
                    if text[pos] == ",":
                        pos += 1
            _, pos = decoder.raw_decode(text, pos)
            pos = ws.match(text, pos).end()  # type: ignore[union-attr]
            if text[pos] == ",":
                pos += 1
    except (IndexError, ValueError, AttributeError):
        return []


def _json_authors(obj: Mapping[str, Any]) -> Byline:
    authors = obj.get("authors")
    if isinstance(authors, list):
        return parse_authors(authors)
    author = obj.get("author")
    return parse_authors([author]) if author else Byline()


def _set_byline(item: FeedItem, byline: Byline, inherit: Byline, rule: str, inherit_rule: str) -> None:
    """The item's authors and the credits of its byline (agencies, photographers: see
    :mod:`~newscorpus.convert.bylines`); the feed's own byline when the item has none."""
    if not (byline.authors or byline.agencies or byline.photographers):
        byline, rule = inherit, inherit_rule
    item.authors = list(byline.authors)
    if item.authors:
        item.rules.setdefault("authors", rule)
    _add_credits(item, byline.credits(), rule)


def _add_credits(item: FeedItem, credits: list[Credit], rule: str) -> None:
    for credit in credits:
        if all((c.role, c.name.casefold()) != (credit.role, credit.name.casefold()) for c in item.credits):
            item.credits.append(credit)
            item.rules.setdefault("credits", rule)


def _json_item(obj: Mapping[str, Any], index: int, line: int | None, inherit: Byline,
               feed_language: str | None) -> FeedItem:
    item = FeedItem(index, line)
    item.title = single_line_text(obj.get("title"))
    if isinstance(obj.get("id"), str | int) and str(obj["id"]).strip():
        item.guid = str(obj["id"]).strip()  # JSON Feed: "unique for that item for that feed"
    for key in ("url", "external_url", "id"):
        if _is_url(obj.get(key)):
            item.link, item.rules["url"] = obj[key].strip(), key
            break
    rule = "authors" if "authors" in obj else "author"
    _set_byline(item, _json_authors(obj), inherit, rule, "feed authors")
    item.published = feed_date(obj.get("date_published"))
    item.modified = feed_date(obj.get("date_modified"))
    if item.published:
        item.rules["published_at"] = "date_published"
    if item.modified == item.published:
        item.modified = None
    if isinstance(obj.get("content_html"), str):
        item.content, item.rules["text"] = html_blocks(obj["content_html"]), "content_html"
    if not item.content and isinstance(obj.get("content_text"), str):
        item.content, item.rules["text"] = text_paragraphs(obj["content_text"]), "content_text"
    if isinstance(obj.get("summary"), str):
        item.summary = text_paragraphs(obj["summary"])
    tags = obj.get("tags")
    item.keywords = unique_strings(tags) if isinstance(tags, list) else []
    urls = [obj.get(k) for k in ("image", "banner_image")]
    for att in obj.get("attachments") or []:
        if isinstance(att, dict) and str(att.get("mime_type", "")).startswith("image/"):
            urls.append(att.get("url"))
    seen: list[str] = []
    for url in urls:
        if isinstance(url, str) and _is_url(url) and url not in seen:
            seen.append(url)
    item.images = [Image(url) for url in seen]
    item.language = language_tag(obj.get("language")) or feed_language
    _note(item, title="title", keywords="tags", images="image/attachments", modified_at="date_modified")
    return item


def read_json_feed(data: bytes) -> Feed:
    """Parse a JSON Feed (1.0 or 1.1). A document that is not one gives a feed with a
    ``problem`` and no items."""
    feed = Feed("json")
    try:
        text = data.decode("utf-8-sig")
        doc = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError):
        bad = json_problem(data)
        feed.problem, feed.problem_line = f"JSON Feed: {bad.reason}", bad.line
        return feed
    if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
        feed.problem = "not a JSON Feed: no top-level object with an 'items' list"
        return feed
    version = str(doc.get("version", ""))
    feed.version = "json" + version.rsplit("/", 1)[-1].replace(".", "")
    feed.title = single_line_text(doc.get("title"))
    feed.link = doc.get("home_page_url") if _is_url(doc.get("home_page_url")) else None
    feed.language = language_tag(doc.get("language"))
    feed.encoding = "utf-8"
    lines = _json_item_lines(text)
    if len(lines) != len(doc["items"]):
        lines = []
    inherit = _json_authors(doc)
    for i, obj in enumerate(doc["items"], 1):
        line = lines[i - 1] if lines else None
        if isinstance(obj, dict):
            feed.items.append(_json_item(obj, i, line, inherit, feed.language))
        else:
            problem = f"item is a JSON {type(obj).__name__}, not an object"
            feed.items.append(FeedItem(i, line, rules={"problem": problem}))
    return feed


def _looks_like_json(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def read_feed(data: bytes) -> Feed:
    """Parse any supported feed: JSON Feed when the document is a JSON object, else XML."""
    return read_json_feed(data) if _looks_like_json(data) else read_xml_feed(data)


# ----------------------------------------------------------------------- converter


def _split_publishers(authors: list[str], feed: Feed, source: str) -> tuple[list[str], list[str]]:
    """``(people, publishers)``: an "author" that is the feed's publisher or title (the
    outlet, not a person) is a credit, not an author."""
    outlets = {" ".join(n.casefold().split()) for n in (feed.publisher, feed.title, source) if n}
    people = [a for a in authors if " ".join(a.casefold().split()) not in outlets]
    return people, [a for a in authors if a not in people]


def _channel_language(channel: str, text: str) -> tuple[str, str]:
    """The language of an item that has none of its own: the text's, when identification is
    confident (the channel's tag kept when it agrees), else the channel's."""
    from ..language import MIN_PROBABILITY, identify

    guess = identify(text)
    if guess is None or guess[1] < MIN_PROBABILITY:
        return channel, "feed (text too short or unclear to identify)"
    if channel.split("-")[0].lower() == guess[0]:
        return channel, f"feed, agrees with py3langid p={guess[1]:.2f}"
    return guess[0], f"py3langid p={guess[1]:.2f} (the feed says {channel})"


class FeedConverter(Converter):
    """RSS, Atom and JSON Feed documents; one outcome per item."""

    name = NAME
    extensions = (".rss", ".atom", ".rdf", ".xml", ".json")
    priority = 30

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        """XML whose root is ``rss``, ``feed`` (Atom) or ``rdf:RDF`` (RSS 1.0); JSON whose
        ``version`` is a JSON Feed version and which has feed keys."""
        if path.suffix.lower() in (".jsonl", ".csv", ".warc", ".gz"):  # content before .html
            return False
        if _looks_like_json(head):
            text = head.decode("utf-8", errors="ignore")
            return bool(_JSONFEED_VERSION.search(text) and _JSONFEED_KEYS.search(text))
        root = sniff_root(head)
        if root is None or root.local not in FEED_ROOTS:
            return False
        if root.local == "RDF":
            return root.namespace == RDF_NS or root.prefix == "rdf"
        if root.local == "feed":  # Atom 0.3/1.0, never another XML vocabulary's <feed>
            return root.namespace is None or "atom" in root.namespace.lower()
        return root.local == "rss" or root.namespace is None

    streams = True  # an XML feed over stream_bytes is read a batch of items at a time
    stream_bytes: ClassVar[int] = 4 << 20
    """XML feeds larger than this are read in batches (:mod:`newscorpus.convert.feedstream`);
    ``max_bytes`` then limits nothing but the items' own content."""

    def convert(self, inp: Input) -> Iterator[Outcome]:
        if inp.is_blank():
            yield self.reject(inp, "empty file (no feed)")
            return
        if inp.size > self.stream_bytes and not _looks_like_json(inp.head(64)):
            yield from self._stream(inp)
            return
        if inp.size > self.options.max_bytes:
            yield self.reject(inp, f"feed of {inp.size} bytes is over the "
                                   f"{self.options.max_bytes}-byte limit")
            return
        feed = read_feed(inp.data)
        cut = (f"feed truncated at byte {feed.truncated_at}: the document ends before the root's "
               "closing tag") if feed.truncated_at is not None else None
        if cut and feed.items:  # the container itself: one rejection of its own
            yield self.reject(inp, f"{cut} ({len(feed.items)} item(s) started before)",
                              offset=feed.truncated_at)
        if not feed.items:
            if feed.problem or cut:
                reason = "; ".join(r for r in (feed.problem, cut) if r)
                yield self.reject(inp, f"ill-formed feed, nothing could be read: {reason}",
                                  line=feed.problem_line, offset=feed.truncated_at)
            else:
                title = f" {feed.title!r}" if feed.title else ""
                yield Skip(inp.name, f"feed{title} has no items ({feed.version}, "
                                     f"encoding {feed.encoding or 'unknown'})")
            return
        for item in feed.items:
            yield self._outcome(inp, feed, item)

    def _stream(self, inp: Input) -> Iterator[Outcome]:
        from .feedstream import stream_feed

        started = 0
        last: Feed | None = None
        with inp.open() as fh:
            for feed in stream_feed(fh):
                for item in feed.items:
                    yield self._outcome(inp, feed, item)
                started += len(feed.items)
                last = feed
        if last is not None and last.truncated_at is not None and started:
            yield self.reject(inp, f"feed truncated at byte {last.truncated_at}: the document ends "
                                   f"before the root's closing tag ({started} item(s) started before)",
                              offset=last.truncated_at)
        elif not started and last is not None and (last.problem or last.truncated_at is not None):
            yield self.reject(inp, f"ill-formed feed, nothing could be read: {last.problem or 'truncated'}",
                              line=last.problem_line, offset=last.truncated_at)
        elif not started:
            yield Skip(inp.name, "feed has no items")

    def _outcome(self, inp: Input, feed: Feed, item: FeedItem) -> Outcome:
        where = f"item {item.index}"
        salvage = f"; the feed is ill-formed: {feed.problem}" if feed.problem else ""
        if "problem" in item.rules:
            return self.reject(inp, f"{where}: {item.rules['problem']}{salvage}", line=item.line,
                               offset=item.offset)
        if not item.title:
            return self.reject(inp, f"{where}: no title{salvage}", line=item.line, offset=item.offset)
        where = f"{where} ({item.title[:60]!r})"
        body = drop_repeated(item.content or item.summary, item.title)
        if not body and not item.link:
            return self.reject(inp, f"{where}: no text (no content or summary) and no link to "
                                    f"complete it from{salvage}", line=item.line, offset=item.offset)
        if not body:  # a title is not an article, even with a link to the page
            return self.reject(inp, f"{where}: no article text (title only; no content or summary "
                                    f"besides the title){salvage}", line=item.line, offset=item.offset)
        rules = dict(item.rules)
        dek: str | None = None
        if item.content and item.summary:
            summary = " ".join(t for _, t in item.summary)
            body_text = " ".join(t for _, t in item.content)
            stem = summary.rstrip(" .…[]").removesuffix("[…").removesuffix("...").strip()
            if stem and stem not in body_text and summary != item.title:
                dek = summary
                rules["subtitle"] = "summary"
        if not item.content:
            rules["text"] = "summary"
        parts: list[Part] = [("title", item.title)]
        if dek:
            parts.append(("dek", dek))
        parts.extend(body)
        text, blocks = Article.build_text(parts)
        source, source_rule = self._source(feed, item)
        rules["source"] = source_rule
        url = item.link  # stored exactly as the feed gave it; the canonical form is for the id
        article_id, _ = make_id(url, item.guid, source=source, title=item.title, date=item.published)
        language = self.options.language or item.language
        if language:
            rules["language"] = "option" if self.options.language else "item"
        elif feed.language:  # the channel's language only behind identification of the text
            language, rules["language"] = _channel_language(feed.language, text)
        if feed.problem:
            rules["text"] = f"{rules.get('text', 'item')} (salvaged from an ill-formed feed)"
        rule_prefix = f"{feed.version}:"
        rules["origin"] = f"item {item.index} of {feed.total or len(feed.items)}"  # its place in the feed
        provenance = {k: {"converter": NAME, "rule": rule_prefix + v}
                      for k, v in sorted(rules.items()) if k != "url" or url}
        origin: dict[str, Any] = {"path": inp.name, "sha256": inp.sha256, "format": NAME}
        if item.line is not None:
            origin["line"] = item.line
        authors, publishers = _split_publishers(item.authors, feed, source)
        credits = [*item.credits, *(Credit("contributor", name) for name in publishers)]
        if publishers:
            provenance["credits"] = {"converter": NAME, "rule": rule_prefix + "publisher given as author"}
            if not authors:
                provenance.pop("authors", None)
        return Article(
            id=article_id, source=source, title=item.title, text=text, blocks=blocks,
            origin=origin, url=url, subtitle=dek, authors=authors,
            published_at=item.published, modified_at=item.modified, language=language,
            credits=credits, provenance=provenance, images=item.images,
            content_kind=None if item.content else "summary", keywords=item.keywords,
        )

    @staticmethod
    def _source(feed: Feed, item: FeedItem) -> tuple[str, str]:
        if feed.title:
            return feed.title, "feed title"
        for link in (feed.link, item.link):
            host = urlsplit(link).hostname if link else None
            if host:
                rule = "feed link host" if link == feed.link else "item link host"
                return host.removeprefix("www."), rule
        return "unknown", "none"
