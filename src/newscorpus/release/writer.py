"""Build a release folder: Parquet per split with `datasets` features, card, citation,
manifest and checksums — atomically, and byte-identical for the same inputs.

The folder is written under a temporary name in the releases folder and renamed into
place at the end, so a crash leaves no half release; a version that exists is never
overwritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .. import __version__
from ..errors import ConfigError, ReleaseExistsError
from ..schema import DEFAULT_STORE
from ..workspace import Workspace
from .card import citation_cff, dataset_card
from .features import ARTICLE_COLUMNS, BLOCK_KINDS, CREDIT_ROLES, HOLDER_TYPES, QUOTE_KINDS, default_features
from .inputs import ReleaseInputs, load_inputs
from .splits import split_of

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
ROW_GROUP_SIZE = 10_000
Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildResult:
    path: Path
    manifest: dict[str, Any]


def _indices(values: pa.Array, names: tuple[str, ...]) -> pa.Array:
    return pc.cast(pc.index_in(values, value_set=pa.array(names)), pa.int64())


def _nested(column: pa.ChunkedArray, target: pa.DataType,
            convert: Callable[[pa.StructArray], list[pa.Array]]) -> pa.Array:
    """Rebuild a ``list<struct>`` column field-wise into ``target`` (also list<struct>)."""
    lists = column.combine_chunks()
    inner = lists.values
    item = target.value_type
    fields = convert(inner)
    struct = pa.StructArray.from_arrays(fields, fields=list(item))
    return pa.ListArray.from_arrays(lists.offsets, struct, type=target)


def _annotation_columns(ids: list[str], gold: dict[str, dict[str, Any]], schema: pa.Schema,
                        labels: Any) -> dict[str, pa.Array]:
    ent_index = {name: i for i, name in enumerate(labels.entities)}
    tgt_index = {name: i for i, name in enumerate(labels.stance_targets)}
    val_index = {name: i for i, name in enumerate(labels.stances)}
    entities: list[list[dict[str, Any]]] = []
    quotes: list[list[dict[str, Any]]] = []
    stances: list[list[dict[str, Any]]] = []
    annotators: list[list[str]] = []
    empty: list[Any] = []
    for article_id in ids:
        record = gold.get(article_id)
        if record is None:
            entities.append(empty), quotes.append(empty), stances.append(empty)
            annotators.append(empty)
            continue
        e_pos = {e["id"]: i for i, e in enumerate(record["entities"])}
        q_pos = {q["id"]: i for i, q in enumerate(record["quotes"])}
        entities.append([{"start": e["start"], "end": e["end"], "text": e["text"],
                          "label": ent_index[e["label"]]} for e in record["entities"]])
        rows = []
        for q in record["quotes"]:
            sp, cue = q["speaker"] or {}, q["cue"] or {}
            rows.append({
                "start": q["start"], "end": q["end"], "text": q["text"],
                "kind": QUOTE_KINDS.index(q["kind"]),
                "speaker_start": sp.get("start"), "speaker_end": sp.get("end"),
                "speaker_text": sp.get("text"),
                "speaker_entity": e_pos.get(q["speaker_entity"]) if q["speaker_entity"] else None,
                "cue_start": cue.get("start"), "cue_end": cue.get("end"), "cue_text": cue.get("text"),
            })
        quotes.append(rows)
        stances.append([{
            "holder_type": HOLDER_TYPES.index(s["holder"]["type"]),
            "holder_index": {"quote": q_pos, "entity": e_pos}.get(s["holder"]["type"], {}).get(
                s["holder"]["ref"]),
            "target": tgt_index[s["target"]], "stance": val_index[s["stance"]],
        } for s in record["stances"]])
        annotators.append([record["annotator"]])
    return {
        "entities": pa.array(entities, type=schema.field("entities").type),
        "quotes": pa.array(quotes, type=schema.field("quotes").type),
        "stances": pa.array(stances, type=schema.field("stances").type),
        "annotators": pa.array(annotators, type=schema.field("annotators").type),
    }


def default_table(inputs: ReleaseInputs, ws: Workspace) -> pa.Table:
    """The ``default`` config: one row per article, sorted by id, typed by the features."""
    schema = default_features(ws.config.labels).arrow_schema
    articles = inputs.articles.sort_by("id")
    columns: dict[str, Any] = {name: articles.column(name) for name in ARTICLE_COLUMNS}
    columns["blocks"] = _nested(articles.column("blocks"), schema.field("blocks").type, lambda s: [
        _indices(s.field("kind"), BLOCK_KINDS), pc.cast(s.field("start"), pa.int32()),
        pc.cast(s.field("end"), pa.int32())])
    columns["credits"] = _nested(articles.column("credits"), schema.field("credits").type, lambda s: [
        _indices(s.field("role"), CREDIT_ROLES), s.field("name"), pc.cast(s.field("block"), pa.int32())])
    ids = articles.column("id").to_pylist()
    columns.update(_annotation_columns(ids, inputs.gold, schema, ws.config.labels))
    return pa.table([columns[name] for name in schema.names], schema=schema)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 22):
            h.update(chunk)
    return h.hexdigest()


def _write_split(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd", row_group_size=ROW_GROUP_SIZE)


def build_release(ws: Workspace, version: str, release_date: str | None = None,
                  out_dir: Path | None = None, use_cache: bool = True,
                  progress: Progress | None = None) -> BuildResult:
    """Build release ``version`` of the workspace into ``out_dir/version`` (default: the
    workspace's releases folder). Refuses an existing version."""
    if not SEMVER.match(version):
        raise ConfigError(f"release version must be semver X.Y.Z, got {version!r}")
    release_date = release_date or Date.today().isoformat()
    try:
        Date.fromisoformat(release_date)
    except ValueError:
        raise ConfigError(f"release date must be YYYY-MM-DD, got {release_date!r}") from None
    root = Path(out_dir) if out_dir else ws.releases_dir
    target = root / version
    if target.exists():
        raise ReleaseExistsError(f"release {version} already exists at {target}; "
                                 "published versions are immutable (choose a new version)")
    say = progress or (lambda _msg: None)
    say("validating inputs")
    inputs = load_inputs(ws, use_cache)
    say(f"building tables for {inputs.articles.num_rows} articles")
    table = default_table(inputs, ws)
    policy = ws.config.splits
    split_names = [name for name, _ in policy.ratios]
    assigned = pa.array([split_of(i, policy.ratios, policy.salt)
                         for i in table.column("id").to_pylist()])
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".tmp-{version}-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    try:
        splits: dict[str, Any] = {}
        for name in split_names:
            part = table.filter(pc.equal(assigned, name))
            if part.num_rows == 0:  # `datasets` cannot read an empty Parquet file
                say(f"split {name} is empty: no file written")
                splits[name] = {"rows": 0, "files": []}
                continue
            rel = f"data/default/{name}-00000-of-00001.parquet"
            say(f"writing {rel} ({part.num_rows} rows)")
            _write_split(part, tmp / rel)
            splits[name] = {"rows": part.num_rows, "files": [{
                "path": rel, "rows": part.num_rows, "bytes": (tmp / rel).stat().st_size,
                "sha256": _sha256(tmp / rel)}]}
        manifest = _manifest(ws, version, release_date, table, inputs, splits)
        written = [n for n in split_names if splits[n]["rows"]]
        problems = DEFAULT_STORE.problems(manifest, "manifest")
        if problems:  # a bug in this module, not in the data
            raise AssertionError(f"manifest does not validate: {problems}")
        say("writing card, citation, manifest and checksums")
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True,
                                                      ensure_ascii=False) + "\n", encoding="utf-8")
        (tmp / "README.md").write_text(dataset_card(ws, manifest, table, written), encoding="utf-8")
        (tmp / "CITATION.cff").write_text(citation_cff(ws, manifest), encoding="utf-8")
        _write_checksums(tmp)
        if target.exists():
            raise ReleaseExistsError(f"release {version} appeared at {target} during the build")
        tmp.rename(target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return BuildResult(target, manifest)


def _manifest(ws: Workspace, version: str, release_date: str, table: pa.Table,
              inputs: ReleaseInputs, splits: dict[str, Any]) -> dict[str, Any]:
    gold = inputs.gold.values()
    return {
        "schema_version": "1.0.0",
        "name": ws.config.name,
        "version": version,
        "release_date": release_date,
        "license": ws.config.license,
        "generator": {"name": "newscorpus", "version": __version__},
        "record_schemas": {
            "article": ",".join(sorted(set(inputs.articles.column("schema_version").to_pylist()))),
            "annotation": ",".join(sorted({a["schema_version"] for a in inputs.annotations})),
        },
        "split_policy": ws.config.splits.to_dict(),
        "counts": {
            "articles": table.num_rows,
            "annotations": len(inputs.annotations),
            "gold_articles": len(inputs.gold),
            "entities": sum(len(g["entities"]) for g in gold),
            "quotes": sum(len(g["quotes"]) for g in gold),
            "stances": sum(len(g["stances"]) for g in gold),
        },
        "configs": {"default": {"splits": splits}},
        "inputs": inputs.input_files,
    }


def _write_checksums(folder: Path) -> None:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "SHA256SUMS")
    lines = [f"{_sha256(p)}  {p.relative_to(folder).as_posix()}\n" for p in files]
    (folder / "SHA256SUMS").write_text("".join(lines), encoding="utf-8")
