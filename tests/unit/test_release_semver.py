"""Diff between releases, the smallest allowed bump, its enforcement, the changelog and
`newscorpus release diff`."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from newscorpus.cli.main import cli
from newscorpus.errors import SemverError
from newscorpus.release import writer
from newscorpus.release.diff import bump_of, check_bump, diff_releases, smallest_version
from newscorpus.text import sha256_text
from newscorpus.workspace import Workspace
from tests.unit.test_release import make_workspace


@pytest.mark.parametrize(("old", "new", "level"), [
    ("0.1.0", "0.1.1", "patch"), ("0.1.0", "0.2.0", "minor"), ("0.1.9", "1.0.0", "major"),
    ("1.2.3", "1.2.3", None), ("1.2.3", "1.1.9", None), ("1.2.3", "1.10.0", "minor"),
])
def test_bump_of(old: str, new: str, level: str | None) -> None:
    assert bump_of(old, new) == level


def test_check_bump_names_the_smallest_allowed_version() -> None:
    check_bump("0.1.0", "0.2.0", "minor")
    check_bump("0.1.0", "1.0.0", "minor")  # a bigger bump is allowed
    with pytest.raises(SemverError, match="smallest allowed version is 1.0.0"):
        check_bump("0.3.2", "0.4.0", "major")
    with pytest.raises(SemverError, match="not greater"):
        check_bump("0.3.2", "0.3.2", "patch")
    assert smallest_version("0.3.2", "patch") == "0.3.3"


@pytest.fixture
def first(tmp_path: Path) -> tuple[Workspace, Path]:
    ws = make_workspace(tmp_path / "ws", 10, varied=True)
    return ws, writer.build_release(ws, "0.1.0", "2026-11-26").path


def _articles(ws: Workspace) -> list[dict]:
    return [orjson.loads(line) for line in (ws.articles_dir / "articles.jsonl").read_bytes().splitlines()]


def _write(ws: Workspace, records: list[dict]) -> None:
    (ws.articles_dir / "articles.jsonl").write_bytes(
        b"".join(orjson.dumps(r, option=orjson.OPT_SORT_KEYS) + b"\n"
                 for r in sorted(records, key=lambda r: r["id"])))


def test_same_data_is_a_patch(first: tuple[Workspace, Path]) -> None:
    ws, _ = first
    with pytest.raises(SemverError, match="not greater"):
        writer.build_release(ws, "0.0.9", "2026-11-27")
    result = writer.build_release(ws, "0.1.1", "2026-11-27")
    assert result.manifest["semver"] == {"previous": "0.1.0", "required": "patch",
                                         "bump": "patch", "reasons": {"patch": [], "minor": [],
                                                                      "major": []}}


def test_added_articles_require_minor(first: tuple[Workspace, Path], tmp_path: Path) -> None:
    ws, old = first
    extra = make_workspace(tmp_path / "more", 14, varied=True)
    _write(ws, _articles(extra))  # the same 10 articles and 4 more
    with pytest.raises(SemverError, match="require MINOR: the smallest allowed version is 0.2.0"):
        writer.build_release(ws, "0.1.1", "2026-11-27")
    assert not (ws.releases_dir / "0.1.1").exists()
    assert not list(ws.releases_dir.glob(".tmp-*"))
    new = writer.build_release(ws, "0.2.0", "2026-11-27").path
    diff = diff_releases(old, new)
    assert diff.counts["articles_added"] == 4 and diff.required == "minor"
    assert diff.counts["articles_moved"] == diff.counts["articles_changed"] == 0
    log = (new / "CHANGELOG.md").read_text()
    assert log.startswith("# Changelog\n\n## 0.2.0 — 2026-11-27\n")
    assert "- added: 4" in log and "**MINOR**" in log and "## 0.1.0 — 2026-11-26" in log


def test_removed_or_changed_articles_require_major(first: tuple[Workspace, Path]) -> None:
    ws, old = first
    records = _articles(ws)
    victim = next(r for r in records if r["origin"]["path"] == "dump-05.txt")
    edited = next(r for r in records if r["origin"]["path"] == "dump-06.txt")
    edited["text"] = edited["text"].replace("council", "committee")
    edited["text_sha256"] = sha256_text(edited["text"])
    _write(ws, [r for r in records if r is not victim])
    with pytest.raises(SemverError, match="require MAJOR"):
        writer.build_release(ws, "0.2.0", "2026-11-27")
    new = writer.build_release(ws, "1.0.0", "2026-11-27").path
    diff = diff_releases(old, new)
    assert diff.counts["articles_removed"] == 1 and diff.examples["articles_removed"] == [victim["id"]]
    assert diff.counts["articles_changed"] == 1 and diff.examples["articles_changed"] == [edited["id"]]
    assert diff.required == "major"


def test_changed_labels_require_major(first: tuple[Workspace, Path]) -> None:
    ws, old = first
    path = ws.annotations_dir / "gold.jsonl"
    record = orjson.loads(path.read_bytes())
    record["stances"][1]["stance"] = "favor"
    path.write_bytes(orjson.dumps(record) + b"\n")
    new = writer.build_release(ws, "1.0.0", "2026-11-27").path
    diff = diff_releases(old, new)
    assert diff.counts["labels_changed"] == 1 and diff.required == "major"


def test_new_label_names_at_the_end_are_minor(first: tuple[Workspace, Path]) -> None:
    ws, old = first
    cfg = ws.root / "newscorpus.yaml"
    cfg.write_text(cfg.read_text().replace("[PERSON, ORG, GPE]", "[PERSON, ORG, GPE, LOC]"))
    ws = Workspace.open(ws.root)
    new = writer.build_release(ws, "0.2.0", "2026-11-27").path
    diff = diff_releases(old, new)
    assert diff.required == "minor"
    assert any(a.startswith("default.entities.label: LOC") for a in diff.labels_appended)


def test_release_diff_cli(first: tuple[Workspace, Path], tmp_path: Path) -> None:
    ws, old = first
    new = writer.build_release(ws, "0.1.1", "2026-11-27").path
    runner = CliRunner()
    shown = runner.invoke(cli, ["release", "diff", str(old), str(new)])
    assert shown.exit_code == 0, shown.output
    assert "0.1.0 -> 0.1.1: PATCH; required PATCH (ok)" in shown.output
    as_json = runner.invoke(cli, ["release", "diff", str(old), str(new), "--json"])
    assert json.loads(as_json.stdout) == diff_releases(old, new).to_dict()
    refused = runner.invoke(cli, ["release", "build", "0.1.1", "-w", str(ws.root)])
    assert refused.exit_code == 1 and "already exists" in refused.output
