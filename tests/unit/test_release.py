"""Release writer, verify and reproduce on a small workspace written here."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newscorpus.convert.batch import convert_paths
from newscorpus.errors import InvalidRecordsError, ReleaseExistsError
from newscorpus.records import Annotation, Entity, Holder, Quote, Span, Stance, write_jsonl
from newscorpus.release import writer
from newscorpus.release.reproduce import reproduce_release
from newscorpus.release.splits import split_of
from newscorpus.release.verify import verify_release
from newscorpus.text import find_span
from newscorpus.workspace import Workspace

CONFIG = """name: tiny
license: CC-BY-4.0
labels:
  entities: [PERSON, ORG, GPE]
  stance_targets: [river-dam]
splits:
  strategy: hash
  ratios: {train: 0.5, validation: 0.25, test: 0.25}
  salt: tiny
"""
DUMP = """Dam vote {n} delayed in İzmir
The council waits for a report.
2026-0{m}-1{n}

"We need more time," Mayor Ana Duru said on Monday.

The river-dam plan costs 👩‍🔬 money.
"""


WORDS = ("harbour", "council", "ferry", "budget", "river", "tram", "school", "bridge", "grain",
         "flood", "quota", "levy", "audit", "survey", "hearing", "deadline", "report", "market")


def filler(i: int, words: int = 60) -> str:
    """A paragraph of ``words`` words that differs from article to article (so that articles
    are not near duplicates of each other)."""
    import random

    rng = random.Random(i)
    return " ".join(f"{rng.choice(WORDS)}{rng.randrange(1000)}" for _ in range(words)) + "."


def make_workspace(root: Path, n: int = 12, config: str = CONFIG, varied: bool = False) -> Workspace:
    """A small workspace: ``n`` page dumps converted, the first article (by id) annotated.
    With ``varied``, every article gets its own filler paragraph (no near duplicates)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "newscorpus.yaml").write_text(config)
    raw = root / "raw"
    raw.mkdir(exist_ok=True)
    for i in range(n):
        extra = f"\n{filler(i)}\n" if varied else ""
        (raw / f"dump-{i:02d}.txt").write_text(DUMP.format(n=i % 10, m=1 + i % 9) + f"\nNo. {i}.\n"
                                               + extra)
    report = convert_paths([raw], root / "articles" / "articles.jsonl", root / "quarantine" / "q.jsonl")
    assert report.converted == n
    records = [orjson.loads(line) for line in
               (root / "articles" / "articles.jsonl").read_bytes().splitlines()]
    first = next(r for r in records if r["origin"]["path"] == "dump-00.txt")
    text = first["text"]
    mayor, said = find_span(text, "Ana Duru"), find_span(text, "said")
    quote = find_span(text, "We need more time,")
    annotation = Annotation(
        id=f"{first['id']}:a1", article_id=first["id"], text_sha256=first["text_sha256"],
        annotator="a1", origin="sample", ground_truth=True,
        entities=[Entity("e1", *mayor, "Ana Duru", "PERSON"),
                  Entity("e2", *find_span(text, "İzmir"), "İzmir", "GPE")],
        quotes=[Quote("q1", *quote, text[quote[0]:quote[1]], "direct", Span(*mayor, "Ana Duru"), "e1",
                      Span(*said, "said"))],
        stances=[Stance("s1", Holder("quote", "q1"), "river-dam", "against"),
                 Stance("s2", Holder("article"), "river-dam", "neutral")])
    (root / "annotations").mkdir(exist_ok=True)
    write_jsonl(root / "annotations" / "gold.jsonl", [annotation.to_dict()])
    return Workspace.open(root)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return make_workspace(tmp_path / "ws")


def build(ws: Workspace, version: str = "0.1.0", out: Path | None = None) -> Path:
    return writer.build_release(ws, version, "2026-11-26", out).path


def test_build_layout_and_manifest(ws: Workspace) -> None:
    path = build(ws)
    manifest = json.loads((path / "manifest.json").read_text())
    splits = manifest["configs"]["default"]["splits"]
    assert sum(s["rows"] for s in splits.values()) == 12
    assert all(s["rows"] > 0 for s in splits.values())
    assert manifest["counts"]["entities"] == 2 and manifest["counts"]["quotes"] == 1
    assert set(manifest["configs"]) == {"default", "entities", "quotes", "stances"}
    assert manifest["split_stats"]["train"]["articles"] == splits["train"]["rows"]
    names = sorted(p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file())
    data = [f["path"] for c in manifest["configs"].values() for s in c["splits"].values()
            for f in s["files"]]
    assert names == sorted(["CITATION.cff", "README.md", "SHA256SUMS", "manifest.json",
                            "CHANGELOG.md", "croissant.json", ".zenodo.json",
                            "figures/articles_per_month.png", "figures/articles_per_source.png",
                            "figures/label_distribution.png"] + data)
    assert {f"data/default/{s}-00000-of-00001.parquet" for s in splits} <= set(data)
    card = (path / "README.md").read_text()
    assert card.startswith("---\n") and "config_name: default" in card
    assert "cff-version: 1.2.0" in (path / "CITATION.cff").read_text()


