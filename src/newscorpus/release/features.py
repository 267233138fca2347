"""The release's column types: Hugging Face `datasets` features, as plain data.

Each config's features are the dict ``datasets.Features.to_dict()`` gives (``{"_type":
"Value", "dtype": ...}``, ``{"_type": "ClassLabel", "names": [...]}``, ``{"_type": "List",
"feature": ...}``, a plain dict for a struct), defined here once; the small functions below
turn it into what a release needs: the Arrow schema with the ``huggingface`` metadata
(:func:`arrow_schema`), the card's ``dataset_info`` features (:func:`yaml_features`) and the
data-fields types (:func:`type_label`). So a release build never imports `datasets` (about
a second of CPU: it pulls in pandas and huggingface_hub); the tests check every function
against what `datasets` itself gives.

Labels (entity types, stance targets and values, block kinds, quote kinds) are
``ClassLabel`` so that label names survive a reload; the Arrow schema carries them in its
``huggingface`` metadata.
"""

from __future__ import annotations

import json
from typing import Any

import pyarrow as pa

from ..records import BLOCK_KINDS, CREDIT_ROLES, HOLDER_TYPES, QUOTE_KINDS  # read from the schema
from ..workspace import LabelSet

# The oldest `datasets` that loads every config of a release (``load_dataset("parquet", ...)``
# and the release folder itself), as the card states; `make oldest-datasets` (run by CI) checks
# it with tools/oldest_datasets.py. 2.14 and older fail with current pyarrow (not our files).
MIN_DATASETS = "2.16.0"


# Article fields copied as they are, in column order.
ARTICLE_COLUMNS = ("id", "url", "source", "title", "subtitle", "authors", "published_at",
                   "section", "language", "text", "text_sha256")

Feature = Any  # a feature dict (Value, ClassLabel, List) or a struct (a dict of features)


def value(dtype: str) -> dict[str, str]:
    """``datasets.Value(dtype)``."""
    return {"dtype": dtype, "_type": "Value"}


