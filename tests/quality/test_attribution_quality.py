"""Attribution quality gate: pinned floors on GUM (direct quotes) and on the hand-annotated
development set (tests/fixtures/attribution-dev), and no PERSON pre-annotation across a sentence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newscorpus.annotate.attribution import sentence_spans
from newscorpus.annotate.attribution_eval import evaluate
from newscorpus.annotate.prelabel import Gazetteer, Prelabeler
from newscorpus.workspace import LabelSet
from tests.conftest import REPO
from tests.quality.attribution_data import dev_gold, fr_texts, gum_gold, gum_rows

BASELINE = json.loads((REPO / "tests" / "quality" / "attribution_baseline.json").read_text(encoding="utf-8"))
PRELABEL = Prelabeler(LabelSet(("PERSON",), ()))


def predictions(texts: dict[str, str]) -> list[dict[str, Any]]:
    """Prediction records, each article with its language as a converted article has it
    (GUM ids are English, the numeric Wikinews ids French)."""
    out = []
    for aid, text in texts.items():
        record = PRELABEL({"id": aid, "text": text, "language": "en" if aid.startswith("GUM") else "fr"})
        out.append(record.to_dict() if record else {"article_id": aid, "entities": [], "quotes": []})
    return out


def check(scores: dict[str, Any], floors: dict[str, dict[str, float]]) -> None:
    for kind, metrics in floors.items():
        for metric, floor in metrics.items():
            group, _, name = metric.partition(".")
            value = scores[kind][group][name] if name else scores[kind][group]
            assert value >= floor, f"{kind} {metric}: {value} fell below the floor {floor}"


@pytest.mark.shared_data
def test_gum_floors(shared_data: Path) -> None:
    texts, gold = gum_gold(shared_data)
    check(evaluate(gold, predictions(texts)).as_dict(), BASELINE["gum_wikinews_en"]["floors"])


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("part", "gate"), [("session2", "dev_set"), ("tune", "dev_tune"), ("heldout", "dev_heldout")]
)
def test_dev_set_floors(shared_data: Path, part: str, gate: str) -> None:
    texts, gold = dev_gold(shared_data, part)
    check(evaluate(gold, predictions(texts)).as_dict(), BASELINE[gate]["floors"])


@pytest.mark.shared_data
def test_no_person_pre_annotation_crosses_a_sentence(shared_data: Path) -> None:
    texts = {r["id"]: r["text"] for r in gum_rows(shared_data)} | fr_texts(shared_data)
    people = 0
    for record in predictions(texts):
        text = texts[record["article_id"]]
        bounds = sentence_spans(text)
        for e in record["entities"]:
            people += 1
            assert any(s <= e["start"] and e["end"] <= t for s, t in bounds), e
            assert e["text"].lower() not in {"he", "she", "they", "il", "elle"}, e
    assert people > 0  # the check ran on real resolutions


GUM_TYPES = {"person": "PERSON", "organization": "ORG", "place": "GPE"}


@pytest.mark.shared_data
def test_gazetteer_leave_one_out_on_gum(shared_data: Path) -> None:
    """Each GUM article pre-annotated with a gazetteer of the other 23 articles' gold names
    (person, organization, place): the share of proposals that are a gold entity (same span and
    label) stays above its floor, and none crosses a sentence."""
    rows = gum_rows(shared_data)
    labels = LabelSet(tuple(GUM_TYPES.values()), ())
    proposed = correct = 0
    for i, row in enumerate(rows):
        others = [
            {
                "origin": "import",
                "entities": [
                    {"text": e["text"], "label": GUM_TYPES[e["type"]]}
                    for e in o["entities"]
                    if e["type"] in GUM_TYPES
                ],
            }
            for j, o in enumerate(rows)
            if j != i
        ]
        gold = {
            (e["start"], e["end"], GUM_TYPES[e["type"]]) for e in row["entities"] if e["type"] in GUM_TYPES
        }
        bounds = sentence_spans(row["text"])
        for e in Gazetteer.from_records(others).entities(row["text"], labels):
            assert any(s <= e.start and e.end <= t for s, t in bounds), e
            proposed += 1
            correct += (e.start, e.end, e.label) in gold
    floor = BASELINE["gazetteer_gum_leave_one_out"]["floors"]["precision"]
    assert proposed > 0 and correct / proposed >= floor, (correct, proposed)
