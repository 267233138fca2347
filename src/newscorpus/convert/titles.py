"""Headlines without the site name, chosen by agreement between a page's title sources.

Pages give their headline several times: JSON-LD ``headline``, ``og:title``,
``twitter:title``, ``<title>`` and the visible ``<h1>``. The ``<title>`` and social titles
often carry the site name ("Brazil: ... | Global Voices", "IGN - ..."), and JSON-LD often an
SEO variant of the headline. So:

* a site name is removed from either end of a title when the fragment beyond a separator
  names the site: it matches ``og:site_name`` / the JSON-LD publisher or ``WebSite`` name /
  ``application-name``, or the host name of the page ("Entermedia" on entermedia.co.kr);
  never from a list of known sites;
* :class:`SiteTitles` learns a site's pattern across its pages: the same fragment behind the
  same separator at the same end of the titles of several pages of one host is the site's
  name (or its rubric, "Opinion |") and is removed from that host's later pages;
* the visible ``<h1>`` wins when a metadata title (site name removed) says the same thing —
  two sources agree on it — or when the page's one ``<h1>`` is a different wording of the
  same story (an SEO title beside the headline readers see: shared words, a different
  opening); the metadata title is kept otherwise.

A title that is odd but present ("▷ Archivos de Tregua") is kept as it is. Every removal is
recorded in the title's provenance rule.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from ..text import normalize

SEPARATORS = re.compile(r"\s+(?:[|\-–—·•»«~/]|::)\s+")
LEARNED_AFTER = 3  # distinct titles of one host that must share a fragment
MAX_FRAGMENT_WORDS = 8
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
_HOST_NOISE = frozenset({"www", "m", "amp", "mobile", "news", "com", "co", "org", "net"})


def fold(text: str) -> str:
    """Comparison form: quotes unified, case folded, spaces collapsed."""
    return " ".join(normalize(text).translate(_QUOTES).casefold().split())


def _key(text: str) -> str:
    """Letters and digits only, case folded ("Sportsnet.ca" -> "sportsnetca")."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isalnum())


def host_labels(host: str | None) -> list[str]:
    """The distinctive labels of a host name ("www.entermedia.co.kr" -> ["entermedia"])."""
    if not host:
        return []
    labels = host.lower().split(".")[:-1]  # the top-level domain names no site
    return [label for label in labels if label not in _HOST_NOISE and len(label) >= 3]


def names_site(fragment: str, names: list[str], host: str | None) -> bool:
    """True when ``fragment`` (one end of a title) is the site's name: equal to a declared
    site name or to a label of the host, or one starting with the other (at least 4 letters:
    "Global Voices Online" for "Global Voices", "CBSSports.com" for "cbssports")."""
    key = _key(fragment)
    if not key:
        return False
    if any(key == _key(name) for name in names):
        return True  # the declared name, however long
    if len(fragment.split()) > MAX_FRAGMENT_WORDS:
        return False
    for name in [*names, *host_labels(host)]:
        other = _key(name)
        if not other:
            continue
        if key == other:
            return True
        short, long_ = sorted((key, other), key=len)
        # the fragment may add to the name ("Global Voices Online") or shorten it a little
        # ("CBS Sports" for "CBSSports.com"), never be one word of it ("Brazil" for "Brazil Daily")
        if len(short) >= 4 and long_.startswith(short) and (
                short == other or len(short) >= MIN_SHARE * len(long_)):
            return True
    return False


MIN_SHARE = 0.6  # a fragment shorter than the site name holds at least this much of it
MAX_RUBRIC_WORDS = 3


def _tagline_cut(title: str, names: list[str]) -> tuple[str, str] | None:
    """``(headline, fragment)`` when a declared site name follows a separator and a tagline
    follows it ("... | Lakeshore Courier - Local news, weather")."""
    for m in SEPARATORS.finditer(title):
        fragment = title[m.end():]
        if len(fragment.split()) > 2 * MAX_FRAGMENT_WORDS or len(title[: m.start()]) < 3:
            continue
        folded = fold(fragment)
        for name in names:
            name_f = fold(name)
            if name_f and folded.startswith(name_f) and SEPARATORS.match(fragment[len(name):] or "x"):
                return title[: m.start()], fragment
    return None


_OPEN, _CLOSE = "([{（【「『〈《", ")]}）】」』〉》"


def _balanced(text: str) -> bool:
    """False when ``text`` opens or closes a bracket it does not close or open: a separator
    inside brackets ("（SNOWWHITE - HEADPORTER）") does not end a site name."""
    depth = 0
    for c in text:
        depth += (c in _OPEN) - (c in _CLOSE)
        if depth < 0:
            return False
    return depth == 0


def _ends(title: str) -> tuple[tuple[str, str, str] | None, tuple[str, str, str] | None]:
    """``(separator, fragment, rest)`` for the first and the last separator of ``title``."""
    matches = list(SEPARATORS.finditer(title))
    if not matches:
        return None, None
    first, last = matches[0], matches[-1]
    prefix = (first.group().strip(), title[: first.start()], title[first.end():])
    suffix = (last.group().strip(), title[last.end():], title[: last.start()])
    return prefix, suffix


