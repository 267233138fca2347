"""Attribution extraction, session 3: beliefs and rulings, plural and role speakers, a comma
after a name, coordinated cues, passives and infinitives that are no cues, a quote paragraph
after a colon, and cue lists chosen by the article's language."""

from __future__ import annotations

import pytest

from newscorpus.annotate.attribution import AttributionExtractor
from newscorpus.annotate.prelabel import Prelabeler
from newscorpus.workspace import LabelSet
from tests.attribution_fixtures import attributions, span_text

EN = AttributionExtractor(languages=("en",))


def found(text: str) -> list[tuple[str, str, str | None, str | None]]:
    return attributions(EN, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "A neighbour mistakenly thought the parcel contained a weapon.",
            ("indirect", "the parcel contained a weapon", "A neighbour", "thought"),
        ),
        (
            "The appeals court has ruled that the ban on street markets was unlawful.",
            ("indirect", "the ban on street markets was unlawful", "The appeals court", "ruled"),
        ),
        (
            "Senate Republicans argue the bill would raise costs for working families.",
            ("indirect", "the bill would raise costs for working families", "Senate Republicans", "argue"),
        ),
        (
            "Local teachers' unions are concerned the ministry will cut the budget again.",
            ("indirect", "the ministry will cut the budget again", "Local teachers' unions", "are concerned"),
        ),
        (
            "The head of the port authority, Jane Roe, said the terminal would reopen next week.",
            ("indirect", "the terminal would reopen next week", "Jane Roe", "said"),
        ),
        (
            "Ana Lima wrote to her followers and said the count had been rigged from the start.",
            ("indirect", "the count had been rigged from the start", "Ana Lima", "said"),
        ),
        (
            "A weekly review described the new tax as a gift to landlords.",
            ("indirect", "the new tax as a gift to landlords", "A weekly review", "described"),
        ),
        (
            "The authors say the findings confirm a steady fall in wages since 2010.",
            ("indirect", "the findings confirm a steady fall in wages since 2010", "The authors", "say"),
        ),
        (
            "The U.S. Department of Labor says most new jobs were part-time last year.",
            ("indirect", "most new jobs were part-time last year", "U.S. Department of Labor", "says"),
        ),
        (
            "Recent surveys indicate that turnout among young voters has doubled.",
            ("indirect", "turnout among young voters has doubled", "Recent surveys", "indicate"),
        ),
        (
            "The minister told the committee members the budget was short by ten million.",
            ("indirect", "the budget was short by ten million", "The minister", "told"),
        ),
        (
            "Ada Obi told The Daily Star, the new port will open in the spring of 2027.",
            ("indirect", "the new port will open in the spring of 2027", "Ada Obi", "told"),
        ),
        (
            "Ada Obi told Radio Sud in a statement that the port would open in May.",
            ("indirect", "the port would open in May", "Ada Obi", "told"),
        ),
        (
            "The lawyer said that, as the couple lived abroad, they should be spared a fine.",
            ("indirect", "as the couple lived abroad, they should be spared a fine", "The lawyer", "said"),
        ),
        # a relative clause's source, no comma after "According to X", a nominal cue of conclusion
        (
            "He flew to Lisbon to meet Ana Lima, who had told him the job was still open.",
            ("indirect", "the job was still open", "Ana Lima", "told"),
        ),
        (
            "According to Obi the files were returned by post a week after the vote.",
            ("indirect", "the files were returned by post a week after the vote", "Obi", "According to"),
        ),
        (
            "The inspectors came to the conclusion that the wall had been badly built.",
            ("indirect", "the wall had been badly built", "The inspectors", "came to the conclusion"),
        ),
    ],
)
def test_reported_speech(text: str, expected: tuple[str, str, str, str]) -> None:
    assert found(text) == [expected]


