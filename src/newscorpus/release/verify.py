"""Verify a release folder: every file's checksum (a flipped byte anywhere is caught), the
manifest schema, the card's configs and the Croissant checksums, row counts, every text
hash, block and span offset in every config, and a reload of every config with `datasets`."""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..checksums import file_sha256
from ..errors import ReleaseError
from ..report import Problem, ValidationReport
from ..schema import DEFAULT_STORE
from ..text import sha256_text, span_problem


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

    def _problem(self, rid: str | None, pointer: str, message: str, rel: str) -> None:
        self.report.problems.append(Problem(rid, pointer, message, "offsets", rel))

    def default(self, rel: str, row: dict[str, Any]) -> None:
        rid, text = row["id"], row["text"]
        if rid in self.wanted:
            self.texts[rid] = text
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


def _files(manifest: dict[str, Any], config: str) -> list[dict[str, Any]]:
    return [f for split in manifest["configs"][config]["splits"].values() for f in split["files"]]


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
        for f in _files(manifest, config):
            try:
                ids = pq.read_table(folder / f["path"], columns=["article_id"])["article_id"]
                checker.wanted.update(ids.to_pylist())
            except Exception:  # reported below
                pass
    for f in _files(manifest, "default"):
        for row in _iter_rows(folder, f, report):
            checker.default(f["path"], row)
    for config in others:
        for f in _files(manifest, config):
            for row in _iter_rows(folder, f, report):
                checker.other(config, f["path"], row)


def _check_metadata(folder: Path, manifest: dict[str, Any], report: ValidationReport) -> None:
    """The card's ``configs:`` and ``croissant.json`` agree with the manifest and the files."""
    import yaml

    try:
        card = (folder / "README.md").read_text(encoding="utf-8")
        front = yaml.safe_load(card.split("---\n", 2)[1])
        names = [c["config_name"] for c in front["configs"]]
    except (OSError, ValueError, IndexError, KeyError, TypeError, yaml.YAMLError) as exc:
        report.problems.append(Problem("README.md", "", f"no card YAML configs: {exc}", "card"))
        return
    if sorted(names) != sorted(manifest["configs"]):
        report.problems.append(Problem("README.md", "/configs", f"card configs {names} differ from "
                                       f"the manifest's {list(manifest['configs'])}", "card"))
    crpath = folder / "croissant.json"
    if not crpath.is_file():
        if manifest["schema_version"] != "1.0.0":
            report.problems.append(Problem("croissant.json", "", "missing", "croissant"))
        return
    try:
        croissant = json.loads(crpath.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        report.problems.append(Problem("croissant.json", "", f"unreadable: {exc}", "croissant"))
        return
    for item in croissant.get("distribution", []):
        if item.get("@type") != "cr:FileObject":
            continue
        path = folder / item["contentUrl"]
        if not path.is_file() or file_sha256(path) != item.get("sha256"):
            report.problems.append(Problem("croissant.json", f"/distribution/{item['@id']}",
                                           "sha256 does not match the file", "croissant"))


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
    _check_checksums(folder, report)
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        report.problems.append(Problem("manifest.json", "", f"unreadable: {exc}", "manifest"))
        return report
    manifest_problems = DEFAULT_STORE.problems(manifest, "manifest", "manifest.json")
    if manifest_problems:
        report.problems.extend(manifest_problems)
        return report
    if manifest.get("schema_version") != "1.0.0":
        _check_metadata(folder, manifest, report)
    _check_data(folder, manifest, report)
    if reload and report.valid:
        _reload(folder, manifest, report)
    return report
