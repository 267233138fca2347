"""Rule-based attribution extraction: direct, mixed and reported speech with speaker and cue.

:class:`AttributionExtractor` proposes attributions (content span, speaker span, cue span):

- **direct** quotes in quotation marks (straight, curly, low-high, guillemets, corner brackets,
  curly single quotes; an apostrophe never opens one; a mark left open at the end of a
  paragraph quotes to its end), attributed after the quote (``"…," said X`` / ``"…," X, the
  minister, said`` / ``« … », a-t-elle confié`` / ``"…," according to X``) or before it
  (``X said: "…"`` / ``according to X, "…"`` / Arabic ``وقال الوزير: «…»``);
- a quote **interrupted** by its attribution (``"The plan," he said, "is dead."``) is one
  attribution: its parts are linked by sharing the same speaker and cue spans;
- a quote that follows an attributed one in the next sentence of the paragraph
  (``"A," X said. "B."``) gets the same speaker but no cue of its own;
- **mixed** quotes (``X said her party has backed the idea "for months"``): the reported
  clause with its quoted words is one attribution (kind ``indirect``);
- **reported** speech without quotation marks: ``X said (that) …``, ``X told reporters …``,
  ``X believes …``, ``… , officials said.``, ``…, said X.``, ``according to X, …`` and
  ``…, according to X.``, passive ``X was quoted as saying …``, French ``selon X, …`` and
  ``X a estimé que …``, Arabic ``وقال X إن …``; the content runs to the end of the sentence;
- **nominal** and other cues: ``X's claim that …`` / ``his warning that …`` (a noun as the
  cue), ``it was reported (by X) that …`` (no source, or the agent), ``X resigned, saying …``
  and ``with X saying …`` (gerunds), ``"…," he said, adding that …``, ``X claimed A and
  claim B`` (two attributions); cue lists follow the article's language (:meth:`for_language`);
- quoted words inside a clause with no cue (scare quotes, titles, names) are skipped;
- a pronoun speaker is resolved inside its paragraph to a named person (the previous named
  speaker, or the only person-like name before it, with no gender clash): the pronoun stays
  the speaker span, the person becomes ``antecedent``. A name never runs across a sentence.

Cue lists are data (:mod:`.attribution_cues`). Offsets are code-point offsets into the text;
combining marks count as parts of words (an NFD "Zoë" is not cut at the mark).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..records import Span
from .attribution_cues import LANGUAGES, UPPER, load_cues, patterns
from .attribution_pronouns import resolve_pronouns

# Opening mark -> closing marks.
PAIRS = {"“": '”"', "„": "“”", "«": "»", "‹": "›", "「": "」", "『": "』", "‘": "’"}
STRAIGHT = '"'
QUOTE_CHARS = '"“”«»„‘’‹›「」『』'
TRAIL = " \t\u00a0\u202f,.،"
LEAD = " \t\u00a0\u202f"
_SENTENCE_END = re.compile(rf"[.!?؟]+[\"”»’]?[ \t\u00a0]+(?=[{UPPER}\"“«„‘(\u0600-\u06ff])|\n+")
_ABBREVIATION = re.compile(r"(?:\b(?:Mr|Ms|Mrs|Dr|St|Jr|Sr|Prof|Gen|Gov|Sen|Rep|No|vs)|\b[A-Z])$")


def sentence_ends(text: str) -> list[re.Match[str]]:
    """The sentence-end matches of ``text`` (a line break, or ``. ! ? ؟`` before a capital or a
    quotation mark, not after Mr, Dr, an initial...)."""
    return [
        m
        for m in _SENTENCE_END.finditer(text)
        if m.group()[0] == "\n" or not _ABBREVIATION.search(text, max(0, m.start() - 5), m.start())
    ]


def _last_cut(text: str) -> int:
    return max((m.end() for m in sentence_ends(text)), default=0)


_TOKEN = re.compile(r"\w+")
_CITATION = re.compile(r"^\s*[—–-]\s+\S")
_PASSIVE = re.compile(r"\b(?:was|were|is|are|been|being|be)\b")
_INFINITIVE = re.compile(r"\b(?:to|will|would|must|should|could|can|may|might|not|do|does|did)\s+$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the sentences of ``text``: split at ``. ! ? ؟`` before a capital or
    a quotation mark (not after Mr, Dr, initials...) and at line breaks."""
    spans, start = [], 0
    for m in sentence_ends(text):
        end = m.start() if m.group().startswith("\n") else m.end()
        if text[start:end].strip():
            spans.append((start, end))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _quoted_spans(sentence: str) -> list[tuple[int, int]]:
    """Spans of ``sentence`` between quotation marks (an unclosed mark quotes to the end)."""
    if not any(ch in sentence for ch in QUOTE_CHARS if ch not in "’‘"):
        return []
    return [(a, b + 1 if b is not None else len(sentence)) for a, b in find_quoted(sentence)]


