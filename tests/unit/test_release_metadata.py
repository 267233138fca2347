"""What a release says about itself: card YAML and datasheet, figures, CITATION.cff (valid CFF
1.2.0), croissant.json (validated by mlcroissant), .zenodo.json, and every config loading
with `datasets` with its ClassLabel names."""

from __future__ import annotations

import json
import os
from pathlib import Path

import datasets
import jsonschema
import pytest
import yaml

from newscorpus.release.writer import build_release
from newscorpus.workspace import Workspace
from tests.conftest import REPO

CFF_SCHEMA = REPO / "tests" / "fixtures" / "cff-1.2.0.schema.json"
CONFIGS = {"default", "entities", "quotes", "stances", "annotations"}


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample built as a first release (annotators config on, two annotators)."""
    out = tmp_path_factory.mktemp("sample")
    return build_release(Workspace.open(REPO), "0.9.0", "2026-11-26", out, previous=None).path


def front(release: Path) -> dict:
    return yaml.safe_load((release / "README.md").read_text(encoding="utf-8").split("---\n")[1])


def test_card_yaml_has_the_hub_fields(release: Path) -> None:
    meta = front(release)
    assert meta["license"] == "cc-by-4.0" and meta["pretty_name"]
    assert meta["language"] == ["ar", "el", "en", "fr", "ja"]
    assert meta["task_categories"] == ["token-classification", "text-classification"]
    assert meta["size_categories"] == ["n<1K"]
    assert {c["config_name"] for c in meta["configs"]} == CONFIGS
    info = {i["config_name"]: i for i in meta["dataset_info"]}
    assert set(info) == CONFIGS
    manifest = json.loads((release / "manifest.json").read_text())
    for name, spec in manifest["configs"].items():
        assert {s["name"]: s["num_examples"] for s in info[name]["splits"]} == {
            k: v["rows"] for k, v in spec["splits"].items() if v["rows"]}
        assert info[name]["download_size"] == sum(
            f["bytes"] for s in spec["splits"].values() for f in s["files"])
    label = next(f for f in info["entities"]["features"] if f["name"] == "label")
    assert label["dtype"]["class_label"]["names"]["0"] == "PERSON"


def test_card_has_datasheet_sections_and_figures(release: Path) -> None:
    card = (release / "README.md").read_text(encoding="utf-8")
    for section in ("## Motivation", "## Composition", "## Collection process",
                    "## Annotation process", "## Splits", "## Biases and limitations",
                    "## Maintenance", "## Cite"):
        assert section in card
    assert "3 articles were labelled by more than one annotator" in card
    assert "stance Cohen's kappa" in card
    for name in ("articles_per_month", "articles_per_source", "label_distribution"):
        assert f"(figures/{name}.png)" in card
        png = (release / "figures" / f"{name}.png").read_bytes()
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and b"Software" not in png


def test_figures_are_byte_identical_across_processes(release: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    stats = json.dumps(json.loads((release / "manifest.json").read_text())["split_stats"])
    code = ("import json,sys,hashlib\nfrom newscorpus.release.figures import render_figures\n"
            "s={'months':[['2025-06',3],['2026-01',1]],'sources':[['北浜日報',2],['Courier',1]],"
            "'labels':{'entities':[['PERSON',4]],'stances':[['t','favor',2]]}}\n"
            "print(json.dumps({k: hashlib.sha256(v).hexdigest() for k,v in render_figures(s).items()}))")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout
            for seed in (1, 2)]
    assert runs[0] == runs[1] and stats


def test_citation_cff_is_valid_cff_1_2_0(release: Path) -> None:
    schema = json.loads(CFF_SCHEMA.read_text())
    doc = yaml.safe_load((release / "CITATION.cff").read_text())
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(doc)
    assert doc["version"] == "0.9.0" and doc["date-released"] == "2026-11-26"
    assert doc["type"] == "dataset"


def test_cff_schema_rejects_a_broken_citation() -> None:
    schema = json.loads(CFF_SCHEMA.read_text())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"cff-version": "1.2.0", "title": "x"}, schema)  # no authors


# rdflib (used by mlcroissant) warns about its own deprecated class; not ours to fix
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.reset_index")
def test_croissant_validates_with_mlcroissant(release: Path) -> None:
    import mlcroissant as mlc

    doc = json.loads((release / "croissant.json").read_text())
    assert doc["conformsTo"] == "http://mlcommons.org/croissant/1.1"
    files = {d["contentUrl"]: d["sha256"] for d in doc["distribution"] if d["@type"] == "cr:FileObject"}
    sums = dict(reversed(line.split("  ")) for line in (release / "SHA256SUMS").read_text().splitlines())
    assert files == {k: v for k, v in sums.items() if k != "croissant.json"}
    dataset = mlc.Dataset(jsonld=release / "croissant.json")
    assert dataset.metadata.version == "0.9.0"
    assert {rs.name for rs in dataset.metadata.record_sets} >= CONFIGS
    entities = list(dataset.records(record_set="entities"))
    manifest = json.loads((release / "manifest.json").read_text())
    assert len(entities) == manifest["counts"]["entities"]


def test_zenodo_json(release: Path) -> None:
    doc = json.loads((release / ".zenodo.json").read_text())
    assert doc["upload_type"] == "dataset" and doc["version"] == "0.9.0"
    assert doc["publication_date"] == "2026-11-26" and doc["license"] == "cc-by-4.0"
    assert doc["creators"] == [{"name": "newscorpus developers"}]


@pytest.mark.parametrize("config", sorted(CONFIGS))
def test_every_config_loads_with_class_labels(release: Path, config: str, tmp_path: Path) -> None:
    ds = datasets.load_dataset(str(release), config, cache_dir=str(tmp_path))
    manifest = json.loads((release / "manifest.json").read_text())
    assert {k: v.num_rows for k, v in ds.items()} == {
        k: v["rows"] for k, v in manifest["configs"][config]["splits"].items() if v["rows"]}
    features = ds["train"].features
    if config == "entities":
        assert features["label"].names[:3] == ["PERSON", "ORG", "GPE"]
        row = ds["train"][0]
        assert features["label"].int2str(row["label"]) in features["label"].names
    elif config == "stances":
        assert features["stance"].names == ["favor", "against", "neutral", "none"]
    elif config == "quotes":
        assert features["kind"].names == ["direct", "indirect"]
    elif config == "annotations":
        assert len(set(ds["train"]["annotator"]) | set(ds["test"]["annotator"])) == 2
    else:
        assert features["entities"].feature["label"].names[0] == "PERSON"


def test_flattened_configs_agree_with_default(release: Path, tmp_path: Path) -> None:
    default = datasets.load_dataset(str(release), cache_dir=str(tmp_path))
    entities = datasets.load_dataset(str(release), "entities", cache_dir=str(tmp_path))
    for split in default:
        nested = sorted((r["id"], i, e["start"], e["end"], e["label"]) for r in default[split]
                        for i, e in enumerate(r["entities"]))
        flat = sorted((r["article_id"], r["index"], r["start"], r["end"], r["label"])
                      for r in entities[split]) if split in entities else []
        assert nested == flat
        texts = {r["id"]: r["text"] for r in default[split]}
        for r in entities.get(split, []):
            assert texts[r["article_id"]][r["start"]:r["end"]] == r["text"]
