"""Label Studio results <-> the entities, quotes and stances of an Annotation record.

Reading (:func:`read_result`) rebuilds every surface from its offsets in the task text and
compares it with the ``value.text`` Label Studio sent, if any (the editor alters newlines and
repeated spaces in ``value.text``, so that comparison ignores white-space runs; the record
always gets ``text[start:end]``). Regions group by ``id`` (a span's labels and its
per-region stance choices share it); relations link quotes to speakers and cues.
Whatever does not fit is returned as problem strings (the result is rejected) or, for a
part that can be left out without changing the rest -- a stance attached to a region that
cannot hold one, a relation to a deleted region, a region whose labels were all removed --
as notes (that part is dropped, the rest kept). Nothing is dropped silently.

Writing (:func:`annotation_to_result`) is the inverse, used for predictions and task files.
A record survives ``read_result(annotation_to_result(r))`` unchanged except for stance ids,
which are derived (``<holder ref>:<target>``), and one case Label Studio cannot express: a
quote with a ``speaker_entity`` but no speaker span gets the entity's span as speaker.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..records import Annotation, Entity, Holder, Quote, Span, Stance
from .labels import (
    CUE,
    CUE_OF,
    ENTITY_CONTROL,
    INDIRECT_QUOTE,
    QUOTE,
    QUOTE_CONTROL,
    QUOTE_KINDS,
    REFERS_TO,
    SAID_BY,
    SPEAKER,
    TEXT_NAME,
    LabelConfig,
)

HOLDER_ORDER = {"article": 0, "quote": 1, "entity": 2}


def squash(s: str) -> str:
    """``s`` with every white-space run turned into one space, stripped."""
    return " ".join(s.split())


def same_surface(sent: str, surface: str) -> bool:
    """Whether Label Studio's ``value.text`` names ``surface``.

    The web UI writes each line break (CRLF included) as the two characters backslash and
    ``n``, and alters white-space runs: both are ignored, on both sides.
    """
    if sent == surface:  # the usual case, and the cheap one
        return True
    return squash(sent.replace("\\r\\n", " ").replace("\\n", " ")) == squash(
        surface.replace("\\r\\n", " ").replace("\\n", " ")
    )


def stance_id(holder: Holder, target: str) -> str:
    return f"{holder.ref if holder.ref is not None else 'article'}:{target}"


@dataclass(slots=True)
class _Region:
    id: str
    kind: str  # entity | quote | speaker | cue
    start: int
    end: int
    text: str
    label: str
    speaker: bool = False  # an entity region that also carries SPEAKER


@dataclass(slots=True)
class ParsedResult:
    """What one Label Studio result holds, in record terms, plus its problems."""

    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    stances: list[Stance] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was ignored without rejecting the result


def _span_of(item: dict[str, Any], text: str, where: str, problems: list[str]) -> tuple[int, int, str] | None:
    value = item.get("value")
    if not isinstance(value, dict):
        problems.append(f"{where}: no value")
        return None
    start, end = value.get("start"), value.get("end")
    if (
        isinstance(start, bool)
        or isinstance(end, bool)
        or not isinstance(start, int)
        or not isinstance(end, int)
    ):
        problems.append(f"{where}: offsets must be integers, got {start!r}..{end!r}")
        return None
    if not 0 <= start < end <= len(text):
        problems.append(f"{where}: offsets {start}..{end} outside the text (length {len(text)}) or empty")
        return None
    surface = text[start:end]
    sent = value.get("text")
    if isinstance(sent, list):  # some exports wrap the surface in a list
        sent = sent[0] if len(sent) == 1 and isinstance(sent[0], str) else None
    if isinstance(sent, str) and not same_surface(sent, surface):
        problems.append(
            f"{where}: text[{start}:{end}] is {surface!r} but Label Studio says {sent!r} "
            "(offsets do not match the task text)"
        )
        return None
    return start, end, surface


def _merge_region(
    rid: str, parts: list[tuple[str, str, str, tuple[int, int, str]]], problems: list[str]
) -> _Region | None:
    """One region from the ``labels`` results sharing its id (one per ``<Labels>`` control).

    The UI gives a region selected with PERSON and then SPEAKER one id and two results: that
    is an entity that also speaks (``speaker`` set). Any other combination is a conflict.
    """
    where = parts[0][0]
    if len({p[3][:2] for p in parts}) > 1:
        problems.append(f"{where}: region {rid!r} has labels at different offsets")
        return None
    by_control: dict[str, str] = {}
    for _, control, label, _ in parts:
        if control in by_control:
            problems.append(
                f"{where}: region {rid!r} has two {control!r} labels ({by_control[control]} and {label})"
            )
            return None
        by_control[control] = label
    start, end, surface = parts[0][3]
    entity, quote = by_control.get(ENTITY_CONTROL), by_control.get(QUOTE_CONTROL)
    if entity is not None and quote is not None and quote != SPEAKER:
        problems.append(
            f"{where}: region {rid!r} is both {entity} and {quote}; only SPEAKER can share a span "
            "with an entity label"
        )
        return None
    if entity is not None:
        return _Region(rid, "entity", start, end, surface, entity, speaker=quote == SPEAKER)
    assert quote is not None
    kind = "quote" if quote in QUOTE_KINDS else quote.lower()
    return _Region(rid, kind, start, end, surface, quote)


def _relation_kind(a: _Region, b: _Region, label: str | None) -> tuple[str, _Region, _Region] | None:
    """``(relation, head, tail)`` with the head being the quote (or the speaker for refers_to)."""
    kinds = {a.kind, b.kind}
    if "quote" in kinds and len(kinds) == 2:
        quote, other = (a, b) if a.kind == "quote" else (b, a)
        inferred = CUE_OF if other.kind == "cue" else SAID_BY if other.kind in ("speaker", "entity") else None
    elif kinds == {"speaker", "entity"}:
        quote, other = (a, b) if a.kind == "speaker" else (b, a)
        inferred = REFERS_TO
    else:
        return None
    if inferred is None or (label is not None and label != inferred):
        return None
    return inferred, quote, other


def read_result(result: Any, text: str, config: LabelConfig) -> ParsedResult:
    """Entities, quotes and stances of a Label Studio ``result`` made on ``text``."""
    out = ParsedResult()
    problems = out.problems
    if result is None:
        result = []
    if not isinstance(result, list):
        problems.append(f"/result: expected a list, got {type(result).__name__}")
        return out
    regions: dict[str, _Region] = {}
    labelled: dict[str, list[tuple[str, str, str, tuple[int, int, str]]]] = {}
    present: set[str] = set()  # every region id in the result, even rejected or empty ones
    emptied: set[str] = set()  # regions whose labels were all removed
    choices: list[tuple[str, dict[str, Any]]] = []
    relations: list[tuple[str, dict[str, Any]]] = []
    for i, item in enumerate(result):
        where = f"/result/{i}"
        if not isinstance(item, dict):
            problems.append(f"{where}: not an object")
            continue
        kind, from_name, rid = item.get("type"), item.get("from_name"), item.get("id")
        if isinstance(rid, str) and rid:
            present.add(rid)
            where = f"{where} (region {rid!r})"
        if kind == "relation":
            relations.append((where, item))
            continue
        if kind == "choices" and (from_name in config.region_stance or from_name in config.article_stance):
            choices.append((where, item))
            continue
        if kind != "labels" or from_name not in (ENTITY_CONTROL, QUOTE_CONTROL):
            problems.append(
                f"{where}: {kind!r} result from {from_name!r} is not part of the newscorpus labeling config"
            )
            continue
        if item.get("to_name", TEXT_NAME) != TEXT_NAME:
            problems.append(f"{where}: to_name {item.get('to_name')!r} is not {TEXT_NAME!r}")
            continue
        if not isinstance(rid, str) or not rid:
            problems.append(f"{where}: region has no id")
            continue
        labels = item["value"].get("labels") if isinstance(item.get("value"), dict) else None
        if labels == []:  # the annotator removed the region's last label: nothing to read
            emptied.add(rid)
            out.notes.append(f"{where}: region has no label left, ignored")
            continue
        if not isinstance(labels, list) or len(labels) != 1:
            problems.append(f"{where}: a region needs exactly one label, got {labels!r}")
            continue
        label = labels[0]
        if from_name == ENTITY_CONTROL and label not in config.entity_labels:
            problems.append(f"{where}: entity label {label!r} is not in the label set")
            continue
        if from_name == QUOTE_CONTROL and label not in (QUOTE, INDIRECT_QUOTE, SPEAKER, CUE):
            problems.append(f"{where}: quote label {label!r} is unknown")
            continue
        span = _span_of(item, text, where, problems)
        if span is None:
            continue
        labelled.setdefault(rid, []).append((where, from_name, label, span))
    for rid, parts in labelled.items():
        region = _merge_region(rid, parts, problems)
        if region is not None:
            regions[rid] = region

    said_by: dict[str, _Region] = {}
    cue_of: dict[str, _Region] = {}
    refers_to: dict[str, _Region] = {}
    linked: set[str] = set()
    for where, rel in relations:
        a, b = regions.get(rel.get("from_id")), regions.get(rel.get("to_id"))  # type: ignore[arg-type]
        if a is None or b is None:
            ends = [rel.get("from_id"), rel.get("to_id")]
            if any(e in present and e not in emptied for e in ends if regions.get(e) is None):  # type: ignore[arg-type]
                problems.append(
                    f"{where}: relation {ends[0]!r} -> {ends[1]!r} points to a region that was rejected"
                )
            else:  # the region was deleted (or lost its last label) in the editor
                out.notes.append(
                    f"{where}: relation {ends[0]!r} -> {ends[1]!r} ignored: a region it links "
                    "was deleted or has no label"
                )
            continue
        labels = rel.get("labels") or []
        if len(labels) > 1:
            problems.append(f"{where}: a relation needs at most one label, got {labels!r}")
            continue
        found = _relation_kind(a, b, labels[0] if labels else None)
        if found is None:
            problems.append(
                f"{where}: relation {labels[0] if labels else '(unlabelled)'} cannot link "
                f"a {a.label} to a {b.label}"
            )
            continue
        name, head, tail = found
        table = {SAID_BY: said_by, CUE_OF: cue_of, REFERS_TO: refers_to}[name]
        previous = table.get(head.id)
        if previous is not None and previous.id != tail.id:
            problems.append(
                f"{where}: {head.label} {head.id!r} has two {name} links ({previous.id!r} and {tail.id!r})"
            )
            continue
        table[head.id] = tail
        if name != REFERS_TO:
            linked.add(tail.id)

    for region in regions.values():
        if region.kind == "entity":
            out.entities.append(Entity(region.id, region.start, region.end, region.text, region.label))
        elif region.kind == "quote":
            speaker = said_by.get(region.id)
            cue = cue_of.get(region.id)
            entity: str | None = None
            if speaker is not None:
                if speaker.kind == "entity":
                    entity = speaker.id
                elif speaker.id in refers_to:
                    entity = refers_to[speaker.id].id
            out.quotes.append(
                Quote(
                    region.id,
                    region.start,
                    region.end,
                    region.text,
                    QUOTE_KINDS[region.label],
                    Span(speaker.start, speaker.end, speaker.text) if speaker else None,
                    entity,
                    Span(cue.start, cue.end, cue.text) if cue else None,
                )
            )
        if region.kind == "entity" and region.speaker and region.id not in linked:
            problems.append(
                f"region {region.id!r}: {region.label} {region.text!r} is marked SPEAKER but not "
                "linked to a quote (add a said_by relation from the quote)"
            )
        elif region.kind in ("speaker", "cue") and region.id not in linked:
            link = "said_by" if region.kind == "speaker" else "cue"
            problems.append(
                f"region {region.id!r}: {region.label} {region.text!r} is not linked to a "
                f"quote (add a {link} relation from the quote)"
            )

    seen: set[tuple[str | None, str]] = set()
    for where, item in choices:
        value: dict[str, Any] = item["value"] if isinstance(item.get("value"), dict) else {}
        picked = value.get("choices")
        if picked == []:
            continue  # a choice cleared in the editor
        if not isinstance(picked, list) or len(picked) != 1 or picked[0] not in config.labels.stances:
            out.notes.append(
                f"{where}: stance must be one of {list(config.labels.stances)}, got {picked!r} (dropped)"
            )
            continue
        name = item["from_name"]
        if name in config.article_stance:
            holder, target = Holder("article", None), config.article_stance[name]
        else:
            target = config.region_stance[name]
            holder_region = regions.get(str(item.get("id")))
            if holder_region is None or holder_region.kind not in ("quote", "entity"):
                what = (
                    f"a {holder_region.label} region"
                    if holder_region
                    else "no accepted quote or entity region"
                )
                out.notes.append(
                    f"{where}: stance toward {target!r} is attached to {what}; only quote and "
                    "entity regions hold a stance (dropped)"
                )
                continue
            holder = Holder(holder_region.kind, holder_region.id)
        key = (holder.ref, target)
        if key in seen:
            problems.append(f"{where}: two stances of {holder.ref or 'the article'} toward {target!r}")
            continue
        seen.add(key)
        out.stances.append(Stance(stance_id(holder, target), holder, target, picked[0]))
    sort_parts(out.entities, out.quotes, out.stances)
    return out


def sort_parts(entities: list[Entity], quotes: list[Quote], stances: list[Stance]) -> None:
    """Sort in place into the canonical order (by offsets, then ids)."""
    entities.sort(key=lambda e: (e.start, e.end, e.label, e.id))
    quotes.sort(key=lambda q: (q.start, q.end, q.id))
    stances.sort(key=lambda s: (HOLDER_ORDER.get(s.holder.type, 9), s.holder.ref or "", s.target, s.id))


def _labels_item(rid: str, control: str, start: int, end: int, text: str, label: str) -> dict[str, Any]:
    return {
        "id": rid,
        "from_name": control,
        "to_name": TEXT_NAME,
        "type": "labels",
        "value": {"start": start, "end": end, "text": text, "labels": [label]},
    }


def _relation(from_id: str, to_id: str, label: str) -> dict[str, Any]:
    return {"from_id": from_id, "to_id": to_id, "type": "relation", "direction": "right", "labels": [label]}


def annotation_to_result(annotation: Annotation, config: LabelConfig) -> list[dict[str, Any]]:
    """The Label Studio result that :func:`read_result` turns back into ``annotation``."""
    items: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    seen_relations: set[tuple[str, str, str]] = set()
    used = {e.id for e in annotation.entities}
    entities = {e.id: e for e in annotation.entities}
    for e in annotation.entities:
        items.append(_labels_item(e.id, ENTITY_CONTROL, e.start, e.end, e.text, e.label))
    quote_ids: dict[str, str] = {}
    for q in annotation.quotes:
        rid = q.id if q.id not in used else f"quote-{q.id}"
        used.add(rid)
        quote_ids[q.id] = rid
    extra: dict[tuple[str, int, int], str] = {}

    def link(from_id: str, to_id: str, label: str) -> None:
        if (from_id, to_id, label) not in seen_relations:
            seen_relations.add((from_id, to_id, label))
            relations.append(_relation(from_id, to_id, label))

    def span_region(label: str, span: Span) -> str:
        key = (label, span.start, span.end)
        if key not in extra:
            rid = f"{label.lower()}-{span.start}-{span.end}"
            while rid in used:
                rid += "'"
            used.add(rid)
            extra[key] = rid
            items.append(_labels_item(rid, QUOTE_CONTROL, span.start, span.end, span.text, label))
        return extra[key]

    for q in annotation.quotes:
        rid = quote_ids[q.id]
        label = QUOTE if q.kind == "direct" else INDIRECT_QUOTE
        items.append(_labels_item(rid, QUOTE_CONTROL, q.start, q.end, q.text, label))
        entity = entities.get(q.speaker_entity) if q.speaker_entity else None
        if q.speaker is not None:
            if entity is not None and (entity.start, entity.end) == (q.speaker.start, q.speaker.end):
                link(rid, entity.id, SAID_BY)
            else:
                speaker = span_region(SPEAKER, q.speaker)
                link(rid, speaker, SAID_BY)
                if entity is not None:
                    link(speaker, entity.id, REFERS_TO)
        elif entity is not None:
            link(rid, entity.id, SAID_BY)
        if q.cue is not None:
            link(rid, span_region(CUE, q.cue), CUE_OF)
    regions = {e.id: (e.start, e.end, e.text) for e in annotation.entities}
    regions.update({quote_ids[q.id]: (q.start, q.end, q.text) for q in annotation.quotes})
    for s in annotation.stances:
        if s.holder.type == "article":
            control = config.article_stance_control(s.target)
            items.append(
                {
                    "id": f"article-{control}",
                    "from_name": control,
                    "to_name": TEXT_NAME,
                    "type": "choices",
                    "value": {"choices": [s.stance]},
                }
            )
            continue
        ref = str(s.holder.ref)
        ref = quote_ids.get(ref, ref) if s.holder.type == "quote" else ref
        start, end, text = regions[ref]
        items.append(
            {
                "id": ref,
                "from_name": config.region_stance_control(s.target),
                "to_name": TEXT_NAME,
                "type": "choices",
                "value": {"start": start, "end": end, "text": text, "choices": [s.stance]},
            }
        )
    return items + relations


def canonical_parts(
    entities: Iterable[Entity], quotes: Iterable[Quote], stances: Iterable[Stance]
) -> tuple[list[Entity], list[Quote], list[Stance]]:
    """Copies in canonical order with derived stance ids (for comparisons)."""
    e, q = list(entities), list(quotes)
    s = [Stance(stance_id(x.holder, x.target), x.holder, x.target, x.stance) for x in stances]
    sort_parts(e, q, s)
    return e, q, s
