"""Bad inputs to `release build`: one clean line naming the input and the problem, no
traceback, and the version checked before any work."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from newscorpus.cli.main import cli
from tests.unit.test_release import make_workspace


def _clean_error(args: list[str]) -> str:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code != 0, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines, result.output
    return lines[-1]


def _schema_invalid_previous(ws: Path) -> None:
    path = ws / "releases" / "0.1.0" / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["counts"] = "many"
    path.write_text(json.dumps(manifest), encoding="utf-8")


def _truncated_previous(ws: Path) -> None:
    path = ws / "releases" / "0.1.0" / "manifest.json"
    path.write_bytes(path.read_bytes()[:100])


@pytest.mark.parametrize(("spoil", "version", "expected"), [
    (None, "01.1.0", "01.1.0"),
    (_schema_invalid_previous, "0.2.0", "0.1.0"),
    (_truncated_previous, "0.2.0", "0.1.0"),
])
def test_bad_build_inputs_give_one_clean_line(tmp_path: Path, spoil: Callable[[Path], None] | None,
                                              version: str, expected: str) -> None:
    ws = make_workspace(tmp_path / "ws")
    result = CliRunner().invoke(cli, ["release", "build", "0.1.0", "-w", str(ws.root),
                                      "--date", "2026-01-01"])
    assert result.exit_code == 0, result.output
    if spoil:
        spoil(ws.root)
    line = _clean_error(["release", "build", version, "-w", str(ws.root), "--date", "2026-01-02"])
    assert expected in line, line
    assert not (ws.root / "releases" / version).exists()


def test_bad_version_is_refused_before_any_work(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    shutil.rmtree(ws.articles_dir)  # any work would fail on the missing articles first
    line = _clean_error(["release", "build", "01.1.0", "-w", str(ws.root)])
    assert "01.1.0" in line and "version" in line, line


def test_an_empty_workspace_says_so(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    for p in ws.article_files():
        p.unlink()
    line = _clean_error(["release", "build", "0.1.0", "-w", str(ws.root), "--date", "2026-01-01"])
    assert "no articles in the workspace" in line, line


@pytest.mark.parametrize("command", ["diff", "reproduce", "info"])
def test_a_truncated_manifest_is_one_clean_line(tmp_path: Path, command: str) -> None:
    from tests.conftest import REPO

    release = tmp_path / "releases" / "0.2.0"
    shutil.copytree(REPO / "releases" / "0.2.0", release)
    (release / "manifest.json").write_bytes((release / "manifest.json").read_bytes()[:100])
    args = {"diff": ["release", "diff", str(REPO / "releases" / "0.1.0"), str(release)],
            "reproduce": ["release", "reproduce", str(release), "-w",
                          str(make_workspace(tmp_path / "ws", 1).root)],
            "info": ["info", "--release", str(release)]}[command]
    line = _clean_error(args)
    assert "manifest.json" in line and "unreadable manifest" in line, line


def test_a_truncated_annotation_line_is_one_clean_line(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    path = ws.annotation_files()[0]
    path.write_bytes(path.read_bytes().rstrip(b"\n")[:-20])
    line = _clean_error(["release", "build", "0.1.0", "-w", str(ws.root), "--date", "2026-01-01"])
    assert f"{path.name}:" in line and "not valid JSON" in line, line
