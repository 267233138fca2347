"""The columnar article checks give the per-record path's problem records.

``newscorpus.columnar.article_batch_problems`` (over pyarrow batches) must find exactly what
``newscorpus.records.article_text_problems`` finds record by record, and the workspace
validation built on it (typed scan + columnar checks) must give the report of
``schema.validate_jsonl`` on every file: same problems, same order, same counts. The corpora
are synthetic articles (``bench/synth.py``) with every kind of semantic damage, schema
damage, blank lines, lines that are not JSON and escaped text mixed in.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.json as pajson
import pytest

from newscorpus.columnar import article_batch_problems
from newscorpus.errors import InvalidRecordsError
from newscorpus.records import _text_ok, _text_problems, article_text_problems, dumps
from newscorpus.release import writer
from newscorpus.report import ValidationReport
from newscorpus.schema import validate_jsonl
from newscorpus.validation import (
    READ_SCHEMA,
    check_workspace,
    start_article_checks,
    validate_article_files,
)
from newscorpus.workspace import Workspace

from .test_validator_differential import ARTICLES, ARTICLES_1_0_0, synth

Mutation = Callable[[dict[str, Any], random.Random], None]


def _rehash(a: dict[str, Any]) -> None:
    a["text_sha256"] = hashlib.sha256(a["text"].encode()).hexdigest()


def _wrong_hash(a: dict[str, Any], r: random.Random) -> None:
    a["text_sha256"] = hashlib.sha256(str(r.random()).encode()).hexdigest()


def _text_edited(a: dict[str, Any], r: random.Random) -> None:
    i = r.randrange(len(a["text"]))
    a["text"] = a["text"][:i] + ("x" if a["text"][i] != "x" else "y") + a["text"][i + 1:]


def _block(a: dict[str, Any], r: random.Random) -> dict[str, Any]:
    return a["blocks"][r.randrange(len(a["blocks"]))]


def _end_past_text(a: dict[str, Any], r: random.Random) -> None:
    a["blocks"][-1]["end"] = len(a["text"]) + r.choice((1, 1000))


def _end_at_text(a: dict[str, Any], r: random.Random) -> None:
    a["blocks"][-1]["end"] = len(a["text"])


def _empty_block(a: dict[str, Any], r: random.Random) -> None:
    b = _block(a, r)
    b["end"] = b["start"]


def _swapped(a: dict[str, Any], r: random.Random) -> None:
    if len(a["blocks"]) > 2:
        i = r.randrange(1, len(a["blocks"]) - 1)
        a["blocks"][i], a["blocks"][i + 1] = a["blocks"][i + 1], a["blocks"][i]


def _overlap(a: dict[str, Any], r: random.Random) -> None:
    if len(a["blocks"]) > 1:
        a["blocks"][1]["start"] = a["blocks"][0]["end"] - 1


def _title_changed(a: dict[str, Any], r: random.Random) -> None:
    a["title"] = r.choice((a["title"] + "!", a["title"][:-1], "Ünïcode " + a["title"][8:],
                           a["title"].upper()))


def _title_block_moved(a: dict[str, Any], r: random.Random) -> None:
    a["blocks"][0]["start"] = r.choice((1, 2))


def _title_block_short(a: dict[str, Any], r: random.Random) -> None:
    a["blocks"][0]["end"] -= 1


def _first_block_not_title(a: dict[str, Any], r: random.Random) -> None:
    a["blocks"][0]["kind"] = "dek"
    a["title"] = "Something else entirely"


def _non_ascii_title(a: dict[str, Any], r: random.Random) -> None:
    title = "Ελληνικά 🌊 Café " + a["title"]
    rest = a["text"][a["blocks"][0]["end"]:]
    shift = len(title) - a["blocks"][0]["end"]
    a["text"], a["title"] = title + rest, title
    for i, b in enumerate(a["blocks"]):
        b["start"] = 0 if i == 0 else b["start"] + shift
        b["end"] += shift
    for c in a["credits"]:
        c.pop("block", None)
    _rehash(a)
    if r.random() < 0.5:
        a["title"] = title[:-1] + "é"


def _credit_past_blocks(a: dict[str, Any], r: random.Random) -> None:
    a["credits"].append({"role": "photo", "name": "Agency", "block": len(a["blocks"]) + r.randrange(3)})


def _credit_last_block(a: dict[str, Any], r: random.Random) -> None:
    a["credits"].append({"role": "photo", "name": "Agency", "block": len(a["blocks"]) - 1})


def _many(a: dict[str, Any], r: random.Random) -> None:
    for mutate in r.sample(SEMANTIC, 3):
        mutate(a, r)


SEMANTIC: list[Mutation] = [_wrong_hash, _text_edited, _end_past_text, _end_at_text, _empty_block,
                            _swapped, _overlap, _title_changed, _title_block_moved,
                            _title_block_short, _first_block_not_title, _non_ascii_title,
                            _credit_past_blocks, _credit_last_block]


def _mutated(records: list[dict[str, Any]], seed: int, share: float = 0.5) -> list[dict[str, Any]]:
    r = random.Random(seed)
    out = []
    for record in records:
        a = json.loads(json.dumps(record))
        if r.random() < share:
            r.choice([*SEMANTIC, _many])(a, r)
        out.append(a)
    return out


def _batch(records: list[dict[str, Any]]) -> pa.Table:
    data = b"".join(dumps(a) for a in records)
    options = pajson.ParseOptions(explicit_schema=READ_SCHEMA, unexpected_field_behavior="ignore")
    return pajson.read_json(pa.BufferReader(data), parse_options=options)


@pytest.mark.parametrize("seed", range(6))
def test_columnar_problems_are_the_per_record_problems(seed: int) -> None:
    records = _mutated(ARTICLES + ARTICLES_1_0_0, seed)
    expected = [(row, pointer, message) for row, a in enumerate(records)
                for pointer, message in article_text_problems(a)]
    assert len({row for row, _p, _m in expected}) > 0.3 * len(records)  # not vacuous
    assert article_batch_problems(_batch(records)) == expected


def test_columnar_problems_of_a_slice_and_of_clean_rows() -> None:
    records = _mutated(ARTICLES, 99)
    table = _batch(records)
    expected = [(row - 50, pointer, message) for row, a in enumerate(records) if 50 <= row < 120
                for pointer, message in article_text_problems(a)]
    assert article_batch_problems(table.slice(50, 70)) == expected
    assert article_batch_problems(_batch(ARTICLES)) == []


def _float_offset(a: dict[str, Any], r: random.Random) -> None:
    """An integer written as a float (``3.0``): the schema accepts it, the text checks do not."""
    r.choice([lambda: _block(a, r).update(start=float(_block(a, r)["start"])),
              lambda: a["blocks"][-1].update(end=float(a["blocks"][-1]["end"])),
              lambda: a.update(reading_time_minutes=2.0),
              lambda: a["origin"].update(line=1.0),
              lambda: a["credits"].append({"role": "photo", "name": "Agency", "block": 0.0}),
              lambda: a.setdefault("images", []).append({"url": "https://example.org/a.jpg",
                                                         "block": 1.0})])()


@pytest.mark.parametrize("seed", range(6))
def test_the_fast_pass_passes_exactly_the_articles_with_no_problem(seed: int) -> None:
    records = _mutated(ARTICLES + ARTICLES_1_0_0, seed)
    r = random.Random(seed)
    for a in r.sample(records, 40):
        _float_offset(a, r)
    detailed = [_text_problems(a) for a in records]
    assert sum(1 for found in detailed if found) > 0.3 * len(records)  # not vacuous
    assert [_text_ok(a) for a in records] == [not found for found in detailed]
    assert [article_text_problems(a) for a in records] == detailed


# --- whole files: the workspace report is the per-record report -----------------------------


def _schema_damage(a: dict[str, Any], r: random.Random) -> None:
    r.choice([lambda: a.pop("url"), lambda: a.update(url=None, extra=1),
              lambda: a["blocks"][0].update(start="0"), lambda: a.update(language="EN"),
              lambda: a["blocks"][0].update(end=float(a["blocks"][0]["end"]))])()


def _file_lines(records: list[dict[str, Any]], r: random.Random, damage: bool) -> bytes:
    lines = [json.dumps(a, ensure_ascii=False, separators=(",", ":")).encode() for a in records]
    if damage:
        for i in r.sample(range(len(lines)), 3):
            a = json.loads(lines[i])
            _schema_damage(a, r)
            lines[i] = json.dumps(a, ensure_ascii=False).encode()
    if r.random() < 0.5:
        i = r.randrange(len(lines))
        lines[i] = json.dumps(json.loads(lines[i]), ensure_ascii=True).encode()  # \u escapes
    if r.random() < 0.5:
        lines.insert(r.randrange(len(lines)), b"   ")
        lines.insert(r.randrange(len(lines)), b"")
    if damage and r.random() < 0.5:
        lines.insert(r.randrange(len(lines)), b'{"truncated": ')
    return b"\n".join(lines) + b"\n"


def _workspace(root: Path, seed: int, damage: bool) -> Workspace:
    r = random.Random(seed)
    (root / "articles").mkdir(parents=True)
    (root / "newscorpus.yaml").write_text(synth.workspace_config("columnar-test", "test"),
                                          encoding="utf-8")
    records = _mutated(ARTICLES[:200] + ARTICLES_1_0_0[:60], seed, share=0.2 if damage else 0.3)
    r.shuffle(records)
    for k in range(4):
        part = records[k * 65:(k + 1) * 65]
        (root / "articles" / f"part-{k}.jsonl").write_bytes(_file_lines(part, r, damage and k % 2 == 1))
    return Workspace.open(root)


def _per_record(ws: Workspace) -> ValidationReport:
    report = ValidationReport()
    for path in ws.article_files():
        report.merge(validate_jsonl(path, "article"))
    return report


@pytest.mark.parametrize(("seed", "damage", "parallel"),
                         [(s, d, s == 2) for s in range(3) for d in (False, True)])
def test_workspace_article_report_is_the_per_record_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int, damage: bool,
        parallel: bool) -> None:
    """Also with the scans in worker processes while the build streams the same files
    (``parallel``), where pyarrow meets the damaged files before their scans are done, and
    with files scanned in small chunks."""
    from newscorpus import articlefiles, validation

    if parallel:
        monkeypatch.setattr(validation, "PARALLEL_BYTES", 0)
    if seed == 1:
        monkeypatch.setattr(articlefiles, "SCAN_CHUNK", 5_000)  # lines cross chunk ends
    ws = _workspace(tmp_path / "ws", seed, damage)
    expected = _per_record(ws)
    assert expected.invalid_records > 20
    scans = start_article_checks(ws, ws.article_files(), use_cache=False).scans
    columnar = [scans[p].report is None for p in ws.article_files()]
    assert columnar == [True, not damage, True, not damage]  # both paths are exercised
    assert validate_article_files(ws, ws.article_files(), use_cache=False) == expected
    assert check_workspace(ws, use_cache=False) == expected
    with pytest.raises(InvalidRecordsError) as info:
        writer.build_release(ws, "0.1.0", "2026-12-01")
    assert info.value.report == expected  # type: ignore[attr-defined]
    assert str(info.value) == f"{expected.invalid_records} article record(s) are invalid"
    assert not (ws.releases_dir / "0.1.0").exists()


def test_a_valid_workspace_builds_and_fills_the_cache(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "articles").mkdir(parents=True)
    (root / "newscorpus.yaml").write_text(synth.workspace_config("columnar-test", "test"),
                                          encoding="utf-8")
    (root / "articles" / "a.jsonl").write_bytes(b"".join(dumps(a) for a in ARTICLES[:100]))
    (root / "articles" / "b.jsonl").write_bytes(b"\n".join(dumps(a) for a in ARTICLES_1_0_0[:50]))
    ws = Workspace.open(root)
    assert check_workspace(ws, use_cache=True) == ValidationReport(records=150)
    cache = json.loads((root / ".newscorpus" / "validated.json").read_text())
    assert sorted(cache["valid"].values()) == [50, 100]
    result = writer.build_release(ws, "0.1.0", "2026-12-01", use_cache=False)
    assert result.manifest["counts"]["articles"] == 150
    shutil.rmtree(result.path)


@pytest.mark.parametrize("chunk", [64, 5_000, 1 << 20])
def test_a_scan_in_chunks_sees_every_line_and_byte(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   chunk: int) -> None:
    """Lines longer than several chunks, blank lines, lines that end exactly at a chunk's
    end and a last line without a line break: the scan's digest is the file's, its records
    and line numbers are the per-record path's, and a bad line after a long one is found."""
    from newscorpus import articlefiles
    from newscorpus.checksums import file_sha256

    monkeypatch.setattr(articlefiles, "SCAN_CHUNK", chunk)
    lines = [dumps(a) for a in ARTICLES[:12]]
    body = lines[0] + b"\n  \n" + b"".join(lines[1:6]) + b"\n" + b"".join(lines[6:])
    path = tmp_path / "a.jsonl"
    path.write_bytes(body.rstrip(b"\n"))
    scan = articlefiles.scan_article_file(path)
    assert (scan.digest, scan.records, scan.report) == (file_sha256(path), 12, None)
    numbers = [n for n, line in enumerate(body.split(b"\n"), 1) if line.strip()]
    assert len(numbers) == 12 and numbers != list(range(1, 13))
    assert [scan.location(i) for i in range(12)] == [f"{path}:{n}" for n in numbers]
    bad = json.loads(lines[8])
    bad["blocks"][0]["start"] = "0"
    path.write_bytes(b"".join(lines[:8]) + dumps(bad) + b"".join(lines[9:]))
    scan = articlefiles.scan_article_file(path)
    assert scan.digest == file_sha256(path)
    assert scan.report == validate_jsonl(path, "article") and not scan.report.valid


