"""Hydrate a copyright-safe release: rebuild the article text (and titles and span surfaces)
from the user's own copy of the raw inputs, verifying every ``text_sha256``.

The raw inputs are converted with the same converters as the maintainer's; an article is
restored only when its converted text hashes to the release's ``text_sha256``, so a
hydrated release has exactly the text the annotations were made on. The result is a folder
with the same layout, configs and card, that ``newscorpus release verify`` checks in full.

By default every article must be restored (one dead source blocks the release). With
``allow_missing`` the hydrated *subset* is written instead: the rows of the articles that
could not be restored are left out of every config, the manifest (rows, counts, per-split
statistics, files), the card's YAML (data files, split sizes), Croissant and SHA256SUMS are
updated to match, and ``hydration.json`` in the folder lists each left-out article with its
URL, source, split and why (not in the raw inputs, or a text that does not hash to its
``text_sha256``).
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
REPORT_FILE = "hydration.json"
NOT_FOUND = "not in the raw inputs (no input converts to this article id)"


@dataclass
class HydrateReport(Report):
    articles: int = 0
    hydrated: int = 0
    missing: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)
    left_out: list[dict[str, Any]] = field(default_factory=list)  # id, url, source, split, reason

    @property
    def complete(self) -> bool:
        return self.hydrated == self.articles

    def summary(self) -> str:
        return (f"{self.hydrated} of {self.articles} articles hydrated; {len(self.missing)} missing, "
                f"{len(self.mismatched)} with another text")

    def to_dict(self) -> dict[str, Any]:
        return {"articles": self.articles, "hydrated": self.hydrated, "complete": self.complete,
                "missing": self.missing, "mismatched": self.mismatched, "left_out": self.left_out}


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


def hydrate(release: Path, raw: Sequence[Path], out: Path, options: Any = None,
            allow_missing: bool = False) -> HydrateReport:
    """Write ``out``: the copyright-safe ``release`` with its text rebuilt from ``raw``.

    Raises :class:`HydrateError` (with the report) when an article is missing from the raw
    inputs or its converted text does not hash to ``text_sha256``; nothing is written then.
    With ``allow_missing``, writes the hydrated subset and its ``hydration.json`` instead
    (an error only when no article at all can be restored)."""
    release, out = Path(release), Path(out)
    manifest = read_manifest(release)
    if manifest.get("text", True):
        raise HydrateError(f"{release} already holds the article text: nothing to hydrate")
    if out.exists():
        raise ReleaseExistsError(f"{out} exists; hydrate writes a new folder")
    converted = _converted(raw, options)
    report = HydrateReport()
    articles: dict[str, dict[str, Any]] = {}
    for split_name, split in manifest["configs"]["default"]["splits"].items():
        for f in split["files"]:
            columns = ["id", "text_sha256", "url", "source"]
            for row in pq.read_table(release / f["path"], columns=columns).to_pylist():
                report.articles += 1
                found = converted.get(row["id"])
                reason = None
                if found is None:
                    report.missing.append(row["id"])
                    reason = NOT_FOUND
                elif (got := sha256_text(found["text"])) != row["text_sha256"]:
                    report.mismatched.append(row["id"])
                    reason = (f"the converted text differs (text_sha256 {got}, the release has "
                              f"{row['text_sha256']}): another version of the page or another converter")
                else:
                    articles[row["id"]] = found
                    report.hydrated += 1
                if reason:
                    report.left_out.append({"id": row["id"], "url": row["url"], "source": row["source"],
                                            "split": split_name, "reason": reason})
    if not report.complete and (not allow_missing or not report.hydrated):
        err = HydrateError(f"{len(report.missing)} article(s) missing from the raw inputs, "
                           f"{len(report.mismatched)} with a different text (text_sha256)"
                           + ("" if allow_missing else "; --allow-missing writes the rest")
                           + f"; first: {(report.missing + report.mismatched)[:3]}")
        err.report = report  # type: ignore[attr-defined]
        raise err
    tmp = out.with_name(f".tmp-{out.name}")
    if tmp.exists():
        shutil.rmtree(tmp)
    shutil.copytree(release, tmp)
    try:
        if not report.complete:
            _write_report(tmp, release, manifest, report)
        _rewrite(tmp, manifest, articles, None if report.complete else set(articles))
        from .writer import _write_checksums

        _write_checksums(tmp)
        tmp.rename(out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return report


def _write_report(folder: Path, release: Path, manifest: dict[str, Any], report: HydrateReport) -> None:
    doc = {"release": manifest["name"], "version": manifest["version"],
           "hydrated_from_sha256sums": sha256_file(release / "SHA256SUMS"),
           "articles": report.articles, "hydrated": report.hydrated,
           "left_out": report.left_out}
    (folder / REPORT_FILE).write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
    card = folder / "README.md"
    head, sep, body = card.read_text(encoding="utf-8").partition("\n---\n")
    note = (f"\n**Hydrated subset**: {report.hydrated} of {report.articles} articles of release "
            f"{manifest['version']}; {len(report.left_out)} could not be restored from the raw inputs "
            f"and are left out of every config (`{REPORT_FILE}` lists them and why). The figures "
            "below describe the full release.\n")
    card.write_text(head + sep + note + body, encoding="utf-8")


def _rewrite(folder: Path, manifest: dict[str, Any], articles: dict[str, dict[str, Any]],
             keep: set[str] | None = None) -> None:
    """Fill in the text; with ``keep``, leave out the rows of every other article."""
    spans: dict[tuple[str, str, int], str] = {}
    default_rows: dict[str, list[dict[str, Any]]] = {}
    order = [c for c in ("default", "entities", "quotes", "annotations", "stances")
             if c in manifest["configs"]]
    for config in order:
        for split_name, split in manifest["configs"][config]["splits"].items():
            kept_files = []
            for f in split["files"]:
                path = folder / f["path"]
                table = pq.read_table(path)
                rows = table.to_pylist()
                key = "id" if config == "default" else "article_id"
                if keep is not None:
                    rows = [r for r in rows if r[key] in keep]
                for row in rows:
                    _hydrate_row(config, row, articles.get(row[key]))
                    if config in ("entities", "quotes"):
                        spans[(config, row["article_id"], row["index"])] = row["text"]
                if config == "stances":
                    _stance_holders(rows, spans)
                if config == "default":
                    default_rows.setdefault(split_name, []).extend(rows)
                if keep is not None and not rows:
                    path.unlink()
                    continue
                pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), path,
                               compression=COMPRESSION, row_group_size=ROW_GROUP_SIZE)
                f["rows"], f["bytes"], f["sha256"] = len(rows), path.stat().st_size, sha256_file(path)
                kept_files.append(f)
            if keep is not None:
                _renumber(folder, kept_files)
                split["files"], split["rows"] = kept_files, sum(f["rows"] for f in kept_files)
                if "arrow_bytes" in split:
                    split["arrow_bytes"] = sum(
                        pq.ParquetFile(folder / f["path"]).metadata.row_group(g).total_byte_size
                        for f in kept_files
                        for g in range(pq.ParquetFile(folder / f["path"]).metadata.num_row_groups))
    if keep is not None:
        _subset_manifest(manifest, default_rows)
        _subset_card(folder, manifest)
    manifest["text"] = True
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True,
                                                     ensure_ascii=False) + "\n", encoding="utf-8")
    croissant = folder / "croissant.json"
    if croissant.is_file():
        doc = json.loads(croissant.read_text(encoding="utf-8"))
        doc["distribution"] = [item for item in doc["distribution"]
                               if item.get("@type") != "cr:FileObject"
                               or (folder / item["contentUrl"]).is_file()]
        for item in doc["distribution"]:
            if item.get("@type") == "cr:FileObject":
                p = folder / item["contentUrl"]
                item["sha256"], item["contentSize"] = sha256_file(p), f"{p.stat().st_size} B"
        croissant.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _renumber(folder: Path, files: list[dict[str, Any]]) -> None:
    """Shard names say ``-NNNNN-of-MMMMM``: keep them true when shards were dropped."""
    for i, f in enumerate(files):
        old = folder / f["path"]
        split = old.name.split("-", 1)[0]
        new = old.with_name(f"{split}-{i:05d}-of-{len(files):05d}.parquet")
        if new != old:
            old.rename(new)
            f["path"] = new.relative_to(folder).as_posix()


def _subset_manifest(manifest: dict[str, Any], default_rows: dict[str, list[dict[str, Any]]]) -> None:
    """Counts and per-split statistics of the rows that are left."""
    for name in [c for c in manifest["configs"] if c != "default"]:
        if not any(s["rows"] for s in manifest["configs"][name]["splits"].values()):
            del manifest["configs"][name]  # as the build leaves out an empty config
    rows = [r for split in default_rows.values() for r in split]
    labelled = [r for r in rows if r["annotators"]]
    counts = manifest["counts"]
    counts.update(articles=len(rows), gold_articles=len(labelled),
                  **{k: sum(len(r[k]) for r in labelled) for k in ("entities", "quotes", "stances")})
    if "annotations" in manifest["configs"]:
        counts["annotations"] = sum(s["rows"] for s in manifest["configs"]["annotations"]["splits"].values())
    stats = manifest.get("split_stats")
    if stats is None:
        return
    for name, split in stats.items():
        mine = default_rows.get(name, [])
        days = sorted(str(r["published_at"])[:10] for r in mine if r.get("published_at"))
        gold = [r for r in mine if r["annotators"]]
        split.update(articles=len(mine), labelled_articles=len(gold),
                     sources=len({r["source"] or "unknown" for r in mine}),
                     first_date=days[0] if days else None, last_date=days[-1] if days else None,
                     **{k: sum(len(r[k]) for r in gold) for k in ("entities", "quotes", "stances")})


def _subset_card(folder: Path, manifest: dict[str, Any]) -> None:
    """The card's YAML: configs, data files and split sizes of what is left."""
    import yaml

    card = folder / "README.md"
    _, front, body = card.read_text(encoding="utf-8").split("---\n", 2)
    meta = yaml.safe_load(front)
    configs = manifest["configs"]
    meta["configs"] = [c for c in meta.get("configs", []) if c["config_name"] in configs]
    for entry in meta["configs"]:
        splits = configs[entry["config_name"]]["splits"]
        entry["data_files"] = [d for d in entry["data_files"] if splits.get(d["split"], {}).get("rows")]
    infos = [i for i in meta.get("dataset_info", []) if i.get("config_name") in configs]
    for info in infos:
        splits = configs[info["config_name"]]["splits"]
        info["splits"] = [dict(s, num_examples=splits[s["name"]]["rows"],
                               num_bytes=splits[s["name"]].get("arrow_bytes", s.get("num_bytes", 0)))
                          for s in info.get("splits", []) if splits.get(s["name"], {}).get("rows")]
        info["download_size"] = sum(f["bytes"] for s in splits.values() for f in s["files"])
        info["dataset_size"] = sum(s.get("arrow_bytes", 0) for s in splits.values())
    if "dataset_info" in meta:
        meta["dataset_info"] = infos
    card.write_text("---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n" + body,
                    encoding="utf-8")
