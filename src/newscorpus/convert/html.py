"""HTML news pages (``.html``, ``.htm``, ``.html.gz``): one article per page.

Main text comes from trafilatura's XML output (paragraphs, headings, quotes, list items),
then three repairs, each recorded in ``provenance["text"]``:

* **JSON-LD articleBody** replaces the extraction when it is *consistent with the page*
  (see :func:`jsonld_body_verdict`): not cut short, made of the page's own visible text,
  and covering what trafilatura found.
* **Split articles** (``+chunks``): when a page splits its body into several sibling
  containers of the same kind and trafilatura kept only some, the paragraphs of the others
  are added back in page order (see :func:`missing_chunk_paragraphs`).
* **Boilerplate** blocks that are calls to action ("Read more:", "Subscribe to our
  newsletter", "Share this story") and unrendered shortcodes are dropped.

Metadata comes from :mod:`newscorpus.convert.htmlmeta`; htmldate fills in a missing
publication date. :meth:`HtmlConverter.convert_document` is public: the WARC and feed
converters pass it page bytes they found.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..evaluate import shingles
from ..ids import article_id_from_fields, article_id_from_url, canonical_url
from ..records import Article
from ..report import Rejection
from ..text import normalize
from .base import Converter, ConvertOptions, Input, Outcome
from .htmlmeta import PageMeta, extract_meta, parse_date

NAME = "html"
GZIP_MAGIC = b"\x1f\x8b"
_HEAD = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
                   re.IGNORECASE | re.DOTALL)
_OTHER_FORMATS = (".txt", ".json", ".jsonl", ".csv", ".xml", ".rss", ".atom", ".warc", ".arc",
                  ".nitf", ".lz4")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
# WHATWG: these labels mean windows-1252 in HTML.
_ENCODING_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
                     "us-ascii": "cp1252", "ascii": "cp1252", "iso8859-1": "cp1252"}

_BOILERPLATE = re.compile(
    r"^(?:(?:related(?: posts?| articles?| stories| content| coverage| links?)?|read (?:more|also|next)"
    r"|see also|also read|you (?:may|might) also (?:like|enjoy)|recommended(?: reading)?"
    r"|further reading|more (?:from|on|about) [^:]{1,40})\s*:"
    r"|also on [\w.-]+\.[a-z]{2,}\b"
    r"|like this (?:story|article)\?"
    r"|share (?:this|it)(?: (?:story|article))? (?:with|on)\b"
    r"|get the latest\b.*\b(?:inbox|newsletters?)\b"
    r"|sign up (?:for|to)\b.*\bnewsletters?\b"
    r"|subscribe to\b.*\bnewsletters?\b"
    r"|have a (?:news )?tip\?"
    r"|tell us what you think"
    r"|follow us on\b"
    r"|click here (?:to|for)\b"
    r"|advertisement$"
    r"|\d*\s*comments?$"
    r"|\[(\w+)[^\]]*\].*\[/\1\]$)",
    re.IGNORECASE)
BOILERPLATE_MAX_CHARS = 300
BODY_KINDS = ("paragraph", "heading", "quote", "list_item")

Part = tuple[str, str]


@dataclass(frozen=True, slots=True)
class ExtractionOptions:
    """Knobs of the main-text extraction (defaults are what the quality gate measures)."""

    favor_precision: bool = True
    include_tables: bool = True
    jsonld_body: bool = True
    complete_chunks: bool = True
    drop_boilerplate: bool = True
    htmldate: bool = True


def looks_like_html(head: bytes) -> bool:
    """Whether the first bytes of a payload look like an HTML document."""
    if _HEAD.match(head):
        return True
    lowered = head[:2048].lower()
    return b"<body" in lowered or b"<head" in lowered or b"<title" in lowered


# --- decoding ------------------------------------------------------------------------------

def _codec(label: str | None) -> str | None:
    if not label:
        return None
    key = label.strip().strip("\"'").lower()
    key = _ENCODING_ALIASES.get(key, key)
    try:
        import codecs

        return codecs.lookup(key).name
    except LookupError:
        return None


def decode_html(data: bytes, charset: str | None = None) -> tuple[str, str]:
    """``(text, encoding)`` of an HTML page.

    Order: byte-order mark; valid UTF-8 (a non-ASCII byte sequence that is valid UTF-8 is
    almost never anything else, whatever a header says); the ``charset`` given (HTTP
    header); the page's ``<meta charset>``; detection (charset-normalizer); cp1252 with
    replacement characters as the last resort."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace"), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    m = _META_CHARSET.search(data[:8192])
    for label in (charset, m.group(1).decode("ascii", "replace") if m else None):
        codec = _codec(label)
        if codec and codec != "utf-8":
            try:
                return data.decode(codec), codec
            except (UnicodeDecodeError, LookupError):
                continue
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding), best.encoding
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode("cp1252", errors="replace"), "cp1252"


