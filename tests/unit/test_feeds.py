"""Feed converter (RSS, Atom, JSON Feed) and summary completion, on fixtures written here."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from newscorpus.convert import registry
from newscorpus.convert.base import ConvertOptions, Input
from newscorpus.convert.completion import CompletionReport, complete_summaries, merge_page
from newscorpus.convert.feeds import FeedConverter, feed_date, read_feed
from newscorpus.ids import article_id_from_url
from newscorpus.records import Article, Credit
from newscorpus.report import Rejection, Skip
from tests.article_checks import blocks, valid

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">
<channel>
  <title>Lakeshore Courier</title>
  <link>https://courier.example/</link>
  <language>en-gb</language>
  <item>
    <title>Ferry fares rise &amp; timetable changes</title>
    <link>https://courier.example/news/ferry?utm_source=rss</link>
    <description>Fares go up in May.</description>
    <content:encoded><![CDATA[<p>Fares on the <b>island ferry</b> rise by 5%.</p>
      <h2>New timetable</h2><p>The first boat leaves at 6:10.<br><br>The last at 22:40.</p>
      <script>alert(1)</script>]]></content:encoded>
    <dc:creator>Ana Lima and Jonas Berg</dc:creator>
    <category>Transport</category><category>Islands</category><category>Transport</category>
    <pubDate>Tue, 03 Nov 2026 07:15:00 +0100</pubDate>
    <enclosure url="https://courier.example/img/ferry.jpg" type="image/jpeg" length="1"/>
    <media:credit>Photo Desk</media:credit>
  </item>
  <item>
    <title>Seawall works start</title>
    <link>https://courier.example/news/seawall</link>
    <description>&lt;p&gt;Works on the seawall start on Monday.&lt;/p&gt;</description>
    <pubDate>Mon, 02 Nov 2026 18:00:00 GMT</pubDate>
  </item>
  <item>
    <description>An item without a title.</description>
  </item>
</channel>
</rss>
"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
  <title>L'Echo des Berges</title>
  <author><name>Redaction</name></author>
  <link href="https://echo.example/"/>
  <entry>
    <title type="html">Le tram &lt;em&gt;gratuit&lt;/em&gt; le dimanche</title>
    <link rel="alternate" href="/2026/tram"/>
    <id>urn:uuid:1</id>
    <published>2026-11-05T09:30:00+01:00</published>
    <updated>2026-11-05T11:00:00+01:00</updated>
    <summary>Le conseil a vote la gratuite.</summary>
  </entry>
</feed>
"""

JSONFEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Northwind Post",
    "home_page_url": "https://northwind.example/",
    "language": "en",
    "authors": [{"name": "Mei Chen"}],
    "items": [
        {"id": "1", "url": "https://northwind.example/gull", "title": "Gull Island seawall",
         "content_text": "First paragraph.\n\nSecond paragraph.",
         "summary": "A teaser that is not in the body.",
         "date_published": "2026-02-01T10:00:00-05:00", "tags": ["coast", "works"],
         "authors": [{"name": "Mia Chen"}, {"name": "Leo Park"}],
         "attachments": [{"url": "https://northwind.example/a.png", "mime_type": "image/png"},
                         {"url": "https://northwind.example/a.mp3", "mime_type": "audio/mpeg"}]},
        {"id": "2", "title": "Only a summary", "url": "https://northwind.example/two",
         "summary": "Short."},
        "not an object",
    ],
}


def run(data: bytes, name: str = "feed.xml", **options: object) -> list[object]:
    converter = FeedConverter(ConvertOptions(**options))  # type: ignore[arg-type]
    return list(converter.convert(Input(Path(name), name, data)))


