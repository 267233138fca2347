"""Issue 9: a NewsML-G2 news message is read item by item (lxml iterparse, items cleared), so
that its size is not limited by --max-bytes and memory holds one item at a time."""

from __future__ import annotations

import sys
from pathlib import Path

from newscorpus.convert.base import ConvertOptions, Input
from newscorpus.convert.newsml import NewsMLConverter
from newscorpus.records import Article
from newscorpus.report import Rejection

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from stream_bench import make_newsml  # noqa: E402  (the benchmark's generator of messages)


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