def gunzip(data: bytes, limit: int) -> bytes:
    """Decompress gzip ``data`` (all members), refusing more than ``limit`` bytes."""
    out = []
    size = 0
    while data:
        d = zlib.decompressobj(31)
        chunk = d.decompress(data, limit + 1 - size)
        size += len(chunk)
        out.append(chunk)
        if size > limit:
            raise ValueError(f"decompresses to more than {limit} bytes")
        if not d.eof:
            raise ValueError("truncated gzip stream")
        data = d.unused_data.lstrip(b"\x00")
    return b"".join(out)


# --- trafilatura XML to parts --------------------------------------------------------------

def _inline_text(el: Any) -> str:
    pieces: list[str] = []

    def walk(node: Any) -> None:
        if node.text:
            pieces.append(node.text)
        for child in node:
            if child.tag == "lb":
                pieces.append(" ")
            elif child.tag != "list":
                walk(child)
            if child.tail:
                pieces.append(child.tail)

    walk(el)
    return normalize("".join(pieces))


def xml_parts(body: Any) -> list[Part]:
    """``(kind, text)`` parts of trafilatura's XML ``body``."""
    parts: list[Part] = []
    for el in body:
        tag = el.tag
        if tag == "p" or tag == "code":
            parts.append(("paragraph", _inline_text(el)))
        elif tag == "head":
            parts.append(("heading", _inline_text(el)))
        elif tag == "list":
            parts.extend(("list_item", _inline_text(item)) for item in el.iter("item"))
        elif tag == "quote":
            inner = [c for c in el if c.tag in ("p", "quote")]
            if inner:
                parts.extend(("quote", _inline_text(c)) for c in inner)
            else:
                parts.append(("quote", _inline_text(el)))
        elif tag == "table":
            for row in el.iter("row"):
                cells = [_inline_text(c) for c in row.iter("cell")]
                parts.append(("paragraph", " | ".join(c for c in cells if c)))
        elif tag in ("div", "section"):
            parts.extend(xml_parts(el))
    return [(k, t) for k, t in parts if t]


def fragment_parts(markup: str) -> list[Part]:
    """Paragraphs of an HTML fragment (a JSON-LD articleBody that carries markup)."""
    from lxml import html as lxml_html

    try:
        root = lxml_html.fragment_fromstring(markup, create_parent="div")
    except Exception:  # noqa: BLE001 - lxml raises several types on bad markup
        return text_parts(re.sub(r"<[^>]+>", " ", markup))
    kinds = {"p": "paragraph", "h2": "heading", "h3": "heading", "h4": "heading",
             "li": "list_item", "blockquote": "quote"}
    for bad in root.xpath(".//script|.//style|.//figure|.//figcaption"):
        bad.drop_tree()
    parts: list[Part] = []
    loose: list[str] = [root.text or ""]
    for el in root.iter():
        if el is root or not isinstance(el.tag, str):
            continue
        kind = kinds.get(el.tag)
        if kind and not any(a.tag in kinds for a in el.iterancestors() if a is not root):
            parts.append((kind, normalize(el.text_content())))
    if not parts:
        loose.append(root.text_content())
        return text_parts("\n".join(loose))
    return [(k, t) for k, t in parts if t]


def text_parts(text: str) -> list[Part]:
    """One paragraph per non-empty line of ``text``."""
    return [("paragraph", t) for t in (normalize(line) for line in text.splitlines()) if t]


# --- repairs -------------------------------------------------------------------------------

