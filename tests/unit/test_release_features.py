"""The release's features as plain data, checked against `datasets` itself: the feature
dicts, the Arrow schemas (types and ``huggingface`` metadata bytes), the card's
``dataset_info`` entries and data-fields types are what `datasets` gives for the same
features, for every config, for the sample workspace's labels and for other labels; and a
release build does not import `datasets` (pandas it may: pyarrow imports it on its own)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from newscorpus.release import card, features
from newscorpus.release.features import config_features
from newscorpus.release.tables import Schemas
from newscorpus.workspace import LabelSet, Workspace
from tests.conftest import REPO, copy_sample_workspace

OTHER = LabelSet(("PERSON", "ÉVÉNEMENT", "WORK_OF_ART"), ("ök target \"q\"", "人名", "x"),
                 ("pro", "contra"))


def label_sets() -> list[LabelSet]:
    return [Workspace.open(REPO).config.labels, OTHER]


def oracle_features(labels: LabelSet) -> dict[str, Any]:
    """Every config's features made with `datasets` classes (what the build made before)."""
    from datasets import ClassLabel, Features, List, Value

    string, int32 = Value("string"), Value("int32")

    def label(names: tuple[str, ...]) -> ClassLabel:
        return ClassLabel(names=list(names))

    entity = {"start": int32, "end": int32, "text": string, "label": label(labels.entities)}
    quote = {"start": int32, "end": int32, "text": string, "kind": label(features.QUOTE_KINDS),
             "speaker_start": int32, "speaker_end": int32, "speaker_text": string,
             "speaker_entity": int32, "cue_start": int32, "cue_end": int32, "cue_text": string}
    stance = {"holder_type": label(features.HOLDER_TYPES), "holder_index": int32,
              "target": label(labels.stance_targets), "stance": label(labels.stances)}
    span = {"article_id": string, "index": int32, "start": int32, "end": int32, "text": string}
    article = {name: List(string) if name == "authors" else string
               for name in features.ARTICLE_COLUMNS}
    return {
        "default": Features({
            **article,
            "blocks": List({"kind": label(features.BLOCK_KINDS), "start": int32, "end": int32}),
            "credits": List({"role": label(features.CREDIT_ROLES), "name": string, "block": int32}),
            "entities": List(entity), "quotes": List(quote), "stances": List(stance),
            "annotators": List(string), "duplicate_group": string}),
        "entities": Features({**span, "label": label(labels.entities)}),
        "quotes": Features({**span, **{k: v for k, v in quote.items()
                                       if k not in ("start", "end", "text")}}),
        "stances": Features({"article_id": string, "index": int32,
                             "holder_type": label(features.HOLDER_TYPES), "holder_index": int32,
                             "holder_text": string, "target": label(labels.stance_targets),
                             "stance": label(labels.stances)}),
        "annotations": Features({"id": string, "article_id": string, "annotator": string,
                                 "ground_truth": Value("bool"), "entities": List(entity),
                                 "quotes": List(quote), "stances": List(stance)}),
    }


def oracle_schema(feats: Any) -> Any:
    """The Arrow schema `datasets` gives, with its metadata in the portable form (lists as
    ``[feature]``), as the build made it before."""
    schema = feats.arrow_schema
    meta = json.loads(schema.metadata[b"huggingface"])
    meta["info"]["features"] = features._portable(meta["info"]["features"])
    return schema.with_metadata({**schema.metadata, b"huggingface": json.dumps(meta).encode()})


def oracle_type(feature: Any) -> str:
    from datasets import ClassLabel, Value

    if isinstance(feature, dict):
        return "struct"
    if isinstance(feature, ClassLabel):
        return "ClassLabel: " + ", ".join(f"{i} {n}" for i, n in enumerate(feature.names))
    if isinstance(feature, Value):
        return str(feature.dtype)
    inner = getattr(feature, "feature", None)
    return f"list of {oracle_type(inner)}" if inner is not None else type(feature).__name__


