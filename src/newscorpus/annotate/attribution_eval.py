"""Attribution evaluation that cannot flatter: one-to-one matching, per kind.

An *attribution* is one annotation quote, or several quotes of one record that share the same
cue span, speaker and kind (the parts of a quote interrupted by its attribution, stored as
linked spans). Its content is the set of letter and digit code points of its parts, less
those of its own speaker and cue spans: quotation marks, spaces and punctuation never count,
and a single span running over an interrupting attribution ("The plan," he said, "is dead")
equals its two parts.

Per article, gold and predicted attributions are matched one to one, greedily by decreasing
overlap (intersection over union of the content code points): a pair matches by *overlap* when
that ratio is at least 0.5, and *exactly* when the trimmed contents are equal. A gold
attribution can match one prediction at most, so a quotation split into pieces costs
precision. Scores are given for all attributions and per kind (``direct`` / ``indirect``), the
per-kind figures matching gold and predictions of that kind only.

The speaker of a matched pair is right when a predicted speaker mention (the speaker span or
the entity a pronoun stands for) overlaps a gold one by at least half of their union, lies
inside it or contains it (a name inside its source span with a title or role; not a pronoun),
or names the same surface string (a pronoun's surface alone never counts). Speaker accuracy is
computed over matched pairs whose gold attribution has a speaker.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..evaluate import prf
from ..records import read_jsonl

KINDS = ("direct", "indirect")
MARKS = "\"“”„«»‹›‘’「」『』'"
STRIP = MARKS + " \t\n\u00a0\u202f,.;:"
PRONOUN_SURFACES = frozenset(
    ("he", "she", "they", "him", "her", "them", "i", "we", "it", "his", "their")
    + ("il", "elle", "ils", "elles", "lui", "eux", "هو", "هي", "هم")
)
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


def speaker_correct(gold: Attribution, pred: Attribution) -> bool:
    for gs, ge, gt in gold.speakers:
        for ps, pe, pt in pred.speakers:
            inter = min(ge, pe) - max(gs, ps)
            if inter > 0 and inter / (max(ge, pe) - min(gs, ps)) >= MIN_OVERLAP:
                return True
            inside = (gs <= ps and pe <= ge) or (ps <= gs and ge <= pe)
            if inside and min(gt, pt, key=len).casefold() not in PRONOUN_SURFACES:
                return True  # a name inside its source span ("Fuad Basya" in "Major general Fuad Basya")
            if gt.casefold() == pt.casefold() and gt.casefold() not in PRONOUN_SURFACES:
                return True
    return False


def match(gold: Sequence[Attribution], pred: Sequence[Attribution]) -> list[tuple[int, int, float]]:
    """One-to-one ``(gold index, predicted index, overlap)`` pairs with overlap >= 0.5, greedy
    by decreasing overlap (ties: document order)."""
    pairs = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            if g.content & p.content:
                ratio = overlap(g.content, p.content)
                if ratio >= MIN_OVERLAP:
                    pairs.append((-ratio, i, j))
    pairs.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for neg, i, j in pairs:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            out.append((i, j, -neg))
    return out


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
        for i, j, _ in match(gold, pred):
            self.overlap += 1
            self.exact += gold[i].content == pred[j].content
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
