"""Run converters over files, folders and globs; write articles, quarantine and a report.

Every input ends as a record, a rejection or a skip, and the counts add up:
``inputs = converted + rejected + skipped``. A converter that raises on one input costs
that input only (it is rejected with the error); the batch goes on.

Conversion is resumable: an input whose bytes are unchanged since the records in the
output were made (same path and SHA-256 in ``origin``) is not converted again; its records
are kept and it counts as skipped. ``jobs > 1`` converts in worker processes; the output is
the same bytes as with one job.
"""

from __future__ import annotations

import glob
import hashlib
import json
import re
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from ..atomic import atomic_write, write_text
from ..checksums import file_sha256
from ..dedup import signature
from ..errors import ConfigError, NewscorpusError
from ..language import add_language
from ..records import dumps
from ..report import ConvertReport, Rejection, Skip
from . import registry
from .base import Converter, ConvertOptions, Input, RecordStep
from .collect import RESTART, Collector, previous_lines, previous_rejections, stage_shard
from .compressed import GZIP_MAGIC, SELF_DECOMPRESSING, GzipInput, inner_path
from .decompress import DecodeError
from .engine import Engine, LocalEngine, clear_staging, staging_dir
from .ranges import RANGED_FORMATS, SHARD_BYTES, Span, plan_spans
from .shardgroups import batch_groups
from .sources import RemotePath, is_url, url_inputs

Progress = Callable[[str], None]
SKIP_NAMES = {".DS_Store", "Thumbs.db"}
# Files that travel with data (licences, read-me files): skipped with a reason, not rejected.
_DOC_FILE = re.compile(r"^(?:LICEN[CS]E|COPYING|NOTICE|README|AUTHORS|CHANGELOG|CITATION)(?:[._-].*)?$",
                       re.IGNORECASE)
RECORD_STEPS: tuple[RecordStep, ...] = (add_language,)
STAGING_FORMAT = "staged-lines-1"  # part of every shard key: staging of another layout is never resumed


def iter_inputs(paths: Sequence[str | Path]) -> Iterator[tuple[Path, str]]:
    """``(path, recorded name)`` for each file: folders are walked (sorted), globs expanded,
    fsspec URLs listed (:func:`~newscorpus.convert.sources.url_inputs`; remote files as
    :class:`~newscorpus.convert.sources.RemotePath`). The recorded name is relative to the
    folder given, or the file's own name."""
    for raw in paths:
        if is_url(raw):  # an fsspec URL (file://, s3://, ...): see convert/sources.py
            yield from url_inputs(str(raw))
            continue
        p = Path(raw)
        if p.is_dir():
            # regular files and special files (FIFOs, sockets, devices: skipped when run)
            for f in sorted(q for q in p.rglob("*") if q.is_file() or _special(q)):
                if f.name not in SKIP_NAMES and not f.name.startswith("."):
                    yield f, f.relative_to(p).as_posix()
        elif p.is_file():
            yield p, p.name
        else:
            matches = sorted(glob.glob(str(raw), recursive=True))
            if not matches:
                raise FileNotFoundError(f"{raw}: no such file, folder or matching glob")
            for m in matches:
                if Path(m).is_file():
                    yield Path(m), Path(m).name


def _special(path: Path) -> str | None:
    """What a special file is (``FIFO``, ``socket``, ``device``), or None for any other path."""
    try:
        mode = path.lstat().st_mode
    except OSError:
        return None
    if stat.S_ISFIFO(mode):
        return "FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISBLK(mode) or stat.S_ISCHR(mode):
        return "device"
    return None


@dataclass(frozen=True, slots=True)
class _Task:
    """One shard: an input file. ``key`` names its staged results (see :func:`_task`)."""

    path: Path
    name: str
    fmt: str | None
    options: ConvertOptions
    steps: tuple[RecordStep, ...]
    key: str = ""
    span: Span | None = None  # a byte range of the file (see :mod:`.ranges`), or the whole file
    cost: int = 0  # bytes to read (the file's or the range's size): engines send big shards first


