"""Complete summary records (``content_kind: "summary"``, e.g. feed items that carry only a
teaser) from the HTML page at the same URL.

The page goes through the HTML converter (imported on first use; any object with the same
``convert_document`` method will do); the completed record takes the page's text and
blocks, keeps the summary's id and URL, and fills what the page lacks (authors, dates,
language, keywords, images) from the summary, saying so in ``provenance``. Problems (no
page, a page the HTML converter rejects) are collected in a :class:`CompletionReport`;
the summary record is then kept as it was, so no record is ever lost.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, TypeVar

from ..errors import MissingDependencyError
from ..ids import canonical_url
from ..records import Article, Block
from ..report import Rejection, Report, Skip, location
from .base import ConvertOptions

Page = bytes | tuple[bytes, str | None]
"""A page's bytes, or its bytes and the charset declared for them (HTTP header)."""
T = TypeVar("T")
PageSource = Callable[[str], Page | None]
"""Gives the page stored for a (canonical) URL, or None when there is none."""


class DocumentConverter(Protocol):
    """What completion needs from the HTML converter."""

    def convert_document(self, data: bytes, name: str, url: str | None = None,
                         charset: str | None = None) -> Article | Rejection: ...


@dataclass(slots=True)
class CompletionReport(Report):
    """What :func:`complete_summaries` did: counts, and why some summaries stayed summaries."""

    completed: int = 0
    unchanged: int = 0
    no_page: int = 0
    problems: list[Rejection] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.completed} summaries completed from their pages, {self.unchanged} "
                f"unchanged, {self.no_page} without a page, {len(self.problems)} page(s) rejected")

    def to_dict(self) -> dict[str, Any]:
        return {"completed": self.completed, "unchanged": self.unchanged, "no_page": self.no_page,
                "problems": [p.to_dict() for p in self.problems]}


def html_converter(options: ConvertOptions | None = None) -> DocumentConverter:
    """The built-in HTML converter with ``options``, its ``html`` options included (raises
    :class:`MissingDependencyError` when it, or what it needs, is not installed)."""
    try:
        from .html import HtmlConverter
    except ImportError as exc:
        raise MissingDependencyError(
            f"completing summaries needs the HTML converter, which cannot be imported: {exc}"
        ) from exc
    from .titles import SiteTitles

    converter = HtmlConverter(options)
    converter.site_titles = SiteTitles()  # the pages of one feed teach their site's title pattern
    return converter


def merge_page(summary: Article, page: Article, summary_rule: str = "summary") -> Article:
    """The record of ``summary`` completed with ``page`` (the full article at its URL).

    Text, blocks, title, subtitle and related links come from the page (the title and
    dek are part of its text); id and URL stay the summary's; other metadata (credits
    included) comes from the page when it has it, else from the summary."""
    provenance = dict(page.provenance)
    from_summary: list[str] = []

    def pick(key: str, page_value: T, summary_value: T) -> T:
        if page_value:
            return page_value
        if summary_value:
            from_summary.append(key)
        return summary_value

    title, text, blocks = _feed_title(summary, page)
    if title != page.title:
        provenance["title"] = {
            "converter": str(summary.provenance.get("title", {}).get("converter")
                             or summary.origin.get("format") or "feed"),
            "rule": f"{summary_rule} title kept over the page's {page.title!r}"}
    keywords = list(summary.keywords) + [k for k in page.keywords if k not in summary.keywords]
    images = page.images or summary.images
    merged = replace(
        page,
        id=summary.id,
        title=title, text=text, blocks=blocks,
        url=summary.url or page.url,
        source=pick("source", page.source if page.source != "unknown" else "", summary.source),
        authors=list(pick("authors", page.authors, summary.authors)),
        credits=list(pick("credits", page.credits, summary.credits)),
        published_at=pick("published_at", page.published_at, summary.published_at),
        modified_at=pick("modified_at", page.modified_at, summary.modified_at),
        section=pick("section", page.section, summary.section),
        language=pick("language", page.language, summary.language),
        keywords=keywords,
        images=images,
        content_kind=None,
    )
    if summary.keywords:
        from_summary.append("keywords")
    if images is summary.images and images:
        from_summary.append("images")
    summary_converter = str(summary.origin.get("format") or "feed")
    for key in from_summary:
        provenance[key] = summary.provenance.get(key) or {"converter": summary_converter,
                                                          "rule": summary_rule}
    provenance["content_kind"] = {
        "converter": str(page.origin.get("format") or "html"),
        "rule": f"page {page.origin.get('path')} completed {summary_rule}",
    }
    merged.provenance = dict(sorted(provenance.items()))
    return merged


