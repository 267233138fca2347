"""Verify a release folder: every file's checksum (a flipped byte anywhere is caught), the
manifest schema, the card's configs and the Croissant checksums, row counts, every text
hash, block and span offset in every config, and a reload of every config with `datasets`."""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..checksums import file_sha256
from ..errors import ReleaseError
from ..report import Problem, ValidationReport
from ..schema import DEFAULT_STORE
from ..text import sha256_text, span_problem
from .card import hub_license
from .features import HOLDER_TYPES
from .metadata import spdx_url

FLAT_CONFIGS = ("entities", "quotes", "stances")


def read_checksums(folder: Path) -> dict[str, str]:
    sums = folder / "SHA256SUMS"
    if not sums.is_file():
        raise ReleaseError(f"{folder}: no SHA256SUMS; not a release folder")
    out = {}
    for line in sums.read_bytes().decode("utf-8", errors="replace").split("\n")[:-1]:
        digest, _, name = line.partition("  ")
        out[name] = digest
    return out


_SUMS_LINE = re.compile(r"[0-9a-f]{64}  [^\x00-\x1f\x7f]+\n")


def _check_checksums(folder: Path, report: ValidationReport) -> None:
    listed = read_checksums(folder)
    raw = (folder / "SHA256SUMS").read_bytes()
    lines = raw.decode("utf-8", errors="replace").splitlines(keepends=True)
    names = [line.partition("  ")[2].rstrip("\n") for line in lines]
    if (not raw.endswith(b"\n") or not all(_SUMS_LINE.fullmatch(line) for line in lines)
            or names != sorted(names)):
        report.problems.append(Problem("SHA256SUMS", "", "malformed (each line: 64 hex digits, "
                                       "two spaces, a path, newline; sorted by path)", "checksum"))
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*")
               if p.is_file() and p.name != "SHA256SUMS"}
    for name in sorted(present - set(listed)):
        report.problems.append(Problem(name, "", "file not listed in SHA256SUMS", "checksum"))
    for name, digest in sorted(listed.items()):
        path = folder / name
        if not path.is_file():
            report.problems.append(Problem(name, "", "listed in SHA256SUMS but missing", "checksum"))
        elif file_sha256(path) != digest:
            report.problems.append(Problem(name, "", "SHA-256 differs from SHA256SUMS", "checksum"))


def _span_rows(row: dict[str, Any]) -> list[tuple[str, int, int, str | None]]:
    spans = [(f"/entities/{i}", e["start"], e["end"], e["text"]) for i, e in enumerate(row["entities"])]
    for i, q in enumerate(row["quotes"]):
        spans.append((f"/quotes/{i}", q["start"], q["end"], q["text"]))
        for part in ("speaker", "cue"):
            if q[f"{part}_start"] is not None:
                spans.append((f"/quotes/{i}/{part}", q[f"{part}_start"], q[f"{part}_end"],
                              q[f"{part}_text"]))
    return spans


def _flat_spans(config: str, row: dict[str, Any]) -> list[tuple[str, int, int, str | None]]:
    pointer = f"/{config}/{row['index']}"
    if config == "stances":
        return []
    spans = [(pointer, row["start"], row["end"], row["text"])]
    if config == "quotes":
        for part in ("speaker", "cue"):
            if row[f"{part}_start"] is not None:
                spans.append((f"{pointer}/{part}", row[f"{part}_start"], row[f"{part}_end"],
                              row[f"{part}_text"]))
    return spans