def _task(path: Path, name: str, fmt: str | None, options: ConvertOptions,
          steps: tuple[RecordStep, ...], span: Span | None = None) -> _Task:
    """The shard of ``path`` (or of its byte range ``span``) with its stable key: its input
    (path, size, modification time; a remote file's size and version), recorded name, forced
    format, options, record steps and range."""
    try:
        if isinstance(path, RemotePath):  # its size and version (ETag, mtime, ...) from fsspec
            where: tuple[str, ...] = (str(path), *path.fingerprint())
        else:
            st = path.stat()
            where = (str(path.resolve()), str(st.st_size), str(st.st_mtime_ns))
    except (OSError, AttributeError, ValueError):  # unreadable
        where = (str(path), "", "")
    names = ",".join(f"{s.__module__}.{s.__qualname__}" for s in steps)
    ident = "\x1f".join((*where, name, str(fmt), repr(options), names, repr(span), STAGING_FORMAT))
    cost = span.end - span.start if span is not None else int(where[1]) if where[1].isdigit() else 0
    return _Task(path, name, fmt, options, steps, hashlib.sha256(ident.encode()).hexdigest()[:32], span,
                 cost)


def _shards(path: Path, name: str, fmt: str | None, options: ConvertOptions,
            steps: tuple[RecordStep, ...], shard_bytes: int) -> list[_Task]:
    """The shards of one input: byte ranges of a JSONL file over ``shard_bytes`` (and within
    ``--max-bytes``), else the file."""
    whole = [_task(path, name, fmt, options, steps)]
    try:
        size = path.stat().st_size
        if _special(path) or size <= shard_bytes:
            return whole
        with path.open("rb") as fh:
            head = fh.read(4096)
        if head.startswith(GZIP_MAGIC):
            return whole  # byte ranges of compressed bytes are no lines (a forced format included)
        name_of = fmt or registry.detect(path, head)
        # a converter that reads its input whole limits the file (one rejection for it)
        if name_of not in RANGED_FORMATS or (size > options.max_bytes and not getattr(
                registry.get(name_of), "streams", False)):
            return whole
    except (OSError, AttributeError, ValueError, NewscorpusError):
        return whole  # reported when the task runs (or not a local path)
    if Input(path, name).is_blank():
        return whole  # one "empty file" rejection, as for a small file
    spans = plan_spans(path, shard_bytes)
    if any(s.end - s.start > shard_bytes + options.max_bytes for s in spans):
        return whole  # a line over the limit: the streaming reader rejects it without reading it whole
    return [_task(path, name, name_of, options, steps, span) for span in spans]


_converters: dict[tuple[str, ConvertOptions], Converter] = {}


def _converter_for(task: _Task, head: bytes, path: Path | None = None) -> Converter | None:
    name = task.fmt or registry.detect(path or task.path, head)
    if name is None:
        return None
    key = (name, task.options)
    if key not in _converters:
        _converters[key] = registry.get(name)(task.options)
    return _converters[key]


Converted = tuple[dict[str, Any], Any]  # a validated record and its MinHash signature (or row)


