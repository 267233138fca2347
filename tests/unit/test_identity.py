"""Article identity across formats (issue 15): a WARC response without a canonical link is
identified by its WARC-Target-URI before any title fallback, so two stories with the same
headline on the same day stay two articles. Archives are written with warcio
(tests/warc_fixtures.py)."""

from __future__ import annotations

from pathlib import Path

import newscorpus
from newscorpus.ids import article_id_from_fields, article_id_from_url
from newscorpus.records import read_jsonl
from tests.warc_fixtures import html_responses

PARA = ("The council met on Monday evening and agreed the budget for the coming year after a "
        "long debate about the harbour, the schools and the bus routes of the old town.")


def _page(title: str, extra: str) -> bytes:
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
            "<meta property='article:published_time' content='2026-11-03T09:15:00+01:00'></head>"
            f"<body><article><h1>{title}</h1><p>{PARA}</p><p>{extra} {PARA}</p></article></body></html>"
            ).encode()


def test_warc_target_uri_identifies_pages_without_a_canonical_link(tmp_path: Path) -> None:
    uris = ["https://town.example/2026/budget-north", "https://town.example/2026/budget-south"]
    (tmp_path / "crawl.warc.gz").write_bytes(html_responses([(uris[0], _page("Budget agreed", "North.")),
                                                             (uris[1], _page("Budget agreed", "South."))]))
    result = newscorpus.convert([tmp_path / "crawl.warc.gz"], tmp_path / "out.jsonl")
    records = [r for _, r in read_jsonl(tmp_path / "out.jsonl")]
    assert result.report.converted == 2
    assert sorted(r["id"] for r in records) == sorted(article_id_from_url(u) for u in uris)
    fallback = article_id_from_fields("town.example", "Budget agreed", "2026-11-03")
    assert fallback not in {r["id"] for r in records}
    assert sorted(r["url"] for r in records) == uris


def test_feed_item_joins_its_page_in_a_warc(tmp_path: Path) -> None:
    uri = "https://town.example/2026/budget-north"
    (tmp_path / "crawl.warc.gz").write_bytes(html_responses([(uri, _page("Budget agreed", "North."))]))
    (tmp_path / "feed.xml").write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Town News</title>"
        "<link>https://town.example/</link><item><title>Budget agreed</title>"
        f"<link>{uri}?utm_source=rss</link><description>The budget is agreed.</description>"
        "<pubDate>Tue, 03 Nov 2026 08:15:00 +0000</pubDate></item></channel></rss>", encoding="utf-8")
    result = newscorpus.convert([tmp_path], tmp_path / "out" / "articles.jsonl")
    records = [r for _, r in read_jsonl(tmp_path / "out" / "articles.jsonl")]
    assert len(records) == 1 and result.report.converted == 1
    assert "North." in records[0]["text"] and "content_kind" not in records[0]
    assert [s.path for s in result.report.skips if "completes feed item feed.xml" in s.reason] == \
        ["crawl.warc.gz@0"]


def test_wire_json_urn_identifies_the_story_like_its_newsml_guid(tmp_path: Path) -> None:
    """A wire JSON row without URL is identified by its URN (the id NewsML-G2 gives the same
    story from its guid); a local row id such as "17" is never taken for a global one."""
    import json

    from newscorpus.ids import article_id_from_guid

    rows = [{"urn": "urn:newsml:wire.example:20261103:261103-99-000417", "title": "Budget agreed",
             "text": PARA, "date": "2026-11-03T09:15:00+01:00", "source": "Wire Example"},
            {"id": "17", "title": "Budget agreed", "text": PARA + " Second edition.",
             "date": "2026-11-03T09:15:00+01:00", "source": "Town Export"}]
    (tmp_path / "wire.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    newscorpus.convert([tmp_path / "wire.jsonl"], tmp_path / "out.jsonl")
    records = {r["source"]: r for _, r in read_jsonl(tmp_path / "out.jsonl")}
    assert records["Wire Example"]["id"] == article_id_from_guid(rows[0]["urn"])
    assert records["Wire Example"]["provenance"]["id"]["rule"].startswith("guid (ref urn:newsml:")
    local = article_id_from_fields("Town Export", "Budget agreed", "2026-11-03")
    assert records["Town Export"]["id"] == local
