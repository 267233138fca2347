"""Attribution evaluation that cannot flatter: one-to-one matching, per kind.

An *attribution* is one annotation quote, or several quotes of one record that share the same
cue span, speaker and kind (the parts of a quote interrupted by its attribution, stored as
linked spans). Its content is the set of letter and digit code points of its parts, less
those of its own speaker and cue spans: quotation marks, spaces and punctuation never count,
and a single span running over an interrupting attribution ("The plan," he said, "is dead")
equals its two parts.

Per article, gold and predicted attributions are matched one to one by an exact optimal
assignment (Hungarian method): a pair can match by *overlap* when the intersection over union
of their content code points is at least 0.5, and the matching takes as many such pairs as
possible, then the largest total overlap. *Exact* matches are counted one to one apart from it
(equal trimmed contents; a duplicated prediction counts once). A gold
attribution can match one prediction at most, so a quotation split into pieces costs
precision. Scores are given for all attributions and per kind (``direct`` / ``indirect``), the
per-kind figures matching gold and predictions of that kind only.

The speaker of a matched pair is right when a predicted speaker mention (the speaker span or
the entity a pronoun stands for) overlaps a gold one by at least half of their union, lies
inside it or contains it and shares its last word (a name inside its source span with a title
or role, "spokesman" in "the ministry's spokesman"; not "the", not "Clinton" for "Clinton's
spokesman", not a pronoun),
or names the same surface string (a pronoun's surface alone never counts). Speaker accuracy is
computed over matched pairs whose gold attribution has a speaker.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..evaluate import prf
from ..records import read_jsonl
from .attribution_cues import PRONOUN_SURFACES

KINDS = ("direct", "indirect")
MARKS = "\"“”„«»‹›‘’「」『』'"
STRIP = MARKS + " \t\n\u00a0\u202f,.;:"
MIN_OVERLAP = 0.5


def trim_span(start: int, end: int, text: str) -> tuple[int, int]:
    """``(start, end)`` without quotation marks, white space and edge punctuation, computed from
    the span's own surface ``text`` (no article needed)."""
    i, j = 0, len(text)
    while i < j and text[i] in STRIP:
        i += 1
    while j > i and text[j - 1] in STRIP:
        j -= 1
    return start + i, start + j


@dataclass(slots=True)
class Attribution:
    """Content code points, kind, and the speaker mentions (span offsets and surfaces)."""

    content: frozenset[int]
    kind: str
    speakers: tuple[tuple[int, int, str], ...] = ()


def _span(s: Mapping[str, Any] | None) -> tuple[int, int, str] | None:
    if not s:
        return None
    start, end = trim_span(int(s["start"]), int(s["end"]), str(s["text"]))
    return (start, end, str(s["text"]).strip(STRIP)) if end > start else None


def attributions(record: Mapping[str, Any]) -> list[Attribution]:
    """The attributions of one annotation record (a dict as in ``schema/annotation``)."""
    entities = {e["id"]: e for e in record.get("entities", [])}
    groups: dict[Any, list[Mapping[str, Any]]] = {}
    for n, q in enumerate(record.get("quotes", [])):
        cue = q.get("cue")
        key: Any = (
            ("cue", cue["start"], cue["end"], q.get("kind", "direct"), str(q.get("speaker")))
            if cue
            else ("alone", n)
        )
        groups.setdefault(key, []).append(q)
    out = []
    for parts in groups.values():
        content: set[int] = set()
        speakers: list[tuple[int, int, str]] = []
        inside: set[int] = set()
        for q in parts:
            start, text = int(q["start"]), str(q["text"])
            content.update(start + i for i, ch in enumerate(text) if ch.isalnum())
            for part in ("speaker", "cue"):
                s = q.get(part)
                if s:
                    inside.update(range(int(s["start"]), int(s["end"])))
            spans = [_span(q.get("speaker"))]
            entity = entities.get(q.get("speaker_entity"))
            if entity is not None:
                spans.append(_span(entity))
            speakers += [s for s in spans if s is not None and s not in speakers]
        content -= inside
        if content:
            out.append(Attribution(frozenset(content), parts[0].get("kind", "direct"), tuple(speakers)))
    return out