def _run(task: _Task, inp: Input) -> Iterator[Converted | Rejection | Skip | str]:
    """Convert one input: article records (validated dicts, with their duplicate-detection
    signature, computed here so that workers share the work), rejections and skips, as they
    come. A converter that fails midway yields :data:`~newscorpus.convert.collect.RESTART`
    (what came before is dropped) and the rejection. The input is read by its converter
    (whole, or as a stream), never here."""
    name = task.name
    head = inp.head(4096)
    converter = _converter_for(task, head)
    inner = inner_path(task.path, head) if task.span is None else None
    if inner is not None and (converter is None or converter.name not in SELF_DECOMPRESSING):
        gz = GzipInput(task.path, name, task.options.max_ratio)  # converted as what it holds
        try:
            gz.size  # noqa: B018  (one pass: the gzip data and the ratio are checked before any record)
            converter = converter or _converter_for(task, gz.head(4096), inner)
        except DecodeError as exc:
            yield Rejection(name, f"gzip file: {exc}", converter=converter.name if converter else None)
            return
        inp = gz
    if converter is None and _DOC_FILE.match(task.path.name):
        yield Skip(name, "documentation or licence file, not an article input")
        return
    oversize = converter.oversize(inp) if converter else None
    if oversize is not None:
        yield oversize
        return
    if inp.is_blank():
        yield Rejection(name, "empty file (no content, or only white space)",
                        converter=converter.name if converter else None)
        return
    if converter is None:
        known = ", ".join(sorted(registry.known()))
        yield Rejection(name, "unknown format: no converter recognizes this file "
                        f"(known formats: {known})")
        return
    try:
        for outcome in converter.records(inp, task.steps):
            yield (outcome if isinstance(outcome, Rejection | Skip) else
                   (outcome, signature(outcome["text"])))
    except NewscorpusError:
        raise
    except Exception as exc:  # a converter bug costs one input, not the batch
        yield RESTART
        yield Rejection(name, f"converter {converter.name} failed: {type(exc).__name__}: {exc}",
                        converter=converter.name)


def _warm_converters(tasks: list[_Task]) -> None:
    """Import and build every converter the tasks need before worker processes fork, so that
    each worker inherits them instead of importing them again."""
    from .. import dedup, language

    dedup.prepare()  # signatures are computed in the workers
    if any(add_language in task.steps for task in tasks):
        language.prepare()  # the language model: loaded once, not once per worker
    for task in tasks:
        if _special(task.path):
            continue
        try:
            with task.path.open("rb") as fh:
                head = fh.read(4096)
        except OSError:
            continue  # reported when the task runs
        try:
            _converter_for(task, head)
        except NewscorpusError:
            continue  # reported when the task runs


def _run_file(task: _Task) -> Iterator[Converted | Rejection | Skip | str]:
    special = _special(task.path)
    if special:  # never opened: reading a FIFO would block
        return iter([Skip(task.name, f"special file ({special}), not a regular file: not read")])
    if task.span is not None:
        return _run_range(task, task.span)
    return _run(task, Input(task.path, task.name))


def _run_range(task: _Task, span: Span) -> Iterator[Converted | Rejection | Skip | str]:
    """Convert a byte range of a file: its outcomes carry the file's hash and line numbers."""
    with task.path.open("rb") as fh:
        fh.seek(span.start)
        data = fh.read(span.end - span.start)
    if not data.strip():
        return
    shift = span.first_line - 1
    for outcome in _run(task, Input(task.path, task.name, data)):
        if isinstance(outcome, Rejection) and outcome.line is not None:
            outcome = replace(outcome, line=outcome.line + shift)
        elif isinstance(outcome, tuple) and isinstance(origin := outcome[0].get("origin"), dict):
            origin["sha256"] = span.sha256  # the file's, not the range's
            if isinstance(origin.get("line"), int):
                origin["line"] += shift
        yield outcome


def _run_shard(task: _Task, staging: str) -> list[Any]:
    """Convert one shard; its records and signatures stay in ``staging`` (the driver gets
    where each record is: :class:`~newscorpus.convert.collect.Placed`)."""
    return stage_shard(_run_file(task), Path(staging), task.key)


def _check_shared(tasks: list[_Task], engine: Engine) -> None:
    """An engine with workers of its own (Dask) cannot read a file of this process's memory."""
    if engine.name == "local":
        return
    for task in tasks:
        if isinstance(task.path, RemotePath) and not task.path.shared:
            raise ConfigError(f"{task.path}: a {task.path.url.split('://')[0]}:// file lives in this "
                              f"process only: the {engine.name} engine's workers cannot read it "
                              "(use --engine local, or a filesystem they share)")