def test_rss_full_content_item() -> None:
    first, second, third = run(RSS)
    assert isinstance(first, Article)
    valid(first)
    assert first.title == "Ferry fares rise & timetable changes"
    assert first.url == "https://courier.example/news/ferry?utm_source=rss"  # as the feed gave it
    assert first.id == article_id_from_url("https://courier.example/news/ferry")
    assert first.content_kind is None
    assert first.subtitle == "Fares go up in May."  # summary not found in the body: a dek
    assert blocks(first, "heading") == ["New timetable"]
    assert blocks(first, "paragraph") == ["Fares on the island ferry rise by 5%.",
                                          "The first boat leaves at 6:10.", "The last at 22:40."]
    assert "alert" not in first.text
    assert first.authors == ["Ana Lima", "Jonas Berg"]
    assert first.keywords == ["Transport", "Islands"]
    assert first.published_at == "2026-11-03T07:15:00+01:00"
    assert first.language == "en-GB"
    assert first.source == "Lakeshore Courier"
    assert [(i.url, i.credit) for i in first.images] == [
        ("https://courier.example/img/ferry.jpg", "Photo Desk")]
    assert first.origin["line"] == 8 and first.origin["format"] == "feed"
    assert first.provenance["text"]["rule"].startswith("rss20:content")
    assert first.provenance["origin"]["rule"] == "rss20:item 1 of 3"

    assert isinstance(second, Article)
    valid(second)
    assert second.content_kind == "summary"
    assert blocks(second) == ["Seawall works start", "Works on the seawall start on Monday."]
    assert second.published_at == "2026-11-02T18:00:00+00:00"

    assert isinstance(third, Rejection)
    assert third.reason == "item 3: no title"
    assert third.line == 27 and third.path == "feed.xml"


def test_atom_summary_only_entry_and_inherited_author() -> None:
    [entry] = run(ATOM, "echo.atom")
    assert isinstance(entry, Article)
    valid(entry)
    assert entry.title == "Le tram gratuit le dimanche"
    assert entry.url == "https://echo.example/2026/tram"  # resolved against the feed link
    assert entry.content_kind == "summary"
    assert entry.authors == ["Redaction"]
    assert entry.provenance["authors"]["rule"] == "atom10:feed author"
    assert entry.published_at == "2026-11-05T09:30:00+01:00"
    assert entry.modified_at == "2026-11-05T11:00:00+01:00"
    assert entry.language == "fr"


def test_json_feed() -> None:
    first, second, third = run(json.dumps(JSONFEED, indent=1).encode(), "feed.json")
    assert isinstance(first, Article)
    valid(first)
    assert blocks(first) == ["Gull Island seawall", "A teaser that is not in the body.",
                             "First paragraph.", "Second paragraph."]
    assert [b.kind for b in first.blocks] == ["title", "dek", "paragraph", "paragraph"]
    assert first.authors == ["Mia Chen", "Leo Park"]
    assert first.keywords == ["coast", "works"]
    assert [i.url for i in first.images] == ["https://northwind.example/a.png"]
    assert first.published_at == "2026-02-01T10:00:00-05:00"
    assert first.origin["line"] == 12
    assert isinstance(second, Article) and second.content_kind == "summary"
    assert second.authors == ["Mei Chen"]  # JSON Feed items inherit the feed's authors
    assert isinstance(third, Rejection) and "not an object" in third.reason


def test_json_feed_1_0_author_object() -> None:
    doc = {"version": "https://jsonfeed.org/version/1", "title": "T", "items": [
        {"id": "x", "url": "https://t.example/x", "title": "One", "content_html": "<p>Body</p>",
         "author": {"name": "Sol Wright"}}]}
    [article] = run(json.dumps(doc).encode(), "f.json")
    assert isinstance(article, Article) and article.authors == ["Sol Wright"]


def test_same_input_same_bytes() -> None:
    assert [a.to_dict() for a in run(RSS) if isinstance(a, Article)] == \
           [a.to_dict() for a in run(RSS) if isinstance(a, Article)]


