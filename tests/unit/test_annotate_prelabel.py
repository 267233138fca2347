"""The rule-based quote extractor (patterns, GUM floors) and the spaCy entity prelabeler."""

from __future__ import annotations

import pytest

from newscorpus.annotate.prelabel import (
    Prelabeler,
    QuoteExtractor,
    SpacyEntityPrelabeler,
    quotes_to_parts,
)
from newscorpus.workspace import LabelSet
from tests.attribution_fixtures import span_text

LABELS = LabelSet(("PERSON", "ORG", "GPE"), ("river-dam",))


def one(text: str, **kwargs: bool) -> tuple[str, str | None, str | None, str | None]:
    [q] = QuoteExtractor(**kwargs).proposals(text)
    return (q.text, span_text(q.speaker), span_text(q.cue), span_text(q.antecedent))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"We oppose the plan," said Jane Doe.', ("We oppose the plan", "Jane Doe", "said", None)),
        ("“We oppose the plan,” Jane Doe said.", ("We oppose the plan", "Jane Doe", "said", None)),
        (
            '"The talks can resume," the TASS news agency quoted him as saying.',
            ("The talks can resume", "the TASS news agency", "quoted him as saying", None),
        ),
        ("Mayor Ana Ruiz told reporters: «Nous refusons.»", ("Nous refusons", "Ana Ruiz", "told", None)),
        (
            '"It was worse," Khaled Al-Maeena, editor at the Saudi Gazette, said.',
            ("It was worse", "Khaled Al-Maeena", "said", None),
        ),
        (
            "Jane Doe spoke first. “We are papering over it,” she said.",
            ("We are papering over it", "she", "said", "Jane Doe"),
        ),
        (
            "According to Jane Doe, „the plan is dead“.",
            ("the plan is dead", "Jane Doe", "According to", None),
        ),
        ('He said: "This one never closes', ("This one never closes", "He", "said", None)),
        ("‘It’s over,’ said Tom Hale.", ("It’s over", "Tom Hale", "said", None)),
        (
            "« Personne n'a quitté la salle », a-t-elle confié.",
            ("Personne n'a quitté la salle", "elle", "confié", None),
        ),
    ],
)
def test_patterns(text: str, expected: tuple[str, str | None, str | None, str | None]) -> None:
    assert one(text) == expected


def test_following_quote_inherits_the_speaker_and_scare_quotes_are_skipped() -> None:
    text = (
        '"Had it happened later it would be worse," Khaled Al-Maeena said. "I think the toll would '
        'have been higher." The girls were granted "parole" status and named their robot "Hope."'
    )
    quotes = QuoteExtractor().proposals(text)
    assert [q.text for q in quotes] == [
        "Had it happened later it would be worse",
        "I think the toll would have been higher",
    ]
    assert quotes[1].speaker == quotes[0].speaker and quotes[1].inherited


def test_pronoun_not_resolved_when_ambiguous() -> None:
    text = 'John Smith met Paul Jones. "We disagree," he said.'
    assert one(text)[3] is None
    text = 'Mr. Paul Jones met Ms. Ann Lee. "We disagree," she said.'
    assert one(text)[3] == "Ann Lee"


def test_indirect_quotes_on_request() -> None:
    text = "Retired engineer Dennis Cole said a wall would only push the erosion down the shore."
    assert QuoteExtractor(indirect=False).proposals(text) == []
    [q] = QuoteExtractor().proposals(text)
    assert (q.kind, span_text(q.speaker)) == ("indirect", "Dennis Cole")


def test_resolved_pronoun_becomes_an_entity_link() -> None:
    text = "Jane Doe spoke first. “We are papering over it,” she said."
    entities, quotes = quotes_to_parts(QuoteExtractor().proposals(text), LABELS)
    assert [(e.text, e.label) for e in entities] == [("Jane Doe", "PERSON")]
    assert quotes[0].speaker_entity == entities[0].id and quotes[0].speaker.text == "she"  # type: ignore[union-attr]
    _, no_person = quotes_to_parts(QuoteExtractor().proposals(text), LabelSet(("ORG",), ()))
    assert no_person[0].speaker_entity is None


def test_spacy_entity_prelabeler_with_entity_ruler() -> None:
    # spaCy is part of the dev extra: CI must fail, not skip, when it is missing.
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PER", "pattern": "Ana Duru"},
            {"label": "GPE", "pattern": "İzmir"},
            {"label": "ORG", "pattern": "Acme"},
            {"label": "MONEY", "pattern": "money"},
        ]
    )
    spacy_pre = SpacyEntityPrelabeler(nlp, label_map={"PER": "PERSON"})
    text = "👩‍🔬 Ana Duru said: “İzmir needs money,” and Acme agreed."
    entities = spacy_pre.entities(text, LABELS)
    assert [(e.text, e.label, text[e.start : e.end]) for e in entities] == [
        ("Ana Duru", "PERSON", "Ana Duru"),
        ("İzmir", "GPE", "İzmir"),
        ("Acme", "ORG", "Acme"),
    ]
    prelabel = Prelabeler(LABELS, spacy=spacy_pre)
    assert prelabel.model_version.startswith("newscorpus-attributions-3+spacy-en")
    record = prelabel({"id": "nc-" + "1" * 32, "text": text})
    assert record is not None and record.origin == "prediction"
    assert [q.text for q in record.quotes] == ["İzmir needs money"]
    assert record.quotes[0].speaker.text == "Ana Duru"  # type: ignore[union-attr]
