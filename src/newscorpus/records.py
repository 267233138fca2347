"""Typed records: Article and Annotation with its spans, entities, quotes and stances.

Records serialize to plain dicts (``to_dict``) that validate against the JSON Schemas in
``schema/``; ``from_dict`` reads them back. JSONL lines are written with sorted keys so
that the same record always gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from copy import deepcopy
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

import orjson

from .errors import RecordFileError
from .text import join_blocks, sha256_text, span_problem

ARTICLE_SCHEMA_VERSION = "1.1.0"
ANNOTATION_SCHEMA_VERSION = "1.0.0"


@cache
def _packaged_schema(kind: str, version: str) -> dict[str, Any]:
    return json.loads((files("newscorpus") / "schema" / kind / f"{version}.json").read_text("utf-8"))  # type: ignore[no-any-return]


def _schema_enum(kind: str, version: str, *path: str) -> tuple[str, ...]:
    """The ``enum`` at ``path`` (property names, ``items`` for arrays) of a packaged schema:
    label lists have one home, the schema, and the code reads them from there (in order).
    Each schema file is read once."""
    node = _packaged_schema(kind, version)
    for part in path:
        node = node["items"] if part == "items" else node["properties"][part]
    return tuple(node["enum"])


BLOCK_KINDS = _schema_enum("article", ARTICLE_SCHEMA_VERSION, "blocks", "items", "kind")
CREDIT_ROLES = _schema_enum("article", ARTICLE_SCHEMA_VERSION, "credits", "items", "role")
CONTENT_KINDS = _schema_enum("article", ARTICLE_SCHEMA_VERSION, "content_kind")
QUOTE_KINDS = _schema_enum("annotation", ANNOTATION_SCHEMA_VERSION, "quotes", "items", "kind")
HOLDER_TYPES = _schema_enum("annotation", ANNOTATION_SCHEMA_VERSION, "stances", "items", "holder", "type")
STANCE_VALUES = _schema_enum("annotation", ANNOTATION_SCHEMA_VERSION, "stances", "items", "stance")
ANNOTATION_ORIGINS = _schema_enum("annotation", ANNOTATION_SCHEMA_VERSION, "origin")

BlockKind = Literal[  # the schema's block kinds (BLOCK_KINDS; a test keeps the two equal)
    "title", "dek", "paragraph", "heading", "caption", "quote", "list_item", "byline"
]


@dataclass(slots=True)
class Block:
    kind: str
    start: int
    end: int


@dataclass(slots=True)
class Credit:
    role: str
    name: str
    block: int | None = None


@dataclass(slots=True)
class Related:
    title: str
    url: str | None = None
    source: str | None = None


@dataclass(slots=True)
class Image:
    url: str | None
    caption: str | None = None
    credit: str | None = None
    block: int | None = None


@dataclass(slots=True)
class Article:
    """One normalized article. Build it with :meth:`from_parts` so text and blocks agree."""

    id: str
    source: str
    title: str
    text: str
    blocks: list[Block]
    origin: dict[str, Any]
    url: str | None = None
    subtitle: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: str | None = None
    modified_at: str | None = None
    section: str | None = None
    language: str | None = None
    reading_time_minutes: int | None = None
    credits: list[Credit] = field(default_factory=list)
    related: list[Related] = field(default_factory=list)
    provenance: dict[str, dict[str, str]] = field(default_factory=dict)
    images: list[Image] = field(default_factory=list)
    content_kind: str | None = None
    keywords: list[str] = field(default_factory=list)
    schema_version: str = ARTICLE_SCHEMA_VERSION

    @property
    def text_sha256(self) -> str:
        return sha256_text(self.text)

    @staticmethod
    def build_text(parts: Iterable[tuple[str, str]]) -> tuple[str, list[Block]]:
        """Canonical text and blocks from ``(kind, normalized text)`` parts."""
        text, blocks = join_blocks(parts)
        return text, [Block(**b) for b in blocks]  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["text_sha256"] = self.text_sha256
        for key in ("modified_at", "reading_time_minutes", "content_kind", "images", "keywords"):
            if d[key] is None or d[key] == []:
                del d[key]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        d = dict(d)
        d.pop("text_sha256", None)
        d["blocks"] = [Block(**b) for b in d["blocks"]]
        d["credits"] = [Credit(**c) for c in d.get("credits", [])]
        d["related"] = [Related(**r) for r in d.get("related", [])]
        d["images"] = [Image(**i) for i in d.get("images", [])]
        return cls(**d)


@dataclass(slots=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Entity:
    id: str
    start: int
    end: int
    text: str
    label: str


@dataclass(slots=True)
class Quote:
    id: str
    start: int
    end: int
    text: str
    kind: str = "direct"
    speaker: Span | None = None
    speaker_entity: str | None = None
    cue: Span | None = None


@dataclass(slots=True)
class Holder:
    type: str
    ref: str | None = None


@dataclass(slots=True)
class Stance:
    id: str
    holder: Holder
    target: str
    stance: str


@dataclass(slots=True)
class Annotation:
    id: str
    article_id: str
    text_sha256: str
    annotator: str
    origin: str
    ground_truth: bool = False
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    stances: list[Stance] = field(default_factory=list)
    created_at: str | None = None
    updated_at: str | None = None
    external: dict[str, Any] | None = None
    schema_version: str = ANNOTATION_SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        # Field by field (``asdict`` deep-copies every value: 10x slower on a pull of 5,000).
        def span(x: Span | None) -> dict[str, Any] | None:
            return None if x is None else {"start": x.start, "end": x.end, "text": x.text}

        d: dict[str, Any] = {
            "id": self.id,
            "article_id": self.article_id,
            "text_sha256": self.text_sha256,
            "annotator": self.annotator,
            "origin": self.origin,
            "ground_truth": self.ground_truth,
            "entities": [
                {"id": e.id, "start": e.start, "end": e.end, "text": e.text, "label": e.label}
                for e in self.entities
            ],
            "quotes": [
                {
                    "id": q.id,
                    "start": q.start,
                    "end": q.end,
                    "text": q.text,
                    "kind": q.kind,
                    "speaker": span(q.speaker),
                    "speaker_entity": q.speaker_entity,
                    "cue": span(q.cue),
                }
                for q in self.quotes
            ],
            "stances": [
                {
                    "id": s.id,
                    "holder": {"type": s.holder.type, "ref": s.holder.ref},
                    "target": s.target,
                    "stance": s.stance,
                }
                for s in self.stances
            ],
            "schema_version": self.schema_version,
        }
        for key in ("created_at", "updated_at", "external"):
            value = getattr(self, key)
            if value is not None:
                d[key] = deepcopy(value) if key == "external" else value
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Annotation:
        d = dict(d)

        def span(s: dict[str, Any] | None) -> Span | None:
            return Span(**s) if s else None

        d["entities"] = [Entity(**e) for e in d.get("entities", [])]
        d["quotes"] = [
            Quote(**{**q, "speaker": span(q.get("speaker")), "cue": span(q.get("cue"))})
            for q in d.get("quotes", [])
        ]
        d["stances"] = [
            Stance(**{**s, "holder": Holder(**s["holder"])}) for s in d.get("stances", [])
        ]
        return cls(**d)


def annotation_span_problems(annotation: dict[str, Any], text: str) -> Iterator[tuple[str, str]]:
    """``(json pointer, message)`` for every span of ``annotation`` that does not fit ``text``,
    and for every dangling reference (speaker entity, stance holder)."""
    entity_ids = {e["id"] for e in annotation.get("entities", [])}
    quote_ids = {q["id"] for q in annotation.get("quotes", [])}
    for i, e in enumerate(annotation.get("entities", [])):
        problem = span_problem(text, e["start"], e["end"], e["text"])
        if problem:
            yield f"/entities/{i}", problem
    for i, q in enumerate(annotation.get("quotes", [])):
        problem = span_problem(text, q["start"], q["end"], q["text"])
        if problem:
            yield f"/quotes/{i}", problem
        for part in ("speaker", "cue"):
            s = q.get(part)
            if s and (problem := span_problem(text, s["start"], s["end"], s["text"])):
                yield f"/quotes/{i}/{part}", problem
        ref = q.get("speaker_entity")
        if ref is not None and ref not in entity_ids:
            yield f"/quotes/{i}/speaker_entity", f"no entity with id {ref!r}"
    for i, s in enumerate(annotation.get("stances", [])):
        holder = s["holder"]
        known = {"quote": quote_ids, "entity": entity_ids}.get(holder["type"])
        if known is not None and holder["ref"] not in known:
            yield f"/stances/{i}/holder/ref", f"no {holder['type']} with id {holder['ref']!r}"
        if holder["type"] == "article" and holder["ref"] is not None:
            yield f"/stances/{i}/holder/ref", "an article-level stance has ref null"


def _float_integers(article: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Integer fields written as floats (``3.0``): JSON Schema 2020-12 accepts them as
    integers, but offsets and counts must be exact integers to index text and fill Arrow
    int columns."""
    found: list[tuple[str, Any]] = [("/reading_time_minutes", article.get("reading_time_minutes"))]
    for i, b in enumerate(article["blocks"]):
        found += [(f"/blocks/{i}/start", b["start"]), (f"/blocks/{i}/end", b["end"])]
    found += [(f"/credits/{i}/block", c.get("block")) for i, c in enumerate(article.get("credits", []))]
    found += [(f"/images/{i}/block", m.get("block")) for i, m in enumerate(article.get("images", []))]
    found += [(f"/origin/{k}", article["origin"].get(k)) for k in ("line", "offset")]
    for pointer, value in found:
        if isinstance(value, float):
            yield pointer, f"{value!r} must be an integer without a fraction part"


