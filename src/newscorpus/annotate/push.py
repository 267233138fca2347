"""``annotate push``: a workspace's articles -> tasks of a Label Studio project.

Each article is one task whose ``data`` holds the text and our key: ``newscorpus_id`` (the
article id), ``newscorpus_sha256`` (its text hash) and ``newscorpus_key`` (both). The task
ids are cached in :class:`~.state.SyncState`:

- an article whose task data is unchanged costs nothing (a re-push of an unchanged corpus
  reads the project once and writes nothing);
- a new article is imported, in batches, with its pre-annotations as a prediction
  (``model_version`` set);
- an article whose text changed updates its task in place (``tasks.update`` replaces the
  whole ``data`` dict), replaces its predictions, and records in the task's ``meta`` which
  annotations were made on the old text (with that text), so that pull flags them stale
  instead of shifting their offsets;
- only metadata changed (title, url...): the task data is updated, nothing is stale.

Writes are never retried. Before an import batch the article ids go to ``pending`` in the
state file; if the answer is lost (server down, timeout) the next push sees them, lists the
project's tasks and reconciles: a task that landed is adopted, a duplicate without
annotations is deleted, one with annotations is reported, never deleted.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import orjson

from ..atomic import write_text
from ..errors import LabelStudioError
from ..records import Annotation, read_jsonl
from ..report import Problem, Report
from ..text import sha256_text
from ..workspace import Workspace
from .client import LabelStudioAuthError, LabelStudioClient, same_server
from .labels import LabelConfig, build_label_config
from .results import annotation_to_result
from .state import STATE_NAME, SyncState, TaskRef

META_KEY = "newscorpus"
Prelabel = Callable[[dict[str, Any]], Annotation | None]


def writable_annotations_dir(ws: Workspace) -> Path:
    """The folder for state, pulled and adjudicated files; never inside the installed package
    (a workspace whose ``annotations`` links into it would ship them in the next wheel)."""
    package = Path(__file__).resolve().parents[1]
    target = ws.annotations_dir.resolve()
    if target == package or package in target.parents:
        raise LabelStudioError(
            f"{ws.annotations_dir} is inside the newscorpus package ({target}): make it a folder "
            "of the workspace (link single sample files into it, not the whole folder)"
        )
    return ws.annotations_dir


def state_path(ws: Workspace) -> Path:
    return writable_annotations_dir(ws) / STATE_NAME


def task_data(article: dict[str, Any]) -> dict[str, Any]:
    """The ``data`` of the task for ``article`` (what the labeling config shows, plus our key)."""
    sha = sha256_text(article["text"])
    return {
        "text": article["text"],
        "title": article.get("title") or "",
        "source": article.get("source") or "",
        "url": article.get("url") or "",
        "published_at": article.get("published_at") or "",
        "newscorpus_id": article["id"],
        "newscorpus_sha256": sha,
        "newscorpus_key": f"{article['id']}:{sha[:16]}",
    }


def data_sha256(data: dict[str, Any]) -> str:
    """Fingerprint of a task's data. The text enters through ``newscorpus_sha256`` (checked
    against the text when articles are loaded and when tasks are pulled), so it is not hashed
    a second time; a task whose data lacks that field is fingerprinted whole."""
    if isinstance(data.get("newscorpus_sha256"), str) and data.get("text") is not None:
        data = {k: v for k, v in data.items() if k != "text"}
    return hashlib.sha256(orjson.dumps(data, option=orjson.OPT_SORT_KEYS)).hexdigest()


ARTICLE_ID = re.compile(r"nc-[0-9a-f]{32}")  # what the annotation schema accepts as article_id


@contextmanager
def push_lock(ws: Workspace) -> Iterator[None]:
    """Hold the workspace's push lock (a file beside the state), or fail at once.

    Two pushes of one workspace at the same time would both create the project or its tasks.
    The lock is an OS file lock: it goes away with the process, even after a crash.
    """
    import fcntl

    path = state_path(ws).with_name(STATE_NAME + ".lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            raise LabelStudioError(
                f"another push of this workspace is running ({holder} holds {path}): wait for it to end"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}")
        fh.flush()
        try:
            yield
        finally:
            fh.seek(0)
            fh.truncate()
            fcntl.flock(fh, fcntl.LOCK_UN)


def load_articles(
    ws: Workspace, files: Iterable[Path] | None = None
) -> tuple[dict[str, dict[str, Any]], list[Problem]]:
    """Articles by id from the workspace's article files; bad ones are problems, not errors."""
    articles: dict[str, dict[str, Any]] = {}
    problems: list[Problem] = []
    for path in files if files is not None else ws.article_files():
        for lineno, record in read_jsonl(Path(path)):
            where = f"{Path(path).name}:{lineno}"
            aid, text = record.get("id"), record.get("text")
            if not isinstance(aid, str) or not isinstance(text, str) or not text:
                problems.append(
                    Problem(
                        aid if isinstance(aid, str) else None,
                        "",
                        "not an article (needs a string id and a non-empty text)",
                        "input",
                        where,
                    )
                )
            elif not ARTICLE_ID.fullmatch(aid):
                problems.append(
                    Problem(
                        aid,
                        "/id",
                        "not a newscorpus article id (nc- and 32 hex digits): pull could never "
                        "read work on its task, so it is not pushed; `newscorpus convert` makes ids",
                        "input",
                        where,
                    )
                )
            elif record.get("text_sha256") != sha256_text(text):
                problems.append(
                    Problem(aid, "/text_sha256", "does not match the SHA-256 of text", "offsets", where)
                )
            elif aid in articles:
                problems.append(
                    Problem(aid, "/id", "duplicate article id (first one kept)", "duplicate", where)
                )
            else:
                articles[aid] = record
    return articles, problems