def test_item_without_link_gets_id_from_fields() -> None:
    data = b"""<rss version="2.0"><channel><title>Desk</title><item><title>No link</title>
      <description>Body text.</description><pubDate>Tue, 03 Nov 2026 07:15:00 GMT</pubDate>
      </item></channel></rss>"""
    [article] = run(data)
    assert isinstance(article, Article)
    assert article.url is None and article.id.startswith("nc-")
    assert article.content_kind == "summary"


def test_title_only_item_without_link_is_rejected() -> None:
    data = b"""<rss version="2.0"><channel><item><title>Lonely</title></item></channel></rss>"""
    [outcome] = run(data)
    assert isinstance(outcome, Rejection)
    assert "no text (no content or summary) and no link" in outcome.reason


def test_bozo_feed_is_salvaged() -> None:
    data = b"""<rss version="2.0"><channel><title>Broken</title>
      <item><title>Still readable</title><link>https://b.example/1</link>
      <description>Text &amp; more</description></item>
      </channel></rss"""  # unclosed end tag: the document is cut short, its item complete
    truncated, article = run(data)
    assert isinstance(truncated, Rejection)
    assert truncated.reason.startswith(f"feed truncated at byte {len(data)}")
    assert isinstance(article, Article)
    assert article.title == "Still readable"
    assert "salvaged from an ill-formed feed" in article.provenance["text"]["rule"]


def test_bozo_feed_with_nothing_usable_is_one_rejection() -> None:
    [outcome] = run(b"<rss version='2.0'>\n<channel>\n</rss")
    assert isinstance(outcome, Rejection)
    assert outcome.reason.startswith("ill-formed feed, nothing could be read: SAXParseException")
    assert outcome.line is not None


def test_bozo_item_rejections_carry_the_parser_complaint() -> None:
    data = b"<rss version='2.0'><channel><item><description>x</description></item></channel></rss"
    truncated, outcome = run(data)
    assert isinstance(truncated, Rejection) and truncated.reason.startswith("feed truncated at byte")
    assert isinstance(outcome, Rejection)
    assert "item 1: no title; the feed is ill-formed: SAXParseException" in outcome.reason


def test_feedparser_crash_is_a_rejection() -> None:
    data = b'<?xml version="1.0" encoding="iso-8859-\xa7"?>\n<rss version="2.0"><channel/></rss>'
    [outcome] = run(data)
    assert isinstance(outcome, Rejection)
    assert "feedparser failed: UnicodeDecodeError" in outcome.reason


def test_feed_without_items_is_a_skip() -> None:
    [outcome] = run(b"<rss version='2.0'><channel><title>Quiet</title></channel></rss>")
    assert isinstance(outcome, Skip)
    assert "feed 'Quiet' has no items" in outcome.reason


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty file"),
    (b"{\"version\": \"1.1\", \"items\": [", "not valid JSON"),
    (b"{\"version\": \"1.1\", \"items\": 3}", "not a JSON Feed"),
    (b"{\"items\": []}\xff", "invalid UTF-8 at byte 13 (line 1, column 14)"),
])
def test_bad_json_feeds(data: bytes, reason: str) -> None:
    [outcome] = run(data, "f.json")
    assert isinstance(outcome, Rejection) and reason in outcome.reason


def test_size_limit() -> None:
    [outcome] = run(RSS, max_bytes=100)
    assert isinstance(outcome, Rejection) and "over the 100-byte limit" in outcome.reason


def test_entities_are_not_expanded() -> None:
    laughs = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
