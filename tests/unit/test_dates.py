"""One date parser for every format (newscorpus.dates.parse_date)."""

from __future__ import annotations

import pytest

from newscorpus.dates import parse_date


@pytest.mark.parametrize(("raw", "iso"), [
    ("Mon, 18 Nov 2019 10:00:00 GMT", "2019-11-18T10:00:00+00:00"),
    ("Thu,28 Jul 2022 4:35:5 GMT+9", "2022-07-28T04:35:05+09:00"),
    ("20020225T143000-0500", "2002-02-25T14:30:00-05:00"),
    ("20020225", "2002-02-25"),
    ("2019-10-12T07:20:50.52Z", "2019-10-12T07:20:50.520000+00:00"),
    ("2025-11-19", "2025-11-19"),
    ("2025-11-19T10:00:00", "2025-11-19"),  # no offset: only the day, none invented
    ("19 November 2025", "2025-11-19"),
    ("not a date", None),
    ("", None),
])
def test_parse_date(raw: str, iso: str | None) -> None:
    assert parse_date(raw) == iso


def test_declared_formats_first() -> None:
    assert parse_date("19.11.2025", ("%d.%m.%Y",)) == "2025-11-19"
