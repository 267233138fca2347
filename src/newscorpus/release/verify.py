"""Verify a release folder: checksums, manifest schema, row counts, every record's text
hash and span offsets, and a reload of every config with `datasets`."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from ..errors import ReleaseError
from ..report import Problem, ValidationReport
from ..schema import DEFAULT_STORE
from ..text import sha256_text, span_problem


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_checksums(folder: Path) -> dict[str, str]:
    sums = folder / "SHA256SUMS"
    if not sums.is_file():
        raise ReleaseError(f"{folder}: no SHA256SUMS; not a release folder")
    out = {}
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        out[name] = digest
    return out


def _check_checksums(folder: Path, report: ValidationReport) -> None:
    listed = read_checksums(folder)
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*")
               if p.is_file() and p.name != "SHA256SUMS"}
    for name in sorted(present - set(listed)):
        report.problems.append(Problem(name, "", "file not listed in SHA256SUMS", "checksum"))
    for name, digest in sorted(listed.items()):
        path = folder / name
        if not path.is_file():
            report.problems.append(Problem(name, "", "listed in SHA256SUMS but missing", "checksum"))
        elif _sha256(path) != digest:
            report.problems.append(Problem(name, "", "SHA-256 differs from SHA256SUMS", "checksum"))


def _check_rows(folder: Path, rel: str, rows: list[dict[str, Any]], report: ValidationReport) -> None:
    for row in rows:
        rid, text = row["id"], row["text"]
        if sha256_text(text) != row["text_sha256"]:
            report.problems.append(Problem(rid, "/text_sha256", "does not match text", "offsets", rel))
        for i, b in enumerate(row["blocks"]):
            if not 0 <= b["start"] < b["end"] <= len(text):
                report.problems.append(Problem(rid, f"/blocks/{i}", "block outside text", "offsets", rel))
        spans = [(f"/entities/{i}", e["start"], e["end"], e["text"]) for i, e in enumerate(row["entities"])]
        for i, q in enumerate(row["quotes"]):
            spans.append((f"/quotes/{i}", q["start"], q["end"], q["text"]))
            for part in ("speaker", "cue"):
                if q[f"{part}_start"] is not None:
                    spans.append((f"/quotes/{i}/{part}", q[f"{part}_start"], q[f"{part}_end"], q[f"{part}_text"]))
        for pointer, start, end, surface in spans:
            problem = span_problem(text, start, end, surface)
            if problem:
                report.problems.append(Problem(rid, pointer, problem, "offsets", rel))


def _reload(folder: Path, manifest: dict[str, Any], report: ValidationReport) -> None:
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import datasets

    datasets.disable_progress_bars()

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
                report.problems.append(Problem(config, "", f"datasets loads {got}, manifest says "
                                               f"{expected}", "reload"))


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
    report.problems.extend(DEFAULT_STORE.problems(manifest, "manifest", "manifest.json"))
    if not report.valid:
        return report
    for spec in manifest["configs"].values():
        for split in spec["splits"].values():
            for f in split["files"]:
                path = folder / f["path"]
                try:
                    table = pq.read_table(path)
                except Exception as exc:
                    report.problems.append(Problem(f["path"], "", f"unreadable Parquet: {exc}", "parquet"))
                    continue
                if table.num_rows != f["rows"]:
                    report.problems.append(Problem(f["path"], "", f"{table.num_rows} rows, manifest "
                                                   f"says {f['rows']}", "rows"))
                rows = table.to_pylist()
                report.records += len(rows)
                _check_rows(folder, f["path"], rows, report)
    if reload and report.valid:
        _reload(folder, manifest, report)
    return report