def has_float(article: dict[str, Any]) -> bool:
    """Fast check for :func:`_float_integers` (the common case has none)."""
    return any(type(b["start"]) is float or type(b["end"]) is float
               for b in article["blocks"]) or _other_floats(article)


def _other_floats(article: dict[str, Any]) -> bool:
    """:func:`has_float` outside the blocks."""
    origin = article["origin"]
    if (type(article.get("reading_time_minutes")) is float or type(origin.get("line")) is float
            or type(origin.get("offset")) is float):
        return True
    for c in article.get("credits", ()):
        if type(c.get("block")) is float:
            return True
    return any(type(m.get("block")) is float for m in article.get("images", ()))


def article_text_problems(article: dict[str, Any]) -> list[tuple[str, str]]:
    """``(json pointer, message)`` for an article whose hash, blocks or title disagree with its
    text (checks JSON Schema cannot express), for a record the schema accepts. It runs once per
    article of every validation, so an article with no problem takes one tight pass
    (:func:`_text_ok`); any other goes through :func:`_text_problems`, which says what is wrong."""
    return [] if _text_ok(article) else _text_problems(article)


def _text_ok(article: dict[str, Any]) -> bool:
    """Whether :func:`_text_problems` finds nothing (the same checks, without the messages)."""
    text = article["text"]
    blocks = article["blocks"]
    pos = 0
    for b in blocks:
        start = b["start"]
        end = b["end"]
        if start < pos or end <= start or start.__class__ is float or end.__class__ is float:
            return False
        pos = end  # ends only grow, so the last one is the largest
    if pos > len(text) or _other_floats(article):
        return False
    if blocks:
        first = blocks[0]
        if first["kind"] == "title":
            title, start = article["title"], first["start"]
            if first["end"] - start != len(title) or not text.startswith(title, start):
                return False
    credits = article.get("credits")
    if credits:
        count = len(blocks)
        for c in credits:
            block = c.get("block")
            if block is not None and block >= count:
                return False
    return sha256_text(text) == article["text_sha256"]


