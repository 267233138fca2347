"""Foreign Label Studio exports read through a label mapping, on the real exports in ../shared.

Sentiment (choices), taxonomy, relation extraction and per-region choices come from real
exports; the JSON_MIN and CSV files are made from a real full-JSON export by the SDK's own
converter (the code the server runs for those export formats), in a temporary folder.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newscorpus.annotate.importer import ImportOptions, import_export
from newscorpus.annotate.mapping import parse_map_items, read_mapping_file
from newscorpus.cli.main import cli
from newscorpus.errors import ConfigError
from newscorpus.records import read_jsonl
from newscorpus.workspace import Workspace
from tests.annotate_workspace import make_workspace

pytestmark = pytest.mark.shared_data

REFERENCE_MAP = [
    "PER=PERSON",
    "article_stance=-",
    "article_stance_tax:Target A/against=against@river-dam",
    "article_stance_tax:Target B/neutral=neutral@city budget",
    "quote_stance:against=against@river-dam",
    "quote_target=-",
]


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return make_workspace(tmp_path / "ws")


def reference(shared_data: Path) -> Path:
    return shared_data.parent / "labelstudio"


def written(report: Any) -> list[dict[str, Any]]:
    return [r for _, r in read_jsonl(Path(report.output))] if report.output else []


def stances(record: dict[str, Any]) -> set[tuple[str, str | None, str, str]]:
    return {(s["holder"]["type"], s["holder"]["ref"], s["target"], s["stance"]) for s in record["stances"]}


def annotated_reference_task(shared_data: Path, tmp_path: Path) -> Path:
    """The reference export's annotated task alone (the other is skipped and has CRLF text)."""
    tasks = json.loads((reference(shared_data) / "reference-export.json").read_text(encoding="utf-8"))
    path = tmp_path / "reference-task.json"
    path.write_text(json.dumps([t for t in tasks if not t["annotations"][0]["was_cancelled"]]), "utf-8")
    return path


def test_sentiment_export_maps_to_article_stance(ws: Workspace, shared_data: Path) -> None:
    path = shared_data / "labelstudio-exports/sdk-tests/test_export_csv/csv_test_history.json"
    unmapped = import_export(ws, path, ImportOptions(create_articles=True))
    assert (unmapped.imported, unmapped.rejected, unmapped.articles_created) == (0, 1, 0)
    assert "'sentiment'" in unmapped.problems[0].message and "--map" in unmapped.problems[0].message
    assert "annotation 18047" in str(unmapped.problems[0].location)
    lenient = import_export(ws, path, ImportOptions(create_articles=True, lenient=True))
    assert (lenient.imported, lenient.rejected, lenient.output) == (0, 1, None)  # never an empty record
    mapped = import_export(
        ws,
        path,
        ImportOptions(create_articles=True, mapping=parse_map_items(["sentiment:Positive=favor@river-dam"])),
    )
    assert (mapped.imported, mapped.rejected, mapped.articles_created, mapped.valid) == (1, 0, 1, True)
    [record] = written(mapped)
    assert stances(record) == {("article", None, "river-dam", "favor")}
    assert record["annotator"] == "ls-user-14" and (record["entities"], record["quotes"]) == ([], [])


def test_relation_extraction_taxonomy_and_region_choices_through_a_mapping(
    ws: Workspace, shared_data: Path, tmp_path: Path
) -> None:
    path = annotated_reference_task(shared_data, tmp_path)
    config = (reference(shared_data) / "reference-config.xml").read_text(encoding="utf-8")
    partial = import_export(ws, path, ImportOptions(create_articles=True, config_xml=config))
    assert partial.imported == 0 and not partial.valid
    messages = " | ".join(p.message for p in partial.problems)
    for control in ("article_stance_tax", "quote_stance", "quote_target"):
        assert repr(control) in messages, messages
    report = import_export(
        ws,
        path,
        ImportOptions(create_articles=True, config_xml=config, mapping=parse_map_items(REFERENCE_MAP)),
    )
    assert (report.imported, report.rejected, report.ignored_results, report.valid) == (1, 0, 2, True)
    [record] = written(report)
    assert [(e["text"], e["label"]) for e in record["entities"]] == [("Jane Doe", "PERSON"), ("Acme", "ORG")]
    [quote] = record["quotes"]
    assert (quote["text"], quote["kind"], quote["speaker"]["text"]) == (
        '"We oppose the plan."',
        "direct",
        "Jane Doe",
    )
    assert stances(record) == {
        ("article", None, "river-dam", "against"),
        ("article", None, "city budget", "neutral"),
        ("quote", "q1", "river-dam", "against"),
    }
    assert record["ground_truth"] is True


def test_a_mapping_onto_what_the_label_set_lacks_is_one_error(ws: Workspace, shared_data: Path) -> None:
    path = shared_data / "labelstudio-exports/sdk-tests/test_export_csv/csv_test_history.json"
    for item, word in (
        ("sentiment:Positive=favor@the moon", "not a stance target"),
        ("sentiment:Positive=love@river-dam", "not one of"),
        ("relation:refers-to=coref", "not one of"),
        ("Person=WEAPON", "not a label"),
    ):
        with pytest.raises(ConfigError, match=word):
            import_export(ws, path, ImportOptions(mapping=parse_map_items([item])))