class _RowChecker:
    """Checks rows of every config: text hashes, block and span offsets against the text
    (spans of the flattened and annotations configs against their article's text), and in a
    copyright-safe release that no text was left in."""

    def __init__(self, with_text: bool, report: ValidationReport) -> None:
        self.with_text, self.report = with_text, report
        self.texts: dict[str, str | None] = {}
        self.wanted: set[str] = set()
        # article id -> (split, its nested gold rows per flat config) for the cross-check
        self.nested: dict[str, tuple[str, dict[str, list[dict[str, Any]]]]] = {}
        self.seen: dict[tuple[str, str], set[int]] = {}

    def _problem(self, rid: str | None, pointer: str, message: str, rel: str) -> None:
        self.report.problems.append(Problem(rid, pointer, message, "offsets", rel))

    def default(self, split: str, rel: str, row: dict[str, Any]) -> None:
        rid, text = row["id"], row["text"]
        if rid in self.wanted:
            self.texts[rid] = text
        self.nested[rid] = (split, {c: row[c] for c in FLAT_CONFIGS})
        if not self.with_text:
            leaked = [k for k in ("text", "title", "subtitle") if row[k] is not None]
            leaked += [p for p, _, _, surface in _span_rows(row) if surface is not None]
            for pointer in leaked:
                self._problem(rid, f"/{pointer.lstrip('/')}", "text in a copyright-safe release",
                              rel)
            return
        if sha256_text(text) != row["text_sha256"]:
            self._problem(rid, "/text_sha256", "does not match text", rel)
        for i, b in enumerate(row["blocks"]):
            if not 0 <= b["start"] < b["end"] <= len(text):
                self._problem(rid, f"/blocks/{i}", "block outside text", rel)
        self._spans(rid, text, _span_rows(row), rel)

    def _spans(self, rid: str, text: str, spans: list[tuple[str, int, int, str | None]],
               rel: str) -> None:
        for pointer, start, end, surface in spans:
            problem = span_problem(text, start, end, surface)
            if problem:
                self._problem(rid, pointer, problem, rel)

    def flat(self, config: str, split: str, rel: str, row: dict[str, Any]) -> None:
        """A row of a flat config must be item ``index`` of its article's nested list in
        ``default``, in the same split."""
        rid, index = row["article_id"], row["index"]
        if rid not in self.nested:
            return  # reported by other()
        article_split, nested = self.nested[rid]
        items = nested[config]
        pointer = f"/{config}/{index}"
        if split != article_split:
            self._problem(rid, pointer, f"in split {split}, its article is in {article_split}", rel)
        seen = self.seen.setdefault((config, rid), set())
        if index in seen:
            self._problem(rid, pointer, "listed twice", rel)
        seen.add(index)
        values = {k: v for k, v in row.items() if k not in ("article_id", "index", "holder_text")}
        if not 0 <= index < len(items) or items[index] != values:
            self._problem(rid, pointer, "differs from the default config", rel)
        elif config == "stances":
            kind, pos = HOLDER_TYPES[values["holder_type"]], values["holder_index"]
            source = {"quote": nested["quotes"], "entity": nested["entities"]}.get(kind)
            holder = source[pos]["text"] if source is not None and pos is not None else None
            if row["holder_text"] != holder:
                self._problem(rid, f"{pointer}/holder_text", "differs from the default config", rel)

    def missing_flat(self, config: str) -> None:
        """Items of ``default`` that no row of the flat ``config`` carries."""
        for rid, (_, nested) in self.nested.items():
            n = len(nested[config])
            if n and len(self.seen.get((config, rid), ())) != n:
                self._problem(rid, f"/{config}", f"{n} in the default config, "
                              f"{len(self.seen.get((config, rid), ()))} in the {config} config",
                              f"data/{config}")

    def other(self, config: str, rel: str, row: dict[str, Any]) -> None:
        rid = row["article_id"]
        spans = _span_rows(row) if config == "annotations" else _flat_spans(config, row)
        if rid not in self.texts:
            self._problem(rid, "/article_id", "no such article in the default config", rel)
        elif not self.with_text:
            if any(surface is not None for _, _, _, surface in spans):
                self._problem(rid, "", "span text in a copyright-safe release", rel)
        else:
            self._spans(rid, self.texts[rid] or "", spans, rel)


def _files(manifest: dict[str, Any], config: str) -> list[tuple[str, dict[str, Any]]]:
    return [(name, f) for name, split in manifest["configs"][config]["splits"].items()
            for f in split["files"]]


def _check_manifest_files(folder: Path, manifest: dict[str, Any], report: ValidationReport) -> None:
    """Every data file has the manifest's SHA-256 and size, and every Parquet file under
    ``data/`` is one the manifest lists (the card's globs would load a stray one)."""
    listed = set()
    for config in manifest["configs"]:
        for _, f in _files(manifest, config):
            listed.add(f["path"])
            path = folder / f["path"]
            if not path.is_file():
                report.problems.append(Problem(f["path"], "", "listed in the manifest but missing",
                                               "manifest"))
                continue
            if path.stat().st_size != f["bytes"]:
                report.problems.append(Problem(f["path"], "", f"{path.stat().st_size} bytes, the "
                                               f"manifest says {f['bytes']}", "manifest"))
            if file_sha256(path) != f["sha256"]:
                report.problems.append(Problem(f["path"], "", "SHA-256 differs from the manifest",
                                               "manifest"))
    for path in sorted((folder / "data").rglob("*")) if (folder / "data").is_dir() else []:
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and rel not in listed:
            report.problems.append(Problem(rel, "", "data file not listed in the manifest",
                                           "manifest"))


