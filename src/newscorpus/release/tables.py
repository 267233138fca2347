"""Turn streamed article batches and annotation records into the tables of each config.

Every function works on one batch (a few thousand articles) so that a release build never
holds the whole corpus. Label strings become ``ClassLabel`` indices here; in copyright-safe
mode (``text=False``) the article text, title, subtitle and every span surface are null.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..workspace import LabelSet
from .features import (
    ARTICLE_COLUMNS,
    BLOCK_KINDS,
    CREDIT_ROLES,
    HOLDER_TYPES,
    QUOTE_KINDS,
    arrow_schema,
    config_features,
)

TEXT_COLUMNS = ("title", "subtitle", "text")  # nulled in copyright-safe mode


@dataclass(frozen=True)
class Schemas:
    """The features (`datasets` feature dicts) and Arrow schema (with their ``huggingface``
    metadata) of every config."""

    features: dict[str, dict[str, Any]]
    configs: dict[str, pa.Schema]

    @classmethod
    def for_labels(cls, labels: LabelSet) -> Schemas:
        features = config_features(labels)
        return cls(features, {name: arrow_schema(f) for name, f in features.items()})

    def __getitem__(self, name: str) -> pa.Schema:
        return self.configs[name]


def _indices(values: pa.Array, names: tuple[str, ...]) -> pa.Array:
    return pc.cast(pc.index_in(values, value_set=pa.array(names)), pa.int64())


def _nested(lists: pa.ListArray, target: pa.DataType,
            convert: Callable[[pa.StructArray], list[pa.Array]]) -> pa.Array:
    """Rebuild a ``list<struct>`` column field-wise into ``target`` (also list<struct>)."""
    if isinstance(lists, pa.ChunkedArray):
        lists = lists.combine_chunks()
    fields = convert(lists.values)
    struct = pa.StructArray.from_arrays(fields, fields=list(target.value_type))
    mask = lists.is_null() if lists.null_count else None
    return pa.ListArray.from_arrays(lists.offsets, struct, type=target, mask=mask)


def _scatter(rows: list[int], n: int, values: list[Any], type: pa.DataType) -> pa.Array:
    """A list column of ``n`` rows: ``values[k]`` at row ``rows[k]``, an empty list elsewhere
    (one empty list taken ``n`` times: no Python list per row)."""
    index = np.zeros(n, dtype=np.int64)
    index[rows] = np.arange(1, len(rows) + 1)
    return pa.array([[], *values], type=type).take(pa.array(index))


class Tables:
    """Builds config tables from article batches and the chosen annotations."""

    def __init__(self, labels: LabelSet, gold: Mapping[str, dict[str, Any]],
                 group_of: Mapping[str, dict[str, Any]] | None = None, text: bool = True) -> None:
        self.labels = labels
        self.schemas = Schemas.for_labels(labels)
        self.gold = gold
        self.group_of = group_of or {}
        self.text = text
        self.ent_index = {name: i for i, name in enumerate(labels.entities)}
        self.tgt_index = {name: i for i, name in enumerate(labels.stance_targets)}
        self.val_index = {name: i for i, name in enumerate(labels.stances)}
        self._group_id = {i: (g or {}).get("id") for i, g in self.group_of.items()}

    # --- default ------------------------------------------------------------------------

    def default(self, batch: pa.RecordBatch) -> pa.Table:
        """The ``default`` config rows of ``batch`` (one per article, labels nested)."""
        schema = self.schemas["default"]
        n = batch.num_rows
        columns: dict[str, Any] = {name: batch.column(name) for name in ARTICLE_COLUMNS}
        if not self.text:
            for name in TEXT_COLUMNS:
                columns[name] = pa.nulls(n, pa.string())
        columns["blocks"] = _nested(batch.column("blocks"), schema.field("blocks").type, lambda s: [
            _indices(s.field("kind"), BLOCK_KINDS), pc.cast(s.field("start"), pa.int32()),
            pc.cast(s.field("end"), pa.int32())])
        columns["credits"] = _nested(batch.column("credits"), schema.field("credits").type,
                                     lambda s: [_indices(s.field("role"), CREDIT_ROLES),
                                                s.field("name"), pc.cast(s.field("block"), pa.int32())])
        ids = batch.column("id").to_pylist()
        gold = self.gold
        rows = [k for k, i in enumerate(ids) if i in gold]  # the few articles with gold labels
        records = [gold[ids[k]] for k in rows]
        nested = [self.nested(r) for r in records]
        for name in ("entities", "quotes", "stances"):
            columns[name] = _scatter(rows, n, [x[name] for x in nested], schema.field(name).type)
        columns["annotators"] = _scatter(rows, n, [[r["annotator"]] for r in records],
                                         schema.field("annotators").type)
        group = self._group_id.get
        columns["duplicate_group"] = (pa.array([group(i) for i in ids], pa.string()) if self._group_id
                                      else pa.nulls(n, pa.string()))
        return pa.table([columns[name] for name in schema.names], schema=schema)

    def _surface(self, value: str | None) -> str | None:
        return value if self.text else None

    def nested(self, record: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
        """An annotation record's entities, quotes and stances as feature rows."""
        s = self._surface
        e_pos = {e["id"]: i for i, e in enumerate(record["entities"])}
        q_pos = {q["id"]: i for i, q in enumerate(record["quotes"])}
        entities = [{"start": e["start"], "end": e["end"], "text": s(e["text"]),
                     "label": self.ent_index[e["label"]]} for e in record["entities"]]
        quotes = []
        for q in record["quotes"]:
            sp, cue = q["speaker"] or {}, q["cue"] or {}
            quotes.append({
                "start": q["start"], "end": q["end"], "text": s(q["text"]),
                "kind": QUOTE_KINDS.index(q["kind"]),
                "speaker_start": sp.get("start"), "speaker_end": sp.get("end"),
                "speaker_text": s(sp.get("text")),
                "speaker_entity": e_pos.get(q["speaker_entity"]) if q["speaker_entity"] else None,
                "cue_start": cue.get("start"), "cue_end": cue.get("end"),
                "cue_text": s(cue.get("text")),
            })
        stances = [{
            "holder_type": HOLDER_TYPES.index(st["holder"]["type"]),
            "holder_index": {"quote": q_pos, "entity": e_pos}.get(st["holder"]["type"], {}).get(
                st["holder"]["ref"]),
            "target": self.tgt_index[st["target"]], "stance": self.val_index[st["stance"]],
        } for st in record["stances"]]
        return {"entities": entities, "quotes": quotes, "stances": stances}

    # --- flattened configs ----------------------------------------------------------------

    def flat(self, ids: list[str]) -> dict[str, pa.Table]:
        """Rows of the ``entities``, ``quotes`` and ``stances`` configs for the gold
        annotations of ``ids`` (in that order)."""
        rows: dict[str, list[dict[str, Any]]] = {"entities": [], "quotes": [], "stances": []}
        for article_id in ids:
            record = self.gold.get(article_id)
            if record is None:
                continue
            nested = self.nested(record)
            for i, e in enumerate(nested["entities"]):
                rows["entities"].append({"article_id": article_id, "index": i, **e})
            for i, q in enumerate(nested["quotes"]):
                rows["quotes"].append({"article_id": article_id, "index": i, **q})
            for i, st in enumerate(nested["stances"]):
                kind, pos = HOLDER_TYPES[st["holder_type"]], st["holder_index"]
                holder = None
                if kind == "quote" and pos is not None:
                    holder = nested["quotes"][pos]["text"]
                elif kind == "entity" and pos is not None:
                    holder = nested["entities"][pos]["text"]
                rows["stances"].append({"article_id": article_id, "index": i, **st,
                                        "holder_text": holder})
        return {name: pa.Table.from_pylist(r, schema=self.schemas[name]) for name, r in rows.items()}

    def annotations(self, records: list[dict[str, Any]]) -> pa.Table:
        """Rows of the opt-in ``annotations`` config (every annotator), in the order given."""
        rows = [{"id": r["id"], "article_id": r["article_id"], "annotator": r["annotator"],
                 "ground_truth": r["ground_truth"], **self.nested(r)} for r in records]
        return pa.Table.from_pylist(rows, schema=self.schemas["annotations"])
