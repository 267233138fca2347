"""``annotate pull``: annotations of a Label Studio project -> ``annotations/labelstudio.jsonl``.

Incremental by default: only tasks whose ``updated_at`` is after the cursor in the state file
are listed (a task's ``updated_at`` moves when an annotation is created, updated or deleted),
with the full JSON of their annotations (never JSON_MIN/CSV, which drop relations and
per-region choices). The new cursor is the server's clock at the start of the listing minus
a small overlap, so a change made while the pull runs is picked up by the next one.

Every annotation of a listed task becomes one Annotation record (origin ``labelstudio``,
``external`` = server, project, task and annotation ids) after its regions are read
with :func:`~.results.read_result`: surfaces rebuilt from offsets and checked, relations and
per-region stance choices kept. What happens to the rest:

- skipped tasks (``was_cancelled``) are counted, not written;
- drafts are ignored unless asked for (the listing holds the token owner's drafts; saving a
  draft does not move ``updated_at``, so pull drafts with ``--full``);
- ground truth is kept as ``ground_truth``; several annotators per task give several records;
- an annotation deleted in Label Studio disappears from the file (the records of a listed
  task are replaced as a whole; a full pull replaces the whole project). A full pull reads one
  export snapshot of the project: every task of one moment, so also which tasks are still
  there; it counts the same tasks and drafts as the listing would (annotated tasks, the token
  owner's drafts). An incremental pull lists the task ids when the count or a listed task the
  state does not know says that a task was deleted;
- an annotation made before its task's text was replaced (recorded by push in the task's
  ``meta``) keeps the old ``text_sha256`` and is reported stale, never shifted;
- an annotation whose regions do not fit its text or the label set is rejected with its
  problems (task, annotation, annotator, region id, reason), never written half; the earlier
  version pulled of it, if any, stays in the file (``kept_previous``) until a valid one
  replaces it; parts that can be left out alone (a stance on a SPEAKER region, a relation to
  a deleted region) are dropped and listed as ``notes``.

The file is sorted by article id and record id, one record per line with sorted keys:
the same server state always gives the same bytes.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from ..atomic import write_bytes
from ..errors import LabelStudioError
from ..records import Annotation, dumps, read_jsonl
from ..report import Problem, Report
from ..schema import DEFAULT_STORE
from ..text import sha256_text
from ..workspace import Workspace
from .client import LabelStudioClient, ls_datetime, same_server
from .labels import LabelConfig, build_label_config
from .push import META_KEY, load_articles, state_path, writable_annotations_dir
from .results import read_result
from .state import SyncState

OUTPUT_NAME = "labelstudio.jsonl"
ANNOTATED = {
    "conjunction": "or",
    "items": [
        {"filter": "filter:tasks:total_annotations", "operator": "greater", "type": "Number", "value": 0},
        {"filter": "filter:tasks:cancelled_annotations", "operator": "greater", "type": "Number", "value": 0},
    ],
}


@dataclass
class PullOptions:
    full: bool = False
    include_drafts: bool = False
    annotator_emails: bool = False  # default: pseudonymous "ls-user-<id>"
    overlap_seconds: float = 2.0
    page_size: int = 100
    output_name: str = OUTPUT_NAME
    use_export: bool = True  # a full pull reads an export snapshot of the project


@dataclass
class TaskOutcome:
    records: list[Annotation] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)  # ``records`` as dicts
    problems: list[Problem] = field(default_factory=list)
    annotations: int = 0
    rejected: int = 0
    skipped: int = 0
    drafts_ignored: int = 0
    rejected_ids: set[str] = field(default_factory=set)  # record ids the rejected units would have
    notes: list[Problem] = field(default_factory=list)


@dataclass
class PullReport(Report):
    project_id: int | None = None
    full: bool = False
    tasks: int = 0
    annotations: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    rejected: int = 0
    skipped: int = 0
    drafts_ignored: int = 0
    stale: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # parts dropped from records that were kept
    kept_previous: list[str] = field(default_factory=list)  # earlier records kept: their new version failed
    cursor: str | None = None
    output: str | None = None
    reads: int = 0
    writes: int = 0

    def summary(self) -> str:
        mode = "full" if self.full else "incremental"
        return (
            f"{mode} pull of project {self.project_id}: {self.tasks} tasks, {self.annotations} "
            f"annotations = kept {self.annotations - self.rejected - self.skipped} + rejected "
            f"{self.rejected} + skipped {self.skipped}; file: {self.written} new or changed, "
            f"{self.removed} removed, {self.unchanged} unchanged; {len(self.stale)} stale; "
            f"{self.drafts_ignored} drafts ignored"
            + (
                f"; {len(self.kept_previous)} earlier version(s) kept because the new one was rejected"
                if self.kept_previous
                else ""
            )
            + (f"; {len(self.notes)} part(s) dropped (see notes)" if self.notes else "")
        )

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["problems"] = [asdict(p) for p in self.problems]
        d["notes"] = [asdict(p) for p in self.notes]
        return d


def annotator_name(user: Any, emails: bool) -> str:
    """``ls-user-<id>`` (or the e-mail when asked and known) for a ``completed_by`` value."""
    if isinstance(user, dict):
        if emails and user.get("email"):
            return str(user["email"])
        user = user.get("id")
    if isinstance(user, str) and not user.isdigit():
        return user if emails else "ls-user-unknown"
    return f"ls-user-{user}" if user is not None else "ls-user-unknown"


def _superseded(task: dict[str, Any]) -> dict[str, tuple[str, str, Any]]:
    """Annotation id -> (old text sha, old text, its updated_at then), newest replacement first."""
    meta = task.get("meta") if isinstance(task.get("meta"), dict) else {}
    out: dict[str, tuple[str, str, Any]] = {}
    for entry in reversed(((meta or {}).get(META_KEY) or {}).get("superseded") or []):
        for ann_id, updated in (entry.get("annotations") or {}).items():
            out.setdefault(str(ann_id), (entry.get("text_sha256"), entry.get("text", ""), updated))
    return out


def task_records(
    task: dict[str, Any],
    config: LabelConfig,
    *,
    origin: str = "labelstudio",
    server: str | None = None,
    project_id: int | None = None,
    include_drafts: bool = False,
    emails: bool = False,
    article_id: str | None = None,
    text_field: str = "text",
) -> TaskOutcome:
    """Annotation records of one task in Label Studio's full JSON (listing or export)."""
    out = TaskOutcome()
    data = task.get("data") if isinstance(task.get("data"), dict) else {}
    task_id = task.get("id")
    where = f"task {task_id}"
    aid = article_id or data.get("newscorpus_id")  # type: ignore[union-attr]
    text = data.get(text_field)  # type: ignore[union-attr]
    annotations = [a for a in task.get("annotations") or [] if isinstance(a, dict)]
    drafts = [d for d in task.get("drafts") or [] if isinstance(d, dict)]
    if not include_drafts:
        out.drafts_ignored = len(drafts)
        drafts = []
    units = [("annotation", a) for a in annotations] + [("draft", d) for d in drafts]
    out.annotations = len(units)
    if not isinstance(aid, str) or not isinstance(text, str):
        if units:
            out.rejected = len(units)
            out.problems.append(
                Problem(
                    None,
                    "/data",
                    f"no newscorpus_id or no {text_field!r} text in the task data: not a newscorpus task",
                    "labelstudio:task",
                    where,
                )
            )
        return out
    sha = sha256_text(text)
    if (data.get("newscorpus_sha256") or sha) != sha:  # type: ignore[union-attr]
        out.rejected = len(units)
        out.problems.append(
            Problem(
                aid,
                "/data/text",
                "the task text does not match its newscorpus_sha256 (was it edited in Label Studio?)",
                "labelstudio:task",
                where,
            )
        )
        return out
    superseded = _superseded(task)
    external_base = {"system": "labelstudio", "server": server, "project": project_id, "task": task_id}
    for kind, unit in units:
        uid = unit.get("id")
        user = unit.get("completed_by") if kind == "annotation" else unit.get("user")
        annotator = annotator_name(user, emails)
        location = f"{where} {kind} {uid} by {annotator}"
        prefix = "" if kind == "annotation" else "draft-"
        record_id = f"{aid}:ls-{project_id if project_id is not None else 'x'}-{prefix}{uid}"
        if kind == "annotation" and unit.get("was_cancelled"):
            out.skipped += 1
            continue
        unit_text, unit_sha = text, sha
        old = superseded.get(str(uid)) if kind == "annotation" else None
        if old is not None and old[2] == unit.get("updated_at"):
            unit_sha, unit_text = old[0], old[1]
        parsed = read_result(unit.get("result"), unit_text, config)
        if parsed.problems:
            out.rejected += 1
            out.rejected_ids.add(record_id)
            out.problems.extend(
                Problem(aid, "", msg, "labelstudio:result", location) for msg in parsed.problems
            )
            continue
        external = {**external_base, "annotation" if kind == "annotation" else "draft": uid}
        # No ``unique_id``: the task listing (incremental pulls) never gives it and the export
        # (full pulls) does; a record must not change with the way it was read.
        record = Annotation(
            id=record_id,
            article_id=aid,
            text_sha256=unit_sha,
            annotator=annotator,
            origin=origin,
            ground_truth=bool(unit.get("ground_truth")) if kind == "annotation" else False,
            entities=parsed.entities,
            quotes=parsed.quotes,
            stances=parsed.stances,
            created_at=unit.get("created_at"),
            updated_at=unit.get("updated_at"),
        )
        row = record.to_dict()
        # ``external`` set after ``to_dict``, which would deep-copy it (a fresh dict of scalars).
        record.external = row["external"] = {k: v for k, v in external.items() if v is not None}
        problems = DEFAULT_STORE.problems(row, "annotation", location, article_text=unit_text)
        if problems:
            out.rejected += 1
            out.rejected_ids.add(record_id)
            out.problems.extend(problems)
            continue
        out.notes.extend(Problem(aid, "", msg, "labelstudio:dropped", location) for msg in parsed.notes)
        out.records.append(record)
        out.rows.append(row)
    return out


