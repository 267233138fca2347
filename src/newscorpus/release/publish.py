"""Publish a release folder to a Hugging Face Hub dataset repository without rewriting history.

The plan is a list of :class:`Call` — the exact ``huggingface_hub.HfApi`` calls, which
``--dry-run`` prints and :func:`publish` makes, one for one:

- refs are semver-aware: the newest version goes to ``main`` (what the Hub viewer and
  ``load_dataset(repo)`` show); a version older than one already published goes to the branch
  ``release/X.Y`` of its line (created from the newest published version below it), so
  publishing 1.0.1 after 2.0.0 never replaces ``main``; a version older than one already
  published in its own line is refused (its branch would go back in time);
- the commit names its ``parent_commit``, read from the Hub's refs, so a concurrent push fails
  instead of being overwritten; it uploads every file of the release, deletes files of an
  older release the branch holds, and its description is the release's changelog entry;
- the tag ``vX.Y.Z`` is created on that commit; an existing tag is never moved (the version is
  refused), so ``load_dataset(repo, revision="vX.Y.Z")`` always gets exactly this release;
- the commit id is printed and recorded in ``published.json`` beside the release folder (not
  inside it: the release's checksums stay as they were).

The release is verified (checksums, manifest, every span) before anything is sent.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..atomic import write_bytes
from ..errors import PublishError
from .diff import parse_version, read_manifest
from .parquet import sha256_file
from .verify import verify_release

KEEP_ON_HUB = (".gitattributes",)
REPO_TYPE = "dataset"
COMMIT = "<commit>"  # the id create_commit returns, used by create_tag
RECORD = "published.json"


@dataclass(frozen=True)
class Call:
    """One ``HfApi`` method call: ``method(*args, **kwargs)``; ``operations`` (for
    ``create_commit``) are ``(class name, kwargs)`` of ``CommitOperationAdd``/``Delete``."""

    method: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    operations: tuple[tuple[str, dict[str, Any]], ...] = ()
    note: str = ""

    def __str__(self) -> str:
        parts = [repr(a) for a in self.args]
        if self.method == "create_commit":
            parts.append(f"operations=[{len(self.operations)} operations below]")
        parts += [f"{k}={_short(v)}" for k, v in self.kwargs.items()]
        line = f"HfApi.{self.method}({', '.join(parts)})" + (f"  # {self.note}" if self.note else "")
        ops = [f"  {name}({', '.join(f'{k}={v!r}' for k, v in kw.items())})"
               for name, kw in self.operations]
        return "\n".join([line, *ops])


def _short(value: Any) -> str:
    if isinstance(value, str) and "\n" in value.rstrip("\n"):  # the changelog entry
        return repr(value.split("\n", 1)[0] + f" … ({value.count(chr(10))} lines)")
    return repr(value)


@dataclass(frozen=True)
class HubState:
    """What the repository holds: tags and branches with their commits, files on a branch."""

    tags: dict[str, str] = field(default_factory=dict)
    branches: dict[str, str] = field(default_factory=dict)
    files: dict[str, list[str]] = field(default_factory=dict)  # by commit
    exists: bool = True


@dataclass
class Plan:
    version: str
    tag: str
    branch: str
    parent: str
    calls: list[Call]
    note: str = ""


@dataclass
class PublishResult:
    plan: Plan
    commit: str | None = None  # None for a dry run
    record: Path | None = None

    @property
    def calls(self) -> list[Call]:
        return self.plan.calls


def tag_of(version: str) -> str:
    return f"v{version}"


def line_branch(version: str) -> str:
    major, minor, _ = parse_version(version)
    return f"release/{major}.{minor}"


def _published(state: HubState) -> dict[tuple[int, int, int], str]:
    out = {}
    for name, commit in state.tags.items():
        try:
            out[parse_version(name.removeprefix("v"))] = commit
        except ValueError:
            continue
    return out


def changelog_entry(folder: Path, version: str) -> str:
    """This version's section of ``CHANGELOG.md`` (the commit description)."""
    path = Path(folder) / "CHANGELOG.md"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    match = re.search(rf"^## {re.escape(version)}\b.*?(?=^## |\Z)", text, re.M | re.S)
    return match.group(0).strip() + "\n" if match else f"Release {version}\n"