def _feed_title(summary: Article, page: Article) -> tuple[str, str, list[Block]]:
    """``(title, text, blocks)``: the feed's title when the page's says the same with more
    around it (the site name) or says something else (a page's SEO title), the page's
    when it is the feed's without the extra; the page's title block rewritten to match."""
    from .titles import fold

    feed, own = summary.title, page.title
    if not feed or fold(feed) == fold(own) or fold(own) in fold(feed):
        return own, page.text, page.blocks
    parts = [(b.kind, page.text[b.start:b.end]) for b in page.blocks]
    if not parts or parts[0][0] != "title":
        return own, page.text, page.blocks
    text, blocks = Article.build_text([("title", feed), *parts[1:]])
    return feed, text, blocks


def complete_summaries(articles: Iterable[Article], pages: PageSource,
                       converter: DocumentConverter | None = None,
                       report: CompletionReport | None = None,
                       options: ConvertOptions | None = None) -> Iterator[Article]:
    """Yield every article of ``articles``: summaries completed from ``pages`` where the
    page exists and converts, all others unchanged (one record out per record in).

    ``pages(url)`` gives the stored page for a summary's canonical URL (e.g. from a folder
    of saved pages or a WARC index). ``converter`` defaults to the built-in HTML converter
    with ``options``, imported only when a summary actually has a page."""
    report = report if report is not None else CompletionReport()
    for article in articles:
        if article.content_kind != "summary" or not article.url:
            report.unchanged += 1
            yield article
            continue
        page = pages(canonical_url(article.url))
        if page is None:
            report.no_page += 1
            yield article
            continue
        data, charset = page if isinstance(page, tuple) else (page, None)
        if converter is None:
            converter = html_converter(options)
        name = f"{article.url} (page for {article.origin.get('path')})"
        result = converter.convert_document(data, name, article.url, charset)
        if isinstance(result, Rejection):
            report.problems.append(result)
            yield article
            continue
        if not result.origin.get("sha256"):
            result.origin["sha256"] = hashlib.sha256(data).hexdigest()
        where = location(article.origin.get("path", "?"), article.origin.get("line") or None)
        report.completed += 1
        yield merge_page(article, result, f"summary {where}")


FEED_FORMATS = frozenset({"feed"})
"""``origin.format`` of records that are feed items."""
PAGE_FORMATS = frozenset({"html", "warc"})
"""``origin.format`` of records that are story pages (saved HTML, or a WARC response)."""
Held = tuple[str, dict[str, Any], Any]
"""A record not yet placed: ``(input name, record, where its signature is)``."""


def _kind(record: dict[str, Any]) -> str | None:
    fmt = (record.get("origin") or {}).get("format")
    return "feed" if fmt in FEED_FORMATS else "page" if fmt in PAGE_FORMATS else None


