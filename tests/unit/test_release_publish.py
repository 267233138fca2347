"""`release publish`: the exact operations of --dry-run, the calls made through
huggingface_hub (with a stand-in API: the Hub cannot be reached from here), and refusals."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner

from newscorpus.cli.main import cli
from newscorpus.errors import PublishError
from newscorpus.release import writer
from newscorpus.release.parquet import sha256_file
from newscorpus.release.publish import plan, publish
from tests.unit.test_release import make_workspace


@pytest.fixture
def release(tmp_path: Path) -> Path:
    ws = make_workspace(tmp_path / "ws", 8, varied=True)
    return writer.build_release(ws, "0.3.0", "2026-11-26").path


def expected_lines(release: Path) -> list[str]:
    files = sorted(p for p in release.rglob("*") if p.is_file())
    return (["create_repo me/corpus repo_type=dataset exist_ok=True private=False",
             "refuse_if_tag_exists me/corpus tag=v0.3.0"]
            + [f"upload {p.relative_to(release).as_posix()} bytes={p.stat().st_size} "
               f"sha256={sha256_file(p)}" for p in files]
            + ["delete_not_in_release me/corpus keep=.gitattributes",
               f'commit me/corpus revision=main files={len(files)} message="Release 0.3.0"',
               "create_tag me/corpus tag=v0.3.0 revision=<commit>"])


def test_dry_run_prints_the_exact_operations(release: Path) -> None:
    result = CliRunner().invoke(cli, ["release", "publish", str(release), "--repo", "me/corpus",
                                      "--dry-run"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines == expected_lines(release) + ["dry run: nothing was sent"]
    assert any(line.startswith("upload .zenodo.json ") for line in lines)
    assert any(line.startswith("upload croissant.json ") for line in lines)


class FakeHub:
    """Records the huggingface_hub calls publish makes."""

    def __init__(self, tags: tuple[str, ...] = (), files: tuple[str, ...] = ()) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.tags, self.files = tags, files

    def create_repo(self, repo_id: str, **kw: Any) -> None:
        self.calls.append(("create_repo", (repo_id, kw)))

    def list_repo_refs(self, repo_id: str, **kw: Any) -> Any:
        return SimpleNamespace(tags=[SimpleNamespace(name=t) for t in self.tags])

    def list_repo_files(self, repo_id: str, **kw: Any) -> list[str]:
        return list(self.files)

    def create_commit(self, repo_id: str, operations: list[Any], **kw: Any) -> Any:
        self.calls.append(("create_commit", (repo_id, operations, kw)))
        return SimpleNamespace(oid="abc123")

    def create_tag(self, repo_id: str, **kw: Any) -> None:
        self.calls.append(("create_tag", (repo_id, kw)))


def test_publish_commits_every_file_then_tags(release: Path) -> None:
    from huggingface_hub import CommitOperationAdd, CommitOperationDelete

    hub = FakeHub(files=(".gitattributes", "README.md", "data/default/old-00000-of-00001.parquet"))
    ops = publish(release, "me/corpus", api=hub)
    assert [str(o) for o in ops] == expected_lines(release)
    (_, (repo, kw)), (_, (_, operations, commit_kw)), (_, (_, tag_kw)) = hub.calls
    assert repo == "me/corpus" and kw == {"repo_type": "dataset", "exist_ok": True, "private": False}
    added = [o.path_in_repo for o in operations if isinstance(o, CommitOperationAdd)]
    deleted = [o.path_in_repo for o in operations if isinstance(o, CommitOperationDelete)]
    assert added == [p.relative_to(release).as_posix() for p in sorted(release.rglob("*"))
                     if p.is_file()]
    assert deleted == ["data/default/old-00000-of-00001.parquet"]
    assert commit_kw["repo_type"] == "dataset" and commit_kw["commit_message"] == "Release 0.3.0"
    assert tag_kw == {"tag": "v0.3.0", "revision": "abc123", "repo_type": "dataset",
                      "tag_message": "Release 0.3.0"}


def test_an_existing_tag_is_never_replaced(release: Path) -> None:
    hub = FakeHub(tags=("v0.3.0",))
    with pytest.raises(PublishError, match="already has tag v0.3.0"):
        publish(release, "me/corpus", api=hub)
    assert [c[0] for c in hub.calls] == ["create_repo"]


def test_a_release_that_does_not_verify_is_not_published(release: Path) -> None:
    (release / "CITATION.cff").write_text("tampered\n")
    hub = FakeHub()
    with pytest.raises(PublishError, match="does not verify"):
        publish(release, "me/corpus", api=hub)
    assert hub.calls == []
    assert plan(release, "me/corpus")[0].action == "create_repo"