def plan(folder: Path, repo_id: str, state: HubState | None = None, private: bool = False) -> Plan:
    """The calls that publish ``folder`` to ``repo_id`` given what the repository holds
    (``None``: a repository that does not exist yet)."""
    folder = Path(folder)
    version = read_manifest(folder)["version"]
    tag = tag_of(version)
    state = state or HubState(exists=False)
    if tag in state.tags:
        raise PublishError(f"{repo_id} already has tag {tag}: a published version is never "
                           "replaced (release a new version)")
    published = _published(state)
    mine = parse_version(version)
    newer = [v for v in published if v > mine]
    line_newer = [v for v in newer if v[:2] == mine[:2]]
    if line_newer:
        raise PublishError(f"{repo_id} already has {tag_of('.'.join(map(str, max(line_newer))))} of "
                           f"the {mine[0]}.{mine[1]} line: {version} would make its branch show an "
                           "older version (publish versions of a line in order)")
    calls = [Call("create_repo", (repo_id,), {"repo_type": REPO_TYPE, "exist_ok": True,
                                              "private": private})]
    if not newer:
        branch = "main"
        parent = state.branches.get("main", "<head of main after create_repo>")
    else:
        branch = line_branch(version)
        older = [v for v in published if v < mine]
        start = published[max(older)] if older else state.branches.get("main", "<head of main>")
        if branch in state.branches:
            parent = state.branches[branch]
        else:
            parent = start
            calls.append(Call("create_branch", (repo_id,), {"branch": branch, "revision": start,
                                                            "repo_type": REPO_TYPE},
                              note=f"{'.'.join(map(str, max(newer)))} is newer: main is left alone"))
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    ops: list[tuple[str, dict[str, Any]]] = [
        ("CommitOperationAdd", {"path_in_repo": rel, "path_or_fileobj": str(folder / rel)})
        for rel in files]
    on_hub = state.files.get(parent, [])
    ops += [("CommitOperationDelete", {"path_in_repo": rel}) for rel in sorted(on_hub)
            if rel not in files and rel not in KEEP_ON_HUB]
    size = sum((folder / rel).stat().st_size for rel in files)
    calls.append(Call("create_commit", (repo_id,), {
        "commit_message": f"Release {version}", "commit_description": changelog_entry(folder, version),
        "repo_type": REPO_TYPE, "revision": branch, "parent_commit": parent}, tuple(ops),
        note=f"{len(files)} files, {size} bytes, SHA256SUMS {sha256_file(folder / 'SHA256SUMS')[:12]}"))
    calls.append(Call("create_tag", (repo_id,), {"tag": tag, "tag_message": f"Release {version}",
                                                 "revision": COMMIT, "repo_type": REPO_TYPE}))
    return Plan(version, tag, branch, parent, calls)


def hub_state(api: Any, repo_id: str) -> HubState:
    """Tags, branches and the files at each branch head, read from the Hub."""
    from huggingface_hub.errors import RepositoryNotFoundError

    try:
        refs = api.list_repo_refs(repo_id, repo_type=REPO_TYPE)
    except RepositoryNotFoundError:
        return HubState(exists=False)
    branches = {b.name: b.target_commit for b in refs.branches}
    files = {commit: list(api.list_repo_files(repo_id, repo_type=REPO_TYPE, revision=commit))
             for commit in set(branches.values())}
    return HubState({t.name: t.target_commit for t in refs.tags}, branches, files)


def _network_errors() -> tuple[type[BaseException], ...]:
    """Connection failures: OSError (requests, offline mode) and the transport errors of the
    HTTP client huggingface_hub uses (httpx, or httpx2 in huggingface_hub 2)."""
    import importlib

    out: list[type[BaseException]] = [OSError]
    for name in ("httpx", "httpx2"):
        try:
            out.append(importlib.import_module(name).TransportError)
        except (ImportError, AttributeError):
            continue
    return tuple(out)


def _api(token: str | None, api: Any) -> Any:
    if api is not None:
        return api
    from huggingface_hub import HfApi

    return HfApi(token=token, endpoint=os.environ.get("HF_ENDPOINT") or None)


def _call(api: Any, call: Call, commit: str | None) -> Any:
    kwargs = {k: (commit if v == COMMIT else v) for k, v in call.kwargs.items()}
    if call.operations:
        import huggingface_hub

        kwargs["operations"] = [getattr(huggingface_hub, name)(**kw) for name, kw in call.operations]
    return getattr(api, call.method)(*call.args, **kwargs)


