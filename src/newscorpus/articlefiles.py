"""Article files checked in bulk: each file read once, each line through a typed decoder,
the checks JSON Schema cannot express over the Arrow batches a build streams anyway.

:func:`scan_article_file` reads a file's bytes once (its SHA-256 comes from them) and passes
every line through the typed decoder of the version it declares
(:attr:`newscorpus.schema.CompiledSchema.typed`, sound: what it accepts is valid; it does not
decode the text), less the string patterns a column check tests faster
(:attr:`~newscorpus.schema.CompiledSchema.column_patterns`: ids, digests, dates, language),
which :meth:`ArticleChecks.check` runs on every batch of the file; a failure there sends
the file down the per-record path. A line it refuses gets the full per-record check; when that finds a schema
problem (or the file is not UTF-8) the whole file takes the per-record path
(:func:`newscorpus.schema.validate_jsonl`), whose report is kept. Otherwise the text hash,
block, title and credit checks run over the file's Arrow batches
(:mod:`newscorpus.columnar`), fed by :meth:`ArticleChecks.check`. Scans may run in worker
processes while the caller streams the same files; :meth:`ArticleChecks.finish` waits for
them and gives the report the per-record path gives (same problems, same order, same
counts).
"""

from __future__ import annotations

import hashlib
import re
import struct
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from .columnar import article_batch_problems, patterns_fail
from .records import has_float
from .report import Problem, ValidationReport
from .schema import DEFAULT_STORE, SchemaStore, validate_jsonl


@dataclass
class FileScan:
    """One article file, read once: its digest, its record count, and either its final
    report (``report``: the per-record path took the file) or what the columnar checks
    need (``linenos``: the line of each record, when the file has blank lines)."""

    path: Path
    digest: str
    records: int
    report: ValidationReport | None = None
    linenos: list[int] | None = None

    def location(self, row: int) -> str:
        return f"{self.path}:{row + 1 if self.linenos is None else self.linenos[row]}"

    @property
    def total(self) -> int:
        return self.records if self.report is None else self.report.records


_VERSION_KEY = b'"schema_version":"'
_WHITESPACE = frozenset(b" \t\r\x0b\x0c")
_ESCAPE = re.compile(rb"\\u")  # faster than bytes.find for a two-byte needle


SCAN_CHUNK = 32 << 20  # bytes read at a time (whole lines), so a scan's memory stays flat


class _SlowPath(Exception):
    """The file takes the per-record path."""


def scan_article_file(path: Path, store: SchemaStore = DEFAULT_STORE) -> FileScan:
    """Read ``path`` once, in chunks of whole lines: its SHA-256, and every line through the
    typed decoder of the version it declares (the lookup only picks a decoder, which checks
    the version itself). Lines are split as :func:`~newscorpus.schema.validate_jsonl`
    splits them. A chunk is never copied: the bytes after its last line break are read
    again with the next chunk."""
    versions = store.versions("article")
    decoders = {v.encode(): store.compiled("article", v) for v in versions}
    latest = store.compiled("article", versions[-1])
    h = hashlib.sha256()
    records, lineno = 0, 0
    linenos: list[int] = []
    blank = False
    key = len(_VERSION_KEY)

    def lines(data: bytes, end_of_data: int) -> None:
        nonlocal records, lineno, blank
        if not _utf8(data, end_of_data):
            raise _SlowPath
        escapes = _ESCAPE.search(data, 0, end_of_data) is not None
        typed_valid = latest.typed_valid
        find = data.find
        pos = 0
        while pos < end_of_data:
            end = find(b"\n", pos, end_of_data)
            if end < 0:
                end = end_of_data
            lineno += 1
            if (data[pos] in _WHITESPACE or end == pos) and not data[pos:end].strip():
                blank = True
                pos = end + 1
                continue
            linenos.append(lineno)
            records += 1
            if not typed_valid(data, pos, end, escapes, True):  # else: the version it declares
                at = find(_VERSION_KEY, pos, end)
                compiled = (decoders.get(data[at + key:find(b'"', at + key, end)])
                            if at >= 0 else None)
                if (compiled is None or compiled is latest
                        or not compiled.typed_valid(data, pos, end, escapes, True)
                        ) and not _still_columnar(data[pos:end], store):
                    raise _SlowPath
            pos = end + 1

    slow = False
    with path.open("rb") as fh:
        while chunk := fh.read(SCAN_CHUNK):
            cut = chunk.rfind(b"\n") + 1 if len(chunk) == SCAN_CHUNK else len(chunk)
            if cut == 0:  # a line longer than a chunk: read on until its end
                more = [chunk]
                while (part := fh.read(SCAN_CHUNK)) and b"\n" not in part:
                    more.append(part)
                chunk = b"".join([*more, part])
                cut = chunk.rfind(b"\n") + 1 if part else len(chunk)
            if cut < len(chunk):
                fh.seek(cut - len(chunk), 1)  # the partial last line starts the next chunk
            h.update(memoryview(chunk)[:cut])
            if not slow:
                try:
                    lines(chunk, cut)
                except _SlowPath:
                    slow = True
    if slow:
        return FileScan(path, h.hexdigest(), 0, validate_jsonl(path, "article", store))
    return FileScan(path, h.hexdigest(), records, None, linenos if blank else None)