def test_relation_extraction_export_reports_coreference_per_prediction(
    ws: Workspace, shared_data: Path
) -> None:
    folder = shared_data / "labelstudio-exports/kiji-proxy"
    config = (folder / "LabelingConfig.xml").read_text(encoding="utf-8")
    options = dict(create_articles=True, include_predictions=True, config_xml=config)
    mapping = parse_map_items(["Person=PERSON", "Pronoun=PERSON", "Email=-"])
    strict = import_export(ws, folder / "sample_predictions.json", ImportOptions(mapping=mapping, **options))  # type: ignore[arg-type]
    assert strict.predictions_rejected == 1 and strict.output is None
    assert sum("coreference" in p.message for p in strict.problems) == 2
    lenient = import_export(
        ws,
        folder / "sample_predictions.json",
        ImportOptions(mapping=mapping, lenient=True, **options),  # type: ignore[arg-type]
    )
    [record] = written(lenient)
    assert [e["text"] for e in record["entities"]] == ["John Smith", "Mary", "He", "her"]
    assert record["origin"] == "prediction" and lenient.dropped_regions == 2 and lenient.ignored_results == 1


def sdk_export(source: Path, config: str, fmt: str, out: Path) -> Path:
    from label_studio_sdk.converter import Converter

    Converter(config, project_dir=None, download_resources=False).convert(
        str(source), str(out), fmt, is_dir=False
    )
    [path] = list(out.iterdir())
    return path


@pytest.mark.parametrize("fmt", ["JSON_MIN", "CSV"])
def test_flat_exports_are_read_and_what_they_lost_is_reported(
    ws: Workspace, shared_data: Path, tmp_path: Path, fmt: str
) -> None:
    config = (reference(shared_data) / "reference-config.xml").read_text(encoding="utf-8")
    path = sdk_export(annotated_reference_task(shared_data, tmp_path), config, fmt, tmp_path / fmt)
    mapping = parse_map_items(REFERENCE_MAP)
    strict = import_export(ws, path, ImportOptions(create_articles=True, config_xml=config, mapping=mapping))
    assert strict.format == fmt and strict.imported == 0 and strict.rejected == 1
    messages = [p.message for p in strict.problems]
    assert any("SPEAKER region 'Jane Doe' cannot be linked" in m for m in messages), messages
    assert any("'quote_stance' lost its region" in m for m in messages), messages
    no_config = import_export(ws, path, ImportOptions(create_articles=True, mapping=mapping))
    assert any("does not say whether it belongs to a region" in p.message for p in no_config.problems)
    report = import_export(
        ws, path, ImportOptions(create_articles=True, config_xml=config, mapping=mapping, lenient=True)
    )
    assert (report.imported, report.rejected, report.dropped_regions, report.articles_created) == (1, 0, 2, 1)
    [record] = written(report)
    assert [(e["text"], e["label"]) for e in record["entities"]] == [("Jane Doe", "PERSON"), ("Acme", "ORG")]
    assert [(q["text"], q["speaker"]) for q in record["quotes"]] == [('"We oppose the plan."', None)]
    assert stances(record) == {
        ("article", None, "river-dam", "against"),
        ("article", None, "city budget", "neutral"),
    }
    assert record["annotator"] == "ls-user-1" and record["external"]["annotation"] == 2


def test_cli_mapping_file_gives_the_api_result(ws: Workspace, shared_data: Path, tmp_path: Path) -> None:
    path = annotated_reference_task(shared_data, tmp_path)
    config = reference(shared_data) / "reference-config.xml"
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "labels: {PER: PERSON}\n"
        "ignore: [article_stance, quote_target]\n"
        "stances:\n"
        "  article_stance_tax: {Target A/against: against@river-dam, Target B/neutral: neutral@city budget}\n"
        "  quote_stance: {against: against@river-dam}\n",
        encoding="utf-8",
    )
    args = ["annotate", "import", str(path), "-w", str(ws.root), "--config", str(config), "--create-articles"]
    result = CliRunner().invoke(cli, [*args, "--mapping", str(mapping), "--json"])
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    assert (got["imported"], got["valid"]) == (1, True)
    again = import_export(
        ws,
        path,
        ImportOptions(
            create_articles=True, config_xml=config.read_text("utf-8"), mapping=read_mapping_file(mapping)
        ),
    ).to_dict()
    assert {**again, "articles_created": 0, "articles_output": None} == {
        **got,
        "articles_created": 0,
        "articles_output": None,
    }
    bad = CliRunner().invoke(cli, [*args, "--map", "sentiment:Positive=favor"])
    assert bad.exit_code != 0 and len(bad.output.strip().splitlines()) == 1 and "STANCE@TARGET" in bad.output
