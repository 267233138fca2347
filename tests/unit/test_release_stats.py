"""The release statistics from counts of articles, not from a row per article."""

from __future__ import annotations

from types import SimpleNamespace

import pyarrow as pa

from newscorpus.release import stats


def batch(rows: list[tuple[str | None, str | None, str | None]]) -> pa.RecordBatch:
    source, language, published = zip(*rows, strict=True)
    return pa.record_batch({"source": pa.array(source, pa.string()),
                            "language": pa.array(language, pa.string()),
                            "published_at": pa.array(published, pa.string())})


ROWS = [("a.example", "en", "2026-01-05T10:00:00Z"), ("a.example", "en", "2026-01-05T18:30:00+02:00"),
        ("b.example", "fr", "2026-02-01T00:00:00Z"), (None, "en", None), ("b.example", None, None),
        ("unknown", "de", "2025-12-31T23:59:00Z")]
SPLITS = ["train", "train", "test", "train", "validation", "test"]


def test_the_statistics_keep_no_row_per_article() -> None:
    counts = stats.Counts()
    for _ in range(3 * stats.MERGE_EVERY + 5):
        counts.add(stats.light_rows(batch(ROWS), pa.array(SPLITS, pa.string())))
    held = sum(part.num_rows for part in counts.parts)
    assert held <= (stats.MERGE_EVERY + 1) * 5  # one row per distinct (source, language, day, split)
    assert counts.table().num_rows == 5
    assert counts.articles == len(ROWS) * (3 * stats.MERGE_EVERY + 5)


def test_counts_give_the_figures_of_the_articles() -> None:
    counts = stats.Counts()
    for rows, splits in ((ROWS[:4], SPLITS[:4]), (ROWS[4:], SPLITS[4:]), (ROWS[:1], SPLITS[:1])):
        counts.add(stats.light_rows(batch(rows), pa.array(splits, pa.string())))
    labels = SimpleNamespace(entities=[], stance_targets=[], stances=[])
    out = stats.release_stats(counts.table(), {}, [], labels, ("train", "validation", "test"), [],
                              {}, set())
    assert out["sources"] == [["a.example", 3], ["b.example", 2], ["unknown", 2]]  # null: unknown
    assert out["languages"] == [["en", 4], ["de", 1], ["fr", 1], ["unknown", 1]]
    assert out["months"] == [["2025-12", 1], ["2026-01", 3], ["2026-02", 1]]
    assert (out["first_date"], out["last_date"], out["dated"]) == ("2025-12-31", "2026-02-01", 5)
    train = out["splits"]["train"]
    assert (train["articles"], train["sources"]) == (4, 2)
    assert (train["first_date"], train["last_date"]) == ("2026-01-05", "2026-01-05")
    validation = out["splits"]["validation"]
    assert (validation["articles"], validation["sources"], validation["first_date"]) == (1, 1, None)
    assert out["splits"]["test"]["articles"] == 2
