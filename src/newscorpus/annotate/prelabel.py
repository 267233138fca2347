"""Pre-annotations: a rule-based quote extractor and an optional spaCy entity prelabeler.

:class:`QuoteExtractor` proposes quotes with their speaker and cue spans:

- quotation marks: straight ``"``, curly ``“ ”``, low-high ``„ “``, guillemets ``« »`` and
  ``‹ ›``, corner brackets, curly single quotes ``‘ ’`` (an apostrophe never opens one);
  a mark left open at the end of a paragraph (the convention for quotes running over
  several paragraphs) quotes up to the end of the paragraph;
- the quote span is the content inside the marks, without the trailing comma or full stop
  that belongs to the attribution (``"We will," she said`` -> ``We will``);
- attributions after the quote (``"…," said X`` / ``"…," X, the minister, said`` / ``"…,"
  the TASS news agency quoted him as saying``) and before it (``X said: "…"`` / ``X told
  reporters that, …, "…"`` / ``according to X, "…"``), with speech verbs as cues;
- a quote with no attribution of its own that follows an attributed quote in the same
  paragraph (``"A," X said. "B."``) gets the same speaker;
- short quoted phrases (three words or fewer) with no speech verb near them are treated as
  titles or scare quotes and skipped;
- a pronoun speaker (he, she, they, il, elle) is resolved to the nearest named person when
  that is safe: the speaker of the previous attributed quote, or the only person-like name
  in the preceding sentences, with no gender clash (Mr/Ms...); the pronoun stays the speaker
  span and the person becomes an entity (``speaker_entity``) when the label set has a person
  label;
- optionally, indirect quotes: ``X said (that) <clause>.`` in a sentence with no quote marks.

:func:`evaluate_quotes` scores proposals against gold quote spans (precision/recall, exact
after trimming marks and punctuation, and by overlap). :class:`SpacyEntityPrelabeler` turns
a spaCy pipeline's entities into entity proposals (``pip install 'newscorpus[spacy]'``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import MissingDependencyError
from ..records import Annotation, Entity, Quote, Span
from ..text import sha256_text
from ..workspace import LabelSet

PERSON_LABELS = ("PERSON", "PER", "PERS")
QUOTE_MODEL_VERSION = "newscorpus-quotes-1"

# Opening mark -> closing marks.
PAIRS = {"“": '”"', "„": "“”", "«": "»", "‹": "›", "「": "」", "『": "』", "‘": "’"}
STRAIGHT = '"'
TRAIL = " \t\u00a0\u202f,."
LEAD = " \t\u00a0\u202f"

_VERBS_EN = (
    "said|says|say|told|tells|tell|added|adds|asked|asks|stated|states|wrote|writes|explained|"
    "explains|continued|continues|noted|notes|commented|comments|argued|argues|insisted|insists|"
    "warned|warns|claimed|claims|declared|declares|announced|announces|replied|replies|responded|"
    "responds|recalled|recalls|remarked|observed|acknowledged|admitted|admits|conceded|suggested|"
    "suggests|tweeted|posted|shouted|urged|urges|reported|reports|concluded|emphasized|emphasised|"
    "stressed|testified|confirmed|confirms|predicted|promised|vowed|boasted|complained|cautioned|"
    "joked|exclaimed|whispered|yelled|cried|pleaded|assured|told\\s+\\w+|asserted|maintained|"
    "called|described|labelled|labeled|branded|read|reads|agreed|agrees|countered|added\\s+that"
)
_VERBS_FR = (
    "a déclaré|a dit|a affirmé|a expliqué|a confié|a ajouté|a indiqué|a souligné|a réagi|"
    "a estimé|a assuré|a jugé|a rappelé|déclare|affirme|explique|estime|ajoute|rappelle|"
    "s'amuse|souligne|a-t-il déclaré|a-t-elle déclaré|a-t-elle confié|a-t-il ajouté|"
    "estime-t-il|estime-t-elle|ajoute-t-il|ajoute-t-elle"
)
VERB = rf"(?:{_VERBS_FR}|{_VERBS_EN}|quoted\s+(?:him|her|them|it|[A-Z][\w'’-]+)\s+as\s+saying)"
ADV = r"(?:(?:also|later|then|further|recently|previously|once|had|has|have|was|were|is|later)\s+)"
PRONOUNS = {"he": "m", "she": "f", "they": None, "il": "m", "elle": "f", "I": None, "we": None}
PRON = r"(?:[Hh]e|[Ss]he|[Tt]hey|[Ii]l|[Ee]lle|I|[Ww]e)"
_CAP = r"[A-ZÀ-ÖØ-ÞĀ-ſ][\w'’.-]*"
_LINK = r"(?:al-|el-|bin|ibn|de|del|della|van|von|der|den|da|di|du|la|le|dos|das|y|St\.?)"
NAME = rf"(?:{_CAP}(?:\s+(?:{_LINK}\s+)*{_CAP}){{0,4}}|[a-z]{{1,3}}-{_CAP}(?:\s+{_CAP}){{0,3}})"
NOUNS = (
    r"agency|ministry|spokesman|spokeswoman|spokesperson|official|officials|statement|report|"
    r"police|government|committee|council|company|group|source|sources|minister|president|"
    r"court|army|newspaper|channel|website|office|department|authorities|judges|judge|"
    r"prosecutor|lawyer|family|organizers|organisers|team|coach|mayor|senator|governor|"
    r"chairman|chairwoman|chair|director|chief|commander|leader|residents|witnesses|witness|"
    r"expert|experts|analyst|analysts|researchers|researcher|doctor|doctors|spokespeople|board|"
    r"union|association|party|campaign|Kremlin|White House|post|letter|sign|banner|"
    r"conservatrice|porte-parole|ministre|maire"
)
_DET = r"(?:[Tt]he|[Aa]n?|[Ll]a|[Ll]e|[Ll]es|[Ss]on|[Ss]a)"
_OF_NAME = rf"(?:\s+of(?:\s+the)?\s+{_CAP}(?:\s+{_CAP})*|\s+{_CAP}(?:\s+{_CAP})*)"
NP = rf"(?:{_DET}\s+(?:[\w'’-]+\s+){{0,4}}?(?:{NOUNS})\b{_OF_NAME}?)"
SPEAKER = rf"(?:{NP}|{PRON}\b|{NAME})"
ROLE = r"(?:(?:[a-z][\w'’-]*\s+){1,3})"
APPOS = r"(?:\s*,[^,.!?\"“”«»\n]{1,90},)"
FUNCTION_WORDS = {
    "But",
    "And",
    "The",
    "In",
    "On",
    "At",
    "However",
    "Also",
    "So",
    "Yet",
    "Then",
    "When",
    "While",
    "After",
    "Before",
    "As",
    "If",
    "This",
    "That",
    "Meanwhile",
    "Instead",
    "Still",
    "Now",
    "Speaking",
    "Asked",
    "For",
    "Of",
    "Mais",
    "Et",
}
TITLE_WORDS = {
    "Mr",
    "Mr.",
    "Ms",
    "Ms.",
    "Mrs",
    "Mrs.",
    "Dr",
    "Dr.",
    "Sir",
    "Dame",
    "Professor",
    "Prof.",
    "President",
    "Vice",
    "Prime",
    "Minister",
    "Secretary",
    "Shadow",
    "Home",
    "Foreign",
    "Mayor",
    "Senator",
    "Governor",
    "Ambassador",
    "Judge",
    "Justice",
    "Councillor",
    "Councilor",
    "Chancellor",
    "General",
    "Gen.",
    "Colonel",
    "Captain",
    "Chief",
    "Director",
    "Spokesman",
    "Spokeswoman",
    "King",
    "Queen",
    "Prince",
    "Princess",
    "Pope",
    "Bishop",
    "Father",
    "Rabbi",
    "Imam",
    "Sheikh",
    "Deputy",
    "Chairman",
    "Chairwoman",
    "Coach",
    "Representative",
    "Rep.",
    "Sen.",
    "Gov.",
    "M.",
    "Mme",
    "Mme.",
}
HONORIFIC_GENDER = {
    "Mr": "m",
    "Mr.": "m",
    "Sir": "m",
    "King": "m",
    "Lord": "m",
    "Ms": "f",
    "Ms.": "f",
    "Mrs": "f",
    "Mrs.": "f",
    "Miss": "f",
    "Madam": "f",
    "Queen": "f",
    "Lady": "f",
    "M.": "m",
    "Mme": "f",
    "Mme.": "f",
}

_POST_VERB_FIRST = re.compile(rf"^[\s,]*(?P<cue>{VERB})\s+(?:{ROLE})?(?P<spk>{SPEAKER})")
_POST_SPEAKER_FIRST = re.compile(
    rf"^[\s,]*(?!(?:and|but|or|while|as|when|which|who)\b)(?:{ROLE})?(?P<spk>{SPEAKER}){APPOS}?\s+{ADV}?"
    rf"(?P<cue>{VERB})\b"
)
_POST_INVERTED = re.compile(
    r"^[\s,]*(?:(?:a|ont)-t-(?P<spk>il|elle|ils|elles)\s+(?P<cue>\w+)|"
    r"(?P<cue2>\w+)-t-(?P<spk2>il|elle|ils|elles))\b"
)
_POST_ACCORDING = re.compile(rf"^[\s,]*(?P<cue>according to)\s+(?P<spk>{SPEAKER})", re.I)
_PRE_SPEAKER = re.compile(
    rf"(?P<spk>{SPEAKER}){APPOS}?\s+{ADV}?(?P<cue>{VERB})\b(?:[^.!?\"“”«»\n]{{0,90}}?)?[\s,:]*$"
)
_PRE_ACCORDING = re.compile(
    rf"(?P<cue>[Aa]ccording to|in the words of)\s+(?:{ROLE})?(?P<spk>{SPEAKER})"
    rf"{APPOS}?[\s,:]*$"
)
_SENTENCE_END = re.compile(
    r"(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bDr)(?<!\bSt)(?<!\bJr)(?<!\bSr)(?<!\bProf)(?<!\bGen)"
    r"(?<!\bGov)(?<!\bSen)(?<!\bRep)(?<!\bNo)(?<!\bvs)(?<!\b[A-Z])[.!?]\s+(?=[A-Z\"“«„‘(])|\n"
)
_CITATION = re.compile(r"^\s*[—–-]\s+\S")
_PERSON_NAME = re.compile(
    rf"\b(?:(?P<hon>Mr\.?|Ms\.?|Mrs\.?|Dr\.?|Sir|Professor|President|Minister|"
    rf"Mayor|Senator|Governor|Ambassador|Judge|King|Queen)\s+)?"
    rf"(?P<name>{_CAP}(?:\s+(?:{_LINK}\s+)*{_CAP}){{1,3}})"
)
_CUE_NEAR = re.compile(rf"\b(?:{VERB})\b[^.!?\n]{{0,40}}$|:\s*$")
_INDIRECT = re.compile(
    rf"(?P<spk>{NAME}|{PRON}){APPOS}?\s+{ADV}?(?P<cue>said|says|told\s+\w+|added|argued|"
    rf"claimed|warned|insisted|stated|noted|believes|thinks|explained)\s+(?:that\s+)?"
    rf"(?P<clause>[a-z][^.!?\"“”«»\n]{{15,400}})[.!?]"
)


@dataclass(slots=True)
class QuoteProposal:
    """A proposed quote: content span, marks, and the attribution found (if any)."""

    start: int
    end: int
    text: str
    kind: str = "direct"
    speaker: Span | None = None
    cue: Span | None = None
    antecedent: Span | None = None  # the named person a pronoun speaker stands for
    inherited: bool = False
    open_mark: int | None = None
    close_mark: int | None = None


def _is_opening_straight(line: str, i: int) -> bool:
    prev = line[i - 1] if i > 0 else " "
    nxt = line[i + 1] if i + 1 < len(line) else " "
    if nxt.isspace() and not prev.isspace() and prev not in "([{—–-:/":
        return False
    return prev.isspace() or prev in "([{—–-:/\u00a0" or i == 0 or not prev.isalnum()


def find_quoted(text: str) -> list[tuple[int, int | None]]:
    """``(opening mark offset, closing mark offset or None)`` for top-level quotes, per line."""
    found: list[tuple[int, int | None]] = []
    pos = 0
    for line in text.split("\n"):
        open_at: int | None = None
        closers = ""
        for i, ch in enumerate(line):
            if open_at is None:
                if ch in PAIRS and (ch != "‘" or i == 0 or not line[i - 1].isalnum()):
                    open_at, closers = i, PAIRS[ch]
                elif ch == STRAIGHT and _is_opening_straight(line, i):
                    open_at, closers = i, STRAIGHT + "”"
                elif (
                    ch == "”"
                    and (i == 0 or line[i - 1].isspace())
                    and i + 1 < len(line)
                    and not line[i + 1].isspace()
                ):
                    open_at, closers = i, "”"
            elif ch in closers:
                if ch == "’" and i + 1 < len(line) and line[i + 1].isalpha():
                    continue  # an apostrophe inside a single-quoted passage
                found.append((pos + open_at, pos + i))
                open_at = None
        if open_at is not None:
            found.append((pos + open_at, None))
        pos += len(line) + 1
    return found


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in LEAD:
        start += 1
    while end > start and text[end - 1] in TRAIL:
        end -= 1
    return start, end


def _speaker_span(text: str, offset: int, match: re.Match[str]) -> Span:
    start, end = offset + match.start("spk"), offset + match.end("spk")
    words = text[start:end].split(" ")
    while len(words) > 1 and words[0] in FUNCTION_WORDS:
        start += len(words[0]) + 1
        words = words[1:]
    possessive = max((i for i, w in enumerate(words[:-1]) if w.endswith(("'s", "’s"))), default=-1)
    if possessive >= 0 and words[-1][:1].isupper():
        start += sum(len(w) + 1 for w in words[: possessive + 1])
        words = words[possessive + 1 :]
    if words[-1][:1].isupper():
        while len(words) > 1 and words[0] in TITLE_WORDS:
            start += len(words[0]) + 1
            words = words[1:]
    end = start + len(" ".join(words))
    while end > start and text[end - 1] in ",.;:":
        end -= 1
    return Span(start, end, text[start:end])


def _looks_like_title(s: str) -> bool:
    """Title-case words and no sentence punctuation: a headline or a name in quotes."""
    words = re.findall(r"[^\W\d_][\w'’-]*", s)
    if not words or any(ch in s for ch in ".!?;"):
        return False
    capital = sum(1 for w in words if w[0].isupper())
    return capital / len(words) >= 0.6


def _cue_span(text: str, offset: int, match: re.Match[str]) -> Span:
    start, end = offset + match.start("cue"), offset + match.end("cue")
    return Span(start, end, text[start:end])


def _word_count(s: str) -> int:
    return len(re.findall(r"\w+", s))


@dataclass
class QuoteExtractor:
    """Rule-based quote, speaker and cue proposals; see the module documentation."""

    indirect: bool = False
    min_words_without_cue: int = 4
    window: int = 120

    def proposals(self, text: str) -> list[QuoteProposal]:
        out: list[QuoteProposal] = []
        for open_at, close_at in find_quoted(text):
            line_end = text.find("\n", open_at)
            line_end = len(text) if line_end < 0 else line_end
            raw_end = close_at if close_at is not None else line_end
            start, end = _trim(text, open_at + 1, raw_end)
            if end <= start or not any(ch.isalpha() for ch in text[start:end]):
                continue
            out.append(QuoteProposal(start, end, text[start:end], open_mark=open_at, close_mark=close_at))
        for i, q in enumerate(out):
            self._attribute(text, q, out[i + 1] if i + 1 < len(out) else None)
        kept: list[QuoteProposal] = []
        for q in out:
            if q.speaker is None and kept and self._same_paragraph(text, kept[-1], q) and kept[-1].speaker:
                prev = kept[-1]
                between = text[(prev.close_mark or prev.end) + 1 : q.open_mark]
                if (
                    len(between) <= self.window
                    and prev.cue is not None
                    and prev.cue.start >= (prev.close_mark or prev.end)
                ):
                    q.speaker, q.cue, q.antecedent, q.inherited = (
                        prev.speaker,
                        prev.cue,
                        prev.antecedent,
                        True,
                    )
            if q.speaker is None and q.cue is None:
                if q.close_mark is not None and _CITATION.match(text[q.close_mark + 1 : q.close_mark + 8]):
                    continue  # "Headline" — Outlet, date: a source list
                if _looks_like_title(q.text):
                    continue
                if _word_count(q.text) < self.min_words_without_cue:
                    lead = text[max(0, (q.open_mark or q.start) - 60) : (q.open_mark or q.start)]
                    if not _CUE_NEAR.search(lead):
                        continue
            kept.append(q)
        if self.indirect:
            kept.extend(self._indirect(text, kept))
            kept.sort(key=lambda q: q.start)
        self._resolve_pronouns(text, kept)
        return kept

    @staticmethod
    def _same_paragraph(text: str, a: QuoteProposal, b: QuoteProposal) -> bool:
        return "\n" not in text[a.end : b.start]

    def _attribute(self, text: str, q: QuoteProposal, nxt: QuoteProposal | None) -> None:
        after = (q.close_mark + 1) if q.close_mark is not None else q.end
        limit = min(len(text), after + self.window)
        if nxt is not None and nxt.open_mark is not None:
            limit = min(limit, nxt.open_mark)
        newline = text.find("\n", after, limit)
        post = text[after : newline if newline >= 0 else limit]
        if q.close_mark is not None:
            m = _POST_INVERTED.match(post)
            if m:
                spk, cue = ("spk", "cue") if m.group("spk") else ("spk2", "cue2")
                q.speaker = Span(after + m.start(spk), after + m.end(spk), m.group(spk))
                q.cue = Span(after + m.start(cue), after + m.end(cue), m.group(cue))
                return
            for pattern in (_POST_VERB_FIRST, _POST_SPEAKER_FIRST, _POST_ACCORDING):
                m = pattern.match(post)
                if m:
                    q.speaker, q.cue = _speaker_span(text, after, m), _cue_span(text, after, m)
                    return
        begin = q.open_mark if q.open_mark is not None else q.start
        line_start = text.rfind("\n", 0, begin) + 1
        lead_start = max(line_start, begin - self.window * 2)
        lead = text[lead_start:begin]
        cut = max((m.end() for m in _SENTENCE_END.finditer(lead)), default=0)
        lead, lead_start = lead[cut:], lead_start + cut
        if not lead.strip() and line_start >= 2 and text[line_start - 2 : line_start] == "\n\n":
            # A paragraph that is only a quote, after one ending in a colon ("X tweeted:").
            prev_start = text.rfind("\n", 0, line_start - 2) + 1
            prev = text[prev_start : line_start - 2]
            if prev.rstrip().endswith(":"):
                cut = max((m.end() for m in _SENTENCE_END.finditer(prev)), default=0)
                lead, lead_start = prev[cut:], prev_start + cut
        for pattern in (_PRE_ACCORDING, _PRE_SPEAKER):
            m = pattern.search(lead)
            if m:
                q.speaker, q.cue = _speaker_span(text, lead_start, m), _cue_span(text, lead_start, m)
                return

    def _indirect(self, text: str, direct: Sequence[QuoteProposal]) -> list[QuoteProposal]:
        out = []
        taken = [(q.open_mark or q.start, (q.close_mark or q.end) + 1) for q in direct]
        for m in _INDIRECT.finditer(text):
            s, e = m.start(), m.end()
            if any(a < e and s < b for a, b in taken) or any(c in m.group(0) for c in '"“”«»„'):
                continue
            cs, ce = _trim(text, m.start("clause"), m.end("clause"))
            out.append(
                QuoteProposal(
                    cs, ce, text[cs:ce], "indirect", _speaker_span(text, 0, m), _cue_span(text, 0, m)
                )
            )
        return out

    def _resolve_pronouns(self, text: str, quotes: Sequence[QuoteProposal]) -> None:
        previous_named: Span | None = None
        for q in quotes:
            spk = q.speaker
            if spk is None:
                continue
            if spk.text not in PRONOUNS and spk.text.lower() not in PRONOUNS:
                if not q.inherited and re.fullmatch(NAME, spk.text):
                    previous_named = spk
                continue
            if q.antecedent is not None:
                continue
            gender = PRONOUNS.get(spk.text.lower(), PRONOUNS.get(spk.text))
            if gender is None:
                continue
            q.antecedent = self._antecedent(text, spk, gender, previous_named)

    def _antecedent(self, text: str, pronoun: Span, gender: str, previous: Span | None) -> Span | None:
        window_start = max(0, pronoun.start - 400)
        window = text[window_start : pronoun.start]
        names: dict[str, tuple[Span, str | None]] = {}
        for m in _PERSON_NAME.finditer(window):
            name = m.group("name").rstrip(".")
            first = name.split()[0]
            if first in FUNCTION_WORDS or len(name.split()) < 2 and not m.group("hon"):
                continue
            hon = m.group("hon")
            g = HONORIFIC_GENDER.get(hon) if hon else None
            span = Span(window_start + m.start("name"), window_start + m.start("name") + len(name), name)
            names[name.split()[-1]] = (span, g)
        if previous is not None and previous.start < pronoun.start and pronoun.start - previous.end < 600:
            prev_g = next((g for s, g in names.values() if s.text == previous.text), None)
            if prev_g in (None, gender):
                candidates = [
                    s for s, _ in names.values() if s.text != previous.text and s.start > previous.end
                ]
                if not candidates:
                    return previous
        plausible = [(s, g) for s, g in names.values() if g in (None, gender)]
        if len(plausible) == 1:
            return plausible[0][0]
        return None


def _person_label(labels: LabelSet) -> str | None:
    return next((label for label in PERSON_LABELS if label in labels.entities), None)


def quotes_to_parts(
    proposals: Iterable[QuoteProposal], labels: LabelSet, entities: list[Entity] | None = None
) -> tuple[list[Entity], list[Quote]]:
    """Quote records (ids ``q1``...) and the entities their resolved speakers point to."""
    entities = list(entities or [])
    person = _person_label(labels)
    by_span = {(e.start, e.end): e for e in entities}
    quotes: list[Quote] = []
    for n, p in enumerate(proposals, 1):
        speaker_entity = None
        if p.antecedent is not None and person is not None:
            key = (p.antecedent.start, p.antecedent.end)
            if key not in by_span:
                by_span[key] = Entity(f"p{len(by_span) + 1}", *key, p.antecedent.text, person)
                entities.append(by_span[key])
            speaker_entity = by_span[key].id
        quotes.append(Quote(f"q{n}", p.start, p.end, p.text, p.kind, p.speaker, speaker_entity, p.cue))
    return entities, quotes


class SpacyEntityPrelabeler:
    """Entity proposals from a spaCy pipeline (a loaded ``nlp`` or an installed model name).

    Labels are kept when they are in the label set, after ``label_map`` (e.g. ``PER`` ->
    ``PERSON``); spaCy's ``start_char``/``end_char`` are code-point offsets like ours.
    """

    def __init__(
        self, nlp: Any = None, model: str | None = None, label_map: dict[str, str] | None = None
    ) -> None:
        try:
            import spacy
        except ImportError as exc:
            raise MissingDependencyError(
                f"spaCy is needed for entity pre-annotations ({exc}); "
                "install it with: pip install 'newscorpus[spacy]'"
            ) from None
        if nlp is None:
            if not model:
                raise ValueError("give a spaCy pipeline (nlp) or the name of an installed model")
            try:
                nlp = spacy.load(model)
            except OSError as exc:
                raise MissingDependencyError(f"spaCy model {model!r} is not installed ({exc})") from None
        self.nlp = nlp
        self.label_map = dict(label_map or {})
        meta = getattr(nlp, "meta", {}) or {}
        self.model_version = (
            f"spacy-{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}-{meta.get('version', '0')}"
        )

    def entities(self, text: str, labels: LabelSet) -> list[Entity]:
        out: list[Entity] = []
        for ent in self.nlp(text).ents:
            label = self.label_map.get(ent.label_, ent.label_)
            if label in labels.entities and ent.text.strip():
                out.append(Entity(f"e{len(out) + 1}", ent.start_char, ent.end_char, ent.text, label))
        return out


@dataclass
class Prelabeler:
    """Callable pushing pre-annotations: quotes (rules) and optionally entities (spaCy)."""

    labels: LabelSet
    quotes: QuoteExtractor | None = field(default_factory=lambda: QuoteExtractor(indirect=True))
    spacy: SpacyEntityPrelabeler | None = None

    @property
    def model_version(self) -> str:
        parts = [QUOTE_MODEL_VERSION] if self.quotes is not None else []
        if self.spacy is not None:
            parts.append(self.spacy.model_version)
        return "+".join(parts) or "none"

    def __call__(self, article: dict[str, Any]) -> Annotation | None:
        text = article["text"]
        entities = self.spacy.entities(text, self.labels) if self.spacy is not None else []
        proposals = self.quotes.proposals(text) if self.quotes is not None else []
        entities, quotes = quotes_to_parts(proposals, self.labels, entities)
        if not entities and not quotes:
            return None
        return Annotation(
            id=f"{article['id']}:prelabel",
            article_id=article["id"],
            text_sha256=sha256_text(text),
            annotator=self.model_version,
            origin="prediction",
            entities=entities,
            quotes=quotes,
        )


# -- evaluation ----------------------------------------------------------------------------

_MARKS = "\"“”„«»‹›‘’「」『』'"


def normalize_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim quotation marks, white space and edge punctuation, for comparing quote spans."""
    strip = _MARKS + " \t\n\u00a0,.;:"
    while start < end and text[start] in strip:
        start += 1
    while end > start and text[end - 1] in strip:
        end -= 1
    return start, end


