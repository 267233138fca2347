"""The library API that the CLI calls and that scripts import from :mod:`newscorpus`.

Each function does one job of the workflow and returns data (records, reports, paths); none
prints, exits or changes process-wide state. The CLI (``newscorpus.cli``) parses options,
calls these functions and prints their results.

    >>> import newscorpus
    >>> ws = newscorpus.Workspace.open("my-corpus")
    >>> result = newscorpus.convert(["raw/"], workspace=ws)          # doctest: +SKIP
    >>> result.report.summary()                                     # doctest: +SKIP
    'inputs 26 = converted 24 + rejected 1 + skipped 1'
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .convert.base import ConvertOptions
from .records import read_jsonl
from .report import ConvertReport, ValidationReport
from .workspace import Workspace

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class ConvertResult:
    """What :func:`convert` produced: the report, the output file (None when the records
    were only returned) and the records themselves when no output file was asked for."""

    report: ConvertReport
    output: Path | None
    quarantine: Path | None
    _records: tuple[dict[str, Any], ...] | None = None

    def records(self) -> Iterator[dict[str, Any]]:
        """The converted article records, sorted by id (read back from ``output``)."""
        if self._records is not None:
            yield from self._records
        elif self.output is not None:
            for _, record in read_jsonl(self.output):
                yield record


def convert(inputs: Sequence[str | Path], output: str | Path | None = None, *,
            workspace: Workspace | str | Path | None = None, options: ConvertOptions | None = None,
            format: str | None = None, quarantine: str | Path | None = None, jobs: int = 1,
            resume: bool = False, progress: Progress | None = None,
            settings: Mapping[str, Mapping[str, Any]] | None = None, engine: str = "local",
            scheduler: str | None = None, workers: int | None = None) -> ConvertResult:
    """Convert files, folders and globs into article records: the same records, rejections
    and summary as ``newscorpus convert``.

    With ``output``, records are written there (JSONL sorted by id, duplicate groups beside
    it) and rejections to ``quarantine`` (default: ``<workspace>/quarantine/<stem>.jsonl``
    for an output in the workspace's articles folder, which must hold only articles, else
    ``<output stem>.quarantine.jsonl`` beside the output). Without
    ``output`` and without a workspace, nothing is written and the records are returned in
    memory (for small inputs). With a ``workspace``, the output defaults to its
    ``articles/articles.jsonl``, its site profiles and per-format options (config key
    ``convert:``) are used, and records written into its articles folder are remembered as
    validated for the next release build. ``settings`` are per-format options as
    ``{"html": {"mode": "full"}}`` (strings are coerced, as from the command line), applied
    over the config's; ``options.formats``, when given, is used as it is.

    ``engine`` is ``"local"`` (``jobs`` processes of this machine) or ``"dask"`` (the extra
    ``newscorpus[dask]``: the Dask scheduler at ``scheduler``, ``tcp://HOST:PORT``, else a
    local cluster of ``workers`` processes); the output is the same bytes under both."""
    from .convert.batch import convert_paths
    from .convert.engine import make_engine
    from .convert.formatoptions import format_options

    ws = workspace if isinstance(workspace, Workspace) or workspace is None else Workspace.open(workspace)
    run_by = make_engine(engine, jobs=jobs, scheduler=scheduler, workers=workers)
    options = options or ConvertOptions()
    if ws is not None and not options.profile_dirs:
        options = replace(options, profile_dirs=ws.profile_dirs)
    if not options.formats and (settings or (ws is not None and ws.config.convert)):
        options = replace(options, formats=format_options(
            ws.config.convert if ws is not None else None, settings))
    paths = list(inputs) or ([ws.path("raw")] if ws is not None else [])
    if output is None and ws is not None:
        output = ws.articles_dir / "articles.jsonl"
    if output is None:
        with tempfile.TemporaryDirectory(prefix="newscorpus-convert-") as tmp:
            out = Path(tmp) / "articles.jsonl"
            report = convert_paths(paths, out, Path(tmp) / "quarantine.jsonl", options, format,
                                   progress=progress, jobs=jobs, engine=run_by)
            records = tuple(r for _, r in read_jsonl(out))
        report.outputs.clear()
        return ConvertResult(report, None, None, records)
    output = Path(output)
    if quarantine is None:  # the workspace's quarantine/ for its articles, else beside the output
        in_articles = ws is not None and output.parent.resolve() == ws.articles_dir.resolve()
        quarantine = (ws.path("quarantine") / f"{output.stem}.jsonl" if ws is not None and in_articles
                      else output.with_name(f"{output.stem}.quarantine.jsonl"))
    quarantine = Path(quarantine)
    report = convert_paths(paths, output, quarantine, options, format, progress=progress, jobs=jobs,
                           resume=resume, engine=run_by)
    if ws is not None and output.parent.resolve() == ws.articles_dir.resolve():
        from .validation import remember_valid

        remember_valid(ws, output, report.written)  # every record written was validated
    return ConvertResult(report, output, quarantine)


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """How :func:`build_release` builds a release.

    ``previous``: the release folder to diff with and keep splits from; ``None`` (default)
    takes the greatest smaller version in the workspace's releases folder; ``first_release``
    builds without one. ``release_date`` (``YYYY-MM-DD``) defaults to today in UTC.
    ``engine`` ``"dask"`` validates the articles and writes their Parquet shards on a Dask
    cluster (the scheduler at ``scheduler``, else ``workers`` local processes): the same bytes
    as ``"local"``, this process."""

    release_date: str | None = None
    out_dir: Path | None = None
    previous: Path | None = None
    first_release: bool = False
    reshuffle: bool = False
    use_cache: bool = True
    shard_rows: int | None = None
    progress: Progress | None = None
    engine: str = "local"
    scheduler: str | None = None
    workers: int | None = None


def build_release(workspace: Workspace | str | Path, version: str,
                  options: BuildOptions | None = None) -> Any:
    """Build release ``version`` of ``workspace``; returns the build result (its ``path`` and
    ``manifest``). Raises :class:`~newscorpus.errors.ReleaseError` subclasses for requests
    that cannot be honoured and :class:`~newscorpus.errors.InvalidRecordsError` (with its
    report) for invalid inputs."""
    from .convert.engine import make_engine
    from .release import writer

    ws = workspace if isinstance(workspace, Workspace) else Workspace.open(workspace)
    o = options or BuildOptions()
    previous: Path | str | None = (None if o.first_release else
                                   o.previous if o.previous is not None else writer.AUTO)
    extra: dict[str, Any] = {} if o.shard_rows is None else {"shard_rows": o.shard_rows}
    run_by = make_engine(o.engine, jobs=os.cpu_count() or 1, scheduler=o.scheduler, workers=o.workers)
    return writer.build_release(ws, version, release_date=o.release_date, out_dir=o.out_dir,
                                use_cache=o.use_cache, progress=o.progress, previous=previous,
                                reshuffle=o.reshuffle, engine=run_by, **extra)


def verify_release(folder: str | Path, reload: bool = True) -> ValidationReport:
    """Every problem of the release in ``folder``: an empty (valid) report means it verifies.
    ``reload`` also loads each config with ``datasets`` (offline, restored afterwards)."""
    from .release.verify import verify_release as verify

    return verify(Path(folder), reload=reload)


def validate_workspace(workspace: Workspace | str | Path, use_cache: bool = True) -> ValidationReport:
    """Check a whole workspace as a release build would: articles, annotations (spans against
    the article text, stale text hashes) and labels against the label set."""
    from .validation import check_workspace

    ws = workspace if isinstance(workspace, Workspace) else Workspace.open(workspace)
    return check_workspace(ws, use_cache=use_cache)