def is_boilerplate(text: str) -> bool:
    """Whether a short block is a call to action rather than article text."""
    return len(text) <= BOILERPLATE_MAX_CHARS and bool(_BOILERPLATE.match(text))


def _link_density(el: Any, length: int) -> float:
    linked = sum(len(a.text_content()) for a in el.iterfind(".//a"))
    return linked / length if length else 1.0


@dataclass(slots=True)
class PageParagraphs:
    """The page's ``<p>`` elements in page order with their text (white space collapsed),
    read once for the repairs below."""

    elements: list[Any]
    texts: list[str]
    index: dict[Any, int]

    @classmethod
    def of(cls, tree: Any) -> PageParagraphs:
        elements = list(tree.iter("p"))
        texts = [" ".join(p.text_content().split()) for p in elements]
        return cls(elements, texts, {p: i for i, p in enumerate(elements)})


def missing_chunk_paragraphs(paras: PageParagraphs, parts: list[Part]) -> list[tuple[int, str]]:
    """Paragraphs trafilatura left out of a body split into sibling containers.

    Containers are the parents of ``<p>`` elements, keyed by tag and class. When one
    container of a key is (nearly) all in the extraction and another container of the same
    key, close by in the tree (common ancestor at most 4 levels up), is (nearly) all
    missing, that container's paragraphs (30 words or more in all, few links) are
    returned as ``(page order, text)``."""
    extracted = "\n".join(t for _, t in parts)
    containers: dict[Any, list[tuple[int, str, Any]]] = {}
    for i, (p, text) in enumerate(zip(paras.elements, paras.texts, strict=True)):
        parent = p.getparent()
        if text and parent is not None and parent.get("class"):
            containers.setdefault(parent, []).append((i, text, p))
    groups: dict[tuple[str, str], list[Any]] = {}
    for parent in containers:
        groups.setdefault((parent.tag, parent.get("class")), []).append(parent)
    found: list[tuple[int, str]] = []
    for members in groups.values():
        if len(members) < 2:
            continue
        share = {}
        for parent in members:
            words = [(len(t.split()), t in extracted) for _, t, _ in containers[parent]]
            total = sum(n for n, _ in words)
            share[parent] = (total, sum(n for n, hit in words if hit) / total if total else 0.0)
        seeds = [m for m in members if share[m][0] >= 30 and share[m][1] >= 0.8]
        if not seeds:
            continue
        near = {a for s in seeds for a in list(s.iterancestors())[:4]}
        for parent in members:
            total, frac = share[parent]
            if frac > 0.2 or total < 30 or not near & set(list(parent.iterancestors())[:4]):
                continue
            for i, text, p in containers[parent]:
                if text not in extracted and _link_density(p, len(text)) < 0.3:
                    found.append((i, normalize(text)))
    return sorted(found)


def missing_headings(tree: Any, paras: PageParagraphs, parts: list[Part]) -> list[tuple[float, str]]:
    """Section headings (``<h2>``-``<h4>``, at most 150 characters) left out of the
    extraction although their sibling paragraphs right before and right after them are in
    it (trafilatura drops the headings of a body that sits directly in ``<body>``), as
    ``(page order, text)``."""
    extracted = {t for _, t in parts}
    found: list[tuple[float, str]] = []
    for el in tree.iter("h2", "h3", "h4"):
        before, after = _sibling(el, -1), _sibling(el, 1)
        i, j = paras.index.get(before), paras.index.get(after)
        if i is None or j is None:
            continue
        text = normalize(el.text_content())
        if (text and len(text) <= 150 and text not in extracted
                and paras.texts[i] in extracted and paras.texts[j] in extracted):
            found.append((i + 0.5, text))
    return found


def _sibling(el: Any, step: int) -> Any:
    nxt = el.getprevious() if step < 0 else el.getnext()
    while nxt is not None and not isinstance(nxt.tag, str):
        nxt = nxt.getprevious() if step < 0 else nxt.getnext()
    return nxt


