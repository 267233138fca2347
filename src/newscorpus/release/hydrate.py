"""Hydrate a copyright-safe release: rebuild the article text (and titles and span surfaces)
from the user's own copy of the raw inputs, verifying every ``text_sha256``.

The raw inputs are converted with the same converters as the maintainer's; an article is
restored only when its converted text hashes to the release's ``text_sha256``, so a
hydrated release has exactly the text the annotations were made on. The result is a folder
with the same layout, configs and card, that ``newscorpus release verify`` checks in full.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import HydrateError, ReleaseExistsError
from ..records import read_jsonl
from ..report import Report
from ..text import sha256_text
from .diff import read_manifest
from .parquet import COMPRESSION, ROW_GROUP_SIZE, sha256_file

SURFACES = (("text", "start", "end"), ("speaker_text", "speaker_start", "speaker_end"),
            ("cue_text", "cue_start", "cue_end"))
EXAMPLES = 20


@dataclass
class HydrateReport(Report):
    articles: int = 0
    hydrated: int = 0
    missing: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.hydrated == self.articles

    def summary(self) -> str:
        return (f"{self.hydrated} of {self.articles} articles hydrated; {len(self.missing)} missing, "
                f"{len(self.mismatched)} with another text")

    def to_dict(self) -> dict[str, Any]:
        return {"articles": self.articles, "hydrated": self.hydrated, "complete": self.complete,
                "missing": self.missing, "mismatched": self.mismatched}


def _fill(span: dict[str, Any], text: str) -> None:
    for surface, start, end in SURFACES:
        if surface in span and span.get(start) is not None:
            span[surface] = text[span[start]:span[end]]


def _hydrate_row(config: str, row: dict[str, Any], article: dict[str, Any] | None) -> None:
    if article is None:
        return
    text = article["text"]
    if config == "default":
        row.update(text=text, title=article["title"], subtitle=article.get("subtitle"))
    if config in ("default", "annotations"):
        for key in ("entities", "quotes"):
            for span in row[key]:
                _fill(span, text)
    elif config in ("entities", "quotes"):
        _fill(row, text)
    elif config == "stances":
        row["holder_text"] = None  # filled below from the entities and quotes of the article


def _stance_holders(rows: list[dict[str, Any]], spans: dict[tuple[str, str, int], str]) -> None:
    for row in rows:
        if row["holder_index"] is None or row["holder_type"] == 0:
            continue
        config = "quotes" if row["holder_type"] == 1 else "entities"
        row["holder_text"] = spans.get((config, row["article_id"], row["holder_index"]))


def _converted(raw: Sequence[Path], options: Any) -> dict[str, dict[str, Any]]:
    from ..convert.batch import convert_paths

    with tempfile.TemporaryDirectory(prefix="newscorpus-hydrate-") as tmp:
        out = Path(tmp) / "articles.jsonl"
        convert_paths(list(raw), out, Path(tmp) / "quarantine.jsonl", options)
        return {r["id"]: {"text": r["text"], "title": r["title"], "subtitle": r.get("subtitle")}
                for _, r in read_jsonl(out)}


def hydrate(release: Path, raw: Sequence[Path], out: Path, options: Any = None) -> HydrateReport:
    """Write ``out``: the copyright-safe ``release`` with its text rebuilt from ``raw``.

    Raises :class:`HydrateError` (with the report) when an article is missing from the raw
    inputs or its converted text does not hash to ``text_sha256``; nothing is written then."""
    release, out = Path(release), Path(out)
    manifest = read_manifest(release)
    if manifest.get("text", True):
        raise HydrateError(f"{release} already holds the article text: nothing to hydrate")
    if out.exists():
        raise ReleaseExistsError(f"{out} exists; hydrate writes a new folder")
    converted = _converted(raw, options)
    report = HydrateReport()
    articles: dict[str, dict[str, Any]] = {}
    for split in manifest["configs"]["default"]["splits"].values():
        for f in split["files"]:
            for row in pq.read_table(release / f["path"], columns=["id", "text_sha256"]).to_pylist():
                report.articles += 1
                found = converted.get(row["id"])
                if found is None:
                    report.missing.append(row["id"])
                elif sha256_text(found["text"]) != row["text_sha256"]:
                    report.mismatched.append(row["id"])
                else:
                    articles[row["id"]] = found
                    report.hydrated += 1
    if not report.complete:
        err = HydrateError(f"{len(report.missing)} article(s) missing from the raw inputs, "
                           f"{len(report.mismatched)} with a different text (text_sha256); "
                           f"first: {(report.missing + report.mismatched)[:3]}")
        err.report = report  # type: ignore[attr-defined]
        raise err
    tmp = out.with_name(f".tmp-{out.name}")
    if tmp.exists():
        shutil.rmtree(tmp)
    shutil.copytree(release, tmp)
    try:
        _rewrite(tmp, manifest, articles)
        tmp.rename(out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return report


def _rewrite(folder: Path, manifest: dict[str, Any], articles: dict[str, dict[str, Any]]) -> None:
    spans: dict[tuple[str, str, int], str] = {}
    order = [c for c in ("default", "entities", "quotes", "annotations", "stances")
             if c in manifest["configs"]]
    for config in order:
        for split in manifest["configs"][config]["splits"].values():
            for f in split["files"]:
                path = folder / f["path"]
                table = pq.read_table(path)
                rows = table.to_pylist()
                for row in rows:
                    key = row["id"] if config == "default" else row["article_id"]
                    _hydrate_row(config, row, articles.get(key))
                    if config in ("entities", "quotes"):
                        spans[(config, row["article_id"], row["index"])] = row["text"]
                if config == "stances":
                    _stance_holders(rows, spans)
                pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), path,
                               compression=COMPRESSION, row_group_size=ROW_GROUP_SIZE)
                f["bytes"], f["sha256"] = path.stat().st_size, sha256_file(path)
    manifest["text"] = True
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True,
                                                     ensure_ascii=False) + "\n", encoding="utf-8")
    croissant = folder / "croissant.json"
    if croissant.is_file():
        doc = json.loads(croissant.read_text(encoding="utf-8"))
        for item in doc["distribution"]:
            if item.get("@type") == "cr:FileObject" and (folder / item["contentUrl"]).is_file():
                p = folder / item["contentUrl"]
                item["sha256"], item["contentSize"] = sha256_file(p), f"{p.stat().st_size} B"
        croissant.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    from .writer import _write_checksums

    _write_checksums(folder)
