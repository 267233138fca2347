"""The gazetteer of a workspace's own human entities: majority label, name-like surfaces only,
whole words, longest first, never across a sentence, predictions ignored."""

from __future__ import annotations

from typing import Any

from newscorpus.annotate.prelabel import Gazetteer, Prelabeler
from newscorpus.workspace import LabelSet

LABELS = LabelSet(("PERSON", "ORG", "GPE"), ())


def record(origin: str, *entities: tuple[str, str]) -> dict[str, Any]:
    return {
        "origin": origin,
        "entities": [{"text": t, "label": label, "start": 0, "end": len(t)} for t, label in entities],
    }


GAZ = Gazetteer.from_records(
    [
        record(
            "labelstudio", ("Ana Lima", "PERSON"), ("Lima", "GPE"), ("he", "PERSON"), ("the board", "ORG")
        ),
        record("import", ("Both", "ORG"), ("The team", "ORG")),
        record("sample", ("Lima", "GPE"), ("Jordan", "PERSON"), ("Congress. But", "ORG")),
        record("adjudication", ("Jordan", "GPE"), ("Port Authority", "ORG")),
        record("prediction", ("Nobody", "PERSON")),
    ]
)


def test_entries() -> None:
    # Jordan: one PERSON, one GPE vote -> dropped; pronouns, lower-case phrases and
    # predictions never enter.
    assert GAZ.entries == {
        "Ana Lima": "PERSON",
        "Lima": "GPE",
        "Port Authority": "ORG",
        "Congress. But": "ORG",
    }


def test_matches_whole_words_longest_first_inside_a_sentence() -> None:
    text = "Ana Lima met the Port Authority in Lima. Limassol is far. Congress. But nobody came. Lima won."
    found = [(e.text, e.label, text[e.start : e.end]) for e in GAZ.entities(text, LABELS)]
    assert found == [
        ("Ana Lima", "PERSON", "Ana Lima"),
        ("Port Authority", "ORG", "Port Authority"),
        ("Lima", "GPE", "Lima"),
    ]


def test_labels_outside_the_label_set_are_left_out() -> None:
    assert [e.text for e in GAZ.entities("Ana Lima went to Lima.", LabelSet(("PERSON",), ()))] == ["Ana Lima"]


def test_prelabeler_adds_gazetteer_entities_and_names_it_in_the_model_version() -> None:
    prelabel = Prelabeler(LABELS, gazetteer=GAZ)
    rec = prelabel({"id": "a", "text": "Ana Lima said the port would reopen in spring 2027."})
    assert rec is not None and [(e.text, e.label) for e in rec.entities] == [("Ana Lima", "PERSON")]
    assert rec.annotator == "newscorpus-attributions-3+gazetteer-4"
    # the quote's speaker points at no second entity for the same span
    assert [q.speaker.text for q in rec.quotes if q.speaker] == ["Ana Lima"]