def merge_in_page_order(paras: PageParagraphs, parts: list[Part],
                        extra: list[tuple[float, str, str]]) -> list[Part]:
    """``parts`` with the ``extra`` ``(page order, kind, text)`` blocks inserted; page order
    counts the page's ``<p>`` elements."""
    order: dict[str, int] = {}
    for i, text in enumerate(paras.texts):
        order.setdefault(text, i)
    keyed: list[tuple[float, int, Part]] = []
    last = -1.0
    for seq, part in enumerate(parts):
        last = float(order.get(part[1], last))
        keyed.append((last, seq, part))
    keyed += [(float(i), -1, (kind, t)) for i, kind, t in extra]
    keyed.sort(key=lambda k: (k[0], k[1]))
    return [part for _, _, part in keyed]


_INVISIBLE = frozenset({"script", "style", "noscript", "template"})


def page_text(tree: Any) -> str:
    """The visible text of the page body (no scripts, styles or templates)."""
    body = tree.find(".//body")
    root = body if body is not None else tree
    pieces: list[str] = []
    for el in root.iter():
        if el.text and el.tag not in _INVISIBLE and isinstance(el.tag, str):
            pieces.append(el.text)
        if el.tail and el is not root:
            pieces.append(el.tail)
    return " ".join(pieces)


def _contained(inner: Any, outer: Any) -> float:
    total = sum(inner.values())
    return sum((inner & outer).values()) / total if total else 0.0


def jsonld_body_verdict(body: list[Part], page: str, extracted: list[Part]) -> tuple[bool, str]:
    """Whether a JSON-LD ``articleBody`` (as parts) is consistent with the page.

    Consistent means all of: at least 30 words; not cut short (does not end with an
    ellipsis); at least 90% of its word 4-grams occur in the page's visible text (it is
    this page's article, not a stale or paywalled copy); and it holds at least 80% of the
    4-grams of the extraction (it is the whole article, not a teaser)."""
    text = "\n".join(t for _, t in body)
    if len(text.split()) < 30:
        return False, "fewer than 30 words"
    if text.rstrip().endswith(("...", "…", "[…]", "[...]")):
        return False, "cut short (ends with an ellipsis)"
    own = shingles(text)
    if _contained(own, shingles(page)) < 0.9:
        return False, "not the page's visible text"
    if extracted and _contained(shingles("\n".join(t for _, t in extracted)), own) < 0.8:
        return False, "misses text the page extraction found"
    return True, "consistent"


def _drop_repeats(parts: list[Part], *texts: str | None) -> list[Part]:
    """``parts`` without blocks that repeat the title or dek: leading blocks, and headings
    anywhere (a page template often prints the headline again above the body)."""
    keys = {t.casefold().rstrip(".") for t in texts if t}
    out: list[Part] = []
    for i, (kind, text) in enumerate(parts):
        if text.casefold().rstrip(".") in keys and (kind == "heading" or i < 3 and not out):
            continue
        out.append((kind, text))
    return out


def is_shown(tree: Any, text: str) -> bool:
    """Whether the page shows ``text``: its first words are in one text node of the body."""
    snippet = " ".join(text.split()[:8])
    found = tree.xpath("//body//text()[contains(normalize-space(.), $s)]", s=snippet)
    return bool(found)


def choose_dek(meta: PageMeta, title: str, parts: list[Part], page: Any
               ) -> tuple[str | None, str | None, bool]:
    """``(dek, rule, shown)``: a visible standfirst, else the first description that is
    neither cut short, nor the title, nor already the lead of the body text. ``shown`` says
    whether the page shows it (only then does it go into ``text``); ``page`` is the tree."""
    if meta.standfirst and meta.standfirst.casefold() != title.casefold():
        return meta.standfirst, "html:standfirst", True
    lead = shingles(" ".join(t for _, t in parts[:5]), 3)
    for text, rule in meta.descriptions:
        if text.casefold() == title.casefold() or text.endswith(("...", "…")):
            continue
        if len(text.split()) >= 3 and _contained(shingles(text, 3), lead) >= 0.5:
            continue
        shown = is_shown(page, text)
        return text, rule, shown
    return None, None, False


# --- the converter -------------------------------------------------------------------------

