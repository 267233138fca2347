"""Issue 9: a NewsML-G2 news message is read item by item (lxml iterparse, items cleared), so
that its size is not limited by --max-bytes and memory holds one item at a time."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from newscorpus.convert.base import ConvertOptions, Input
from newscorpus.convert.newsml import NewsMLConverter
from newscorpus.records import Article
from newscorpus.report import Rejection

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from stream_bench import make_newsml, make_rss  # noqa: E402  (the benchmark's generator of messages)


def test_a_news_message_over_max_bytes_is_read_item_by_item(tmp_path: Path) -> None:
    path = tmp_path / "message.xml"
    make_newsml(path, 300)
    limit = 64 * 1024
    assert path.stat().st_size > 4 * limit
    outcomes = list(NewsMLConverter(ConvertOptions(max_bytes=limit)).convert(Input(path, path.name)))
    assert len(outcomes) == 300 and all(isinstance(o, Article) for o in outcomes)
    assert [o.origin["line"] for o in outcomes[:3]] == [3, 4, 5]  # type: ignore[union-attr]
    assert outcomes[299].title.startswith("Item 299: ")  # type: ignore[union-attr]


def test_a_cut_short_big_message_keeps_the_items_before_the_cut(tmp_path: Path) -> None:
    path = tmp_path / "message.xml"
    make_newsml(path, 300)
    data = path.read_bytes()
    cut = data.index(b"<newsItem guid='urn:newsml:bench.example:2024:200'") + 40
    path.write_bytes(data[:cut])
    outcomes = list(NewsMLConverter(ConvertOptions(max_bytes=64 * 1024)).convert(Input(path, path.name)))
    assert sum(isinstance(o, Article) for o in outcomes) == 200
    [rejection] = [o for o in outcomes if isinstance(o, Rejection)]
    assert rejection.reason.startswith("not well-formed XML")


def _feed_outcomes(path: Path, stream: bool, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    from newscorpus.convert import feedstream
    from newscorpus.convert.feeds import FeedConverter

    monkeypatch.setattr(feedstream, "PIECE", 64 * 1024)  # several pieces, several batches
    monkeypatch.setattr(FeedConverter, "stream_bytes", 0 if stream else 2**40)
    return list(FeedConverter(ConvertOptions(max_bytes=2**30)).convert(Input(path, path.name)))


def _as_dicts(outcomes: list[object]) -> list[object]:
    return [o.to_dict() if isinstance(o, Article) else o for o in outcomes]


def test_a_big_feed_read_in_batches_gives_the_whole_document_outcomes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "feed.xml"
    make_rss(path, 450)
    assert path.stat().st_size > 3 * 64 * 1024
    streamed = _feed_outcomes(path, True, monkeypatch)
    whole = _feed_outcomes(path, False, monkeypatch)
    assert len(streamed) == 450 and all(isinstance(o, Article) for o in streamed)
    assert _as_dicts(streamed) == _as_dicts(whole)
    assert streamed[449].provenance["origin"]["rule"] == "rss20:item 450 of 450"  # type: ignore[attr-defined]


def test_a_cut_short_big_feed_keeps_its_complete_items(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "feed.xml"
    make_rss(path, 450)
    data = path.read_bytes()
    cut = data.index(b"<item><title>Item 300:") + 80
    path.write_bytes(data[:cut])
    streamed = _feed_outcomes(path, True, monkeypatch)
    assert sum(isinstance(o, Article) for o in streamed) == 300
    reasons = [o.reason for o in streamed if isinstance(o, Rejection)]
    assert len(streamed) == 302 and len(reasons) == 2, reasons  # the cut item and the feed
    assert reasons[0].startswith("item 301") and "cut short" in reasons[0]
    assert reasons[1].startswith(f"feed truncated at byte {cut}")