def _iter_rows(folder: Path, f: dict[str, Any], report: ValidationReport
               ) -> Iterator[dict[str, Any]]:
    try:
        pfile = pq.ParquetFile(folder / f["path"])
    except Exception as exc:
        report.problems.append(Problem(f["path"], "", f"unreadable Parquet: {exc}", "parquet"))
        return
    if pfile.metadata.num_rows != f["rows"]:
        report.problems.append(Problem(f["path"], "", f"{pfile.metadata.num_rows} rows, manifest "
                                       f"says {f['rows']}", "rows"))
    try:
        for batch in pfile.iter_batches(batch_size=2_000):
            rows = batch.to_pylist()
            report.records += len(rows)
            yield from rows
    except (OSError, ValueError, pa.ArrowException) as exc:
        report.problems.append(Problem(f["path"], "", f"unreadable Parquet: {exc}", "parquet"))


def _check_data(folder: Path, manifest: dict[str, Any], report: ValidationReport) -> None:
    checker = _RowChecker(manifest.get("text", True), report)
    others = [c for c in manifest["configs"] if c != "default"]
    for config in others:
        for _, f in _files(manifest, config):
            try:
                ids = pq.read_table(folder / f["path"], columns=["article_id"])["article_id"]
                checker.wanted.update(ids.to_pylist())
            except Exception:  # reported below
                pass
    for split, f in _files(manifest, "default"):
        with _guard(report, f["path"]):
            for row in _iter_rows(folder, f, report):
                checker.default(split, f["path"], row)
    for config in others:
        for split, f in _files(manifest, config):
            with _guard(report, f["path"]):
                for row in _iter_rows(folder, f, report):
                    checker.other(config, f["path"], row)
                    if config in FLAT_CONFIGS:
                        checker.flat(config, split, f["path"], row)
        if config in FLAT_CONFIGS:
            checker.missing_flat(config)


@contextmanager
def _guard(report: ValidationReport, where: str) -> Iterator[None]:
    """Any exception while checking ``where`` becomes a problem record, never a traceback."""
    try:
        yield
    except Exception as exc:  # a corrupt file can fail anywhere in pyarrow, json or yaml
        report.problems.append(Problem(where, "", f"cannot be checked: {type(exc).__name__}: {exc}",
                                       "read"))


def _check_metadata(folder: Path, manifest: dict[str, Any], report: ValidationReport) -> None:
    """The card and ``croissant.json`` agree with the manifest and the files: configs and
    their data files, licence, name, version, date, and every listed file's hash and size."""
    with _guard(report, "README.md"):
        _check_card(folder, manifest, report)
    crpath = folder / "croissant.json"
    if not crpath.is_file():
        if manifest["schema_version"] != "1.0.0":
            report.problems.append(Problem("croissant.json", "", "missing", "croissant"))
        return
    with _guard(report, "croissant.json"):
        _check_croissant(folder, manifest, report)


def _card_problem(report: ValidationReport, pointer: str, message: str) -> None:
    report.problems.append(Problem("README.md", pointer, message, "card"))


def _check_card(folder: Path, manifest: dict[str, Any], report: ValidationReport) -> None:
    import fnmatch

    import yaml

    try:
        card = (folder / "README.md").read_text(encoding="utf-8")
        front = yaml.safe_load(card.split("---\n", 2)[1])
        configs = {c["config_name"]: c for c in front["configs"]}
    except (OSError, ValueError, IndexError, KeyError, TypeError, yaml.YAMLError) as exc:
        _card_problem(report, "", f"no card YAML configs: {exc}")
        return
    if sorted(configs) != sorted(manifest["configs"]):
        _card_problem(report, "/configs", f"card configs {list(configs)} differ from the "
                      f"manifest's {list(manifest['configs'])}")
    if front.get("license") != hub_license(manifest["license"]):
        _card_problem(report, "/license", f"license {front.get('license')!r}, the manifest's "
                      f"{manifest['license']} is {hub_license(manifest['license'])!r} on the Hub")
    if f"version {manifest['version']}" not in card.split("---\n", 2)[2]:
        _card_problem(report, "", f"does not name version {manifest['version']}")
    data = sorted(p.relative_to(folder).as_posix() for p in (folder / "data").rglob("*.parquet"))
    for name, entry in configs.items():
        spec = manifest["configs"].get(name)
        if spec is None:
            continue
        for item in entry.get("data_files") or []:
            split = spec["splits"].get(item.get("split"))
            want = sorted(f["path"] for f in split["files"]) if split else None
            got = sorted(fnmatch.filter(data, str(item.get("path"))))
            if got != want:
                _card_problem(report, f"/configs/{name}/{item.get('split')}",
                              f"data files {got} differ from the manifest's {want}")