class HtmlConverter(Converter):
    """HTML pages, plain or gzipped: main text by trafilatura, metadata by JSON-LD,
    OpenGraph and meta tags (see the module docstring)."""

    name = NAME
    extensions = (".html", ".htm", ".xhtml", ".shtml")

    def __init__(self, options: ConvertOptions | None = None,
                 extraction: ExtractionOptions | None = None) -> None:
        super().__init__(options)
        self.extraction = extraction or ExtractionOptions()

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        name = path.name.lower()
        if name.endswith(tuple(s + ".gz" for s in cls.extensions)) or path.suffix.lower() in cls.extensions:
            return True
        if name.endswith(_OTHER_FORMATS) or name.endswith(tuple(s + ".gz" for s in _OTHER_FORMATS)):
            return False
        if head.startswith(GZIP_MAGIC):
            try:
                head = zlib.decompressobj(31).decompress(head, 2048)
            except zlib.error:
                return False
        return bool(_HEAD.match(head[:2048]))

    def convert(self, inp: Input) -> Iterator[Outcome]:
        data = inp.data
        if data.startswith(GZIP_MAGIC):
            try:
                data = gunzip(data, self.options.max_bytes)
            except (zlib.error, ValueError) as exc:
                yield self.reject(inp, f"bad gzip data: {exc}")
                return
        yield self.convert_document(data, inp.name, None, None,
                                    {"path": inp.name, "sha256": inp.sha256})

    def convert_document(self, data: bytes, name: str, url: str | None = None,
                         charset: str | None = None, origin_extra: dict[str, Any] | None = None,
                         *, provenance_extra: dict[str, dict[str, str]] | None = None,
                         ) -> Article | Rejection:
        """One HTML page as an :class:`Article`, or a :class:`Rejection` saying why not.

        ``name`` is the input path recorded in rejections and ``origin``; ``url`` where the
        page was fetched from (canonical links win over it); ``charset`` the declared
        encoding (HTTP header); ``origin_extra`` goes into ``origin`` (``sha256``,
        ``offset``, ``format``...); ``provenance_extra`` into ``provenance``."""
        origin_extra = origin_extra or {}
        offset = origin_extra.get("offset")

        def reject(reason: str) -> Rejection:
            return Rejection(name, reason, offset=offset, converter=str(origin_extra.get("format", NAME)))

        if not data.strip():
            return reject("empty page (no HTML)")
        if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return reject("binary data (NUL byte in the first 8 KiB), not an HTML page")
        text, _encoding = decode_html(data, charset)
        from trafilatura.utils import load_html

        tree = load_html(text)
        if tree is None or tree.find(".//body") is None and len(tree) < 2:
            return reject("not an HTML document (no parsable markup)")
        meta = extract_meta(tree, url)
        parts, text_rule = self._body(tree, url, meta)
        if not parts:
            return reject("no article text found (trafilatura extracted nothing and there is "
                          "no usable JSON-LD articleBody)")
        title = meta.title or meta.h1
        if not title:
            return reject("no title found (no JSON-LD headline, og:title, <title> or <h1>)")
        return self._article(tree, meta, title, parts, text_rule, data, name, url,
                             origin_extra, provenance_extra or {})

    def _body(self, tree: Any, url: str | None, meta: PageMeta) -> tuple[list[Part], str]:
        from trafilatura import bare_extraction

        opts = self.extraction
        doc = bare_extraction(tree, url=url, favor_precision=opts.favor_precision,
                              include_comments=False, include_tables=opts.include_tables,
                              with_metadata=False)
        body = getattr(doc, "body", None)
        parts = xml_parts(body) if body is not None else []
        rule = "trafilatura"
        if opts.drop_boilerplate:
            parts = [p for p in parts if not is_boilerplate(p[1])]
        if opts.complete_chunks and parts:
            paras = PageParagraphs.of(tree)
            extra = [(i + 0.5, "paragraph", t) for i, t in missing_chunk_paragraphs(paras, parts)]
            if extra:
                rule += "+chunks"
            headings = [(i, "heading", t) for i, t in missing_headings(tree, paras, parts)]
            if headings:
                rule += "+headings"
            if extra or headings:
                parts = merge_in_page_order(paras, parts, extra + headings)
        if opts.jsonld_body and meta.article_body:
            raw = meta.article_body
            jl = fragment_parts(raw) if re.search(r"<(?:p|div|br|h\d|li)\b", raw) else text_parts(raw)
            ok, _reason = jsonld_body_verdict(jl, page_text(tree), parts)
            # one unbroken JSON-LD blob adds nothing to an extraction that already has it
            extracted = shingles("\n".join(t for _, t in parts))
            if ok and not (len(jl) == 1 < len(parts)
                           and _contained(shingles(jl[0][1]), extracted) >= 0.9):
                parts, rule = jl, "jsonld"
        return parts, rule

    def _article(self, tree: Any, meta: PageMeta, title: str, parts: list[Part], text_rule: str,
                 data: bytes, name: str, url: str | None, origin_extra: dict[str, Any],
                 provenance_extra: dict[str, dict[str, str]]) -> Article:
        import hashlib

        prov = {k: {"converter": NAME, "rule": r} for k, r in meta.provenance.items()}
        prov["text"] = {"converter": NAME, "rule": text_rule}
        parts = _drop_repeats(parts, title, meta.h1)
        dek, dek_rule, shown = choose_dek(meta, title, parts, tree)
        if dek:
            parts = _drop_repeats(parts, dek)
            note = "" if shown else " (not shown on the page: kept out of text)"
            prov["subtitle"] = {"converter": NAME, "rule": f"{dek_rule}{note}"}
        published = meta.published_at
        if published is None:
            published = dateline_date(parts, meta.language)
            if published:
                prov["published_at"] = {"converter": NAME, "rule": "dateline"}
        if published is None and self.extraction.htmldate:
            published = _htmldate(tree, url or meta.url)
            if published:
                prov["published_at"] = {"converter": NAME, "rule": "htmldate"}
        language = self.options.language or meta.language
        if self.options.language:
            prov["language"] = {"converter": NAME, "rule": "option"}
        source = meta.source
        page_url = canonical_url(meta.url) if meta.url else None
        if not source and page_url:
            host = page_url.split("/")[2]
            source = host.removeprefix("www.")
            prov["source"] = {"converter": NAME, "rule": "url"}
        if not source:
            source = "unknown"
            prov["source"] = {"converter": NAME, "rule": "default"}
        text, blocks = Article.build_text([("title", title), ("dek", dek if dek and shown else "")]
                                          + [(k, t) for k, t in parts if t])
        article_id = (article_id_from_url(page_url) if page_url
                      else article_id_from_fields(source, title, published))
        origin = {"path": name, "format": NAME, **origin_extra}
        origin.setdefault("sha256", hashlib.sha256(data).hexdigest())
        prov.update(provenance_extra)
        return Article(
            id=article_id, source=source, title=title, text=text, blocks=blocks,
            origin=origin, url=page_url, subtitle=dek, authors=meta.authors,
            published_at=published, modified_at=meta.modified_at, section=meta.section,
            language=language, credits=list(meta.credits),
            provenance=dict(sorted(prov.items())), images=[replace(i) for i in meta.images],
            keywords=meta.keywords,
        )


