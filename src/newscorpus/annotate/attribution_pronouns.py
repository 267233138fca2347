"""Pronoun speakers resolved inside their paragraph to a named person (never across a
paragraph, never to an organisation, a place or a possessive name); used by
:class:`.attribution.AttributionExtractor`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..records import Span

if TYPE_CHECKING:
    from .attribution import AttributionExtractor, QuoteProposal

NOT_PERSON_WORDS = """News Party Twitter Facebook Government Ministry University Company Council
Department Agency Association House Court Committee Union Times Post Press Monday Tuesday Wednesday
Thursday Friday Saturday Sunday January February March April May June July August September October
November December Congress Senate Parliament Church Police Army Bank Group Institute Office
Organization Organisation Commission Foundation Service Services Inc Corp Ltd Daily Journal
Standards Authority Halloween Christmas Easter Ramadan Australia Zealand America Europe Africa Asia"""
NOT_PERSON = frozenset(NOT_PERSON_WORDS.split())


def _person_like(name: str) -> bool:
    """A name that may be a person's: at most four words, none an organisation, place or
    calendar word, no possessive, not an acronym ("Moody's", "Food Standards Australia New
    Zealand", "NASA" are not)."""
    words = name.split()
    return (
        0 < len(words) <= 4
        and not any(w in NOT_PERSON or w.endswith(("'s", "’s")) for w in words)
        and not (len(words) == 1 and words[0].isupper())
    )


def resolve_pronouns(x: AttributionExtractor, text: str, quotes: Sequence[QuoteProposal]) -> None:
    """Set ``antecedent`` on the proposals whose speaker is a pronoun (see :func:`antecedent`):
    the previous named speaker or the only person named before it in the paragraph."""
    previous_named: Span | None = None
    pronouns = {k.lower(): v for k, v in (x.cues.pronouns | x.cues.possessive_gender).items()}
    known = {
        q.speaker.text.split()[-1]
        for q in quotes
        if q.speaker and q.speaker.text[:1].isupper() and q.speaker.text.lower() not in pronouns
    }
    for q in sorted(quotes, key=lambda q: q.speaker.start if q.speaker else q.start):
        spk = q.speaker
        if spk is None:
            continue
        if spk.text.lower() not in pronouns:
            if not q.inherited and re.fullmatch(x.p.name, spk.text) and _person_like(spk.text):
                previous_named = spk
            continue
        gender = pronouns[spk.text.lower()]
        if q.antecedent is None and gender is not None:
            q.antecedent = antecedent(x, text, spk, gender, previous_named, known)


def antecedent(
    x: AttributionExtractor, text: str, pronoun: Span, gender: str, previous: Span | None, known: set[str]
) -> Span | None:
    """The person ``pronoun`` stands for inside its paragraph: the previous named speaker,
    or the only name before it that is a person (an honorific, the name of a speaker
    elsewhere in the article, or a subject opening a sentence or clause), with no gender
    clash; else None."""
    para = text.rfind("\n", 0, pronoun.start) + 1
    window_start = max(para, pronoun.start - 400)
    window = text[window_start : pronoun.start]
    names: dict[str, tuple[Span, str | None]] = {}
    unsure: set[str] = set()
    for m in x.p.person.finditer(window):
        name, hon = m.group("name"), m.group("hon")
        words = name.split()
        if words[0] in x.cues.function_words or words[0] in x.cues.titles:
            continue
        if (len(words) < 2 and not hon and words[-1] not in known) or not _person_like(name):
            continue  # a lone word is a person only with an honorific or as a speaker
        before = window[: m.start("name")].rstrip()
        subject = (not before or before[-1] in ".!?:,;\n") and re.match(
            r"[ ]+[a-zà-ÿ]", window[m.end("name") :]
        )
        person = bool(hon) or words[-1] in known or bool(subject)
        g = x.cues.honorific_gender.get(hon) if hon else None
        start = window_start + m.start("name")
        names[words[-1]] = (Span(start, start + len(name), name), g)
        if not person:  # "Coupe du Monde", "Madrid Arena": no honorific, speaker or subject
            unsure.add(words[-1])
    if previous is not None and para <= previous.start < pronoun.start:
        prev_g = next((g for s, g in names.values() if s.text == previous.text), None)
        last = previous.text.split()[-1]
        later = [  # another person named after the speaker ("Mr Key" is still John Key)
            s for key, (s, _) in names.items() if key != last and key not in unsure and s.start > previous.end
        ]
        if prev_g in (None, gender) and not later:
            return previous
    plausible = [s for s, g in names.values() if g in (None, gender)]
    if len(plausible) == 1 and plausible[0].text.split()[-1] not in unsure:
        return plausible[0]
    return None