<!ENTITY x SYSTEM "file:///etc/hostname">]>
<rss version="2.0"><channel><item><title>T &d; &x;</title><link>https://x.example/</link>
<description>D</description></item></channel></rss>"""
    start = time.monotonic()
    outcomes = run(laughs)
    assert time.monotonic() - start < 5
    for outcome in outcomes:
        if isinstance(outcome, Article):
            assert "aaaa" not in outcome.text
            assert len(outcome.text) < 200


def test_data_that_names_a_file_is_never_opened(tmp_path: Path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_bytes(b"<rss version='2.0'><channel><item><title>Leaked</title>"
                       b"<description>x</description></item></channel></rss>")
    outcomes = run(str(secret).encode(), "name-only.xml")
    assert not any(isinstance(o, Article) and o.title == "Leaked" for o in outcomes)


@pytest.mark.parametrize(("raw", "expected"), [
    ("Thu, 05 Sep 2002 00:00:01 GMT", "2002-09-05T00:00:01+00:00"),
    ("Tue, 03 Nov 2026 07:15:00 +0100", "2026-11-03T07:15:00+01:00"),
    ("2004-05-30T14:23:54-06:00", "2004-05-30T14:23:54-06:00"),
    ("2026-11-03", "2026-11-03"),
    ("not a date", None),
])
def test_feed_dates(raw: str, expected: str | None) -> None:
    assert feed_date(raw) == expected


def test_feed_date_falls_back_to_parsed_utc() -> None:
    assert feed_date("garbage", time.struct_time((2020, 1, 2, 3, 4, 5, 0, 2, 0))) == \
        "2020-01-02T03:04:05+00:00"


@pytest.mark.parametrize(("name", "head", "expected"), [
    ("a.xml", RSS[:300], "feed"),
    ("a.xml", ATOM[:300], "feed"),
    ("a.rdf", b'<?xml version="1.0"?>\n<rdf:RDF '
              b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
              b'xmlns="http://purl.org/rss/1.0/">', "feed"),
    ("a.xml", b"<!--\nExpect: bozo\n-->\n<rss version='2.0'>", "feed"),
    ("f.json", json.dumps(JSONFEED).encode()[:400], "feed"),
    ("f.json", b'{"version": "1.1", "items": []}', "feed"),
    ("f.json", b'{"version": "2.3.1", "name": "pkg"}', None),
    ("a.xml", b"<feed xmlns='http://example.org/other'>", None),
    ("a.xml", b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/">', None),
    ("a.xml", b"<nitf>", None),
])
def test_sniffing(name: str, head: bytes, expected: str | None) -> None:
    assert FeedConverter.sniff(Path(name), head) is (expected == "feed")
    if expected:
        assert registry.detect(Path(name), head) == expected


def test_read_feed_reports_encoding() -> None:
    data = '<?xml version="1.0" encoding="euc-kr"?><rss version="2.0"><channel><title>년</title>' \
           '</channel></rss>'.encode("euc-kr")
    feed = read_feed(data)
    assert feed.title == "년" and feed.encoding == "euc-kr" and feed.items == []


# ------------------------------------------------------------------ summary completion


class FakeHtml:
    """Stands in for the HTML converter: one page per URL, a rejection for 'bad' pages."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str | None, str | None]] = []

    def convert_document(self, data: bytes, name: str, url: str | None = None,
                         charset: str | None = None) -> Article | Rejection:
        self.calls.append((name, url, charset))
        if data == b"bad":
            return Rejection(name, "no article text found", converter="html")
        text, parts = Article.build_text([("title", "Seawall works start on Monday"),
                                          ("paragraph", data.decode())])
        return Article(id=article_id_from_url(url or "x"), source="unknown",
                       title="Seawall works start on Monday", text=text, blocks=parts,
                       origin={"path": name, "format": "html"}, url=url,
                       authors=["Page Author"], provenance={"text": {"converter": "html",
                                                                    "rule": "trafilatura"}})


def _summaries() -> list[Article]:
    return [a for a in run(RSS) if isinstance(a, Article)]


