"""Attribution cue lists (``annotate/cues/<language>.yaml``) and the patterns built from them.

The lists are data: a new cue form or a new language is a YAML edit, not a code change. Each
file gives speech verbs (next to quotation marks), reported-speech verbs (before a clause),
verbs taking a listener (``told reporters that``), ``according to`` forms, complementizers,
pronouns with their gender, titles, function words and the head nouns of role speakers, and
optionally passive cues (``it was reported that``), cue nouns (``X's claim that``), gerunds
(``…, saying …``) and possessive pronouns. A language with ``speaker_after_cue: true``
(Arabic) puts the speaker after the verb.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from ..errors import ConfigError

LANGUAGES = ("en", "fr", "ar")
# Combining marks (Latin, Arabic harakat): part of a word even where \w says no (NFD "Zoë").
COMBINING = (
    "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u0610-\u061a\u064b-\u065f\u0670"
)
WORD = rf"[\w{COMBINING}]"
# Pronoun surfaces of every language (never a name, never a speaker surface to compare).
PRONOUN_SURFACES = frozenset(
    ("he", "she", "they", "him", "her", "them", "i", "we", "it", "his", "their")
    + ("il", "elle", "ils", "elles", "lui", "eux", "هو", "هي", "هم")
)
UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"


def alternation(words: list[str] | tuple[str, ...]) -> str:
    """A regex alternation of ``words`` as a prefix tree (``sa(?:ys?|id)``: one character
    compared once, not once per word), longer forms first, a space matching any run of spaces."""
    forms = {w for w in words if w}
    if not forms:
        return r"(?!x)x"
    trie: dict[str, Any] = {}
    for form in forms:
        node = trie
        for ch in form:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_pattern(trie)


def _trie_pattern(node: dict[str, Any]) -> str:
    branches = [
        (r"\s+" if ch == " " else re.escape(ch)) + _trie_pattern(child) for ch, child in node.items() if ch
    ]
    branches.sort(key=len, reverse=True)
    if "" in node:  # a form ends here: the longer continuations are tried first
        return f"(?:{'|'.join(branches)})?" if branches else ""
    return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"


@dataclass(frozen=True)
class Cues:
    """The merged cue lists of several languages, as regex alternations and sets."""

    speech: str
    reported: str
    listener: str
    according: str
    complementizers: str
    nouns: str
    determiners: str
    cue_first: str  # verbs of speaker-after-cue languages
    passive: str  # "it was reported": a cue with no source before the clause
    cue_nouns: str  # "X's claim that ...": a noun as the cue
    gerunds: str  # "..., saying ..." / "with X saying ...": the source is elsewhere
    possessives: str  # "his warning that ..."
    object_cues: frozenset[str]  # "announced the plan": a short noun phrase may be the content
    pronouns: dict[str, str | None]
    possessive_gender: dict[str, str | None]  # his: m, her: f, their: None (for resolution)
    function_words: frozenset[str]
    titles: frozenset[str]
    honorific_gender: dict[str, str]
    tokens: frozenset[str]  # the longest word of every cue form, lower-cased (a fast pre-check)


def _read(language: str) -> dict[str, Any]:
    try:
        raw = resources.files("newscorpus.annotate").joinpath("cues", f"{language}.yaml").read_text("utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"no attribution cue list for language {language!r} (known: {', '.join(LANGUAGES)})"
        ) from None
    data = yaml.safe_load(raw)
    if not isinstance(data, dict):
        raise ConfigError(f"cue list {language}.yaml: expected a mapping")
    return data


@lru_cache(maxsize=8)
def load_cues(languages: tuple[str, ...] = LANGUAGES) -> Cues:
    """The cue lists of ``languages`` merged (cached)."""
    lists: dict[str, list[str]] = {}
    maps: dict[str, dict[str, Any]] = {"pronouns": {}, "honorific_gender": {}, "possessives": {}}
    cue_first: list[str] = []
    for language in languages:
        data = _read(language)
        for key, value in data.items():
            if key in maps:
                maps[key].update({str(k): v for k, v in (value or {}).items()})
            elif isinstance(value, list):
                lists.setdefault(key, []).extend(str(v) for v in value)
        if data.get("speaker_after_cue"):
            cue_first += [str(v) for v in data.get("speech_verbs", []) + data.get("reported_verbs", [])]

    def get(key: str) -> list[str]:
        return lists.get(key, [])

    return Cues(
        speech=alternation(get("speech_verbs")),
        reported=alternation(get("reported_verbs")),
        listener=alternation(get("listener_verbs")),
        according=alternation(get("according")),
        complementizers=alternation(get("complementizers")),
        nouns=alternation(get("nouns")),
        determiners=alternation(get("determiners")),
        cue_first=alternation(cue_first),
        passive=alternation(get("passive_cues")),
        cue_nouns=alternation(get("cue_nouns")),
        gerunds=alternation(get("gerunds")),
        possessives=alternation(list(maps["possessives"])),
        object_cues=frozenset(w.lower() for w in get("object_cues")),
        pronouns=maps["pronouns"],
        possessive_gender=maps["possessives"],
        function_words=frozenset(get("function_words")),
        titles=frozenset(get("titles")),
        honorific_gender=maps["honorific_gender"],
        tokens=frozenset(
            max(re.findall(r"\w+", form), key=len).lower()
            for key in ("speech_verbs", "reported_verbs", "according", "passive_cues", "cue_nouns", "gerunds")
            for form in get(key)
            if re.search(r"\w", form)
        ),
    )


class Patterns:
    """The regular expressions built from one set of cue lists."""

    def __init__(self, c: Cues) -> None:
        sep = r"[ \u00a0]+"
        abbreviation = r"(?:Mr|Ms|Mrs|Dr|St|Prof|Gen|Sen|Gov|Rep|Jr|M|Mme)\."
        cap = rf"(?:{abbreviation}|(?:[{UPPER}]\.){{2,}}|[{UPPER}]\.|[{UPPER}]{WORD}*(?:['’-]{WORD}+)*)"
        link = r"(?:al-|el-|bin|ibn|de|del|della|van|von|der|den|da|di|du|la|le|dos|das|y)"
        self.name = rf"(?:{cap}(?:{sep}(?:{link}{sep})*{cap}){{0,4}}|[a-z]{{1,3}}-{cap}(?:{sep}{cap}){{0,3}})"
        pron_forms = [p for k in c.pronouns for p in {k, k[:1].upper() + k[1:]}]
        pron = rf"(?:{'|'.join(sorted(pron_forms, key=len, reverse=True)) or '(?!x)x'})\b"
        nouns = rf"(?i:{c.nouns})\b"
        of_name = rf"(?:{sep}of(?:{sep}the)?{sep}{cap}(?:{sep}{cap})*|{sep}{cap}(?:{sep}{cap})*)"
        filler = (
            r"(?!(?:which|who|whom|whose|that|on|in|at|by|for|with|from|to|and|or|but)\b)"
            r"(?:(?:[A-Z]\.){2,}|[\w'’-]+)"
        )
        lower = r"[a-zà-öø-ÿ][\w'’-]*"
        # "a neighbour mistakenly thought": the adverb is not in the speaker ("a weekly review" is)
        not_adverb = (
            r"(?!(?!(?:weekly|monthly|daily|yearly|quarterly|family|elderly|assembly)\b)[a-zà-ÿ]{3,}ly\b)"
        )
        # its words are no determiner, relative word or cue ("the authors say the results": no)
        cue_words = (
            "said|says|say|told|tells|added|adds|claimed|claims|claim|believes|believe|argued|argues|"
            "warned|warns|reported|reports|stated|states|noted|notes|confirm|confirms|confirmed|show|"
            "shows|showed|found|suggest|suggests|indicate|indicates|announced|estimates|thinks"
        )
        aux_words = "had|has|have|was|were|is|are|will|would|can|could|did|does"
        plain = (
            rf"(?=[a-zà-ÿ])(?!(?:{c.determiners}|which|who|whom|that|and|or|but|of|to|{cue_words}|{aux_words})\b)"
            rf"{not_adverb}{lower}"
        )
        generic_np = rf"(?:(?:{c.determiners}){sep}(?:{plain}{sep}){{0,3}}{plain})"
        # "a spokesperson for the company", "the head of the port authority"
        pp_tail = (
            rf"(?:{sep}(?:of|for|at|from|in|with)(?:{sep}(?:{c.determiners}))?{sep}"
            rf"(?:{cap}(?:{sep}{cap})*|(?:{plain}{sep}){{0,2}}{nouns}))"
        )
        # the longest head noun ("the opposition leader"), then "of X" or a short phrase
        np = rf"(?:(?:{c.determiners}){sep}(?:{filler}{sep}){{0,4}}{nouns}(?:{of_name}|{pp_tail})?)"
        # a plural or role noun phrase without determiner: Italian secularist associations
        bare_np = rf"(?:{cap}{sep})?(?:{plain}{sep}){{0,2}}{nouns}"
        # a name does not start with a function word ("Recent reports": the noun phrase)
        function_words = alternation(sorted(c.function_words))
        no_function = rf"(?=[{UPPER}]|[a-z]{{1,3}}-)(?!(?:{function_words})\b)"
        speaker = rf"(?:{np}|{pron}|{no_function}{self.name}|{bare_np}|{nouns}|{generic_np})"
        role = rf"(?:(?:(?!(?:{c.determiners})[ ])[a-z][\w'’-]*[ ]+){{1,3}})"
        appos = r"(?:\s*,(?P<appos>[^,.!?\"“”«»\n]{1,90}),)"
        adv = (
            r"(?:(?:(?:also|later|then|further|recently|previously|once|had|has|have|was|were|is|"
            r"repeatedly|again|publicly|reportedly|earlier|had\s+also|has\s+also|[a-z]{3,}ly)\s+){1,2})"
        )
        # "X, the minister, said" or "The head of Y, X, said" (the apposition came first)
        appos_or_comma = rf"(?:{appos}|,)"
        # "X tweeted to Y and said": a first verb phrase coordinated with the cue
        coordinated = r"(?:[a-z][\w'’-]*(?:\s+[\w'’-]+){0,4}?\s+and\s+)"
        # "Devocht, who had told Montalvo …": the relative pronoun stands for the name
        relative = r"(?:\s*,\s+who(?=\s))"
        verb = rf"(?:{c.speech})"
        rep = rf"(?:{c.reported})"
        comp = rf"(?:{c.complementizers})(?:(?<=['’])|\b)"
        ar_spk = r"(?:[^\s:،,«»\"“”.]+(?:\s+[^\s:،,«»\"“”.]+){0,5}?)"
        self.post = [
            re.compile(
                r"^[\s,]*(?:(?:a|ont|avait|avaient|aurait)-(?:t-)?(?P<spk>il|elle|ils|elles)\s+(?P<cue>\w+)|"
                r"(?P<cue2>\w+)-t-(?P<spk2>il|elle|ils|elles))\b"
            ),
            re.compile(rf"^[\s,]*(?P<cue>{verb})\s+(?:{role})?(?P<spk>{speaker})"),
            re.compile(
                rf"^[\s,]*(?!(?:and|but|or|while|as|when|which|who)\b)(?:{role})?(?P<spk>{speaker}){appos}?"
                rf"\s+{adv}?(?P<cue>{verb})\b"
            ),
            re.compile(rf"^[\s,]*(?P<cue>(?i:{c.according}))\s+(?P<spk>{speaker})"),
            re.compile(rf"^[\s,،]*(?P<cue>{c.cue_first})\s+(?P<spk>{ar_spk})(?=\s*(?:[.،,]|$))"),
        ]
        self.pre = [
            re.compile(rf"(?P<cue>(?i:{c.according}))\s+(?:{role})?(?P<spk>{speaker}){appos}?[\s,:]*$"),
            re.compile(
                rf"(?<![\w'’-])(?P<spk>{speaker}){appos_or_comma}?\s+{adv}?(?P<cue>{verb})\b(?P<gap>[^.!?;\"“”«»\n]{{0,90}}?)[\s,:]*$"
            ),
            re.compile(rf"(?P<cue>{c.cue_first})\s+(?P<spk>{ar_spk})\s*(?:{comp})?\s*[:،,]?\s*$"),
        ]
        self.cue_near = re.compile(rf"\b(?:{verb})\b[^.!?\n]{{0,40}}$|:\s*$")
        clause = r"(?P<content>[^\s,].{8,})$"
        # words that do not open a reported clause: a preposition (said to, called for), an
        # auxiliary (the case the court ruled was ...), "as" (described as)
        not_content = (
            "to|by|for|in|on|at|of|with|from|about|so|nothing|yes|no|as|was|is|were|are|has|have|"
            "had|will|would|can|could|should|did|does|upon|off|up|out|back"
        )
        # the listener after "told" when no "that" follows: told reporters / CBC News / him
        self.listener_cue = re.compile(rf"(?:{c.listener})")
        self.listener_object = re.compile(
            rf"(?:(?:[Tt]he\s+)?{cap}(?:{sep}{cap}){{0,4}}|him|her|them|us|me|reporters|journalists|"
            rf"(?:the|a|an)\s+(?:{lower}\s+){{0,2}}?(?:{nouns})(?:\s+{nouns})?)(?:\s*,)?\s+(?=\S)"
        )
        self.gap_words = re.compile(rf"^[\s,]*(?:(?:{c.listener}|[\w'’-]+)[\s,]+){{0,4}}?(?:{comp})\s*$")
        self.comp_start = re.compile(rf"[\s,]*(?:(?:[\w'’-]+[\s,]+){{0,4}}?{comp}\s*|\s*)")
        # what may follow a sentence-final cue: an adverbial (on Monday, in a statement), not an
        # object ("denied these allegations") nor a clause ("was told to leave")
        final_tail = (
            r"(?:\s+(?:on|in|at|during|after|before|last|this|yesterday|today|tonight|earlier|later|"
            r"recently|again|also|when|while|from|[A-Z]\w+)\b[^.!?,:]{0,40})?\s*[.!?]?$"
        )
        # ", sociologue français et professeur …," / ", a lawyer for the family,": a role in
        # apposition (lower case, no auxiliary verb: not ", Warhol was able to …,")
        aux = r"is|was|are|were|will|would|has|have|had|can|could|est|sont|ont|sera|était"
        role_appos = rf"\s*,\s*(?=[a-zà-ÿ])(?![^,]*\b(?:{aux})\b)[^,.!?\"“”«»\n]{{1,90}},\s*"
        self.reported = [
            re.compile(
                rf"(?<![\w'’-])(?:{role})?(?P<spk>{speaker})(?:{relative}|{appos_or_comma})?\s+{adv}?{coordinated}??"
                rf"(?P<cue>{rep})\b(?:\s+(?:[\w'’-]+\s+){{0,5}}?{comp}[\s,]*|\s+{comp}[\s,]*|"
                rf"\s+(?!(?:{not_content})\b)){clause}"
            ),
            re.compile(
                rf"^(?:[^,]{{0,40}},\s*)?(?P<cue>(?i:{c.according}))\s+(?:{role})?(?P<spk>{speaker}|[^,]{{2,60}}?)(?:\s*,\s*(?P<appos>{self.name})\s*,\s*|{role_appos}|\s*,\s*){clause}",
            ),
            re.compile(
                rf"^(?P<content>[^\s,].{{8,}}?)\s*,\s*(?P<cue>(?i:{c.according}))\s+(?:{role})?(?P<spk>[^,.]{{2,80}}?)\s*[.!?]?$",
            ),
            re.compile(
                rf"^(?P<content>[^\s,].{{8,}}?),\s+(?:(?:{role})?(?P<spk>{speaker}){appos}?\s+{adv}?(?P<cue>{rep})|"
                rf"(?P<cue2>{rep})\s+(?:{role})?(?P<spk2>{speaker}))\b{final_tail}"
            ),
            re.compile(rf"(?P<cue>{c.cue_first})\s+(?P<spk>{ar_spk})\s+(?:{comp})\s*(?P<content>\S.{{4,}})$"),
            # "According to Rathbun the property was returned": no comma after a name
            re.compile(
                rf"^(?P<cue>(?i:{c.according}))\s+(?P<spk>{self.name})\s+(?=(?:{c.determiners})\s){clause}"
            ),
        ]
        poss = rf"(?i:{c.possessives})"
        self.short_np = re.compile(
            rf"(?:{c.determiners}|{c.possessives})\s+(?:{lower}\s+){{0,1}}{lower}[.!?]?", re.IGNORECASE
        )
        self.nominal_hint = re.compile(rf"\b(?i:{c.cue_nouns})\s+(?:{comp})")
        self.nominal = re.compile(
            rf"(?<![\w'’-])(?:(?:{role})?(?P<spk>{self.name}|{np}|{bare_np})['’]s?|(?P<spk2>{poss}))\s+"
            rf"(?:{lower}\s+){{0,2}}?(?P<cue>(?i:{c.cue_nouns}))\s+(?:{comp})\s*"
            rf"(?P<content>[^\s,][^,;]{{8,}}?)\s*(?:[,;]|[.!?]?$)"
        )
        # the main verb after a nominal content that is the subject ("… fail was rejected")
        self.main_verb = re.compile(
            r"\s(?:was|were|is|are|has|have|had|went|drew|sparked|prompted|caused|came|met|proved|"
            r"seemed|appeared|remains|remained)\s"
        )
        self.passive = re.compile(
            rf"(?<![\w'’-])(?P<cue>(?i:{c.passive}))(?:\s+by\s+(?:the\s+)?(?P<spk>{speaker}))?\s*,?\s+(?:{comp})\s*"
            rf"(?P<content>[^\s,].{{8,}})$"
        )
        gerund_clause = rf"\s+(?:{comp}[\s,]*|(?!(?:{not_content})\b))(?P<content>[^\s,].{{8,}})$"
        self.gerund = re.compile(rf",\s+(?P<cue>{c.gerunds}){gerund_clause}")
        self.with_gerund = re.compile(rf"\bwith\s+(?P<spk>{speaker})\s+(?P<cue>{c.gerunds}){gerund_clause}")
        # '"…," he said, adding that …': a reported clause after a direct quote's attribution
        self.after_attribution = re.compile(
            rf"[^,\"“”«»\n.!?]{{0,40}}?,\s*(?P<cue>{c.gerunds})\s+(?:{comp}[\s,]*)?(?P<content>[^\s,\"“”«»\n][^\"“”«»\n]{{8,}}?)"
            rf"[.!?](?=\s|$)"
        )
        self.subject = re.compile(rf"^(?:[^,]{{0,60}},\s+)??(?:{role})?(?P<spk>{speaker})(?=\s+[a-z])")
        # "They claimed A and claim B" / "X said A, adding that B": a second cue in the clause
        self.and_cue = re.compile(
            rf"(?:[\s,]+and\s+(?:also\s+)?(?P<cue>{rep})|,\s+(?P<cue2>{c.gerunds}))\b\s+(?:{comp}[\s,]*)?(?=\S)"
        )
        hons = "|".join(re.escape(t) for t in sorted(c.honorific_gender, key=len, reverse=True))
        self.person = re.compile(
            rf"(?:(?P<hon>{hons or '(?!x)x'}){sep})?(?P<name>{cap}(?:{sep}(?:{link}{sep})*{cap}){{0,3}})"
        )


@lru_cache(maxsize=8)
def patterns(languages: tuple[str, ...] = LANGUAGES) -> Patterns:
    return Patterns(load_cues(languages))
