"""The release's column types, as Hugging Face `datasets` features.

Labels (entity types, stance targets and values, block kinds, quote kinds) are
``ClassLabel`` so that label names survive a reload; the Arrow schema built from the
features carries them in its ``huggingface`` metadata.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..records import BLOCK_KINDS, CREDIT_ROLES, HOLDER_TYPES, QUOTE_KINDS  # read from the schema
from ..workspace import LabelSet

if TYPE_CHECKING:
    import datasets
    import pyarrow as pa

# The oldest `datasets` that loads every config of a release (``load_dataset("parquet", ...)``
# and the release folder itself), as the card states; `make oldest-datasets` (run by CI) checks
# it with tools/oldest_datasets.py. 2.14 and older fail with current pyarrow (not our files).
MIN_DATASETS = "2.16.0"


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
        "duplicate_group": string,
    })


def _span_fields(string: Any, int32: Any) -> dict[str, Any]:
    return {"article_id": string, "index": int32, "start": int32, "end": int32, "text": string}


def entities_features(labels: LabelSet) -> datasets.Features:
    """Features of the ``entities`` config: one row per gold entity mention."""
    from datasets import ClassLabel, Features, Value

    string, int32 = Value("string"), Value("int32")
    return Features({**_span_fields(string, int32),
                     "label": ClassLabel(names=list(labels.entities))})


def quotes_features(labels: LabelSet) -> datasets.Features:
    """Features of the ``quotes`` config: one row per gold quote, speaker and cue beside it."""
    from datasets import ClassLabel, Features, Value

    string, int32 = Value("string"), Value("int32")
    return Features({
        **_span_fields(string, int32), "kind": ClassLabel(names=list(QUOTE_KINDS)),
        "speaker_start": int32, "speaker_end": int32, "speaker_text": string,
        "speaker_entity": int32, "cue_start": int32, "cue_end": int32, "cue_text": string,
    })


def stances_features(labels: LabelSet) -> datasets.Features:
    """Features of the ``stances`` config: one row per gold stance; ``holder_text`` is the
    quote or entity surface (null when the article itself holds the stance)."""
    from datasets import ClassLabel, Features, Value

    string, int32 = Value("string"), Value("int32")
    return Features({
        "article_id": string, "index": int32,
        "holder_type": ClassLabel(names=list(HOLDER_TYPES)), "holder_index": int32,
        "holder_text": string,
        "target": ClassLabel(names=list(labels.stance_targets)),
        "stance": ClassLabel(names=list(labels.stances)),
    })


def annotations_features(labels: LabelSet) -> datasets.Features:
    """Features of the opt-in ``annotations`` config: one row per annotation record of every
    annotator (not only gold), for agreement studies."""
    from datasets import Features, Value

    nested = default_features(labels)
    return Features({
        "id": Value("string"), "article_id": Value("string"), "annotator": Value("string"),
        "ground_truth": Value("bool"),
        "entities": nested["entities"], "quotes": nested["quotes"], "stances": nested["stances"],
    })


def config_features(labels: LabelSet) -> dict[str, datasets.Features]:
    """Every config's features, in the order the card lists them."""
    return {"default": default_features(labels), "entities": entities_features(labels),
            "quotes": quotes_features(labels), "stances": stances_features(labels),
            "annotations": annotations_features(labels)}


def _portable(feature: Any) -> Any:
    """A feature dict as every supported `datasets` reads it: a variable-length ``List`` as
    a JSON list ``[feature]`` (datasets 4 writes ``{"_type": "List"}``, unknown to 3.x)."""
    if isinstance(feature, dict):
        if feature.get("_type") == "List" and feature.get("length", -1) == -1:
            return [_portable(feature["feature"])]
        return {k: _portable(v) for k, v in feature.items()}
    if isinstance(feature, list):
        return [_portable(v) for v in feature]
    return feature


def arrow_schema(features: datasets.Features) -> pa.Schema:
    """The Arrow schema of ``features`` with its ``huggingface`` metadata in the portable
    form (see :func:`_portable`), so that ClassLabel names survive a reload with datasets
    3.x as well as 4.x."""
    schema = features.arrow_schema
    meta = json.loads(schema.metadata[b"huggingface"])
    meta["info"]["features"] = _portable(meta["info"]["features"])
    return schema.with_metadata({**schema.metadata, b"huggingface": json.dumps(meta).encode()})


