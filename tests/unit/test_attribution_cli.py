"""``annotate prelabel`` writes schema-valid prediction records offline; ``annotate evaluate``
prints the same figures as the library; bad input is a one-line error."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from newscorpus.annotate.attribution_eval import evaluate_files
from newscorpus.cli.main import cli
from newscorpus.schema import validate

TEXTS = [
    '"The dam will fail," engineer Ana Ruiz said, "and soon." The mayor said the plan was sound.',
    "Nothing was said here at all.",
]


def test_prelabel_then_evaluate(tmp_path: Path) -> None:
    articles = tmp_path / "articles.jsonl"
    articles.write_text(
        "".join(json.dumps({"id": f"nc-{n:032x}", "text": t}) + "\n" for n, t in enumerate(TEXTS)),
        encoding="utf-8",
    )
    out = tmp_path / "pred.jsonl"
    result = CliRunner().invoke(cli, ["annotate", "prelabel", str(articles), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 articles, 1 prediction records (newscorpus-attributions-3)" in result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert validate(records, "annotation").valid
    [record] = records
    assert (
        record["origin"] == "prediction"
        and record["external"]["model_version"] == "newscorpus-attributions-3"
    )
    assert [(q["kind"], q["text"], q["speaker"]["text"]) for q in record["quotes"]] == [
        ("direct", "The dam will fail", "Ana Ruiz"),
        ("direct", "and soon", "Ana Ruiz"),
        ("indirect", "the plan was sound", "The mayor"),
    ]
    shown = CliRunner().invoke(cli, ["annotate", "evaluate", str(out), str(out), "--json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output) == evaluate_files(out, out).as_dict()
    # Two linked parts are one attribution.
    assert json.loads(shown.output)["all"]["gold"] == 2


def test_bad_input_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1}\n', encoding="utf-8")
    for args in (["prelabel", str(bad), "-o", str(tmp_path / "o.jsonl")], ["evaluate", str(bad), str(bad)]):
        result = CliRunner().invoke(cli, ["annotate", *args])
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert result.output.count("\n") == 1 and "bad.jsonl:1" in result.output


def test_prelabel_uses_the_workspace_gazetteer(tmp_path: Path) -> None:
    """The sample workspace's gold names become entity pre-annotations (none without a
    workspace or with --no-gazetteer)."""
    from newscorpus.workspace import Workspace
    from tests.conftest import REPO

    ws = Workspace.open(REPO)
    gold = [json.loads(line) for p in ws.annotation_files() for line in p.read_text("utf-8").splitlines()]
    names = sorted({e["text"] for r in gold for e in r["entities"] if e["label"] == "PERSON"})
    assert names
    text = f"Yesterday {names[0]} spoke at length. Nobody else did."
    articles = tmp_path / "articles.jsonl"
    articles.write_text(json.dumps({"id": f"nc-{7:032x}", "text": text}) + "\n", encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    for extra, expected in (([], [names[0]]), (["--no-gazetteer"], [])):
        args = ["annotate", "prelabel", str(articles), "-o", str(out), "-w", str(REPO), *extra]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert validate(records, "annotation").valid
        assert [e["text"] for r in records for e in r["entities"] if e["label"] == "PERSON"] == expected
