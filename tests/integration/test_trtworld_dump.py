"""The corpus' first real article: the TRT World page dump in ../shared/data."""

from __future__ import annotations

from pathlib import Path

import pytest

from newscorpus.convert.base import Input
from newscorpus.convert.pagedump import PageDumpConverter
from newscorpus.records import Article
from newscorpus.schema import DEFAULT_STORE

pytestmark = pytest.mark.shared_data

TITLE = "Moscow warms to Erdogan's call to resume Istanbul talks to end Ukraine–Russia war"
DEK = ("Turkish President Erdogan said earlier in the day that Ankara believes the Istanbul "
       "process could be reinstated.")
CAPTION = "Kremlin spokesman Dmitry Peskov says Moscow continues to favour dialogue."


@pytest.fixture(scope="module")
def dump(shared_data: Path) -> Path:
    return shared_data / "raw-page-dumps" / "trtworld-2025-11-19-istanbul-talks.txt"


@pytest.fixture(scope="module")
def article(dump: Path) -> Article:
    outcomes = list(PageDumpConverter().convert(Input(dump, dump.name, dump.read_bytes())))
    assert len(outcomes) == 1
    assert isinstance(outcomes[0], Article), outcomes[0]
    return outcomes[0]


def _blocks(article: Article, kind: str) -> list[str]:
    return [article.text[b.start:b.end] for b in article.blocks if b.kind == kind]


def test_metadata(article: Article) -> None:
    assert article.section == "TÜRKİYE"
    assert article.title == TITLE
    assert article.subtitle == DEK
    assert article.published_at == "2025-11-19"
    assert article.reading_time_minutes == 1
    assert article.source == "TRT World"
    assert article.language == "en"
    assert article.provenance["section"]["rule"] == "profile:trtworld:header"


def test_title_once_and_block_order(article: Article) -> None:
    assert article.text.count(TITLE) == 1
    assert [b.kind for b in article.blocks[:3]] == ["title", "dek", "caption"]
    assert _blocks(article, "title") == [TITLE]
    assert _blocks(article, "dek") == [DEK]


def test_caption_and_credits(article: Article) -> None:
    assert _blocks(article, "caption") == [CAPTION]
    credits = {(c.role, c.name) for c in article.credits}
    assert credits == {("photo", "Reuters"), ("wire", "AA")}
    photo = next(c for c in article.credits if c.role == "photo")
    caption_block = article.blocks[photo.block]  # type: ignore[index]
    assert caption_block.kind == "caption"


def test_related_link_kept_outside_body(article: Article) -> None:
    assert len(article.related) == 1
    related = article.related[0]
    assert related.source == "TRT World"
    assert related.title.startswith("Erdogan calls to revive Istanbul talks")
    assert "Erdogan calls to revive" not in article.text


def test_chrome_out_of_body(article: Article, dump: Path) -> None:
    raw = dump.read_text(encoding="utf-8")
    explore = raw.split("\nExplore\n", 1)[1].splitlines()
    assert len(explore) > 5
    for headline in explore:
        assert headline not in article.text
    for marker in ("RECOMMENDED", "Explore", "SOURCE:", "min read", "[FILE]", "November 19, 2025"):
        assert marker not in article.text


def test_seven_paragraphs_exactly_as_published(article: Article, dump: Path) -> None:
    raw_lines = set(dump.read_text(encoding="utf-8").splitlines())
    paragraphs = _blocks(article, "paragraph")
    assert len(paragraphs) == 7
    for paragraph in paragraphs:
        assert paragraph in raw_lines  # verbatim, nothing cut or rewritten
    last = paragraphs[-1]
    assert last.startswith("Earlier, Erdogan hosted")
    assert last.count('"') == 1  # the unbalanced quotation mark is kept as published
    assert last.endswith("lasting peace.")


def test_record_validates_and_id_is_stable(article: Article, dump: Path) -> None:
    record = article.to_dict()
    assert DEFAULT_STORE.problems(record) == []
    again = next(iter(PageDumpConverter().convert(Input(dump, dump.name, dump.read_bytes()))))
    assert isinstance(again, Article)
    assert again.to_dict() == record
