"""Load and check what goes into a release: articles, annotations, gold selection.

Article files are validated record by record against their schema (the verdict is cached
by file content hash, schema hash and tool version, so an unchanged file is not validated
twice) and then read column-wise with pyarrow. Annotations are validated, their spans
checked against the article text, and their ``text_sha256`` compared with the article's:
a mismatch is a *stale* annotation and stops the build.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.json as pajson

from .. import __version__
from ..errors import InvalidRecordsError
from ..records import read_jsonl
from ..report import Problem, ValidationReport
from ..schema import DEFAULT_STORE, SchemaStore, validate_jsonl
from ..workspace import Workspace

_STR = pa.string()
READ_SCHEMA = pa.schema([
    ("schema_version", _STR), ("id", _STR), ("url", _STR), ("source", _STR), ("title", _STR), ("subtitle", _STR),
    ("authors", pa.list_(_STR)), ("published_at", _STR), ("section", _STR),
    ("language", _STR), ("text", _STR), ("text_sha256", _STR),
    ("blocks", pa.list_(pa.struct([("kind", _STR), ("start", pa.int64()), ("end", pa.int64())]))),
    ("credits", pa.list_(pa.struct([("role", _STR), ("name", _STR), ("block", pa.int64())]))),
])
CACHE_FILE = ".newscorpus/validated.json"


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 22):
            h.update(chunk)
    return h.hexdigest()


def _cache_key(store: SchemaStore) -> str:
    h = hashlib.sha256(__version__.encode())
    for kind in ("article",):
        for version in store.versions(kind):
            h.update(store.path(kind, version).read_bytes())
    return h.hexdigest()


@dataclass
class ReleaseInputs:
    articles: pa.Table
    gold: dict[str, dict[str, Any]]
    annotations: list[dict[str, Any]] = field(default_factory=list)
    input_files: dict[str, str] = field(default_factory=dict)
    report: ValidationReport = field(default_factory=ValidationReport)


def validate_article_files(ws: Workspace, files: list[Path], use_cache: bool = True,
                           store: SchemaStore = DEFAULT_STORE) -> ValidationReport:
    """Validate article files, skipping those whose valid verdict is cached."""
    cache_path = ws.root / CACHE_FILE
    key = _cache_key(store)
    cache: dict[str, Any] = {}
    if use_cache and cache_path.is_file():
        try:
            cache = json.loads(cache_path.read_text())
        except ValueError:
            cache = {}
        if cache.get("key") != key:
            cache = {}
    valid = cache.setdefault("valid", {})
    cache["key"] = key
    report = ValidationReport()
    for path in files:
        digest = _file_sha256(path)
        if use_cache and digest in valid:
            report.records += valid[digest]
            continue
        file_report = validate_jsonl(path, "article", store)
        report.merge(file_report)
        if file_report.valid:
            valid[digest] = file_report.records
    if use_cache:
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        cache_path.write_text(json.dumps(cache, sort_keys=True))
    return report


def _read_articles(files: list[Path]) -> pa.Table:
    options = pajson.ParseOptions(explicit_schema=READ_SCHEMA, unexpected_field_behavior="ignore")
    tables = [pajson.read_json(f, parse_options=options).select(READ_SCHEMA.names) for f in files]
    if not tables:
        return READ_SCHEMA.empty_table()
    return pa.concat_tables(tables) if len(tables) > 1 else tables[0]


def load_inputs(ws: Workspace, use_cache: bool = True) -> ReleaseInputs:
    """Everything a release needs, checked; raises :class:`InvalidRecordsError` with a
    report naming each problem (schema, offsets, stale annotation, duplicate id)."""
    files = ws.article_files()
    report = validate_article_files(ws, files, use_cache)
    if not report.valid:
        raise InvalidRecordsError(f"{report.invalid_records} article record(s) are invalid", report)
    table = _read_articles(files)
    ids = table.column("id").to_pylist()
    row_of: dict[str, int] = {}
    for i, article_id in enumerate(ids):
        if article_id in row_of:
            report.problems.append(Problem(article_id, "/id", "duplicate article id", "duplicate"))
        row_of[article_id] = i
    annotations, gold = _load_annotations(ws, table, row_of, report)
    if not report.valid:
        raise InvalidRecordsError(f"{len(report.problems)} problem(s) in the release inputs", report)
    rel = {f"{ws.config.paths['articles']}/{f.name}": _file_sha256(f) for f in files}
    rel.update({f"{ws.config.paths['annotations']}/{f.name}": _file_sha256(f)
                for f in ws.annotation_files()})
    return ReleaseInputs(table, gold, annotations, rel, report)


def check_workspace(ws: Workspace, use_cache: bool = True) -> ValidationReport:
    """The report :func:`load_inputs` would raise with (empty when the inputs are valid)."""
    try:
        return load_inputs(ws, use_cache).report
    except InvalidRecordsError as exc:
        return exc.report  # type: ignore[return-value]


def _load_annotations(ws: Workspace, table: pa.Table, row_of: dict[str, int],
                      report: ValidationReport) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    texts = table.column("text")
    hashes = table.column("text_sha256")
    labels = ws.config.labels
    annotations: list[dict[str, Any]] = []
    by_article: dict[str, list[dict[str, Any]]] = {}
    for path in ws.annotation_files():
        for lineno, record in read_jsonl(path):
            location = f"{path.name}:{lineno}"
            rid = record.get("id")
            problems = DEFAULT_STORE.problems(record, "annotation", location)
            if not problems:
                row = row_of.get(record["article_id"])
                if row is None:
                    problems = [Problem(rid, "/article_id", f"no article {record['article_id']}",
                                        "reference", location)]
                elif record["text_sha256"] != hashes[row].as_py():
                    problems = [Problem(rid, "/text_sha256", "stale: the article text changed since "
                                        "this annotation was made", "stale", location)]
                else:
                    problems = DEFAULT_STORE.problems(record, "annotation", location,
                                                      article_text=texts[row].as_py())
                    problems += _label_problems(record, labels, location)
            report.add(problems)
            if not problems:
                annotations.append(record)
                by_article.setdefault(record["article_id"], []).append(record)
    gold: dict[str, dict[str, Any]] = {}
    for article_id, records in by_article.items():
        chosen = [r for r in records if r["ground_truth"]] or (records if len(records) == 1 else [])
        if len(chosen) > 1:
            report.problems.append(Problem(article_id, "", "more than one ground-truth annotation",
                                           "gold"))
        elif chosen:
            gold[article_id] = chosen[0]
    return annotations, gold


def _label_problems(record: dict[str, Any], labels: Any, location: str) -> list[Problem]:
    rid = record.get("id")
    out = [Problem(rid, f"/entities/{i}/label", f"label {e['label']!r} is not in the label set",
                   "labels", location)
           for i, e in enumerate(record["entities"]) if e["label"] not in labels.entities]
    out += [Problem(rid, f"/stances/{i}/target", f"target {s['target']!r} is not in the label set",
                    "labels", location)
            for i, s in enumerate(record["stances"]) if s["target"] not in labels.stance_targets]
    return out
