"""A real Label Studio server (tests/labelstudio_server.py) driven through label-studio-sdk.

Needs `tools/labelstudio.sh install template` once; the server fixture raises (never skips)
when that has not been done. Each test makes its own project, so the tests are independent.
"""

from __future__ import annotations

import json
import time
import unicodedata
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from label_studio_sdk import LabelStudio
from label_studio_sdk.core.api_error import ApiError

from tests.labelstudio_server import REPO_ROOT, LabelStudioServer

pytestmark = pytest.mark.labelstudio

REFERENCE_CONFIG = REPO_ROOT.parent / "shared" / "labelstudio" / "reference-config.xml"

# Astral emoji (2 UTF-16 units each, one a ZWJ sequence) before the spans, so code-point and
# UTF-16 offsets differ; CRLF; 'İ' (lower() changes length); a combining acute; Arabic.
TEXT_A = (
    "👩\u200d🔬 Jane Doe told Acme:\r\n"
    '"İstanbul is not for sale," said the cafe\u0301 owner.  Twice-spaced 🎉 end.'
)
TEXT_B = "🇪🇺 Report:\r\nقال أحمد إن «الخطة مرفوضة». Then Zoë\u0308 left.\r\n"

# (task key, label name, label value, surface) -> spans are located with str.find.
SPANS = [
    ("a", "entity", "PER", "Jane Doe"),
    ("a", "entity", "ORG", "Acme"),
    ("a", "entity", "LOC", "İstanbul"),
    ("a", "quote", "QUOTE", '"İstanbul is not for sale,"'),
    ("a", "entity", "PER", "cafe\u0301 owner"),
    ("b", "entity", "PER", "أحمد"),
    ("b", "quote", "QUOTE", "«الخطة مرفوضة»"),
    ("b", "entity", "PER", "Zoë\u0308"),
]


def _ls_datetime(value: datetime) -> str:
    """The only Datetime filter format the server parses: UTC, '%Y-%m-%dT%H:%M:%S.%fZ'.

    Anything else (e.g. isoformat()'s '+00:00') is a 500 from strptime on the server.
    """
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _as_datetime(value: datetime | str) -> datetime:
    """tasks.list items are a union type: an annotated task comes back as
    LseTaskSerializerForAnnotators, whose updated_at is a str, not a datetime."""
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _task_payload(key: str, text: str) -> dict[str, Any]:
    return {
        "data": {
            "text": text,
            "target": "the plan",
            "targets_display": "Target A, Target B",
            "key": key,
        }
    }


@pytest.fixture
def client(ls: LabelStudioServer) -> Iterator[LabelStudio]:
    # Own httpx client so its sockets are closed (the SDK's default one is never closed and
    # leaks a ResourceWarning). max_retries=0: the SDK would otherwise retry writes (and 409s).
    with httpx.Client(timeout=60) as http:
        yield LabelStudio(
            base_url=ls.url, api_key=ls.token, max_retries=0, httpx_client=http
        )


def _new_project(client: LabelStudio, title: str) -> int:
    project = client.projects.create(
        title=title, label_config=REFERENCE_CONFIG.read_text(encoding="utf-8")
    )
    assert project.id is not None
    return project.id


def _tasks_by_key(client: LabelStudio, project_id: int, **kwargs: Any) -> dict[str, Any]:
    return {t.data["key"]: t for t in client.tasks.list(project=project_id, **kwargs)}


def _labels_result(text: str, spans: list[tuple[str, str, str]]) -> list[dict[str, Any]]:
    result = []
    for i, (from_name, label, surface) in enumerate(spans):
        start = text.find(surface)
        assert start >= 0, surface
        result.append(
            {
                "id": f"r{i}",
                "from_name": from_name,
                "to_name": "text",
                "type": "labels",
                "value": {
                    "start": start,
                    "end": start + len(surface),
                    "text": surface,
                    "labels": [label],
                },
            }
        )
    return result