# --- patterns left to the columns ----------------------------------------------------------

PATTERN_DAMAGE: list[tuple[str, Callable[[dict[str, Any]], None]]] = [
    ("id upper-cased", lambda a: a.update(id=a["id"].upper())),
    ("text_sha256 with a final newline", lambda a: a.update(text_sha256=a["text_sha256"] + "\n")),
    ("published_at as a US date", lambda a: a.update(published_at="11/26/2026")),
    ("modified_at with a space", lambda a: a.update(modified_at="2026-11-26 10:00")),
    ("language upper-cased", lambda a: a.update(language="EN")),
    ("language with a final newline", lambda a: a.update(language="en\n")),
    ("origin sha256 cut", lambda a: a["origin"].update(sha256=a["origin"]["sha256"][:-1])),
]


@pytest.mark.parametrize(("label", "damage"), PATTERN_DAMAGE, ids=[d[0] for d in PATTERN_DAMAGE])
@pytest.mark.parametrize("version", ["1.1.0", "1.0.0"])
def test_a_field_against_its_pattern_is_found_by_the_columns(
        tmp_path: Path, label: str, damage: Callable[[dict[str, Any]], None], version: str) -> None:
    """The scan's typed decoder leaves these patterns to the columnar check (so the scan
    alone takes the line); the report is still the per-record path's, and no release is built."""
    from newscorpus import articlefiles

    pool = ARTICLES if version == "1.1.0" else ARTICLES_1_0_0
    records = [json.loads(json.dumps(a)) for a in pool[:30]]
    damage(records[17])
    root = tmp_path / "ws"
    (root / "articles").mkdir(parents=True)
    (root / "newscorpus.yaml").write_text(synth.workspace_config("columnar-test", "test"),
                                          encoding="utf-8")
    path = root / "articles" / "a.jsonl"
    path.write_bytes(b"".join(dumps(a) for a in records))
    ws = Workspace.open(root)
    expected = validate_jsonl(path, "article")
    assert expected.invalid_records == 1 and expected.problems[0].rule == "schema", label
    scan = articlefiles.scan_article_file(path)
    assert scan.report is None  # the typed decoder took every line: the columns must find it
    assert validate_article_files(ws, ws.article_files(), use_cache=False) == expected
    with pytest.raises(InvalidRecordsError) as info:
        writer.build_release(ws, "0.1.0", "2026-12-01", use_cache=False)
    assert info.value.report == expected  # type: ignore[attr-defined]


def test_every_column_pattern_is_a_column_the_checks_read() -> None:
    """A pattern the typed decoder leaves to the columns must be in what pyarrow reads
    (a missing one would send every file down the per-record path)."""
    from newscorpus.schema import DEFAULT_STORE

    for version in DEFAULT_STORE.versions("article"):
        paths = DEFAULT_STORE.compiled("article", version).column_patterns
        assert len(paths) >= 6, version
        for path in paths:
            field = READ_SCHEMA.field(path[0])
            for part in path[1:]:
                field = field.type.field(part)
            assert field.type == pa.string(), (version, path)


def test_a_column_the_batch_lacks_counts_as_a_failure() -> None:
    from newscorpus.columnar import patterns_fail

    batch = _batch(ARTICLES[:5])
    patterns = {"1.1.0": {("id",): "^nc-[0-9a-f]{32}$"}}
    assert not patterns_fail(batch, patterns)
    assert patterns_fail(batch, {"1.1.0": {("nowhere",): "^x$"}})
    assert patterns_fail(batch, {"1.1.0": {("origin", "nowhere"): "^x$"}})
    assert patterns_fail(batch, {"1.1.0": {("id",): "^x$"}})