def strip_site_name(title: str, names: list[str], host: str | None) -> tuple[str, list[str]]:
    """``title`` without site names at either end, and a note per removal
    ("suffix 'Vox'")."""
    notes: list[str] = []
    for _ in range(3):
        prefix, suffix = _ends(title)
        cut = _tagline_cut(title, names)
        if suffix and names_site(suffix[1], names, host) and len(suffix[2]) >= 3 \
                and _balanced(suffix[2]):
            title, note = suffix[2], f"suffix {suffix[1]!r}"
            rubric = _ends(title)[1]
            if rubric and rubric[0] == suffix[0] and len(rubric[1].split()) <= MAX_RUBRIC_WORDS \
                    and 2 * len(rubric[1]) <= len(rubric[2]) and _balanced(rubric[2]):
                title = rubric[2]  # "Headline | World news | The Guardian"
                notes.append(note)
                note = f"rubric {rubric[1]!r} before the site name"
        elif cut is not None and _balanced(cut[0]):
            title, note = cut[0], f"suffix {cut[1]!r}"
        elif prefix and names_site(prefix[1], names, host) and len(prefix[2]) >= 3 \
                and _balanced(prefix[2]):
            title, note = prefix[2], f"prefix {prefix[1]!r}"
        else:
            break
        notes.append(note)
    return title, notes


@dataclass
class SiteTitles:
    """A site's title pattern learned across its pages (one instance per conversion run
    or input: what it learns depends on the pages seen before)."""

    seen: dict[tuple[str, str, str, str], set[str]] = field(default_factory=lambda: defaultdict(set))

    def observe(self, host: str | None, title: str) -> None:
        """Note one page's title (call once per page)."""
        if not host:
            return
        for side, end in zip(("prefix", "suffix"), _ends(title), strict=True):
            if end and len(end[1].split()) <= MAX_FRAGMENT_WORDS and _balanced(end[1]) \
                    and _balanced(end[2]):
                self.seen[(host, side, end[0], end[1])].add(end[2])

    def strip(self, host: str | None, title: str) -> tuple[str, list[str]]:
        """``title`` without the fragments this host's titles share, with notes."""
        notes: list[str] = []
        if not host:
            return title, notes
        for _ in range(3):
            prefix, suffix = _ends(title)
            for side, end in (("suffix", suffix), ("prefix", prefix)):
                if end and len(end[2]) >= 3 and _balanced(end[2]) and \
                        len(self.seen.get((host, side, end[0], end[1]), ())) >= LEARNED_AFTER:
                    title = end[2]
                    notes.append(f"{side} {end[1]!r} (learned from the site's pages)")
                    break
            else:
                break
        return title, notes


_WORD = re.compile(r"[^\W\d_]{4,}")


def _rewritten_headline(title: str, h1s: list[str], names: list[str], host: str | None) -> str | None:
    """The page's one ``<h1>`` when the metadata title is a rewording of it (an SEO title
    beside the headline readers see): the h1 has 3 words or more, does not name the site,
    shares 2 words or more of 4+ letters with the title, and neither is the other with
    something added (same opening: the h1 carries a logo or an author, the title a
    photo note)."""
    distinct = {h for h in h1s if h}
    if len(distinct) != 1:
        return None
    h1 = distinct.pop()
    a, b = fold(h1), fold(title)
    if a == b or len(h1.split()) < 3 or names_site(h1, names, host):
        return None
    if len(set(_WORD.findall(a)) & set(_WORD.findall(b))) < 2:
        return None
    wa, wb = re.findall(r"\w+", a), re.findall(r"\w+", b)
    common = len(os.path.commonprefix([wa, wb]))
    return None if common >= min(3, len(wa) // 2, len(wb) // 2) else h1


def choose_headline(candidates: list[tuple[str, str]], h1s: list[str], names: list[str],
                    host: str | None, learned: SiteTitles | None = None) -> tuple[str, str] | None:
    """``(title, rule)`` from the page's title ``candidates`` (``(text, rule)`` in order of
    trust) and its ``<h1>`` texts; None when the page has no title at all."""
    cleaned: list[tuple[str, str]] = []
    if learned is not None and candidates:
        learned.observe(host, candidates[-1][0])  # the <title> where there is one
    for text, rule in candidates:
        stripped, notes = strip_site_name(text, names, host)
        if learned is not None and not notes:
            stripped, notes = learned.strip(host, stripped)
        h1 = next((h for h in h1s if h), None)
        if h1 and h1 != stripped and h1 in stripped and 2 * len(h1) >= len(stripped):
            stripped, notes = h1, [*notes, "around the h1"]
        head, sep, tail = stripped.rpartition(" | ")
        if not notes and sep and head and len(tail) < len(head):
            stripped, notes = head, [f"suffix {tail!r} (after the last ' | ')"]
        cleaned.append((stripped, rule + "".join(f"; site name {n} removed" for n in notes)))
    # the h1 wins when a declared headline (JSON-LD, OpenGraph, meta; not <title>) agrees
    folded = {fold(text) for text, rule in cleaned if not rule.startswith("html")}
    top = fold(cleaned[0][0]) if cleaned else None
    for h1 in h1s:
        if h1 and fold(h1) == top:
            if h1 != cleaned[0][0] and h1.translate(_QUOTES) == cleaned[0][0].translate(_QUOTES):
                return h1, f"html h1 (= {cleaned[0][1]}, with the page's quotation marks)"
            break
        if h1 and fold(h1) in folded:
            agreeing = next(rule for text, rule in cleaned if fold(text) == fold(h1))
            return h1, f"html h1 (= {agreeing})"
    if cleaned and (rewrite := _rewritten_headline(cleaned[0][0], h1s, names, host)):
        return rewrite, f"html h1 (a rewording of {cleaned[0][1].split(';')[0]})"
    if cleaned:
        return cleaned[0]
    first = next((h for h in h1s if h), None)
    return (first, "html") if first else None
