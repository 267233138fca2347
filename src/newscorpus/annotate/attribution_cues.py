"""Attribution cue lists (``annotate/cues/<language>.yaml``) and the patterns built from them.

The lists are data: a new cue form or a new language is a YAML edit, not a code change. Each
file gives speech verbs (next to quotation marks), reported-speech verbs (before a clause),
verbs taking a listener (``told reporters that``), ``according to`` forms, complementizers,
pronouns with their gender, titles, function words and the head nouns of role speakers.
A language with ``speaker_after_cue: true`` (Arabic) puts the speaker after the verb.
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
UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"


def alternation(words: list[str] | tuple[str, ...]) -> str:
    """A regex alternation of ``words``, longest first, spaces matching any run of spaces."""
    forms = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in forms) or r"(?!x)x"


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
    pronouns: dict[str, str | None]
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
    maps: dict[str, dict[str, Any]] = {"pronouns": {}, "honorific_gender": {}}
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
        pronouns=maps["pronouns"],
        function_words=frozenset(get("function_words")),
        titles=frozenset(get("titles")),
        honorific_gender=maps["honorific_gender"],
        tokens=frozenset(
            max(re.findall(r"\w+", form), key=len).lower()
            for key in ("speech_verbs", "reported_verbs", "according")
            for form in get(key)
            if re.search(r"\w", form)
        ),
    )
