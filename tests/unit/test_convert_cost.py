"""Issue 15, cost: each input hashed once, per-item line counting in one pass."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from newscorpus.convert import base
from newscorpus.convert.base import Input, line_numbers
from newscorpus.convert.feeds import FeedConverter
from newscorpus.convert.tabular import JsonlConverter


def test_input_is_hashed_once_for_all_its_records(tmp_path: Path, monkeypatch) -> None:
    rows = b"".join(json.dumps({"url": f"https://example.org/{i}", "title": f"Story {i}",
                                "text": f"Body of story {i} with words."}).encode() + b"\n"
                    for i in range(50))
    calls: list[int] = []
    real = hashlib.sha256

    def counting(data: bytes = b"") -> object:
        calls.append(len(data))
        return real(data)

    monkeypatch.setattr(base.hashlib, "sha256", counting)
    outcomes = list(JsonlConverter().convert(Input(tmp_path / "x.jsonl", "x.jsonl", rows)))
    assert len(outcomes) == 50
    assert {o.origin["sha256"] for o in outcomes} == {real(rows).hexdigest()}  # type: ignore[union-attr]
    assert calls.count(len(rows)) == 1  # the input (other calls hash record texts)


def test_line_numbers_in_one_pass() -> None:
    data = b"a\nb\n\nc<item>\nd<item>"
    offsets = [data.index(b"a"), data.index(b"c"), data.rindex(b"<item>")]
    assert line_numbers(data, offsets) == [data.count(b"\n", 0, o) + 1 for o in offsets] == [1, 4, 5]


def test_feed_items_carry_their_lines() -> None:
    items = "".join(f"<item><title>T{i}</title><link>https://e.org/{i}</link>"
                    f"<description>Text {i} of the story.</description></item>\n" for i in range(30))
    data = f'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>F</title>\n{items}</channel></rss>'
    out = list(FeedConverter().convert(Input(Path("f.rss"), "f.rss", data.encode())))
    assert [o.origin["line"] for o in out] == list(range(3, 33))  # type: ignore[union-attr]
