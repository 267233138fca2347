"""Checks the converter tests make on an article: the texts of its blocks, and that its record
is valid against the article schema."""

from __future__ import annotations

from newscorpus.records import Article
from newscorpus.schema import DEFAULT_STORE


def blocks(article: Article, kind: str | None = None) -> list[str]:
    """The texts of the article's blocks, or of those of one kind."""
    return [article.text[b.start:b.end] for b in article.blocks if kind in (None, b.kind)]


def valid(article: Article) -> None:
    assert DEFAULT_STORE.problems(article.to_dict()) == []
