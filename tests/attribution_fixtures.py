"""Builders shared by the attribution tests: what an extractor proposed, as plain tuples, and the
gold/predicted quote records that ``attribution_eval`` scores."""

from __future__ import annotations

from typing import Any

from newscorpus.annotate.attribution import AttributionExtractor
from newscorpus.records import Span

Offsets = tuple[int, int] | list[int]


def span_text(span: Span | None) -> str | None:
    return span.text if span else None


def attributions(extractor: AttributionExtractor, text: str) -> list[tuple[str, str, str | None, str | None]]:
    """(kind, content, speaker, cue) of each attribution the extractor proposes in ``text``."""
    return [(q.kind, q.text, span_text(q.speaker), span_text(q.cue)) for q in extractor.proposals(text)]


def quote_record(
    text: str,
    start: int,
    end: int,
    kind: str = "direct",
    speaker: Offsets | None = None,
    cue: Offsets | None = None,
) -> dict[str, Any]:
    """A quote of an annotation record (as ``attribution_eval`` reads it): content ``text[start:end]``,
    speaker and cue given as (start, end) offsets into ``text``."""

    def span(x: Offsets | None) -> dict[str, Any] | None:
        return {"start": x[0], "end": x[1], "text": text[x[0] : x[1]]} if x else None

    return {
        "start": start,
        "end": end,
        "text": text[start:end],
        "kind": kind,
        "speaker": span(speaker),
        "speaker_entity": None,
        "cue": span(cue),
    }
