"""The annotation bridge against a real Label Studio server (one server for this module).

Tests act as annotators through the API (``completed_by`` set to annotator users). Each
test pushes its own workspace to its own project, so they are independent.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from click.testing import CliRunner

from newscorpus.annotate.client import LabelStudioClient, Secret
from newscorpus.annotate.labels import build_label_config
from newscorpus.annotate.prelabel import Prelabeler
from newscorpus.annotate.pull import PullOptions, pull
from newscorpus.annotate.push import PushOptions, push, task_data
from newscorpus.annotate.results import annotation_to_result, canonical_parts
from newscorpus.annotate.state import SyncState
from newscorpus.cli.main import cli
from newscorpus.convert.base import Input
from newscorpus.convert.pagedump import PageDumpConverter
from newscorpus.errors import LabelStudioError
from newscorpus.records import Annotation, Article, dumps, read_jsonl
from newscorpus.text import find_span, sha256_text
from newscorpus.workspace import Workspace
from tests.annotate_workspace import articles, by_title, gold_annotation, make_workspace
from tests.labelstudio_server import LabelStudioServer

pytestmark = [pytest.mark.labelstudio, pytest.mark.shared_data]


@pytest.fixture(scope="module")
def annotators(ls: LabelStudioServer) -> dict[str, int]:
    with LabelStudioClient(ls.url, Secret(ls.token)) as c:
        users = {}
        for name in ("ann1", "ann2"):
            user = c.sdk.users.create(
                username=name, email=f"{name}@newscorpus.invalid", password=uuid.uuid4().hex
            )
            users[name] = int(user.id)  # type: ignore[arg-type]
        return users


def _trtworld(shared_data: Path) -> dict[str, Any]:
    dump = shared_data / "raw-page-dumps" / "trtworld-2025-11-19-istanbul-talks.txt"
    [article] = list(PageDumpConverter().convert(Input(dump, dump.name, dump.read_bytes())))
    assert isinstance(article, Article)
    return article.to_dict()


def _workspace(root: Path, shared_data: Path, title: str) -> Workspace:
    ws = make_workspace(root)
    trt = _trtworld(shared_data)
    with (ws.articles_dir / "trtworld.jsonl").open("wb") as fh:
        fh.write(dumps(trt))
    config = (root / "newscorpus.yaml").read_text(encoding="utf-8")
    (root / "newscorpus.yaml").write_text(
        config.replace("pretty_name: newscorpus annotate test", f"pretty_name: {title}"), encoding="utf-8"
    )
    return Workspace.open(root)


def _tasks(client: LabelStudioClient, project_id: int) -> list[dict[str, Any]]:
    return [
        t
        for page in client.list_tasks(
            project_id, include="id,data,updated_at", all_fields=False, page_size=1000
        )
        for t in page
    ]


def _annotate(
    client: LabelStudioClient, task_id: int, result: list[dict[str, Any]], user: int, **extra: Any
) -> int:
    ann = client.sdk.annotations.create(
        id=task_id, result=result, unique_id=str(uuid.uuid4()), completed_by=user, **extra
    )
    assert ann.id is not None
    return int(ann.id)


def _pulled(ws: Workspace) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for _, r in read_jsonl(ws.annotations_dir / "labelstudio.jsonl")}


def _trt_annotation(article: dict[str, Any]) -> Annotation:
    text = article["text"]
    peskov = find_span(text, "Dmitry Peskov")
    from newscorpus.records import Entity, Holder, Stance

    return Annotation(
        f"{article['id']}:t",
        article["id"],
        article["text_sha256"],
        "t",
        "sample",
        entities=[
            Entity("e1", *peskov, "Dmitry Peskov", "PERSON"),
            Entity("e2", *find_span(text, "Istanbul"), "Istanbul", "GPE"),
        ],
        stances=[
            Stance("s1", Holder("article"), "river-dam", "none"),
            Stance("s2", Holder("entity", "e1"), "city budget", "neutral"),
        ],
    )


def _ui_text(surface: str) -> str:
    """``value.text`` as the web UI writes it: each line break (CRLF too) as backslash + n."""
    return surface.replace("\r\n", "\\n").replace("\n", "\\n")


def _ui_region(
    rid: str, control: str, text: str, start: int, end: int, label: str, shown: str | None = None
) -> dict[str, Any]:
    """A labelled region as the editor stores it (``shown``: its ``value.text`` if not the UI's)."""
    surface = _ui_text(text[start:end]) if shown is None else shown
    return {
        "id": rid,
        "from_name": control,
        "to_name": "text",
        "type": "labels",
        "origin": "manual",
        "value": {"start": start, "end": end, "text": surface, "labels": [label]},
    }


def _ui_choice(
    rid: str, control: str, choice: str, text: str | None = None, span: tuple[int, int] | None = None
) -> dict[str, Any]:
    """A choice: per region (with the region's ``span``) or for the whole text."""
    value: dict[str, Any] = {"choices": [choice]}
    if span is not None and text is not None:
        value = {"start": span[0], "end": span[1], "text": _ui_text(text[span[0] : span[1]]), **value}
    return {"id": rid, "from_name": control, "to_name": "text", "type": "choices", "value": value}


def _ui_relation(from_id: str, to_id: str, *labels: str) -> dict[str, Any]:
    ends = {"from_id": from_id, "to_id": to_id}
    return {**ends, "type": "relation", "direction": "right", "labels": list(labels)}


def _pushed(client: LabelStudioClient, ws: Workspace) -> tuple[int, dict[str, int]]:
    """Push ``ws``: the project id and the task id of each article."""
    project_id = push(ws, client, PushOptions()).project_id
    assert project_id is not None
    return project_id, {t["data"]["newscorpus_id"]: int(t["id"]) for t in _tasks(client, project_id)}


def test_push_is_idempotent_and_pull_is_lossless(
    tmp_path: Path, shared_data: Path, client: LabelStudioClient, annotators: dict[str, int]
) -> None:
    ws = _workspace(tmp_path / "ws", shared_data, "round trip")
    first = push(ws, client, PushOptions(prelabel=Prelabeler(ws.config.labels), model_version="quotes-test"))
    assert first.created == 5 and first.problems == []
    assert first.predictions >= 4
    project_id = first.project_id
    assert project_id is not None
    tasks = {t["data"]["newscorpus_id"]: t for t in _tasks(client, project_id)}
    assert len(tasks) == 5
    for aid, article in articles(ws).items():
        assert tasks[aid]["data"] == task_data(article)  # byte for byte: emoji, İ, combining, RTL
    some = next(iter(tasks.values()))
    [prediction] = client.list_predictions(int(some["id"]))
    assert prediction["model_version"] == "quotes-test"

    # Re-push of the unchanged workspace: one read, no write, no task touched.
    again = push(ws, client)
    assert (again.writes, again.unchanged, again.created) == (0, 5, 0)
    assert {t["id"]: t["updated_at"] for t in _tasks(client, project_id)} == {
        t["id"]: t["updated_at"] for t in tasks.values()
    }

    # Annotators work: ann1 annotates everything, ann2 two articles; one ground truth; one skip.
    config = build_label_config(ws.config.labels)
    written: dict[tuple[str, str], Annotation] = {}
    for aid, article in articles(ws).items():
        record = _trt_annotation(article) if "Erdogan" in article["title"] else gold_annotation(article)
        task_id = int(tasks[aid]["id"])
        _annotate(
            client,
            task_id,
            annotation_to_result(record, config),
            annotators["ann1"],
            ground_truth="Millbrook" in article["title"],
        )
        written[(aid, f"ls-user-{annotators['ann1']}")] = record
    emoji, rtl = by_title(ws, "İstanbul dam"), by_title(ws, "السد")
    _annotate(client, int(tasks[emoji["id"]]["id"]), [], annotators["ann2"], was_cancelled=True)
    # ann2 writes like the editor does: its own region ids, value.text with altered white space.
    t = rtl["text"]
    s, e = find_span(t, "سالم العامري")
    qs, qe = find_span(t, "متوازن ولا يضر أحدا")
    ui_result = [
        _ui_region("Xy1_aB9", "entity", t, s, e, "PERSON", shown="سالم  العامري"),
        _ui_region("Qz7", "quote", t, qs, qe, "QUOTE"),
        _ui_choice("Qz7", "stance__river_dam", "against", t, (qs, qe)),
        _ui_relation("Qz7", "Xy1_aB9", "said_by"),
        _ui_choice("doc", "article_stance__city_budget", "none"),
    ]
    _annotate(client, int(tasks[rtl["id"]]["id"]), ui_result, annotators["ann2"])
    drafted = int(tasks[emoji["id"]]["id"])
    response = httpx.post(
        f"{client.url}/api/tasks/{drafted}/drafts",
        timeout=30,
        json={"result": annotation_to_result(gold_annotation(emoji), config), "lead_time": 1.0},
        headers={"Authorization": f"Token {client._token.reveal()}"},
    )
    assert response.status_code == 201, response.text

    report = pull(ws, client)
    assert report.full and report.problems == [], [str(p) for p in report.problems]
    assert (report.skipped, report.rejected, report.drafts_ignored) == (1, 0, 1)
    pulled = _pulled(ws)
    assert len(pulled) == 6
    for (aid, annotator), record in written.items():
        [got] = [r for r in pulled.values() if r["article_id"] == aid and r["annotator"] == annotator]
        assert got["origin"] == "labelstudio" and got["text_sha256"] == record.text_sha256
        assert got["external"]["project"] == project_id and got["external"]["task"] == int(tasks[aid]["id"])
        assert got["ground_truth"] is ("Millbrook" in articles(ws)[aid]["title"])
        back = Annotation.from_dict(got)
        assert canonical_parts(back.entities, back.quotes, back.stances) == canonical_parts(
            record.entities, record.quotes, record.stances
        )
    [ui] = [r for r in pulled.values() if r["annotator"] == f"ls-user-{annotators['ann2']}"]
    assert ui["entities"] == [
        {"id": "Xy1_aB9", "start": s, "end": e, "text": "سالم العامري", "label": "PERSON"}
    ]
    assert ui["quotes"][0]["speaker"] == {"start": s, "end": e, "text": "سالم العامري"}
    assert ui["quotes"][0]["speaker_entity"] == "Xy1_aB9"
    assert {(x["holder"]["type"], x["target"], x["stance"]) for x in ui["stances"]} == {
        ("quote", "river-dam", "against"),
        ("article", "city budget", "none"),
    }

    # Stable bytes: pulling again (full) rewrites the same file.
    before = (ws.annotations_dir / "labelstudio.jsonl").read_bytes()
    again = pull(ws, client, PullOptions(full=True, page_size=2))
    assert again.written == 0 and again.tasks == 5
    # The project, the token owner (a task holds a draft), the project's export list (stale
    # snapshots of earlier pulls), the export snapshot's download; the snapshot made and deleted.
    assert (again.reads, again.writes) == (4, 2)
    assert (ws.annotations_dir / "labelstudio.jsonl").read_bytes() == before
    # The export endpoint (the full pull's way) and the paged listing give the same records.
    listed = pull(ws, client, PullOptions(full=True, use_export=False, page_size=2))
    assert (listed.written, listed.removed, listed.tasks, listed.reads) == (0, 0, 5, 4)
    assert (ws.annotations_dir / "labelstudio.jsonl").read_bytes() == before

    # Drafts only when asked.
    with_drafts = pull(ws, client, PullOptions(full=True, include_drafts=True))
    assert with_drafts.drafts_ignored == 0
    assert any("draft" in r["external"] for r in _pulled(ws).values())
    pull(ws, client, PullOptions(full=True))
    assert not any("draft" in r["external"] for r in _pulled(ws).values())


def test_incremental_pull_update_delete_and_stale(
    tmp_path: Path, shared_data: Path, client: LabelStudioClient, annotators: dict[str, int]
) -> None:
    ws = _workspace(tmp_path / "ws", shared_data, "incremental")
    project_id, tasks = _pushed(client, ws)
    config = build_label_config(ws.config.labels)
    crlf, combining = by_title(ws, "Millbrook"), by_title(ws, "ferry")
    keep = _annotate(
        client,
        tasks[crlf["id"]],
        annotation_to_result(gold_annotation(crlf), config),
        annotators["ann1"],
    )
    gone = _annotate(
        client,
        tasks[combining["id"]],
        annotation_to_result(gold_annotation(combining), config),
        annotators["ann1"],
    )
    assert pull(ws, client).written == 2
    time.sleep(3.1)  # past the cursor's overlap (2 s, plus the Date header's 1 s resolution)
    assert pull(ws, client).written == 0  # may list the tasks changed within the overlap again
    quiet = pull(ws, client)
    assert (quiet.full, quiet.tasks, quiet.written) == (False, 0, 0)

    # One annotation edited, one deleted: only those tasks come back; the deletion is reconciled.
    smaller = gold_annotation(crlf)
    smaller.stances = []
    client.sdk.annotations.update(id=keep, result=annotation_to_result(smaller, config))
    client.sdk.annotations.delete(id=gone)
    changed = pull(ws, client)
    assert (changed.full, changed.tasks, changed.written, changed.removed) == (False, 2, 1, 1)
    [record] = _pulled(ws).values()
    assert record["external"]["annotation"] == keep and record["stances"] == []

    # The article's text changes: push updates the task in place and the old annotation is stale.
    path = ws.articles_dir / "articles.jsonl"
    rows = [r for _, r in read_jsonl(path)]
    for r in rows:
        if r["id"] == crlf["id"]:
            r["text"] = r["text"].replace("4 percent", "5 percent")
            r["text_sha256"] = sha256_text(r["text"])
    path.write_bytes(b"".join(dumps(r) for r in rows))
    pushed = push(ws, client)
    assert (pushed.updated, pushed.created, pushed.stale_annotations) == (1, 0, [keep])
    assert len(_tasks(client, project_id)) == 5
    report = pull(ws, client)
    [stale] = _pulled(ws).values()
    assert report.stale == [stale["id"]]
    assert stale["text_sha256"] == crlf["text_sha256"]  # the text it was made on, not shifted
    # A new annotation on the new text is current.
    new_text = next(r for r in rows if r["id"] == crlf["id"])
    fresh = gold_annotation(new_text)
    _annotate(client, tasks[crlf["id"]], annotation_to_result(fresh, config), annotators["ann2"])
    report = pull(ws, client)
    assert report.stale == [stale["id"]] and report.written == 1
    assert {r["text_sha256"] for r in _pulled(ws).values()} == {crlf["text_sha256"], new_text["text_sha256"]}


def test_pull_reports_offsets_that_do_not_match(
    tmp_path: Path, shared_data: Path, client: LabelStudioClient, annotators: dict[str, int]
) -> None:
    ws = _workspace(tmp_path / "ws", shared_data, "bad offsets")
    _, tasks = _pushed(client, ws)
    emoji = by_title(ws, "İstanbul dam")
    task_id = tasks[emoji["id"]]
    start, end = find_span(emoji["text"], "Ana Duru")
    # UTF-16 offsets (as <HyperText> or a JS client would send) are off by the emoji.
    shifted = start + 3
    bad = [
        {
            "id": "x",
            "from_name": "entity",
            "to_name": "text",
            "type": "labels",
            "value": {"start": shifted, "end": shifted + 8, "text": "Ana Duru", "labels": ["PERSON"]},
        }
    ]
    _annotate(client, int(task_id), bad, annotators["ann1"])
    report = pull(ws, client)
    assert report.rejected == 1 and report.written == 0
    assert "offsets do not match the task text" in str(report.problems[0])
    assert not (ws.annotations_dir / "labelstudio.jsonl").read_bytes()


def test_fault_lost_answer_then_restart_no_duplicate(
    tmp_path: Path, shared_data: Path, ls: LabelStudioServer
) -> None:
    ws = _workspace(tmp_path / "ws", shared_data, "fault lost answer")
    more = ws.articles_dir / "more.jsonl"
    base = next(iter(articles(ws).values()))
    with more.open("wb") as fh:
        for i in range(40):
            text = base["text"] + f"\n\nExtra paragraph {i}."
            fh.write(dumps({**base, "id": f"nc-{i:032x}", "text": text, "text_sha256": sha256_text(text)}))
    expected = set(articles(ws))
    with LabelStudioClient(ls.url, Secret(ls.token)) as client:
        real = client.sdk.projects.import_tasks
        calls = Counter[str]()

        def import_then_crash(**kwargs: Any) -> Any:
            calls["import"] += 1
            answer = real(**kwargs)
            if calls["import"] == 2:  # the server has the batch, the answer is lost
                ls.kill()
                raise httpx.RemoteProtocolError("server disconnected")
            return answer

        client.sdk.projects.import_tasks = import_then_crash  # type: ignore[method-assign]
        with pytest.raises(LabelStudioError, match="run the push again"):
            push(ws, client, PushOptions(batch_size=10))
    state = SyncState.load(ws.annotations_dir / ".labelstudio-state.json")
    assert len(state.pending) == 10 and len(state.tasks) == 10
    ls.start()
    with LabelStudioClient(ls.url, Secret(ls.token)) as client:
        report = push(ws, client, PushOptions(batch_size=10))
        assert report.reconciled and report.adopted == 10 and report.duplicates_removed == []
        assert report.created == len(expected) - 20
        ids = Counter(t["data"]["newscorpus_id"] for t in _tasks(client, report.project_id))  # type: ignore[arg-type]
        assert set(ids) == expected and max(ids.values()) == 1
        assert push(ws, client).writes == 0


def test_fault_server_killed_mid_push(tmp_path: Path, shared_data: Path, ls: LabelStudioServer) -> None:
    ws = _workspace(tmp_path / "ws", shared_data, "fault kill")
    base = next(iter(articles(ws).values()))
    with (ws.articles_dir / "more.jsonl").open("wb") as fh:
        for i in range(400):
            text = base["text"] + f"\n\nParagraph number {i}."
            fh.write(
                dumps({**base, "id": f"nc-{i + 1000:032x}", "text": text, "text_sha256": sha256_text(text)})
            )
    expected = set(articles(ws))
    killer = threading.Timer(0.4, ls.kill)
    with LabelStudioClient(ls.url, Secret(ls.token), read_retries=0) as client:
        killer.start()
        try:
            push(ws, client, PushOptions(batch_size=5))
            interrupted = False
        except LabelStudioError:
            interrupted = True
        killer.join()
    if ls.running:  # the push won the race; kill now anyway
        ls.kill()
    ls.start()
    with LabelStudioClient(ls.url, Secret(ls.token)) as client:
        report = push(ws, client, PushOptions(batch_size=50))
        ids = Counter(t["data"]["newscorpus_id"] for t in _tasks(client, report.project_id))  # type: ignore[arg-type]
    assert set(ids) == expected, f"lost {len(expected - set(ids))} (interrupted={interrupted})"
    assert max(ids.values()) == 1


def test_token_never_in_output_or_files(tmp_path: Path, shared_data: Path, ls: LabelStudioServer) -> None:
    ws = _workspace(tmp_path / "ws", shared_data, "token check")
    runner = CliRunner()
    env = {"NEWSCORPUS_LS_TOKEN": ls.token, "NEWSCORPUS_LS_URL": ls.url}
    outputs = []
    for args in (
        ["annotate", "push"],
        ["annotate", "pull"],
        ["annotate", "push", "--json"],
        ["annotate", "pull", "--full", "--json"],
        ["annotate", "export-tasks", "-o", str(tmp_path / "t.json")],
        ["annotate", "agreement"],
        ["annotate", "adjudicate"],
    ):
        result = runner.invoke(cli, [*args, "-w", str(ws.root)], env=env)
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    # Failures: a wrong token (401) and a server that is not there.
    bad = runner.invoke(
        cli, ["annotate", "push", "-w", str(ws.root)], env={**env, "NEWSCORPUS_LS_TOKEN": ls.token[::-1]}
    )
    assert bad.exit_code == 1 and "401" in bad.output
    gone = runner.invoke(
        cli, ["annotate", "push", "-w", str(ws.root), "--url", "http://127.0.0.1:9"], env=env
    )
    assert gone.exit_code == 1 and "cannot reach Label Studio" in gone.output
    outputs += [bad.output, gone.output]
    assert "Traceback" not in "".join(outputs)
    for text in outputs:
        assert ls.token not in text and ls.token[::-1] not in text
    for path in tmp_path.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert ls.token.encode() not in data and ls.token[::-1].encode() not in data, path
    assert str(Secret(ls.token)) == "***" and ls.token not in repr(Secret(ls.token))


def test_export_tasks_import_into_server(
    tmp_path: Path, shared_data: Path, client: LabelStudioClient
) -> None:
    ws = _workspace(tmp_path / "ws", shared_data, "offline tasks")
    out = tmp_path / "tasks.json"
    from newscorpus.annotate.push import export_tasks

    count, problems = export_tasks(ws, out, Prelabeler(ws.config.labels), "quotes-test")
    assert count == 5 and problems == []
    tasks = json.loads(out.read_text(encoding="utf-8"))
    project = client.create_project("offline tasks import", build_label_config(ws.config.labels).xml)
    ids = client.import_tasks(int(project["id"]), tasks)  # the server validates the predictions
    assert len(ids) == 5
    assert orjson.loads(out.read_bytes()) == tasks


def test_pull_reads_what_the_web_ui_writes(
    tmp_path: Path, shared_data: Path, client: LabelStudioClient, annotators: dict[str, int]
) -> None:
    ws = _workspace(tmp_path / "ws", shared_data, "ui shapes")
    _, tasks = _pushed(client, ws)
    config = build_label_config(ws.config.labels)
    article = by_title(ws, "Millbrook")
    t = article["text"]
    task_id = tasks[article["id"]]
    ben, mill, said = find_span(t, "Ben Whitaker"), find_span(t, "Millbrook"), find_span(t, "said")
    q0, q1 = t.index("This budget"), t.index("4 percent") + len("4 percent")
    assert "\n" in t[q0:q1]  # the quote crosses a paragraph break
    stance = config.region_stance_control("city budget")
    result = [
        _ui_region("ben", "entity", t, *ben, "PERSON"),
        _ui_region("ben", "quote", t, *ben, "SPEAKER"),  # PERSON region, then SPEAKER clicked
        _ui_region("mill", "entity", t, *mill, "GPE"),
        _ui_region("q", "quote", t, q0, q1, "QUOTE"),
        _ui_region("cue", "quote", t, *said, "CUE"),
        {
            **_ui_region("empty", "entity", t, *mill, "GPE"),
            "value": {"start": mill[0], "end": mill[1], "labels": []},
        },
        _ui_relation("q", "ben", "said_by"),
        _ui_relation("q", "cue", "cue"),
        _ui_relation("gone", "q"),
        _ui_choice("q", stance, "favor", t, (q0, q1)),
        _ui_choice("cue", stance, "against", t, said),
        _ui_choice("art", config.article_stance_control("city budget"), "neutral"),
    ]
    good = _annotate(client, task_id, result, annotators["ann1"])
    report = pull(ws, client)
    assert (report.rejected, report.written, report.problems) == (0, 1, [])
    assert [n.message.split(": ", 1)[1][:30] for n in report.notes] == [
        "region has no label left, igno",
        "relation 'gone' -> 'q' ignored",
        "stance toward 'city budget' is",
    ]
    [row] = _pulled(ws).values()
    record = Annotation.from_dict(row)
    from newscorpus.records import Entity, Holder, Quote, Span, Stance

    assert record.annotator == f"ls-user-{annotators['ann1']}"
    assert record.entities == [  # canonical order: by offsets (the title comes first)
        Entity("mill", *mill, "Millbrook", "GPE"),
        Entity("ben", *ben, "Ben Whitaker", "PERSON"),
    ]
    assert record.quotes == [
        Quote("q", q0, q1, t[q0:q1], "direct", Span(*ben, "Ben Whitaker"), "ben", Span(*said, "said"))
    ]
    assert record.stances == [
        Stance("article:city budget", Holder("article"), "city budget", "neutral"),
        Stance("q:city budget", Holder("quote", "q"), "city budget", "favor"),
    ]

    # The annotator edits it into something pull rejects: the earlier good record stays.
    bad = [dict(item) for item in result]
    bad[2] = {**bad[2], "value": {**bad[2]["value"], "labels": ["WEAPON"]}}
    client.sdk.annotations.update(id=good, result=bad)
    report = pull(ws, client)
    assert report.rejected == 1 and report.removed == 0
    assert report.kept_previous == [row["id"]]
    [problem] = report.problems
    assert str(problem).startswith(f"task {task_id} annotation {good} by ls-user-{annotators['ann1']}: ")
    assert "(region 'mill'): entity label 'WEAPON' is not in the label set" in str(problem)
    assert "1 earlier version(s) kept" in report.summary()
    assert list(_pulled(ws).values()) == [row]
    # A valid edit replaces it.
    client.sdk.annotations.update(id=good, result=[r for r in result if r.get("id") != "mill"])
    report = pull(ws, client)
    assert report.rejected == 0 and report.kept_previous == [] and report.written == 1
    assert [e["id"] for e in _pulled(ws)[row["id"]]["entities"]] == ["ben"]
