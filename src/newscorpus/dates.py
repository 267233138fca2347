"""Dates to ISO 8601: a fast path over declared formats, dateparser for the rest.

A value that names only a day stays a day (``2025-11-19``); a value with a time keeps its
UTC offset, and a time without one is not given an invented offset: only its day is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime


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
