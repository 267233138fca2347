"""Dates to ISO 8601, in one place for every format: declared formats, ISO 8601 (extended
and the basic form NITF/NewsML use), RFC 822 (strict, and the sloppy forms real feeds write),
then dateparser for the rest (:func:`parse_date`).

A value that names only a day stays a day (``2025-11-19``); a value with a time keeps its
UTC offset, and a time without one is not given an invented offset: only its day is kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from email.utils import parsedate_to_datetime


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


_ISO_BASIC = re.compile(
    r"(\d{4})-?(\d{2})-?(\d{2})(?:T(\d{2}):?(\d{2})(?::?(\d{2}))?(?:[.,]\d+)?"
    r"(Z|[+-]\d{2}(?::?\d{2})?)?)?"
)
_LOOSE_822 = re.compile(
    r"^(?:[A-Za-z]{3,9}\.?,?\s*)?(\d{1,2})[\s-]+([A-Za-z]{3})[A-Za-z]*\.?[\s-]+(\d{2,4})\s+"
    r"(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?\s*(?:(?:GMT|UTC|UT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?\s*$)?")


def iso_basic(value: str) -> str | None:
    """ISO 8601 of ``20020225T143000-0500`` (basic or extended ISO form, as NITF and NewsML
    write it), or None when ``value`` is not in that form. A time without a UTC offset keeps
    only its day (no invented offset)."""
    m = _ISO_BASIC.fullmatch(value.strip())
    if m is None:
        return None
    year, month, day, hour, minute, second, tz = m.groups()
    try:
        if hour is None or tz is None:
            return datetime(int(year), int(month), int(day)).date().isoformat()
        offset = "+00:00" if tz == "Z" else f"{tz[:3]}:{tz[3:].lstrip(':') or '00'}"
        return datetime.fromisoformat(f"{year}-{month}-{day}T{hour}:{minute}:{second or '00'}{offset}"
                                      ).isoformat()
    except ValueError:
        return None


def loose_rfc822(value: str) -> str:
    """``value`` rewritten as strict RFC 822 when it is a sloppy one (no space after the comma,
    one-digit hours/minutes/seconds, ``GMT+9`` or ``-03:30`` offsets, long month names)."""
    m = _LOOSE_822.match(value)
    if not m:
        return value
    day, month, year, hh, mm, ss, sign, oh, om = m.groups()
    zone = f"{sign}{int(oh):02d}{om or '00'}" if sign else value[m.end(6) if ss else m.end(5):].strip()
    return f"{int(day):02d} {month.title()} {year} {int(hh):02d}:{int(mm):02d}:{int(ss or 0):02d} {zone}"


def rfc822(value: str) -> str | None:
    """ISO 8601 (offset kept) of an RFC 822 date, strict or sloppy; None when it is not one
    or names no UTC offset."""
    value = value.strip()
    if value[:4].isdigit():
        return None
    for candidate in dict.fromkeys((value, loose_rfc822(value))):
        try:
            dt = parsedate_to_datetime(candidate)
        except (TypeError, ValueError, IndexError):
            continue
        if dt is not None and dt.tzinfo is not None:
            return dt.isoformat()
    return None


def parse_date(value: str, formats: Sequence[str] = (), languages: Sequence[str] = ()) -> str | None:
    """ISO 8601 of a date as any source writes it: the declared ``formats``, RFC 822 (RSS,
    e-mail, HTTP; sloppy forms too), ISO 8601 basic or extended, then dateparser (in
    ``languages``). None when it cannot be read."""
    value = value.strip()
    if not value:
        return None
    if not formats:
        iso = rfc822(value) or (iso_basic(value) if value[4:5] != "-" else None)  # basic ISO form
        if iso is not None:
            return iso
    try:
        return to_iso8601(value, formats, languages)
    except (ValueError, OverflowError, TypeError):
        return None


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
