"""Statistics of a release, computed from the data: per split, per source, per month, label
distributions, duplicate groups and inter-annotator agreement.

Everything works on the *counts* table the build keeps (the number of articles of each
source, language, publication day and split, added up as the batches stream by
(:class:`Counts`), so its memory grows with the distinct combinations, not with the
articles), on the split of each labelled article, on the duplicate-group members present,
and on the annotation records, never on text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..annotate.agreement import agreement as agreement_report
from ..annotate.agreement import group_annotations, is_prediction
from ..records import QUOTE_KINDS

_STR = pa.string()
KEYS = ("source", "language", "day", "split")
COUNTS_SCHEMA = pa.schema([*((k, _STR) for k in KEYS), ("articles", pa.int64())])
MERGE_EVERY = 64  # batches' counts held before they are added up into one table


def _add_up(table: pa.Table) -> pa.Table:
    """``table`` (:data:`COUNTS_SCHEMA`) with the rows of equal keys added up."""
    out = table.group_by(list(KEYS), use_threads=False).aggregate([("articles", "sum")])
    return pa.table([*(out[k] for k in KEYS), out["articles_sum"]], schema=COUNTS_SCHEMA)


def light_rows(batch: pa.RecordBatch, splits: pa.Array) -> pa.Table:
    """The statistics' rows of one batch of articles: how many articles each (source,
    language, day, split) has (:data:`COUNTS_SCHEMA`)."""
    day = pc.utf8_slice_codeunits(batch.column("published_at"), 0, 10)
    ones = pa.array(np.ones(batch.num_rows, np.int64))
    return _add_up(pa.table([batch.column("source"), batch.column("language"), day, splits, ones],
                            schema=COUNTS_SCHEMA))


class Counts:
    """The statistics' rows of a build (:func:`light_rows` of each batch), added up every
    :data:`MERGE_EVERY` batches: no row per article is kept."""

    def __init__(self) -> None:
        self.parts: list[pa.Table] = []
        self.articles = 0

    def add(self, counts: pa.Table) -> None:
        self.parts.append(counts)
        self.articles += pc.sum(counts["articles"]).as_py() or 0
        if len(self.parts) >= MERGE_EVERY:
            self.parts = [_add_up(pa.concat_tables(self.parts))]

    def table(self) -> pa.Table:
        return _add_up(pa.concat_tables(self.parts)) if self.parts else COUNTS_SCHEMA.empty_table()


def _counts(values: Iterable[Any]) -> list[list[Any]]:
    """``[[value, count], ...]`` by decreasing count, then value (None last as "unknown")."""
    c = Counter("unknown" if v is None else v for v in values)
    return [[k, n] for k, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))]


def _total(counts: pa.Table) -> int:
    return pc.sum(counts["articles"]).as_py() or 0


def _value_counts(values: pa.ChunkedArray | pa.Array, articles: pa.ChunkedArray | pa.Array
                  ) -> list[list[Any]]:
    """``[[value, articles], ...]`` (null as "unknown") by decreasing count, then value."""
    if len(values) == 0:
        return []
    vc = pa.table({"value": pc.fill_null(values, "unknown"), "articles": articles}).group_by(
        "value", use_threads=False).aggregate([("articles", "sum")])
    return sorted(([v, n] for v, n in zip(vc["value"].to_pylist(), vc["articles_sum"].to_pylist(),
                                          strict=True)), key=lambda kv: (-kv[1], kv[0]))


def _label_counts(records: Iterable[dict[str, Any]]) -> dict[str, int]:
    out = {"articles": 0, "entities": 0, "quotes": 0, "stances": 0}
    for r in records:
        out["articles"] += 1
        for key in ("entities", "quotes", "stances"):
            out[key] += len(r[key])
    return out


def split_stats(light: pa.Table, gold: dict[str, dict[str, Any]],
                split_names: Iterable[str], split_of: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Per split: articles, gold-labelled articles, label counts, sources, date range
    (``light``: the build's :class:`Counts` table; ``split_of``: the split of each labelled
    article the build wrote)."""
    out: dict[str, dict[str, Any]] = {}
    for name in split_names:
        part = light.filter(pc.equal(light["split"], name))
        labelled = _label_counts(record for i, record in gold.items() if split_of.get(i) == name)
        dates = pc.drop_null(part["day"])
        out[name] = {
            "articles": _total(part),
            "labelled_articles": labelled["articles"],
            "entities": labelled["entities"], "quotes": labelled["quotes"],
            "stances": labelled["stances"],
            "sources": len(pc.unique(part["source"].fill_null("unknown"))) if part.num_rows else 0,
            "first_date": pc.min(dates).as_py() if len(dates) else None,
            "last_date": pc.max(dates).as_py() if len(dates) else None,
        }
    return out


def months(light: pa.Table) -> list[list[Any]]:
    """``[[YYYY-MM, articles], ...]`` in time order (undated articles left out)."""
    dated = light.filter(pc.is_valid(light["day"]))
    return sorted(_value_counts(pc.utf8_slice_codeunits(dated["day"], 0, 7), dated["articles"]))


def label_distribution(gold: dict[str, dict[str, Any]], labels: Any) -> dict[str, Any]:
    records = list(gold.values())
    entities = Counter(e["label"] for r in records for e in r["entities"])
    quotes = Counter(q["kind"] for r in records for q in r["quotes"])
    stances = Counter((s["target"], s["stance"]) for r in records for s in r["stances"])
    return {
        "entities": [[name, entities.get(name, 0)] for name in labels.entities],
        "quotes": [[name, quotes.get(name, 0)] for name in QUOTE_KINDS],
        "stances": [[t, v, stances[(t, v)]] for t in labels.stance_targets for v in labels.stances
                    if stances.get((t, v))],
    }


def agreement(annotations: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The agreement figures ``newscorpus annotate agreement`` gives for these annotations
    (the build has already refused stale ones and ones of unknown articles)."""
    return agreement_report(*group_annotations(annotations)).to_dict()


def release_stats(light: pa.Table, gold: dict[str, dict[str, Any]],
                  annotations: list[dict[str, Any]], labels: Any, split_names: Iterable[str],
                  groups: list[dict[str, Any]], split_of: dict[str, str],
                  present: set[str]) -> dict[str, Any]:
    """Everything the card, the figures and the manifest report (``light``: the build's
    :class:`Counts` table; ``split_of``: the split of each labelled article; ``present``:
    the duplicate-group members among the articles)."""
    dates = pc.drop_null(light["day"])
    groups_in = [g for g in groups if any(m in present for m in g["members"])]
    return {
        "splits": split_stats(light, gold, split_names, split_of),
        "sources": _value_counts(light["source"], light["articles"]),
        "languages": _value_counts(light["language"], light["articles"]),
        "months": months(light),
        "first_date": pc.min(dates).as_py() if len(dates) else None,
        "last_date": pc.max(dates).as_py() if len(dates) else None,
        "dated": _total(light.filter(pc.is_valid(light["day"]))),
        "labels": label_distribution(gold, labels),
        "agreement": agreement(annotations),
        "annotators": _counts(r["annotator"] for r in annotations if not is_prediction(r)),
        "duplicate_groups": {
            "groups": len(groups_in),
            "articles": sum(sum(m in present for m in g["members"]) for g in groups_in),
            "kinds": _counts(k for g in groups_in for k in g["kinds"]),
        },
    }