@pytest.mark.parametrize("labels", label_sets(), ids=["sample", "other"])
def test_feature_dicts_are_what_datasets_gives(labels: LabelSet) -> None:
    from datasets import Features

    ours, expected = config_features(labels), oracle_features(labels)
    assert list(ours) == list(expected)
    for name, feats in expected.items():
        assert ours[name] == feats.to_dict(), name
        assert json.dumps(ours[name]) == json.dumps(feats.to_dict()), name  # key order too
        assert Features.from_dict(ours[name]) == feats, name


@pytest.mark.parametrize("labels", label_sets(), ids=["sample", "other"])
def test_arrow_schemas_are_what_datasets_gives(labels: LabelSet) -> None:
    from datasets import Features

    schemas = Schemas.for_labels(labels)
    for name, feats in oracle_features(labels).items():
        ours, expected = schemas[name], oracle_schema(feats)
        assert ours.equals(expected, check_metadata=True), name
        assert list(ours) == list(expected), name  # names, types, nullability
        assert ours.metadata == expected.metadata, name  # the bytes of the metadata
        assert Features.from_arrow_schema(ours) == feats, name


@pytest.mark.parametrize("labels", label_sets(), ids=["sample", "other"])
def test_dataset_info_yaml_is_what_datasets_gives(labels: LabelSet) -> None:
    from datasets import DatasetInfo, SplitDict, SplitInfo

    expected_features = oracle_features(labels)
    splits = {"train": {"rows": 7, "arrow_bytes": 1234, "files": [{"bytes": 500}, {"bytes": 20}]},
              "validation": {"rows": 0, "arrow_bytes": 0, "files": []},
              "test": {"rows": 2, "files": [{"bytes": 90}]}}  # no arrow_bytes: 0
    manifest = {"configs": {name: {"splits": splits} for name in expected_features}}
    ours = card._dataset_info(manifest, config_features(labels))
    for entry, (name, feats) in zip(ours, expected_features.items(), strict=True):
        split_dict = SplitDict()
        for split, spec in splits.items():
            if spec["rows"]:
                split_dict.add(SplitInfo(name=split, num_bytes=spec.get("arrow_bytes", 0),
                                         num_examples=spec["rows"]))
        info = DatasetInfo(features=feats, splits=split_dict, download_size=610,
                           dataset_size=1234, config_name=name)
        expected = info._to_yaml_dict()
        assert entry == expected, name
        assert json.dumps(entry) == json.dumps(expected), name  # key order too
        assert features.yaml_features(config_features(labels)[name]) == feats._to_yaml_list()


@pytest.mark.parametrize("labels", label_sets(), ids=["sample", "other"])
def test_data_field_types_are_what_the_datasets_features_give(labels: LabelSet) -> None:
    ours = config_features(labels)
    for name, feats in oracle_features(labels).items():
        for column, feature in feats.items():
            assert features.type_label(ours[name][column]) == oracle_type(feature), (name, column)
            inner, mine = getattr(feature, "feature", None), features.list_item(ours[name][column])
            if isinstance(inner, dict):
                assert mine is not None and list(mine) == list(inner)
                for sub, f in inner.items():
                    assert features.type_label(mine[sub]) == oracle_type(f), (name, column, sub)
            else:
                assert mine is None or "_type" in mine, (name, column)


def test_a_release_build_does_not_import_datasets(tmp_path: Path) -> None:
    ws = copy_sample_workspace(tmp_path / "ws")
    code = (
        "import sys\n"
        "import newscorpus\n"
        f"ws = newscorpus.Workspace.open({str(ws)!r})\n"
        "newscorpus.convert([], workspace=ws)\n"
        "newscorpus.build_release(ws, '0.1.0', newscorpus.BuildOptions("
        "release_date='2026-12-01', first_release=True))\n"
        "print(sorted(m for m in ('datasets', 'huggingface_hub') if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=REPO, check=False)
    assert done.returncode == 0, done.stderr
    assert (ws / "releases" / "0.1.0").is_dir()
    assert done.stdout.strip().splitlines()[-1] == "[]"
