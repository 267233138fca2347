"""`release publish` through the real `huggingface_hub.HfApi` against a local stand-in Hub
(tests/hub_server.py on 127.0.0.1): semver-aware refs (newest on main, an older line on
release/X.Y), tags never moved, parent_commit from the refs (a concurrent push fails), the
commit id printed and recorded beside the release, the changelog entry as the commit
description; --dry-run prints calls that bind to HfApi's real signatures."""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterator
from pathlib import Path

import huggingface_hub
import pytest
from click.testing import CliRunner
from huggingface_hub import HfApi

from newscorpus.cli.main import cli
from newscorpus.errors import PublishError
from newscorpus.release import writer
from newscorpus.release.publish import RECORD, changelog_entry, plan, publish
from tests.hub_server import FakeHub
from tests.unit.test_release import make_workspace


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Releases 1.0.0, 1.0.1 and 2.0.0 of one small workspace (in separate folders)."""
    root = tmp_path_factory.mktemp("pub")
    ws = make_workspace(root / "ws", 8, varied=True)
    return {v: writer.build_release(ws, v, "2026-11-26", root / v, previous=None).path
            for v in ("1.0.0", "1.0.1", "2.0.0")}


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    """The local Hub; reachable even where ``HF_HUB_OFFLINE`` is set (it is on 127.0.0.1)."""
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    with FakeHub() as server:
        yield server


def api(hub: FakeHub) -> HfApi:
    return HfApi(endpoint=hub.url, token="hf_test")


def release_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_dry_run_calls_bind_to_the_real_hfapi_signatures(releases: dict[str, Path]) -> None:
    the_plan = plan(releases["1.0.0"], "me/corpus")
    assert [c.method for c in the_plan.calls] == ["create_repo", "create_commit", "create_tag"]
    for call in the_plan.calls:
        kwargs = dict(call.kwargs, operations=[]) if call.method == "create_commit" else call.kwargs
        inspect.signature(getattr(HfApi, call.method)).bind(None, *call.args, **kwargs)
        for name, kw in call.operations:
            inspect.signature(getattr(huggingface_hub, name)).bind(**kw)
    commit = the_plan.calls[1]
    assert commit.kwargs["revision"] == "main" and commit.kwargs["parent_commit"]
    assert commit.kwargs["commit_description"] == changelog_entry(releases["1.0.0"], "1.0.0")
    assert commit.kwargs["commit_description"].startswith("## 1.0.0")
    assert [kw["path_in_repo"] for _, kw in commit.operations] == sorted(release_files(releases["1.0.0"]))


def test_publish_newest_to_main_then_an_older_line_to_its_branch(releases: dict[str, Path],
                                                                 hub: FakeHub) -> None:
    first = publish(releases["2.0.0"], "me/corpus", api=api(hub))
    repo = hub.repos["me/corpus"]
    assert first.plan.branch == "main" and repo.branches["main"] == first.commit
    assert repo.tags == {"v2.0.0": first.commit}
    assert hub.files("me/corpus", "v2.0.0") == {".gitattributes": b"*.parquet filter=lfs\n",
                                                 **release_files(releases["2.0.0"])}
    commit = repo.commits[first.commit]
    assert commit.summary == "Release 2.0.0"
    assert commit.description == changelog_entry(releases["2.0.0"], "2.0.0")
    initial = commit.parent

    older = publish(releases["1.0.0"], "me/corpus", api=api(hub))
    assert older.plan.branch == "release/1.0"
    assert repo.branches["main"] == first.commit  # main still shows 2.0.0
    # the older line branches from main's head (no older version was published) ...
    assert repo.commits[older.commit].parent == first.commit and initial != first.commit
    patch = publish(releases["1.0.1"], "me/corpus", api=api(hub))
    assert patch.plan.branch == "release/1.0" and patch.plan.parent == older.commit
    assert repo.tags == {"v2.0.0": first.commit, "v1.0.0": older.commit, "v1.0.1": patch.commit}
    assert hub.files("me/corpus", "v1.0.1") == {".gitattributes": b"*.parquet filter=lfs\n",
                                                 **release_files(releases["1.0.1"])}

    record = json.loads((releases["1.0.1"].parent / RECORD).read_text())
    [entry] = record["published"]
    assert entry["commit"] == patch.commit and entry["tag"] == "v1.0.1"
    assert entry["branch"] == "release/1.0" and entry["parent_commit"] == older.commit
    assert not (releases["1.0.1"] / RECORD).exists()  # beside the release, never inside


def test_a_published_tag_is_never_moved(releases: dict[str, Path], hub: FakeHub) -> None:
    done = publish(releases["1.0.0"], "me/corpus", api=api(hub))
    with pytest.raises(PublishError, match="already has tag v1.0.0"):
        publish(releases["1.0.0"], "me/corpus", api=api(hub))
    assert hub.repos["me/corpus"].tags == {"v1.0.0": done.commit}
    assert len(hub.repos["me/corpus"].commits) == 2  # the initial commit and the release


def test_a_concurrent_push_is_refused_by_parent_commit(releases: dict[str, Path], hub: FakeHub) -> None:
    def race(repo: object) -> None:
        hub.before_commit = None
        r = hub.repos["me/corpus"]
        head = r.branches["main"]
        r.branches["main"] = r.commit(head, {**r.commits[head].files, "other.txt": b"pushed meanwhile"})

    publish(releases["1.0.0"], "me/corpus", api=api(hub), dry_run=True)  # nothing written
    assert "me/corpus" not in hub.repos
    api(hub).create_repo("me/corpus", repo_type="dataset")
    hub.before_commit = race
    with pytest.raises(PublishError, match="create_commit failed") as err:
        publish(releases["1.0.0"], "me/corpus", api=api(hub))
    assert "412" in str(err.value) and "\n" not in str(err.value)
    assert hub.repos["me/corpus"].tags == {}
    assert hub.files("me/corpus", "main") == {".gitattributes": b"*.parquet filter=lfs\n",
                                              "other.txt": b"pushed meanwhile"}


def test_cli_prints_the_commit_and_the_dry_run_reads_the_refs(releases: dict[str, Path],
                                                              hub: FakeHub) -> None:
    runner = CliRunner()
    env = {"HF_ENDPOINT": hub.url, "HF_TOKEN": "hf_test"}
    done = runner.invoke(cli, ["release", "publish", str(releases["2.0.0"]), "--repo", "me/corpus"],
                         env=env)
    assert done.exit_code == 0, done.output
    commit = hub.repos["me/corpus"].tags["v2.0.0"]
    assert f"commit {commit} on main, tag v2.0.0" in done.stdout
    dry = runner.invoke(cli, ["release", "publish", str(releases["1.0.0"]), "--repo", "me/corpus",
                              "--dry-run"], env=env)
    assert dry.exit_code == 0, dry.output
    lines = dry.stdout.splitlines()
    assert lines[0].startswith("HfApi.create_repo('me/corpus'")
    assert lines[1].startswith(f"HfApi.create_branch('me/corpus', branch='release/1.0', "
                               f"revision='{commit}'")
    assert f"revision='release/1.0', parent_commit='{commit}'" in lines[2]
    assert lines[-1] == "dry run: nothing was sent (v1.0.0 would go to release/1.0)"
    assert list(hub.repos["me/corpus"].tags) == ["v2.0.0"]


def test_a_release_that_does_not_verify_is_not_published(releases: dict[str, Path], hub: FakeHub,
                                                         tmp_path: Path) -> None:
    import shutil

    copy = Path(shutil.copytree(releases["1.0.0"], tmp_path / "1.0.0"))
    (copy / "CITATION.cff").write_text("tampered\n")
    with pytest.raises(PublishError, match="does not verify"):
        publish(copy, "me/corpus", api=api(hub))
    assert hub.requests == []


def test_an_older_version_of_the_same_line_is_refused(releases: dict[str, Path], hub: FakeHub) -> None:
    newest = publish(releases["1.0.1"], "me/corpus", api=api(hub))
    with pytest.raises(PublishError, match="already has v1.0.1 of the 1.0 line"):
        publish(releases["1.0.0"], "me/corpus", api=api(hub))
    repo = hub.repos["me/corpus"]
    assert repo.branches == {"main": newest.commit} and repo.tags == {"v1.0.1": newest.commit}


def test_an_unreachable_hub_is_one_line_naming_the_step(releases: dict[str, Path],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    with socket.socket() as s:  # a port on 127.0.0.1 where nothing listens
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dead = HfApi(endpoint=f"http://127.0.0.1:{port}", token="hf_test")
    with pytest.raises(PublishError, match=r"^me/corpus: create_repo failed: ") as err:
        publish(releases["1.0.0"], "me/corpus", api=dead)
    assert "\n" not in str(err.value)
