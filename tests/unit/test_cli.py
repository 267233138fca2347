"""The CLI is thin: every command has help with an example, is documented in the README,
prints what the library returns, and turns library errors into one-line errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from newscorpus.cli.main import cli
from newscorpus.convert.batch import convert_paths
from newscorpus.schema import validate_jsonl
from tests.conftest import REPO
from tests.unit.test_release import make_workspace


def commands(group: click.Group = cli, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    for name, command in sorted(group.commands.items()):
        path = f"{prefix}{name}"
        yield path, command
        if isinstance(command, click.Group):
            yield from commands(command, path + " ")


ALL = [path for path, _ in commands()]


def test_command_list() -> None:
    assert {"convert", "validate", "info", "release build", "release verify",
            "release reproduce", "release diff", "release publish", "hydrate"} <= set(ALL)


@pytest.mark.parametrize("path", ALL)
def test_every_command_has_help_with_an_example(path: str) -> None:
    result = CliRunner().invoke(cli, [*path.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output


@pytest.mark.parametrize("path", ALL)
def test_every_command_is_documented_in_the_readme(path: str) -> None:
    assert f"newscorpus {path}" in (REPO / "README.md").read_text(encoding="utf-8")


def test_validate_json_equals_the_api(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws", 3)
    path = ws.articles_dir / "articles.jsonl"
    lines = path.read_bytes().splitlines()
    lines.append(b'{"schema_version": "1.0.0", "id": "x"}')
    path.write_bytes(b"\n".join(lines) + b"\n")
    result = CliRunner().invoke(cli, ["validate", str(path), "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == validate_jsonl(path).to_dict()


def test_convert_json_equals_the_api(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws", 3)
    (ws.root / "raw" / "empty.txt").write_bytes(b"")
    out = tmp_path / "api.jsonl"
    expected = convert_paths([ws.root / "raw"], out, tmp_path / "q.jsonl").to_dict()
    args = ["convert", str(ws.root / "raw"), "-w", str(ws.root), "--json", "--fresh"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    assert {**got, "outputs": []} == {**expected, "outputs": []}


def test_convert_prints_the_counts_and_strict_fails(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws", 2)
    (ws.root / "raw" / "empty.txt").write_bytes(b"")
    result = CliRunner().invoke(cli, ["convert", "-w", str(ws.root)])
    assert result.exit_code == 0
    assert "inputs 3 = converted 0 + rejected 1 + skipped 2" in result.stdout  # resumed
    fresh = CliRunner().invoke(cli, ["convert", "-w", str(ws.root), "--fresh"])
    assert "inputs 3 = converted 2 + rejected 1 + skipped 0" in fresh.stdout
    strict = CliRunner().invoke(cli, ["convert", "-w", str(ws.root), "--strict"])
    assert strict.exit_code == 1 and "rejected (--strict)" in strict.output


def test_nothing_converted_exits_non_zero(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws", 1)
    (tmp_path / "empty.txt").write_bytes(b"")
    result = CliRunner().invoke(cli, ["convert", str(tmp_path / "empty.txt"), "-w", str(ws.root),
                                      "-o", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 1 and "nothing converted" in result.output


@pytest.mark.parametrize(("args", "message"), [
    (["convert", "--format", "nope"], "Error: unknown input format 'nope'; known formats: "),
    (["convert", "--profile", "nope"], "Error: unknown site profile 'nope'; known: "),
    (["convert", "--mapping", "nope"], "Error: mapping 'nope': no such file and not a built-in"),
    (["release", "build", "1.0"], "Error: release version must be semver X.Y.Z, got '1.0'"),
])
def test_library_errors_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    ws = make_workspace(tmp_path / "ws", 1)
    result = CliRunner().invoke(cli, [*args, "-w", str(ws.root)])
    assert result.exit_code == 1
    assert result.output.startswith(message)
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_not_a_workspace(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", "-w", str(tmp_path)])
    assert result.exit_code == 1 and "no workspace config" in result.output


def test_release_build_verify_reproduce_info(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws", 8)
    runner = CliRunner()
    built = runner.invoke(cli, ["release", "build", "0.1.0", "-w", str(ws.root), "--date", "2026-11-26"])
    assert built.exit_code == 0, built.output
    release = str(ws.releases_dir / "0.1.0")
    verified = runner.invoke(cli, ["release", "verify", release])
    assert verified.exit_code == 0, verified.output
    reproduced = runner.invoke(cli, ["release", "reproduce", release, "-w", str(ws.root)])
    assert reproduced.exit_code == 0, reproduced.output
    info = runner.invoke(cli, ["info", "--release", release, "--json"])
    assert info.exit_code == 0, info.output
    data = json.loads(info.stdout)
    assert data["configs"]["default"]["class_labels"]["entities.label"] == ["PERSON", "ORG", "GPE"]
    again = runner.invoke(cli, ["release", "build", "0.1.0", "-w", str(ws.root)])
    assert again.exit_code == 1 and "already exists" in again.output


def test_convert_remembers_the_validated_output_for_the_next_build(tmp_path: Path) -> None:
    from newscorpus.validation import validate_article_files
    from newscorpus.workspace import Workspace

    ws = make_workspace(tmp_path / "ws", 2)
    (ws.root / ".newscorpus" / "validated.json").unlink(missing_ok=True)
    result = CliRunner().invoke(cli, ["convert", "-w", str(ws.root), "--fresh"])
    assert result.exit_code == 0, result.output
    cache = json.loads((ws.root / ".newscorpus" / "validated.json").read_text())
    assert list(cache["valid"].values()) == [2]
    report = validate_article_files(Workspace.open(ws.root), ws.article_files())
    assert report.valid and report.records == 2
