"""Pull against a real Label Studio server when the project's tasks change under it: tasks
deleted and tasks made in Label Studio (not pushed), in the same number, so that the
project's task count alone hides both;
and the quick acknowledgements on the client's connections."""

from __future__ import annotations

import socket
import time
import uuid
from pathlib import Path

import pytest

from newscorpus.annotate.client import LabelStudioClient, QuickAckBackend
from newscorpus.annotate.labels import build_label_config
from newscorpus.annotate.pull import PullOptions, pull
from newscorpus.annotate.push import PushOptions, push, state_path, task_data
from newscorpus.annotate.results import annotation_to_result
from newscorpus.annotate.state import SyncState
from newscorpus.records import read_jsonl
from newscorpus.workspace import Workspace
from tests.annotate_workspace import articles, gold_annotation, make_workspace
from tests.labelstudio_server import LabelStudioServer

pytestmark = [pytest.mark.labelstudio]


def _by_task(ws_root: Path) -> dict[int, str]:
    """Task id -> article id of the pulled records."""
    rows = [r for _, r in read_jsonl(ws_root / "annotations" / "labelstudio.jsonl")]
    return {int(r["external"]["task"]): r["article_id"] for r in rows}


@pytest.mark.parametrize("full", [True, False])
def test_pull_sees_deleted_and_new_tasks_behind_an_unchanged_count(
    tmp_path: Path, client: LabelStudioClient, full: bool
) -> None:
    make_workspace(tmp_path / "ws")
    yaml = tmp_path / "ws" / "newscorpus.yaml"
    title = f"pretty_name: task set changes ({'full' if full else 'incremental'})"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("pretty_name: newscorpus annotate test", title))
    ws = Workspace.open(tmp_path / "ws")
    project_id = push(ws, client, PushOptions()).project_id
    assert project_id is not None
    config = build_label_config(ws.config.labels)
    state = SyncState.load(state_path(ws))
    arts = sorted(articles(ws).values(), key=lambda a: a["id"])
    gone, kept, again = arts[0], arts[1], arts[2]
    for a in (gone, kept):
        client.sdk.annotations.create(
            id=state.tasks[a["id"]].task_id,
            result=annotation_to_result(gold_annotation(a), config),
            unique_id=str(uuid.uuid4()),
        )
    assert pull(ws, client).written == 2
    time.sleep(3.1)  # past the cursor's overlap: the incremental pull lists only what follows
    tasks_before = int(client.get_project(project_id)["task_number"])  # type: ignore[index]

    # One task is deleted and one is made in Label Studio, annotated at once: the count stays.
    client.delete_task(state.tasks[gone["id"]].task_id)
    [new_task] = client.import_tasks(
        project_id,
        [
            {
                "data": task_data(again),
                "annotations": [{"result": annotation_to_result(gold_annotation(again), config)}],
            }
        ],
    )
    assert int(client.get_project(project_id)["task_number"]) == tasks_before  # type: ignore[index]

    report = pull(ws, client, PullOptions(full=full))
    assert (report.full, report.written, report.removed) == (full, 1, 1), report.summary()
    assert _by_task(tmp_path / "ws") == {state.tasks[kept["id"]].task_id: kept["id"], new_task: again["id"]}
    assert gone["id"] not in SyncState.load(state_path(ws)).tasks  # push will make its task again


def test_every_read_on_the_clients_connections_asks_for_a_quick_ack(
    ls: LabelStudioServer, client: LabelStudioClient
) -> None:
    """The development server sends an answer's headers and body in two writes (Nagle on): on a
    reused connection the body waited for the client's delayed ACK, 40 ms or more a request.
    The mode does not stick, so each read on the client's connections must set it again: the
    kernel's flag is cleared by hand before each request and must be set after it."""
    assert client._http.get(f"{ls.url}/health").status_code == 200  # noqa: SLF001
    port = int(ls.url.rsplit(":", 1)[1].strip("/"))
    stream = QuickAckBackend().connect_tcp("127.0.0.1", port)
    sock = stream.get_extra_info("socket")
    try:
        for _ in range(3):  # a reused connection, as the client's pool keeps it
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 0)
            stream.write(f"GET /health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
            answer = b""
            while b'"UP"' not in answer:  # the status line, the headers and the body come apart
                chunk = stream.read(65536)
                assert chunk, answer
                answer += chunk
            assert answer.startswith(b"HTTP/1.1 200"), answer
            assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK) == 1
    finally:
        stream.close()
    pool = client._http._transport._pool  # noqa: SLF001 - the backend the client's pool connects with
    assert isinstance(pool._network_backend, QuickAckBackend)  # noqa: SLF001
