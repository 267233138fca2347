"""Run converters over files, folders and globs; write articles, quarantine and a report.

Every input ends as a record, a rejection or a skip, and the counts add up:
``inputs = converted + rejected + skipped``. A converter that raises on one input costs
that input only (it is rejected with the error); the batch goes on.
"""

from __future__ import annotations

import glob
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from ..errors import NewscorpusError
from ..records import dumps, write_jsonl
from ..report import ConvertReport, Rejection, Skip
from ..schema import DEFAULT_STORE
from . import registry
from .base import Converter, ConvertOptions, Input

Progress = Callable[[str], None]
SKIP_NAMES = {".DS_Store", "Thumbs.db"}


def iter_inputs(paths: Sequence[str | Path]) -> Iterator[tuple[Path, str]]:
    """``(path, recorded name)`` for each file: folders are walked (sorted), globs expanded.
    The recorded name is relative to the folder given, or the file's own name."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for f in sorted(q for q in p.rglob("*") if q.is_file()):
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


def _converter_for(path: Path, head: bytes, fmt: str | None, options: ConvertOptions,
                   cache: dict[str, Converter]) -> Converter | None:
    name = fmt or registry.detect(path, head)
    if name is None:
        return None
    if name not in cache:
        cache[name] = registry.get(name)(options)
    return cache[name]


def convert_paths(
    paths: Sequence[str | Path],
    output: Path,
    quarantine: Path,
    options: ConvertOptions | None = None,
    fmt: str | None = None,
    progress: Progress | None = None,
) -> ConvertReport:
    """Convert every input under ``paths`` into ``output`` (JSONL, sorted by id).

    Rejections go to ``quarantine`` (JSONL: path, line/offset, reason, converter). An
    article that fails the schema is rejected, never written. ``fmt`` forces a converter
    (an unknown name raises :class:`~newscorpus.errors.UnknownFormatError`)."""
    options = options or ConvertOptions()
    if fmt is not None:
        registry.get(fmt)
    report = ConvertReport()
    articles: dict[str, dict] = {}
    converters: dict[str, Converter] = {}
    for path, name in iter_inputs(paths):
        if progress:
            progress(name)
        size = path.stat().st_size
        if size > options.max_bytes:
            report.rejections.append(Rejection(
                name, f"file is {size / 2**20:.1f} MiB, over the {options.max_bytes / 2**20:.0f} MiB "
                      "limit (raise it with --max-bytes)"))
            continue
        data = path.read_bytes()
        converter = _converter_for(path, data[:4096], fmt, options, converters)
        if converter is None:
            known = ", ".join(sorted(registry.known()))
            report.rejections.append(Rejection(
                name, f"unknown format: no converter recognizes this file (known formats: {known})"))
            continue
        inp = Input(path, name, data)
        try:
            for outcome in converter.convert(inp):
                if isinstance(outcome, Rejection):
                    report.rejections.append(outcome)
                elif isinstance(outcome, Skip):
                    report.skips.append(outcome)
                else:
                    record = outcome.to_dict()
                    problems = DEFAULT_STORE.problems(record, "article", name)
                    if problems:
                        report.rejections.append(Rejection(
                            name, "record fails the article schema: " + "; ".join(
                                f"{p.pointer or '/'} {p.message}" for p in problems[:3]),
                            converter=converter.name))
                    elif record["id"] in articles:
                        first = articles[record["id"]]["origin"]["path"]
                        report.skips.append(Skip(name, f"duplicate of {first} (same id {record['id']})"))
                    else:
                        articles[record["id"]] = record
                        report.converted += 1
        except NewscorpusError:
            raise
        except Exception as exc:  # a converter bug costs one input, not the batch
            report.rejections.append(Rejection(
                name, f"converter {converter.name} failed: {type(exc).__name__}: {exc}",
                converter=converter.name))
    output.parent.mkdir(parents=True, exist_ok=True)
    write_jsonl(output, (articles[k] for k in sorted(articles)))
    report.outputs.append(str(output))
    quarantine.parent.mkdir(parents=True, exist_ok=True)
    tmp = quarantine.with_name(quarantine.name + ".tmp")
    with tmp.open("wb") as fh:
        for rejection in report.rejections:
            fh.write(dumps(rejection.to_dict()))
    tmp.replace(quarantine)
    return report
