"""Split policies: hash, time, source; duplicate groups never straddle; stability across
versions; config errors."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from newscorpus.errors import ConfigError, SemverError
from newscorpus.release import writer
from newscorpus.release.splits import SplitAssigner, split_of, time_split
from newscorpus.workspace import SplitPolicy, Workspace, load_config
from tests.unit.test_release import CONFIG, make_workspace

TIME = CONFIG.replace("""splits:
  strategy: hash
  ratios: {train: 0.5, validation: 0.25, test: 0.25}
  salt: tiny
""", """splits:
  strategy: time
  cuts: {train: null, validation: 2026-04-01, test: 2026-07-01}
""")
SOURCE = CONFIG.replace("strategy: hash", "strategy: source").replace(
    "salt: tiny", "salt: tiny\n  assign: {Elsewhere: test}")


def rows(path: Path, columns: tuple[str, ...] = ("id", "source", "published_at",
                                                   "duplicate_group")) -> list[dict]:
    out = []
    for f in sorted((path / "data" / "default").glob("*.parquet")):
        split = f.name.split("-")[0]
        out += [{**r, "split": split} for r in pq.read_table(f, columns=list(columns)).to_pylist()]
    return out


def test_hash_policy_matches_split_of(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws", 16, varied=True)
    path = writer.build_release(ws, "0.1.0", "2026-11-26").path
    ratios = ws.config.splits.ratios
    assert all(split_of(r["id"], ratios, "tiny") == r["split"] for r in rows(path))


def test_time_policy_cuts_by_publication_day(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws", 18, config=TIME, varied=True)
    path = writer.build_release(ws, "0.1.0", "2026-11-26").path
    got = rows(path)
    assert {r["split"] for r in got} == {"train", "validation", "test"}
    for r in got:
        day = r["published_at"][:10]
        expected = "train" if day < "2026-04-01" else "validation" if day < "2026-07-01" else "test"
        assert r["split"] == expected, r
    manifest = json.loads((path / "manifest.json").read_text())
    assert manifest["split_policy"] == {"strategy": "time", "undated": "train", "cuts": {
        "train": None, "validation": "2026-04-01", "test": "2026-07-01"}}
    stats = manifest["split_stats"]
    assert stats["validation"]["first_date"] >= "2026-04-01"
    assert stats["train"]["last_date"] < "2026-04-01"
    card = (path / "README.md").read_text()
    assert "Strategy `time`" in card and "validation from 2026-04-01 until 2026-07-01" in card


def test_time_split_undated_and_boundaries() -> None:
    policy = SplitPolicy("time", (), "", (("old", None), ("new", "2026-01-01")), None)
    assert time_split(None, policy) == "old"
    assert time_split("2025-12-31T23:59:00+00:00", policy) == "old"
    assert time_split("2026-01-01T00:00:00-05:00", policy) == "new"
    assert time_split(None, SplitPolicy("time", (), "", policy.cuts, "new")) == "new"


def test_source_policy_keeps_sources_disjoint(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws", 10, config=SOURCE, varied=True)
    # a second outlet: rewrite the source of some articles (text unchanged)
    path = ws.articles_dir / "articles.jsonl"
    lines = path.read_text().splitlines()
    records = [json.loads(line) for line in lines]
    for r in records[::2]:
        if r["origin"]["path"] != "dump-00.txt":
            r["source"] = "Elsewhere"
    path.write_text("".join(json.dumps(r, sort_keys=True) + "\n" for r in records))
    built = writer.build_release(ws, "0.1.0", "2026-11-26", use_cache=False).path
    by_source: dict[str, set[str]] = {}
    for r in rows(built):
        by_source.setdefault(r["source"], set()).add(r["split"])
    assert all(len(splits) == 1 for splits in by_source.values())
    assert by_source["Elsewhere"] == {"test"}


def test_groups_never_straddle_and_take_previous_splits() -> None:
    policy = SplitPolicy("hash", (("train", 0.5), ("test", 0.5)), "s")
    groups = [{"id": "g1", "members": ["a", "b", "c"], "kinds": ["near"]}]
    fresh = SplitAssigner(policy, groups)
    assert len({fresh.split(m) for m in "abc"}) == 1
    assert fresh.split("a") == split_of("a", policy.ratios, "s")  # the group's first member
    # "b" was published in test: the whole group follows it; others keep theirs
    kept = SplitAssigner(policy, groups, {"b": "test", "z": "train", "gone": "nowhere"})
    assert {kept.split(m) for m in "abc"} == {"test"}
    assert kept.split("z") == "train"


def test_time_groups_use_their_earliest_date() -> None:
    policy = SplitPolicy("time", (), "", (("train", None), ("test", "2026-01-01")), None)
    groups = [{"id": "g1", "members": ["a", "b"], "kinds": ["near"]}]
    assigner = SplitAssigner(policy, groups)
    assert assigner.needs_group_info
    assigner.add_group_info("a", "X", "2026-03-01T00:00:00+00:00")
    assigner.add_group_info("b", "X", "2025-03-01T00:00:00+00:00")
    assert assigner.split("a", "X", "2026-03-01T00:00:00+00:00") == "train"
    assert assigner.split("b") == "train"


def test_near_duplicates_stay_in_one_split_in_a_release(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws", 12)  # not varied: the dumps are near duplicates
    groups = writer.load_groups(ws.articles_dir)
    assert groups
    path = writer.build_release(ws, "0.1.0", "2026-11-26").path
    got = {r["id"]: r for r in rows(path)}
    for g in groups:
        assert len({got[m]["split"] for m in g["members"]}) == 1
        assert {got[m]["duplicate_group"] for m in g["members"]} == {g["id"]}
    manifest = json.loads((path / "manifest.json").read_text())
    assert manifest["duplicate_groups"] == len(groups)


def test_reshuffle_requires_a_major_release(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws", 16, varied=True)
    writer.build_release(ws, "0.1.0", "2026-11-26")
    cfg = ws.root / "newscorpus.yaml"
    cfg.write_text(cfg.read_text().replace("salt: tiny", "salt: other"))
    ws = Workspace.open(ws.root)
    same = writer.build_release(ws, "0.1.1", "2026-11-27")  # previous splits kept: PATCH
    assert same.manifest["semver"]["required"] == "patch"
    with pytest.raises(SemverError, match="require MAJOR"):
        writer.build_release(ws, "0.2.0", "2026-11-27", reshuffle=True)
    major = writer.build_release(ws, "1.0.0", "2026-11-27", reshuffle=True)
    assert "moved to another split" in " ".join(major.manifest["semver"]["reasons"]["major"])


@pytest.mark.parametrize(("splits", "message"), [
    ("{strategy: random}", "not supported (supported: hash, time, source)"),
    ("{strategy: time, cuts: {a: null}}", "at least two splits"),
    ("{strategy: time, cuts: {a: 2020-01-01, b: 2021-01-01}}", "first split (a) has no start"),
    ("{strategy: time, cuts: {a: null, b: 2021-01-01, c: 2020-01-01}}", "increasing date order"),
    ("{strategy: time, cuts: {a: null, b: soon}}", "must be a date"),
    ("{strategy: time, cuts: {a: null, b: 2021-01-01}, undated: c}", "splits.undated"),
    ("{strategy: hash, assign: {X: train}}", "only for strategy 'source'"),
    ("{strategy: source, assign: {X: dev}}", "splits.assign must map sources"),
])
def test_bad_split_policies(tmp_path: Path, splits: str, message: str) -> None:
    path = tmp_path / "newscorpus.yaml"
    path.write_text(f"name: x\nlicense: MIT\nsplits: {splits}\n")
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_config(path)


def test_bad_release_options(tmp_path: Path) -> None:
    path = tmp_path / "newscorpus.yaml"
    path.write_text("name: x\nlicense: MIT\nrelease: {text: maybe}\n")
    with pytest.raises(ConfigError, match="true or false"):
        load_config(path)
