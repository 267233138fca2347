"""Issue 15: reasons that point at the fault; empty and special files; sniffing before extension."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newscorpus.convert.base import Input
from newscorpus.convert.batch import convert_paths
from newscorpus.convert.tabular import JsonConverter

ROWS = b"[\n" + b",\n".join(b'{"title": "T%d", "text": "Some text %d."}' % (i, i) for i in range(25)) + b"\n]"


def _reason(data: bytes) -> str:
    [outcome] = list(JsonConverter().convert(Input(Path("x.json"), "x.json", data)))
    return outcome.reason  # type: ignore[union-attr]


def _last_reason(data: bytes) -> str:
    """The reason of the last outcome: a damaged array keeps its complete items (issue 9)."""
    outcome = list(JsonConverter().convert(Input(Path("x.json"), "x.json", data)))[-1]
    return outcome.reason  # type: ignore[union-attr]


def test_invalid_utf8_json_names_the_bad_byte() -> None:
    bad = ROWS.replace(b'"T20"', b'"T\xff0"')
    at = bad.index(b"\xff")
    column = at - bad.rfind(b"\n", 0, at)
    assert _last_reason(bad).startswith(f"invalid UTF-8 at byte {at} (line 22, column {column}): "
                                        "invalid start byte")


def test_utf16_json_says_so() -> None:
    assert "UTF-16" in _reason(ROWS.decode().encode("utf-16"))
    broken = ROWS.decode().encode("utf-16-le")[:-1]  # an odd number of bytes
    assert _reason(b"\xff\xfe" + broken).startswith("invalid UTF-16 at byte")


def test_json_syntax_error_names_byte_line_and_column() -> None:
    assert _last_reason(b"[1,\n2,,3]").startswith("not valid JSON at byte 6 (line 2, column 3): "
                                                  "Expecting value")


@pytest.mark.parametrize("name", ["a.rss", "b.xml", "c.json", "d.jsonl", "e.csv", "f.html", "g.warc"])
@pytest.mark.parametrize("data", [b"", b"  \n\t\r\n"])
def test_empty_files_of_every_format(tmp_path: Path, name: str, data: bytes) -> None:
    (tmp_path / name).write_bytes(data)
    report = convert_paths([tmp_path / name], tmp_path / "out.jsonl", tmp_path / "q.jsonl")
    [rejection] = report.rejections
    assert rejection.reason.startswith("empty file")


def test_fifo_in_a_folder_is_skipped_and_counted(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.jsonl")
    (folder / "a.jsonl").write_text('{"title": "T", "text": "Some text.", "url": "https://e.org/1"}\n')
    report = convert_paths([folder], tmp_path / "out.jsonl", tmp_path / "q.jsonl", jobs=2)
    assert (report.inputs, report.converted, report.skipped) == (2, 1, 1)
    assert "FIFO" in report.skips[0].reason


def test_rss_saved_as_html_is_a_feed(tmp_path: Path) -> None:
    (tmp_path / "news.html").write_bytes(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title><item><title>T</title>'
        b"<link>https://e.org/1</link><description>Words of the story.</description></item>"
        b"</channel></rss>")
    report = convert_paths([tmp_path / "news.html"], tmp_path / "out.jsonl", tmp_path / "q.jsonl")
    assert (report.converted, report.rejected) == (1, 0)