def joinable(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether ``a`` and ``b`` are a feed item and a story page (in either order), which
    :func:`join_feed_pages` may make one article."""
    return {_kind(a), _kind(b)} == {"feed", "page"}


def _where(record: dict[str, Any]) -> str:
    """The record's place in its input: the line, else the byte offset."""
    origin = record.get("origin") or {}
    line = origin.get("line")
    return location(str(origin.get("path", "?")), line, origin.get("offset") if line is None else None)


def join_feed_pages(articles: dict[str, dict[str, Any]], held: list[Held],
                    located: dict[str, Any], kept: frozenset[str] = frozenset()
                    ) -> tuple[list[Skip], int]:
    """Make each feed item and the page of its story, converted in one run, one article.

    A feed item and a page are the same story when the item's link and the page's URL
    have the same :func:`~newscorpus.ids.url_match_key` (the ids may differ: a feed links
    ``http://…?utm_source=rss``, the page says ``https://www.…/``). A summary item is
    completed by its page (:func:`merge_page`: the page's full body, the feed's clean title,
    the item's id and URL); a full-content item keeps its own text. Either way the page
    becomes a skip naming the item, so ``inputs = converted + rejected + skipped`` still
    holds. ``articles`` (id → record, each counted as converted) is updated in place;
    ``located`` (id → where the record's duplicate-detection signature is staged) loses the
    entries of joined records, whose signatures are then made again from their text.
    ``held`` are records whose id collided with a record of the other kind. Records in
    ``held`` that join nothing are skipped as duplicates, as before. Records whose ids are
    in ``kept`` (kept unchanged from a previous run, already counted as skips): a kept feed
    item can still be joined by a page converted now (the page then becomes the skip); kept
    pages are final. A joined record carries the item's ``origin`` (its id and URL are the
    item's), so ``--resume`` keeps it with the feed that gave it.

    Returns the skips and the change to the converted count. The result does not depend on
    the order of the inputs."""
    from ..ids import url_match_key
    from ..schema import DEFAULT_STORE

    if not held and not any(_kind(r) == "feed" for r in articles.values()):
        return [], 0  # no feed item in this run: nothing to join
    counted = {id(r) for k, r in articles.items() if k not in kept}
    pool = [(name, r, loc) for name, r, loc in held] + [
        (_where(r), r, None) for r in articles.values()
        if _kind(r) == "feed" or (_kind(r) == "page" and id(r) in counted)]
    held_ids = {id(r) for _, r, _ in held}
    pages: dict[str, list[Held]] = {}
    for entry in pool:
        if _kind(entry[1]) == "page" and entry[1].get("url"):
            pages.setdefault(url_match_key(entry[1]["url"]), []).append(entry)
    feeds = sorted((e for e in pool if _kind(e[1]) == "feed" and e[1].get("url")),
                   key=lambda e: (e[1]["id"], _where(e[1])))
    skips: list[Skip] = []
    delta = 0
    used: set[int] = set()
    for _name, item, _ in feeds:
        if id(item) in used:
            continue
        candidates = sorted((e for e in pages.get(url_match_key(item["url"]), []) if id(e[1]) not in used),
                            key=lambda e: (_where(e[1]), e[1]["id"]))
        if not candidates:
            continue
        page_name, page, _ = candidates[0]
        record = item
        if item.get("content_kind") == "summary":
            record = merge_page(Article.from_dict(item), Article.from_dict(page),
                                f"summary {_where(item)}").to_dict()
            record["origin"] = dict(item["origin"])  # the item's record, completed
            if DEFAULT_STORE.problems(record, "article"):
                continue  # never trade two valid records for an invalid one
        used.update((id(item), id(page)))
        for other in (item, page):  # both leave their places; the joined record takes the item's
            key = other["id"]
            if id(other) in counted and articles.get(key) is other:
                del articles[key]
                located.pop(key, None)
                delta -= 1
        other = articles.get(record["id"])
        if other is not None and id(other) in counted:  # a third record with the item's id
            skips.append(Skip(_where(other), f"duplicate of {_where(item)} (same id {record['id']})"))
            delta -= 1
        articles[record["id"]] = record
        located.pop(record["id"], None)  # its signature is made again, from the joined text
        if id(item) in counted or id(item) in held_ids:
            delta += 1  # a kept item stays counted as its input's skip
        how = "completes" if record is not item else "is the page of"
        skips.append(Skip(page_name if id(page) not in counted else _where(page),
                          f"{how} feed item {_where(item)} (same story URL {item['url']}); one article "
                          f"{record['id']}"))
    for name, record, _ in held:
        if id(record) not in used:
            first = articles[record["id"]]["origin"]["path"] if record["id"] in articles else "?"
            skips.append(Skip(name, f"duplicate of {first} (same id {record['id']})"))
    return skips, delta
