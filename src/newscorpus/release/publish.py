"""Publish a release folder to a Hugging Face Hub dataset repository, one tag per version.

The plan is a list of :class:`Operation` (what ``--dry-run`` prints, line by line): create
the repository if needed, refuse if the version's tag exists (a published version is never
replaced), one commit that uploads every file of the release and deletes files of an older
release that this one does not have, then the tag ``vX.Y.Z`` on that commit, so that
``load_dataset(repo, revision="vX.Y.Z")`` gets exactly this release. The release is
verified (checksums, manifest, every span) before anything is sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import PublishError
from .diff import read_manifest
from .parquet import sha256_file
from .verify import verify_release

KEEP_ON_HUB = (".gitattributes",)


@dataclass(frozen=True)
class Operation:
    action: str
    target: str
    detail: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        extra = " ".join(f"{k}={v}" for k, v in self.detail.items())
        return f"{self.action} {self.target}" + (f" {extra}" if extra else "")


def tag_of(version: str) -> str:
    return f"v{version}"


def plan(folder: Path, repo_id: str, private: bool = False) -> list[Operation]:
    """The operations that publish ``folder`` to the dataset repository ``repo_id``."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    version = manifest["version"]
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    ops = [Operation("create_repo", repo_id, {"repo_type": "dataset", "exist_ok": True,
                                              "private": private}),
           Operation("refuse_if_tag_exists", repo_id, {"tag": tag_of(version)})]
    for p in files:
        rel = p.relative_to(folder).as_posix()
        ops.append(Operation("upload", rel, {"bytes": p.stat().st_size,
                                             "sha256": sha256_file(p)}))
    ops += [
        Operation("delete_not_in_release", repo_id, {"keep": ",".join(KEEP_ON_HUB)}),
        Operation("commit", repo_id, {"revision": "main", "files": len(files),
                                      "message": f'"Release {version}"'}),
        Operation("create_tag", repo_id, {"tag": tag_of(version), "revision": "<commit>"}),
    ]
    return ops


def publish(folder: Path, repo_id: str, dry_run: bool = False, private: bool = False,
            token: str | None = None, api: Any = None, verify: bool = True) -> list[Operation]:
    """Publish (or with ``dry_run`` only plan) ``folder`` to ``repo_id``; returns the plan.

    ``api`` defaults to ``huggingface_hub.HfApi(token=token)``; tests pass a stand-in."""
    folder = Path(folder)
    if verify:
        report = verify_release(folder, reload=False)
        if not report.valid:
            raise PublishError(f"{folder} does not verify ({len(report.problems)} problems: "
                               f"{report.problems[0]}); nothing was published")
    ops = plan(folder, repo_id, private)
    if dry_run:
        return ops
    from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi

    api = api or HfApi(token=token)
    version = read_manifest(folder)["version"]
    tag = tag_of(version)
    api.create_repo(repo_id, repo_type="dataset", exist_ok=True, private=private)
    refs = api.list_repo_refs(repo_id, repo_type="dataset")
    if any(t.name == tag for t in refs.tags):
        raise PublishError(f"{repo_id} already has tag {tag}: a published version is never "
                           "replaced (release a new version)")
    uploads = [o.target for o in ops if o.action == "upload"]
    existing = api.list_repo_files(repo_id, repo_type="dataset")
    operations: list[Any] = [CommitOperationAdd(path_in_repo=rel, path_or_fileobj=str(folder / rel))
                             for rel in uploads]
    operations += [CommitOperationDelete(path_in_repo=rel) for rel in sorted(existing)
                   if rel not in uploads and rel not in KEEP_ON_HUB]
    commit = api.create_commit(repo_id, operations=operations, repo_type="dataset",
                               commit_message=f"Release {version}", revision="main")
    api.create_tag(repo_id, tag=tag, revision=commit.oid, repo_type="dataset",
                   tag_message=f"Release {version}")
    return ops