def test_health_is_up(ls: LabelStudioServer) -> None:
    assert ls.running
    assert ls.health() == {"status": "UP"}
    # Token auth (legacy token enabled at init) works on a plain request too.
    resp = httpx.get(
        f"{ls.url}/api/current-user/whoami",
        headers={"Authorization": f"Token {ls.token}"},
        timeout=30,
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["email"] == ls.username


def test_round_trip_code_point_offsets(client: LabelStudio) -> None:
    # The fixture text really exercises what it claims to.
    assert "\r\n" in TEXT_A and "\r\n" in TEXT_B
    assert len("İ".lower()) == 2
    assert any(unicodedata.combining(ch) for ch in TEXT_A + TEXT_B)
    assert len(TEXT_A.encode("utf-16-le")) // 2 > len(TEXT_A)

    project_id = _new_project(client, "round trip")
    texts = {"a": TEXT_A, "b": TEXT_B}
    imported = client.projects.import_tasks(
        id=project_id,
        request=[_task_payload(k, t) for k, t in texts.items()],
        return_task_ids=True,
    )
    assert imported.task_count == 2
    tasks = _tasks_by_key(client, project_id)
    assert set(tasks) == {"a", "b"}
    for key, task in tasks.items():
        assert task.data["text"] == texts[key]  # CRLF, NFD and all, byte for byte

    # Annotate task "a" only; remember the newest updated_at before that.
    before = max(_as_datetime(t.updated_at) for t in tasks.values())
    time.sleep(0.05)
    expected: dict[str, list[dict[str, Any]]] = {}
    for key in texts:
        spans = [(fn, lab, surf) for k, fn, lab, surf in SPANS if k == key]
        expected[key] = _labels_result(texts[key], spans)
    unique_id = str(uuid.uuid4())
    ann = client.annotations.create(
        id=tasks["a"].id, result=expected["a"], unique_id=unique_id, lead_time=1.5
    )
    assert ann.id is not None
    # Same unique_id again: 409 (idempotent create). max_retries=0, or the SDK retries 409s.
    with pytest.raises(ApiError) as excinfo:
        client.annotations.create(id=tasks["a"].id, result=expected["a"], unique_id=unique_id)
    assert excinfo.value.status_code == 409
    assert len(client.annotations.list(id=tasks["a"].id)) == 1

    # Incremental pull: only the annotated task moved past `before`.
    query = {
        "filters": {
            "conjunction": "and",
            "items": [
                {
                    "filter": "filter:tasks:updated_at",
                    "operator": "greater",
                    "type": "Datetime",
                    "value": _ls_datetime(before),
                }
            ],
        }
    }
    changed = _tasks_by_key(client, project_id, query=json.dumps(query))
    assert set(changed) == {"a"}
    after = _as_datetime(changed["a"].updated_at)
    assert after > before
    query["filters"]["items"][0]["value"] = _ls_datetime(after + timedelta(seconds=1))
    assert _tasks_by_key(client, project_id, query=json.dumps(query)) == {}

    client.annotations.create(id=tasks["b"].id, result=expected["b"], unique_id=str(uuid.uuid4()))

    # Full JSON export (the only format that keeps everything).
    raw = b"".join(
        client.projects.exports.download_sync(
            id=project_id, export_type="JSON", download_all_tasks=True
        )
    )
    exported = json.loads(raw)
    assert len(exported) == 2
    for task in exported:
        key = task["data"]["key"]
        text = task["data"]["text"]
        assert text == texts[key]
        [annotation] = task["annotations"]
        assert annotation["was_cancelled"] is False
        labels = [r for r in annotation["result"] if r["type"] == "labels"]
        assert len(labels) == len(expected[key])
        for got, want in zip(sorted(labels, key=lambda r: r["id"]), expected[key], strict=True):
            value = got["value"]
            assert (value["start"], value["end"]) == (want["value"]["start"], want["value"]["end"])
            # Offsets are Python code-point offsets: rebuild the surface from them.
            assert text[value["start"] : value["end"]] == want["value"]["text"]
            assert got["value"]["labels"] == want["value"]["labels"]
            assert got["from_name"] == want["from_name"]


def test_sdk_calls_for_the_bridge(client: LabelStudio) -> None:
    project_id = _new_project(client, "bridge calls")
    task = client.tasks.create(project=project_id, data=_task_payload("k1", TEXT_B)["data"])
    assert task.id is not None

    # tasks.update(data=...) replaces the whole data dict.
    client.tasks.update(id=task.id, data={"text": TEXT_B, "key": "k1", "extra": 1})
    assert client.tasks.get(id=task.id).data == {"text": TEXT_B, "key": "k1", "extra": 1}

    result = _labels_result(TEXT_B, [("entity", "PER", "أحمد")])
    pred = client.predictions.create(
        task=task.id, result=result, model_version="newscorpus-test-1", score=0.5
    )
    [listed] = client.predictions.list(task=task.id)
    assert listed.id == pred.id and listed.model_version == "newscorpus-test-1"

    ann = client.annotations.create(id=task.id, result=result, unique_id=str(uuid.uuid4()))
    assert [a.id for a in client.annotations.list(id=task.id)] == [ann.id]
    client.annotations.delete(id=ann.id)
    assert client.annotations.list(id=task.id) == []

    # Re-import does not dedupe: same payload -> a second task.
    client.projects.import_tasks(id=project_id, request=[{"data": {"text": "x", "key": "k1"}}])
    assert len(list(client.tasks.list(project=project_id))) == 2


def test_data_survives_stop_and_kill(ls: LabelStudioServer, client: LabelStudio) -> None:
    project_id = _new_project(client, "restart")
    client.projects.import_tasks(id=project_id, request=[_task_payload("r", TEXT_A)])
    [task] = client.tasks.list(project=project_id)
    result = _labels_result(TEXT_A, [("entity", "LOC", "İstanbul")])
    client.annotations.create(id=task.id, result=result, unique_id=str(uuid.uuid4()))
    url = ls.url

    ls.stop()
    assert not ls.running
    with pytest.raises(OSError):
        ls.health(timeout=1)
    ls.start()
    assert ls.url == url
    assert ls.health() == {"status": "UP"}
    [task_after] = client.tasks.list(project=project_id)
    assert task_after.id == task.id and task_after.data["text"] == TEXT_A

    ls.kill()  # as a crash mid-push would
    assert not ls.running
    ls.start()
    [annotation] = client.annotations.list(id=task.id)
    assert annotation.result[0]["value"]["start"] == TEXT_A.find("İstanbul")


def test_missing_setup_raises_with_hint(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match=r"tools/labelstudio\.sh install template"):
        LabelStudioServer(venv_dir=tmp_path / "nope")
    with pytest.raises(RuntimeError, match=r"tools/labelstudio\.sh install template"):
        LabelStudioServer(template_dir=tmp_path / "nope")