def _inside_any(q: QuoteProposal, offset: int, spans: Sequence[tuple[int, int]]) -> bool:
    parts = [p for p in (q.cue, q.speaker) if p is not None]
    return any(a <= p.start - offset < b for p in parts for a, b in spans)


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
                elif ch == "”" and (i == 0 or line[i - 1].isspace()) and line[i + 1 : i + 2].strip():
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
    while end > start and (text[end - 1] in TRAIL or text[end - 1] in "!?؟" and end - start > 1):
        if text[end - 1] in "!?؟":
            break
        end -= 1
    return start, end


@dataclass(slots=True)
class QuoteProposal:
    """A proposed attribution: content span, kind, speaker and cue spans (if found)."""

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
    gap: str = ""  # text between a preceding cue and the opening mark


def _span(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])


def _word_count(s: str) -> int:
    return len(re.findall(r"\w+", s))


def _looks_like_title(s: str) -> bool:
    """Title-case words and no sentence punctuation: a headline or a name in quotes."""
    words = re.findall(r"[^\W\d_][\w'’-]*", s)
    if not words or any(ch in s for ch in ".!?;"):
        return False
    return sum(1 for w in words if w[0].isupper()) / len(words) >= 0.6


@dataclass
class AttributionExtractor:
    """Rule-based attributions; see the module documentation."""

    languages: tuple[str, ...] = LANGUAGES
    indirect: bool = True
    min_words_without_cue: int = 4
    window: int = 120

    def __post_init__(self) -> None:
        self.p = patterns(tuple(self.languages))
        self.cues = load_cues(tuple(self.languages))
        self._by_language: dict[str, AttributionExtractor] = {}

    def for_language(self, language: str | None) -> AttributionExtractor:
        """This extractor with the cue lists of ``language`` only (a BCP 47 tag; its primary
        subtag counts) when it is one of its languages, else itself: French ``assure`` or
        ``note`` are no cues in an English article."""
        primary = (language or "").split("-")[0].lower()
        if primary not in self.languages or len(self.languages) == 1:
            return self
        if primary not in self._by_language:
            self._by_language[primary] = replace(self, languages=(primary,))
        return self._by_language[primary]

    # -- spans ---------------------------------------------------------------------------
    def _speaker(self, text: str, start: int, end: int) -> Span:
        words = text[start:end].split(" ")
        while len(words) > 1 and words[0] in self.cues.function_words and words[1][:1].isupper():
            start += len(words[0]) + 1
            words = words[1:]
        possessive = max((i for i, w in enumerate(words[:-1]) if w.endswith(("'s", "’s"))), default=-1)
        if possessive >= 0 and words[-1][:1].isupper():
            start += sum(len(w) + 1 for w in words[: possessive + 1])
            words = words[possessive + 1 :]
        if words[-1][:1].isupper():
            while len(words) > 1 and words[0] in self.cues.titles:
                start += len(words[0]) + 1
                words = words[1:]
        end = start + len(" ".join(words))
        while end > start and text[end - 1] in ",.;:، ":
            end -= 1
        return _span(text, start, end)

    def _set(self, text: str, q: QuoteProposal, offset: int, m: re.Match[str]) -> None:
        spk = "spk" if m.groupdict().get("spk") else "spk2"
        cue = "cue" if m.groupdict().get("cue") else "cue2"
        q.speaker = self._speaker(text, offset + m.start(spk), offset + m.end(spk))
        appos = m.groupdict().get("appos")
        if (
            appos
            and not re.fullmatch(self.p.name, q.speaker.text)
            and re.fullmatch(self.p.name, appos.strip())
        ):
            # "The head of the port authority, Jane Roe, said": the name is the source
            start = offset + m.start("appos") + len(appos) - len(appos.lstrip())
            q.speaker = _span(text, start, start + len(appos.strip()))
        q.cue = _span(text, offset + m.start(cue), offset + m.end(cue))
        q.gap = m.groupdict().get("gap") or ""

    def _first_cue(self, s: str) -> int:
        """Offset of the first word of ``s`` that belongs to a cue, or -1 (a fast pre-check)."""
        tokens = self.cues.tokens
        return next((m.start() for m in _TOKEN.finditer(s) if m.group().lower() in tokens), -1)

    # -- direct quotes -------------------------------------------------------------------
    def _attribute(self, text: str, q: QuoteProposal, nxt: QuoteProposal | None) -> None:
        after = (q.close_mark + 1) if q.close_mark is not None else q.end
        limit = min(len(text), after + self.window)
        if nxt is not None and nxt.open_mark is not None:
            limit = min(limit, nxt.open_mark)
        newline = text.find("\n", after, limit)
        post = text[after : newline if newline >= 0 else limit]
        ended = q.close_mark is not None and text[q.close_mark - 1] == "." and post[:2].strip()[:1].isupper()
        if q.close_mark is not None and not ended:
            for pattern in self.p.post:
                m = pattern.match(post)
                if m:
                    self._set(text, q, after, m)
                    return
        begin = q.open_mark if q.open_mark is not None else q.start
        line_start = text.rfind("\n", 0, begin) + 1
        lead_start = max(line_start, begin - self.window * 2)
        lead = text[lead_start:begin]
        cut = _last_cut(lead)
        lead, lead_start = lead[cut:], lead_start + cut
        if not lead.strip() and line_start >= 2 and text[line_start - 2 : line_start] == "\n\n":
            # A paragraph that is only a quote, after one ending in a colon ("X tweeted:").
            prev_start = text.rfind("\n", 0, line_start - 2) + 1
            prev = text[prev_start : line_start - 2]
            if prev.rstrip().endswith((":", ",")):
                cut = _last_cut(prev)
                lead, lead_start = prev[cut:], prev_start + cut
        first = self._first_cue(lead)
        if first < 0:
            return
        for pattern in self.p.pre:
            m = pattern.search(lead, max(0, first - 150))
            if m:
                self._set(text, q, lead_start, m)
                return

    def _direct(self, text: str) -> list[QuoteProposal]:
        out: list[QuoteProposal] = []
        for open_at, close_at in find_quoted(text):
            line_end = text.find("\n", open_at)
            raw_end = close_at if close_at is not None else (len(text) if line_end < 0 else line_end)
            start, end = _trim(text, open_at + 1, raw_end)
            if end > start and any(ch.isalpha() for ch in text[start:end]):
                out.append(QuoteProposal(start, end, text[start:end], open_mark=open_at, close_mark=close_at))
        for i, q in enumerate(out):
            self._attribute(text, q, out[i + 1] if i + 1 < len(out) else None)
        kept: list[QuoteProposal] = []
        for q in out:
            prev = kept[-1] if kept else None
            if (
                q.speaker is None
                and prev is not None
                and prev.speaker
                and "\n" not in text[prev.end : q.start]
            ):
                between = text[(prev.close_mark or prev.end) + 1 : q.open_mark]
                if len(between) <= self.window and prev.cue is not None and prev.cue.start >= prev.end:
                    q.speaker, q.antecedent, q.inherited = prev.speaker, prev.antecedent, True
                    if not re.search(r"[.!?؟;]", between) and between.rstrip().endswith((",", ":", "،")):
                        q.cue = prev.cue  # one quote interrupted by its attribution: linked parts
            elif q.speaker is None and prev is not None and prev.speaker and q.open_mark is not None:
                # A paragraph that is only a quote, after a paragraph whose last attributed quote
                # ends it with a colon (X called it "dangerous":): the same speaker, no cue.
                between = text[(prev.close_mark or prev.end) + 1 : q.open_mark]
                head, sep, tail = between.partition("\n\n")
                colon = sep and "\n" not in head and not tail.strip() and head.rstrip().endswith((":", ","))
                if colon and len(head) <= 40 and not re.search(r"[.!?؟]", head):
                    q.speaker, q.antecedent, q.inherited = prev.speaker, prev.antecedent, True
                elif sep and not tail.strip() and self._ends_paragraph(text, prev, head):
                    # '"…," said X.' closing a paragraph, then a paragraph that is only a quote:
                    # the same speaker goes on (the news convention for continued quotes).
                    q.speaker, q.antecedent, q.inherited = prev.speaker, prev.antecedent, True
            if q.speaker is None and q.cue is None:
                if q.close_mark is not None and _CITATION.match(text[q.close_mark + 1 : q.close_mark + 8]):
                    continue  # "Headline" — Outlet, date: a source list
                if _looks_like_title(q.text):
                    continue
                begin = q.open_mark if q.open_mark is not None else q.start
                lead = text[text.rfind("\n", 0, begin) + 1 : begin]
                lead = lead[_last_cut(lead) :]
                if re.search(r"\w", lead) and not lead.rstrip().endswith((":", ",")):
                    continue  # quoted words inside a clause with no cue: scare quotes, titles
                if _word_count(q.text) < self.min_words_without_cue and not self.p.cue_near.search(
                    text[max(0, begin - 60) : begin]
                ):
                    continue
            kept.append(q)
        return kept

    @staticmethod
    def _ends_paragraph(text: str, prev: QuoteProposal, head: str) -> bool:
        """``prev`` is attributed after its closing mark, and that attribution ends its
        paragraph (``head`` is the text from the closing mark to the paragraph break)."""
        if prev.cue is None or prev.speaker is None or prev.cue.start < prev.end or "\n" in head:
            return False
        after = (prev.close_mark or prev.end) + 1
        end = max(prev.cue.end, prev.speaker.end) - after
        rest = head[end:].strip() if 0 <= end <= len(head) else "x"
        return len(head) <= 80 and rest in ("", ".") and head.rstrip().endswith(".")

    def _mixed(self, text: str, q: QuoteProposal, sentences: Sequence[tuple[int, int]]) -> bool:
        """Turn a quote inside a reported clause into the clause (``said a "…" is needed``)."""
        if q.cue is None or q.inherited or q.cue.end > (q.open_mark or q.start):
            return False
        sent_end = next((e for s, e in sentences if s <= q.start < e), len(text))
        gap = q.gap.strip()
        raw_gap = text[q.cue.end : q.open_mark].rstrip()
        if not gap or raw_gap.endswith((",", ":", "،")) or self.p.gap_words.match(gap + " "):
            return False
        m = self.p.comp_start.match(text, q.cue.end)
        start, end = _trim(text, m.end() if m else q.cue.end, sent_end)
        if end <= start:
            return False
        q.start, q.end, q.text, q.kind = start, end, text[start:end], "indirect"
        return True

    # -- reported speech ------------------------------------------------------------------
    def _reported(
        self, text: str, sentences: Sequence[tuple[int, int]], taken: list[tuple[int, int]]
    ) -> list[QuoteProposal]:
        out = []
        pronouns = {k.lower() for k in self.cues.pronouns}
        for s, e in sentences:
            if any(a < e and s < b for a, b in taken):
                continue
            sentence = text[s:e]
            quoted = _quoted_spans(sentence)
            first = self._first_cue(sentence)
            if first < 0:
                continue
            near = max(0, first - 150)  # a speaker starts at most this far before a cue
            found = self._nominal_or_passive(text, s, sentence, pronouns)
            if found:
                out += found
                continue
            for n, pattern in enumerate(self.p.reported):
                m = pattern.search(sentence, near if n in (0, 4) else 0)
                if not m:
                    continue
                cs, ce = _trim(text, s + m.start("content"), s + m.end("content"))
                short = _word_count(text[cs:ce]) < 4
                if short and not (n == 0 and self._nominal_object(m.group("cue"), text[cs:ce])):
                    continue
                q = QuoteProposal(cs, ce, text[cs:ce], "indirect")
                self._set(text, q, s, m)
                if quoted and _inside_any(q, s, quoted):
                    continue  # the cue or the speaker is inside quotation marks
                if q.speaker is None or (
                    q.speaker.text in self.cues.function_words and q.speaker.text.lower() not in pronouns
                ):
                    continue  # "Cette annonce ne satisfait…": a noun, not a cue
                if q.cue is not None and _INFINITIVE.search(text, max(0, q.cue.start - 12), q.cue.start):
                    continue  # "in order to maintain an exception": an infinitive, not a cue
                one_word = q.cue is not None and " " not in q.cue.text and q.speaker.end <= q.cue.start
                if one_word and q.cue is not None and _PASSIVE.search(text, q.speaker.end, q.cue.start):
                    continue  # "I was hauled in and told that": the listener, not the source
                if q.speaker.text.endswith(("'s", "’s")):
                    continue  # "Smith's claim ...": a noun, not a cue
                self._skip_listener(text, q)
                out += self._split_coordinated(text, q)
                break
            else:
                out += self._gerund(text, s, sentence, pronouns)
        return out

    def _nominal_or_passive(
        self, text: str, s: int, sentence: str, pronouns: set[str]
    ) -> list[QuoteProposal]:
        """``X's claim that …`` / ``his warning that …`` (a noun as the cue) and ``it was
        reported (by X) that …`` (no source, or the agent as the source)."""
        hint = self.p.nominal_hint.search(sentence)
        m = self.p.nominal.search(sentence, max(0, hint.start() - 150)) if hint is not None else None
        if m is not None:
            q = self._proposal(text, s, m)
            verbs = list(self.p.main_verb.finditer(q.text)) if q is not None else []
            if q is not None and verbs and not sentence[: m.start()].strip(" ,"):
                cut = _trim(text, q.start, q.start + verbs[-1].start())[1]
                if _word_count(text[q.start : cut]) >= 4:  # the claim is the subject of the sentence
                    q.end, q.text = cut, text[q.start : cut]
            if q is not None:
                self._set(text, q, s, m)
                if q.speaker is not None and q.speaker.text not in self.cues.function_words:
                    return [q]
        m = self.p.passive.search(sentence)
        if m is not None:
            q = self._proposal(text, s, m)
            if q is not None:
                q.cue = _span(text, s + m.start("cue"), s + m.end("cue"))
                if m.group("spk"):
                    q.speaker = self._speaker(text, s + m.start("spk"), s + m.end("spk"))
                return [q]
        return []

    def _gerund(self, text: str, s: int, sentence: str, pronouns: set[str]) -> list[QuoteProposal]:
        """``with X saying …`` (X is the source) and ``X resigned, saying …`` (the subject of
        the sentence is)."""
        m = self.p.with_gerund.search(sentence)
        subject = m
        if m is None:
            m = self.p.gerund.search(sentence)
            subject = self.p.subject.match(sentence) if m is not None else None
        if m is None or subject is None:
            return []
        q = self._proposal(text, s, m)
        if q is None:
            return []
        q.cue = _span(text, s + m.start("cue"), s + m.end("cue"))
        q.speaker = self._speaker(text, s + subject.start("spk"), s + subject.end("spk"))
        words = q.speaker.text
        if words in self.cues.function_words and words.lower() not in pronouns:
            return []
        if q.speaker.end > q.cue.start and subject is not m:
            return []
        return [q]

    def _after_attribution(self, text: str, quotes: Sequence[QuoteProposal]) -> list[QuoteProposal]:
        """``"…," he said, adding that …``: the clause after a direct quote's attribution has the
        quote's speaker."""
        out = []
        for q in quotes:
            if q.kind != "direct" or q.speaker is None or q.cue is None or q.cue.start < q.end:
                continue
            m = self.p.after_attribution.match(text, max(q.cue.end, q.speaker.end))
            if m is not None and not any(k.start <= m.start("content") < k.end for k in quotes):
                p = self._proposal(text, 0, m)
                if p is not None:
                    p.speaker, p.antecedent = q.speaker, q.antecedent
                    p.cue = _span(text, m.start("cue"), m.end("cue"))
                    out.append(p)
        return out

    def _nominal_object(self, cue: str, content: str) -> bool:
        """``announced the plan``, ``denied the allegations``: a short noun phrase is the
        content of a cue that takes an object (PARC 3.0 nominal contents)."""
        return cue.lower() in self.cues.object_cues and bool(self.p.short_np.fullmatch(content))

    def _proposal(self, text: str, s: int, m: re.Match[str]) -> QuoteProposal | None:
        cs, ce = _trim(text, s + m.start("content"), s + m.end("content"))
        if _word_count(text[cs:ce]) < 4:
            return None
        return QuoteProposal(cs, ce, text[cs:ce], "indirect")

    def _skip_listener(self, text: str, q: QuoteProposal) -> None:
        """``told CBC News the department will…``: the listener is not in the content."""
        if q.cue is None or not self.p.listener_cue.fullmatch(q.cue.text):
            return
        if re.match(r"\s+(?:that|que)\b", text[q.cue.end : q.start]) or q.start - q.cue.end > 2:
            return  # the clause followed "that" or a listener was already skipped
        m = self.p.listener_object.match(q.text)
        if m and _word_count(q.text[m.end() :]) >= 4:
            q.start += m.end()
            q.text = text[q.start : q.end]

    def _split_coordinated(self, text: str, q: QuoteProposal) -> list[QuoteProposal]:
        """``They claimed A and claim B``: two attributions of one speaker, one per cue."""
        m = self.p.and_cue.search(q.text)
        if m is None or _word_count(q.text[: m.start()]) < 3 or _word_count(q.text[m.end() :]) < 4:
            return [q]
        cue = "cue" if m.group("cue") else "cue2"
        first_end = _trim(text, q.start, q.start + m.start())[1]
        second = QuoteProposal(
            q.start + m.end(),
            q.end,
            text[q.start + m.end() : q.end],
            q.kind,
            q.speaker,
            _span(text, q.start + m.start(cue), q.start + m.end(cue)),
            q.antecedent,
        )
        q.end, q.text = first_end, text[q.start : first_end]
        return [q, second]

    # -- all -------------------------------------------------------------------------------
    def proposals(self, text: str) -> list[QuoteProposal]:
        sentences = sentence_spans(text)
        direct = self._direct(text)
        kept: list[QuoteProposal] = []
        for q in direct:
            if self.indirect and self._mixed(text, q, sentences):
                kept = [k for k in kept if not (q.start <= k.start and k.end <= q.end)]
            elif any(k.kind == "indirect" and k.start <= q.start and q.end <= k.end for k in kept):
                continue  # a second quoted fragment of the same mixed clause
            kept.append(q)
        if self.indirect:
            taken = [
                (q.open_mark if q.open_mark is not None else q.start, (q.close_mark or q.end) + 1)
                for q in kept
            ]
            taken += [(q.start, q.end) for q in kept]
            taken += [(q.speaker.start, q.speaker.end) for q in kept if q.speaker]
            kept.extend(self._reported(text, sentences, taken))
            kept.extend(self._after_attribution(text, kept))
            kept.sort(key=lambda q: q.start)
        resolve_pronouns(self, text, kept)
        return kept
