"""Planned Parquet shards (the distributed release build) have the local writer's bytes: row
groups cut by rows and by bytes, shards of whole groups, groups spanning staged pieces."""

from __future__ import annotations

import random
from pathlib import Path

import pyarrow as pa
import pytest

from newscorpus.release import parquet
from newscorpus.release.parquet import SplitWriter, row_bytes
from newscorpus.release.shardplan import Piece, SplitPlan, write_shard

SCHEMA = pa.schema([("id", pa.string()), ("text", pa.string()), ("n", pa.int64()),
                    ("tags", pa.list_(pa.string()))], metadata={b"note": b"kept"})


def _tables(seed: int) -> list[pa.Table]:
    """Batches of 1 to 9 rows; a few rows far longer than the others (byte-limited groups)."""
    rng = random.Random(seed)
    out, row = [], 0
    for _ in range(14):
        rows = []
        for _ in range(rng.randint(1, 9)):
            size = 400 if rng.random() < 0.1 else rng.randint(1, 60)
            rows.append({"id": f"a{row}", "text": "x" * size, "n": row,
                         "tags": [f"t{k}" for k in range(row % 3)]})
            row += 1
        out.append(pa.Table.from_pylist(rows, schema=SCHEMA))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_planned_shards_are_the_local_writers_files(tmp_path: Path, seed: int,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parquet, "ROW_GROUP_SIZE", 5)
    monkeypatch.setattr(parquet, "ROW_GROUP_BYTES", 300)
    tables = _tables(seed)
    local = SplitWriter(tmp_path / "local", "default", "train", SCHEMA, shard_rows=12)
    for table in tables:
        local.write(table)
    expected = local.close()

    plan = SplitPlan()
    staged = tmp_path / "piece.arrow"
    with pa.ipc.new_file(staged, SCHEMA) as writer:
        for i, table in enumerate(tables):
            writer.write_table(table)
            plan.add(Piece(str(staged), i, table.num_rows), row_bytes(table))
    folder = tmp_path / "planned"
    tasks = plan.tasks(folder, "default", "train", SCHEMA, shard_rows=12)
    entries = [write_shard(task) for task in tasks]

    assert len(expected) > 2 and [e for e, _ in entries] == expected
    assert sum(n for _, n in entries) == local.nbytes
    for entry in expected:
        assert (folder / entry["path"]).read_bytes() == (tmp_path / "local" / entry["path"]).read_bytes()
    assert not list(folder.rglob("*.part"))


def test_an_empty_split_plans_no_file(tmp_path: Path) -> None:
    assert SplitPlan().tasks(tmp_path, "default", "test", SCHEMA, 10) == []