def read_output(path: Path) -> dict[str, dict[str, Any]]:
    if not path.is_file():
        return {}
    return {r["id"]: r for _, r in read_jsonl(path)}


def write_output(path: Path, records: dict[str, dict[str, Any]]) -> bool:
    """Write records sorted by (article id, id); returns False when the bytes are unchanged."""
    body = b"".join(dumps(r) for r in sorted(records.values(), key=lambda r: (r["article_id"], r["id"])))
    if path.is_file() and path.read_bytes() == body:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes(path, body)
    return True


def _mine(record: dict[str, Any], server: str, project_id: int) -> bool:
    ext = record.get("external") or {}
    return (
        ext.get("system") == "labelstudio"
        and same_server(ext.get("server"), server)
        and ext.get("project") == project_id
    )


def _workspace_side(
    ws: Workspace, path: Path
) -> tuple[LabelConfig, dict[str, dict[str, Any]], dict[str, str]]:
    """What a pull reads from the workspace (while the server works on its first answer): the
    label config, the records pulled before, and each article's text hash."""
    config = build_label_config(ws.config.labels)
    existing = read_output(path)
    articles, _ = load_articles(ws)  # checks text_sha256 against the text
    return config, existing, {aid: a["text_sha256"] for aid, a in articles.items()}


