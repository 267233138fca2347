"""A feed item and the page of its story, converted in one run, are one article (issue 15).

Fixtures are written here: a small RSS feed of a made-up site and the story pages a
crawler saved beside it.
"""

from __future__ import annotations

from pathlib import Path

import newscorpus
from newscorpus.ids import url_match_key
from newscorpus.records import read_jsonl

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
  <title>Harbour Gazette</title><link>http://harbour.example/</link>
  <item>
    <title>Pier reopens after storm repairs</title>
    <link>http://harbour.example/2026/11/pier-reopens?utm_source=rss&amp;utm_medium=feed</link>
    <description>The north pier is open again.</description>
    <pubDate>Mon, 02 Nov 2026 09:00:00 +0000</pubDate>
  </item>
  <item>
    <title>Night market moves to the old quay</title>
    <link>http://harbour.example/2026/11/night-market</link>
    <description>Stalls will open on the old quay from Friday.</description>
    <pubDate>Tue, 03 Nov 2026 18:30:00 +0000</pubDate>
  </item>
  <item>
    <title>Ferry timetable for the winter</title>
    <link>http://harbour.example/2026/11/ferry-winter</link>
    <description>Fewer crossings from December.</description>
    <pubDate>Wed, 04 Nov 2026 07:00:00 +0000</pubDate>
  </item>
</channel></rss>
"""

PARAS = {
    "pier": ["The north pier of the harbour reopened on Monday after three weeks of repairs "
             "that followed the October storm, the harbour office said in a statement.",
             "Workers replaced forty metres of decking and two of the old iron railings, and "
             "divers checked the piles below the waterline before the barriers came down.",
             "Anglers were back at the far end of the pier within an hour of the opening."],
    "market": ["The weekly night market will move from the station square to the old quay "
               "from Friday, the town council decided after a vote on Tuesday evening.",
               "Traders had asked for more room and for shelter from the wind, which the "
               "covered quay gives them, a spokeswoman for the market association said.",
               "The first market on the quay opens at six and runs until midnight."],
}


def _page(title: str, canonical: str, paras: list[str], author: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in paras)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title} | Harbour Gazette</title>
<link rel="canonical" href="{canonical}">
<meta property="og:site_name" content="Harbour Gazette">
<meta name="author" content="{author}">
<meta property="article:published_time" content="2026-11-02T09:00:00+00:00">
</head><body><header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<article><h1>{title}</h1>{body}</article>
<footer>Harbour Gazette, all rights reserved.</footer></body></html>"""


def _folder(tmp_path: Path) -> Path:
    src = tmp_path / "crawl"
    src.mkdir()
    (src / "feed.xml").write_text(FEED, encoding="utf-8")
    # the page's canonical link differs from the feed's link in scheme, host spelling,
    # tracking parameters and the trailing slash: still the same story
    (src / "pier.html").write_text(_page("Pier reopens after storm repairs",
                                         "https://www.harbour.example/2026/11/pier-reopens/",
                                         PARAS["pier"], "Mara Quint"), encoding="utf-8")
    # same canonical URL as the feed link: the same id
    (src / "market.html").write_text(_page("Night market moves to the old quay",
                                           "http://harbour.example/2026/11/night-market",
                                           PARAS["market"], "Tomas Reed"), encoding="utf-8")
    return src


def test_url_match_key_ignores_scheme_www_tracking_and_trailing_slash() -> None:
    assert url_match_key("http://harbour.example/a/b?utm_source=rss") == \
        url_match_key("HTTPS://www.Harbour.example/a/b/")
    assert url_match_key("https://harbour.example/a/b?id=2") != url_match_key("https://harbour.example/a/b?id=3")
    assert url_match_key("https://harbour.example/a/b") != url_match_key("https://harbour.example/a/c")


def test_feed_item_and_its_page_are_one_article(tmp_path: Path) -> None:
    src = _folder(tmp_path)
    result = newscorpus.convert([src], tmp_path / "out.jsonl")
    report = result.report
    records = [r for _, r in read_jsonl(tmp_path / "out.jsonl")]
    assert len(records) == 3, [r["title"] for r in records]
    by_title = {r["title"]: r for r in records}
    assert set(by_title) == {"Pier reopens after storm repairs", "Night market moves to the old quay",
                             "Ferry timetable for the winter"}
    for key, title in (("pier", "Pier reopens after storm repairs"),
                       ("market", "Night market moves to the old quay")):
        rec = by_title[title]
        assert "content_kind" not in rec  # completed: no longer a summary
        assert all(p in rec["text"] for p in PARAS[key])  # every paragraph of the page
        assert rec["url"].startswith("http://harbour.example/2026/11/")  # the feed's URL, as given
        assert "page" in rec["provenance"]["content_kind"]["rule"]
    assert by_title["Pier reopens after storm repairs"]["authors"] == ["Mara Quint"]
    assert by_title["Ferry timetable for the winter"]["content_kind"] == "summary"  # no page
    # every input accounted for: 3 feed items + 2 pages = 3 converted + 2 pages merged
    assert report.converted == 3 and not report.rejections
    merged = [s for s in report.skips if "completes feed item" in s.reason]
    assert sorted(s.path for s in merged) == ["market.html", "pier.html"]
    assert not [s for s in report.skips if "duplicate of" in s.reason]


