"""A release build on a conversion engine (``newscorpus release build --engine dask``).

The local build (:class:`newscorpus.release.writer._Pass`) is the reference: this pass gives
its bytes. One engine task per article file (:func:`stage_file`, through
:meth:`~newscorpus.convert.engine.Engine.map`) does on a worker what the local pass does
for that file's batches: the article checks (the typed scan of
:mod:`newscorpus.articlefiles` and the columnar checks, unless the validation cache holds
the file), split assignment, the ``default`` rows, the statistics' light rows. The rows go
to the staging folder as Arrow pieces (:mod:`newscorpus.release.shardplan`); what comes back
is small. The driver then replays the outcomes in file order through the local pass' own
parts — the annotation checks (:class:`~newscorpus.validation.BatchChecker`), the flat
configs, the light rows — so reports and small files are the local ones, plans the Parquet
shards of ``default`` from the global row order and has the workers write them
(:func:`~newscorpus.release.shardplan.write_shard`).

The staging folder (``.staging-VERSION`` in the releases folder) and the release's
temporary folder must be visible to the workers at the same paths (a shared filesystem on
a cluster; any folder on one machine). The staging folder is removed at the end.
"""

from __future__ import annotations

import pickle
import shutil
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..articlefiles import ArticleChecks, scan_article_file
from ..checksums import file_sha256
from ..convert.engine import Engine
from ..report import ValidationReport
from ..validation import (
    ReleaseInputs,
    _cache_key,
    _load_cache,
    _prepare_annotations,
    _save_cache,
    iter_file_batches,
)
from ..workspace import Workspace
from .parquet import row_bytes
from .shardplan import Piece, SplitPlan, write_shard
from .splits import SplitAssigner
from .stats import light_rows
from .tables import Tables
from .writer import _Pass


def staging_folder(root: Path, version: str) -> Path:
    """Where a distributed build of ``version`` into ``root`` stages its pieces."""
    return root / f".staging-{version}"


@dataclass(frozen=True)
class FileTask:
    """One article file of the build (the engine's shard)."""

    path: Path
    key: str
    name: str
    context: str  # the pickled build context in the staging folder


@dataclass
class BatchOut:
    """What the driver needs of one parsed batch: the ids (with the text and its hash where
    an annotation waits) for the annotation checks, the light rows, the labelled ids with
    their split and each split's staged piece with its row sizes."""

    check: pa.RecordBatch
    light: pa.Table | None = None
    hits: list[tuple[str, str]] = field(default_factory=list)
    pieces: list[tuple[str, Piece, np.ndarray]] = field(default_factory=list)


@dataclass
class FileOut:
    """One article file's outcome: its digest, its article report (``None``: the cache
    holds it as valid, with ``cached`` records), its batches, versions and formats."""

    digest: str
    report: ValidationReport | None
    cached: int = 0
    scanned: int = 0  # records of a valid scan (for the cache)
    batches: list[BatchOut] = field(default_factory=list)
    schemas: set[str] = field(default_factory=set)
    formats: set[str] = field(default_factory=set)


@lru_cache(maxsize=4)
def _context(path: str) -> dict[str, Any]:
    with open(path, "rb") as fh:
        context: dict[str, Any] = pickle.load(fh)
    return context


def _check_batch(batch: pa.RecordBatch, labelled: pa.Array) -> pa.RecordBatch:
    """The ids of ``batch`` with the text and its hash only where an annotation may wait."""
    hits = pc.is_in(batch.column("id"), value_set=labelled)
    none = pa.scalar(None, pa.string())
    return pa.RecordBatch.from_arrays(
        [batch.column("id"), pc.if_else(hits, batch.column("text"), none),
         pc.if_else(hits, batch.column("text_sha256"), none)], ["id", "text", "text_sha256"])