@dataclass
class QuoteScores:
    documents: int = 0
    gold: int = 0
    predicted: int = 0
    exact_matches: int = 0
    overlap_gold_found: int = 0
    overlap_predicted_correct: int = 0
    attributed: int = 0

    @staticmethod
    def _ratio(a: int, b: int) -> float:
        return round(a / b, 4) if b else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "documents": self.documents,
            "gold": self.gold,
            "predicted": self.predicted,
            "exact_precision": self._ratio(self.exact_matches, self.predicted),
            "exact_recall": self._ratio(self.exact_matches, self.gold),
            "overlap_precision": self._ratio(self.overlap_predicted_correct, self.predicted),
            "overlap_recall": self._ratio(self.overlap_gold_found, self.gold),
            "attributed_share": self._ratio(self.attributed, self.predicted),
        }


def evaluate_quotes(
    documents: Iterable[tuple[str, Sequence[tuple[int, int]]]],
    extract: Callable[[str], Sequence[QuoteProposal]] | None = None,
) -> QuoteScores:
    """Score quote proposals against gold ``(start, end)`` spans, per document.

    Exact: the spans are equal after :func:`normalize_span` on both. Overlap: a prediction
    is correct when it overlaps a gold span, and a gold span is found when a prediction
    overlaps it (gold corpora often split one quotation at sentence boundaries)."""
    extract = extract or QuoteExtractor().proposals
    scores = QuoteScores()
    for text, gold_spans in documents:
        scores.documents += 1
        gold = {normalize_span(text, s, e) for s, e in gold_spans}
        gold.discard(next((g for g in gold if g[0] >= g[1]), (-1, -1)))
        predicted = [p for p in extract(text)]
        spans = {normalize_span(text, p.start, p.end) for p in predicted}
        scores.gold += len(gold)
        scores.predicted += len(spans)
        scores.exact_matches += len(gold & spans)
        scores.overlap_gold_found += sum(1 for g in gold if any(p[0] < g[1] and g[0] < p[1] for p in spans))
        scores.overlap_predicted_correct += sum(
            1 for p in spans if any(p[0] < g[1] and g[0] < p[1] for g in gold)
        )
        scores.attributed += sum(1 for p in predicted if p.speaker is not None)
    return scores
