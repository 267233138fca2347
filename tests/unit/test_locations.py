"""Where in an input a rejection, a skip or a joined record is: one format (``report.location``)."""

from __future__ import annotations

from newscorpus.convert.completion import _where
from newscorpus.report import Rejection, location


def test_a_location_is_the_path_then_line_then_byte_offset() -> None:
    assert location("feed.xml") == "feed.xml"
    assert location("feed.xml", 21) == "feed.xml:21"
    assert location("crawl.warc.gz", offset=1197) == "crawl.warc.gz@1197"
    assert location("dump.jsonl", 3, 512) == "dump.jsonl:3@512"
    assert str(Rejection("crawl.warc.gz", "payload digest mismatch", offset=0)) == (
        "crawl.warc.gz@0: payload digest mismatch")


def test_a_record_is_placed_by_its_line_else_its_offset() -> None:
    assert _where({"origin": {"path": "feed.xml", "line": 21, "offset": 900}}) == "feed.xml:21"
    assert _where({"origin": {"path": "crawl.warc.gz", "offset": 0}}) == "crawl.warc.gz@0"
    assert _where({}) == "?"