def prediction(
    article: dict[str, Any], prelabel: Prelabel | None, model_version: str, config: LabelConfig
) -> dict[str, Any] | None:
    """The prediction payload for ``article`` (None without prelabeler or without labels)."""
    if prelabel is None:
        return None
    record = prelabel(article)
    if record is None or not (record.entities or record.quotes or record.stances):
        return None
    return {"model_version": model_version, "score": 0.5, "result": annotation_to_result(record, config)}


@dataclass
class PushOptions:
    project_title: str | None = None  # default: the workspace's pretty name
    project_id: int | None = None  # an existing project to push to
    batch_size: int = 250
    prelabel: Prelabel | None = None
    model_version: str = "newscorpus"
    reconcile: bool = False  # list the project's tasks even when the cache looks fine
    overlap: int | None = None  # annotators per task (default: the workspace's annotate.overlap)


@dataclass
class PushReport(Report):
    project_id: int | None = None
    project_created: bool = False
    config_updated: bool = False
    reconciled: bool = False
    articles: int = 0
    created: int = 0
    updated: int = 0
    metadata_updated: int = 0
    unchanged: int = 0
    adopted: int = 0
    predictions: int = 0
    stale_annotations: list[int] = field(default_factory=list)
    duplicates_removed: list[int] = field(default_factory=list)
    orphan_tasks: int = 0
    overlap: int | None = None  # the project's annotators per task, when set by this push
    reads: int = 0
    writes: int = 0
    problems: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"project {self.project_id}: {self.articles} articles = created {self.created} + "
            f"updated {self.updated} + metadata {self.metadata_updated} + unchanged {self.unchanged}"
            f" (adopted after a lost answer: {self.adopted}); {self.predictions} predictions; "
            f"{len(self.stale_annotations)} annotations now stale; {self.writes} writes"
            + (f"; {self.overlap} annotators per task, overlap first" if self.overlap else "")
        )

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["problems"] = [asdict(p) for p in self.problems]
        return d


