"""Issue 15, files: the quarantine goes beside the output; convert works outside a workspace."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from newscorpus.cli.main import cli

GOOD = '{"title": "T", "text": "Some text of the story.", "url": "https://e.org/1"}\n'


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.jsonl").write_text(GOOD + "not json\n", encoding="utf-8")
    return folder


def test_convert_outside_a_workspace_quarantine_beside_output(tmp_path: Path, inputs: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no newscorpus.yaml here
    out = tmp_path / "out" / "news.jsonl"
    result = CliRunner().invoke(cli, ["convert", str(inputs), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file() and (tmp_path / "out" / "news.quarantine.jsonl").is_file()
    assert not (tmp_path / "quarantine").exists()


def test_quarantine_option(tmp_path: Path, inputs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    q = tmp_path / "q" / "rejected.jsonl"
    result = CliRunner().invoke(cli, ["convert", str(inputs), "-o", str(tmp_path / "o.jsonl"),
                                      "--quarantine", str(q)])
    assert result.exit_code == 0, result.output
    assert "not valid JSON" in q.read_text(encoding="utf-8")


def test_no_inputs_and_no_workspace_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["convert"])
    assert result.exit_code != 0 and "no workspace config" in result.output
