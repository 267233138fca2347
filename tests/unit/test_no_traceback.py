"""Every CLI command on a corpus of bad inputs: each ends with a clean error, never a traceback.

The cases are inputs a user really meets: truncated JSONL, ill-typed configs, missing
folders, a folder where a file is expected, a server that is not there, a bad token."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from newscorpus.cli.main import cli
from tests.conftest import copy_sample_workspace

Setup = Callable[[Path], list[str]]


def _workspace(tmp: Path, convert: bool = True) -> Path:
    ws = copy_sample_workspace(tmp / "ws")
    if convert:
        assert CliRunner().invoke(cli, ["convert", "-w", str(ws)]).exit_code == 0
    return ws


def _truncate(path: Path, keep: float = 0.5) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


def _config(text: str) -> Setup:
    def setup(tmp: Path) -> list[str]:
        ws = _workspace(tmp, convert=False)
        (ws / "newscorpus.yaml").write_text(text, encoding="utf-8")
        return ["-w", str(ws)]
    return setup


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def truncated_articles(tmp: Path) -> Path:
    ws = _workspace(tmp)
    _truncate(ws / "articles" / "articles.jsonl")
    return ws


def truncated_annotations(tmp: Path) -> Path:
    ws = _workspace(tmp)
    for path in sorted((ws / "annotations").glob("*.jsonl"))[:1]:
        _truncate(path, 0.7)
    return ws


def folder_for_file(tmp: Path) -> Path:
    ws = _workspace(tmp)
    (ws / "articles" / "more.jsonl").mkdir()
    return ws


BAD_WORKSPACES = {"truncated-articles": truncated_articles,
                  "truncated-annotations": truncated_annotations,
                  "folder-named-jsonl": folder_for_file}

# command lines run against each bad workspace ({ws} is its folder)
WORKSPACE_COMMANDS = [
    ["validate", "-w", "{ws}"],
    ["info", "-w", "{ws}"],
    ["release", "build", "9.0.0", "-w", "{ws}", "--first"],
    ["annotate", "agreement", "-w", "{ws}"],
    ["annotate", "adjudicate", "-w", "{ws}"],
    ["annotate", "export-tasks", "-w", "{ws}", "-o", "{ws}/tasks.json"],
]

CONFIGS = {
    "labels-a-list": "name: x\nlicense: y\nlabels: [PERSON]\n",
    "strategy-unknown": "name: x\nlicense: y\nsplits: {strategy: random}\n",
    "splits-a-number": "name: x\nlicense: y\nsplits: 5\n",
    "citation-a-string": "name: x\nlicense: y\ncitation: cite me\n",
    "paths-a-number": "name: x\nlicense: y\npaths: 3\n",
    "misspelt-key": "name: x\nlicence: y\n",
    "ratios-not-numbers": "name: x\nlicense: y\nsplits: {ratios: {train: most}}\n",
    "entities-a-string": "name: x\nlicense: y\nlabels: {entities: PERSON}\n",
    "not-yaml": "name: [x\n",
    "a-list": "- name\n- license\n",
}

CONFIG_COMMANDS = [["convert"], ["validate"], ["info"], ["release", "build", "1.0.0"],
                   ["annotate", "config"], ["annotate", "agreement"], ["annotate", "adjudicate"]]


def _run(args: list[str]) -> tuple[Result, str]:
    """Run the CLI with ``args``; it must exit without an exception or a traceback."""
    result = CliRunner().invoke(cli, args)
    output, exc = result.output, result.exception
    assert exc is None or isinstance(exc, SystemExit), (
        f"{' '.join(args)} raised {type(exc).__name__}: {exc}\n{output}")
    assert "Traceback" not in output, output
    return result, str(output)


@pytest.mark.parametrize("case", sorted(BAD_WORKSPACES))
@pytest.mark.parametrize("command", WORKSPACE_COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_bad_workspace_files(tmp_path: Path, case: str, command: list[str]) -> None:
    ws = BAD_WORKSPACES[case](tmp_path)
    args = [a.replace("{ws}", str(ws)) for a in command]
    result, output = _run(args)
    if result.exit_code != 0:  # commands that do not read the damaged file may succeed
        last = output.strip().splitlines()[-1]
        assert last.startswith(("Error: ", "INVALID")), output
        assert ".jsonl" in output, output  # the error names the file


@pytest.mark.parametrize("name", sorted(CONFIGS))
@pytest.mark.parametrize("command", CONFIG_COMMANDS, ids=" ".join)
def test_ill_typed_configs(tmp_path: Path, name: str, command: list[str]) -> None:
    args = [*command, *_config(CONFIGS[name])(tmp_path)]
    result, output = _run(args)
    assert result.exit_code == 1
    [line] = output.strip().splitlines()
    assert line.startswith("Error: ") and "newscorpus.yaml" in line, output


@pytest.mark.parametrize("args", [
    ["convert", "{tmp}/no-such-folder"],
    ["validate", "{tmp}/no-such.jsonl"],
    ["validate", "-w", "{tmp}/no-such-workspace"],
    ["release", "verify", "{tmp}/no-such-release"],
    ["release", "diff", "{tmp}/no-such-old", "{tmp}/no-such-new"],
    ["release", "reproduce", "{tmp}/no-such-release"],
    ["info", "--release", "{tmp}/no-such-release"],
    ["annotate", "import", "{tmp}/no-such-export.json"],
    ["annotate", "agreement", "-w", "{tmp}/no-such-workspace"],
    ["hydrate", "{tmp}/no-such-release", "{tmp}/raw"],
])
def test_missing_paths(tmp_path: Path, args: list[str]) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result, output = _run(args)
    assert result.exit_code != 0
    assert "no-such" in output, output


@pytest.mark.parametrize("command", [["annotate", "push"], ["annotate", "pull"]])
@pytest.mark.parametrize("token", ["not-a-token", "", "x" * 5000])
def test_unreachable_server_and_bad_tokens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          command: list[str], token: str) -> None:
    ws = _workspace(tmp_path)
    monkeypatch.setenv("NEWSCORPUS_LS_TOKEN", token)
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    monkeypatch.setenv("NEWSCORPUS_LS_TOKEN_FILE", str(tmp_path / "no-token-file"))
    args = [*command, "-w", str(ws), "--url", f"http://127.0.0.1:{_closed_port()}"]
    result, output = _run(args)
    assert result.exit_code == 1
    [line] = output.strip().splitlines()
    assert line.startswith("Error: "), output
    if token:
        assert token not in output  # never echo a secret