def overlap(a: frozenset[int], b: frozenset[int]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def _words(s: str) -> list[str]:
    return [w.casefold() for w in re.findall(r"\w+", s)]


def speaker_correct(gold: Attribution, pred: Attribution) -> bool:
    for gs, ge, gt in gold.speakers:
        for ps, pe, pt in pred.speakers:
            inter = min(ge, pe) - max(gs, ps)
            if inter > 0 and inter / (max(ge, pe) - min(gs, ps)) >= MIN_OVERLAP:
                return True
            inside = (gs <= ps and pe <= ge) or (ps <= gs and ge <= pe)
            short, long = sorted((gt, pt), key=len)
            head = _words(long)[-1:]
            if inside and short.casefold() not in PRONOUN_SURFACES and head and head[0] in _words(short):
                return True  # a name inside its source span ("Fuad Basya" in "Major general Fuad Basya")
            if gt.casefold() == pt.casefold() and gt.casefold() not in PRONOUN_SURFACES:
                return True
    return False


def assignment(weights: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """An exact maximum-weight one-to-one assignment of rows to columns (the Hungarian method,
    O(n²m) with potentials): ``(row, column)`` pairs whose weight is positive."""
    if not weights or not weights[0]:
        return []
    flip = len(weights) > len(weights[0])
    w = [list(col) for col in zip(*weights, strict=True)] if flip else [list(row) for row in weights]
    n, m = len(w), len(w[0])
    inf = float("inf")
    u, v = [0.0] * (n + 1), [0.0] * (m + 1)
    owner = [0] * (m + 1)  # owner[j] = row (1-based) assigned to column j; column 0 is the free root
    for i in range(1, n + 1):
        owner[0], j0 = i, 0
        low, way, used = [inf] * (m + 1), [0] * (m + 1), [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = owner[j0], inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = -w[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < low[j]:
                        low[j], way[j] = cur, j0
                    if low[j] < delta:
                        delta, j1 = low[j], j
            for j in range(m + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    low[j] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    pairs = [(owner[j] - 1, j - 1) for j in range(1, m + 1) if owner[j]]
    pairs = [(c, r) if flip else (r, c) for r, c in pairs]
    return sorted((r, c) for r, c in pairs if weights[r][c] > 0)


def match(gold: Sequence[Attribution], pred: Sequence[Attribution]) -> list[tuple[int, int, float]]:
    """The optimal one-to-one ``(gold index, predicted index, overlap)`` pairs with overlap >=
    0.5: as many pairs as possible, then the largest total overlap (an exact assignment, not a
    greedy one, which can lose a pair by taking the best overlap first)."""
    ratios = [
        [
            (r if (g.content & p.content) and (r := overlap(g.content, p.content)) >= MIN_OVERLAP else 0.0)
            for p in pred
        ]
        for g in gold
    ]
    bonus = min(len(gold), len(pred)) + 1.0  # one more pair outweighs any total of overlaps
    weights = [[bonus + r if r else 0.0 for r in row] for row in ratios]
    return [(i, j, ratios[i][j]) for i, j in assignment(weights)]


def exact_matches(gold: Sequence[Attribution], pred: Sequence[Attribution]) -> int:
    """Gold attributions with an identical predicted content, one to one (a duplicated
    prediction counts once)."""
    left = Counter(p.content for p in pred)
    hits = 0
    for g in gold:
        if left[g.content] > 0:
            left[g.content] -= 1
            hits += 1
    return hits


@dataclass
class Counts:
    gold: int = 0
    predicted: int = 0
    exact: int = 0
    overlap: int = 0
    speaker_gold: int = 0  # matched pairs whose gold has a speaker
    speaker_correct: int = 0

    def add(self, gold: Sequence[Attribution], pred: Sequence[Attribution]) -> None:
        self.gold += len(gold)
        self.predicted += len(pred)
        self.exact += exact_matches(gold, pred)
        for i, j, _ in match(gold, pred):
            self.overlap += 1
            if gold[i].speakers:
                self.speaker_gold += 1
                self.speaker_correct += speaker_correct(gold[i], pred[j])

    @staticmethod
    def _prf(hits: int, predicted: int, gold: int) -> dict[str, float]:
        p, r, f = prf(hits, predicted, gold)
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}

    def as_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "exact": self._prf(self.exact, self.predicted, self.gold),
            "overlap": self._prf(self.overlap, self.predicted, self.gold),
            "speaker_matched": self.speaker_gold,
            "speaker_accuracy": (
                round(self.speaker_correct / self.speaker_gold, 4) if self.speaker_gold else None
            ),
        }


@dataclass
class AttributionScores:
    documents: int = 0
    all: Counts = field(default_factory=Counts)
    kinds: dict[str, Counts] = field(default_factory=lambda: {k: Counts() for k in KINDS})

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "all": self.all.as_dict(),
            **{kind: c.as_dict() for kind, c in self.kinds.items()},
        }

    def table(self) -> str:
        """A small text table (one line per kind)."""
        lines = [
            f"{'kind':<9}{'gold':>6}{'pred':>6}  {'exact P/R/F1':<20}{'overlap P/R/F1':<20}speaker",
        ]
        for name, c in (("all", self.all), *self.kinds.items()):
            d = c.as_dict()
            ex, ov = d["exact"], d["overlap"]
            acc = d["speaker_accuracy"]
            lines.append(
                f"{name:<9}{c.gold:>6}{c.predicted:>6}  "
                f"{ex['precision']:.3f}/{ex['recall']:.3f}/{ex['f1']:.3f}  "
                f"{ov['precision']:.3f}/{ov['recall']:.3f}/{ov['f1']:.3f}  "
                + (f"{acc:.3f} of {c.speaker_gold}" if acc is not None else "n/a")
            )
        return "\n".join(lines) + f"\n{self.documents} articles"


def evaluate(
    gold: Iterable[Mapping[str, Any]],
    predicted: Iterable[Mapping[str, Any]],
    articles: Iterable[str] | None = None,
) -> AttributionScores:
    """Score predicted annotation records against gold ones, matched by ``article_id``.

    Every article with a gold record counts (an article with no prediction has recall 0);
    predictions for articles without gold are ignored unless ``articles`` lists them (their
    predictions then all count as false positives)."""
    by_gold: dict[str, list[Attribution]] = defaultdict(list)
    for record in gold:
        by_gold[record["article_id"]] += attributions(record)
    by_pred: dict[str, list[Attribution]] = defaultdict(list)
    for record in predicted:
        by_pred[record["article_id"]] += attributions(record)
    ids = list(by_gold)
    ids += [a for a in articles or () if a not in by_gold]
    scores = AttributionScores()
    for aid in ids:
        scores.documents += 1
        g, p = by_gold.get(aid, []), by_pred.get(aid, [])
        scores.all.add(g, p)
        for kind, counts in scores.kinds.items():
            counts.add([a for a in g if a.kind == kind], [a for a in p if a.kind == kind])
    return scores


def read_annotations(path: Path) -> list[dict[str, Any]]:
    """Annotation records from a JSONL file (:func:`newscorpus.records.read_jsonl`); a line
    that is not an annotation raises a one-line :class:`~newscorpus.errors.ConfigError`
    naming the file and the line."""
    out = []
    for n, record in read_jsonl(path):
        if "article_id" not in record or not isinstance(record.get("quotes", []), list):
            raise ConfigError(f"{path}:{n}: not an annotation record (needs article_id and quotes)")
        out.append(record)
    return out


def evaluate_files(gold: Path, predicted: Path) -> AttributionScores:
    """:func:`evaluate` on two annotation JSONL files."""
    return evaluate(read_annotations(gold), read_annotations(predicted))