def test_labels_are_class_labels_with_names(ws: Workspace) -> None:
    path = build(ws)
    [row] = [r for f in (path / "data" / "default").glob("*.parquet")
             for r in pq.read_table(f).to_pylist() if r["entities"]]
    meta = json.loads(pq.read_schema(next((path / "data" / "default").glob("*.parquet")))
                      .metadata[b"huggingface"])
    names = meta["info"]["features"]["entities"][0]["label"]["names"]  # a list: [feature]
    assert [names[e["label"]] for e in row["entities"]] == ["PERSON", "GPE"]
    [quote] = row["quotes"]
    assert row["text"][quote["start"]:quote["end"]] == quote["text"]
    assert row["entities"][quote["speaker_entity"]]["text"] == quote["speaker_text"] == "Ana Duru"
    assert [s["holder_index"] for s in row["stances"]] == [0, None]


def test_rebuild_is_byte_identical(ws: Workspace, tmp_path: Path) -> None:
    a = build(ws, out=tmp_path / "a")
    b = build(ws, out=tmp_path / "b")
    assert (a / "SHA256SUMS").read_bytes() == (b / "SHA256SUMS").read_bytes()
    assert reproduce_release(ws, a) == []


@pytest.mark.parametrize("threshold, pool", [(0, "jemalloc"), (1 << 40, None)])
def test_a_large_build_takes_arrow_memory_from_jemalloc_then_gives_the_pool_back(
        ws: Workspace, monkeypatch: pytest.MonkeyPatch, threshold: int, pool: str | None) -> None:
    seen: list[str] = []
    default = writer.Tables.default

    def spy(self: writer.Tables, batch: pa.RecordBatch) -> pa.Table:
        seen.append(pa.default_memory_pool().backend_name)
        return default(self, batch)

    monkeypatch.setattr(writer.Tables, "default", spy)
    monkeypatch.setattr(writer, "RETURN_MEMORY_BYTES", threshold)
    before = pa.default_memory_pool().backend_name
    build(ws)
    # Over the threshold jemalloc (pyarrow's Linux wheels have it); under it, the default pool.
    assert seen and set(seen) == {pool or before}
    assert pa.default_memory_pool().backend_name == before


def test_existing_version_is_never_overwritten(ws: Workspace) -> None:
    path = build(ws)
    before = (path / "SHA256SUMS").read_bytes()
    with pytest.raises(ReleaseExistsError, match="immutable"):
        build(ws)
    assert (path / "SHA256SUMS").read_bytes() == before


