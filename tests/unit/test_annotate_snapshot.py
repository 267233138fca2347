"""The full pull's export snapshot against a small fake Label Studio on 127.0.0.1: a server
that makes exports in a background worker (the snapshot is polled until done), one whose export
fails, and the snapshot deleted again in both cases."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from newscorpus.annotate.client import SNAPSHOT_ANNOTATIONS, LabelStudioClient, Secret
from newscorpus.errors import LabelStudioError

TASKS = [{"id": i, "data": {"text": t}, "annotations": []} for i, t in ((1, "a"), (2, "b"))]


class FakeExports(http.server.BaseHTTPRequestHandler):
    statuses: list[str] = []  # what the export's status reads, one a poll (the last one stays)
    seen: list[tuple[str, str, Any]] = []

    def _answer(self, code: int, body: Any = None) -> None:
        raw = b"" if body is None else json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_POST(self) -> None:  # noqa: N802 - the handler's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.seen.append(("POST", self.path, body))
        self._answer(201, {"id": 7, "status": "created"})

    def do_GET(self) -> None:  # noqa: N802
        self.seen.append(("GET", self.path, None))
        if "/download" in self.path:
            self._answer(200, TASKS)
        else:
            status = self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]
            self._answer(200, {"id": 7, "status": status})

    def do_DELETE(self) -> None:  # noqa: N802
        self.seen.append(("DELETE", self.path, None))
        self._answer(204)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fake() -> Iterator[LabelStudioClient]:
    FakeExports.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeExports)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with LabelStudioClient(f"http://127.0.0.1:{server.server_address[1]}", Secret("t0ken")) as client:
            yield client
    finally:
        server.shutdown()
        server.server_close()


def test_a_background_export_is_polled_downloaded_and_deleted(fake: LabelStudioClient) -> None:
    FakeExports.statuses = ["in_progress", "in_progress", "completed"]
    assert fake.export_snapshot(3) == TASKS
    [(_, path, body), *rest] = FakeExports.seen
    assert path == "/api/projects/3/exports/"
    assert body["annotation_filter_options"] == SNAPSHOT_ANNOTATIONS  # skipped and ground truth too
    assert "task_filter_options" not in body  # every task
    assert [(m, p.split("?")[0]) for m, p, _ in rest] == [
        ("GET", "/api/projects/3/exports/7"),
        ("GET", "/api/projects/3/exports/7"),
        ("GET", "/api/projects/3/exports/7"),
        ("GET", "/api/projects/3/exports/7/download"),
        ("DELETE", "/api/projects/3/exports/7"),
    ]
    assert (fake.writes, fake.reads) == (2, 4)


def test_a_failed_export_is_one_line_and_still_deleted(fake: LabelStudioClient) -> None:
    FakeExports.statuses = ["failed"]
    with pytest.raises(LabelStudioError) as err:
        fake.export_snapshot(3)
    message = str(err.value)
    assert message.startswith(f"Label Studio at {fake.url} failed to make export snapshot 7 of project 3")
    assert "\n" not in message
    assert FakeExports.seen[-1][:2] == ("DELETE", "/api/projects/3/exports/7")


def test_an_export_that_never_finishes_is_given_up(fake: LabelStudioClient) -> None:
    FakeExports.statuses = ["in_progress"]
    fake.snapshot_wait = 0.3
    with pytest.raises(LabelStudioError, match="did not finish export snapshot 7 of project 3 in 0 s"):
        fake.export_snapshot(3)
    assert FakeExports.seen[-1][0] == "DELETE"
