"""Stable article ids.

An id comes from the canonical URL when there is one (scheme and host lower-cased,
default port, fragment and tracking parameters removed), otherwise from source + title +
date. The same input always gives the same id.
"""

from __future__ import annotations

import hashlib
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

ID_PREFIX = "nc-"

TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid",
        "mc_cid", "mc_eid", "_ga", "_gl", "ocid", "cmpid", "ncid", "sr_share", "smid",
        "spm", "share", "at_medium", "at_campaign", "ito", "rss", "cmp",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "at_", "__twitter")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """Canonical form of ``url`` used for ids and stored in records.

    >>> canonical_url("HTTPS://WWW.Example.com:443/a/b?utm_source=x&id=3#top")
    'https://www.example.com/a/b?id=3'
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port
    netloc = host if port is None or _DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    )
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def url_match_key(url: str) -> str:
    """A looser key than :func:`canonical_url`, for recognising one story reached by two
    routes (a feed's link and the page's own canonical link): scheme, a leading ``www.``
    and a trailing slash are ignored as well. Used to join, never as an id.

    >>> url_match_key("http://www.example.com/a/b/?utm_source=rss")
    'example.com/a/b'
    """
    parts = urlsplit(canonical_url(url))
    host = parts.netloc.removeprefix("www.")
    path = parts.path.rstrip("/") or "/"
    return host + path + (f"?{parts.query}" if parts.query else "")


def _digest(key: str) -> str:
    return ID_PREFIX + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def article_id_from_url(url: str) -> str:
    """Id of the article at ``url`` (canonicalized first)."""
    return _digest("url\x1f" + canonical_url(url))


def article_id_from_guid(guid: str) -> str:
    """Id of an article from its format's own globally unique identifier (a NewsML-G2
    ``guid``, a NITF ``doc-id``: usually a URN), used before the title fallback."""
    return _digest("guid\x1f" + guid.strip())


def article_id_from_fields(source: str, title: str, date: str | None) -> str:
    """Id of an article without URL, from its source, title and publication day.

    Only the day (``YYYY-MM-DD``) of ``date`` counts, and source and title are compared
    NFKC-normalized and case-folded (this is a key, not annotatable text).
    """

    def key(s: str) -> str:
        return " ".join(unicodedata.normalize("NFKC", s).casefold().split())

    day = (date or "")[:10]
    return _digest("fields\x1f" + key(source) + "\x1f" + key(title) + "\x1f" + day)


def article_id(url: str | None = None, guid: str | None = None, *, source: str, title: str,
               date: str | None) -> tuple[str, str]:
    """``(id, rule)`` of an article by the one precedence every converter follows: its URL
    (canonicalized), else its format's own global identifier (``guid``), else source + title
    + publication day. ``rule`` names what was used (for provenance)."""
    if url and url.strip():
        return article_id_from_url(url.strip()), "url"
    if guid and guid.strip():
        return article_id_from_guid(guid), f"guid {guid.strip()}"
    return article_id_from_fields(source, title, date), "source+title+date"
