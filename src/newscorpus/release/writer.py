"""Build a release folder, streaming: Parquet per config and split with `datasets` features,
card with figures, citation, Croissant and Zenodo metadata, changelog, manifest and
checksums — atomically, byte-identical for the same inputs, and with the semver bump the
changes require.

Articles are read in batches (``pyarrow.json.open_json``) and written as they come by one
Parquet writer per config and split, so memory stays flat as the corpus grows; the
statistics keep counts of articles by source, language, day and split, and the duplicate
check an 8-byte hash of each id. The folder
is written under a temporary name in the releases folder and renamed into place at the end,
so a crash leaves no half release; a version that exists is never overwritten.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from datetime import date as Date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from .. import __version__
from ..errors import (
    ConfigError,
    InvalidRecordsError,
    ReleaseError,
    ReleaseExistsError,
    SemverError,
    WorkspaceError,
)
from ..schema import DEFAULT_STORE
from ..validation import (
    BatchChecker,
    ReleaseInputs,
    iter_file_batches,
    prepare_inputs,
)
from ..workspace import Workspace
from .diff import (
    bump_of,
    changelog,
    check_bump,
    diff_releases,
    first_entry,
    parse_version,
    read_manifest,
)
from .environment import build_info
from .parquet import SHARD_ROWS, Background, ConfigWriter, sha256_file
from .splits import SplitAssigner, load_groups, previous_assignments
from .stats import Counts, light_rows, release_stats
from .tables import Tables

if TYPE_CHECKING:
    from ..convert.engine import Engine

MANIFEST_VERSION = "1.2.0"
FLAT_CONFIGS = ("entities", "quotes", "stances")
Progress = Callable[[str], None]
AUTO = "auto"
# Article JSONL from which a build returns freed Arrow memory at once (see returned_memory):
# about 1.8M articles of 4.4 KB; below it the growth of the default pool stays under 0.2 GiB.
RETURN_MEMORY_BYTES = 8 << 30


@dataclass(frozen=True)
class BuildResult:
    path: Path
    manifest: dict[str, Any]


def find_previous(releases: Path, version: str) -> Path | None:
    """The greatest release in ``releases``; it must be smaller than ``version`` (a release
    of an older line needs an explicit ``previous``)."""
    if not releases.is_dir():
        return None
    found = []
    for p in releases.iterdir():
        try:
            v = parse_version(p.name)
        except ValueError:
            continue
        if not p.is_dir():
            continue
        if not (p / "manifest.json").is_file():
            raise ReleaseError(f"{p / 'manifest.json'}: missing, so {p.name} is not a release the "
                               "build can follow (restore it, or give --previous or --first)")
        found.append((v, p))
    if not found:
        return None
    latest = max(found)[1]
    if bump_of(latest.name, version) is None:
        raise SemverError(f"version {version} is not greater than the latest release "
                          f"{latest.name} (give the release it follows explicitly to build "
                          "on an older line)")
    return latest


def _check_request(version: str, release_date: str | None) -> str:
    pattern = DEFAULT_STORE.load("manifest", MANIFEST_VERSION)["properties"]["version"]["pattern"]
    try:
        parse_version(version)
        if not re.match(pattern, version):
            raise ValueError(version)
    except ValueError:
        raise ConfigError(f"release version must be semver X.Y.Z, got {version!r} (the manifest "
                          "schema's pattern: no leading zeros)") from None
    release_date = release_date or datetime.now(UTC).date().isoformat()  # UTC, as the CLI says
    try:
        Date.fromisoformat(release_date)
    except ValueError:
        raise ConfigError(f"release date must be YYYY-MM-DD, got {release_date!r}") from None
    return release_date


class _Pass:
    """The streaming pass: checks, split assignment and every config's rows."""

    def __init__(self, ws: Workspace, inputs: ReleaseInputs, assigner: SplitAssigner,
                 folder: Path, shard_rows: int) -> None:
        self.inputs, self.assigner = inputs, assigner
        self.names = assigner.names
        self.tables = Tables(ws.config.labels, inputs.gold, assigner.group_of,
                             text=ws.config.release.text)
        self.background = Background()
        self.writers = {"default": ConfigWriter(folder, "default", self.tables.schemas["default"],
                                                self.names, shard_rows, self.background)}
        for name in FLAT_CONFIGS:
            self.writers[name] = ConfigWriter(folder, name, self.tables.schemas[name], self.names,
                                              shard_rows, self.background)
        self.checker = BatchChecker(inputs, watch=assigner.group_of)
        self.light = Counts()
        self.labelled = {r["article_id"] for r in inputs.annotations}
        self.split_of_labelled: dict[str, str] = {}
        self.article_schemas: set[str] = set()
        self.formats: set[str] = set()  # the converters that made the articles

    def run(self) -> None:
        assigner = self.assigner
        read_failed = self.checker.read_failed
        if assigner.needs_group_info:
            for _path, batch in iter_file_batches(self.inputs.files, on_error=read_failed):
                for aid, src, day in zip(*(batch.column(c).to_pylist() for c in
                                           ("id", "source", "published_at")), strict=True):
                    assigner.add_group_info(aid, src, day)
        for path, batch in iter_file_batches(self.inputs.files, on_error=read_failed):
            self.checker.check(batch, path)
            if self.checker.articles_invalid:
                continue  # finish() reports the article problems; rows are not built
            self.article_schemas.update(pc.unique(batch.column("schema_version")).to_pylist())
            self.formats.update(pc.drop_null(pc.unique(pc.struct_field(batch.column("origin"),
                                                                       "format"))).to_pylist())
            ids, sources, dates = (batch.column(c).to_pylist() for c in
                                   ("id", "source", "published_at"))
            splits = assigner.splits(ids, sources, dates)
            split_array = pa.array(splits, pa.string())
            self.light.add(light_rows(batch, split_array))
            table = self.tables.default(batch)
            present = pc.unique(split_array).to_pylist()
            for name in self.names:
                if name in present:
                    self.writers["default"].write(name, table.filter(pc.equal(split_array, name)))
            hits = [(i, s) for i, s in zip(ids, splits, strict=True) if i in self.labelled]
            if hits:
                self.split_of_labelled.update(hits)
                self._write_flat([i for i, _ in hits])

    def _write_flat(self, ids: list[str]) -> None:
        for name, table in self.tables.flat(ids).items():
            if table.num_rows == 0:
                continue
            owner = pa.array([self.split_of_labelled[i] for i in table["article_id"].to_pylist()])
            for split in self.names:
                self.writers[name].write(split, table.filter(pc.equal(owner, split)))

    def annotations_config(self, folder: Path, shard_rows: int) -> None:
        writer = ConfigWriter(folder, "annotations", self.tables.schemas["annotations"],
                              self.names, shard_rows)
        records = sorted(self.inputs.annotations,
                         key=lambda r: (r["article_id"], r["annotator"], r["id"]))
        for split in self.names:
            mine = [r for r in records if self.split_of_labelled.get(r["article_id"]) == split]
            writer.write(split, self.tables.annotations(mine))
        self.writers["annotations"] = writer

    def cleanup(self) -> None:
        """Remove what the pass staged (nothing, here)."""

    def light_rows(self) -> int:
        return self.light.articles

    def light_table(self) -> pa.Table:
        return self.light.table()


