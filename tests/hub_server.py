"""A small local stand-in for the Hugging Face Hub's HTTP API (127.0.0.1), enough for
``huggingface_hub.HfApi`` to create a dataset repository, read its refs and files, commit
(regular uploads, deletions, ``parentCommit`` checked as the Hub does: 412 when the branch
moved), create branches and tags (409 when they exist). The real client talks to it through
``HfApi(endpoint=...)`` or ``$HF_ENDPOINT``, so publish is tested through the real API."""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit


@dataclass
class Commit:
    oid: str
    parent: str | None
    files: dict[str, bytes]
    summary: str = ""
    description: str = ""


@dataclass
class Repo:
    commits: dict[str, Commit] = field(default_factory=dict)
    branches: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)

    def resolve(self, revision: str) -> Commit:
        oid = self.branches.get(revision) or self.tags.get(revision) or revision
        return self.commits[oid]

    def commit(self, parent: str | None, files: dict[str, bytes], summary: str = "",
               description: str = "") -> str:
        oid = hashlib.sha1(f"{parent}{sorted(files)}{summary}{len(self.commits)}".encode()).hexdigest()
        self.commits[oid] = Commit(oid, parent, files, summary, description)
        return oid


class FakeHub:
    def __init__(self) -> None:
        self.repos: dict[str, Repo] = {}
        self.requests: list[tuple[str, str]] = []
        self.before_commit: Any = None  # a callable run before a commit is applied (races)
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeHub:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    def files(self, repo_id: str, revision: str) -> dict[str, bytes]:
        return self.repos[repo_id].resolve(revision).files

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def _body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def _route(self, method: str) -> None:
                parts = [unquote(p) for p in urlsplit(self.path).path.split("/") if p]
                hub.requests.append((method, "/".join(parts)))
                body = self._body() if method == "POST" else b""
                with hub.lock:
                    try:
                        self._dispatch(method, parts, body)
                    except KeyError as exc:
                        self._send(404, {"error": f"not found: {exc}"},
                                   {"X-Error-Code": "RevisionNotFound"})

            def do_GET(self) -> None:
                self._route("GET")

            def do_POST(self) -> None:
                self._route("POST")

            def _dispatch(self, method: str, parts: list[str], body: bytes) -> None:
                if parts == ["api", "repos", "create"]:
                    payload = json.loads(body)
                    repo_id = f"{payload['organization']}/{payload['name']}"
                    if repo_id in hub.repos:
                        return self._send(409, {"error": "You already created this dataset repo",
                                                "url": f"{hub.url}/datasets/{repo_id}"})
                    repo = hub.repos[repo_id] = Repo()
                    repo.branches["main"] = repo.commit(None, {".gitattributes": b"*.parquet filter=lfs\n"},
                                                        "initial commit")
                    return self._send(200, {"url": f"{hub.url}/datasets/{repo_id}"})
                if parts == ["api", "validate-yaml"]:
                    return self._send(200, {"errors": [], "warnings": []})
                if len(parts) < 5 or parts[:2] != ["api", "datasets"]:
                    return self._send(404, {"error": "no such endpoint"})
                repo_id, action, rest = f"{parts[2]}/{parts[3]}", parts[4], "/".join(parts[5:])
                if repo_id not in hub.repos:
                    return self._send(404, {"error": "Repository not found"},
                                      {"X-Error-Code": "RepoNotFound"})
                repo = hub.repos[repo_id]
                if action == "refs":
                    def refs(kind: str, items: dict[str, str]) -> list[dict[str, str]]:
                        return [{"name": n, "ref": f"refs/{kind}/{n}", "targetCommit": c}
                                for n, c in sorted(items.items())]
                    return self._send(200, {"branches": refs("heads", repo.branches),
                                            "tags": refs("tags", repo.tags), "converts": []})
                if action == "tree":
                    files = repo.resolve(rest).files
                    return self._send(200, [{"type": "file", "path": p, "size": len(b),
                                             "oid": hashlib.sha1(b).hexdigest()}
                                            for p, b in sorted(files.items())])
                if action == "preupload":
                    paths = [f["path"] for f in json.loads(body)["files"]]
                    return self._send(200, {"files": [{"path": p, "uploadMode": "regular",
                                                       "shouldIgnore": False} for p in paths]})
                if action == "commit":
                    return self._commit(repo, repo_id, rest, body)
                if action == "branch":
                    if rest in repo.branches:
                        return self._send(409, {"error": "branch exists"})
                    start = json.loads(body or b"{}").get("startingPoint") or repo.branches["main"]
                    repo.branches[rest] = repo.resolve(start).oid
                    return self._send(200, {})
                if action == "tag":
                    payload = json.loads(body)
                    if payload["tag"] in repo.tags:
                        return self._send(409, {"error": "tag exists"})
                    repo.tags[payload["tag"]] = repo.resolve(rest).oid
                    return self._send(200, {})
                return self._send(404, {"error": f"no such endpoint {action}"})

            def _commit(self, repo: Repo, repo_id: str, branch: str, body: bytes) -> None:
                lines = [json.loads(line) for line in body.splitlines() if line.strip()]
                header = lines[0]["value"]
                if hub.before_commit is not None:
                    hub.before_commit(repo)
                head = repo.branches[branch]
                if header.get("parentCommit") and header["parentCommit"] != head:
                    return self._send(412, {"error": "A commit has happened since. Please refresh"})
                files = dict(repo.commits[head].files)
                for item in lines[1:]:
                    value = item["value"]
                    if item["key"] == "file":
                        files[value["path"]] = base64.b64decode(value["content"])
                    elif item["key"] == "deletedFile":
                        files.pop(value["path"], None)
                    else:
                        return self._send(400, {"error": f"unsupported {item['key']}"})
                oid = repo.commit(head, files, header["summary"], header.get("description") or "")
                repo.branches[branch] = oid
                return self._send(200, {"commitUrl": f"{hub.url}/datasets/{repo_id}/commit/{oid}",
                                        "commitOid": oid, "success": True})

        return Handler
