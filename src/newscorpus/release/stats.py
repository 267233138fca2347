"""Statistics of a release, computed from the data: per split, per source, per month, label
distributions, duplicate groups and inter-annotator agreement.

Everything works on the *light* table the build keeps (one small row per article: source,
language, publication date, split, each dictionary-encoded; no id, so that memory per
article stays a few bytes), on the split of each labelled article, on the duplicate-group
members present, and on the annotation records, never on text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ..annotate.agreement import agreement as agreement_report
from ..annotate.agreement import group_annotations, is_prediction
from ..records import QUOTE_KINDS

_DICT = pa.dictionary(pa.int32(), pa.string())
LIGHT_SCHEMA = pa.schema([("source", _DICT), ("language", _DICT),
                          ("day", _DICT), ("split", _DICT)])


def light_rows(batch: pa.RecordBatch, splits: pa.Array) -> pa.Table:
    """The small per-article row kept for the statistics (dictionary-encoded: some 16 bytes
    an article)."""
    day = pc.utf8_slice_codeunits(batch.column("published_at"), 0, 10)
    return pa.table([pc.dictionary_encode(batch.column("source")),
                     pc.dictionary_encode(batch.column("language")), pc.dictionary_encode(day),
                     pc.dictionary_encode(splits)], schema=LIGHT_SCHEMA)


def _plain(column: pa.ChunkedArray) -> pa.ChunkedArray:
    return column.cast(pa.string())


def _counts(values: Iterable[Any]) -> list[list[Any]]:
    """``[[value, count], ...]`` by decreasing count, then value (None last as "unknown")."""
    c = Counter("unknown" if v is None else v for v in values)
    return [[k, n] for k, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))]


def _value_counts(column: pa.ChunkedArray) -> list[list[Any]]:
    if len(column) == 0:
        return []
    vc = pc.value_counts(_plain(column).fill_null("unknown"))
    return sorted(([v, n] for v, n in zip(vc.field("values").to_pylist(),
                                          vc.field("counts").to_pylist(), strict=True)),
                  key=lambda kv: (-kv[1], kv[0]))


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
    (``split_of``: the split of each labelled article the build wrote)."""
    out: dict[str, dict[str, Any]] = {}
    split = _plain(light["split"])
    for name in split_names:
        part = light.filter(pc.equal(split, name))
        labelled = _label_counts(record for i, record in gold.items() if split_of.get(i) == name)
        dates = pc.drop_null(_plain(part["day"]))
        out[name] = {
            "articles": part.num_rows,
            "labelled_articles": labelled["articles"],
            "entities": labelled["entities"], "quotes": labelled["quotes"],
            "stances": labelled["stances"],
            "sources": len(pc.unique(_plain(part["source"]).fill_null("unknown")))
            if part.num_rows else 0,
            "first_date": pc.min(dates).as_py() if len(dates) else None,
            "last_date": pc.max(dates).as_py() if len(dates) else None,
        }
    return out


def months(light: pa.Table) -> list[list[Any]]:
    """``[[YYYY-MM, articles], ...]`` in time order (undated articles left out)."""
    month = pc.drop_null(pc.utf8_slice_codeunits(_plain(light["day"]), 0, 7))
    return sorted(_value_counts(month))


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
    """Everything the card, the figures and the manifest report (``split_of``: the split of
    each labelled article; ``present``: the duplicate-group members among the articles)."""
    dates = pc.drop_null(_plain(light["day"]))
    groups_in = [g for g in groups if any(m in present for m in g["members"])]
    return {
        "splits": split_stats(light, gold, split_names, split_of),
        "sources": _value_counts(light["source"]),
        "languages": _value_counts(light["language"]),
        "months": months(light),
        "first_date": pc.min(dates).as_py() if len(dates) else None,
        "last_date": pc.max(dates).as_py() if len(dates) else None,
        "dated": len(dates),
        "labels": label_distribution(gold, labels),
        "agreement": agreement(annotations),
        "annotators": _counts(r["annotator"] for r in annotations if not is_prediction(r)),
        "duplicate_groups": {
            "groups": len(groups_in),
            "articles": sum(sum(m in present for m in g["members"]) for g in groups_in),
            "kinds": _counts(k for g in groups_in for k in g["kinds"]),
        },
    }
