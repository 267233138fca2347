"""The release's column types, as Hugging Face `datasets` features.

Labels (entity types, stance targets and values, block kinds, quote kinds) are
``ClassLabel`` so that label names survive a reload; the Arrow schema built from the
features carries them in its ``huggingface`` metadata.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..workspace import LabelSet

if TYPE_CHECKING:
    import datasets

BLOCK_KINDS = ("title", "dek", "paragraph", "heading", "caption", "quote", "list_item", "byline")
CREDIT_ROLES = ("wire", "photo", "contributor", "translator", "editor")
QUOTE_KINDS = ("direct", "indirect")
HOLDER_TYPES = ("article", "quote", "entity")

# Article fields copied as they are, in column order.
ARTICLE_COLUMNS = ("id", "url", "source", "title", "subtitle", "authors", "published_at",
                   "section", "language", "text", "text_sha256")


def default_features(labels: LabelSet) -> datasets.Features:
    """Features of the ``default`` config: one row per article, labels nested."""
    from datasets import ClassLabel, Features, List, Value

    string, int32 = Value("string"), Value("int32")
    return Features({
        "id": string,
        "url": string,
        "source": string,
        "title": string,
        "subtitle": string,
        "authors": List(string),
        "published_at": string,
        "section": string,
        "language": string,
        "text": string,
        "text_sha256": string,
        "blocks": List({"kind": ClassLabel(names=list(BLOCK_KINDS)), "start": int32, "end": int32}),
        "credits": List({"role": ClassLabel(names=list(CREDIT_ROLES)), "name": string, "block": int32}),
        "entities": List({
            "start": int32, "end": int32, "text": string,
            "label": ClassLabel(names=list(labels.entities)),
        }),
        "quotes": List({
            "start": int32, "end": int32, "text": string,
            "kind": ClassLabel(names=list(QUOTE_KINDS)),
            "speaker_start": int32, "speaker_end": int32, "speaker_text": string,
            "speaker_entity": int32,
            "cue_start": int32, "cue_end": int32, "cue_text": string,
        }),
        "stances": List({
            "holder_type": ClassLabel(names=list(HOLDER_TYPES)),
            "holder_index": int32,
            "target": ClassLabel(names=list(labels.stance_targets)),
            "stance": ClassLabel(names=list(labels.stances)),
        }),
        "annotators": List(string),
    })
