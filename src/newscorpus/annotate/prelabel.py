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

PERSON_LABELS = ("PERSON", "PER", "PERS")
QUOTE_MODEL_VERSION = "newscorpus-attributions-2"
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

    @property
    def model_version(self) -> str:
        parts = [QUOTE_MODEL_VERSION] if self.quotes is not None else []
        if self.spacy is not None:
            parts.append(self.spacy.model_version)
        return "+".join(parts) or "none"

    def __call__(self, article: dict[str, Any]) -> Annotation | None:
        text = article["text"]
        entities = self.spacy.entities(text, self.labels) if self.spacy is not None else []
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