def class_label(names: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """``datasets.ClassLabel(names=names)``."""
    return {"names": list(names), "_type": "ClassLabel"}


def list_of(feature: Feature) -> dict[str, Any]:
    """``datasets.List(feature)``: a variable-length list."""
    return {"feature": feature, "_type": "List"}


STRING, INT32 = value("string"), value("int32")


def default_features(labels: LabelSet) -> dict[str, Feature]:
    """Features of the ``default`` config: one row per article, labels nested."""
    return {
        **{name: list_of(STRING) if name == "authors" else STRING for name in ARTICLE_COLUMNS},
        "blocks": list_of({"kind": class_label(BLOCK_KINDS), "start": INT32, "end": INT32}),
        "credits": list_of({"role": class_label(CREDIT_ROLES), "name": STRING, "block": INT32}),
        "entities": list_of({"start": INT32, "end": INT32, "text": STRING,
                             "label": class_label(labels.entities)}),
        "quotes": list_of({
            "start": INT32, "end": INT32, "text": STRING, "kind": class_label(QUOTE_KINDS),
            "speaker_start": INT32, "speaker_end": INT32, "speaker_text": STRING,
            "speaker_entity": INT32, "cue_start": INT32, "cue_end": INT32, "cue_text": STRING,
        }),
        "stances": list_of({
            "holder_type": class_label(HOLDER_TYPES), "holder_index": INT32,
            "target": class_label(labels.stance_targets), "stance": class_label(labels.stances),
        }),
        "annotators": list_of(STRING),
        "duplicate_group": STRING,
    }


def _span_fields() -> dict[str, Feature]:
    return {"article_id": STRING, "index": INT32, "start": INT32, "end": INT32, "text": STRING}


def entities_features(labels: LabelSet) -> dict[str, Feature]:
    """Features of the ``entities`` config: one row per gold entity mention."""
    return {**_span_fields(), "label": class_label(labels.entities)}


def quotes_features(labels: LabelSet) -> dict[str, Feature]:
    """Features of the ``quotes`` config: one row per gold quote, speaker and cue beside it."""
    return {
        **_span_fields(), "kind": class_label(QUOTE_KINDS),
        "speaker_start": INT32, "speaker_end": INT32, "speaker_text": STRING,
        "speaker_entity": INT32, "cue_start": INT32, "cue_end": INT32, "cue_text": STRING,
    }


def stances_features(labels: LabelSet) -> dict[str, Feature]:
    """Features of the ``stances`` config: one row per gold stance; ``holder_text`` is the
    quote or entity surface (null when the article itself holds the stance)."""
    return {
        "article_id": STRING, "index": INT32,
        "holder_type": class_label(HOLDER_TYPES), "holder_index": INT32, "holder_text": STRING,
        "target": class_label(labels.stance_targets), "stance": class_label(labels.stances),
    }


def annotations_features(labels: LabelSet) -> dict[str, Feature]:
    """Features of the opt-in ``annotations`` config: one row per annotation record of every
    annotator (not only gold), for agreement studies."""
    nested = default_features(labels)
    return {
        "id": STRING, "article_id": STRING, "annotator": STRING, "ground_truth": value("bool"),
        "entities": nested["entities"], "quotes": nested["quotes"], "stances": nested["stances"],
    }


def config_features(labels: LabelSet) -> dict[str, dict[str, Feature]]:
    """Every config's features, in the order the card lists them."""
    return {"default": default_features(labels), "entities": entities_features(labels),
            "quotes": quotes_features(labels), "stances": stances_features(labels),
            "annotations": annotations_features(labels)}


def list_item(feature: Feature) -> Feature | None:
    """The feature of each item of a list feature (None for any other feature)."""
    return feature["feature"] if feature.get("_type") == "List" else None


def arrow_type(feature: Feature) -> pa.DataType:
    """The Arrow type `datasets` stores ``feature`` as (a ClassLabel is its int64 index)."""
    kind = feature.get("_type")
    if kind == "Value":
        return pa.type_for_alias(feature["dtype"])
    if kind == "ClassLabel":
        return pa.int64()
    if kind == "List":
        return pa.list_(arrow_type(feature["feature"]))
    if kind is None:
        return pa.struct([pa.field(name, arrow_type(f)) for name, f in feature.items()])
    raise ValueError(f"no Arrow type for feature {feature!r}")


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


def arrow_schema(features: dict[str, Feature]) -> pa.Schema:
    """The Arrow schema of ``features`` with its ``huggingface`` metadata (the JSON that
    ``datasets.Features.arrow_schema`` writes) in the portable form (see :func:`_portable`),
    so that ClassLabel names survive a reload with datasets 3.x as well as 4.x."""
    meta = {"info": {"features": _portable(features)}}
    return pa.schema([pa.field(name, arrow_type(f)) for name, f in features.items()],
                     metadata={b"huggingface": json.dumps(meta).encode()})


def _yaml_simplified(feature: dict[str, Any]) -> dict[str, Any]:
    for kind in ("list", "large_list", "sequence"):
        inner = feature.get(kind)
        if isinstance(inner, dict) and list(inner) in (["dtype"], ["struct"]):
            feature[kind] = inner[next(iter(inner))]
    label = feature.get("class_label")
    if isinstance(label, dict) and isinstance(label.get("names"), list):
        label["names"] = {str(i): name for i, name in enumerate(label["names"])}
    return feature


def _yaml_feature(feature: Feature) -> dict[str, Any]:
    rest = {k: v for k, v in feature.items() if k != "_type"}
    kind = feature.get("_type")
    if kind == "List":
        return _yaml_simplified({"list": _yaml_feature(rest.pop("feature")), **rest})
    if kind == "Value":
        return rest
    if kind == "ClassLabel":
        return {"dtype": _yaml_simplified({"class_label": rest})}
    if kind is None:
        return {"struct": [{"name": name, **_yaml_feature(f)} for name, f in feature.items()]}
    raise ValueError(f"no YAML form for feature {feature!r}")


def yaml_features(features: dict[str, Feature]) -> list[dict[str, Any]]:
    """The ``features`` of a config's ``dataset_info`` in a card's YAML front matter (what
    ``datasets.Features._to_yaml_list`` gives): ``[{"name": ..., "dtype": ...}, ...]``."""
    return list(_yaml_feature(features)["struct"])


def type_label(feature: Feature) -> str:
    """A column type as the card's data-fields table shows it."""
    kind = feature.get("_type")
    if kind is None:
        return "struct"
    if kind == "ClassLabel":
        return "ClassLabel: " + ", ".join(f"{i} {n}" for i, n in enumerate(feature["names"]))
    if kind == "Value":
        return str(feature["dtype"])
    if kind == "List":
        return f"list of {type_label(feature['feature'])}"
    return str(kind)


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