def stage_file(task: FileTask) -> list[FileOut]:
    """On a worker: check one article file, assign its splits and stage its ``default``
    rows, as the local pass does batch by batch."""
    ctx = _context(task.context)
    assigner: SplitAssigner = ctx["assigner"]
    tables: Tables = ctx["tables"]
    labelled: pa.Array = ctx["labelled"]
    path = task.path
    digest = file_sha256(path) if ctx["use_cache"] else None
    checks: ArticleChecks | None = None
    if digest is not None and digest in ctx["valid"]:
        out = FileOut(digest, None, cached=ctx["valid"][digest])
    else:
        scan = scan_article_file(path)
        checks = ArticleChecks([path], {path: scan}, 0)
        out = FileOut(scan.digest, None)
    staging = Path(task.context).parent
    writers: dict[str, Any] = {}
    parts: dict[str, Path] = {}
    counts: dict[str, int] = {}
    try:
        for _path, batch in iter_file_batches([path], on_error=checks.read_failed if checks else None):
            if checks is not None:
                checks.check(path, batch)
            one = BatchOut(_check_batch(batch, labelled))
            out.batches.append(one)
            if checks is not None and checks.invalid:
                continue  # the report says why; no rows are built
            out.schemas.update(pc.unique(batch.column("schema_version")).to_pylist())
            out.formats.update(pc.drop_null(pc.unique(pc.struct_field(batch.column("origin"),
                                                                      "format"))).to_pylist())
            ids, sources, dates = (batch.column(c).to_pylist() for c in ("id", "source", "published_at"))
            splits = assigner.splits(ids, sources, dates)
            split_array = pa.array(splits, pa.string())
            one.light = light_rows(batch, split_array)
            table = tables.default(batch)
            present = pc.unique(split_array).to_pylist()
            for name in assigner.names:
                if name not in present:
                    continue
                rows = table.filter(pc.equal(split_array, name))
                if name not in writers:
                    parts[name] = staging / f"{task.key}.{name}.arrow.tmp"
                    writers[name] = pa.ipc.new_file(parts[name], rows.schema)
                final = staging / f"{task.key}.{name}.arrow"
                for piece in rows.to_batches():
                    writers[name].write_batch(piece)
                    at = counts.get(name, 0)
                    counts[name] = at + 1
                    one.pieces.append((name, Piece(str(final), at, piece.num_rows),
                                       row_bytes(pa.Table.from_batches([piece]))))
            one.hits = [(i, s) for i, s in zip(ids, splits, strict=True) if i in ctx["labelled_set"]]
    finally:
        for writer in writers.values():
            writer.close()
    for part in parts.values():
        part.replace(part.with_suffix(""))
    if checks is not None:
        out.report = checks.finish()
        out.scanned = checks.scan(path).total
        checks.close()
    return [out]


def group_info(task: FileTask) -> list[tuple[str, str | None, str | None]]:
    """On a worker: the id, source and date of the file's grouped articles."""
    grouped = _context(task.context)["grouped"]
    found = []
    for _path, batch in iter_file_batches([task.path], on_error=lambda _p: True):
        for aid, src, day in zip(*(batch.column(c).to_pylist() for c in
                                   ("id", "source", "published_at")), strict=True):
            if aid in grouped:
                found.append((aid, src, day))
    return found


class EngineArticleChecks(ArticleChecks):
    """The article side of validation on the driver, from the workers' file reports (the
    report of :class:`ArticleChecks`: files in order, cached records counted)."""

    def __init__(self, ws: Workspace, files: list[Path], use_cache: bool) -> None:
        super().__init__(files, {}, 0)
        self.ws, self.use_cache = ws, use_cache
        self.cache = _load_cache(ws, _cache_key(self.store)) if use_cache else {"valid": {}}
        self.outs: dict[Path, FileOut] = {}

    def add(self, path: Path, out: FileOut) -> None:
        self.outs[path] = out
        self.cached += out.cached

    @property
    def invalid(self) -> bool:
        return any(o.report is not None and not o.report.valid for o in self.outs.values())

    def digests(self) -> dict[Path, str]:
        return {p: o.digest for p, o in self.outs.items()}

    def finish(self) -> ValidationReport:
        report = ValidationReport(records=self.cached)
        for path in self.files:
            out = self.outs.get(path)
            if out is not None and out.report is not None:
                report.merge(out.report)
                if out.report.valid:
                    self.cache["valid"][out.digest] = out.scanned
        if self.use_cache:
            _save_cache(self.ws, self.cache)
        return report