def _batches(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _squeeze(xml: str) -> str:
    return re.sub(r">\s+<", "><", xml.strip())


def open_project(
    client: LabelStudioClient,
    state: SyncState,
    config: LabelConfig,
    title: str,
    project_id: int | None,
    report: PushReport,
) -> dict[str, Any]:
    """The project to sync with (bound in ``state``), created if needed, config up to date."""
    project: dict[str, Any] | None = None
    if project_id is not None:
        project = client.get_project(project_id)
        if project is None:
            raise LabelStudioError(
                f"Label Studio at {client.url} has no project {project_id}: check --project-id "
                "(the project list is at /projects), or leave it out to create a project"
            )
    elif state.project_id is not None and same_server(state.url, client.url):
        project = client.get_project(state.project_id)
    if project is None:
        found = client.find_projects(title)
        if len(found) > 1:
            ids = ", ".join(str(p["id"]) for p in found)
            raise LabelStudioError(
                f"several projects are titled {title!r} (ids {ids}); pick one with --project-id"
            )
        if found:
            project = client.get_project(int(found[0]["id"]))
    if project is None:
        project = client.create_project(title, config.xml, "newscorpus annotation project")
        report.project_created = True
    url = state.url if same_server(state.url, client.url) and state.url else client.url
    state.bind(url, int(project["id"]), project.get("title") or title)
    if _squeeze(project.get("label_config") or "") != _squeeze(config.xml):
        client.update_project(int(project["id"]), label_config=config.xml)
        report.config_updated = not report.project_created
    state.label_config_sha256 = config.sha256
    report.project_id = int(project["id"])
    return project


def set_overlap(client: LabelStudioClient, project_id: int, overlap: int) -> None:
    """Let ``overlap`` annotators label every task, overlapping tasks first.

    A new project allows one annotation per task, so two annotators using "Label All Tasks"
    never see the same task. Set after the import so every task gets the overlap.
    """
    client.update_project(
        project_id, maximum_annotations=overlap, overlap_cohort_percentage=100, show_overlap_first=True
    )


def reconcile(
    client: LabelStudioClient, state: SyncState, report: PushReport, articles: dict[str, dict[str, Any]]
) -> None:
    """Rebuild ``state.tasks`` from the server; remove duplicate tasks that nobody annotated."""
    assert state.project_id is not None
    pending = set(state.pending)
    by_article: dict[str, list[dict[str, Any]]] = {}
    for page in client.list_tasks(
        state.project_id,
        all_fields=False,
        page_size=1000,
        include="id,data,total_annotations,cancelled_annotations",
    ):
        for task in page:
            aid = (task.get("data") or {}).get("newscorpus_id")
            if isinstance(aid, str):
                by_article.setdefault(aid, []).append(task)
            else:
                report.orphan_tasks += 1
    state.tasks.clear()
    for aid, tasks in sorted(by_article.items()):

        def worked(t: dict[str, Any]) -> int:
            return int(t.get("total_annotations") or 0) + int(t.get("cancelled_annotations") or 0)

        tasks.sort(key=lambda t: (-worked(t), t["id"]))
        keep, extra = tasks[0], tasks[1:]
        for dup in extra:
            if worked(dup):
                report.problems.append(
                    Problem(
                        aid,
                        "",
                        f"duplicate tasks {keep['id']} and {dup['id']} both "
                        "have annotations; merge them in Label Studio",
                        "labelstudio:duplicate",
                        f"task {dup['id']}",
                    )
                )
            else:
                client.delete_task(int(dup["id"]))
                report.duplicates_removed.append(int(dup["id"]))
        data = keep.get("data") or {}
        state.tasks[aid] = TaskRef(int(keep["id"]), str(data.get("newscorpus_sha256")), data_sha256(data))
        if aid not in articles:
            report.orphan_tasks += 1
        elif aid in pending:
            report.adopted += 1
    state.pending.clear()
    state.save()
    report.reconciled = True


def _supersede(client: LabelStudioClient, task_id: int) -> tuple[dict[str, Any], list[int]]:
    """The task's new ``meta`` recording its annotations as made on its current text."""
    task = client.get_task(task_id)
    meta = dict(task.get("meta") or {})
    ours = dict(meta.get(META_KEY) or {})
    annotations = {str(a["id"]): a.get("updated_at") for a in task.get("annotations") or []}
    superseded = list(ours.get("superseded") or [])
    if annotations:
        old = task.get("data") or {}
        superseded.append(
            {
                "text_sha256": old.get("newscorpus_sha256") or sha256_text(old.get("text", "")),
                "text": old.get("text", ""),
                "annotations": annotations,
            }
        )
    ours["superseded"] = superseded
    meta[META_KEY] = ours
    return meta, sorted(int(a) for a in annotations)


def push(
    ws: Workspace,
    client: LabelStudioClient,
    options: PushOptions | None = None,
    articles: dict[str, dict[str, Any]] | None = None,
) -> PushReport:
    """Create or update the project and its tasks; see the module documentation."""
    with push_lock(ws):
        return _push(ws, client, options, articles)


def _push(
    ws: Workspace,
    client: LabelStudioClient,
    options: PushOptions | None,
    articles: dict[str, dict[str, Any]] | None,
) -> PushReport:
    options = options or PushOptions()
    report = PushReport()
    reads0, writes0 = client.reads, client.writes
    if articles is None:
        articles, problems = load_articles(ws)
        report.problems.extend(problems)
    config = build_label_config(ws.config.labels)
    state = SyncState.load(state_path(ws))
    title = options.project_title or ws.config.pretty_name or ws.config.name
    try:
        project = open_project(client, state, config, title, options.project_id, report)
        trusted = (
            not options.reconcile
            and not report.project_created
            and not state.pending
            and int(project.get("task_number") or 0) == len(state.tasks)
        )
        if report.project_created:
            state.tasks.clear()
        elif not trusted:
            reconcile(client, state, report, articles)
        report.articles = len(articles)
        new: list[str] = []
        for aid in sorted(articles):
            article = articles[aid]
            data = task_data(article)
            ref = state.tasks.get(aid)
            if ref is None:
                new.append(aid)
            elif ref.data_sha256 == data_sha256(data):
                report.unchanged += 1
            elif ref.text_sha256 == data["newscorpus_sha256"]:
                client.update_task(ref.task_id, data)
                state.tasks[aid] = TaskRef(ref.task_id, ref.text_sha256, data_sha256(data))
                report.metadata_updated += 1
            else:
                _update_text(client, state, report, options, config, aid, article, data, ref)
        for batch in _batches(new, max(1, options.batch_size)):
            payloads = []
            for aid in batch:
                payload: dict[str, Any] = {"data": task_data(articles[aid])}
                pred = prediction(articles[aid], options.prelabel, options.model_version, config)
                if pred is not None:
                    payload["predictions"] = [pred]
                    report.predictions += 1
                payloads.append(payload)
            state.pending = list(batch)
            state.save()
            ids = client.import_tasks(int(state.project_id), payloads)  # type: ignore[arg-type]
            for aid, task_id, payload in zip(batch, ids, payloads, strict=True):
                state.tasks[aid] = TaskRef(
                    task_id, payload["data"]["newscorpus_sha256"], data_sha256(payload["data"])
                )
            report.created += len(batch)
            state.pending = []
            state.save()
        overlap = options.overlap or ws.config.overlap
        if overlap is not None:
            set_overlap(client, int(state.project_id), overlap)  # type: ignore[arg-type]
            report.overlap = overlap
    except LabelStudioAuthError:
        state.save()
        raise
    except LabelStudioError as exc:
        state.save()
        done = report.created + report.updated + report.metadata_updated
        raise LabelStudioError(
            f"push interrupted after {done} task write(s): {exc}; run the push "
            "again: it reconciles with the server and resumes"
        ) from None
    state.save()
    report.reads, report.writes = client.reads - reads0, client.writes - writes0
    return report


def _update_text(
    client: LabelStudioClient,
    state: SyncState,
    report: PushReport,
    options: PushOptions,
    config: LabelConfig,
    aid: str,
    article: dict[str, Any],
    data: dict[str, Any],
    ref: TaskRef,
) -> None:
    meta, stale = _supersede(client, ref.task_id)
    client.update_task(ref.task_id, data, meta)
    state.tasks[aid] = TaskRef(ref.task_id, data["newscorpus_sha256"], data_sha256(data))
    state.save()
    report.updated += 1
    report.stale_annotations.extend(stale)
    for old in client.list_predictions(ref.task_id):
        client.delete_prediction(int(old["id"]))
    pred = prediction(article, options.prelabel, options.model_version, config)
    if pred is not None:
        client.import_predictions(int(state.project_id), [{**pred, "task": ref.task_id}])  # type: ignore[arg-type]
        report.predictions += 1


def export_tasks(
    ws: Workspace,
    out: Path,
    prelabel: Prelabel | None = None,
    model_version: str = "newscorpus",
    config_out: Path | None = None,
) -> tuple[int, list[Problem]]:
    """Write an importable Label Studio tasks file (JSON list) without a server.

    Returns the number of tasks and the article problems. ``config_out`` receives the
    labeling config XML to create the project with."""
    articles, problems = load_articles(ws)
    config = build_label_config(ws.config.labels)
    tasks = []
    for aid in sorted(articles):
        task: dict[str, Any] = {"data": task_data(articles[aid])}
        pred = prediction(articles[aid], prelabel, model_version, config)
        if pred is not None:
            task["predictions"] = [pred]
        tasks.append(task)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_text(out, json.dumps(tasks, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    if config_out is not None:
        config_out.parent.mkdir(parents=True, exist_ok=True)
        config_out.write_text(config.xml, encoding="utf-8")
    return len(tasks), problems
