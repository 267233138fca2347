"""Dates to ISO 8601: a fast path over declared formats, dateparser for the rest.

A value that names only a day stays a day (``2025-11-19``); a value with a time keeps its
UTC offset, and a time without one is not given an invented offset: only its day is kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime


def to_iso8601(value: str, formats: Sequence[str] = (), languages: Sequence[str] = ()
               ) -> str | None:
    """ISO 8601 form of ``value``, or None when it cannot be read as a date."""
    value = value.strip()
    for fmt in formats:
        try:
            parsed = datetime.strptime(value, fmt)
        except ValueError:
            continue
        return _iso(parsed, has_time=any(d in fmt for d in ("%H", "%I", "%M")))
    if len(value) >= 10 and value[4] == "-" and value[7] == "-":
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            return _iso(parsed, has_time=len(value) > 10)
    return _dateparser(value, tuple(languages))


def _iso(parsed: datetime, has_time: bool) -> str:
    if has_time and parsed.tzinfo is not None:
        return parsed.isoformat()
    return parsed.date().isoformat()


def _dateparser(value: str, languages: tuple[str, ...]) -> str | None:
    import dateparser  # slow to import; only needed off the fast path

    settings = {"RETURN_AS_TIMEZONE_AWARE": False, "PREFER_DAY_OF_MONTH": "first",
                "REQUIRE_PARTS": ["day", "month", "year"]}
    parsed = dateparser.parse(value, languages=list(languages) or None, settings=settings)
    if parsed is None:
        return None
    has_time = parsed.hour or parsed.minute or parsed.second
    return _iso(parsed, has_time=bool(has_time))


# --- choosing a publication date among a page's declarations --------------------------------

_URL_DAY = re.compile(r"(?:^|[/_.-])((?:19|20)[0-9]{2})([/-])(0[1-9]|1[0-2])\2(0[1-9]|[12][0-9]|3[01])"
                      r"(?=$|[/_.?#-])")
MAX_URL_DAYS_OFF = 2


def url_day(url: str | None) -> str | None:
    """The day a URL's path names (``/2019/11/18/`` or ``2019-11-18``), or None."""
    if not url:
        return None
    path = url.split("://", 1)[-1].partition("/")[2]
    m = _URL_DAY.search("/" + path)
    return f"{m[1]}-{m[3]}-{m[4]}" if m else None


def _days_apart(a: str, b: str) -> int:
    return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)


def choose_published(candidates: Sequence[tuple[str, str]], url: str | None = None
                     ) -> tuple[str, str] | None:
    """``(ISO date, rule)`` of the publication among ``candidates`` (``(ISO date, rule)`` in
    the declared order of precedence: JSON-LD, OpenGraph, other meta tags, ``<time>``, the
    dateline, htmldate), or None.

    * The first candidate wins, unless the page's URL names a day and the candidate is more
      than :data:`MAX_URL_DAYS_OFF` days from it (a modification or template date in the
      published slot): then the first candidate near the URL's day wins, or the URL's day.
    * A winner without a time or UTC offset takes them from a later candidate of the same
      day that has them (the time zone is kept wherever a source gives it).
    """
    found = [(iso, rule) for iso, rule in candidates if iso]
    day = url_day(url)
    if day:
        near = [(iso, rule) for iso, rule in found if _days_apart(iso, day) <= MAX_URL_DAYS_OFF]
        if found and not near:
            return day, f"url (the declared {found[0][0]} ({found[0][1]}) is far from it)"
        if near and near[0] != found[0]:
            found = [(near[0][0], f"{near[0][1]} (near the URL's day; {found[0][1]} is not)"), *near[1:]]
    if not found:
        return None
    iso, rule = found[0]
    if len(iso) == 10:
        timed = next(((t, r) for t, r in found[1:] if len(t) > 10 and t[:10] == iso), None)
        if timed:
            return timed[0], f"{rule}, time and offset from {timed[1]}"
    return iso, rule
