"""Batch conversion: every input ends as a record, a rejection or a skip."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from newscorpus.convert import registry
from newscorpus.convert.base import Converter, ConvertOptions, Input
from newscorpus.convert.batch import convert_paths
from newscorpus.errors import UnknownFormatError

GOOD = "Title {n}\nDek {n}.\n\nBody paragraph {n}.\n"


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    for n in range(3):
        (raw / f"good-{n}.txt").write_text(GOOD.format(n=n))
    (raw / "copy-of-good-0.txt").write_text(GOOD.format(n=0))
    (raw / "empty.txt").write_bytes(b"")
    (raw / "binary.txt").write_bytes(b"\x00\x01\x02" * 10)
    (raw / "latin1.txt").write_bytes("Titre\n\nCaf\xe9\n".encode("latin-1"))
    (raw / "no-title.txt").write_text("\n\n   \nSection: World\n")
    with (raw / "huge.txt").open("wb") as fh:  # 50 MB, sparse: never read
        fh.truncate(50 * 1024 * 1024)
    (raw / "notes.xyz").write_text("what is this")
    return raw


def test_counts_add_up_and_quarantine_names_reasons(inputs: Path, tmp_path: Path) -> None:
    out, quarantine = tmp_path / "articles.jsonl", tmp_path / "quarantine.jsonl"
    report = convert_paths([inputs], out, quarantine)
    assert report.inputs == 10 == report.converted + report.rejected + report.skipped
    assert (report.converted, report.rejected, report.skipped) == (3, 6, 1)
    reasons = {r.path: r.reason for r in report.rejections}
    assert "empty file" in reasons["empty.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "invalid UTF-8 at byte 10 (line 3)" in reasons["latin1.txt"]
    assert "no title" in reasons["no-title.txt"]
    assert "50.0 MiB, over the 20 MiB limit" in reasons["huge.txt"]
    assert "unknown format" in reasons["notes.xyz"] and "pagedump" in reasons["notes.xyz"]
    assert report.skips[0].path == "good-0.txt"
    assert "duplicate of copy-of-good-0.txt" in report.skips[0].reason
    quarantined = [orjson.loads(line) for line in quarantine.read_bytes().splitlines()]
    assert [q["path"] for q in quarantined] == [r.path for r in report.rejections]
    assert all(q["reason"] for q in quarantined)
    assert len(out.read_bytes().splitlines()) == 3
    assert report.summary() == "inputs 10 = converted 3 + rejected 6 + skipped 1"


def test_output_is_sorted_and_byte_identical(inputs: Path, tmp_path: Path) -> None:
    convert_paths([inputs], tmp_path / "a.jsonl", tmp_path / "qa.jsonl")
    convert_paths([inputs], tmp_path / "b.jsonl", tmp_path / "qb.jsonl")
    a = (tmp_path / "a.jsonl").read_bytes()
    assert a == (tmp_path / "b.jsonl").read_bytes()
    ids = [orjson.loads(line)["id"] for line in a.splitlines()]
    assert ids == sorted(ids)


def test_unknown_forced_format_lists_known_names(inputs: Path, tmp_path: Path) -> None:
    with pytest.raises(UnknownFormatError, match="known formats: .*pagedump"):
        convert_paths([inputs], tmp_path / "a.jsonl", tmp_path / "q.jsonl", fmt="nope")


def test_missing_input_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no such file, folder or matching glob"):
        convert_paths([tmp_path / "nothing-*.txt"], tmp_path / "a.jsonl", tmp_path / "q.jsonl")


class Exploding(Converter):
    name = "exploding"
    extensions = (".boom",)

    def convert(self, inp: Input):  # type: ignore[no-untyped-def]
        raise RuntimeError("kaboom")
        yield


def test_a_converter_crash_costs_one_input(tmp_path: Path) -> None:
    registry.register("exploding", f"{__name__}:Exploding")
    try:
        (tmp_path / "a.boom").write_text("x")
        (tmp_path / "b.txt").write_text(GOOD.format(n=1))
        report = convert_paths([tmp_path / "a.boom", tmp_path / "b.txt"], tmp_path / "o.jsonl",
                               tmp_path / "q.jsonl")
    finally:
        registry._registered.pop("exploding")
        registry._load.cache_clear()
    assert report.converted == 1
    assert "converter exploding failed: RuntimeError: kaboom" in report.rejections[0].reason


def test_max_bytes_option(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD.format(n=1))
    report = convert_paths([tmp_path / "a.txt"], tmp_path / "o.jsonl", tmp_path / "q.jsonl",
                           ConvertOptions(max_bytes=10))
    assert report.rejected == 1 and "limit" in report.rejections[0].reason


def test_resume_keeps_unchanged_inputs_and_reconverts_changed_ones(inputs: Path, tmp_path: Path) -> None:
    out, q = tmp_path / "a.jsonl", tmp_path / "q.jsonl"
    first = convert_paths([inputs], out, q)
    before = out.read_bytes()
    again = convert_paths([inputs], out, q, resume=True)
    assert again.converted == 0 and again.inputs == first.inputs
    assert sum("unchanged since the last conversion" in s.reason for s in again.skips) == 3
    assert out.read_bytes() == before
    (inputs / "good-1.txt").write_text(GOOD.format(n=7))
    (inputs / "good-2.txt").unlink()
    third = convert_paths([inputs], out, q, resume=True)
    assert third.converted == 1
    titles = sorted(orjson.loads(line)["title"] for line in out.read_bytes().splitlines())
    assert titles == ["Title 0", "Title 7"]  # removed input's record is gone too


def test_parallel_jobs_give_the_same_bytes(inputs: Path, tmp_path: Path) -> None:
    one = convert_paths([inputs], tmp_path / "one.jsonl", tmp_path / "q1.jsonl")
    two = convert_paths([inputs], tmp_path / "two.jsonl", tmp_path / "q2.jsonl", jobs=2)
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()
    assert one.to_dict() | {"outputs": []} == two.to_dict() | {"outputs": []}


def test_duplicate_groups_written_beside_the_output(tmp_path: Path) -> None:
    body = " ".join(f"word{i}" for i in range(80))
    (tmp_path / "a.txt").write_text(f"Wire story\n\n{body}.\n")
    (tmp_path / "b.txt").write_text(f"Wire story, republished\n\n{body} (AA).\n")
    (tmp_path / "c.txt").write_text("Other story\n\nSomething else entirely.\n")
    convert_paths([tmp_path], tmp_path / "out" / "a.jsonl", tmp_path / "q.jsonl")
    groups = orjson.loads((tmp_path / "out" / "a.groups.json").read_bytes())["groups"]
    assert len(groups) == 1 and len(groups[0]["members"]) == 2 and groups[0]["kinds"] == ["near"]


def test_resume_reconverts_when_kept_records_were_tampered_with(inputs: Path, tmp_path: Path) -> None:
    out, q = tmp_path / "a.jsonl", tmp_path / "q.jsonl"
    convert_paths([inputs], out, q)
    lines = out.read_bytes().splitlines()
    record = orjson.loads(lines[0])
    record["language"] = "not a language tag"
    lines[0] = orjson.dumps(record)
    out.write_bytes(b"\n".join(lines) + b"\n")
    again = convert_paths([inputs], out, q, resume=True)
    assert again.converted == 1
    assert orjson.loads(out.read_bytes().splitlines()[0])["language"] != "not a language tag"


def test_an_interrupted_local_run_leaves_no_staging(inputs: Path, tmp_path: Path) -> None:
    from newscorpus.convert.engine import staging_dir

    def interrupt(name: str) -> None:
        assert staging_dir(tmp_path / "a.jsonl").is_dir()  # the shards' signatures are staged
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        convert_paths([inputs], tmp_path / "a.jsonl", tmp_path / "q.jsonl", progress=interrupt)
    assert not staging_dir(tmp_path / "a.jsonl").exists() and not (tmp_path / "a.jsonl").exists()
