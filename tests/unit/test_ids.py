from __future__ import annotations

from newscorpus.ids import article_id_from_fields, article_id_from_url, canonical_url


def test_canonical_url_removes_tracking_and_fragment() -> None:
    url = "HTTPS://News.Example.COM:443/world/a?utm_source=x&id=7&fbclid=abc&gclid=1#comments"
    assert canonical_url(url) == "https://news.example.com/world/a?id=7"


def test_canonical_url_keeps_non_default_port_and_path() -> None:
    assert canonical_url("http://Example.com:8080") == "http://example.com:8080/"


def test_ids_stable_and_equal_for_equivalent_urls() -> None:
    a = article_id_from_url("https://example.com/a?utm_medium=rss")
    b = article_id_from_url("https://EXAMPLE.com/a#top")
    assert a == b
    assert a.startswith("nc-") and len(a) == 35


def test_id_from_fields_uses_the_day_only() -> None:
    a = article_id_from_fields("TRT World", "Title", "2025-11-19T10:00:00+03:00")
    b = article_id_from_fields("trt  world", "title", "2025-11-19")
    c = article_id_from_fields("TRT World", "Title", "2025-11-20")
    assert a == b != c


def test_one_precedence_for_every_converter() -> None:
    from newscorpus.ids import article_id, article_id_from_fields, article_id_from_guid, article_id_from_url

    url = "https://Example.org/a?utm_source=x"
    assert article_id(url, "urn:x", source="s", title="t", date=None) == (article_id_from_url(url), "url")
    assert article_id(" ", "urn:x ", source="s", title="t", date=None) == (
        article_id_from_guid("urn:x"), "guid urn:x")
    assert article_id(None, None, source="s", title="T", date="2026-12-01T10:00:00Z") == (
        article_id_from_fields("s", "t", "2026-12-01"), "source+title+date")
