"""``newscorpus annotate`` commands that need no server; errors are one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newscorpus.annotate.adjudicate import collect
from newscorpus.annotate.agreement import agreement
from newscorpus.annotate.labels import build_label_config
from newscorpus.cli.main import cli
from newscorpus.records import write_jsonl
from tests.annotate_workspace import articles, gold_annotation, make_workspace


def test_export_tasks_and_config_offline(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    out, xml = tmp_path / "tasks.json", tmp_path / "config.xml"
    result = CliRunner().invoke(
        cli, ["annotate", "export-tasks", "-w", str(ws.root), "-o", str(out), "--config-out", str(xml)]
    )
    assert result.exit_code == 0, result.output
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert len(tasks) == 4 and all(t["data"]["newscorpus_id"] in articles(ws) for t in tasks)
    assert any(t.get("predictions") for t in tasks)
    first = out.read_bytes()
    assert (
        CliRunner().invoke(cli, ["annotate", "export-tasks", "-w", str(ws.root), "-o", str(out)]).exit_code
        == 0
    )
    assert out.read_bytes() == first
    config = CliRunner().invoke(cli, ["annotate", "config", "-w", str(ws.root)])
    assert config.output == build_label_config(ws.config.labels).xml == xml.read_text(encoding="utf-8")


def test_agreement_and_adjudicate_cli(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    rows = []
    for article in articles(ws).values():
        for name in ("ann1", "ann2", "ann3"):
            rows.append(gold_annotation(article, name).to_dict())
    write_jsonl(ws.annotations_dir / "team.jsonl", rows)
    result = CliRunner().invoke(cli, ["annotate", "agreement", "-w", str(ws.root), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads(json.dumps(agreement(*collect(ws)).to_dict()))
    text = CliRunner().invoke(cli, ["annotate", "agreement", "-w", str(ws.root)])
    assert "ann1 vs ann2" in text.output and "kappa" in text.output
    adjudicated = CliRunner().invoke(cli, ["annotate", "adjudicate", "-w", str(ws.root), "--strict"])
    assert adjudicated.exit_code == 0, adjudicated.output
    assert "decided by majority 4" in adjudicated.output


def test_missing_token_and_unknown_policy_are_one_line_errors(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    env = {
        "NEWSCORPUS_LS_TOKEN": "",
        "LABEL_STUDIO_API_KEY": "",
        "XDG_CONFIG_HOME": str(tmp_path),
        "NEWSCORPUS_LS_TOKEN_FILE": "",
    }
    result = CliRunner().invoke(cli, ["annotate", "push", "-w", str(ws.root)], env=env)
    assert result.exit_code == 1 and result.output.startswith("Error: no Label Studio API token")
    assert len(result.output.strip().splitlines()) == 1
    bad = CliRunner().invoke(cli, ["annotate", "adjudicate", "-w", str(ws.root), "--policy", "coin"])
    assert bad.exit_code == 1 and "unknown adjudication step 'coin'" in bad.output


def test_no_token_option_exists() -> None:
    for name in ("push", "pull"):
        result = CliRunner().invoke(cli, ["annotate", name, "--help"])
        assert "--token" not in result.output and "--api-key" not in result.output


def test_state_and_pulled_files_never_land_in_the_package(tmp_path: Path) -> None:
    import newscorpus
    from newscorpus.annotate.adjudicate import adjudicate
    from newscorpus.annotate.push import state_path
    from newscorpus.errors import LabelStudioError
    from newscorpus.workspace import Workspace
    from tests.annotate_workspace import make_workspace

    package = Path(newscorpus.__file__).resolve().parent
    root = Path(__file__).resolve().parents[2]
    repo = Workspace.open(root)  # the repository root's workspace links the sample's files
    assert package not in state_path(repo).resolve().parents
    assert {p.name for p in repo.annotation_files()} >= {"gold.jsonl", "annotator2.jsonl"}
    ws = make_workspace(tmp_path / "ws")
    ws.annotations_dir.rmdir()
    ws.annotations_dir.symlink_to(package / "sample" / "annotations")
    before = sorted(p.name for p in (package / "sample" / "annotations").iterdir())
    with pytest.raises(LabelStudioError, match="inside the newscorpus package"):
        adjudicate(ws)
    with pytest.raises(LabelStudioError, match="inside the newscorpus package"):
        state_path(ws)
    assert sorted(p.name for p in (package / "sample" / "annotations").iterdir()) == before
