"""Article body of an HTML page: trafilatura's XML to blocks, and the repairs around it.

* :func:`xml_parts` turns trafilatura's XML body into ``(kind, text)`` parts (paragraph,
  heading, quote, list_item); :func:`fragment_parts` and :func:`text_parts` do the same for
  a JSON-LD ``articleBody`` with or without markup.
* :func:`jsonld_body_verdict` says whether a JSON-LD ``articleBody`` is consistent with the
  page (and may replace the extraction).
* :func:`missing_chunk_paragraphs`, :func:`missing_headings` and
  :func:`missing_embedded_posts` find body text trafilatura left out (a body split into
  sibling containers; section headings of a body that sits directly in ``<body>``; embedded
  tweets); :func:`merge_in_page_order` puts it back in page order.
* :func:`is_boilerplate` flags calls to action ("Read more:", "Subscribe to our
  newsletter") and unrendered shortcodes.
* :func:`choose_dek` and :func:`dateline_date` pick the dek (or a lead paragraph the body
  lacks) and a dateline's date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NamedTuple

from ..shingles import shingle_counts
from ..text import normalize
from .htmlmeta import PageMeta, markup_role, parse_date

BODY_KINDS = ("paragraph", "heading", "quote", "list_item")
"""Block kinds that are article body (not title, dek or caption)."""

Part = tuple[str, str]

_BOILERPLATE = re.compile(
    r"^(?:[\[(]?(?:related(?: posts?| articles?| stories| content| coverage| links?)?|read (?:more|also|next)"
    r"|see also|also read|you (?:may|might) also (?:like|enjoy)|recommended(?: reading)?"
    r"|further reading|more (?:from|on|about) [^:]{1,40})\s*(?::|(?:\.\.\.|…)?\s*[\])]?$)"
    r"|more\s*:$"
    r"|(?:estimated )?(?:reading time|read time|tempo de leitura|tiempo de lectura|temps de lecture"
    r"|lesezeit|lesedauer)\s*:?\s*(?:about |ca\. )?\d+\s*\w*\.?$"
    r"|\d+\s*(?:min(?:ute)?s?|minutes?)\.? read$"
    r"|copyright\b.*|.*\ball rights reserved\b.*"
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
    r"|(?:advertisement|anzeige|publicidad|publicité|pubblicità|reklama|advertentie)\W*$"
    r"|(?:advertisement\W+)?(?:scroll (?:down )?to continue"
    r"|(?:the )?(?:story|article) continues (?:below|after)"
    r"|continue reading(?: below| the main story)?\W*$)"
    r"|\d*\s*comments?$"
    r"|\[(\w+)[^\]]*\].*\[/\1\]$)",
    re.IGNORECASE)
BOILERPLATE_MAX_CHARS = 300


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


def missing_embedded_posts(paras: PageParagraphs, parts: list[Part]) -> list[tuple[float, str]]:
    """Embedded social posts (``<blockquote class="twitter-tweet">``) that trafilatura left
    out of the body: the post's paragraphs and its attribution line ("— Name (@handle)
    date"), as ``(page order, text)``. Only posts that sit between two extracted paragraphs
    of the page (other embedded posts in between do not count) come back, and only the text
    that is not already (80% of its word 4-grams) in the extraction."""
    extracted = "\n".join(t for _, t in parts)
    have = shingle_counts(extracted)
    posts: dict[Any, list[int]] = {}
    for i, p in enumerate(paras.elements):
        post = next((a for a in p.iterancestors("blockquote")
                     if "twitter-tweet" in (a.get("class") or "").split()), None)
        if post is not None:
            posts.setdefault(post, []).append(i)
    inside = {i for members in posts.values() for i in members}

    def neighbour(i: int, step: int) -> str:
        i += step
        while 0 <= i < len(paras.texts) and (i in inside or not paras.texts[i]):
            i += step
        return paras.texts[i] if 0 <= i < len(paras.texts) else ""

    found: list[tuple[float, str]] = []
    for post, members in posts.items():
        before, after = neighbour(members[0], -1), neighbour(members[-1], 1)
        if not (before and after and before in extracted and after in extracted):
            continue
        texts = [(float(i), normalize(paras.texts[i])) for i in members]
        credit = normalize(" ".join(
            piece for child in post for piece in
            ((child.tail or "",) if child.tag == "p" else (child.text_content(), child.tail or ""))))
        if post.text and post.text.strip():
            credit = normalize(f"{post.text} {credit}")
        texts.append((members[-1] + 0.6, credit))
        found += [(order, text) for order, text in texts
                  if text and contained(shingle_counts(text), have) < 0.8]
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


def contained(inner: Any, outer: Any) -> float:
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
    own = shingle_counts(text)
    if contained(own, shingle_counts(page)) < 0.9:
        return False, "not the page's visible text"
    if extracted and contained(shingle_counts("\n".join(t for _, t in extracted)), own) < 0.8:
        return False, "misses text the page extraction found"
    return True, "consistent"


def drop_repeats(parts: list[Part], *texts: str | None) -> list[Part]:
    """``parts`` without blocks that repeat the title or dek: leading blocks, and headings
    anywhere (a page template often prints the headline again above the body)."""
    keys = {t.casefold().rstrip(".") for t in texts if t}
    out: list[Part] = []
    for i, (kind, text) in enumerate(parts):
        if text.casefold().rstrip(".") in keys and (kind == "heading" or i < 3 and not out):
            continue
        out.append((kind, text))
    return out


def shown_in(tree: Any, text: str) -> Any | None:
    """The element of the page's body that shows ``text`` (its first words are in one of
    its text nodes), or None."""
    snippet = " ".join(text.split()[:8])
    found = tree.xpath("//body//text()[contains(normalize-space(.), $s)]/..", s=snippet)
    return next((el for el in found if el.tag not in ("script", "style", "noscript", "template")),
                found[0] if found else None)


class DekChoice(NamedTuple):
    """The converter's dek: ``dek`` (or None) by ``rule``, ``shown`` when the page shows it
    (only then does it go into ``text``); ``lead`` a lead paragraph to put back at the head
    of the body: text the extraction left out that the page marks as the story's lead."""

    dek: str | None = None
    rule: str | None = None
    shown: bool = False
    lead: str | None = None