def test_two_cues_of_one_speaker_are_two_attributions() -> None:
    text = "They claimed the mayor was absent and claim he has a conflict of interest in the deal."
    assert found(text) == [
        ("indirect", "the mayor was absent", "They", "claimed"),
        ("indirect", "he has a conflict of interest in the deal", "They", "claim"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "I was quietly taken aside and told that the office would close within a month.",
        "In a letter to the regional council, the mayor rejected these accusations.",
        "The council voted to maintain the current rules for every school in the city.",
        "The case on which the tribunal has ruled was a dispute over unpaid rent in Leeds.",
        "The park, which the city describes as a green lung, will be closed for works.",
        "In 1990, at age seventeen, she was told to leave the country within a week.",
    ],
)
def test_no_attribution(text: str) -> None:
    assert found(text) == []


def test_a_quote_paragraph_after_a_colon_keeps_the_speaker() -> None:
    text = (
        'The bishop, Nunzio Rossi, has called the ruling "cynical":\n\n'
        '"We will take this to every court in the land. Nobody asked the families."'
    )
    quotes = EN.proposals(text)
    assert [span_text(q.speaker) for q in quotes] == ["Nunzio Rossi", "Nunzio Rossi"]
    assert quotes[-1].kind == "direct" and quotes[-1].text.startswith("We will")


def test_cue_lists_follow_the_article_language() -> None:
    # English "notes" is a cue; in a French article it is a noun (marks in an exam).
    text = "Les élèves ayant des notes comprises entre 8 et 10 devront passer un oral de rattrapage."
    prelabel = Prelabeler(LabelSet(("PERSON",), ()))
    assert prelabel({"id": "a", "text": text, "language": "fr-FR"}) is None
    guessed = prelabel({"id": "a", "text": text})  # no language: every cue list
    assert guessed is not None and [q.cue.text for q in guessed.quotes if q.cue] == ["notes"]
    assert EN.for_language("de") is EN and AttributionExtractor().for_language("ar").languages == ("ar",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Obi's claim that the tender was rigged was rejected by the court.",
            [("indirect", "the tender was rigged", "Obi", "claim")],
        ),
        (
            "Voters ignored the mayor's warning that the levy would double next year.",
            [("indirect", "the levy would double next year", "the mayor", "warning")],
        ),
        (
            "It was reported that the minister had resigned over the housing affair.",
            [("indirect", "the minister had resigned over the housing affair", None, "It was reported")],
        ),
        (
            "It is believed by the police that the fire was started on purpose.",
            [("indirect", "the fire was started on purpose", "police", "It is believed")],
        ),
        (
            "On Monday, Ana Lima resigned, saying the party had betrayed its voters.",
            [("indirect", "the party had betrayed its voters", "Ana Lima", "saying")],
        ),
        (
            "Shares fell sharply, with analysts warning that the merger was far too costly.",
            [("indirect", "the merger was far too costly", "analysts", "warning")],
        ),
        (
            "The senator said the bill was dead, adding that a new one would follow in June.",
            [
                ("indirect", "the bill was dead", "The senator", "said"),
                ("indirect", "a new one would follow in June", "The senator", "adding"),
            ],
        ),
        (
            '"We will not back down," Ana Lima told reporters, adding that the strike would go on.',
            [
                ("direct", "We will not back down", "Ana Lima", "told"),
                ("indirect", "the strike would go on", "Ana Lima", "adding"),
            ],
        ),
    ],
)
def test_nominal_passive_and_gerund_cues(text: str, expected: list[tuple[str, str, str | None, str]]) -> None:
    assert found(text) == expected


def test_a_possessive_pronoun_source_is_resolved() -> None:
    text = "Maria Duarte spoke on Sunday. Her warning that the river would flood went unheeded."
    (q,) = EN.proposals(text)
    assert (q.speaker.text, q.antecedent.text) == ("Her", "Maria Duarte")
    assert q.text == "the river would flood"


def test_reported_speech_around_a_scare_quote() -> None:
    text = 'The new tram line, a "white elephant" to many, will be scrapped next year, the mayor said.'
    assert found(text) == [
        (
            "indirect",
            'The new tram line, a "white elephant" to many, will be scrapped next year',
            "the mayor",
            "said",
        )
    ]


def test_no_cue_inside_quotation_marks() -> None:
    assert found('Her play "The Minister Said Nothing At All" opens in May in the old town hall.') == []