@contextmanager
def returned_memory(corpus_bytes: int) -> Iterator[None]:
    """Arrow memory from jemalloc with no decay delay while a build of a large corpus runs
    (``corpus_bytes`` of article JSONL at least ``RETURN_MEMORY_BYTES``): pages freed go back
    to the system at once. With pyarrow's default pool (mimalloc) the pages a batch freed
    were kept, and a build's RSS grew with the corpus (10M articles: 2.47 GiB); jemalloc
    with no decay keeps it flat but costs about a tenth more CPU, which a smaller corpus,
    whose growth stays small, is spared. Where pyarrow has no jemalloc the pool is left as
    it is. The default pool is restored afterwards (jemalloc's decay stays at 0)."""
    if corpus_bytes < RETURN_MEMORY_BYTES:
        yield
        return
    try:
        pool = pa.jemalloc_memory_pool()
    except NotImplementedError:
        yield
        return
    before = pa.default_memory_pool()
    pa.jemalloc_set_decay_ms(0)
    pa.set_memory_pool(pool)
    try:
        yield
    finally:
        pa.set_memory_pool(before)


def build_release(ws: Workspace, version: str, release_date: str | None = None,
                  out_dir: Path | None = None, use_cache: bool = True,
                  progress: Progress | None = None, previous: Path | str | None = AUTO,
                  reshuffle: bool = False, shard_rows: int = SHARD_ROWS,
                  engine: Engine | None = None) -> BuildResult:
    """Build release ``version`` of the workspace into ``out_dir/version`` (default: the
    workspace's releases folder).

    ``previous`` is the release to diff with and to keep splits from (default: the greatest
    smaller version in the workspace's releases folder; None: a first release). The build
    refuses an existing version, invalid inputs (with a report naming each problem) and a
    version smaller than the bump the changes require. ``reshuffle`` ignores the previous
    splits (which makes a MAJOR release). ``engine`` (a Dask engine) runs the validation
    and the Parquet writing of the articles on its workers, with the same bytes
    (:mod:`newscorpus.release.engine_build`); default: this process."""
    corpus_bytes = sum(f.stat().st_size for f in ws.article_files())
    with returned_memory(corpus_bytes):
        return _build(ws, version, release_date, out_dir, use_cache, progress, previous,
                      reshuffle, shard_rows, engine)