def choose_dek(meta: PageMeta, title: str, parts: list[Part], page: Any) -> DekChoice:
    """A visible standfirst, else the first description that is neither cut short, nor
    the title, nor already the lead of the body text. A description the page shows in
    markup naming the story's lead paragraph (not a dek: see
    :func:`~newscorpus.convert.htmlmeta.markup_role`) is body text, not a dek, whatever
    metadata repeats it: it comes back as ``lead``, and so does a lead paragraph right
    below the headline that the body lacks (the descriptions are read all the same, so the
    dek does not hang on whether the extraction kept that lead). ``page`` is the tree."""
    body = shingle_counts(" ".join(t for _, t in parts[:5]), 3)

    def in_body(text: str) -> bool:
        return len(text.split()) >= 3 and contained(shingle_counts(text, 3), body) >= 0.5

    if meta.standfirst and meta.standfirst.casefold() != title.casefold():
        return DekChoice(meta.standfirst, "html:standfirst", True)
    lead = meta.lead if meta.lead and not in_body(meta.lead) else None
    if lead:
        body += shingle_counts(lead, 3)
    for text, rule in meta.descriptions:
        if text.casefold() == title.casefold() or text.endswith(("...", "…")) or in_body(text):
            continue
        el = shown_in(page, text)
        if el is not None and markup_role(el) == "lead":
            return DekChoice(lead=lead or text)
        return DekChoice(text, rule, el is not None, lead)
    return DekChoice(lead=lead)


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
