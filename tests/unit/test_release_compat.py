"""Releases the Hub viewer and older `datasets` versions can read: row groups capped by
bytes as well as rows (byte-identical whatever the batching), and feature metadata in the
form datasets 3.x reads (its loading is checked in CI by tools/oldest_datasets.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newscorpus.release import parquet
from newscorpus.release.features import config_features
from newscorpus.release.parquet import SplitWriter, row_bytes
from newscorpus.release.tables import Schemas
from newscorpus.workspace import Workspace
from tests.conftest import REPO

SCHEMA = pa.schema([("id", pa.string()), ("text", pa.string()),
                    ("spans", pa.list_(pa.struct([("start", pa.int32()), ("text", pa.string())])))])


def rows(n: int, size: int) -> pa.Table:
    return pa.Table.from_pylist([{"id": f"a{i}", "text": chr(0x61 + i % 26) * (size + 37 * (i % 11)),
                                  "spans": [{"start": j, "text": "x" * j} for j in range(i % 4)]}
                                 for i in range(n)], schema=SCHEMA)


def write(folder: Path, table: pa.Table, batch: int) -> list[dict]:
    w = SplitWriter(folder, "c", "train", SCHEMA)
    for start in range(0, table.num_rows, batch):
        w.write(table.slice(start, batch))
    return w.close()


def groups(path: Path) -> list[tuple[int, int]]:
    meta = pq.ParquetFile(path).metadata
    return [(meta.row_group(g).num_rows, meta.row_group(g).total_byte_size)
            for g in range(meta.num_row_groups)]


@pytest.mark.slow
def test_row_groups_stay_under_the_hub_viewer_limit(tmp_path: Path) -> None:
    import hashlib

    texts = [hashlib.shake_128(str(i).encode()).hexdigest(50_000) for i in range(1200)]
    table = pa.table({"id": [str(i) for i in range(1200)], "text": texts,
                      "spans": [[] for _ in texts]}, schema=SCHEMA)  # 120 MB of distinct text:
    files = write(tmp_path, table, 500)  # one 10,000-row group would hold all of it
    got = groups(tmp_path / files[0]["path"])
    assert sum(n for n, _ in got) == 1200 and len(got) > 1
    assert max(b for _, b in got) < 100_000_000, got


def test_byte_cuts_do_not_depend_on_batching(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parquet, "ROW_GROUP_BYTES", 5_000)
    table = rows(60, 700)
    outs = []
    for batch in (1, 7, 60):
        files = write(tmp_path / str(batch), table, batch)
        outs.append((tmp_path / str(batch) / files[0]["path"]).read_bytes())
    assert outs[0] == outs[1] == outs[2]
    got = groups(tmp_path / "1" / files[0]["path"])
    sizes = row_bytes(table).tolist()
    start = 0
    for n, _ in got:  # each group is as many rows as fit in the cap, the last the rest
        assert sum(sizes[start:start + n]) <= 5_000
        if start + n < len(sizes):
            assert sum(sizes[start:start + n + 1]) > 5_000
        start += n
    assert start == 60 and len(got) > 5


def test_a_row_larger_than_the_cap_is_a_group_of_its_own(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parquet, "ROW_GROUP_BYTES", 1_000)
    files = write(tmp_path, rows(5, 3_000), 2)
    assert [n for n, _ in groups(tmp_path / files[0]["path"])] == [1, 1, 1, 1, 1]


def test_row_bytes_count_nested_strings() -> None:
    sizes = row_bytes(rows(4, 10)).tolist()
    # id (2 + 4), text (10 + 37 i + 4), spans: 4 + per span 4 (start) + j + 4
    assert sizes == [6 + 14 + 4, 6 + 51 + 4 + 8, 6 + 88 + 4 + 8 + 9, 6 + 125 + 4 + 8 + 9 + 10]


def test_feature_metadata_is_the_form_datasets_3_reads() -> None:
    from datasets import Features

    labels = Workspace.open(REPO).config.labels
    for name, features in config_features(labels).items():
        schema = Schemas.for_labels(labels)[name]
        meta = json.loads(schema.metadata[b"huggingface"])
        assert '"_type": "List"' not in json.dumps(meta), name  # unknown to datasets 3.x
        assert Features.from_arrow_schema(schema) == Features.from_dict(features), name


def test_diff_reads_both_metadata_forms(tmp_path: Path) -> None:
    from newscorpus.release.diff import diff_releases
    from newscorpus.release.writer import build_release

    old = REPO / "releases" / "0.1.0"  # committed with {"_type": "List"/"Sequence"} metadata
    meta = pq.read_schema(old / "data/default/train-00000-of-00001.parquet").metadata
    assert b'"_type": "List"' in meta[b"huggingface"] or b'"_type": "Sequence"' in meta[b"huggingface"]
    new = build_release(Workspace.open(REPO), "0.9.0", "2026-12-02", tmp_path, previous=None).path
    diff = diff_releases(old, new)
    assert diff.fields_added == ["default.duplicate_group"]
    assert diff.fields_changed == [] and diff.fields_removed == []


def test_row_bytes_of_other_column_types() -> None:
    table = pa.table({"b": pa.array([b"xy", None], pa.large_binary()), "n": pa.nulls(2),
                      "f": pa.array([True, False])})
    assert row_bytes(table).tolist() == [6 + 8 + 1, 4 + 8 + 1]
