"""Offline import of Label Studio JSON exports, on the real exports in ../shared/data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newscorpus.annotate.importer import ImportOptions, import_export
from newscorpus.annotate.labels import build_label_config
from newscorpus.annotate.results import annotation_to_result
from newscorpus.cli.main import cli
from newscorpus.errors import ConfigError
from newscorpus.records import read_jsonl
from newscorpus.workspace import Workspace
from tests.annotate_workspace import articles, by_title, gold_annotation, make_workspace

pytestmark = pytest.mark.shared_data


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return make_workspace(tmp_path / "ws")


def exports(shared_data: Path) -> Path:
    return shared_data / "labelstudio-exports"


def test_every_shared_export_adds_up(ws: Workspace, shared_data: Path) -> None:
    files = sorted(exports(shared_data).rglob("*.json"))
    assert len(files) >= 20
    for path in files:
        try:
            report = import_export(ws, path, ImportOptions(create_articles=True, lenient=True))
        except ConfigError as exc:  # a labeling config stored as JSON, not an export
            assert path.name == "label_config_repeater.json" and "not a Label Studio" in str(exc), path
            continue
        assert report.annotations == report.imported + report.rejected + report.skipped, path


@pytest.mark.parametrize(
    ("relative", "surface"),
    [
        ("kiji-proxy/sample_predictions.json", "john.smith@example.com"),  # 68..90 runs past the text
        ("lsf-examples/rich_text_plain/annotations/1.json", "February 22"),  # text[343:354] is ' supporters'
        ("lsf-examples/rich_text_plain/tasks.json", "February 22"),
    ],
)
def test_spans_that_do_not_match_their_text_are_reported(
    ws: Workspace, shared_data: Path, relative: str, surface: str
) -> None:
    options = ImportOptions(
        create_articles=True,
        include_predictions=True,
        label_map={"Email": "ORG", "Person": "PERSON", "Date": "ORG", "Pronoun": "PERSON"},
        lenient=True,
    )
    report = import_export(ws, exports(shared_data) / relative, options)
    mismatches = [p for p in report.problems if "offsets" in p.message]
    assert mismatches, [str(p) for p in report.problems]
    assert surface in mismatches[0].message or "outside the text" in mismatches[0].message
    assert report.rejected + report.predictions_rejected >= 1
    written = [r for f in ws.annotation_files() for _, r in read_jsonl(f)]
    assert not any(e["text"] == surface for r in written for e in r["entities"])


def test_matching_exports_import_cleanly(ws: Workspace, shared_data: Path) -> None:
    path = exports(shared_data) / "lsf-examples" / "named_entity" / "annotations" / "1.json"
    strict = import_export(ws, path, ImportOptions(create_articles=True))
    # A failed import creates no article (the article is made by the import that succeeds).
    assert (strict.imported, strict.rejected, strict.articles_created) == (0, 1, 0)
    assert strict.articles_output is None
    assert "not in the label set" in strict.problems[0].message
    mapped = import_export(ws, path, ImportOptions(create_articles=True, label_map={"Date": "ORG"}))
    assert (mapped.imported, mapped.rejected, mapped.articles_created) == (1, 0, 1)
    [record] = [r for _, r in read_jsonl(Path(mapped.output))]  # type: ignore[arg-type]
    assert record["entities"][0]["text"] == "February 22" and record["origin"] == "import"
    assert any(r["id"] == record["article_id"] for _, r in read_jsonl(Path(mapped.articles_output)))  # type: ignore[arg-type]


def test_non_text_results_are_reported_not_dropped(ws: Workspace, shared_data: Path) -> None:
    path = exports(shared_data) / "lsf-examples" / "html_document" / "annotations" / "1.json"
    report = import_export(ws, path, ImportOptions(create_articles=True))
    assert report.imported == 0
    assert any("cannot be held" in p.message for p in report.problems)


def test_own_export_round_trip_and_cli_json_equals_api(ws: Workspace, tmp_path: Path) -> None:
    config = build_label_config(ws.config.labels)
    tasks = []
    for i, article in enumerate(sorted(articles(ws).values(), key=lambda a: a["id"])):
        record = gold_annotation(article)
        tasks.append(
            {
                "id": i + 1,
                "data": {
                    "text": article["text"],
                    "newscorpus_id": article["id"],
                    "newscorpus_sha256": article["text_sha256"],
                },
                "annotations": [
                    {
                        "id": 10 + i,
                        "completed_by": 7,
                        "was_cancelled": False,
                        "ground_truth": False,
                        "result": annotation_to_result(record, config),
                    }
                ],
                "drafts": [],
                "predictions": [],
            }
        )
    tasks[0]["annotations"].append({"id": 99, "completed_by": 8, "was_cancelled": True, "result": []})
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(cli, ["annotate", "import", str(export), "-w", str(ws.root), "--json"])
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    assert (got["imported"], got["skipped"], got["rejected"], got["valid"]) == (4, 1, 0, True)
    first = (ws.annotations_dir / "import-export.jsonl").read_bytes()
    again = import_export(ws, export).to_dict()
    assert {**again, "problems": []} == {**got, "problems": []}
    assert (ws.annotations_dir / "import-export.jsonl").read_bytes() == first
    records = {r["article_id"]: r for _, r in read_jsonl(ws.annotations_dir / "import-export.jsonl")}
    ferry = by_title(ws, "ferry")
    assert records[ferry["id"]]["annotator"] == "ls-user-7"
    assert records[ferry["id"]]["quotes"][0]["speaker"]["text"] == "Zoë\u0308 Lindqvist"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            b'[{"id": 1, "data": {"text": "Ben said hi."}, "annotations": [{"res',
            "truncated or not valid JSON",
        ),
        (b"text,label\nBen said hi.,PERSON\n", "not a Label Studio CSV export"),
        (b"annotation_id,text\n1,Ben said hi.\n2", "CSV row 3 has 1 fields but the header has 2"),
        (b'annotation_id,text\n1,"Ben said', "not a readable CSV export"),
        (
            b'[{"id": 1, "text": "Ben said hi.", "label": [{"start": 0, "end": 3}]}]',
            "not a Label Studio JSON_MIN export",
        ),
    ],
)
def test_exports_that_cannot_be_read_are_one_line_errors(
    ws: Workspace, tmp_path: Path, body: bytes, message: str
) -> None:
    path = tmp_path / "export.json"
    path.write_bytes(body)
    before = sorted(p.name for p in ws.articles_dir.iterdir())
    result = CliRunner().invoke(
        cli, ["annotate", "import", str(path), "-w", str(ws.root), "--create-articles"]
    )
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in result.output, result.output
    assert sorted(p.name for p in ws.articles_dir.iterdir()) == before


def test_create_articles_writes_nothing_when_the_import_fails(ws: Workspace, tmp_path: Path) -> None:
    good = {"start": 0, "end": 3, "text": "Ben", "labels": ["PERSON"]}
    bad = {"start": 4, "end": 8, "text": "said", "labels": ["WEAPON"]}
    tasks = [
        {
            "id": i,
            "data": {"text": f"Ben said hi {i}."},
            "annotations": [
                {
                    "id": i,
                    "result": [
                        {
                            "id": f"r{i}",
                            "from_name": "entity",
                            "to_name": "text",
                            "type": "labels",
                            "value": v,
                        }
                    ],
                }
            ],
        }
        for i, v in enumerate((good, bad))
    ]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    before = sorted(p.name for p in ws.articles_dir.iterdir())
    report = import_export(ws, path, ImportOptions(create_articles=True))
    assert report.articles_created == 0 and report.imported == 0 and report.output is None
    assert "not created" in report.problems[-1].message
    assert sorted(p.name for p in ws.articles_dir.iterdir()) == before
    ok = import_export(
        ws,
        path.with_name("ok.json")
        if path.with_name("ok.json").write_text(json.dumps(tasks[:1]), encoding="utf-8")
        else path,
        ImportOptions(create_articles=True),
    )
    assert ok.valid and ok.articles_created == 1 and ok.imported == 1
    from newscorpus.schema import DEFAULT_STORE

    [written] = [r for _, r in read_jsonl(Path(str(ok.articles_output)))]
    assert DEFAULT_STORE.problems(written, "article") == []


def test_lenient_never_turns_a_foreign_annotation_into_an_empty_one(ws: Workspace, tmp_path: Path) -> None:
    text = by_title(ws, "Millbrook")["text"]
    sentiment = {
        "id": "s",
        "from_name": "sentiment",
        "to_name": "text",
        "type": "choices",
        "value": {"choices": ["Positive"]},
    }
    taxonomy = {
        "id": "t",
        "from_name": "taxonomy",
        "to_name": "text",
        "type": "taxonomy",
        "value": {"taxonomy": [["Politics", "Budget"]]},
    }
    tasks = [
        {
            "id": 1,
            "data": {"text": text},
            "annotations": [
                {"id": 1, "result": [sentiment]},
                {"id": 2, "result": [taxonomy]},
                {"id": 3, "result": []},
            ],
        }
    ]
    path = tmp_path / "sentiment.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    report = import_export(ws, path, ImportOptions(lenient=True))
    # The truly empty annotation is kept (the annotator found nothing); the others are not.
    assert (report.annotations, report.imported, report.rejected) == (3, 1, 2)
    assert sum("not imported as an empty annotation" in p.message for p in report.problems) == 2
