"""Label set -> labeling config, and Label Studio results <-> annotation records (no server)."""

from __future__ import annotations

from typing import Any

import pytest

from newscorpus.annotate.labels import build_label_config, target_slug
from newscorpus.annotate.results import annotation_to_result, canonical_parts, read_result
from newscorpus.errors import ConfigError
from newscorpus.records import Annotation, Entity, Holder, Quote, Span, Stance
from newscorpus.text import find_span
from newscorpus.workspace import LabelSet

LABELS = LabelSet(("PERSON", "ORG", "GPE"), ("river-dam", "city budget"))
CONFIG = build_label_config(LABELS)
TEXT = "👩\u200d🔬 Ana Duru said:\n\n“İstanbul  is not for sale,” she added. Acme Corp agreed."


def span(surface: str, occurrence: int = 1) -> Span:
    return Span(*find_span(TEXT, surface, occurrence), surface)


def record() -> Annotation:
    ana, she = span("Ana Duru"), span("she")
    return Annotation(
        "a:1",
        "nc-" + "0" * 32,
        "0" * 64,
        "t",
        "sample",
        entities=[
            Entity("e1", ana.start, ana.end, ana.text, "PERSON"),
            Entity("e2", *find_span(TEXT, "Acme Corp"), "Acme Corp", "ORG"),
        ],
        quotes=[
            Quote(
                "q1",
                *find_span(TEXT, "İstanbul  is not for sale"),
                "İstanbul  is not for sale",
                "direct",
                she,
                "e1",
                span("added"),
            ),
            Quote("q2", *find_span(TEXT, "agreed"), "agreed", "indirect", span("Acme Corp"), "e2", None),
        ],
        stances=[
            Stance("x", Holder("article"), "river-dam", "none"),
            Stance("y", Holder("quote", "q1"), "city budget", "against"),
            Stance("z", Holder("entity", "e2"), "river-dam", "favor"),
        ],
    )


def test_config_uses_text_and_is_valid() -> None:
    assert '<Text name="text" value="$text"' in CONFIG.xml and "HyperText" not in CONFIG.xml
    assert CONFIG.region_stance == {"stance__river_dam": "river-dam", "stance__city_budget": "city budget"}
    assert CONFIG.article_stance["article_stance__city_budget"] == "city budget"
    assert build_label_config(LABELS).xml == CONFIG.xml  # deterministic


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (LabelSet(("QUOTE",), ()), "clash"),
        (LabelSet(("PERSON",), ("a-b", "a b")), "same control name"),
        (LabelSet((), ()), "no entity labels"),
        (LabelSet(("PERSON",), ("--",)), "no letter or digit"),
    ],
)
def test_bad_label_sets(labels: LabelSet, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        build_label_config(labels)


def test_slug() -> None:
    assert target_slug("city budget") == "city_budget" and target_slug("river-dam") == "river_dam"


def test_round_trip_record_result_record() -> None:
    original = record()
    result = annotation_to_result(original, CONFIG)
    assert CONFIG.result_problems(result) == []
    relations = {(r["from_id"], r["to_id"], r["labels"][0]) for r in result if r["type"] == "relation"}
    assert ("q2", "e2", "said_by") in relations  # the speaker is the entity itself
    assert any(label == "refers_to" for _, _, label in relations)  # "she" -> Ana Duru
    parsed = read_result(result, TEXT, CONFIG)
    assert parsed.problems == []
    assert (parsed.entities, parsed.quotes, parsed.stances) == canonical_parts(
        original.entities, original.quotes, original.stances
    )


def labels_item(rid: str, control: str, surface: str, label: str, **value: Any) -> dict[str, Any]:
    s, e = find_span(TEXT, surface)
    return {
        "id": rid,
        "from_name": control,
        "to_name": "text",
        "type": "labels",
        "value": {"start": s, "end": e, "text": surface, "labels": [label], **value},
    }


def test_editor_whitespace_in_value_text_is_accepted_and_surface_rebuilt() -> None:
    item = labels_item("r", "quote", "İstanbul  is not for sale", "QUOTE")
    item["value"]["text"] = "İstanbul is not\nfor sale"
    parsed = read_result([item], TEXT, CONFIG)
    assert parsed.problems == [] and parsed.quotes[0].text == "İstanbul  is not for sale"


@pytest.mark.parametrize(
    ("result", "message"),
    [
        (
            [
                {
                    **labels_item("r", "entity", "Ana Duru", "PERSON"),
                    "value": {"start": 3, "end": 11, "text": "Ana Duru", "labels": ["PERSON"]},
                }
            ],
            "offsets do not match",
        ),
        ([labels_item("r", "entity", "Ana Duru", "LOC")], "not in the label set"),
        ([labels_item("s", "quote", "she", "SPEAKER")], "not linked to a quote"),
        (
            [
                labels_item("q", "quote", "agreed", "QUOTE"),
                {
                    "from_id": "q",
                    "to_id": "nope",
                    "type": "relation",
                    "direction": "right",
                    "labels": ["said_by"],
                },
            ],
            "missing or was rejected",
        ),
        (
            [
                labels_item("c", "quote", "added", "CUE"),
                labels_item("q", "quote", "agreed", "QUOTE"),
                {
                    "from_id": "q",
                    "to_id": "c",
                    "type": "relation",
                    "direction": "right",
                    "labels": ["said_by"],
                },
            ],
            "cannot link",
        ),
        (
            [
                labels_item("s", "quote", "she", "SPEAKER"),
                {
                    "id": "s",
                    "from_name": "stance__river_dam",
                    "to_name": "text",
                    "type": "choices",
                    "value": {"choices": ["favor"]},
                },
            ],
            "attached to a SPEAKER region",
        ),
        (
            [
                {
                    "id": "d",
                    "from_name": "article_stance__river_dam",
                    "to_name": "text",
                    "type": "choices",
                    "value": {"choices": ["maybe"]},
                }
            ],
            "stance must be one of",
        ),
        (
            [{"id": "i", "from_name": "img", "to_name": "image", "type": "rectanglelabels", "value": {}}],
            "not part of the newscorpus labeling config",
        ),
        (
            [
                {
                    **labels_item("r", "entity", "Ana Duru", "PERSON"),
                    "value": {"start": 0, "end": 999, "labels": ["PERSON"]},
                }
            ],
            "outside the text",
        ),
    ],
)
def test_problems_are_reported(result: list[dict[str, Any]], message: str) -> None:
    parsed = read_result(result, TEXT, CONFIG)
    assert any(message in p for p in parsed.problems), parsed.problems


def test_relation_direction_and_missing_label_are_inferred() -> None:
    result = [
        labels_item("q", "quote", "agreed", "INDIRECT_QUOTE"),
        labels_item("p", "entity", "Acme Corp", "ORG"),
        {"from_id": "p", "to_id": "q", "type": "relation", "direction": "left"},
    ]
    parsed = read_result(result, TEXT, CONFIG)
    assert parsed.problems == []
    assert parsed.quotes[0].kind == "indirect" and parsed.quotes[0].speaker_entity == "p"
