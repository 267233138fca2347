"""JSONL/CSV converters, field mappings and datasets.Dataset rows, on fixtures written here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newscorpus.convert import registry
from newscorpus.convert.base import ConvertOptions, Input
from newscorpus.convert.batch import convert_paths
from newscorpus.convert.tabular import (
    CsvConverter,
    FieldMapping,
    JsonlConverter,
    convert_dataset,
    load_mapping,
    lookup,
)
from newscorpus.errors import ConfigError
from newscorpus.ids import article_id_from_url
from newscorpus.records import Article, read_jsonl
from newscorpus.report import Rejection, Skip
from tests.article_checks import valid

ROWS = [
    {"title": "Harbour bridge reopens", "text": "The bridge reopened.\n\nBuses return.",
     "url": "https://courier.example/bridge?utm_source=x", "domain": "courier.example",
     "authors": ["Ana Lima", "Jonas Berg"], "date": "2026-11-03T07:15:00+01:00",
     "keywords": "bridges, transport", "language": "EN-gb"},
    {"headline": "Tram fares", "body": "Fares rise.", "link": "https://echo.example/tram",
     "author": "By Marie Roux and Paul Dany", "published": 1793433600},
    {"title": "No text here", "url": "https://x.example/1"},
    {"text": "A body without a title."},
]


def jsonl(rows: list[object]) -> bytes:
    return b"".join(json.dumps(r).encode() + b"\n" for r in rows)


def run_jsonl(data: bytes, name: str = "export.jsonl", **options: object) -> list[object]:
    converter = JsonlConverter(ConvertOptions(**options))  # type: ignore[arg-type]
    return list(converter.convert(Input(Path(name), name, data)))


def run_csv(data: bytes, name: str = "export.csv", **options: object) -> list[object]:
    converter = CsvConverter(ConvertOptions(**options))  # type: ignore[arg-type]
    return list(converter.convert(Input(Path(name), name, data)))


def paragraphs(article: Article) -> list[str]:
    return [article.text[b.start:b.end] for b in article.blocks if b.kind == "paragraph"]


def test_default_mapping() -> None:
    first, second, third, fourth = run_jsonl(jsonl(ROWS))
    assert isinstance(first, Article)
    valid(first)
    assert first.title == "Harbour bridge reopens"
    assert paragraphs(first) == ["The bridge reopened.", "Buses return."]
    assert first.url == "https://courier.example/bridge"
    assert first.id == article_id_from_url("https://courier.example/bridge")
    assert first.source == "courier.example"
    assert first.authors == ["Ana Lima", "Jonas Berg"]
    assert first.published_at == "2026-11-03T07:15:00+01:00"
    assert first.keywords == ["bridges", "transport"]
    assert first.language == "en-GB"
    assert first.origin == {"path": "export.jsonl", "sha256": first.origin["sha256"],
                            "format": "jsonl", "line": 1}
    assert first.provenance["authors"] == {"converter": "jsonl", "rule": "mapping:default:authors"}

    assert isinstance(second, Article)
    valid(second)
    assert second.title == "Tram fares" and paragraphs(second) == ["Fares rise."]
    assert second.authors == ["Marie Roux", "Paul Dany"]
    assert second.published_at == "2026-10-31T08:00:00+00:00"  # epoch seconds, UTC
    assert second.source == "echo.example"  # no source column: the URL's host
    assert second.provenance["source"]["rule"] == "url host"

    assert isinstance(third, Rejection) and third.line == 3
    assert third.reason.startswith("no text (mapping 'default' reads it from text, body")
    assert isinstance(fourth, Rejection) and fourth.line == 4 and "no title" in fourth.reason


def test_title_repeated_at_the_start_of_the_text_is_kept_once() -> None:
    [article] = run_jsonl(jsonl([{"title": "Same", "text": "Same\n\nBody."}]))
    assert isinstance(article, Article)
    assert article.text == "Same\n\nBody."
    assert [b.kind for b in article.blocks] == ["title", "paragraph"]


@pytest.mark.parametrize(("line", "reason"), [
    (b"{not json", "not valid JSON"),
    (b"[1, 2]", "a JSON list, not an object"),
    (b'"text"', "a JSON str, not an object"),
    (b'{"title": "caf\xe9", "text": "x"}', "invalid UTF-8 at byte 14 (column 15)"),
])
def test_bad_lines_are_rejections_with_their_line(line: bytes, reason: str) -> None:
    data = jsonl(ROWS[:1]) + b"\n" + line + b"\n" + jsonl(ROWS[:1])
    good, bad, again = run_jsonl(data)
    assert isinstance(good, Article) and isinstance(again, Article)
    assert isinstance(bad, Rejection)
    assert reason in bad.reason and bad.line == 3 and bad.path == "export.jsonl"
    assert again.origin["line"] == 4


def test_bom_and_empty_file() -> None:
    [article] = run_jsonl(b"\xef\xbb\xbf" + jsonl(ROWS[:1]))
    assert isinstance(article, Article)
    [outcome] = run_jsonl(b"\n \n")
    assert isinstance(outcome, Rejection) and "empty file" in outcome.reason


MAPPING = """
name: wire
title_in_text: true
csv: {delimiter: ";"}
fields:
  title: {from: [meta.headline, headline]}
  subtitle: meta.teaser
  text: {from: content.html, transform: html}
  source: {value: Harbour Wire}
  authors: {from: meta.bylines, transform: split-authors}
  published_at: {from: meta.date, transform: date, formats: ["%d/%m/%Y %H:%M %z"]}
  keywords: {from: meta.tags, transform: split, sep: "|"}
  images: meta.photos
  section: meta.desk
  content_kind: kind
  ref: meta.id