def _still_columnar(line: bytes, store: SchemaStore) -> bool:
    """Whether a line the typed decoder refused can still be left to the columnar checks:
    it is a JSON object, its schema is valid and its integers are integers (so pyarrow
    reads it), and the columnar checks will find its other problems themselves."""
    import orjson

    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError:
        return False
    problems = store.problems(record, "article")
    return isinstance(record, dict) and all(p.rule == "offsets" for p in problems) and (
        not problems or not has_float(record))


def _utf8(data: bytes, end: int) -> bool:
    """Whether ``data[:end]`` is UTF-8 (checked by Arrow, without a copy)."""
    offsets = pa.py_buffer(struct.pack("<2q", 0, end))
    try:
        pa.LargeStringArray.from_buffers(1, offsets, pa.py_buffer(data)).validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


Scan = FileScan | Future  # a scan, or one running in a worker process


class ArticleChecks:
    """The article side of validation: file scans (perhaps still running), the columnar
    checks of each batch of the scanned files (:meth:`check`), and the report in file and
    line order (:meth:`finish`)."""

    def __init__(self, files: list[Path], scans: dict[Path, Scan], cached: int,
                 remember: Callable[[list[FileScan]], None] | None = None,
                 store: SchemaStore = DEFAULT_STORE, pool: Any = None,
                 cached_digests: dict[Path, str] | None = None) -> None:
        self.files = files
        self.pool = pool  # the process pool running the scans, if any
        self.cached_digests = cached_digests or {}
        self._scans = scans
        self.cached = cached  # records of files whose verdict came from the cache
        self.remember = remember  # called with the valid scans (fills the cache)
        self.store = store
        self.found: dict[Path, dict[int, list[tuple[str | None, str, str]]]] = {p: {} for p in scans}
        self.rows: dict[Path, int] = dict.fromkeys(scans, 0)
        self.unreadable: set[Path] = set()
        self.mismatched: set[Path] = set()  # a column pattern failed: the per-record path explains
        self.patterns = {v: store.compiled("article", v).column_patterns
                         for v in store.versions("article")}

    def scan(self, path: Path) -> FileScan:
        scan = self._scans[path]
        if isinstance(scan, Future):
            scan = self._scans[path] = scan.result()
        return scan

    @property
    def scans(self) -> dict[Path, FileScan]:
        return {p: self.scan(p) for p in self._scans}

    @property
    def records(self) -> int:
        return self.cached + sum(s.total for s in self.scans.values())

    def digests(self) -> dict[Path, str]:
        """SHA-256 of every file (waits for the scans)."""
        return {**self.cached_digests, **{p: s.digest for p, s in self.scans.items()}}

    def close(self) -> None:
        """Stop the worker processes (after :meth:`finish`, or to abandon the checks)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    @property
    def invalid(self) -> bool:
        """Whether a problem is known by now (then the rows need not be built into tables);
        does not wait for running scans."""
        if any(self.found.values()) or self.unreadable or self.mismatched:
            return True
        done = (s if isinstance(s, FileScan) else s.result() for s in self._scans.values()
                if not isinstance(s, Future) or s.done())
        return any(s.report is not None and not s.report.valid for s in done)

    def todo(self) -> list[Path]:
        return list(self._scans)

    def check(self, path: Path, batch: pa.RecordBatch) -> None:
        """The columnar checks of one batch of ``path`` (the batches of a file in order)."""
        if path not in self.rows:
            return
        base = self.rows[path]
        self.rows[path] = base + batch.num_rows
        if path in self.mismatched or patterns_fail(batch, self.patterns):
            self.mismatched.add(path)
            return
        problems = article_batch_problems(batch)
        if problems:
            ids = batch.column("id")
            found = self.found[path]
            for row, pointer, message in problems:
                found.setdefault(base + row, []).append((ids[row].as_py(), pointer, message))

    def read_failed(self, path: Path) -> bool:
        """Note that pyarrow could not read ``path``: True when it is one of the scanned
        files (its scan or the per-record path then explains it), else False."""
        if path not in self.rows:
            return False
        self.unreadable.add(path)
        return True

    def check_files(self, batches: Callable[[list[Path]], Iterable[tuple[Path, pa.RecordBatch]]]
                    ) -> None:
        """Run the columnar checks now over ``batches(files)`` (when no build streams them)."""
        for path, batch in batches(self.todo()):
            self.check(path, batch)

    def finish(self) -> ValidationReport:
        report = ValidationReport(records=self.cached)
        valid: list[FileScan] = []
        for path in self.files:
            if path not in self._scans:
                continue
            scan = self.scan(path)
            if scan.report is None and (path in self.unreadable or path in self.mismatched
                                        or self.rows[path] != scan.records):
                # pyarrow saw other rows, or a field failed a pattern the scan left to the columns
                scan.report = validate_jsonl(path, "article", self.store)
            if scan.report is not None:
                report.merge(scan.report)
                if scan.report.valid:
                    valid.append(scan)
                continue
            found = self.found[path]
            report.records += scan.records
            report.invalid_records += len(found)
            for row in sorted(found):
                report.problems.extend(Problem(rid, pointer, message, "offsets", scan.location(row))
                                       for rid, pointer, message in found[row])
            if not found:
                valid.append(scan)
        if self.remember is not None:
            self.remember(valid)
        return report


def scan_in_pool(pool: Any, paths: list[Path]) -> dict[Path, Scan]:
    """Start the scans of ``paths`` in the process pool ``pool``."""
    return {p: pool.submit(scan_article_file, p) for p in paths}
