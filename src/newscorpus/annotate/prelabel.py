"""Pre-annotations: rule-based attributions and an optional spaCy entity prelabeler.

:class:`~.attribution.AttributionExtractor` proposes direct, mixed and reported speech with
speaker and cue spans (see :mod:`.attribution`); :func:`quotes_to_parts` turns proposals into
annotation quotes and the PERSON entities that resolved pronoun speakers point to (never a
pronoun, never across a sentence). :class:`SpacyEntityPrelabeler` turns a spaCy pipeline's
entities into entity proposals (``pip install 'newscorpus[spacy]'``). :class:`Prelabeler` is
what ``annotate push`` and ``annotate prelabel`` call for each article; :func:`prelabel_articles`
writes its records for a JSONL file of articles, offline.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..atomic import atomic_write
from ..errors import MissingDependencyError, RecordFileError
from ..records import Annotation, Entity, Quote, read_jsonl
from ..text import sha256_text
from ..workspace import LabelSet
from .attribution import AttributionExtractor, QuoteProposal, sentence_spans
from .attribution_cues import LANGUAGES, PRONOUN_SURFACES, load_cues

PERSON_LABELS = ("PERSON", "PER", "PERS")
FUNCTION_WORDS = load_cues(LANGUAGES).function_words
_WORD = re.compile(r"(?<!\w)\w+")
_FIRST_WORD = re.compile(r"\w+|.")
_NAME_LIKE = re.compile(r"^[^\W_a-zà-ÿ]\w*")
QUOTE_MODEL_VERSION = "newscorpus-attributions-3"
QuoteExtractor = AttributionExtractor  # the former name


def _person_label(labels: LabelSet) -> str | None:
    return next((label for label in PERSON_LABELS if label in labels.entities), None)


def quotes_to_parts(
    proposals: Iterable[QuoteProposal],
    labels: LabelSet,
    entities: list[Entity] | None = None,
    text: str | None = None,
) -> tuple[list[Entity], list[Quote]]:
    """Quote records (ids ``q1``...) and the entities their resolved speakers point to.

    With ``text``, an antecedent that crosses a sentence boundary makes no entity."""
    entities = list(entities or [])
    person = _person_label(labels)
    by_span = {(e.start, e.end): e for e in entities}
    bounds = sentence_spans(text) if text is not None else None
    quotes: list[Quote] = []
    for n, p in enumerate(proposals, 1):
        speaker_entity = None
        a = p.antecedent
        inside = bounds is None or (a is not None and any(s <= a.start and a.end <= e for s, e in bounds))
        if a is not None and person is not None and inside:
            key = (a.start, a.end)
            if key not in by_span:
                by_span[key] = Entity(f"p{len(by_span) + 1}", *key, a.text, person)
                entities.append(by_span[key])
            speaker_entity = by_span[key].id
        quotes.append(Quote(f"q{n}", p.start, p.end, p.text, p.kind, p.speaker, speaker_entity, p.cue))
    return entities, quotes


class Gazetteer:
    """Entity pre-annotations from a workspace's own human entities (every record that is not
    a model prediction): each surface keeps its majority label (a tie drops it).

    Only name-like surfaces are kept: at least two characters, starting with a capital letter
    or a digit, on one line, never a pronoun. A match is a whole-word, case-sensitive
    occurrence, longest first, inside one sentence (:func:`.attribution.sentence_spans`)."""

    def __init__(self, entries: dict[str, str]) -> None:
        self.entries = dict(entries)
        self._by_first: dict[str, list[str]] = {}
        for surface in sorted(self.entries, key=len, reverse=True):
            self._by_first.setdefault(_FIRST_WORD.match(surface).group(), []).append(surface)  # type: ignore[union-attr]

    @property
    def model_version(self) -> str:
        return f"gazetteer-{len(self.entries)}"

    @classmethod
    def from_records(cls, records: Iterable[dict[str, Any]]) -> Gazetteer:
        votes: dict[str, Counter[str]] = {}
        for record in records:
            if record.get("origin") == "prediction":
                continue
            for e in record.get("entities", []):
                surface, label = str(e.get("text", "")), str(e.get("label", ""))
                words = surface.split()
                name_like = _NAME_LIKE.match(surface) and "\n" not in surface
                if words and (words[0] in FUNCTION_WORDS and (len(words) == 1 or words[1][:1].islower())):
                    continue  # "Both", "The team": a sentence opening, not a name
                if label and name_like and surface.casefold() not in PRONOUN_SURFACES:
                    votes.setdefault(surface, Counter())[label] += 1
        entries = {}
        for surface, counts in votes.items():
            (label, n), *rest = counts.most_common(2)
            if not rest or rest[0][1] < n:
                entries[surface] = label
        return cls(entries)

    @classmethod
    def from_workspace(cls, ws: Any) -> Gazetteer:
        """From the annotation files of a :class:`~newscorpus.workspace.Workspace`."""
        return cls.from_records(r for path in ws.annotation_files() for _, r in read_jsonl(path))

    def entities(self, text: str, labels: LabelSet) -> list[Entity]:
        bounds = sentence_spans(text)
        starts = {s for s, _ in bounds}
        out: list[Entity] = []
        end = 0
        for m in _WORD.finditer(text):
            if m.start() < end or m.group() not in self._by_first:
                continue
            for surface in self._by_first[m.group()]:
                if surface == m.group() and not surface.isupper() and _opens(text, m.start(), starts):
                    continue  # one capitalised word opening a sentence: "People", "State"
                stop = m.start() + len(surface)
                if text.startswith(surface, m.start()) and not text[stop : stop + 1].isalnum():
                    label = self.entries[surface]
                    inside = any(s <= m.start() and stop <= e for s, e in bounds)
                    if label in labels.entities and inside:
                        out.append(Entity(f"g{len(out) + 1}", m.start(), stop, surface, label))
                        end = stop
                    break
        return out


def _opens(text: str, at: int, starts: set[int]) -> bool:
    """``at`` is the first word of a sentence (after any quotation mark or bracket)."""
    i = at
    while i > 0 and not text[i - 1].isalnum() and (i not in starts):
        i -= 1
    return i in starts


class SpacyEntityPrelabeler:
    """Entity proposals from a spaCy pipeline (a loaded ``nlp`` or an installed model name).

    Labels are kept when they are in the label set, after ``label_map`` (e.g. ``PER`` ->
    ``PERSON``); spaCy's ``start_char``/``end_char`` are code-point offsets like ours.
    """

    def __init__(
        self, nlp: Any = None, model: str | None = None, label_map: dict[str, str] | None = None
    ) -> None:
        try:
            import spacy
        except ImportError as exc:
            raise MissingDependencyError(
                f"spaCy is needed for entity pre-annotations ({exc}); "
                "install it with: pip install 'newscorpus[spacy]'"
            ) from None
        if nlp is None:
            if not model:
                raise ValueError("give a spaCy pipeline (nlp) or the name of an installed model")
            try:
                nlp = spacy.load(model)
            except OSError as exc:
                raise MissingDependencyError(f"spaCy model {model!r} is not installed ({exc})") from None
        self.nlp = nlp
        self.label_map = dict(label_map or {})
        meta = getattr(nlp, "meta", {}) or {}
        self.model_version = (
            f"spacy-{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}-{meta.get('version', '0')}"
        )

    def entities(self, text: str, labels: LabelSet) -> list[Entity]:
        out: list[Entity] = []
        for ent in self.nlp(text).ents:
            label = self.label_map.get(ent.label_, ent.label_)
            if label in labels.entities and ent.text.strip():
                out.append(Entity(f"e{len(out) + 1}", ent.start_char, ent.end_char, ent.text, label))
        return out


@dataclass
class Prelabeler:
    """Callable pushing pre-annotations: quotes (rules) and optionally entities (spaCy)."""

    labels: LabelSet
    quotes: AttributionExtractor | None = field(default_factory=AttributionExtractor)
    spacy: SpacyEntityPrelabeler | None = None
    gazetteer: Gazetteer | None = None

    @property
    def model_version(self) -> str:
        parts = [QUOTE_MODEL_VERSION] if self.quotes is not None else []
        if self.spacy is not None:
            parts.append(self.spacy.model_version)
        if self.gazetteer is not None and self.gazetteer.entries:
            parts.append(self.gazetteer.model_version)
        return "+".join(parts) or "none"

    def __call__(self, article: dict[str, Any]) -> Annotation | None:
        text = article["text"]
        entities = self.spacy.entities(text, self.labels) if self.spacy is not None else []
        if self.gazetteer is not None and self.gazetteer.entries:
            taken = [(e.start, e.end) for e in entities]
            for e in self.gazetteer.entities(text, self.labels):
                if not any(a < e.end and e.start < b for a, b in taken):
                    entities.append(Entity(f"g{len(entities) + 1}", e.start, e.end, e.text, e.label))
        extractor = self.quotes.for_language(article.get("language")) if self.quotes is not None else None
        proposals = extractor.proposals(text) if extractor is not None else []
        entities, quotes = quotes_to_parts(proposals, self.labels, entities, text)
        if not entities and not quotes:
            return None
        return Annotation(
            id=f"{article['id']}:prelabel",
            article_id=article["id"],
            text_sha256=sha256_text(text),
            annotator=self.model_version,
            origin="prediction",
            entities=entities,
            quotes=quotes,
            external={"model_version": self.model_version},
        )


class ArticlesFileError(RecordFileError):
    """An articles file that cannot be read (the message names the file and line)."""


def read_articles(path: Path) -> Iterator[dict[str, Any]]:
    """Article dicts from a JSONL file (:func:`newscorpus.records.read_jsonl`); a line that
    is not an article raises :class:`ArticlesFileError` naming the file and line."""
    for n, record in read_jsonl(path):
        if not isinstance(record.get("text"), str) or "id" not in record:
            raise ArticlesFileError(f"{path}:{n}: an article needs an 'id' and a 'text' string")
        yield record


def prelabel_articles(articles: Path, output: Path, prelabeler: Prelabeler) -> tuple[int, int]:
    """Write one prediction record per article with proposals; ``(articles, records)``."""
    import orjson

    seen = written = 0
    with atomic_write(output) as out:
        for article in read_articles(articles):
            seen += 1
            record = prelabeler(article)
            if record is not None:
                out.write(orjson.dumps(record.to_dict(), option=orjson.OPT_SORT_KEYS) + b"\n")
                written += 1
    return seen, written