def _task_ids(client: LabelStudioClient, project_id: int) -> set[int]:
    return {
        int(t["id"])
        for page in client.list_tasks(project_id, include="id", all_fields=False, page_size=1000)
        for t in page
    }


def _own_drafts(client: LabelStudioClient, drafts: list[Any], owner: list[str]) -> list[Any]:
    """The drafts of an export that the task listing would give too: the token owner's (an
    export holds every user's; a draft's ``user`` is its author's e-mail)."""
    if not owner:
        owner.append(str(client.whoami().get("email") or ""))
    return [d for d in drafts if isinstance(d, dict) and d.get("user") == owner[0]]


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """The cyclic garbage collector off (then back as it was): a full pull makes millions of
    small dicts and lists, none in a cycle, and each collection of the older generations
    walks all of them again (0.5 s of the 1.4 s of client CPU a pull of 5,000 tasks costs).
    Reference counting still frees everything the pull drops."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def pull(ws: Workspace, client: LabelStudioClient, options: PullOptions | None = None) -> PullReport:
    """Bring the project's annotations into the workspace; see the module documentation."""
    with _no_cyclic_gc():
        return _pull(ws, client, options or PullOptions())


def _pull(ws: Workspace, client: LabelStudioClient, options: PullOptions) -> PullReport:
    state = SyncState.load(state_path(ws))
    if state.project_id is None or not same_server(state.url, client.url):
        raise LabelStudioError(
            f"no project pushed to {client.url} from this workspace yet: run `newscorpus annotate push` first"
        )
    project_id = state.project_id
    report = PullReport(project_id=project_id, full=options.full or state.cursor is None)
    reads0, writes0 = client.reads, client.writes
    path = writable_annotations_dir(ws) / options.output_name
    with ThreadPoolExecutor(max_workers=1) as pool:
        local = pool.submit(_workspace_side, ws, path)
        client.server_date = None
        project = client.get_project(project_id)
        if project is None:
            raise LabelStudioError(
                f"Label Studio at {client.url} has no project {project_id} any more (deleted?): "
                "`newscorpus annotate push` creates a new one; what was pulled before stays in the file"
            )
        started = client.server_date  # before any task is read: nothing changed since is missed
        task_number = int(project.get("task_number") or 0)
        known = {ref.task_id for ref in state.tasks.values()}
        via_export = report.full and options.use_export and not options.include_drafts
        via_export = via_export and not options.annotator_emails
        if via_export:
            # An export snapshot gives the same full JSON as the listing for much less server
            # work; the listing stays for drafts (the export holds every user's) and e-mail
            # names. It holds every task of one moment, so it also says which tasks are there.
            pages = iter([client.export_snapshot(project_id)])
        elif report.full:
            query = None if options.include_drafts else {"filters": ANNOTATED}
            pages = iter(client.list_tasks(project_id, query=query, page_size=options.page_size))
        else:
            since = {"filter": "filter:tasks:updated_at", "operator": "greater", "type": "Datetime"}
            query = {"filters": {"conjunction": "and", "items": [{**since, "value": state.cursor}]}}
            pages = iter(client.list_tasks(project_id, query=query, page_size=options.page_size))
        first = next(pages, None)  # the workspace is read meanwhile
        config, existing, article_sha = local.result()
    fresh: dict[str, dict[str, Any]] = {}
    failed: set[str] = set()
    listed: set[int] = set()
    owner: list[str] = []  # the token owner's e-mail, asked for at the first draft in an export

    def read(tasks: Iterable[list[dict[str, Any]]]) -> None:
        for page in tasks:
            for task in page:
                listed.add(int(task["id"]))
                if via_export:
                    if not task.get("annotations"):
                        continue  # not annotated: the listing would not give it; its id was needed
                    if task.get("drafts"):
                        task = {**task, "drafts": _own_drafts(client, task["drafts"], owner)}
                outcome = task_records(
                    task,
                    config,
                    server=state.url,
                    project_id=project_id,
                    include_drafts=options.include_drafts,
                    emails=options.annotator_emails,
                )
                report.tasks += 1
                report.annotations += outcome.annotations
                report.rejected += outcome.rejected
                report.skipped += outcome.skipped
                report.drafts_ignored += outcome.drafts_ignored
                report.problems.extend(outcome.problems)
                report.notes.extend(outcome.notes)
                failed.update(outcome.rejected_ids)
                for record, row in zip(outcome.records, outcome.rows, strict=True):
                    fresh[record.id] = row

    read([first] if first is not None else [])
    read(pages)
    started = started or client.server_date
    alive: set[int] | None = listed if via_export else None
    if not report.full and (task_number != len(known) or listed - known):
        alive = _task_ids(client, project_id)  # a task was deleted, or one made in Label Studio
    mine = {rid for rid, r in existing.items() if _mine(r, client.url, project_id)}
    if report.full:
        replaced = set(mine)
    else:
        replaced = {rid for rid in mine if existing[rid]["external"].get("task") in listed}
    if alive is not None:
        replaced |= {rid for rid in mine if existing[rid]["external"].get("task") not in alive}
        for aid, ref in list(state.tasks.items()):
            if ref.task_id not in alive:
                del state.tasks[aid]
    # An earlier good version of an annotation whose new version fails stays until a valid
    # version replaces it (or the annotation is deleted): a slip in the editor loses no work.
    report.kept_previous = sorted(replaced & failed)
    replaced -= failed
    merged = {rid: r for rid, r in existing.items() if rid not in replaced}
    report.removed = len(replaced - fresh.keys())
    for rid, row in fresh.items():
        if existing.get(rid) == row:
            report.unchanged += 1
        else:
            report.written += 1
        merged[rid] = row
    if report.full or report.written or report.removed or not path.is_file():
        write_output(path, merged)  # a full pull also puts a hand-edited file back in order
    report.output = str(path)
    report.stale = sorted(
        rid
        for rid, r in merged.items()
        if r["article_id"] in article_sha
        and r["text_sha256"] != article_sha[r["article_id"]]
        and _mine(r, client.url, project_id)
    )
    if started is not None:
        state.cursor = ls_datetime(started - timedelta(seconds=options.overlap_seconds))
    report.cursor = state.cursor
    state.save()
    report.reads, report.writes = client.reads - reads0, client.writes - writes0
    return report
