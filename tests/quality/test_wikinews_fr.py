"""The html converter on 100 French Wikinews pages against their derived JSONL.

The JSONL was derived from the pages: ``title`` is the ``<h1>``, ``dek`` the first
``<h2>``, ``paragraphs`` the ``<p>`` elements, and ``date_text`` the dateline that opens
the first paragraph ("22 mai 2012. - ..."; null when a place follows the date). So:

* the title is the JSONL title;
* the JSONL dek is our dek when the ``<h2>`` stands right under the headline, and a
  heading block of the body when it stands further down (a section heading, not a dek);
* ``published_at`` is the JSONL date read as ISO 8601 when the JSONL has one;
* our paragraph blocks are the JSONL paragraphs (after the project's normalization);
  list items are blocks of their own kind.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newscorpus.convert.base import Input
from newscorpus.convert.html import HtmlConverter
from newscorpus.dates import to_iso8601
from newscorpus.records import Article
from newscorpus.schema import DEFAULT_STORE
from newscorpus.text import normalize

pytestmark = pytest.mark.shared_data


def _entries(root: Path) -> list[dict]:
    lines = (root / "wikinews_fr_2012.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def converted(shared_data: Path) -> list[tuple[dict, Article]]:
    root = shared_data / "open-news" / "wikinews-fr-keyphrase"
    converter = HtmlConverter()
    out = []
    for entry in _entries(root):
        path = root / "html" / f"{entry['id']}.html"
        [outcome] = list(converter.convert(Input(path, path.name, path.read_bytes())))
        assert isinstance(outcome, Article), outcome
        out.append((entry, outcome))
    assert len(out) == 100
    return out


def _blocks(article: Article, kind: str) -> list[str]:
    return [article.text[b.start:b.end] for b in article.blocks if b.kind == kind]


def test_titles(converted: list[tuple[dict, Article]]) -> None:
    bad = [(e["id"], a.title) for e, a in converted if a.title != normalize(e["title"])]
    assert not bad


def test_deks(converted: list[tuple[dict, Article]]) -> None:
    bad = []
    for entry, article in converted:
        dek = normalize(entry["dek"]) if entry["dek"] else None
        if dek is None:
            ok = article.subtitle is None
        else:
            ok = article.subtitle == dek or dek in _blocks(article, "heading")
        if article.subtitle:
            ok = ok and _blocks(article, "dek") == [article.subtitle]
        if not ok:
            bad.append((entry["id"], dek, article.subtitle))
    assert not bad
    assert any(a.subtitle is not None for _, a in converted)  # the standfirst rule is exercised


def test_dates(converted: list[tuple[dict, Article]]) -> None:
    bad = []
    checked = 0
    for entry, article in converted:
        if entry["date_text"]:
            checked += 1
            expected = to_iso8601(entry["date_text"], (), ["fr"])
            if article.published_at != expected:
                bad.append((entry["id"], entry["date_text"], article.published_at))
            elif article.provenance["published_at"]["rule"] != "dateline":
                bad.append((entry["id"], "rule", article.provenance["published_at"]))
    assert not bad
    assert checked >= 90


def test_paragraphs(converted: list[tuple[dict, Article]]) -> None:
    bad = [(e["id"], len(_blocks(a, "paragraph")), len(e["paragraphs"]))
           for e, a in converted
           if _blocks(a, "paragraph") != [normalize(p) for p in e["paragraphs"]]]
    assert not bad


def test_records_valid_and_language(converted: list[tuple[dict, Article]]) -> None:
    for entry, article in converted:
        assert DEFAULT_STORE.problems(article.to_dict(), "article", entry["id"]) == []
        assert article.url is None and article.id.startswith("nc-")
