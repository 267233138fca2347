"""Extraction quality: word 4-gram shingle precision, recall and F1 against ground truth.

The score of the article-extraction benchmarks: text is tokenized into words (``\\w+``),
each text becomes a multiset of word 4-grams (shingles), and per page

* TP = shingles in both, FP = shingles only in the prediction, FN = only in the truth,
* the three counts are divided by their sum, so that a long page weighs no more than a
  short one.

Precision (TP / (TP + FP)) and recall (TP / (TP + FN)) are averaged over pages, and F1 is
the harmonic mean of the two averages. A page with an empty prediction has precision 0
(it is not left out of the average); a page whose truth and prediction are both empty
scores 1.

Use :func:`score_texts` for a whole set and :meth:`Evaluation.report` to print it::

    ev = score_texts({"page-1": (truth, predicted), ...})
    print(ev.report())
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .shingles import NGRAM, shingle_counts


def shingles(text: str, n: int = NGRAM) -> Counter[str]:
    """Multiset of the word ``n``-grams of ``text``, as the extraction score counts them."""
    return shingle_counts(text, n)


def f1_score(precision: float, recall: float) -> float:
    """The harmonic mean of ``precision`` and ``recall`` (0 when both are 0): the one F1."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def prf(hits: int, predicted: int, gold: int) -> tuple[float, float, float]:
    """``(precision, recall, F1)`` of ``hits`` matches among ``predicted`` and ``gold`` items
    (0 for an empty side)."""
    p = hits / predicted if predicted else 0.0
    r = hits / gold if gold else 0.0
    return p, r, f1_score(p, r)


@dataclass(frozen=True, slots=True)
class PageScore:
    """One page's normalized TP/FP/FN (they sum to 1, or are all 0 for two empty texts)."""

    key: str
    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        if self.tp + self.fp == 0:
            return 1.0 if self.fn == 0 else 0.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        if self.tp + self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        return f1_score(self.precision, self.recall)


def score_page(key: str, truth: str, predicted: str, n: int = NGRAM) -> PageScore:
    """Normalized TP/FP/FN of ``predicted`` against ``truth``."""
    t, p = shingles(truth, n), shingles(predicted, n)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    if total == 0:
        return PageScore(key, 0.0, 0.0, 0.0)
    return PageScore(key, tp / total, fp / total, fn / total)


@dataclass(slots=True)
class Evaluation:
    """Scores of a set of pages: averaged precision and recall, and their F1."""

    pages: list[PageScore] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return sum(p.precision for p in self.pages) / len(self.pages) if self.pages else 0.0

    @property
    def recall(self) -> float:
        return sum(p.recall for p in self.pages) / len(self.pages) if self.pages else 0.0

    @property
    def f1(self) -> float:
        return f1_score(self.precision, self.recall)

    def worst(self, k: int = 5) -> list[PageScore]:
        """The ``k`` pages with the lowest F1."""
        return sorted(self.pages, key=lambda s: (s.f1, s.key))[:k]

    def summary(self) -> dict[str, float]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "pages": len(self.pages)}

    def report(self, name: str = "", worst: int = 5) -> str:
        """One line of totals, then the worst pages (precision, recall, F1, key)."""
        lines = [f"{name + ': ' if name else ''}precision {self.precision:.4f}  "
                 f"recall {self.recall:.4f}  F1 {self.f1:.4f}  ({len(self.pages)} pages)"]
        for s in self.worst(worst):
            lines.append(f"    P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}  {s.key}")
        return "\n".join(lines)


def score_texts(pairs: Mapping[str, tuple[str, str]] | Iterable[tuple[str, str, str]],
                n: int = NGRAM) -> Evaluation:
    """Score ``{key: (truth, predicted)}`` (or ``(key, truth, predicted)`` triples)."""
    items = ((k, t, p) for k, (t, p) in pairs.items()) if isinstance(pairs, Mapping) else pairs
    return Evaluation([score_page(k, t, p, n) for k, t, p in items])