def _check_card(folder: Path, repo_id: str, tag: str) -> None:
    card = (folder / "README.md").read_text(encoding="utf-8") if (folder / "README.md").is_file() else ""
    for repo, revision in re.findall(r'load_dataset\(\s*"([^"]+)"[^)]*?revision="([^"]+)"', card):
        if (repo, revision) != (repo_id, tag):
            raise PublishError(f"{folder / 'README.md'}: its load example names {repo} at {revision}, "
                               f"not {repo_id} at {tag}; nothing was published")


def _check_repo_id(repo_id: str) -> None:
    from huggingface_hub.utils import HFValidationError, validate_repo_id

    try:
        validate_repo_id(repo_id)
    except HFValidationError as exc:
        raise PublishError(f"--repo {repo_id!r} is not a Hub repository id: "
                           f"{str(exc).splitlines()[0]}") from None


def read_record(folder: Path) -> dict[str, Any]:
    """``published.json`` beside the release folder (empty when there is none)."""
    path = Path(folder).resolve().parent / RECORD
    if not path.is_file():
        return {"published": []}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data.get("published"), list):
            raise ValueError("no 'published' list")
    except (OSError, ValueError, AttributeError) as exc:
        raise PublishError(f"{path}: unreadable publication record: {exc}; nothing was published") from None
    return data


def _write_record(folder: Path, data: dict[str, Any], entry: dict[str, Any]) -> Path:
    path = Path(folder).resolve().parent / RECORD
    data["published"].append(entry)
    write_bytes(path, (json.dumps(data, indent=2, sort_keys=True) + "\n").encode())
    return path


def publish(folder: Path, repo_id: str, dry_run: bool = False, private: bool = False,
            token: str | None = None, api: Any = None, verify: bool = True) -> PublishResult:
    """Publish (or with ``dry_run`` only plan, reading the Hub's refs but writing nothing)
    ``folder`` to ``repo_id``. ``api`` defaults to ``huggingface_hub.HfApi`` (endpoint from
    ``$HF_ENDPOINT``)."""
    folder = Path(folder)
    _check_repo_id(repo_id)
    version = read_manifest(folder)["version"]  # a broken manifest says what is wrong with it
    if verify:
        report = verify_release(folder, reload=False)
        if not report.valid:
            raise PublishError(f"{folder} does not verify ({len(report.problems)} problems: "
                               f"{report.problems[0]}); nothing was published")
    _check_card(folder, repo_id, tag_of(version))
    record = read_record(folder)
    api = _api(token, api)
    from huggingface_hub.errors import HfHubHTTPError

    failures: tuple[type[BaseException], ...] = (HfHubHTTPError, *_network_errors())

    step = "list_repo_refs"
    try:
        if dry_run:
            return _dry_run(api, folder, repo_id, private)
        step = "create_repo"
        _call(api, Call("create_repo", (repo_id,), {"repo_type": REPO_TYPE, "exist_ok": True,
                                                    "private": private}), None)
        step = "list_repo_refs"
        the_plan = plan(folder, repo_id, hub_state(api, repo_id), private)
        commit = None
        for call in the_plan.calls[1:]:  # create_repo was made above, before reading the refs
            step = call.method
            out = _call(api, call, commit)
            if call.method == "create_commit":
                commit = str(out.oid)
    except failures as exc:  # a refusal by the Hub, or the network failing
        done = "" if step != "create_tag" else f" (commit {commit} is on {the_plan.branch}, untagged)"
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise PublishError(f"{repo_id}: {step} failed: {reason}{done}") from None
    entry = {"version": version, "repo_id": repo_id, "repo_type": REPO_TYPE,
             "branch": the_plan.branch, "tag": the_plan.tag, "commit": commit,
             "parent_commit": the_plan.parent, "sha256sums": sha256_file(folder / "SHA256SUMS"),
             "published_at": datetime.now(UTC).isoformat(timespec="seconds")}
    return PublishResult(the_plan, commit, _write_record(folder, record, entry))


def _dry_run(api: Any, folder: Path, repo_id: str, private: bool) -> PublishResult:
    try:
        state, note = hub_state(api, repo_id), ""
    except _network_errors() as exc:  # no network, offline mode
        state, note = None, f"the Hub cannot be reached ({exc}): planned for a new repository"
    result = PublishResult(plan(folder, repo_id, state, private))
    if note or state is None or not state.exists:
        result.plan.note = note or f"{repo_id} does not exist yet: planned for a new repository"
    return result
