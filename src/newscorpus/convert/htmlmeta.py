"""Metadata of an HTML news page: JSON-LD, OpenGraph and meta tags.

:func:`extract_meta` reads a parsed page (an ``lxml.html`` tree, left unchanged) and returns a
:class:`PageMeta` whose every field records where it came from (``provenance``: rule
``jsonld``, ``opengraph``, ``meta``, ``html``, ``microdata`` or ``url``). Sources are tried
in that order of trust, first found wins: JSON-LD of the article node (``NewsArticle`` and
friends, inside ``@graph`` or nested ``mainEntity`` too), then OpenGraph, then the other meta
tags, then the page itself (``<title>``, ``<h1>``, ``<html lang>``, ``<link rel=canonical>``).

Authors are always a list, one name per item: strings such as ``"By Ana Lima and Jonas
Berg"`` are split, and URLs, e-mail addresses, handles, newsroom labels ("Staff", "Web
Desk") and the publisher's own name are dropped; a wire agency named as author becomes a
``wire`` credit instead. Dates go through :func:`newscorpus.dates.parse_date` and keep their
UTC offset.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from ..dates import parse_date as parse_iso_date
from ..records import Credit, Image
from ..text import normalize
from .bylines import parse_byline, wire_agency
from .titles import SiteTitles, choose_headline, strip_site_name

ARTICLE_TYPES = frozenset({
    "Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle",
    "OpinionNewsArticle", "BackgroundNewsArticle", "ReviewNewsArticle", "AskPublicNewsArticle",
    "SatiricalArticle", "BlogPosting", "LiveBlogPosting", "SocialMediaPosting", "TechArticle",
    "ScholarlyArticle", "Report", "Review", "CreativeWork",
})
_NEWS_FIRST = ("NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
               "BackgroundNewsArticle", "ReviewNewsArticle", "Article", "BlogPosting")

_BCP47 = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_TIMESTAMP = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?"
                        r"(Z|[+-][0-9]{2}:[0-9]{2}))?$")
_DEK_CLASSES = re.compile(r"(?:^|[\s_-])(?:dek|standfirst|subtitle|sub-?title|sub-?headline|"
                          r"subhead|teaser|chapo|chapeau|excerpt|description|strapline)(?:$|[\s_-])",
                          re.IGNORECASE)
_DEK_ITEMPROPS = frozenset({"description", "alternativeHeadline"})
# the lead (lede) is the story's first paragraph: body text, not a dek
# a whole class token ending in the word ("lead", "article__lead", "story-lead"): not
# "lead-image", "summary-box", "intro-video" (media or furniture near the lead)
_LEAD_CLASSES = re.compile(r"(?:^|\s)(?:[\w-]*[_-])?(?:summary|lede|lead|intro)(?=\s|$)", re.IGNORECASE)
_CREDIT_CLASSES = re.compile(r"credit|copyright|source|byline|author|photographer", re.IGNORECASE)
_CAPTION_CREDIT = re.compile(
    r"\s*(?:\((?:(?:photo|image|picture|foto|credit|source)s?\s*(?::|by)?\s*)?([^()]{2,60})\)"
    r"|(?:photo|image|picture|foto|credit)s?\s*(?::|by)\s*([^.]{2,60})"
    r"|©\s*([^.]{2,60}))\s*\.?\s*$", re.IGNORECASE)
MAX_IMAGES = 20
MAX_KEYWORDS = 50


@dataclass(slots=True)
class PageMeta:
    """Metadata of one page; ``provenance`` maps each field found to its rule."""

    title: str | None = None
    descriptions: list[tuple[str, str]] = field(default_factory=list)
    standfirst: str | None = None
    lead: str | None = None  # the story's first paragraph, marked as its lead (body text)
    authors: list[str] = field(default_factory=list)
    published_at: str | None = None
    dates: list[tuple[str, str]] = field(default_factory=list)  # (ISO date, rule), by precedence
    modified_at: str | None = None
    section: str | None = None
    language: str | None = None
    url: str | None = None
    source: str | None = None
    keywords: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)
    article_body: str | None = None
    h1: str | None = None
    provenance: dict[str, str] = field(default_factory=dict)

    def put(self, name: str, value: Any, rule: str) -> bool:
        """Set field ``name`` unless already set or ``value`` is empty; True when set."""
        if value in (None, "", []) or getattr(self, name) not in (None, "", []):
            return False
        setattr(self, name, value)
        self.provenance[name] = rule
        return True


def clean(value: Any) -> str:
    """Text of a metadata value: HTML entities left in it decoded (JSON-LD often carries
    ``&#8217;``), normalized (NFC, one line, collapsed spaces)."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), "")
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or ""
    if not value:
        return ""
    text = str(value)
    if "&" in text:
        text = html.unescape(text)
    return normalize(text)


# --- JSON-LD -------------------------------------------------------------------------------

def _types(node: dict[str, Any]) -> set[str]:
    t = node.get("@type")
    items = t if isinstance(t, list) else [t]
    return {str(x).rsplit("/", 1)[-1] for x in items if x}


_INDEXED_TAGS = ("script", "meta", "link", "h1", "title", "figure", "time")


def index_elements(tree: Any) -> dict[str, list[Any]]:
    """The page's elements that metadata comes from, by tag, in one walk of the tree."""
    found: dict[str, list[Any]] = {tag: [] for tag in _INDEXED_TAGS}
    for el in tree.iter(*_INDEXED_TAGS):
        found[el.tag].append(el)
    return found


def jsonld_nodes(tree: Any, index: dict[str, list[Any]] | None = None) -> list[dict[str, Any]]:
    """Every JSON-LD object on the page (lists and ``@graph`` flattened, nested
    ``mainEntity`` objects included), in page order. Unreadable scripts are ignored."""
    nodes: list[dict[str, Any]] = []
    scripts = (index or index_elements(tree))["script"]
    for script in scripts:
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = (script.text or "").strip()
        if raw.startswith("<!--"):
            raw = raw.removeprefix("<!--").removesuffix("-->")
        raw = raw.replace("//<![CDATA[", "").replace("//]]>", "").strip().rstrip(";")
        if not raw:
            continue
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack[:0] = item
            elif isinstance(item, dict):
                if "@graph" in item:
                    graph = item["@graph"]
                    stack[:0] = graph if isinstance(graph, list) else [graph]
                if "@type" in item:
                    nodes.append(item)
                for key in ("mainEntity", "mainEntityOfPage", "itemListElement"):
                    sub = item.get(key)
                    if isinstance(sub, dict) and "@type" in sub:
                        stack.append(sub)
    return nodes


def pick_article(nodes: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The article node among ``nodes``: news types first, then the one with a headline."""
    candidates = [n for n in nodes if _types(n) & ARTICLE_TYPES]
    if not candidates:
        candidates = [n for n in nodes if "WebPage" in _types(n) and n.get("headline")]
    if not candidates:
        return None
    for wanted in _NEWS_FIRST:
        for node in candidates:
            if wanted in _types(node) and (node.get("headline") or node.get("articleBody")):
                return node
    return candidates[0]


def _resolve(value: Any, index: dict[str, dict[str, Any]]) -> Any:
    if isinstance(value, list):
        return [_resolve(v, index) for v in value]
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and value.get("@id") in index:
        return index[value["@id"]]
    return value


# --- authors -------------------------------------------------------------------------------

_PHOTOGRAPHER = re.compile(r"photo|foto|bild", re.IGNORECASE)


def _person_names(value: Any, index: dict[str, dict[str, Any]]) -> list[tuple[str, bool]]:
    """``(name, is_organization)`` for each author entry of a JSON-LD ``author`` value."""
    out: list[tuple[str, bool]] = []
    for item in _resolve(value if isinstance(value, list) else [value], index):
        if isinstance(item, str):
            out.append((item, False))
        elif isinstance(item, dict):
            name = item.get("name")
            if isinstance(name, list):
                name = " and ".join(str(n) for n in name)
            if not name and (item.get("givenName") or item.get("familyName")):
                name = f"{item.get('givenName', '')} {item.get('familyName', '')}"
            if name and _PHOTOGRAPHER.search(str(item.get("jobTitle") or item.get("roleName") or "")):
                name = f"Photos: {name}"  # the byline parser's photo credit
            if name:
                out.append((str(name), "Organization" in _types(item)
                            or "NewsMediaOrganization" in _types(item)))
    return out


def _add_authors(meta: PageMeta, entries: list[tuple[str, bool]], rule: str) -> None:
    if meta.authors or not entries:
        return
    authors: list[str] = []
    for raw, is_org in entries:
        byline = parse_byline(raw, meta.source)
        names, wires = byline.authors, byline.agencies
        if is_org:
            agency = wire_agency(raw)
            wires += [agency] if agency else []
            names = []
        authors += names
        for photographer in byline.photographers:
            if all(c.name != photographer for c in meta.credits):
                meta.credits.append(Credit("photo", photographer))
                meta.provenance.setdefault("credits", rule)
        for wire in wires:
            if all(c.name != wire for c in meta.credits):
                meta.credits.append(Credit("wire", wire))
                meta.provenance.setdefault("credits", rule)
    seen: set[str] = set()
    unique = [a for a in authors if not (a.casefold() in seen or seen.add(a.casefold()))]  # type: ignore[func-returns-value]
    meta.put("authors", unique, rule)


# --- dates, language, URLs -----------------------------------------------------------------

def parse_date(value: Any, language: str | None = None) -> str | None:
    """ISO 8601 (offset kept) of a metadata date value, or None."""
    text = clean(value)
    if not text or len(text) > 64:
        return None
    iso = parse_iso_date(text, (), [language.split("-")[0]] if language else ())
    if iso and not _TIMESTAMP.match(iso):
        return None
    return iso


def bcp47(value: Any) -> str | None:
    """A BCP 47 tag from an HTML ``lang``, ``og:locale`` or content-language value."""
    text = clean(value)
    if not text:
        return None
    tag = re.split(r"[,;\s]", text)[0].replace("_", "-")
    parts = tag.split("-")
    parts[0] = parts[0].lower()
    if len(parts) > 1 and len(parts[1]) == 2:
        parts[1] = parts[1].upper()
    tag = "-".join(parts)
    if parts[0] in ("und", "mul", "zxx", "xx", "x") or not _BCP47.match(tag):
        return None
    return tag


def absolute_url(value: Any, base: str | None) -> str | None:
    """``value`` made absolute against ``base``; None unless it is http(s)."""
    text = clean(value)
    if not text or text.startswith(("data:", "javascript:", "#")):
        return None
    url = urljoin(base, text) if base else text
    if url.startswith("//"):
        url = "https:" + url
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.hostname else None


# --- images --------------------------------------------------------------------------------

def split_caption(caption: str) -> tuple[str, str | None]:
    """``(caption, credit)``: a trailing '(Photo: X)', 'Photo by X' or '© X' is the credit."""
    m = _CAPTION_CREDIT.search(caption)
    if m and m.start() > 0:
        credit = next(g for g in m.groups() if g)
        return caption[: m.start()].strip(), credit.strip()
    return caption, None


def _add_image(meta: PageMeta, url: str | None, caption: str | None, credit: str | None) -> None:
    if len(meta.images) >= MAX_IMAGES or (url is None and not caption):
        return
    for image in meta.images:
        if url is not None and image.url == url:
            image.caption = image.caption or caption
            image.credit = image.credit or credit
            return
    meta.images.append(Image(url, caption or None, credit or None))


def _jsonld_images(meta: PageMeta, value: Any, base: str | None) -> None:
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            _add_image(meta, absolute_url(item, base), None, None)
        elif isinstance(item, dict):
            credit = clean(item.get("creditText") or item.get("copyrightHolder")
                           or item.get("author") or "")
            _add_image(meta, absolute_url(item.get("url") or item.get("contentUrl"), base),
                       clean(item.get("caption") or item.get("description") or ""), credit)


def _figure_images(meta: PageMeta, figures: list[Any], base: str | None) -> None:
    for figure in figures:
        img = next(figure.iterfind(".//img"), None)
        cap = next(figure.iterfind(".//figcaption"), None)
        if img is None or cap is None:
            continue
        src = img.get("src") or img.get("data-src") or ""
        credit_el = next((e for e in cap.iter() if e is not cap
                          and _CREDIT_CLASSES.search(e.get("class") or "")), None)
        credit = clean(credit_el.text_content()) if credit_el is not None else ""
        caption = clean(cap.text_content())
        if credit:
            caption = caption.replace(credit, "").strip(" |/–—-")
        else:
            caption, found = split_caption(caption)
            credit = found or ""
        _add_image(meta, absolute_url(src, base), caption, credit)


# --- the page ------------------------------------------------------------------------------

def _meta_tags(elements: list[Any]) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    for el in elements:
        key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
        content = el.get("content")
        if key and content and content.strip():
            tags.setdefault(key.strip().lower(), []).append(content.strip())
    return tags


def _first(tags: dict[str, list[str]], *keys: str) -> tuple[str, str] | None:
    for key in keys:
        if tags.get(key):
            return key, tags[key][0]
    return None


def _one(tags: dict[str, list[str]], key: str) -> str | None:
    values = tags.get(key)
    return values[0] if values else None


def _tag_rule(key: str) -> str:
    return "opengraph" if key.startswith(("og:", "article:")) else "meta"


def clean_title(raw: str, site: str | None, h1: str | None) -> str:
    """A headline without the site name that ``<title>`` and ``og:title`` often carry."""
    title = normalize(raw)
    if h1 and h1 in title and 2 * len(h1) >= len(title):
        return h1
    return strip_site_name(title, [site] if site else [], None)[0]


def markup_role(el: Any) -> str | None:
    """What the markup of ``el`` (an element holding one block of text) names it: "dek"
    for a heading below the headline, a dek-like class (standfirst, subtitle, chapo...) or
    schema.org's ``itemprop`` description or alternativeHeadline,
    "lead" for a class naming the story's lead paragraph (lead, lede, intro, summary),
    which is body text; else None. ``el``'s wrappers that hold no more text count too,
    and a dek name wins over a lead name (``class="summary p-dek"`` is a dek)."""
    size = len(el.text_content())
    role = None
    while el is not None and isinstance(el.tag, str) and el.tag not in ("body", "html", "article"):
        if len(el.text_content()) > 1.2 * size + 40:
            break
        cls, props = el.get("class") or "", set((el.get("itemprop") or "").split())
        if el.tag == "h2" or _DEK_CLASSES.search(cls) or props & _DEK_ITEMPROPS:
            return "dek"
        if _LEAD_CLASSES.search(cls):
            role = "lead"
        el = el.getparent()
    return role


def _below_headline(h1_el: Any) -> tuple[str | None, str | None]:
    """``(text, role)`` of the element right after the headline when its markup names it a
    dek or the lead paragraph (see :func:`markup_role`), else ``(None, None)``."""
    if h1_el is None:
        return None, None
    nxt = h1_el.getnext()
    while nxt is not None and not isinstance(nxt.tag, str):
        nxt = nxt.getnext()
    if nxt is None or nxt.tag not in ("p", "div", "h2", "h3", "span"):
        return None, None
    role = markup_role(nxt)
    text = clean(nxt.text_content())
    return (text, role) if role and 20 <= len(text) <= 600 else (None, None)


def extract_meta(tree: Any, url: str | None = None, learned: SiteTitles | None = None) -> PageMeta:
    """Metadata of the page ``tree`` (an ``lxml.html`` element); ``url`` is where it was
    fetched from, used to resolve relative links and as the last resort canonical URL;
    ``learned`` the title patterns of the site's pages seen so far (updated)."""
    meta = PageMeta()
    found = index_elements(tree)
    tags = _meta_tags(found["meta"])
    nodes = jsonld_nodes(tree, found)
    index = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
    art = pick_article(nodes) or {}
    site_nodes = [n for n in nodes if _types(n) & {"WebSite", "Organization", "NewsMediaOrganization"}]

    # source (first: author cleaning compares names with it)
    hit = _first(tags, "og:site_name", "application-name", "publisher")
    if hit:
        meta.put("source", clean(hit[1]), _tag_rule(hit[0]))
    publisher = _resolve(art.get("publisher"), index)
    if isinstance(publisher, dict):
        meta.put("source", clean(publisher.get("name")), "jsonld")
    for node in site_nodes:
        meta.put("source", clean(node.get("name")), "jsonld")
    if meta.source and ("://" in meta.source or meta.source.startswith("www.")):
        host = urlsplit(meta.source if "://" in meta.source else "//" + meta.source).hostname
        meta.source = (host or meta.source).removeprefix("www.")  # a site name given as a URL

    # language (needed to read textual dates)
    root_lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    meta.put("language", bcp47(root_lang), "html")
    meta.put("language", bcp47(art.get("inLanguage")), "jsonld")
    for key in ("content-language", "og:locale", "dc.language", "language"):
        if tags.get(key):
            meta.put("language", bcp47(tags[key][0]), _tag_rule(key))

    # canonical URL
    canonical = next((el.get("href") for el in found["link"]
                      if "canonical" in (el.get("rel") or "").lower().split()), None)
    for value, rule in ((canonical, "html"), (_one(tags, "og:url"), "opengraph"),
                        (art.get("url"), "jsonld"), (url, "url")):
        candidate = absolute_url(value, url)
        if candidate and url and urlsplit(candidate).path in ("", "/") \
                and urlsplit(url).path not in ("", "/"):
            continue  # a canonical link to the home page is a template bug, not this page
        if meta.put("url", candidate, rule):
            break

    # title: the sources that agree, without the site name (see .titles)
    h1_el = found["h1"][0] if found["h1"] else None
    meta.h1 = clean(h1_el.text_content()) if h1_el is not None else None
    title_el = found["title"][0] if found["title"] else None
    candidates: list[tuple[str, str]] = []
    for value, rule in ((art.get("headline") or art.get("name"), "jsonld"),
                        (_first(tags, "og:title"), "opengraph"),
                        (_first(tags, "twitter:title", "dc.title", "title"), "meta"),
                        (title_el.text_content() if title_el is not None else None, "html")):
        if isinstance(value, tuple):
            value = value[1]
        text = clean(value)
        if text:
            if rule == "jsonld" and meta.h1 and text.rstrip(".…") != text \
                    and meta.h1.startswith(text.rstrip(".…")):
                text = meta.h1  # a headline cut to length
            candidates.append((text, rule))
    names = [n for n in (meta.source, clean(_one(tags, "og:site_name")),
                         clean(_one(tags, "application-name")),
                         *(clean(p.get("name")) for p in [publisher] if isinstance(p, dict)),
                         *(clean(n.get("name")) for n in site_nodes)) if n]
    host = urlsplit(meta.url or url or "").hostname
    h1s = [clean(el.text_content()) for el in found["h1"][:5]]
    chosen = choose_headline(candidates, h1s, names, host, learned)
    if chosen:
        meta.put("title", chosen[0], chosen[1])

    # dek candidates (chosen by the converter against the body text)
    below, role = _below_headline(h1_el)
    if role == "dek":
        meta.standfirst = below
    elif role == "lead":
        meta.lead = below
    for value, rule in ((art.get("description") or art.get("alternativeHeadline"), "jsonld"),
                        (_one(tags, "og:description"), "opengraph"),
                        (_one(tags, "description") or _one(tags, "twitter:description"), "meta")):
        text = clean(value)
        if text and all(text != d for d, _ in meta.descriptions):
            meta.descriptions.append((text, rule))

    # authors
    _add_authors(meta, _person_names(art.get("author") or art.get("creator"), index), "jsonld")
    for key in ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator",
                "dcterms.creator", "byl", "twitter:creator"):
        if key in tags:
            _add_authors(meta, [(v, False) for v in tags[key]], _tag_rule(key))
    if not meta.authors:
        micro = [clean(e.text_content()) for e in tree.xpath(
            "//*[@itemprop='author']//*[@itemprop='name'] | //a[@rel='author']")][:10]
        _add_authors(meta, [(m, False) for m in micro if m], "microdata")

    # dates: every declaration of the publication, in the declared precedence (chosen by the
    # converter with dates.choose_published); the first is ``published_at``
    lang = meta.language
    dated = [(parse_date(art.get("datePublished"), lang), "jsonld"),
             (parse_date(art.get("dateCreated"), lang), "jsonld")]
    dated += [(parse_date(tags[key][0], lang), _tag_rule(key)) for key in (
        "article:published_time", "og:published_time", "datepublished", "publishdate", "pubdate",
        "publish-date", "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.created",
        "dc.date", "date") if key in tags]
    dated += [(parse_date(el.get("datetime"), lang), "html") for el in found["time"]
              if el.get("pubdate") is not None or el.get("itemprop") == "datePublished"]
    meta.dates = [(iso, rule) for iso, rule in dated if iso]
    if meta.dates:
        meta.put("published_at", meta.dates[0][0], meta.dates[0][1])
    meta.put("modified_at", parse_date(art.get("dateModified"), lang), "jsonld")
    for key in ("article:modified_time", "og:updated_time", "datemodified", "last-modified",
                "dcterms.modified"):
        if key in tags and meta.put("modified_at", parse_date(tags[key][0], lang), _tag_rule(key)):
            break

    # section and keywords
    section = art.get("articleSection")
    meta.put("section", clean(section), "jsonld")
    hit = _first(tags, "article:section", "parsely-section", "section", "sailthru.section")
    if hit:
        meta.put("section", clean(hit[1]), _tag_rule(hit[0]))
    for el in tree.xpath("//*[@itemprop='articleSection']")[:1]:  # microdata on any element
        meta.put("section", clean(el.get("content") or el.text_content()), "microdata articleSection")
    keywords = art.get("keywords")
    values: list[str] = []
    rule = "jsonld"
    if keywords:
        values = keywords if isinstance(keywords, list) else str(keywords).split(",")
    else:
        for key in ("news_keywords", "keywords", "article:tag", "parsely-tags"):
            if key in tags:
                values = [k for v in tags[key] for k in v.split(",")]
                rule = _tag_rule(key)
                break
    seen: set[str] = set()
    kept = []
    for value in values:
        kw = clean(value)
        if kw and kw.casefold() not in seen and len(kw) <= 100 and not kw.startswith(("@", "&")):
            seen.add(kw.casefold())
            kept.append(kw)
    meta.put("keywords", kept[:MAX_KEYWORDS], rule)

    # images: lead image first, then figures with captions
    base = meta.url or url
    _jsonld_images(meta, art.get("image") or art.get("thumbnailUrl"), base)
    if meta.images:
        meta.provenance["images"] = "jsonld"
    for key in ("og:image", "og:image:url", "og:image:secure_url", "twitter:image"):
        if key in tags:
            alt = _one(tags, "og:image:alt")
            _add_image(meta, absolute_url(tags[key][0], base), clean(alt) if alt else None, None)
            meta.provenance.setdefault("images", _tag_rule(key))
            break
    count = len(meta.images)
    _figure_images(meta, found["figure"], base)
    if len(meta.images) > count or any(i.caption for i in meta.images):
        meta.provenance.setdefault("images", "html")

    body = art.get("articleBody")
    meta.article_body = body if isinstance(body, str) and body.strip() else None
    return meta
