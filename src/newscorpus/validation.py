"""Validation of a workspace: what ``newscorpus validate`` checks and a release build takes
in (articles, annotations, gold selection). It lives beside :mod:`newscorpus.schema`, which
checks single records; this module checks them together.

Each article file is read once (its SHA-256 is taken from the same bytes) and each line
checked by the schema's typed decoder (:attr:`newscorpus.schema.CompiledSchema.typed`: a
sound fast path that does not decode the text); a line it refuses gets the full
per-record check (jsonschema-rs, explained by jsonschema). The checks JSON Schema cannot
express (text hash, block offsets, title, credits) then run over the Arrow batches the
build streams anyway (:mod:`newscorpus.columnar`), so the text is parsed once, by pyarrow,
and never becomes Python strings. The report is the one the per-record path gives (same
problems, same order). A file's valid verdict is cached by content hash, schema hash and
tool version, so an unchanged file is not validated twice; the rows are streamed in column
batches with ``pyarrow.json.open_json``: no whole-corpus table is ever held.

Annotations are validated, their spans checked against the article text as it streams by,
and their ``text_sha256`` compared with the article's: a mismatch is a *stale* annotation
and stops the build.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pajson

from . import __version__
from .articlefiles import ArticleChecks, FileScan, Scan, scan_article_file, scan_in_pool
from .atomic import write_text
from .checksums import file_sha256
from .errors import InvalidRecordsError, ReleaseError
from .records import read_jsonl
from .report import Problem, ValidationReport
from .schema import DEFAULT_STORE, SchemaStore
from .workspace import Workspace

_STR = pa.string()
READ_SCHEMA = pa.schema([
    ("schema_version", _STR), ("id", _STR), ("url", _STR), ("source", _STR), ("title", _STR),
    ("subtitle", _STR),
    ("authors", pa.list_(_STR)), ("published_at", _STR), ("modified_at", _STR), ("section", _STR),
    ("language", _STR), ("text", _STR), ("text_sha256", _STR),
    ("blocks", pa.list_(pa.struct([("kind", _STR), ("start", pa.int64()), ("end", pa.int64())]))),
    ("credits", pa.list_(pa.struct([("role", _STR), ("name", _STR), ("block", pa.int64())]))),
    # the converter (recorded in the release manifest) and the input's digest (its pattern)
    ("origin", pa.struct([("format", _STR), ("sha256", _STR)])),
])
CACHE_FILE = ".newscorpus/validated.json"


def _cache_key(store: SchemaStore) -> str:
    h = hashlib.sha256(__version__.encode())
    for kind in ("article",):
        for version in store.versions(kind):
            h.update(store.path(kind, version).read_bytes())
    return h.hexdigest()


@dataclass
class ReleaseInputs:
    """The checked inputs of a release, except the article rows themselves, which are
    streamed in batches (:func:`iter_article_batches`) so that memory stays flat."""

    files: list[Path]
    annotations: list[dict[str, Any]]
    gold: dict[str, dict[str, Any]]
    input_files: dict[str, str] = field(default_factory=dict)
    report: ValidationReport = field(default_factory=ValidationReport)
    locations: dict[str, str] = field(default_factory=dict)  # annotation id -> file:line
    articles: ArticleChecks | None = None  # article checks left for the streaming pass
    articles_folder: str = "articles"  # as named in input_files


def _load_cache(ws: Workspace, key: str) -> dict[str, Any]:
    cache_path = ws.root / CACHE_FILE
    cache: dict[str, Any] = {}
    if cache_path.is_file():
        try:
            cache = json.loads(cache_path.read_text())
        except ValueError:
            cache = {}
        if cache.get("key") != key:
            cache = {}
    cache.setdefault("valid", {})
    cache["key"] = key
    return cache


def _save_cache(ws: Workspace, cache: dict[str, Any]) -> None:
    write_text(ws.root / CACHE_FILE, json.dumps(cache, sort_keys=True))


def remember_valid(ws: Workspace, path: Path, records: int, store: SchemaStore = DEFAULT_STORE) -> None:
    """Record that every one of the ``records`` lines of ``path`` passed
    :meth:`SchemaStore.problems` (as ``convert`` checks each record it writes), so that the
    next release build does not validate the file again while its bytes are unchanged."""
    cache = _load_cache(ws, _cache_key(store))
    cache["valid"][file_sha256(path)] = records
    _save_cache(ws, cache)


def validate_article_files(ws: Workspace, files: list[Path], use_cache: bool = True,
                           store: SchemaStore = DEFAULT_STORE,
                           digests: dict[Path, str] | None = None) -> ValidationReport:
    """Validate article files, skipping those whose valid verdict is cached (``digests``
    collects each file's SHA-256). The report is the per-record path's
    (:func:`newscorpus.schema.validate_jsonl` of each file)."""
    checks = start_article_checks(ws, files, use_cache, store)
    try:
        checks.check_files(lambda paths: iter_file_batches(paths, on_error=checks.read_failed))
        report = checks.finish()
    finally:
        checks.close()
    if digests is not None:
        digests.update(checks.digests())
    return report


PARALLEL_BYTES = 64 << 20  # scan in worker processes above this many bytes of JSONL


def _start_scans(paths: list[Path], store: SchemaStore) -> tuple[dict[Path, Scan], Any]:
    """Scans of ``paths``: done here for small inputs, else started in worker processes
    (one file per task, even a single file: the scan then overlaps with the caller's
    streaming of the rows; the pool is returned to be shut down when they are done)."""
    import os

    jobs = min(os.cpu_count() or 1, len(paths))
    if (jobs < 1 or (os.cpu_count() or 1) < 2 or store is not DEFAULT_STORE
            or sum(p.stat().st_size for p in paths) < PARALLEL_BYTES):
        return {p: scan_article_file(p, store) for p in paths}, None
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=jobs)
    return scan_in_pool(pool, paths), pool


def start_article_checks(ws: Workspace, files: list[Path], use_cache: bool = True,
                         store: SchemaStore = DEFAULT_STORE) -> ArticleChecks:
    """Start scanning the article files not cached as valid; the returned checks still
    need the rows of the scanned files (:meth:`ArticleChecks.check`), then
    :meth:`ArticleChecks.finish` (which waits for the scans) and :meth:`ArticleChecks.close`."""
    cache = _load_cache(ws, _cache_key(store)) if use_cache else {"valid": {}}
    valid = cache["valid"]
    cached = 0
    todo: list[Path] = []
    digests: dict[Path, str] = {}
    for path in files:
        digest = file_sha256(path) if use_cache else None
        if digest is not None and digest in valid:
            cached += valid[digest]
            digests[path] = digest
        else:
            todo.append(path)
    scans, pool = _start_scans(todo, store)

    def remember(ok: list[FileScan]) -> None:
        valid.update({scan.digest: scan.total for scan in ok})
        _save_cache(ws, cache)

    return ArticleChecks(files, scans, cached, remember if use_cache else None, store, pool,
                         digests)


BLOCK_SIZE = 1 << 24  # bytes of JSONL per parsed batch


def iter_article_batches(files: list[Path], prefetch: int = 2) -> Iterator[pa.RecordBatch]:
    """Article rows (the columns of :data:`READ_SCHEMA`) in batches, file by file, in order.

    With ``prefetch``, a background thread parses up to that many batches ahead (pyarrow
    parses without the GIL), so parsing overlaps with the caller's work."""
    for _path, batch in iter_file_batches(files, prefetch):
        yield batch


ReadFailed = Callable[[Path], bool]


def iter_file_batches(files: list[Path], prefetch: int = 2, on_error: ReadFailed | None = None
                      ) -> Iterator[tuple[Path, pa.RecordBatch]]:
    """:func:`iter_article_batches` with the file each batch comes from. When pyarrow cannot
    read a file, ``on_error(path)`` may take it (return True: the rest of the file is
    skipped and the next file read; records it could not read are explained elsewhere)."""
    if prefetch <= 0:
        yield from _read_batches(files, on_error)
        return
    import queue
    import threading

    q: queue.Queue[Any] = queue.Queue(maxsize=prefetch)
    done = object()
    stop = threading.Event()

    def put(item: Any) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for batch in _read_batches(files, on_error):
                if not put(batch):
                    return
            put(done)
        except BaseException as exc:  # handed to the consumer
            put(exc)

    thread = threading.Thread(target=produce, name="newscorpus-read", daemon=True)
    thread.start()
    try:
        while (item := q.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


def _read_batches(files: list[Path], on_error: ReadFailed | None = None
                  ) -> Iterator[tuple[Path, pa.RecordBatch]]:
    options = pajson.ParseOptions(explicit_schema=READ_SCHEMA, unexpected_field_behavior="ignore")
    read = pajson.ReadOptions(block_size=BLOCK_SIZE)
    for path in files:
        if path.stat().st_size == 0:
            continue
        try:
            with pajson.open_json(path, read_options=read, parse_options=options) as reader:
                for batch in reader:
                    if batch.num_rows:
                        yield path, batch.select(READ_SCHEMA.names)
        except pa.ArrowInvalid:
            if on_error is None or not on_error(path):
                raise


def _annotation_lines(path: Path) -> Iterator[tuple[int, Any]]:
    """The records of an annotation file; an unreadable line (say, truncated) is a one-line
    ``ReleaseError`` naming the file and line."""
    try:
        yield from read_jsonl(path)
    except ValueError as exc:
        raise ReleaseError(f"annotation file {exc}") from None


def prepare_inputs(ws: Workspace, use_cache: bool = True) -> ReleaseInputs:
    """Validate the article files (raises :class:`InvalidRecordsError` naming each invalid
    record) and load the annotations (schema, label set, gold choice). Problems that need
    the article text (offsets, stale hashes, unknown articles, duplicate ids) are found by
    a :class:`BatchChecker` during the streaming pass and added to ``report``."""
    files = ws.article_files()
    articles = start_article_checks(ws, files, use_cache)
    try:
        if articles.invalid:  # report every article problem now, as the per-record path did
            articles.check_files(lambda paths: iter_file_batches(paths, on_error=articles.read_failed))
            raise_if_invalid(articles.finish())
        return _prepare_annotations(ws, files, articles)
    except BaseException:
        articles.close()
        raise


def _prepare_annotations(ws: Workspace, files: list[Path], articles: ArticleChecks) -> ReleaseInputs:
    report = ValidationReport()
    annotations: list[dict[str, Any]] = []
    locations: dict[str, str] = {}
    labels = ws.config.labels
    for path in ws.annotation_files():
        for lineno, record in _annotation_lines(path):
            location = f"{path.name}:{lineno}"
            problems = DEFAULT_STORE.problems(record, "annotation", location)
            if not problems:
                problems = _label_problems(record, labels, location)
            report.add(problems)
            if not problems and record["id"] in locations:
                problems = [Problem(record["id"], "/id", "duplicate annotation id (first at "
                                    f"{locations[record['id']]})", "duplicate", location)]
                report.problems.extend(problems)
            if not problems:
                locations[record["id"]] = location
                annotations.append(record)
    rel = {f"{ws.config.paths['annotations']}/{f.name}": file_sha256(f)
           for f in ws.annotation_files()}  # the articles' are added when their scans are done
    return ReleaseInputs(files, annotations, _choose_gold(annotations, report), rel, report,
                         locations, articles, ws.config.paths["articles"])


def raise_if_invalid(articles: ValidationReport) -> None:
    """Raise :class:`InvalidRecordsError` when the article report has problems."""
    if not articles.valid:
        raise InvalidRecordsError(f"{articles.invalid_records} article record(s) are invalid",
                                  articles)


def _choose_gold(annotations: list[dict[str, Any]], report: ValidationReport
                 ) -> dict[str, dict[str, Any]]:
    by_article: dict[str, list[dict[str, Any]]] = {}
    for record in annotations:
        by_article.setdefault(record["article_id"], []).append(record)
    gold: dict[str, dict[str, Any]] = {}
    for article_id, records in by_article.items():
        people = [r for r in records if r.get("origin") != "prediction"]  # never a model's labels
        chosen = [r for r in records if r["ground_truth"]] or (people if len(people) == 1 else [])
        if len(chosen) > 1 and any(r.get("origin") != "adjudication" for r in chosen):
            # Label Studio ground truth over workspace gold: the rule adjudicate uses.
            from .annotate.adjudicate import choose_gold

            best = choose_gold([r for r in chosen if r.get("origin") != "adjudication"])
            chosen = [dict(best)] if best is not None else []
        if len(chosen) > 1:
            report.problems.append(Problem(article_id, "", "more than one ground-truth annotation",
                                           "gold"))
        elif chosen:
            gold[article_id] = chosen[0]
    return gold


class BatchChecker:
    """Checks annotations against the article rows as they stream by (text hash: stale;
    spans: offsets), and at the end article ids (duplicates) and annotations whose article
    never came (reference).

    Memory stays bounded: an article id is kept as a 64-bit hash (8 bytes an article); the
    hashes that repeat are confirmed exactly by one more read of the ids at the end (only
    when there are any). ``watch``: ids whose presence is recorded in :attr:`seen`."""

    def __init__(self, inputs: ReleaseInputs, watch: Iterable[str] = ()) -> None:
        self.report = inputs.report
        self.locations = inputs.locations
        self.pending: dict[str, list[dict[str, Any]]] = {}
        for record in inputs.annotations:
            self.pending.setdefault(record["article_id"], []).append(record)
        self.id_hashes: list[np.ndarray] = []
        self.files = inputs.files
        self.watch = frozenset(watch)
        self.seen: set[str] = set()
        self.articles = inputs.articles
        self.input_files = inputs.input_files
        self.articles_folder = inputs.articles_folder

    def read_failed(self, path: Path) -> bool:
        """For :func:`iter_file_batches`: a scanned file pyarrow cannot read is explained
        by the article checks."""
        return self.articles is not None and self.articles.read_failed(path)

    def close(self) -> None:
        """Stop what the article checks still run (after a failure)."""
        if self.articles is not None:
            self.articles.close()

    @property
    def articles_invalid(self) -> bool:
        """Whether an article problem was found (the build then only checks the rest)."""
        return self.articles is not None and self.articles.invalid

    def check(self, batch: pa.RecordBatch, path: Path | None = None) -> None:
        """Check one batch of article rows (from ``path``: its article checks are done
        here when the file still needs them)."""
        if self.articles is not None and path is not None:
            self.articles.check(path, batch)
        ids = batch.column("id")
        values = ids.to_pylist()
        self.id_hashes.append(np.fromiter(map(hash, values), np.int64, len(values)))
        if self.watch:
            self.seen.update(self.watch.intersection(values))
        if not self.pending:
            return
        hits = pc.is_in(ids, value_set=pa.array(list(self.pending), pa.string()))
        if not pc.any(hits).as_py():
            return
        rows = batch.filter(hits).select(["id", "text", "text_sha256"]).to_pylist()
        for row in rows:
            for record in self.pending.pop(row["id"], []):
                self.report.problems.extend(_annotation_problems(
                    record, row, self.locations[record["id"]]))

    def finish(self) -> ValidationReport:
        """The report of the inputs; raises :class:`InvalidRecordsError` with the article
        problems alone when there are any (as validation before streaming did)."""
        articles, self.articles = self.articles, None
        if articles is not None:
            try:
                found = articles.finish()
                self.report.records += found.records
                raise_if_invalid(found)
                self.input_files.update({f"{self.articles_folder}/{p.name}": d
                                         for p, d in articles.digests().items()})
            finally:
                articles.close()
        for records in self.pending.values():
            for record in records:
                self.report.problems.append(Problem(
                    record["id"], "/article_id", f"no article {record['article_id']}",
                    "reference", self.locations[record["id"]]))
        self.pending = {}
        for item in self._duplicate_ids():
            self.report.problems.append(Problem(item, "/id", "duplicate article id", "duplicate"))
        return self.report

    def _duplicate_ids(self) -> list[str | None]:
        """The ids seen more than once, in the order of their first occurrence."""
        if not self.id_hashes:
            return []
        hashes = np.concatenate(self.id_hashes)
        self.id_hashes = []
        hashes.sort()
        repeated = set(hashes[1:][hashes[1:] == hashes[:-1]].tolist())
        del hashes
        if not repeated:
            return []
        counts: dict[str | None, int] = {}  # the ids whose hash repeats: exact counts
        for _path, batch in iter_file_batches(self.files, on_error=lambda _path: True):
            for item in batch.column("id").to_pylist():
                if hash(item) in repeated:
                    counts[item] = counts.get(item, 0) + 1
        return [item for item, n in counts.items() if n > 1]


def _annotation_problems(record: dict[str, Any], row: dict[str, Any], location: str
                         ) -> list[Problem]:
    if record["text_sha256"] != row["text_sha256"]:
        return [Problem(record["id"], "/text_sha256", "stale: the article text changed since "
                        "this annotation was made", "stale", location)]
    return DEFAULT_STORE.problems(record, "annotation", location, article_text=row["text"])


def check_workspace(ws: Workspace, use_cache: bool = True) -> ValidationReport:
    """Every problem a release build would stop on (an empty report when the inputs are valid)."""
    try:
        inputs = prepare_inputs(ws, use_cache)
    except InvalidRecordsError as exc:
        return exc.report
    checker = BatchChecker(inputs)
    try:
        for path, batch in iter_file_batches(inputs.files, on_error=checker.read_failed):
            checker.check(batch, path)
        return checker.finish()
    except InvalidRecordsError as exc:
        return exc.report
    finally:
        checker.close()


def _label_problems(record: dict[str, Any], labels: Any, location: str) -> list[Problem]:
    rid = record.get("id")
    out = [Problem(rid, f"/entities/{i}/label", f"label {e['label']!r} is not in the label set",
                   "labels", location)
           for i, e in enumerate(record["entities"]) if e["label"] not in labels.entities]
    out += [Problem(rid, f"/stances/{i}/target", f"target {s['target']!r} is not in the label set",
                    "labels", location)
            for i, s in enumerate(record["stances"]) if s["target"] not in labels.stance_targets]
    return out
