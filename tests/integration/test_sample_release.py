"""The committed sample release: verifies, loads with `datasets`, and is reproduced
byte for byte from the committed workspace (raw dumps -> articles -> release)."""

from __future__ import annotations

import shutil
from pathlib import Path

import datasets
import pytest

from newscorpus.convert.base import ConvertOptions
from newscorpus.convert.batch import convert_paths
from newscorpus.release.reproduce import reproduce_release
from newscorpus.release.verify import verify_release
from newscorpus.workspace import Workspace
from tests.conftest import REPO, copy_sample_workspace


def latest_release() -> Path:
    versions = [p for p in (REPO / "releases").iterdir() if p.is_dir()]
    return max(versions, key=lambda p: tuple(int(x) for x in p.name.split(".")))


def test_committed_release_verifies() -> None:
    report = verify_release(latest_release())
    assert report.valid, [str(p) for p in report.problems]


def test_load_dataset_gives_three_splits_with_class_labels(tmp_path: Path) -> None:
    ds = datasets.load_dataset(str(latest_release()), cache_dir=str(tmp_path))
    assert set(ds) == {"train", "validation", "test"}
    assert all(ds[name].num_rows > 0 for name in ds)
    entity = ds["train"].features["entities"].feature["label"]
    assert isinstance(entity, datasets.ClassLabel)
    assert entity.names == ["PERSON", "ORG", "GPE", "LOC", "EVENT", "NORP", "MISC"]
    stance = ds["train"].features["stances"].feature["stance"]
    assert stance.names == ["favor", "against", "neutral", "none"]
    row = next(r for r in ds["train"] if r["entities"])
    for e in row["entities"]:
        assert row["text"][e["start"]:e["end"]] == e["text"]


def test_committed_articles_are_what_the_raw_dumps_convert_to(tmp_path: Path) -> None:
    ws = Workspace.open(REPO)
    out = tmp_path / "articles.jsonl"
    report = convert_paths([ws.path("raw")], out, tmp_path / "q.jsonl",
                           ConvertOptions(profile_dirs=ws.profile_dirs))
    assert report.rejected == 0 and report.converted >= 20
    assert out.read_bytes() == (ws.articles_dir / "articles.jsonl").read_bytes()


def test_release_reproduces_from_a_fresh_workspace(tmp_path: Path) -> None:
    root = copy_sample_workspace(tmp_path / "ws")
    ws = Workspace.open(root)
    convert_paths([ws.path("raw")], ws.articles_dir / "articles.jsonl",
                  ws.path("quarantine") / "articles.jsonl",
                  ConvertOptions(profile_dirs=ws.profile_dirs))
    assert reproduce_release(ws, latest_release()) == []
    shutil.rmtree(root)


@pytest.mark.parametrize("missing", ["raw", "annotations"])
def test_sample_ships_in_the_package(missing: str) -> None:
    from importlib.resources import files

    assert any((Path(str(files("newscorpus"))) / "sample" / missing).iterdir())


def test_every_config_of_the_latest_release_loads(tmp_path: Path) -> None:
    import json

    release = latest_release()
    manifest = json.loads((release / "manifest.json").read_text())
    assert {"default", "entities", "quotes", "stances"} <= set(manifest["configs"])
    for config, spec in manifest["configs"].items():
        ds = datasets.load_dataset(str(release), config, cache_dir=str(tmp_path / config))
        assert {k: v.num_rows for k, v in ds.items()} == {
            k: v["rows"] for k, v in spec["splits"].items() if v["rows"]}


def test_releases_keep_their_splits_and_bumps_are_allowed() -> None:
    from newscorpus.release.diff import LEVELS, bump_of, diff_releases

    versions = sorted((p for p in (REPO / "releases").iterdir() if p.is_dir()),
                      key=lambda p: tuple(int(x) for x in p.name.split(".")))
    for old, new in zip(versions, versions[1:], strict=False):
        diff = diff_releases(old, new)
        bump = bump_of(old.name, new.name)
        assert bump is not None and LEVELS.index(bump) >= LEVELS.index(diff.required)
        assert diff.counts["articles_moved"] == 0, (old.name, new.name)