def test_a_quote_paragraph_continues_the_previous_speaker() -> None:
    text = (
        '"We did not expect this many," said Mayor Ana Lima.\n\n'
        '"The shelters are full and the roads are closed. We need help from the region."\n\n'
        "Rain is expected to continue."
    )
    quotes = EN.proposals(text)
    assert [(span_text(q.speaker), span_text(q.cue)) for q in quotes] == [
        ("Ana Lima", "said"),
        ("Ana Lima", None),
    ]


def test_a_quote_paragraph_after_a_comma() -> None:
    text = 'Later that week, Obi stated,\n\n"The records were never returned to the family."'
    assert [span_text(q.speaker) for q in EN.proposals(text)] == ["Obi"]


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "According to the team's coach, Ali Reza, the robot scored twice in the first round.",
            "Ali Reza",
            "the robot scored twice in the first round",
        ),
        (
            "According to Ana Lima, a lawyer for the family, the hearing was moved to June.",
            "Ana Lima",
            "the hearing was moved to June",
        ),
        (
            "According to Lima, Obi was able to copy the files, which he then sold abroad.",
            "Lima",
            "Obi was able to copy the files, which he then sold abroad",
        ),
    ],
)
def test_according_to_with_an_apposition(text: str, speaker: str, content: str) -> None:
    (q,) = EN.proposals(text)
    assert (span_text(q.speaker), q.text) == (speaker, content)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ('"The count was rigged", said the opposition leader.', "the opposition leader"),
        ('"We are ready", it added.', "it"),
        ('"No comment," a spokesperson for the company said.', "a spokesperson for the company"),
    ],
)
def test_direct_quote_speakers(text: str, speaker: str) -> None:
    assert [span_text(q.speaker) for q in EN.proposals(text)] == [speaker]


def test_a_quote_after_a_semicolon_is_a_new_attribution_of_the_same_speaker() -> None:
    text = '"The talks are over", the agency said; and, later, "the border will close at noon".'
    quotes = EN.proposals(text)
    assert [(span_text(q.speaker), span_text(q.cue)) for q in quotes] == [
        ("the agency", "said"),
        ("the agency", None),
    ]


def test_cue_alternation_is_a_prefix_tree_that_prefers_the_longest_form() -> None:
    import re

    from newscorpus.annotate.attribution_cues import alternation

    words = ["say", "says", "said", "has said", "has", "according to", "a dit", "a"]
    pattern = re.compile(alternation(words))
    assert all(pattern.fullmatch(w) for w in words) and not pattern.fullmatch("sa")
    assert pattern.fullmatch("according \u00a0 to")
    assert [pattern.match(t).group() for t in ("says so", "has said it", "a dit")] == [
        "says",
        "has said",
        "a dit",
    ]
    assert alternation(["say", "said"]).startswith("sa(")  # "sa" compared once


def test_an_auxiliary_is_not_part_of_a_source() -> None:
    text = "Critics argued that a cyber attack had occurred and wrote that the site was down for days."
    assert all("had" not in (q.speaker.text if q.speaker else "") for q in EN.proposals(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The government announced the plan.", [("indirect", "the plan", "The government", "announced")]),
        ("The ministry denied the allegations.", [("indirect", "the allegations", "The ministry", "denied")]),
        ("Officials said nothing.", []),
        ("The mayor visited the school.", []),
    ],
)
def test_a_short_noun_phrase_after_an_object_cue(text: str, expected: list[tuple[str, ...]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "antecedent"),
    [
        (
            "The Food Standards Authority of Ruritania says it will act. She says the rules are ready.",
            None,
        ),
        ("Moody's cut the rating on Monday. He said the outlook was grim for the banks.", None),
        (
            "Prime Minister Ana Lima said the vote was fair. Ms Lima later met Obi Kamau's aides. "
            'Of the result, she said: "We won."',
            "Ana Lima",
        ),
    ],
)
def test_pronoun_antecedents_are_people(text: str, antecedent: str | None) -> None:
    pronouns = [q for q in EN.proposals(text) if q.speaker and q.speaker.text.lower() in ("he", "she")]
    assert pronouns and [span_text(q.antecedent) for q in pronouns][-1] == antecedent
