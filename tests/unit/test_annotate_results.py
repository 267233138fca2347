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
                labels_item("p", "entity", "Acme Corp", "LOC"),
                {
                    "from_id": "q",
                    "to_id": "p",
                    "type": "relation",
                    "direction": "right",
                    "labels": ["said_by"],
                },
            ],
            "points to a region that was rejected",
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
            [labels_item("p", "entity", "Acme Corp", "ORG"), labels_item("p", "quote", "Acme Corp", "QUOTE")],
            "only SPEAKER can share a span",
        ),
        (
            [labels_item("p", "entity", "Acme Corp", "ORG"), labels_item("p", "entity", "Acme Corp", "GPE")],
            "has two 'entity' labels",
        ),
        (
            [
                labels_item("p", "entity", "Acme Corp", "ORG"),
                labels_item("p", "quote", "Acme Corp", "SPEAKER"),
            ],
            "marked SPEAKER but not linked",
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


def choice(rid: str, control: str, picked: list[str], **value: Any) -> dict[str, Any]:
    return {
        "id": rid,
        "from_name": control,
        "to_name": "text",
        "type": "choices",
        "value": {"choices": picked, **value},
    }


def relation(a: str, b: str, *labels: str) -> dict[str, Any]:
    return {"from_id": a, "to_id": b, "type": "relation", "direction": "right", "labels": list(labels)}


def test_ui_line_breaks_in_value_text_are_backslash_n() -> None:
    # What the web UI stores for a selection across a paragraph break: code-point offsets
    # (right) and value.text with each line break as backslash + n.
    surface = "Ana Duru said:\n\n“İstanbul"
    item = labels_item("r", "quote", surface, "QUOTE")
    item["value"]["text"] = surface.replace("\n", "\\n")
    assert "\\n\\n" in item["value"]["text"] and "\n" not in item["value"]["text"]
    parsed = read_result([item], TEXT, CONFIG)
    assert parsed.problems == [] and parsed.quotes[0].text == surface


def test_crlf_line_break_written_as_one_backslash_n() -> None:
    text = "He said:\r\n“No.”"
    item = {
        "id": "r",
        "from_name": "quote",
        "to_name": "text",
        "type": "labels",
        "value": {"start": 0, "end": len(text), "text": "He said:\\n“No.”", "labels": ["QUOTE"]},
    }
    parsed = read_result([item], text, CONFIG)
    assert parsed.problems == [] and parsed.quotes[0].text == text


def test_one_region_entity_and_speaker_is_one_span_with_two_labels() -> None:
    # PERSON drawn, then SPEAKER clicked with the region selected: one id, two results.
    result = [
        labels_item("p1", "entity", "Ana Duru", "PERSON"),
        labels_item("p1", "quote", "Ana Duru", "SPEAKER"),
        labels_item("q1", "quote", "İstanbul  is not for sale", "QUOTE"),
        labels_item("c1", "quote", "added", "CUE"),
        relation("q1", "p1", "said_by"),
        relation("q1", "c1", "cue"),
        choice("q1", "stance__city_budget", ["against"], **{"start": 0, "end": 1}),
    ]
    parsed = read_result(result, TEXT, CONFIG)
    assert parsed.problems == [] and parsed.notes == []
    assert [(e.id, e.text, e.label) for e in parsed.entities] == [("p1", "Ana Duru", "PERSON")]
    [quote] = parsed.quotes
    assert quote.speaker == span("Ana Duru") and quote.speaker_entity == "p1" and quote.cue == span("added")
    assert [(s.holder.ref, s.target, s.stance) for s in parsed.stances] == [("q1", "city budget", "against")]


def test_empty_hidden_and_dangling_parts_do_not_reject_the_rest() -> None:
    hidden = {**labels_item("p", "entity", "Acme Corp", "ORG"), "hidden": True}
    result = [
        hidden,
        {
            **labels_item("gone", "entity", "Ana Duru", "PERSON"),
            "value": {"start": 3, "end": 11, "labels": []},
        },
        labels_item("q", "quote", "agreed", "INDIRECT_QUOTE"),
        relation("q", "p", "said_by"),
        relation("q", "deleted-region", "cue"),
        relation("gone", "q"),
        choice("article", "article_stance__river_dam", []),
        labels_item("s", "quote", "she", "SPEAKER"),
        labels_item("q2", "quote", "İstanbul  is not for sale", "QUOTE"),
        relation("q2", "s", "said_by"),
        choice("s", "stance__river_dam", ["favor"]),
    ]
    parsed = read_result(result, TEXT, CONFIG)
    assert parsed.problems == [], parsed.problems
    assert [e.id for e in parsed.entities] == ["p"]
    assert parsed.stances == []
    notes = "\n".join(parsed.notes)
    assert "region 'gone'" in notes and "no label left" in notes
    assert "'q' -> 'deleted-region' ignored" in notes
    assert "attached to a SPEAKER region" in notes and "(dropped)" in notes
    assert len(parsed.notes) == 4


def test_region_id_is_named_in_problems() -> None:
    parsed = read_result([labels_item("abc123", "entity", "Ana Duru", "LOC")], TEXT, CONFIG)
    assert parsed.problems == ["/result/0 (region 'abc123'): entity label 'LOC' is not in the label set"]


def test_region_stance_block_shows_only_for_quote_and_entity_regions() -> None:
    import xml.etree.ElementTree as ET

    root = ET.fromstring(CONFIG.xml)
    [view] = [v for v in root.iter("View") if v.get("visibleWhen") == "region-selected"]
    assert view.get("whenLabelValue", "").split(",") == ["PERSON", "ORG", "GPE", "QUOTE", "INDIRECT_QUOTE"]
    assert {c.get("name") for c in view.iter("Choices")} == set(CONFIG.region_stance)


def test_annotation_to_dict_equals_asdict() -> None:
    """The field-by-field ``to_dict`` (fast path of pull) gives what ``asdict`` gives."""
    from dataclasses import asdict, fields

    from newscorpus.records import Annotation, Entity, Holder, Quote, Span, Stance

    external = {"system": "labelstudio", "task": 3, "nested": {"a": [1, 2]}}
    full = Annotation(
        "r1",
        "nc-1",
        "0" * 64,
        "ls-user-1",
        "labelstudio",
        True,
        [Entity("e1", 0, 3, "Ben", "PERSON")],
        [
            Quote("q1", 5, 9, "said", "indirect", Span(0, 3, "Ben"), "e1", Span(4, 5, ",")),
            Quote("q2", 10, 12, "hi"),
        ],
        [Stance("s1", Holder("article"), "dam", "favor"), Stance("s2", Holder("quote", "q1"), "dam", "none")],
        "2026-01-01T00:00:00Z",
        "2026-01-02T00:00:00Z",
        external,
    )
    for record in (full, Annotation("r2", "nc-2", "1" * 64, "a", "import")):
        expected = asdict(record)
        for key in ("created_at", "updated_at", "external"):
            if expected[key] is None:
                del expected[key]
        assert record.to_dict() == expected
    assert len(fields(Annotation)) == 13  # a new field must be added to to_dict too
    copied = full.to_dict()["external"]
    assert copied == external and copied is not external and copied["nested"] is not external["nested"]
