"""Issue 9: JSON arrays, JSON Lines and CSV read incrementally; a cut-short JSON array keeps
its complete items (issue 15's leftover)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import orjson

from newscorpus.convert.base import ConvertOptions, Input
from newscorpus.convert.batch import convert_paths
from newscorpus.convert.tabular import CsvConverter, JsonConverter, JsonlConverter
from newscorpus.records import Article
from newscorpus.report import Rejection


def story(i: int) -> dict[str, str]:
    return {"headline": f"Port strike day {i}", "url": f"https://wire.example/port/{i}",
            "body": f"Dockers met on day {i} of the strike.\n\nTalks go on, union leaders said on day {i}.",
            "date": "2026-03-04T10:00:00+01:00"}


def test_a_cut_short_json_array_keeps_its_complete_items(tmp_path: Path) -> None:
    data = orjson.dumps([story(i) for i in range(6)])
    cut = data.index(b'{"headline":"Port strike day 4"') + 30  # inside the fifth item
    outcomes = list(JsonConverter().convert(Input(Path("w.json"), "w.json", data[:cut])))
    assert [type(o).__name__ for o in outcomes] == ["Article"] * 4 + ["Rejection"]
    assert [o.title for o in outcomes[:4]] == [f"Port strike day {i}" for i in range(4)]  # type: ignore[union-attr]
    rejection = outcomes[-1]
    assert isinstance(rejection, Rejection) and rejection.offset == cut
    assert f"byte {cut}" in rejection.reason and "4 complete item(s) before it were kept" in rejection.reason


def test_a_damaged_json_array_names_the_bad_byte() -> None:
    data = orjson.dumps([story(i) for i in range(3)])
    bad = data.index(b'{"headline":"Port strike day 2"') - 1  # the comma before the third item
    damaged = data[:bad] + b"x" + data[bad + 1:]
    outcomes = list(JsonConverter().convert(Input(Path("w.json"), "w.json", damaged)))
    assert [type(o).__name__ for o in outcomes] == ["Article", "Article", "Rejection"]
    assert outcomes[-1].offset == bad  # type: ignore[union-attr]


def test_a_json_array_over_max_bytes_is_read_item_by_item(tmp_path: Path) -> None:
    path = tmp_path / "wire.json"
    path.write_bytes(orjson.dumps([story(i) for i in range(40)]))
    limit = 1024
    assert path.stat().st_size > 4 * limit
    report = convert_paths([path], tmp_path / "a.jsonl", tmp_path / "q.jsonl",
                           ConvertOptions(max_bytes=limit), steps=())
    assert (report.inputs, report.converted, report.rejected) == (40, 40, 0), report.rejections
    cut = path.read_bytes()[:-100]
    outcomes = list(JsonConverter(ConvertOptions(max_bytes=limit)).convert(
        Input(path, "wire.json", cut)))
    assert sum(isinstance(o, Article) for o in outcomes) == 39
    tail = outcomes[-1]
    assert isinstance(tail, Rejection) and "cut short at byte" in tail.reason
    assert tail.offset == len(cut)


def test_a_json_object_over_max_bytes_is_refused() -> None:
    data = orjson.dumps({"items": [story(i) for i in range(10)]})
    [outcome] = JsonConverter(ConvertOptions(max_bytes=1024)).convert(Input(Path("w.json"), "w.json", data))
    assert isinstance(outcome, Rejection) and "over the 1024-byte limit for a JSON object" in outcome.reason


def test_jsonl_over_max_bytes_is_read_line_by_line(tmp_path: Path) -> None:
    limit = 1024
    lines = [orjson.dumps(story(i)) for i in range(30)]
    lines.insert(7, orjson.dumps({**story(99), "body": "x " * limit}))  # one line over the limit
    path = tmp_path / "wire.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    report = convert_paths([path], tmp_path / "a.jsonl", tmp_path / "q.jsonl",
                           ConvertOptions(max_bytes=limit), steps=())
    assert (report.inputs, report.converted, report.rejected) == (31, 30, 1), report.rejections
    [rejection] = report.rejections
    assert rejection.line == 8 and f"over the {limit}-byte limit for one record" in rejection.reason
    following = list(JsonlConverter(ConvertOptions(max_bytes=limit)).convert(Input(path, "wire.jsonl")))
    assert [o.origin["line"] for o in following if isinstance(o, Article)][7] == 9  # type: ignore[union-attr]


def test_csv_over_max_bytes_is_read_row_by_row(tmp_path: Path) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(story(0)))
    writer.writeheader()
    for i in range(30):
        writer.writerow({**story(i), "headline": f"Grève au port, jour {i}"})
    path = tmp_path / "wire.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    report = convert_paths([path], tmp_path / "a.jsonl", tmp_path / "q.jsonl",
                           ConvertOptions(max_bytes=1024), steps=())
    assert (report.inputs, report.converted, report.rejected) == (30, 30, 0), report.rejections
    outcomes = list(CsvConverter().convert(Input(path, "wire.csv")))
    assert outcomes[3].title == "Grève au port, jour 3"  # type: ignore[union-attr]