def test_complete_summaries_with_a_page() -> None:
    full, summary = _summaries()
    fake = FakeHtml()
    report = CompletionReport()
    pages = {"https://courier.example/news/seawall": (b"The full story of the works.", "utf-8")}
    out = list(complete_summaries([full, summary], pages.get, fake, report))
    assert out[0] is full
    done = out[1]
    valid(done)
    assert done.content_kind is None
    assert done.id == summary.id and done.url == summary.url
    assert blocks(done, "paragraph") == ["The full story of the works."]
    assert done.authors == ["Page Author"]
    assert done.published_at == summary.published_at
    assert done.source == "Lakeshore Courier"  # the page had none
    assert done.provenance["published_at"] == summary.provenance["published_at"]
    assert done.provenance["content_kind"]["rule"].endswith("completed summary feed.xml:21")
    assert fake.calls == [(f"{summary.url} (page for feed.xml)", summary.url, "utf-8")]
    assert (report.completed, report.unchanged, report.no_page) == (1, 1, 0)


def test_complete_summaries_keeps_summary_when_page_missing_or_rejected() -> None:
    _, summary = _summaries()
    report = CompletionReport()
    assert list(complete_summaries([summary], {}.get, FakeHtml(), report)) == [summary]
    assert report.no_page == 1
    out = list(complete_summaries([summary], lambda url: b"bad", FakeHtml(), report))
    assert out == [summary]
    assert [p.reason for p in report.problems] == ["no article text found"]


def test_merge_page_prefers_page_metadata() -> None:
    _, summary = _summaries()
    page = FakeHtml().convert_document(b"Body.", "page.html", summary.url)
    assert isinstance(page, Article)
    page.published_at = "2026-11-02T19:00:00+00:00"
    merged = merge_page(summary, page)
    assert merged.published_at == "2026-11-02T19:00:00+00:00"
    assert merged.origin["path"] == "page.html"


def test_complete_summaries_with_the_html_converter() -> None:
    _, summary = _summaries()
    body = " ".join(["The seawall works began on Monday with two cranes on the north pier."] * 3)
    page = f"""<!doctype html><html lang="en"><head><title>Seawall works start</title>
      <meta property="og:title" content="Seawall works start"></head><body><article>
      <h1>Seawall works start</h1><p>{body}</p><p>{body.upper()}</p></article></body></html>"""
    report = CompletionReport()
    [done] = complete_summaries([summary], lambda url: page.encode(), report=report)
    assert report.completed == 1, report.problems
    assert done.content_kind is None
    assert "two cranes" in done.text
    valid(done)


def test_title_only_item_is_no_article_text() -> None:
    data = b"""<rss version="2.0"><channel><title>F</title>
      <item><title>Only a title</title><link>https://t.example/1</link></item>
      <item><title>Repeat</title><link>https://t.example/2</link><description>Repeat</description></item>
      </channel></rss>"""
    first, second = run(data)
    assert isinstance(first, Rejection) and "no article text (title only" in first.reason
    assert isinstance(second, Rejection) and "no article text (title only" in second.reason


def test_issue15_feed_fields() -> None:
    data = b"""<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
      <title>Harbour Courier</title><language>US</language><dc:publisher>Harbour Courier</dc:publisher>
      <item><title>Ferry fares</title><link>https://c.example/a?fl</link>
      <dc:creator>Harbour Courier</dc:creator><pubDate>Thu,28 Jul 2022 4:35:5 GMT+9</pubDate>
      <description>Die Fahrpreise der Faehre steigen im Sommer, sagte die Stadt am Montag.</description>
      </item></channel></rss>"""
    [article] = run(data)
    assert isinstance(article, Article)
    assert article.published_at == "2022-07-28T04:35:05+09:00"
    assert article.language == "de"  # the text's language, not the channel's "US"
    assert article.authors == [] and [(c.role, c.name) for c in article.credits] == [
        ("contributor", "Harbour Courier")]
    assert article.url == "https://c.example/a?fl"