_DATELINE = re.compile(r"^(?P<head>[^\n]{4,60}?)\.?\s+[-–—]{1,2}\s+\S")
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")


def dateline_date(parts: list[Part], language: str | None) -> str | None:
    """The date of a dateline opening the first paragraph ("22 mai 2012. - ...",
    "21 September 2012, Paris - ..."): a full day with a four-digit year before a dash."""
    first = next((t for k, t in parts if k == "paragraph"), None)
    m = _DATELINE.match(first or "")
    if not m or not _YEAR.search(m["head"]) or len(m["head"].split()) > 8:
        return None
    head = m["head"].rstrip(" .,")
    for candidate in (head, *(p.strip() for p in head.split(","))):
        if _YEAR.search(candidate) and (found := parse_date(candidate, language)):
            return found
    return None


def _htmldate(tree: Any, url: str | None) -> str | None:
    """Publication day found by htmldate, or None. A 1 January result must be confirmed
    by htmldate's fast mode: the extensive search falls back to a copyright year."""
    from htmldate import find_date

    try:
        found = find_date(tree, extensive_search=True, original_date=True, url=url)
        if found and found.endswith("-01-01"):
            found = find_date(tree, extensive_search=False, original_date=True, url=url)
    except (ValueError, TypeError):
        return None
    return parse_date(found) if found else None
