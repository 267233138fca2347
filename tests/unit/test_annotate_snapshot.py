"""The full pull's export snapshot against a small fake Label Studio on 127.0.0.1: a server
that makes exports in a background worker (the snapshot is polled until done), one whose export
fails, one that makes the export inside a slow POST, and snapshots left behind deleted."""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from newscorpus.annotate.client import SNAPSHOT_ANNOTATIONS, LabelStudioClient, Secret
from newscorpus.errors import LabelStudioError

TASKS = [{"id": i, "data": {"text": t}, "annotations": []} for i, t in ((1, "a"), (2, "b"))]


class FakeExports(http.server.BaseHTTPRequestHandler):
    statuses: list[str] = []  # what the export's status reads, one a poll (the last one stays)
    seen: list[tuple[str, str, Any]] = []
    exports: list[dict[str, Any]] = []  # the project's export list (a POST adds to it)
    created: Any = {"id": 7, "status": "created"}  # what a POST answers; None: hang up instead
    delay = 0.0  # seconds the POST and the download take

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
        self.exports.append({"id": 7, "title": body["title"]})
        time.sleep(self.delay)
        if self.created is None:
            self.close_connection = True  # made, but the client never hears of it
            return
        self._answer(201, self.created)

    def do_GET(self) -> None:  # noqa: N802
        self.seen.append(("GET", self.path, None))
        if "/download" in self.path:
            time.sleep(self.delay)
            self._answer(200, TASKS)
        elif self.path.endswith("/exports/"):
            self._answer(200, self.exports)
        else:
            status = self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]
            self._answer(200, {"id": 7, "status": status})

    def do_DELETE(self) -> None:  # noqa: N802
        self.seen.append(("DELETE", self.path, None))
        self._answer(204)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def url() -> Iterator[str]:
    FakeExports.seen, FakeExports.exports = [], []
    FakeExports.created, FakeExports.delay = {"id": 7, "status": "created"}, 0.0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeExports)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def fake(url: str) -> Iterator[LabelStudioClient]:
    with LabelStudioClient(url, Secret("t0ken"), read_retries=0) as client:
        yield client


def test_a_background_export_is_polled_downloaded_and_deleted(fake: LabelStudioClient) -> None:
    FakeExports.statuses = ["in_progress", "in_progress", "completed"]
    assert fake.export_snapshot(3) == TASKS
    [listed, (_, path, body), *rest] = FakeExports.seen
    assert listed == ("GET", "/api/projects/3/exports/", None)  # for snapshots left behind
    assert path == "/api/projects/3/exports/"
    assert body["title"].startswith("newscorpus pull ")
    assert body["annotation_filter_options"] == SNAPSHOT_ANNOTATIONS  # skipped and ground truth too
    assert "task_filter_options" not in body  # every task
    assert [(m, p.split("?")[0]) for m, p, _ in rest] == [
        ("GET", "/api/projects/3/exports/7"),
        ("GET", "/api/projects/3/exports/7"),
        ("GET", "/api/projects/3/exports/7"),
        ("GET", "/api/projects/3/exports/7/download"),
        ("DELETE", "/api/projects/3/exports/7"),
    ]
    assert (fake.writes, fake.reads) == (2, 5)


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
    with pytest.raises(LabelStudioError, match="did not finish export snapshot 7 of project 3 in 0.3 s "):
        fake.export_snapshot(3)
    assert FakeExports.seen[-1][0] == "DELETE"


def test_an_export_made_inside_a_slow_post_is_waited_for(url: str) -> None:
    FakeExports.statuses, FakeExports.delay = ["completed"], 0.3
    with LabelStudioClient(url, Secret("t0ken"), timeout=0.05, read_retries=0) as client:
        assert client.export_snapshot(3) == TASKS  # the POST and the download wait snapshot_wait
    assert FakeExports.seen[-1][:2] == ("DELETE", "/api/projects/3/exports/7")


def test_a_snapshot_made_by_a_failed_post_is_found_by_title_and_deleted(fake: LabelStudioClient) -> None:
    FakeExports.created = None
    FakeExports.exports = [{"id": 5, "title": "someone else's export"}]
    with pytest.raises(LabelStudioError, match="create an export snapshot of project 3"):
        fake.export_snapshot(3)
    assert [(m, p) for m, p, _ in FakeExports.seen[-2:]] == [
        ("GET", "/api/projects/3/exports/"),
        ("DELETE", "/api/projects/3/exports/7"),
    ]


@pytest.mark.parametrize("created", [{"status": "created"}, ["id", 7], "made"])
def test_an_answer_without_an_id_is_one_line(fake: LabelStudioClient, created: Any) -> None:
    FakeExports.created = created
    with pytest.raises(LabelStudioError) as err:
        fake.export_snapshot(3)
    message = str(err.value)
    assert message.startswith(
        f"Label Studio at {fake.url} answered the export snapshot of project 3 without an id ("
    )
    assert "\n" not in message
    assert FakeExports.seen[-1][:2] == ("DELETE", "/api/projects/3/exports/7")  # found by its title


def test_snapshots_left_by_earlier_pulls_are_deleted_first(fake: LabelStudioClient) -> None:
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    FakeExports.statuses = ["completed"]
    FakeExports.exports = [
        {"id": 4, "title": "newscorpus pull 2020-01-01T00:00:00Z"},  # left behind
        {"id": 5, "title": f"newscorpus pull {now} 0123abcd"},  # another pull's, still going
        {"id": 6, "title": "a user's own export"},
    ]
    assert fake.export_snapshot(3) == TASKS
    deleted = [p for m, p, _ in FakeExports.seen if m == "DELETE"]
    assert deleted == ["/api/projects/3/exports/4", "/api/projects/3/exports/7"]
    assert FakeExports.seen[1][:2] == ("DELETE", "/api/projects/3/exports/4")  # before the POST
