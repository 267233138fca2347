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
