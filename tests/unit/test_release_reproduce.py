"""Reproducibility: the manifest records what a release was built with, and `release
reproduce` says which versions it needs when they differ and succeeds when they match."""

from __future__ import annotations

import json
import platform
from pathlib import Path

import datasets
import pyarrow
import pytest
import trafilatura
from click.testing import CliRunner

from newscorpus import __version__
from newscorpus.cli.main import cli
from newscorpus.errors import ReleaseError
from newscorpus.release.diff import read_manifest
from newscorpus.release.reproduce import reproduce_release
from newscorpus.schema import DEFAULT_STORE
from newscorpus.workspace import Workspace
from tests.conftest import REPO
from tests.unit.test_release import build, make_workspace


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return make_workspace(tmp_path / "ws")


def test_manifest_records_tool_and_converter_versions_and_settings(ws: Workspace) -> None:
    manifest = read_manifest(build(ws))
    assert manifest["schema_version"] == "1.2.0"
    tools = manifest["build"]["tools"]
    assert tools["newscorpus"] == __version__
    assert tools["python"] == platform.python_version()
    assert tools["pyarrow"] == pyarrow.__version__
    assert tools["datasets"] == datasets.__version__
    assert tools["trafilatura"] == trafilatura.__version__
    assert manifest["build"]["converters"] == {
        "pagedump": {"target": "newscorpus.convert.pagedump:PageDumpConverter", "version": __version__}}
    settings = manifest["build"]["settings"]
    assert settings["convert"] == {} and settings["shard_rows"] > 0


def test_reproduce_succeeds_when_versions_match(ws: Workspace, tmp_path: Path) -> None:
    release = build(ws, out=tmp_path / "out")
    assert reproduce_release(ws, release) == []
    result = CliRunner().invoke(cli, ["release", "reproduce", str(release), "-w", str(ws.root)])
    assert result.exit_code == 0 and "reproduced" in result.output


def test_reproduce_names_the_versions_it_needs(ws: Workspace, tmp_path: Path) -> None:
    release = build(ws, out=tmp_path / "out")
    path = release / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["build"]["tools"]["pyarrow"] = "17.0.0"
    manifest["build"]["tools"]["datasets"] = "3.0.0"
    manifest["build"]["converters"]["pagedump"]["version"] = "0.0.9"
    path.write_text(json.dumps(manifest))
    with pytest.raises(ReleaseError) as err:
        reproduce_release(ws, release)
    message = str(err.value)
    assert f"pyarrow 17.0.0 (this environment has {pyarrow.__version__})" in message
    assert f"datasets 3.0.0 (this environment has {datasets.__version__})" in message
    assert "converter pagedump 0.0.9" in message
    assert "pip install " in message and "'pyarrow==17.0.0'" in message and "'datasets==3.0.0'" in message
    result = CliRunner().invoke(cli, ["release", "reproduce", str(release), "-w", str(ws.root)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "pyarrow 17.0.0" in result.output


def test_old_manifests_stay_readable_and_migrate() -> None:
    old = read_manifest(REPO / "releases" / "0.1.0")
    assert old["schema_version"] == "1.0.0" and "build" not in old
    migrated = DEFAULT_STORE.migrate(old, "1.2.0")
    assert migrated["schema_version"] == "1.2.0" and DEFAULT_STORE.problems(migrated) == []


def test_a_release_recording_no_versions_says_why_it_is_not_reproduced() -> None:
    result = CliRunner().invoke(cli, ["release", "reproduce", str(REPO / "releases" / "0.1.0"),
                                      "-w", str(REPO)])
    assert result.exit_code == 1
    last = result.output.strip().splitlines()[-1]
    assert "records no tool versions, only newscorpus 0.1.0" in last


def test_builtin_converter_versions_skip_the_distribution_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    """``packages_distributions`` reads every installed distribution (a quarter second per
    build); built-in converters are newscorpus' own version and do not need it, a plug-in does."""
    from importlib import metadata

    from newscorpus.convert import registry
    from newscorpus.release.environment import converter_versions

    calls = []
    real = metadata.packages_distributions
    monkeypatch.setattr(metadata, "packages_distributions", lambda: calls.append(1) or real())
    assert converter_versions(["pagedump", "jsonl"]) == {
        name: {"target": registry.known()[name], "version": __version__} for name in ("jsonl", "pagedump")}
    assert calls == []
    monkeypatch.setitem(registry._registered, "plugin-x", "click.core:Command")
    assert converter_versions(["plugin-x"])["plugin-x"]["version"] == metadata.version("click")
    assert calls == [1]