"""

WIRE = {"meta": {"headline": "Seawall works start", "teaser": "Two cranes arrive.",
                 "bylines": [{"name": "Mia Chen"}, {"name": "Leo Park"}],
                 "date": "03/11/2026 07:15 +0100", "tags": "coast|works", "desk": "City",
                 "photos": [{"url": "https://w.example/a.jpg", "caption": "Cranes"}],
                 "id": "HW-1"},
        "content": {"html": "<p>Works began.</p><h2>Traffic</h2><ul><li>Lane closed</li></ul>"},
        "kind": "full"}


def test_custom_mapping_file(tmp_path: Path) -> None:
    path = tmp_path / "wire.yaml"
    path.write_text(MAPPING)
    [article] = run_jsonl(jsonl([WIRE]), mapping=path)
    assert isinstance(article, Article)
    valid(article)
    assert [(b.kind, article.text[b.start:b.end]) for b in article.blocks] == [
        ("title", "Seawall works start"), ("dek", "Two cranes arrive."),
        ("paragraph", "Works began."), ("heading", "Traffic"), ("list_item", "Lane closed")]
    assert article.source == "Harbour Wire" and article.section == "City"
    assert article.authors == ["Mia Chen", "Leo Park"]
    assert article.published_at == "2026-11-03T07:15:00+01:00"
    assert article.keywords == ["coast", "works"]
    assert [(i.url, i.caption) for i in article.images] == [("https://w.example/a.jpg", "Cranes")]
    assert article.content_kind == "full"
    assert article.url is None and article.provenance["id"]["rule"] == "source+title+date (ref HW-1)"
    assert article.provenance["text"]["rule"] == "mapping:wire:content.html (html)"
    assert article.provenance["source"]["rule"] == "mapping:wire:constant"


def test_title_not_in_text() -> None:
    mapping = FieldMapping.from_dict({"name": "sentences", "title_in_text": False, "fields": {
        "title": "sentence", "text": "sentence"}}, "inline")
    [article] = convert_dataset([{"sentence": "A whole sentence."}], mapping)
    assert isinstance(article, Article)
    valid(article)
    assert article.text == "A whole sentence." and article.title == "A whole sentence."
    assert [b.kind for b in article.blocks] == ["paragraph"]


@pytest.mark.parametrize(("data", "message"), [
    ({"fields": {"title": "t"}}, "at least 'title' and 'text'"),
    ({"fields": {"title": "t", "text": "x", "bogus": "y"}}, "unknown target field 'bogus'"),
    ({"fields": {"title": "t", "text": {"from": "x", "transform": "nope"}}}, "unknown transform"),
    ({"fields": {"title": {"sep": ","}, "text": "x"}}, "needs 'from' or 'value'"),
    ({"fields": {"title": {"form": "t"}, "text": "x"}}, "has unknown keys"),
    ({"csv": {"delimiter": ";;"}, "fields": {"title": "t", "text": "x"}}, "one character"),
    ([1, 2], "needs a 'fields' table"),
])
def test_bad_mappings_raise_config_errors(data: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        FieldMapping.from_dict(data, "m.yaml")


def test_mapping_names_and_files(tmp_path: Path) -> None:
    assert load_mapping().name == "default"
    assert load_mapping("gum-wikinews").name == "gum-wikinews"
    assert load_mapping(Path("newsmtsc")).title_in_text is False
    with pytest.raises(ConfigError, match="no such file and not a built-in mapping"):
        load_mapping(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("fields: [unclosed")
    with pytest.raises(ConfigError, match="cannot read the mapping"):
        load_mapping(bad)
    with pytest.raises(ConfigError):  # fails when the converter is made, not per line
        JsonlConverter(ConvertOptions(mapping=tmp_path / "missing.yaml"))


def test_lookup_paths() -> None:
    record = {"a": {"b": [{"c": 1}]}, "x.y": 2}
    assert lookup(record, "a.b.0.c") == 1
    assert lookup(record, "$.a.b.0.c") == 1
    assert lookup(record, "x.y") == 2
    assert lookup(record, "a.b.5.c") is not None and lookup(record, "a.nope") != 1


CSV = (
    b"title,text,url,authors,date\n"
    b'Bridge reopens,"The bridge reopened.\n\nBuses return.",https://c.example/b,'
    b'"Ana Lima; Jonas Berg",2026-11-03\n'
    b",,,,\n"
    b"No text,,https://c.example/n,,\n"
    b'Tram fares,"Fares rise, again.",https://c.example/t,,03 Nov 2026,extra\n'
    b"Last one,Body.,https://c.example/l,,\n"
)


def test_csv_rows() -> None:
    first, no_text, extra, last = run_csv(CSV)
    assert isinstance(first, Article)
    valid(first)
    assert paragraphs(first) == ["The bridge reopened.", "Buses return."]
    assert first.authors == ["Ana Lima", "Jonas Berg"]
    assert first.published_at == "2026-11-03"
    assert first.origin["line"] == 2 and first.origin["format"] == "csv"
    assert isinstance(no_text, Rejection) and no_text.line == 6 and "no text" in no_text.reason
    assert isinstance(extra, Rejection) and extra.line == 7
    assert extra.reason == "row has 6 fields, the header has 5"
    assert isinstance(last, Article) and last.origin["line"] == 8


def test_csv_delimiters_and_encoding() -> None:
    semi = b"title;text\nA;Body one.\nB;Body, with comma.\n"
    a, b = run_csv(semi)
    assert isinstance(a, Article) and isinstance(b, Article)
    assert paragraphs(b) == ["Body, with comma."]
    [tsv] = run_csv(b"title\ttext\nA\tBody.\n", "x.tsv")
    assert isinstance(tsv, Article)
    good, bad = run_csv(b"title,text\nA,Caf\xc3\xa9\nB,Caf\xe9\n")
    assert isinstance(good, Article) and "Café" in good.text
    assert isinstance(bad, Rejection) and bad.line == 3 and "invalid UTF-8" in bad.reason


def test_csv_without_rows_and_empty() -> None:
    [outcome] = run_csv(b"title,text\n")
    assert isinstance(outcome, Skip) and "no rows" in outcome.reason
    [outcome] = run_csv(b"")
    assert isinstance(outcome, Rejection) and "empty file" in outcome.reason


def test_malformed_rows_are_rejections_and_reading_goes_on() -> None:
    data = b'title,text\nA,Body.\nB,"quoted"junk\nC,Nul\0byte\nD,Fine.\nE,"unterminated\n'
    a, junk, nul, d, unterminated = run_csv(data)
    assert isinstance(a, Article) and isinstance(d, Article) and d.origin["line"] == 5
    assert isinstance(junk, Rejection) and junk.line == 3 and "malformed CSV row" in junk.reason
    assert isinstance(nul, Rejection) and nul.line == 4 and "NUL byte" in nul.reason
    assert isinstance(unterminated, Rejection) and unterminated.line == 6


def test_dataset_rows() -> None:
    import datasets

    ds = datasets.Dataset.from_list([
        {"title": "Harbour bridge reopens", "text": "The bridge reopened.", "url": "https://c.example/b"},
        {"title": "", "text": "No title.", "url": "https://c.example/n"},
    ])
    article, rejection = convert_dataset(ds, name="hub:courier/train")
    assert isinstance(article, Article)
    valid(article)
    assert article.origin["path"] == "hub:courier/train" and article.origin["line"] == 1
    assert article.origin["format"] == "dataset" and len(article.origin["sha256"]) == 64
    assert isinstance(rejection, Rejection) and rejection.line == 2
    assert rejection.reason.startswith("row 2: no title")
    again = next(convert_dataset(ds, name="hub:courier/train"))
    assert isinstance(again, Article) and again.to_dict() == article.to_dict()


def test_batch_with_mapping_option(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "wire.jsonl").write_bytes(jsonl([WIRE, {"meta": {}}]))
    mapping = tmp_path / "wire.yaml"
    mapping.write_text(MAPPING)
    report = convert_paths([raw], tmp_path / "out.jsonl", tmp_path / "q.jsonl",
                           ConvertOptions(mapping=mapping))
    assert (report.converted, report.rejected, report.skipped) == (1, 1, 0)
    [(_, record)] = list(read_jsonl(tmp_path / "out.jsonl"))
    assert record["title"] == "Seawall works start"
    assert report.rejections[0].line == 2


@pytest.mark.parametrize(("name", "expected"), [
    ("a.jsonl", "jsonl"), ("a.ndjson", "jsonl"), ("a.csv", "csv"), ("a.tsv", "csv"),
])
def test_sniffing_by_extension(name: str, expected: str) -> None:
    assert registry.detect(Path(name), b'{"title": "x"}') == expected
