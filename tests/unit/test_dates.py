"""Choosing the publication date among a page's declarations."""

from __future__ import annotations

from newscorpus.dates import choose_published, url_day


def test_url_day() -> None:
    assert url_day("https://www.nj.com/entertainment/2019/11/19/story.html") == "2019-11-19"
    assert url_day("https://x.example/news/2018-10-09-lawan-moves") == "2018-10-09"
    assert url_day("https://x.example/2019/11/story.html") is None  # a month is no day
    assert url_day("https://x.example/a/201911181077343476-royal") is None
    assert url_day("https://x.example/id/2019/13/40/") is None
    assert url_day(None) is None


def test_precedence_and_offsets_kept() -> None:
    cands = [("2019-11-19", "jsonld"), ("2019-11-18T22:00:00+00:00", "opengraph"),
             ("2019-11-19T13:03:00-05:00", "meta")]
    assert choose_published(cands) == ("2019-11-19T13:03:00-05:00", "jsonld, time and offset from meta")
    assert choose_published([("2019-11-19T13:03:00+01:00", "jsonld"), ("2019-11-01", "meta")]) \
        == ("2019-11-19T13:03:00+01:00", "jsonld")
    assert choose_published([("", "dateline")]) is None


def test_a_declaration_far_from_the_urls_day_loses() -> None:
    url = "https://x.example/2019/11/18/story/"
    cands = [("2021-03-02T10:00:00+00:00", "jsonld"), ("2019-11-18T09:00:00-05:00", "opengraph")]
    assert choose_published(cands, url) == (
        "2019-11-18T09:00:00-05:00", "opengraph (near the URL's day; jsonld is not)")
    assert choose_published([("2021-03-02", "jsonld")], url) == (
        "2019-11-18", "url (the declared 2021-03-02 (jsonld) is far from it)")
    # a time zone a day away from the URL's local day is no disagreement
    assert choose_published([("2019-11-19T02:00:00+00:00", "jsonld")], url)[1] == "jsonld"