# What each column means, for the card's data-fields table: "<config>.<column>" first, then
# "<list column>.<field>", then "<column>".
FIELD_DOCS = {
    "id": "article id, stable across versions (from the canonical URL, or source + title + date)",
    "annotations.id": "annotation record id (`<article id>:<annotator>`)",
    "url": "canonical URL of the article (null when it has none)",
    "source": "outlet or feed the article comes from",
    "title": "headline (null in a copyright-safe release)",
    "subtitle": "dek / standfirst (null when none, or in a copyright-safe release)",
    "authors": "byline authors, in byline order",
    "published_at": "publication time, ISO 8601 with offset (null when undated)",
    "section": "section of the outlet (null when unknown)",
    "language": "BCP 47 language tag of the text",
    "text": "the one annotatable string: title, dek and body joined by blank lines; every offset "
            "points into it (null in a copyright-safe release)",
    "text_sha256": "SHA-256 of `text`; annotations are anchored to it",
    "blocks": "the parts of `text`, in order",
    "blocks.kind": "block kind (title, dek, paragraph, heading, caption...)",
    "blocks.start": "code-point offset where the block starts in `text`",
    "blocks.end": "code-point offset where the block ends (exclusive)",
    "credits": "wire agency, photo and other credits",
    "credits.role": "credit role",
    "credits.name": "credited name",
    "credits.block": "index into `blocks` of the block the credit belongs to, e.g. a caption "
                     "(null: the whole article)",
    "entities": "gold entity mentions, in order",
    "quotes": "gold quotes, in order",
    "stances": "gold stances, in order",
    "annotations.entities": "this annotator's entity mentions, in order",
    "annotations.quotes": "this annotator's quotes, in order",
    "annotations.stances": "this annotator's stances, in order",
    "start": "code-point offset where the span starts in `text`",
    "end": "code-point offset where the span ends (exclusive): `text[start:end]` is the surface",
    "label": "entity type",
    "kind": "quote kind: direct (quoted words) or indirect (reported speech)",
    "speaker_start": "start offset of the speaker span (null when the speaker is not in the text)",
    "speaker_end": "end offset of the speaker span (null when not in the text)",
    "speaker_text": "surface of the speaker span",
    "speaker_entity": "index into the article's `entities` list of the entity that speaks "
                      "(null when the speaker is not an annotated entity)",
    "cue_start": "start offset of the cue (the reporting verb, e.g. 'said'; null when none)",
    "cue_end": "end offset of the cue (null when none)",
    "cue_text": "surface of the cue",
    "holder_type": "who holds the stance: the article itself, a quote or an entity",
    "holder_index": "index into the article's `quotes` (holder_type quote) or `entities` "
                    "(holder_type entity) list; null when the article holds the stance",
    "holder_text": "surface of the holding quote or entity (null for the article)",
    "target": "what the stance is about (a target of the label set)",
    "stance": "the stance toward the target",
    "annotators": "annotator of the gold labels (empty when the article is unlabelled)",
    "duplicate_group": "id of the article's near-duplicate / re-published wire story group "
                       "(null when it has no duplicate); a group never straddles two splits",
    "article_id": "id of the article (the `id` of the `default` config)",
    "index": "position of the row in the article's gold list (the same position as in the "
             "`default` config's nested list, which `speaker_entity` and `holder_index` use)",
    "annotator": "who made the annotation record",
    "ground_truth": "whether this record is the article's gold annotation",
    "text_span": "surface of the span (`text[start:end]`; null in a copyright-safe release)",
}


def field_doc(config: str, path: tuple[str, ...]) -> str:
    """The description of column ``path`` (a column, or a list column and its field)."""
    span = path[-1] == "text" and (len(path) > 1 or config in ("entities", "quotes"))
    keys = [f"{config}.{'.'.join(path)}"] + (["text_span"] if span else [".".join(path), path[-1]])
    return next((FIELD_DOCS[k] for k in keys if k in FIELD_DOCS), "(not documented yet)")