def prepare_engine_inputs(ws: Workspace, use_cache: bool = True) -> ReleaseInputs:
    """:func:`~newscorpus.validation.prepare_inputs` for a distributed build: the
    annotations now, the article checks left to the workers."""
    files = ws.article_files()
    return _prepare_annotations(ws, files, EngineArticleChecks(ws, files, use_cache))


class PlannedConfig:
    """The ``default`` config of a distributed build: planned here, written by the workers."""

    def __init__(self, folder: Path, schema: pa.Schema, names: tuple[str, ...], shard_rows: int) -> None:
        self.folder, self.schema, self.names, self.shard_rows = folder, schema, names, shard_rows
        self.plans = {name: SplitPlan() for name in names}
        self.written: dict[str, Any] = {}

    def write(self, engine: Engine) -> None:
        tasks = {name: plan.tasks(self.folder, "default", name, self.schema, self.shard_rows)
                 for name, plan in self.plans.items()}
        flat = [t for name in self.names for t in tasks[name]]
        results = iter(engine.run(write_shard, flat)) if flat else iter(())
        for name in self.names:
            entries = [next(results) for _ in tasks[name]]
            self.written[name] = {"rows": self.plans[name].rows, "files": [e for e, _ in entries],
                                  "arrow_bytes": sum(n for _, n in entries)}

    def close(self) -> dict[str, Any]:
        return {name: self.written.get(name, {"rows": 0, "files": [], "arrow_bytes": 0})
                for name in self.names}


class EnginePass(_Pass):
    """The local pass with its per-file work on ``engine`` (see the module docstring)."""

    def __init__(self, ws: Workspace, inputs: ReleaseInputs, assigner: SplitAssigner,
                 folder: Path, shard_rows: int, engine: Engine, staging: Path) -> None:
        super().__init__(ws, inputs, assigner, folder, shard_rows)
        self.engine, self.staging = engine, staging.resolve()
        self.planned = PlannedConfig(folder.resolve(), self.tables.schemas["default"], self.names,
                                     shard_rows)
        self.writers["default"] = self.planned  # type: ignore[assignment]
        assert isinstance(inputs.articles, EngineArticleChecks)
        self.articles = inputs.articles

    def _context(self, n: int, **extra: Any) -> str:
        path = self.staging / f"context-{n}-{uuid.uuid4().hex}.pkl"  # a worker caches it by name
        labelled = sorted(self.labelled)
        with path.open("wb") as fh:
            pickle.dump({"assigner": self.assigner, "tables": self.tables,
                         "labelled": pa.array(labelled, pa.string()), "labelled_set": set(labelled),
                         "use_cache": self.articles.use_cache, "valid": self.articles.cache["valid"],
                         **extra}, fh, protocol=pickle.HIGHEST_PROTOCOL)
        return str(path)

    def _tasks(self, context: str) -> list[FileTask]:
        return [FileTask(p.resolve(), f"{i:06d}-{p.stem}", str(p), context)
                for i, p in enumerate(self.inputs.files)]

    def run(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging.mkdir(parents=True)
        assigner = self.assigner
        with self.engine.session():
            if assigner.needs_group_info:
                grouped = self._context(0, grouped=set(assigner.group_of))
                for found in self.engine.run(group_info, self._tasks(grouped)):
                    for aid, src, day in found:
                        assigner.add_group_info(aid, src, day)
            tasks = self._tasks(self._context(1))
            for task, outs in zip(tasks, self.engine.map(stage_file, tasks, self.staging / "files"),
                                  strict=True):
                for out in outs:
                    self._replay(task.path, out)
            if not self.articles.invalid:
                self.planned.write(self.engine)

    def _replay(self, path: Path, out: FileOut) -> None:
        self.articles.add(path, out)
        self.article_schemas.update(out.schemas)
        self.formats.update(out.formats)
        for one in out.batches:
            self.checker.check(one.check)
            if one.light is None:
                continue
            self.light.add(one.light)
            for name, piece, sizes in one.pieces:
                self.planned.plans[name].add(piece, sizes)
            if one.hits:
                self.split_of_labelled.update(one.hits)
                self._write_flat([i for i, _ in one.hits])

    def cleanup(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