def test_join_is_the_same_whatever_the_input_order(tmp_path: Path) -> None:
    src = _folder(tmp_path)
    a = newscorpus.convert([src / "pier.html", src / "market.html", src / "feed.xml"], tmp_path / "a.jsonl")
    b = newscorpus.convert([src / "feed.xml", src / "market.html", src / "pier.html"], tmp_path / "b.jsonl")
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    assert a.report.converted == b.report.converted == 3


def test_resume_keeps_the_joined_article_and_counts_add_up(tmp_path: Path) -> None:
    src = _folder(tmp_path)
    out = tmp_path / "out.jsonl"
    first = newscorpus.convert([src], out)
    before = out.read_bytes()
    (src / "feed.xml").write_text(FEED.replace("Fewer crossings", "Fewer winter crossings"),
                                  encoding="utf-8")  # the feed changes, the pages do not
    again = newscorpus.convert([src], out, resume=True)
    records = [r for _, r in read_jsonl(out)]
    assert len(records) == 3
    r = again.report
    assert r.converted + len(r.rejections) + len(r.skips) == \
        first.report.converted + len(first.report.rejections) + len(first.report.skips) == 5

    def pier(recs: list[dict[str, object]]) -> list[tuple[object, ...]]:
        return [(x["id"], x["text"], x["url"]) for x in recs
                if x["title"] == "Pier reopens after storm repairs"]

    assert pier(records) == pier([x for _, x in read_jsonl_bytes(before)])


def read_jsonl_bytes(data: bytes) -> list[tuple[int, dict[str, object]]]:
    import json

    return [(n, json.loads(line)) for n, line in enumerate(data.splitlines(), 1)]


def test_feedburner_item_joins_the_page_of_its_original_link(tmp_path: Path) -> None:
    src = _folder(tmp_path)
    feed = FEED.replace('<rss version="2.0">',
                        '<rss version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0">')
    feed = feed.replace(
        "<link>http://harbour.example/2026/11/pier-reopens?utm_source=rss&amp;utm_medium=feed</link>",
        "<link>http://feedproxy.example/~r/harbour/~3/Xk2pQ/</link>"
        "<feedburner:origLink>https://harbour.example/2026/11/pier-reopens</feedburner:origLink>")
    (src / "feed.xml").write_text(feed, encoding="utf-8")
    newscorpus.convert([src], tmp_path / "out.jsonl")
    records = [r for _, r in read_jsonl(tmp_path / "out.jsonl")]
    pier = [r for r in records if r["title"] == "Pier reopens after storm repairs"]
    assert len(pier) == 1 and pier[0]["url"] == "https://harbour.example/2026/11/pier-reopens"
    assert all(p in pier[0]["text"] for p in PARAS["pier"])


def test_feed_guid_identifies_items_without_a_link(tmp_path: Path) -> None:
    """Two items with the same title on the same day and no link stay two articles when
    their guids differ; a guid marked isPermaLink="false" is not stored as the URL."""
    feed = """<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Gazette</title>
<item><title>Tide tables</title><guid isPermaLink="false">https://harbour.example/?p=101</guid>
<description>High water at 06:12 and 18:40 on the north quay.</description>
<pubDate>Mon, 02 Nov 2026 09:00:00 +0000</pubDate></item>
<item><title>Tide tables</title><guid isPermaLink="false">urn:harbour:tides:102</guid>
<description>High water at 07:01 and 19:25 on the south quay.</description>
<pubDate>Mon, 02 Nov 2026 10:00:00 +0000</pubDate></item>
</channel></rss>"""
    (tmp_path / "tides.xml").write_text(feed, encoding="utf-8")
    result = newscorpus.convert([tmp_path / "tides.xml"], tmp_path / "out.jsonl")
    records = [r for _, r in read_jsonl(tmp_path / "out.jsonl")]
    assert result.report.converted == 2 and len({r["id"] for r in records}) == 2
    assert all(r.get("url") is None for r in records)


def test_resume_after_a_full_content_item_joined_its_page_adds_no_article(tmp_path: Path) -> None:
    src = _folder(tmp_path)
    full = FEED.replace("<description>The north pier is open again.</description>",
                        "<description>The north pier is open again.</description><content:encoded>"
                        f"<![CDATA[{''.join(f'<p>{p}</p>' for p in PARAS['pier'])}]]></content:encoded>")
    full = full.replace('<rss version="2.0">',
                        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">')
    (src / "feed.xml").write_text(full, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    first = newscorpus.convert([src], out)
    before = out.read_bytes()
    again = newscorpus.convert([src], out, resume=True)
    assert out.read_bytes() == before and len(before.splitlines()) == 3
    assert first.report.converted + len(first.report.skips) == 5  # 3 items + 2 pages
    r = again.report  # the kept feed is one skip; each page joins its kept item again
    assert (r.converted, len(r.rejections)) == (0, 0)
    assert sorted(s.path for s in r.skips) == ["feed.xml", "market.html", "pier.html"]