def _text_problems(article: dict[str, Any]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    text = article["text"]
    pos, length = 0, len(text)
    blocks = article["blocks"]
    for i, b in enumerate(blocks):
        start, end = b["start"], b["end"]
        if start.__class__ is float or end.__class__ is float:
            return list(_float_integers(article))
        if start < pos or end <= start or end > length:
            out.append((f"/blocks/{i}", f"block {start}..{end} out of order or out of range"))
        pos = end
    if _other_floats(article):
        return list(_float_integers(article))
    if sha256_text(text) != article["text_sha256"]:
        out.insert(0, ("/text_sha256", "does not match the SHA-256 of text"))
    if blocks and blocks[0]["kind"] == "title" and (
            text[blocks[0]["start"]:blocks[0]["end"]] != article["title"]):
        out.append(("/title", "differs from the text of the title block"))
    if "credits" in article:
        nblocks = len(blocks)
        for i, c in enumerate(article["credits"]):
            if c.get("block") is not None and c["block"] >= nblocks:
                out.append((f"/credits/{i}/block", f"no block {c['block']}"))
    return out


def dumps(record: dict[str, Any]) -> bytes:
    """One JSONL line (with trailing newline), keys sorted, UTF-8, no ASCII escaping."""
    return orjson.dumps(record, option=orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE)


def write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> int:
    """Write records to ``path`` atomically (:func:`newscorpus.atomic.atomic_write`).
    Returns the count."""
    from .atomic import atomic_write

    n = 0
    with atomic_write(path) as fh:
        for record in records:
            fh.write(dumps(record))
            n += 1
    return n


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, record)`` for each non-empty line. Raises
    :class:`~newscorpus.errors.RecordFileError` (a ``ValueError``) naming the file and line
    when a line is not a JSON object, and for an unreadable file."""
    try:
        with path.open("rb") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    record = orjson.loads(line)
                except orjson.JSONDecodeError as exc:
                    raise RecordFileError(f"{path}:{lineno}: not valid JSON: {exc}") from None
                if not isinstance(record, dict):
                    raise RecordFileError(f"{path}:{lineno}: a record must be a JSON object, "
                                          f"not {type(record).__name__}")
                yield lineno, record
    except IsADirectoryError:
        raise RecordFileError(f"{path}: is a folder, not a JSONL file") from None
    except OSError as exc:
        raise RecordFileError(f"{path}: cannot read ({exc.strerror or exc})") from None
