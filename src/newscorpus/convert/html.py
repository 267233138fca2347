"""HTML news pages (``.html``, ``.htm``, ``.html.gz``): one article per page.

Main text comes from trafilatura's XML output (paragraphs, headings, quotes, list items),
then repairs from :mod:`newscorpus.convert.htmlbody`, each recorded in
``provenance["text"]`` (rule ``trafilatura``, ``trafilatura+chunks``,
``trafilatura+headings`` or ``jsonld``):

* **JSON-LD articleBody** replaces the extraction when it is *consistent with the page*
  (see :func:`~newscorpus.convert.htmlbody.jsonld_body_verdict`): not cut short, made of
  the page's own visible text, and covering what trafilatura found.
* **Split articles** (``+chunks``): when a page splits its body into several sibling
  containers of the same kind and trafilatura kept only some, the paragraphs of the others
  are added back in page order; **section headings** trafilatura dropped between two
  extracted paragraphs come back too (``+headings``).
* **Boilerplate** blocks that are calls to action ("Read more:", "Subscribe to our
  newsletter", "Share this story") and unrendered shortcodes are dropped.

Metadata comes from :mod:`newscorpus.convert.htmlmeta`; a dateline opening the body, then
htmldate, fill in a missing publication date. :meth:`HtmlConverter.convert_document` is
public: the WARC converter and feed summary completion pass it page bytes they found.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..dates import choose_published
from ..ids import article_id as make_id
from ..ids import canonical_url
from ..records import Article
from ..report import Rejection
from ..shingles import shingle_counts
from .base import Converter, ConvertOptions, Input, Outcome
from .htmlbody import (
    BODY_KINDS,
    PageParagraphs,
    Part,
    choose_dek,
    contained,
    dateline_date,
    drop_repeats,
    fragment_parts,
    is_boilerplate,
    jsonld_body_verdict,
    merge_in_page_order,
    missing_chunk_paragraphs,
    missing_embedded_posts,
    missing_headings,
    page_text,
    text_parts,
    xml_parts,
)
from .htmlfurniture import PageBlocks, furniture, strip_link_cards
from .htmlloose import merge_in_document_order, missing_loose_text
from .htmlmeta import PageMeta, extract_meta, parse_date
from .titles import SiteTitles

__all__ = ["BODY_KINDS", "ExtractionOptions", "HtmlConverter", "decode_html", "looks_like_html"]

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




@dataclass(frozen=True, slots=True)
class ExtractionOptions:
    """Knobs of the main-text extraction (defaults are what the quality gate measures)."""

    favor_precision: bool = True
    mode: str = "cascade"
    """``"cascade"``: trafilatura's main extractor alone (``fast=True``), then again with its
    fallback extractors (readability, jusText) when the result is doubtful: shorter than
    ``short_chars``, or less than ``page_share`` of the text in the page's ``<p>`` elements.
    ``"full"``: always with the fallbacks. ``"fast"``: never."""
    short_chars: int = 1000
    page_share: float = 0.25
    include_tables: bool = True
    jsonld_body: bool = True
    complete_chunks: bool = True
    drop_boilerplate: bool = True
    drop_page_furniture: bool = True
    embedded_posts: bool = True
    loose_text: bool = True
    """Put back runs of text written straight into the article container (with
    ``complete_chunks``; :mod:`.htmlloose`)."""
    """Put back embedded tweets trafilatura left out (with ``complete_chunks``)."""
    """Drop blocks in named page widgets and trailing link lists (:mod:`.htmlfurniture`)."""
    htmldate: bool = True

    def __post_init__(self) -> None:
        if self.mode not in EXTRACTION_MODES:
            raise ValueError(f"mode must be one of {', '.join(EXTRACTION_MODES)}, got {self.mode!r}")
        if self.short_chars < 0 or not 0 <= self.page_share <= 1:
            raise ValueError("short_chars must be >= 0 and page_share between 0 and 1")


EXTRACTION_MODES = ("cascade", "full", "fast")


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


# --- the converter -------------------------------------------------------------------------

class HtmlConverter(Converter):
    """HTML pages, plain or gzipped: main text by trafilatura, metadata by JSON-LD,
    OpenGraph and meta tags (see the module docstring)."""

    name = NAME
    extensions = (".html", ".htm", ".xhtml", ".shtml")
    priority = 40
    Options = ExtractionOptions

    def __init__(self, options: ConvertOptions | None = None,
                 extraction: ExtractionOptions | None = None) -> None:
        super().__init__(options)
        self.extraction = extraction or self.options.for_format(NAME, ExtractionOptions)
        # set by a converter of many pages of one input (WARC, feed completion): the title
        # pattern of each site is learned across them; None for one page per input
        self.site_titles: SiteTitles | None = None

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
        meta = extract_meta(tree, url, self.site_titles)
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

        def extract(fast: bool) -> list[Part]:
            doc = bare_extraction(tree, url=url, favor_precision=opts.favor_precision, fast=fast,
                                  include_comments=False, include_tables=opts.include_tables,
                                  with_metadata=False)
            body = getattr(doc, "body", None)
            return xml_parts(body) if body is not None else []

        paras = PageParagraphs.of(tree)
        parts = extract(fast=opts.mode != "full")
        if opts.mode == "cascade":
            size = sum(len(t) for _, t in parts)
            if size < opts.short_chars or size < opts.page_share * sum(map(len, paras.texts)):
                parts = extract(fast=False)  # doubtful: let trafilatura's fallbacks compare
        rule = "trafilatura"
        if opts.drop_boilerplate:
            parts = [p for p in parts if not is_boilerplate(p[1])]
        blocks = PageBlocks(tree)
        if opts.drop_page_furniture and parts:
            drop = furniture(tree, parts, blocks)
            if drop:
                parts = [p for i, p in enumerate(parts) if i not in drop]
                rule += "-furniture"
            stripped = strip_link_cards(tree, parts, blocks)
            if stripped != parts:
                parts, rule = stripped, rule + "-cards"
        if opts.complete_chunks and parts:
            extra = [(i + 0.5, "paragraph", t) for i, t in missing_chunk_paragraphs(paras, parts)]
            if extra:
                rule += "+chunks"
            headings = [(i, "heading", t) for i, t in missing_headings(tree, paras, parts)]
            if headings:
                rule += "+headings"
            posts = [(i, "quote", t) for i, t in missing_embedded_posts(paras, parts)
                     ] if opts.embedded_posts else []
            if posts:
                rule += "+posts"
            if extra or headings or posts:
                parts = merge_in_page_order(paras, parts, extra + headings + posts)
            loose = missing_loose_text(tree, parts, blocks) if opts.loose_text else []
            if loose:
                parts = merge_in_document_order(tree, parts, loose)
                rule += "+loose"
        if opts.jsonld_body and meta.article_body:
            raw = meta.article_body
            jl = fragment_parts(raw) if re.search(r"<(?:p|div|br|h\d|li)\b", raw) else text_parts(raw)
            ok, _reason = jsonld_body_verdict(jl, page_text(tree), parts)
            # one unbroken JSON-LD blob adds nothing to an extraction that already has it
            extracted = shingle_counts("\n".join(t for _, t in parts))
            if ok and not (len(jl) == 1 < len(parts)
                           and contained(shingle_counts(jl[0][1]), extracted) >= 0.9):
                parts, rule = jl, "jsonld"
        return parts, rule

    def _article(self, tree: Any, meta: PageMeta, title: str, parts: list[Part], text_rule: str,
                 data: bytes, name: str, url: str | None, origin_extra: dict[str, Any],
                 provenance_extra: dict[str, dict[str, str]]) -> Article:
        import hashlib

        prov = {k: {"converter": NAME, "rule": r} for k, r in meta.provenance.items()}
        prov["text"] = {"converter": NAME, "rule": text_rule}
        parts = drop_repeats(parts, title, meta.h1)
        dek, dek_rule, shown, lead = choose_dek(meta, title, parts, tree)
        if dek:
            parts = drop_repeats(parts, dek)
            note = "" if shown else " (not shown on the page: kept out of text)"
            prov["subtitle"] = {"converter": NAME, "rule": f"{dek_rule}{note}"}
        if lead:
            parts = [("paragraph", lead), *parts]
            prov["text"]["rule"] += "+lead"
        dates = list(meta.dates)
        if not dates:
            dates.append((dateline_date(parts, meta.language) or "", "dateline"))
        if not any(iso for iso, _ in dates) and self.extraction.htmldate:
            dates.append((_htmldate(tree, url or meta.url) or "", "htmldate"))
        chosen = choose_published(dates, meta.url or url)
        published = chosen[0] if chosen else None
        if chosen:
            prov["published_at"] = {"converter": NAME, "rule": chosen[1]}
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
        article_id, _ = make_id(page_url, source=source, title=title, date=published)
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
