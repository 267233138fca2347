"""Attribution extraction: reported speech, linked parts, scare quotes, NFD names, fr/ar cues."""

from __future__ import annotations

import unicodedata

import pytest

from newscorpus.annotate.attribution import AttributionExtractor, sentence_spans
from newscorpus.annotate.prelabel import quotes_to_parts
from newscorpus.workspace import LabelSet
from tests.attribution_fixtures import attributions

EX = AttributionExtractor()


def triples(text: str) -> list[tuple[str, str, str | None, str | None]]:
    return attributions(EX, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Clinton said that the plan would fail next year.",
            ("the plan would fail next year", "Clinton", "said"),
        ),
        (
            "According to officials, the dam will be built in May.",
            ("the dam will be built in May", "officials", "According to"),
        ),
        (
            "The dam will be built in May, according to officials.",
            ("The dam will be built in May", "officials", "according to"),
        ),
        (
            "He believes the reform is dead in the water.",
            ("the reform is dead in the water", "He", "believes"),
        ),
        (
            "The talks will resume next week, officials said.",
            ("The talks will resume next week", "officials", "said"),
        ),
        (
            "The talks will resume next week, said Ana Ruiz.",
            ("The talks will resume next week", "Ana Ruiz", "said"),
        ),
        (
            "Ana Ruiz warned that the talks could collapse.",
            ("the talks could collapse", "Ana Ruiz", "warned"),
        ),
        (
            "Le ministre a estimé que la réforme était nécessaire.",
            ("la réforme était nécessaire", "Le ministre", "a estimé"),
        ),
        (
            "Selon la police, trois personnes ont été blessées.",
            ("trois personnes ont été blessées", "la police", "Selon"),
        ),
        (
            "وقال وزير الخارجية إن المفاوضات ستستأنف الأسبوع المقبل.",
            ("المفاوضات ستستأنف الأسبوع المقبل", "وزير الخارجية", "وقال"),
        ),
    ],
)
def test_reported_speech(text: str, expected: tuple[str, str, str]) -> None:
    assert triples(text) == [("indirect", *expected)]


def test_arabic_direct_quote_has_a_speaker() -> None:
    assert triples("وقال وزير الخارجية: «المفاوضات ستستأنف».") == [
        ("direct", "المفاوضات ستستأنف", "وزير الخارجية", "وقال")
    ]


def test_interrupted_quote_is_two_linked_parts() -> None:
    a, b = EX.proposals('"The plan," he said, "is dead."')
    assert (a.text, b.text) == ("The plan", "is dead")
    assert a.cue == b.cue and a.speaker == b.speaker and a.cue is not None


def test_next_sentence_quote_inherits_the_speaker_not_the_cue() -> None:
    a, b = EX.proposals('"We will win," Jane Doe said. "Nobody can stop us now."')
    assert b.speaker == a.speaker and b.cue is None


def test_scare_quotes_and_titles_are_no_attributions() -> None:
    text = 'The girls were granted "parole" status and called their robot "Better Idea of Afghan Girls".'
    assert EX.proposals(text) == []


def test_mixed_quote_is_one_attribution() -> None:
    text = 'Cooper said her party has supported the idea "for months" and "since spring".'
    assert triples(text) == [
        ("indirect", 'her party has supported the idea "for months" and "since spring"', "Cooper", "said")
    ]


def test_nfd_name_is_not_cut_at_the_combining_mark() -> None:
    text = unicodedata.normalize("NFD", "Zoë Smith said the vote was rigged from the start.")
    [(_, _, speaker, _)] = triples(text)
    assert speaker == unicodedata.normalize("NFD", "Zoë Smith")


def test_person_entities_never_cross_a_sentence_and_never_are_pronouns() -> None:
    text = (
        "The vote was held in Ottawa.\n\nShe said the count was wrong. Jane Doe left Congress. "
        "But she said it was all over now."
    )
    entities, quotes = quotes_to_parts(EX.proposals(text), LabelSet(("PERSON",), ()), text=text)
    bounds = sentence_spans(text)
    for e in entities:
        assert any(s <= e.start and e.end <= t for s, t in bounds), e
        assert e.text.lower() not in {"she", "he", "they"}
    assert [e.text for e in entities] == ["Jane Doe"]
    assert quotes[0].speaker_entity is None  # "She" in a paragraph with no name stays unresolved


def test_a_capitalised_run_that_is_no_person_is_no_antecedent() -> None:
    [q] = EX.proposals("Il a commenté la finale de la Coupe du Monde. « C'est superbe ! » a-t-il lancé.")
    assert q.speaker is not None and q.speaker.text == "il" and q.antecedent is None
    [q] = EX.proposals("Bruno Martin arrived late. « C'est superbe ! » a-t-il lancé.")
    assert q.antecedent is not None and q.antecedent.text == "Bruno Martin"
