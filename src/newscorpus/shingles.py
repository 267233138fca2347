"""Word shingles (word n-grams): the one tokenization that extraction scoring, the HTML
converter's consistency checks and near-duplicate detection share.

Words are ``\\w+`` runs (Unicode); a text shorter than ``n`` words is one shingle of all its
words; an empty text has none.
"""

from __future__ import annotations

import re
from collections import Counter

WORD = re.compile(r"\w+")
NGRAM = 4  # word 4-grams: the extraction score and the HTML consistency checks


def word_ngrams(text: str, n: int) -> list[str]:
    """The word ``n``-grams of ``text`` in order (one for texts shorter than ``n`` words)."""
    words = WORD.findall(text or "")
    if len(words) < n:
        return [" ".join(words)] if words else []
    return [" ".join(words[i:i + n]) for i in range(len(words) - n + 1)]


def shingle_counts(text: str, n: int = NGRAM) -> Counter[str]:
    """Multiset of the word ``n``-grams of ``text`` (scoring counts repeated shingles)."""
    return Counter(word_ngrams(text, n))


def shingle_set(text: str, n: int, casefold: bool = False) -> set[str]:
    """Set of the word ``n``-grams of ``text``; ``casefold`` for keys (duplicate detection),
    never for text that offsets point into."""
    return set(word_ngrams(text.casefold() if casefold else text, n))