def _check_croissant(folder: Path, manifest: dict[str, Any], report: ValidationReport) -> None:
    def problem(pointer: str, message: str) -> None:
        report.problems.append(Problem("croissant.json", pointer, message, "croissant"))

    croissant = json.loads((folder / "croissant.json").read_text(encoding="utf-8"))
    expected = {"license": spdx_url(manifest["license"]), "name": manifest["name"],
                "version": manifest["version"], "datePublished": manifest["release_date"]}
    for key, value in expected.items():
        if croissant.get(key) != value:
            problem(f"/{key}", f"{key} {croissant.get(key)!r}, the manifest says {value!r}")
    listed = set()
    for item in croissant.get("distribution", []):
        if item.get("@type") != "cr:FileObject":
            continue
        rel = str(item.get("contentUrl"))
        listed.add(rel)
        path = folder / rel
        if not path.is_file() or file_sha256(path) != item.get("sha256"):
            problem(f"/distribution/{item.get('@id')}", "sha256 does not match the file")
        elif item.get("contentSize") != f"{path.stat().st_size} B":
            problem(f"/distribution/{item.get('@id')}", "contentSize does not match the file")
    for config in manifest["configs"]:
        for _, f in _files(manifest, config):
            if f["path"] not in listed:
                problem("/distribution", f"{f['path']} of the manifest is not listed")
    if "manifest.json" not in listed:
        problem("/distribution", "manifest.json is not listed")
    _check_croissant_filesets(croissant, manifest, problem)


def _check_croissant_filesets(croissant: dict[str, Any], manifest: dict[str, Any],
                              problem: Callable[[str, str], None]) -> None:
    """Each config's FileSet lists exactly that config's files, and the config's record set
    reads that FileSet (a swap of two lists, or of two references, would make Croissant
    readers give one config's rows for another)."""
    filesets = {item.get("@id"): item for item in croissant.get("distribution", [])
                if item.get("@type") == "cr:FileSet"}
    record_sets = {rs.get("@id"): rs for rs in croissant.get("recordSet", [])}
    every = sorted(f["path"] for config in manifest["configs"] for _, f in _files(manifest, config))
    for config in manifest["configs"]:
        expected = sorted(f["path"] for _, f in _files(manifest, config))
        fileset = filesets.get(f"{config}-parquet")
        if fileset is None:
            problem("/distribution", f"no FileSet {config}-parquet for the {config} config")
            continue
        includes = fileset.get("includes") or []
        patterns = [includes] if isinstance(includes, str) else [str(p) for p in includes]
        listed = [f for f in every if any(fnmatchcase(f, p) for p in patterns)]  # lists or globs
        if listed != expected:
            problem(f"/distribution/{config}-parquet",
                    f"includes {listed}, the manifest's {config} files are {expected}")
        rs = record_sets.get(config)
        if rs is None:
            problem("/recordSet", f"no record set for the {config} config")
            continue
        refs = {(f.get("source") or {}).get("fileSet", {}).get("@id") for f in rs.get("field", [])
                if isinstance((f.get("source") or {}).get("fileSet"), dict)}
        if refs != {f"{config}-parquet"}:
            problem(f"/recordSet/{config}", f"reads {sorted(r for r in refs if r)}, not {config}-parquet")


def _reload(folder: Path, manifest: dict[str, Any], report: ValidationReport) -> None:
    from .load import hub_offline

    with hub_offline() as datasets:
        for config, spec in manifest["configs"].items():
            expected = {name: s["rows"] for name, s in spec["splits"].items() if s["rows"]}
            with tempfile.TemporaryDirectory(prefix="newscorpus-verify-") as cache:
                try:
                    loaded = datasets.load_dataset(str(folder), config, cache_dir=cache)
                except Exception as exc:  # report any loader failure as a problem
                    report.problems.append(Problem(config, "", f"datasets cannot load it: "
                                                   f"{type(exc).__name__}: {exc}", "reload"))
                    continue
                got = {name: ds.num_rows for name, ds in loaded.items()}
                if got != expected:
                    report.problems.append(Problem(config, "", f"datasets loads {got}, manifest "
                                                   f"says {expected}", "reload"))


def verify_release(folder: Path, reload: bool = True) -> ValidationReport:
    """All problems of the release in ``folder`` (an empty report means it verifies)."""
    folder = Path(folder)
    report = ValidationReport()
    with _guard(report, "SHA256SUMS"):
        _check_checksums(folder, report)
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        report.problems.append(Problem("manifest.json", "", f"unreadable: {exc}", "manifest"))
        return report
    with _guard(report, "manifest.json"):
        manifest_problems = DEFAULT_STORE.problems(manifest, "manifest", "manifest.json")
        if manifest_problems:
            report.problems.extend(manifest_problems)
            return report
    if not report.valid and not isinstance(manifest, dict):
        return report
    with _guard(report, "manifest.json"):
        _check_manifest_files(folder, manifest, report)
    if manifest.get("schema_version") != "1.0.0":
        _check_metadata(folder, manifest, report)
    with _guard(report, "data"):
        _check_data(folder, manifest, report)
    if reload and report.valid:
        _reload(folder, manifest, report)
    return report