def _build(ws: Workspace, version: str, release_date: str | None, out_dir: Path | None,
           use_cache: bool, progress: Progress | None, previous: Path | str | None,
           reshuffle: bool, shard_rows: int, engine: Engine | None) -> BuildResult:
    release_date = _check_request(version, release_date)
    root = Path(out_dir) if out_dir else ws.releases_dir
    target = root / version
    if target.exists():
        raise ReleaseExistsError(f"release {version} already exists at {target}; "
                                 "published versions are immutable (choose a new version)")
    prev = find_previous(ws.releases_dir, version) if previous == AUTO else (
        Path(previous) if previous else None)
    if prev is not None and bump_of(prev.name, version) is None:
        check_bump(prev.name, version, "patch")
    if prev is not None:
        _check_previous(prev)
    if not ws.article_files():
        raise WorkspaceError(f"no articles in the workspace ({ws.articles_dir} holds no *.jsonl); "
                             "run `newscorpus convert` first")
    say = progress or (lambda _msg: None)
    say("validating inputs")
    if engine is None:
        inputs = prepare_inputs(ws, use_cache)  # article scans may go on while the rows stream
    else:
        from . import engine_build

        inputs = engine_build.prepare_engine_inputs(ws, use_cache)
    tmp = root / f".tmp-{version}-{os.getpid()}"
    run: _Pass | None = None
    try:
        groups = load_groups(ws.articles_dir)
        kept = previous_assignments(prev) if prev is not None and not reshuffle else {}
        assigner = SplitAssigner(ws.config.splits, groups, kept)
        root.mkdir(parents=True, exist_ok=True)
        _remove_abandoned(root)
        if tmp.exists():
            shutil.rmtree(tmp)
        say(f"streaming articles into {', '.join(assigner.names)}")
        run = (_Pass(ws, inputs, assigner, tmp, shard_rows) if engine is None else engine_build.EnginePass(
            ws, inputs, assigner, tmp, shard_rows, engine, engine_build.staging_folder(root, version)))
        run.run()
        report = run.checker.finish()
        if run.light_rows() == 0:
            raise WorkspaceError(f"no articles in the workspace (the *.jsonl files in "
                                 f"{ws.articles_dir} hold no records); run `newscorpus convert` first")
        if not report.valid:
            raise InvalidRecordsError(f"{len(report.problems)} problem(s) in the release inputs; "
                                      f"first: {report.problems[0]}", report)
        if ws.config.release.annotators:
            run.annotations_config(tmp, shard_rows)
        configs = _close(run)
        light = run.light_table()
        say(f"{run.light_rows()} articles written; statistics, figures and metadata")
        stats = release_stats(light, inputs.gold, inputs.annotations, ws.config.labels,
                              assigner.names, groups, run.split_of_labelled, run.checker.seen)
        manifest = _manifest(ws, version, release_date, run.light_rows(), inputs, configs, stats,
                             prev, run.article_schemas)
        manifest["build"] = build_info(ws, run.formats, shard_rows)
        _write_packaging(ws, tmp, manifest, stats, run.tables.schemas.features, prev)
        if target.exists():
            raise ReleaseExistsError(f"release {version} appeared at {target} during the build")
        tmp.rename(target)
    finally:
        if run is not None:
            run.background.shutdown()
            run.cleanup()
            run.checker.close()
        elif inputs.articles is not None:
            inputs.articles.close()
        if tmp.exists():
            shutil.rmtree(tmp)
    return BuildResult(target, manifest)


def _check_previous(prev: Path) -> None:
    """The previous release must verify before the build diffs with it or keeps its splits."""
    from .verify import verify_release

    read_manifest(prev)  # an unreadable or schema-invalid manifest says so, by name
    if not (prev / "SHA256SUMS").is_file():
        raise ReleaseError(f"{prev / 'SHA256SUMS'}: missing, so the previous release cannot be "
                           "verified (restore it, or give --previous or --first)")
    report = verify_release(prev, reload=False)
    if not report.valid:
        more = f" (and {len(report.problems) - 1} more)" if len(report.problems) > 1 else ""
        raise ReleaseError(f"previous release {prev} does not verify: {report.problems[0]}{more}; "
                           "run `newscorpus release verify` on it")


