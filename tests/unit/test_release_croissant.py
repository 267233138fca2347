"""croissant.json as a Croissant reader sees it: Croissant 1.1 with the RAI properties of the
datasheet, a split record set, label enumerations, the homepage as `url`, FileSets bound to
the hashed files, and every record set iterated by mlcroissant with the manifest's counts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from newscorpus.annotate.agreement import analysis_text
from newscorpus.release.writer import build_release
from newscorpus.workspace import Workspace
from tests.conftest import REPO, copy_sample_workspace

pytestmark = [
    # rdflib (used by mlcroissant) warns about its own deprecated class; not ours to fix
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.reset_index"),
]


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("croissant")
    return build_release(Workspace.open(REPO), "0.9.0", "2026-11-26", out, previous=None).path


def doc(release: Path) -> dict[str, Any]:
    return json.loads((release / "croissant.json").read_text(encoding="utf-8"))


def manifest(release: Path) -> dict[str, Any]:
    return json.loads((release / "manifest.json").read_text(encoding="utf-8"))


def dataset(path: Path) -> Any:
    import mlcroissant as mlc

    return mlc.Dataset(jsonld=path)


def test_conforms_to_croissant_1_1_with_rai_fields_from_the_datasheet(release: Path) -> None:
    d = doc(release)
    assert d["conformsTo"] == "http://mlcommons.org/croissant/1.1"
    sheet = Workspace.open(REPO).config.datasheet
    assert d["rai:dataCollection"] == sheet["collection"]
    assert d["rai:dataBiases"] == [sheet["biases"]]
    assert d["rai:dataLimitations"] == [sheet["limitations"]]
    assert d["rai:dataUseCases"] == [sheet["uses"]]
    assert d["rai:personalSensitiveInformation"] == [sheet["personal_information"]]
    assert d["rai:dataAnnotationProtocol"] == [sheet["annotation"]]
    assert d["rai:dataReleaseMaintenancePlan"] == sheet["maintenance"]
    agreement = manifest(release)["agreement"]
    assert d["rai:dataAnnotationAnalysis"] == [analysis_text(agreement)]  # the CLI's figures
    assert f"{agreement['double_annotated']} articles labelled" in d["rai:dataAnnotationAnalysis"][0]
    meta = dataset(release / "croissant.json").metadata
    assert meta.data_biases == [sheet["biases"]]
    assert meta.personal_sensitive_information == [sheet["personal_information"]]
    assert meta.data_use_cases == [sheet["uses"]]
    dates = sorted(d for s in manifest(release)["split_stats"].values()
                   for d in (s["first_date"], s["last_date"]))
    assert [t.date().isoformat() for t in meta.data_collection_timeframe] == [dates[0], dates[-1]]


def test_in_language_lists_the_articles_languages(release: Path) -> None:
    import pyarrow.parquet as pq

    tags = {t for f in (release / "data/default").glob("*.parquet")
            for t in pq.read_table(f, columns=["language"]).column("language").to_pylist()}
    assert doc(release)["inLanguage"] == sorted(tags) == ["ar", "el", "en", "fr", "ja"]
    assert dataset(release / "croissant.json").metadata.in_language == sorted(tags)


def test_url_is_the_homepage_never_the_licence(release: Path, tmp_path: Path) -> None:
    d = doc(release)
    assert "url" not in d  # the sample has no homepage
    assert d["license"] == "https://spdx.org/licenses/CC-BY-4.0.html"
    root = copy_sample_workspace(tmp_path / "ws")
    config = root / "newscorpus.yaml"
    text = config.read_text(encoding="utf-8").replace("homepage: null",
                                                      "homepage: https://corpus.example/news")
    config.write_text(text, encoding="utf-8")
    shutil.copytree(REPO / "articles", root / "articles")
    built = build_release(Workspace.open(root), "0.9.0", "2026-11-26", tmp_path / "out",
                          previous=None).path
    assert doc(built)["url"] == "https://corpus.example/news"


def test_every_record_set_iterates_with_the_manifest_counts(release: Path) -> None:
    ds, m = dataset(release / "croissant.json"), manifest(release)
    counts = {"default": m["counts"]["articles"], "entities": m["counts"]["entities"],
              "quotes": m["counts"]["quotes"], "stances": m["counts"]["stances"],
              "annotations": m["counts"]["annotations"]}
    for config, n in counts.items():
        records = list(ds.records(record_set=config))
        assert len(records) == n, config
        by_split: dict[str, int] = {}
        for r in records:
            split = r[f"{config}/split"].decode()
            by_split[split] = by_split.get(split, 0) + 1
        assert by_split == {k: v["rows"] for k, v in m["configs"][config]["splits"].items()
                            if v["rows"]}, config
    for split, stats in m["split_stats"].items():  # mlcroissant's split filter
        train = list(ds.records(record_set="entities", filters={"entities/split": split}))
        assert len(train) == stats["entities"], split


def test_split_record_set_and_label_enumerations(release: Path) -> None:
    from datasets import load_dataset

    ds = dataset(release / "croissant.json")
    splits = [r["splits/name"] for r in ds.records(record_set="splits")]
    assert splits == ["train", "validation", "test"]
    record_sets = {rs["@id"]: rs for rs in doc(release)["recordSet"]}
    assert record_sets["splits"]["dataType"] == "cr:Split"
    loaded = load_dataset(str(release), "stances", split="train")
    for config, column in (("stances", "stance"), ("stances", "target"), ("entities", "label"),
                           ("quotes", "kind")):
        enum = f"labels-{config}-{column}"
        assert record_sets[enum]["dataType"] == "sc:Enumeration"
        names = [r[f"{enum}/name"] for r in ds.records(record_set=enum)]
        field = next(f for f in record_sets[config]["field"] if f["name"] == column)
        assert f"`{enum}`" in field["description"]
        if config == "stances":
            assert names == loaded.features[column].names
    assert [r["labels-entities-label/name"] for r in ds.records(record_set="labels-entities-label")] \
        == ["PERSON", "ORG", "GPE", "LOC", "EVENT", "NORP", "MISC"]
    nested = next(f for f in record_sets["default"]["field"] if f["name"] == "entities")
    label = next(f for f in nested["subField"] if f["name"] == "label")
    assert "`labels-entities-label`" in label["description"]


def test_file_sets_are_bound_to_the_hashed_files(release: Path, tmp_path: Path) -> None:
    d, m = doc(release), manifest(release)
    objects = {o["contentUrl"]: o["sha256"] for o in d["distribution"] if o["@type"] == "cr:FileObject"}
    for config, spec in m["configs"].items():
        file_set = next(o for o in d["distribution"] if o["@id"] == f"{config}-parquet")
        files = sorted(f["path"] for s in spec["splits"].values() for f in s["files"])
        assert file_set["includes"] == files
        assert all(objects[p] == f["sha256"] for s in spec["splits"].values() for f in s["files"]
                   for p in [f["path"]])
    # a Parquet file planted beside the release's files is not read (a glob would read it)
    copy = tmp_path / "copy"
    shutil.copytree(release, copy)
    shutil.copy(copy / "data/entities/train-00000-of-00001.parquet",
                copy / "data/entities/train-00000-of-00002.parquet")
    assert len(list(dataset(copy / "croissant.json").records(record_set="entities"))) == \
        m["counts"]["entities"]


def test_swapped_files_are_caught(release: Path, tmp_path: Path) -> None:
    from newscorpus.release.verify import verify_release

    copy = tmp_path / "copy"
    shutil.copytree(release, copy)
    a, b = (copy / f"data/entities/{split}-00000-of-00001.parquet" for split in ("train", "test"))
    a_bytes = a.read_bytes()
    a.write_bytes(b.read_bytes())
    b.write_bytes(a_bytes)
    problems = [p for p in verify_release(copy, reload=False).problems if p.rule == "croissant"]
    assert {p.pointer for p in problems} == {
        "/distribution/data/entities/train-00000-of-00001.parquet",
        "/distribution/data/entities/test-00000-of-00001.parquet"}


def test_sharded_splits_iterate_and_filter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newscorpus.release import parquet

    monkeypatch.setattr(parquet, "ROW_GROUP_SIZE", 2)
    built = build_release(Workspace.open(REPO), "0.9.0", "2026-11-26", tmp_path, previous=None,
                          shard_rows=5).path
    m = manifest(built)
    assert len(m["configs"]["default"]["splits"]["train"]["files"]) > 1
    ds = dataset(built / "croissant.json")
    for config in ("default", "entities"):
        for split, spec in m["configs"][config]["splits"].items():
            got = list(ds.records(record_set=config, filters={f"{config}/split": split}))
            assert len(got) == spec["rows"], (config, split)