def convert_paths(
    paths: Sequence[str | Path],
    output: Path,
    quarantine: Path,
    options: ConvertOptions | None = None,
    fmt: str | None = None,
    progress: Progress | None = None,
    jobs: int = 1,
    resume: bool = False,
    steps: tuple[RecordStep, ...] = RECORD_STEPS,
    engine: Engine | None = None,
    shard_bytes: int = SHARD_BYTES,
) -> ConvertReport:
    """Convert every input under ``paths`` into ``output`` (JSONL, sorted by id).

    Rejections go to ``quarantine`` (JSONL: path, line/offset, reason, converter); duplicate
    groups (exact and near) to ``<output stem>.groups.json`` beside the output. An article
    that fails the schema is rejected, never written. ``fmt`` forces a converter (an unknown
    name raises :class:`~newscorpus.errors.UnknownFormatError`). With ``resume``, inputs
    unchanged since the previous output keep their records and count as skipped. ``engine``
    runs the conversions (default: the local engine with ``jobs`` processes); a JSONL input
    over ``shard_bytes`` is converted in byte ranges (shards) of about that size, with the
    same output."""
    options = options or ConvertOptions()
    if fmt is not None:
        registry.get(fmt)
    if options.profile is not None:  # fail now, not once per input
        from .profiles import choose_profile, load_profiles

        choose_profile(load_profiles(options.profile_dirs), "", [], options.profile)
    if options.mapping is not None:
        from .tabular import load_mapping

        load_mapping(options.mapping)
    report = ConvertReport()
    staging = staging_dir(output).resolve()
    previous = previous_lines(output) if resume else {}
    rejected_before = previous_rejections(quarantine) if previous else {}
    kept_rejections: dict[int, list[Rejection]] = {}  # by the task they come before
    tasks: list[_Task] = []
    run_by = engine or LocalEngine(jobs, prepare=_warm_converters)
    collector = Collector(staging)
    try:
        for path, name in iter_inputs(paths):
            if previous and not _special(path):  # hashed in chunks: an archive of any size
                count = collector.keep_previous(output, previous.get((name, file_sha256(path)), []))
                if count is not None:  # unchanged, and every record still valid: kept
                    report.skips.append(Skip(name, f"unchanged since the last conversion ({count} "
                                                   "record(s) kept)"))
                    # its rejected lines (same bytes, same rejections) stay in the quarantine
                    kept_rejections.setdefault(len(tasks), []).extend(rejected_before.get(name, []))
                    if progress:
                        progress(name)
                    continue
            tasks.extend(_shards(path, name, fmt, options, steps, shard_bytes))
        collector.sources = [t.key for t in tasks]
        _check_shared(tasks, run_by)
        with run_by.session():
            results = run_by.map(partial(_run_shard, staging=str(staging)), tasks, staging)
            for shard, (task, outcomes) in enumerate(zip(tasks, results, strict=True)):
                if progress and (task.span is None or task.span.last):
                    progress(task.name)
                report.rejections.extend(kept_rejections.pop(shard, []))  # in input order
                collector.place(shard, task.name, outcomes, report)
            report.rejections.extend(kept_rejections.pop(len(tasks), []))
            collector.join(report)
            collector.sign_missing()
            ids, slots = collector.ordered()
            groups = batch_groups(ids, *collector.columns(slots), collector.sources, staging, run_by)
        output.parent.mkdir(parents=True, exist_ok=True)
        report.written = collector.write(output, slots)
    except BaseException:
        collector.close()
        if run_by.name == "local":  # nothing to resume from: leave no staging behind
            clear_staging(output)
        raise
    collector.close()
    report.outputs.append(str(output))
    groups_path = output.with_name(output.stem + ".groups.json")
    write_text(groups_path, json.dumps({"groups": groups}, indent=1, sort_keys=True) + "\n")
    report.outputs.append(str(groups_path))
    quarantine.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(quarantine) as fh:
        for rejection in report.rejections:
            fh.write(dumps(rejection.to_dict()))
    clear_staging(output)
    return report