def _remove_abandoned(root: Path) -> None:
    """Remove temporary folders of builds whose process is gone (killed, crashed)."""
    for tmp in root.glob(".tmp-*-*"):
        try:
            pid = int(tmp.name.rsplit("-", 1)[1])
            os.kill(pid, 0)
        except ValueError:
            continue
        except ProcessLookupError:
            shutil.rmtree(tmp, ignore_errors=True)
        except PermissionError:  # alive, another user's
            continue


def _close(run: _Pass) -> dict[str, Any]:
    configs: dict[str, Any] = {}
    for name, writer in run.writers.items():
        splits = writer.close()
        if name != "default" and not any(s["rows"] for s in splits.values()):
            continue
        configs[name] = {"splits": splits}
    return configs


def _write_packaging(ws: Workspace, tmp: Path, manifest: dict[str, Any], stats: dict[str, Any],
                     features: dict[str, dict[str, Any]], prev: Path | None) -> None:
    from .card import dataset_card
    from .figures import render_figures
    from .metadata import citation_cff, croissant, zenodo_json

    figures = render_figures(stats)
    (tmp / "figures").mkdir()
    for name, png in figures.items():
        (tmp / "figures" / name).write_bytes(png)
    (tmp / "README.md").write_text(dataset_card(ws, manifest, stats, features, sorted(figures)),
                                   encoding="utf-8")
    (tmp / "CITATION.cff").write_text(citation_cff(ws, manifest), encoding="utf-8")
    (tmp / ".zenodo.json").write_text(zenodo_json(ws, manifest), encoding="utf-8")
    _write_manifest(tmp, manifest)
    if prev is not None:
        _write_checksums(tmp)
        diff = diff_releases(prev, tmp)
        check_bump(prev.name, manifest["version"], diff.required)
        manifest["semver"] = {"previous": prev.name, "required": diff.required,
                              "bump": bump_of(prev.name, manifest["version"]),
                              "reasons": diff.reasons}
        older = prev / "CHANGELOG.md"
        text = changelog(diff, manifest, older.read_text(encoding="utf-8") if older.is_file()
                         else first_entry(json.loads((prev / "manifest.json").read_text())))
    else:
        text = changelog(None, manifest, None)
    (tmp / "CHANGELOG.md").write_text(text, encoding="utf-8")
    _write_manifest(tmp, manifest)
    (tmp / "croissant.json").write_text(croissant(ws, manifest, tmp, {
        k: v for k, v in features.items() if k in manifest["configs"]}), encoding="utf-8")
    _write_checksums(tmp)


def _write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    problems = DEFAULT_STORE.problems(manifest, "manifest")
    if problems:  # a bug in this module, not in the data
        raise AssertionError(f"manifest does not validate: {[str(p) for p in problems]}")
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True,
                                                     ensure_ascii=False) + "\n", encoding="utf-8")


def _manifest(ws: Workspace, version: str, release_date: str, articles: int,
              inputs: ReleaseInputs, configs: dict[str, Any], stats: dict[str, Any],
              prev: Path | None, article_schemas: set[str]) -> dict[str, Any]:
    gold = inputs.gold.values()
    return {
        "schema_version": MANIFEST_VERSION,
        "name": ws.config.name,
        "version": version,
        "release_date": release_date,
        "license": ws.config.license,
        "generator": {"name": "newscorpus", "version": __version__},
        "record_schemas": {
            "article": ",".join(sorted(article_schemas)),
            "annotation": ",".join(sorted({a["schema_version"] for a in inputs.annotations})),
        },
        "split_policy": ws.config.splits.to_dict(),
        "text": ws.config.release.text,
        "counts": {
            "articles": articles,
            "annotations": len(inputs.annotations),
            "gold_articles": len(inputs.gold),
            "entities": sum(len(g["entities"]) for g in gold),
            "quotes": sum(len(g["quotes"]) for g in gold),
            "stances": sum(len(g["stances"]) for g in gold),
        },
        "split_stats": stats["splits"],
        "duplicate_groups": stats["duplicate_groups"]["groups"],
        "agreement": stats["agreement"],
        "previous": ({"version": prev.name, "sha256sums": sha256_file(prev / "SHA256SUMS")}
                     if prev is not None else None),
        "configs": configs,
        "inputs": inputs.input_files,
    }


def _write_checksums(folder: Path) -> None:
    files = sorted((p.relative_to(folder).as_posix(), p) for p in folder.rglob("*")
                   if p.is_file() and p.name != "SHA256SUMS")
    lines = [f"{sha256_file(p)}  {name}\n" for name, p in files]
    (folder / "SHA256SUMS").write_text("".join(lines), encoding="utf-8")
