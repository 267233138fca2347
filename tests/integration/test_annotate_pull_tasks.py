"""Pull against a real Label Studio server when the project's tasks change under it: tasks
deleted and tasks made in Label Studio (not pushed), in the same number, so that the
project's task count alone hides both, and tasks made or deleted while a full pull runs;
the same counts from a full pull's export as from the task listing (drafts of other users,
a task holding only a draft); and the quick acknowledgements on the client's connections."""

from __future__ import annotations

import socket
import time
import uuid
from pathlib import Path

import httpx
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
from tests.browser.labelstudio_ui import set_password
from tests.labelstudio_server import LabelStudioServer

pytestmark = [pytest.mark.labelstudio]


def _pushed(tmp_path: Path, client: LabelStudioClient, title: str) -> tuple[Workspace, SyncState]:
    make_workspace(tmp_path / "ws")
    yaml = tmp_path / "ws" / "newscorpus.yaml"
    default = "pretty_name: newscorpus annotate test"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace(default, f"pretty_name: {title}"))
    ws = Workspace.open(tmp_path / "ws")
    assert push(ws, client, PushOptions()).project_id is not None
    return ws, SyncState.load(state_path(ws))


def _user_token(url: str, email: str, password: str) -> str:
    """The API token of another user, who logs in through the web form to read it."""
    with httpx.Client(base_url=url, timeout=30) as http:
        http.get("/user/login/")
        form = {"email": email, "password": password, "csrfmiddlewaretoken": http.cookies["csrftoken"]}
        answer = http.post("/user/login/", data=form, headers={"Referer": f"{url}/user/login/"})
        assert answer.status_code == 302, answer.text[:300]
        return str(http.get("/api/current-user/token").json()["token"])


def _draft(url: str, token: str, task_id: int, result: list[dict[str, object]]) -> None:
    answer = httpx.post(
        f"{url}/api/tasks/{task_id}/drafts",
        json={"result": result, "lead_time": 1.0},
        headers={"Authorization": f"Token {token}"},
        timeout=30,
    )
    assert answer.status_code == 201, answer.text


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


def test_a_full_pull_counts_what_the_listing_counts(
    tmp_path: Path, ls: LabelStudioServer, client: LabelStudioClient
) -> None:
    """The export holds every user's drafts and the tasks that hold only a draft; the listing
    (the token owner's drafts, annotated tasks) does not: the summaries must still agree."""
    ws, state = _pushed(tmp_path, client, "counts from the export and the listing")
    config = build_label_config(ws.config.labels)
    arts = sorted(articles(ws).values(), key=lambda a: a["id"])
    own, only_draft, other, skipped = arts[:4]
    result = {a["id"]: annotation_to_result(gold_annotation(a), config) for a in arts}
    task = {a["id"]: state.tasks[a["id"]].task_id for a in arts}
    for a in (own, other):
        client.sdk.annotations.create(id=task[a["id"]], result=result[a["id"]], unique_id=str(uuid.uuid4()))
    client.sdk.annotations.create(
        id=task[skipped["id"]], result=[], was_cancelled=True, unique_id=str(uuid.uuid4())
    )
    _draft(client.url, ls.token, task[own["id"]], result[own["id"]])
    _draft(client.url, ls.token, task[only_draft["id"]], result[only_draft["id"]])
    password = uuid.uuid4().hex
    client.sdk.users.create(username="drafter", email="drafter@newscorpus.invalid", password=password)
    set_password(ls, "drafter@newscorpus.invalid", password)
    drafter = _user_token(client.url, "drafter@newscorpus.invalid", password)
    _draft(client.url, drafter, task[other["id"]], result[other["id"]])

    exported = pull(ws, client, PullOptions(full=True))
    pulled = (ws.annotations_dir / "labelstudio.jsonl").read_bytes()
    listed = pull(ws, client, PullOptions(full=True, use_export=False))
    counts = ("tasks", "annotations", "skipped", "rejected", "drafts_ignored")
    assert [getattr(exported, c) for c in counts] == [3, 3, 1, 0, 1], exported.summary()
    assert [getattr(listed, c) for c in counts] == [3, 3, 1, 0, 1], listed.summary()
    assert (exported.written, listed.written, listed.removed) == (2, 0, 0)
    assert (ws.annotations_dir / "labelstudio.jsonl").read_bytes() == pulled


@pytest.mark.parametrize("change", ["made", "deleted"])
def test_a_full_pull_sees_a_task_made_or_deleted_after_it_read_the_project(
    tmp_path: Path, client: LabelStudioClient, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    """The project's task count is read first; a task made (annotated) or deleted in Label
    Studio after that, before the tasks are read, is in this pull's output or gone from it."""
    ws, state = _pushed(tmp_path, client, f"moves during a full pull ({change})")
    config = build_label_config(ws.config.labels)
    arts = sorted(articles(ws).values(), key=lambda a: a["id"])
    gone, kept, again = arts[0], arts[1], arts[2]
    for a in (gone, kept):
        client.sdk.annotations.create(
            id=state.tasks[a["id"]].task_id,
            result=annotation_to_result(gold_annotation(a), config),
            unique_id=str(uuid.uuid4()),
        )
    assert pull(ws, client).written == 2
    made: list[int] = []
    read_project = client.get_project

    def get_project_then_change(project_id: int) -> dict[str, object] | None:
        project = read_project(project_id)
        if change == "made":
            made.extend(
                client.import_tasks(
                    project_id,
                    [
                        {
                            "data": task_data(again),
                            "annotations": [{"result": annotation_to_result(gold_annotation(again), config)}],
                        }
                    ],
                )
            )
        else:
            client.delete_task(state.tasks[gone["id"]].task_id)
        return project

    monkeypatch.setattr(client, "get_project", get_project_then_change)
    report = pull(ws, client, PullOptions(full=True))
    expected = {state.tasks[a["id"]].task_id: a["id"] for a in (gone, kept)}
    if change == "made":
        expected[made[0]] = again["id"]
        assert (report.written, report.removed) == (1, 0), report.summary()
    else:
        del expected[state.tasks[gone["id"]].task_id]
        assert (report.written, report.removed) == (0, 1), report.summary()
        assert gone["id"] not in SyncState.load(state_path(ws)).tasks
    assert _by_task(tmp_path / "ws") == expected
