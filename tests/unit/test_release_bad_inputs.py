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


# --- the bad-input matrix: every release command on every broken manifest, and the build on
# every broken input; each is one line naming the file (or the version) and the problem ---

SPOILS: dict[str, Callable[[Path], object]] = {
    "truncated": lambda m: m.write_bytes(m.read_bytes()[:100]),
    "empty": lambda m: m.write_bytes(b""),
    "schema-invalid": lambda m: m.write_text(json.dumps({**json.loads(m.read_text()), "counts": "many"})),
    "not-an-object": lambda m: m.write_text("[1, 2]"),
    "unknown-schema-version": lambda m: m.write_text(
        json.dumps({**json.loads(m.read_text()), "schema_version": "9.9.9"})),
    "not-utf8": lambda m: m.write_bytes(b"\xff\xfe{" + m.read_bytes()[:50]),
    "missing": lambda m: m.unlink(),
}
REASONS = {"truncated": "unreadable manifest", "empty": "unreadable manifest",
           "schema-invalid": "invalid manifest: /counts", "not-an-object": "must be a JSON object",
           "unknown-schema-version": "unknown manifest schema version '9.9.9'",
           "not-utf8": "unreadable manifest", "missing": "No such file"}
COMMANDS = {
    "diff-old": lambda bad, good, ws: ["release", "diff", str(bad), str(good)],
    "diff-new": lambda bad, good, ws: ["release", "diff", str(good), str(bad)],
    "reproduce": lambda bad, good, ws: ["release", "reproduce", str(bad), "-w", str(ws)],
    "info": lambda bad, good, ws: ["info", "--release", str(bad)],
    "hydrate": lambda bad, good, ws: ["hydrate", str(bad), str(ws / "raw"), "-o", str(ws / "h")],
    "publish": lambda bad, good, ws: ["release", "publish", str(bad), "--repo", "me/x", "--dry-run"],
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = make_workspace(tmp_path_factory.mktemp("bad") / "ws")
    result = CliRunner().invoke(cli, ["release", "build", "0.1.0", "-w", str(ws.root),
                                      "--date", "2026-01-01"])
    assert result.exit_code == 0, result.output
    return ws.root


@pytest.mark.parametrize("spoil", sorted(SPOILS))
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_on_every_broken_manifest(built: Path, tmp_path: Path, spoil: str,
                                                command: str) -> None:
    good = built / "releases" / "0.1.0"
    bad = Path(shutil.copytree(good, tmp_path / "0.1.0"))
    SPOILS[spoil](bad / "manifest.json")
    line = _clean_error(COMMANDS[command](bad, good, built))
    assert str(bad / "manifest.json") in line and REASONS[spoil] in line, line


@pytest.mark.parametrize("spoil", sorted(SPOILS))
def test_verify_reports_a_broken_manifest(built: Path, tmp_path: Path, spoil: str) -> None:
    bad = Path(shutil.copytree(built / "releases" / "0.1.0", tmp_path / "0.1.0"))
    SPOILS[spoil](bad / "manifest.json")
    result = CliRunner().invoke(cli, ["release", "verify", str(bad), "--no-reload"])
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output and "manifest.json" in result.output
    assert result.output.splitlines()[-1].startswith(f"FAILED: {bad}")


def _previous(spoil: Callable[[Path], None]) -> Callable[[Path], list[str]]:
    def setup(root: Path) -> list[str]:
        spoil(root / "releases" / "0.1.0")
        return ["release", "build", "0.2.0", "-w", str(root), "--date", "2026-01-02"]
    return setup


def _annotations(edit: Callable[[bytes], bytes]) -> Callable[[Path], list[str]]:
    def setup(root: Path) -> list[str]:
        shutil.rmtree(root / "releases")
        path = sorted((root / "annotations").glob("*.jsonl"))[0]
        path.write_bytes(edit(path.read_bytes()))
        return ["release", "build", "0.1.0", "-w", str(root), "--date", "2026-01-02"]
    return setup


def _articles(edit: Callable[[Path], object]) -> Callable[[Path], list[str]]:
    def setup(root: Path) -> list[str]:
        shutil.rmtree(root / "releases")
        edit(root / "articles")
        return ["release", "build", "0.1.0", "-w", str(root), "--date", "2026-01-02"]
    return setup


def _tamper_data(folder: Path) -> None:
    path = next((folder / "data" / "default").glob("*.parquet"))
    path.write_bytes(path.read_bytes()[:-10] + b"0123456789")


def _build(*args: str) -> Callable[[Path], list[str]]:
    return lambda root: ["release", "build", *args, "-w", str(root)]


BUILD_CASES: dict[str, tuple[Callable[[Path], list[str]], str]] = {
    "version 1.2": (_build("1.2"), "got '1.2'"),
    "version v1.0.0": (_build("v1.0.0"), "got 'v1.0.0'"),
    "version 1.0.0-rc.1": (_build("1.0.0-rc.1"), "got '1.0.0-rc.1'"),
    "date 2026-13-01": (_build("0.2.0", "--date", "2026-13-01"), "got '2026-13-01'"),
    "existing version": (_build("0.1.0"), "release 0.1.0 already exists"),
    "version below the latest": (_build("0.0.9"), "0.0.9 is not greater than the latest release 0.1.0"),
    "previous without manifest": (_previous(lambda p: (p / "manifest.json").unlink()),
                                  "0.1.0/manifest.json: missing"),
    "previous without SHA256SUMS": (_previous(lambda p: (p / "SHA256SUMS").unlink()),
                                    "0.1.0/SHA256SUMS: missing"),
    "previous data file tampered": (_previous(_tamper_data),
                                    "SHA-256 differs from SHA256SUMS"),
    "annotation line not an object": (_annotations(lambda b: b + b"[1, 2]\n"),
                                      "gold.jsonl:2: a record must be a JSON object"),
    "annotation file not UTF-8": (_annotations(lambda b: b"\xff\xfe\x00garbage\n"),
                                  "gold.jsonl:1: not valid JSON"),
    "annotation with an unknown label": (_annotations(lambda b: b.replace(b'"PERSON"', b'"ALIEN"')),
                                         "label 'ALIEN' is not in the label set"),
    "article files with no records": (_articles(lambda d: [p.write_text("") for p in d.glob("*.jsonl")]),
                                      "no articles in the workspace"),
    "no articles folder": (_articles(shutil.rmtree), "no articles in the workspace"),
}


@pytest.mark.parametrize("case", sorted(BUILD_CASES))
def test_every_bad_build_input_is_one_line(built: Path, tmp_path: Path, case: str) -> None:
    root = Path(shutil.copytree(built, tmp_path / "ws"))
    setup, expected = BUILD_CASES[case]
    line = _clean_error(setup(root))
    assert expected in line, line
    assert not (root / "releases" / "0.2.0").exists()


def test_a_bad_repo_id_is_one_line(built: Path) -> None:
    line = _clean_error(["release", "publish", str(built / "releases" / "0.1.0"), "--repo",
                         "not a repo id", "--dry-run"])
    assert "--repo 'not a repo id' is not a Hub repository id" in line, line


def test_an_unreadable_publication_record_is_one_line(built: Path, tmp_path: Path) -> None:
    root = Path(shutil.copytree(built, tmp_path / "ws"))
    (root / "releases" / "published.json").write_text("{oops")
    line = _clean_error(["release", "publish", str(root / "releases" / "0.1.0"), "--repo", "me/x",
                         "--dry-run"])
    assert "published.json: unreadable publication record" in line, line
