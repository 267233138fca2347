"""The dataset card (``README.md`` with Hugging Face YAML) and ``CITATION.cff``,
generated from the release data so that the figures cannot drift from it."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import yaml

from ..workspace import Workspace

_LICENSES = {"CC-BY-4.0": "cc-by-4.0", "CC-BY-SA-4.0": "cc-by-sa-4.0", "CC0-1.0": "cc0-1.0",
             "MIT": "mit", "Apache-2.0": "apache-2.0"}


def _size_category(n: int) -> str:
    for bound, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
                        (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M")):
        if n < bound:
            return name
    return "10M<n<100M"


def _counts(column: pa.ChunkedArray) -> list[tuple[str, int]]:
    values = [v for v in column.to_pylist() if v is not None]
    return sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0]))


def _table(header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def dataset_card(ws: Workspace, manifest: dict[str, Any], table: pa.Table,
                 split_names: list[str]) -> str:
    cfg = ws.config
    languages = [lang for lang, _ in _counts(table.column("language"))]
    splits = manifest["configs"]["default"]["splits"]
    front = {
        "pretty_name": cfg.pretty_name,
        "license": _LICENSES.get(cfg.license, "other"),
        "language": sorted({lang.split("-")[0] for lang in languages}),
        "task_categories": ["token-classification", "text-classification"],
        "task_ids": ["named-entity-recognition"],
        "size_categories": [_size_category(table.num_rows)],
        "configs": [{
            "config_name": "default",
            "data_files": [{"split": name, "path": f"data/default/{name}-*.parquet"}
                           for name in split_names],
            "default": True,
        }],
    }
    labels = ws.config.labels
    flat = pc.list_flatten(table.column("entities")).combine_chunks()
    ent_counts = Counter(flat.field("label").to_pylist()) if len(flat) else Counter()
    st_flat = pc.list_flatten(table.column("stances")).combine_chunks()
    st_counts = Counter(zip(st_flat.field("target").to_pylist(), st_flat.field("stance").to_pylist(),
                            strict=True)) if len(st_flat) else Counter()
    dates = sorted(d[:10] for d in table.column("published_at").to_pylist() if d)
    counts = manifest["counts"]
    parts = [
        "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True) + "---\n",
        f"# {cfg.pretty_name} — version {manifest['version']}\n",
        f"{cfg.description}\n" if cfg.description else "",
        f"Released {manifest['release_date']} by newscorpus {manifest['generator']['version']}. "
        f"License: {cfg.license}.\n",
        "## Load it\n",
        "```python\nimport datasets\n"
        "ds = datasets.load_dataset(\"path/to/releases/" + manifest["version"] + "\")\n```\n",
        "## Composition\n",
        f"{counts['articles']} articles; {counts['gold_articles']} carry gold labels "
        f"({counts['entities']} entity mentions, {counts['quotes']} quotes, "
        f"{counts['stances']} stances).\n",
        _table(("split", "articles"), [(n, splits[n]["rows"]) for n in split_names]) + "\n",
        "### Sources\n",
        _table(("source", "articles"), _counts(table.column("source"))) + "\n",
        "### Languages\n",
        _table(("language", "articles"), _counts(table.column("language"))) + "\n",
        "### Time range\n",
        (f"Published from {dates[0]} to {dates[-1]} ({len(dates)} dated articles).\n"
         if dates else "No article carries a publication date.\n"),
        "### Entity labels\n",
        _table(("label", "mentions"), [(name, ent_counts.get(i, 0))
                                       for i, name in enumerate(labels.entities)]) + "\n",
        "### Stances\n",
        _table(("target", "stance", "count"), [
            (labels.stance_targets[t], labels.stances[s], n)
            for (t, s), n in sorted(st_counts.items())]) + "\n" if st_counts else "None.\n",
        "## Splits\n",
        f"Strategy `{cfg.splits.strategy}`: an article's split is a hash of its id and the salt "
        f"`{cfg.splits.salt}`, with ratios "
        + ", ".join(f"{n} {r:g}" for n, r in cfg.splits.ratios)
        + ". An article keeps its split when the corpus grows.\n",
        "## Annotation\n",
        "Offsets are Unicode code-point offsets into `text` (Python string indices); "
        "`text[start:end]` equals each span's `text`. Labels are `ClassLabel` features. "
        "Each annotated article carries its gold annotation (`annotators` names who made it).\n",
        "## Files\n",
        "`manifest.json` lists every data file with its row count and SHA-256; `SHA256SUMS` "
        "covers every file; `CITATION.cff` says how to cite this version.\n",
    ]
    return "\n".join(p for p in parts if p)


def citation_cff(ws: Workspace, manifest: dict[str, Any]) -> str:
    citation = ws.config.citation
    authors = citation.get("authors") or [{"name": "newscorpus developers"}]
    doc: dict[str, Any] = {
        "cff-version": "1.2.0",
        "message": "If you use this dataset, please cite this version of it.",
        "type": "dataset",
        "title": citation.get("title") or ws.config.pretty_name,
        "version": manifest["version"],
        "date-released": manifest["release_date"],
        "license": ws.config.license,
        "authors": authors,
    }
    if citation.get("doi"):
        doc["doi"] = citation["doi"]
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