def test_a_crash_leaves_no_half_release(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(folder: Path) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(writer, "_write_checksums", crash)
    with pytest.raises(OSError, match="disk full"):
        build(ws)
    assert list(ws.releases_dir.iterdir()) == []
    monkeypatch.undo()
    assert build(ws).is_dir()


def membership(path: Path) -> dict[str, str]:
    return {r["id"]: f.name.split("-")[0] for f in (path / "data" / "default").glob("*.parquet")
            for r in pq.read_table(f, columns=["id"]).to_pylist()}


def test_splits_are_stable_when_the_corpus_grows(tmp_path: Path) -> None:
    small = make_workspace(tmp_path / "small", 12, varied=True)
    large = make_workspace(tmp_path / "large", 30, varied=True)
    assert writer.load_groups(large.articles_dir) == []
    first = build(small)
    grown = writer.build_release(large, "0.2.0", "2026-11-27", previous=first)
    before, after = membership(first), membership(grown.path)
    assert before.items() <= after.items()
    assert grown.manifest["semver"]["required"] == "minor"
    ratios = (("train", 0.5), ("validation", 0.25), ("test", 0.25))
    assert all(split_of(i, ratios, "tiny") == s for i, s in after.items())


def _rewrite_first_article(ws: Workspace, change) -> None:  # type: ignore[no-untyped-def]
    """Rewrite the annotated article (the one converted from dump-00.txt)."""
    path = ws.articles_dir / "articles.jsonl"
    lines = path.read_bytes().splitlines()
    row = next(i for i, line in enumerate(lines)
               if orjson.loads(line)["origin"]["path"] == "dump-00.txt")
    record = orjson.loads(lines[row])
    change(record)
    lines[row] = orjson.dumps(record, option=orjson.OPT_SORT_KEYS)
    path.write_bytes(b"\n".join(lines) + b"\n")


def test_invalid_record_never_reaches_a_release(ws: Workspace) -> None:
    _rewrite_first_article(ws, lambda r: r.update(language="English"))
    with pytest.raises(InvalidRecordsError) as info:
        build(ws)
    [problem] = info.value.report.problems  # type: ignore[attr-defined]
    assert problem.pointer == "/language" and ".jsonl:" in problem.location
    assert not (ws.releases_dir / "0.1.0").exists()


def test_stale_annotation_stops_the_build(ws: Workspace) -> None:
    from newscorpus.text import sha256_text

    def edit(record: dict) -> None:
        record["text"] = record["text"].replace("Monday", "Friday")
        record["text_sha256"] = sha256_text(record["text"])

    _rewrite_first_article(ws, edit)
    with pytest.raises(InvalidRecordsError) as info:
        build(ws)
    [problem] = info.value.report.problems  # type: ignore[attr-defined]
    assert problem.rule == "stale" and problem.record_id.endswith(":a1")


def test_offset_mismatch_stops_the_build(ws: Workspace) -> None:
    path = ws.annotations_dir / "gold.jsonl"
    record = orjson.loads(path.read_bytes())
    record["entities"][0]["start"] += 1
    path.write_bytes(orjson.dumps(record) + b"\n")
    with pytest.raises(InvalidRecordsError) as info:
        build(ws)
    problems = info.value.report.problems  # type: ignore[attr-defined]
    assert [(p.pointer, p.rule) for p in problems] == [("/entities/0", "offsets")]


def test_verify_passes_then_catches_a_flipped_byte_in_any_file(ws: Workspace) -> None:
    path = build(ws)
    assert verify_release(path).valid
    files = sorted(p for p in path.rglob("*") if p.is_file())
    assert len(files) >= 15 and any(p.name == ".zenodo.json" for p in files)
    for target in files:
        name = target.relative_to(path).as_posix()
        original = target.read_bytes()
        for where in (0, len(original) // 2, len(original) - 1):
            flipped = bytearray(original)
            flipped[where] ^= 0x01
            target.write_bytes(bytes(flipped))
            report = verify_release(path, reload=False)
            assert not report.valid, (name, where)
            if name != "SHA256SUMS":
                assert any(p.record_id == name and p.rule == "checksum" for p in report.problems)
        target.write_bytes(original)
    assert verify_release(path, reload=False).valid


def test_bytes_do_not_depend_on_batching(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newscorpus import validation as inputs
    from newscorpus.release import parquet

    ws = make_workspace(tmp_path / "ws", 12, varied=True)
    monkeypatch.setattr(parquet, "ROW_GROUP_SIZE", 2)
    a = writer.build_release(ws, "0.1.0", "2026-11-26", tmp_path / "a", shard_rows=4).path
    monkeypatch.setattr(inputs, "BLOCK_SIZE", 1 << 13)  # a few articles per parsed batch
    b = writer.build_release(ws, "0.1.0", "2026-11-26", tmp_path / "b", shard_rows=4).path
    assert (a / "SHA256SUMS").read_bytes() == (b / "SHA256SUMS").read_bytes()
    manifest = json.loads((a / "manifest.json").read_text())
    train = manifest["configs"]["default"]["splits"]["train"]
    n = len(train["files"])
    assert n == -(-train["rows"] // 4) > 1
    assert [f["path"] for f in train["files"]] == [
        f"data/default/train-{i:05d}-of-{n:05d}.parquet" for i in range(n)]
    meta = pq.ParquetFile(a / train["files"][0]["path"]).metadata
    assert [meta.row_group(g).num_rows for g in range(meta.num_row_groups)] == [2, 2]
    assert verify_release(a).valid


def test_parallel_validation_reports_the_same_problems(ws: Workspace,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from newscorpus import validation as inputs

    path = ws.articles_dir / "articles.jsonl"
    lines = sorted(path.read_bytes().splitlines(keepends=True),
                   key=lambda line: orjson.loads(line)["origin"]["path"])  # dump-00 first
    (ws.articles_dir / "more.jsonl").write_bytes(b"".join(lines[6:]))
    path.write_bytes(b"".join(lines[:6]))
    _rewrite_first_article(ws, lambda r: r.update(language="English"))  # in articles.jsonl
    sequential = inputs.validate_article_files(ws, ws.article_files(), use_cache=False)
    monkeypatch.setattr(inputs, "PARALLEL_BYTES", 0)
    parallel = inputs.validate_article_files(ws, ws.article_files(), use_cache=False)
    assert parallel.to_dict() == sequential.to_dict()
    assert parallel.records == 12 and [p.pointer for p in parallel.problems] == ["/language"]


def test_a_lone_model_prediction_is_never_gold(ws: Workspace) -> None:
    from newscorpus.validation import prepare_inputs

    lines = (ws.root / "articles" / "articles.jsonl").read_bytes().splitlines()
    records = [orjson.loads(line) for line in lines]
    second = next(r for r in records if r["origin"]["path"] == "dump-01.txt")
    prediction = Annotation(id=f"{second['id']}:model", article_id=second["id"],
                            text_sha256=second["text_sha256"], annotator="model:newscorpus",
                            origin="prediction", ground_truth=False, entities=[], quotes=[], stances=[])
    write_jsonl(ws.root / "annotations" / "model.jsonl", [prediction.to_dict()])
    inputs = prepare_inputs(Workspace.open(ws.root))
    assert second["id"] not in inputs.gold
    assert len(inputs.gold) == 1  # the sample's ground-truth annotation stays gold