def test_completion_keeps_the_feeds_clean_title() -> None:
    _, summary = _summaries()
    body = " ".join(["The seawall works began on Monday with two cranes on the north pier."] * 3)

    def page(title: str) -> bytes:
        return (f"<!doctype html><html lang='en'><head><title>{title}</title></head><body><article>"
                f"<p>{body}</p><p>{body.upper()}</p></article></body></html>").encode()

    # the page's title says something else (an SEO title): the feed's headline is kept
    [done] = complete_summaries([summary], lambda url: page("Cranes arrive: what the works mean for you"))
    assert done.title == summary.title and done.text.startswith(summary.title + "\n\n")
    assert done.text[done.blocks[0].start:done.blocks[0].end] == summary.title
    assert "title kept over the page's 'Cranes arrive" in done.provenance["title"]["rule"]
    assert "two cranes" in done.text
    valid(done)
    # the page's title is the feed's without anything around it: the page's stays
    [same] = complete_summaries([summary], lambda url: page(summary.title))
    assert same.title == summary.title and same.provenance["title"]["converter"] == "html"


CREDIT_ITEM = "<title>Storm floods the harbour</title><link>https://c.example/{n}</link>" \
    "<description>The harbour flooded overnight, the port authority said.</description>"


@pytest.mark.parametrize("creators, authors, credits", [
    (["Sunrita Sen, dpa"], ["Sunrita Sen"], [("wire", "dpa")]),
    (["By Ana Lima. Photos by Ben Ruiz"], ["Ana Lima"], [("photo", "Ben Ruiz")]),
    (["Reuters"], [], [("wire", "Reuters")]),
    (["Ana Lima", "Ben Ruiz, photographer", "AP"], ["Ana Lima"], [("wire", "AP"), ("photo", "Ben Ruiz")]),
])
def test_rss_byline_agencies_and_photographers_are_credits(
        creators: list[str], authors: list[str], credits: list[tuple[str, str]]) -> None:
    """The one byline parser gives a feed item the credits it gives an HTML page."""
    dc = "".join(f"<dc:creator>{c}</dc:creator>" for c in creators)
    data = (f'<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>C</title>'
            f"<item>{CREDIT_ITEM.format(n=1)}{dc}</item></channel></rss>").encode()
    [article] = run(data)
    assert isinstance(article, Article)
    valid(article)
    assert article.authors == authors
    assert [(c.role, c.name) for c in article.credits] == credits
    assert article.provenance["credits"]["rule"] == "rss20:author"


def test_atom_and_json_feed_bylines_keep_credits() -> None:
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>C</title><link href="https://c.example/"/>
      <author><name>Newsroom Desk</name></author>
      <entry><title>Storm</title><link href="https://c.example/1"/><id>1</id>
      <summary>The harbour flooded overnight, the port authority said.</summary>
      <author><name>Mia Chen/AFP</name></author>
      <contributor><name>Photos: Leo Park</name></contributor></entry></feed>"""
    [entry] = run(atom, "c.atom")
    assert isinstance(entry, Article)
    assert entry.authors == ["Mia Chen"]  # an agency in the byline: the feed's author is not inherited
    assert [(c.role, c.name) for c in entry.credits] == [("wire", "AFP"), ("photo", "Leo Park")]
    doc = {"version": "https://jsonfeed.org/version/1.1", "title": "C", "items": [
        {"id": "x", "url": "https://c.example/x", "title": "Storm", "content_text": "Body text here.",
         "authors": [{"name": "Ana Lima (Reuters)"}, {"name": "Ben Ruiz, photographer"}]}]}
    [item] = run(json.dumps(doc).encode(), "f.json")
    assert isinstance(item, Article)
    assert item.authors == ["Ana Lima"]
    assert [(c.role, c.name) for c in item.credits] == [("wire", "Reuters"), ("photo", "Ben Ruiz")]


def test_completion_keeps_the_feeds_credits_when_the_page_has_none() -> None:
    _, summary = _summaries()
    summary.credits = [Credit("wire", "AP")]
    page = FakeHtml().convert_document(b"Body.", "page.html", summary.url)
    assert isinstance(page, Article) and not page.credits
    assert [(c.role, c.name) for c in merge_page(summary, page).credits] == [("wire", "AP")]
