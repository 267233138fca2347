"""One agreement implementation: the release card and manifest give the figures of
`newscorpus annotate agreement` on the same annotations, model predictions left out."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from newscorpus.annotate.adjudicate import collect
from newscorpus.annotate.agreement import agreement, format_score
from newscorpus.cli.main import cli
from newscorpus.release.writer import build_release
from newscorpus.workspace import Workspace
from tests.conftest import REPO, copy_sample_workspace


def _with_predictions(root: Path) -> Workspace:
    """The sample workspace plus two model prediction records on a double-annotated article:
    one with origin ``prediction``, one imported with a Label Studio ``model_version``."""
    copy_sample_workspace(root)
    shutil.copytree(REPO / "articles", root / "articles")
    ws = Workspace.open(root)
    people = [json.loads(line) for line in
              (root / "annotations" / "annotator2.jsonl").read_text(encoding="utf-8").splitlines()]
    base = people[0]
    flipped = {"favor": "against", "against": "favor", "neutral": "none", "none": "neutral"}
    out = []
    for n, extra in enumerate(({"origin": "prediction"},
                               {"origin": "import", "external": {"model_version": "v2"}})):
        record = {**base, **extra, "id": f"{base['article_id']}:model-{n}",
                  "annotator": f"model:v{n}", "ground_truth": False,
                  "stances": [{**s, "stance": flipped[s["stance"]]} for s in base["stances"]]}
        out.append(json.dumps(record, ensure_ascii=False))
    (root / "annotations" / "predictions.jsonl").write_text("\n".join(out) + "\n", encoding="utf-8")
    return ws


def test_card_and_manifest_give_the_cli_figures_without_predictions(tmp_path: Path) -> None:
    ws = _with_predictions(tmp_path / "ws")
    by_article, left_out = collect(ws)
    expected = agreement(by_article, left_out)
    assert left_out == {"prediction": 2}
    assert all(not a.startswith("model:") for a in expected.annotators)
    cli_out = CliRunner().invoke(cli, ["annotate", "agreement", "-w", str(ws.root)])
    assert cli_out.exit_code == 0, cli_out.output
    kappa = re.search(r"stance: (\d+) units, kappa (\S+),", cli_out.output)
    assert kappa is not None
    result = build_release(ws, "0.1.0", "2026-12-01", tmp_path / "out", previous=None)
    assert result.manifest["agreement"] == expected.to_dict()
    card = (result.path / "README.md").read_text(encoding="utf-8")
    pair = expected.pairs[0]
    assert kappa.group(2) == format_score(pair.stance_kappa)
    assert (f"stance Cohen's kappa / Krippendorff's alpha | {kappa.group(2)} / "
            f"{format_score(pair.stance_alpha)} ({kappa.group(1)} units)") in card
    assert "model:" not in card.split("## Annotation process")[1].split("## Splits")[0]
