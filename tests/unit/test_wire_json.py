"""Wire JSON (.json) through the field mapping: arrays, wrapped lists, single objects."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from newscorpus.convert import registry
from newscorpus.convert.base import Input
from newscorpus.convert.tabular import JsonConverter
from newscorpus.records import Article
from newscorpus.report import Rejection, Skip

STORY = {"headline": "Port strike ends", "body": "Dockers returned on Monday.\n\nTalks go on.",
         "url": "https://wire.example/port?utm_source=x", "date": "2026-03-04T10:00:00+01:00",
         "byline": "Ana Lima, Jonas Berg"}


def run(document: object) -> list[object]:
    data = orjson.dumps(document)
    return list(JsonConverter().convert(Input(Path("w.json"), "w.json", data)))


@pytest.mark.parametrize("wrap", [
    lambda items: items,
    lambda items: {"items": items},
    lambda items: {"data": {"articles": items}},
])
def test_lists_of_records(wrap) -> None:  # type: ignore[no-untyped-def]
    outcomes = run(wrap([STORY, {"headline": "No body"}, "not an object"]))
    article, missing, wrong = outcomes
    assert isinstance(article, Article)
    assert article.title == "Port strike ends"
    assert article.url == "https://wire.example/port"
    assert article.published_at == "2026-03-04T10:00:00+01:00"
    assert article.authors == ["Ana Lima", "Jonas Berg"]
    assert article.provenance["origin"]["rule"] == "item 1 of 3"
    assert isinstance(missing, Rejection) and missing.reason.startswith("item 2 of 3: no text")
    assert isinstance(wrong, Rejection) and "item 3 of 3: a JSON str" in wrong.reason


def test_single_object_and_bad_documents() -> None:
    [article] = run(STORY)
    assert isinstance(article, Article)
    [empty] = run([])
    assert isinstance(empty, Skip)
    [scalar] = run(42)
    assert isinstance(scalar, Rejection) and "not an object or an array" in scalar.reason
    [broken] = list(JsonConverter().convert(Input(Path("b.json"), "b.json", b"[{")))
    assert isinstance(broken, Rejection) and "not valid JSON" in broken.reason


def test_json_feeds_go_to_the_feed_converter() -> None:
    feed = b'{"version": "https://jsonfeed.org/version/1.1", "title": "x", "items": []}'
    assert registry.detect(Path("f.json"), feed) == "feed"
    assert registry.detect(Path("w.json"), orjson.dumps([STORY])) == "json"
