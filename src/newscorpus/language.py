"""Language of a record: one normalized BCP 47 form, the page's declaration checked against
offline identification of the text (py3langid), as a record step that every format passes.

The form: ``language`` is the lowercase primary language subtag of BCP 47 ("en", "it",
"pt"), region and script dropped ("it-IT", "it_it" and "IT" are all "it"), deprecated
subtags replaced ("iw" -> "he"). A corpus is filtered and split by language, and a text's
language can be checked where its region cannot; the declared tag stays in the provenance
rule when it was not already in that form.

The check: a declared language is kept unless the text is long enough to tell
(:data:`MIN_CHARS_OVERRIDE`) and the identifier is confident in another language
(:data:`MIN_PROBABILITY`) while giving the declared one almost no chance
(:data:`MAX_DECLARED_PROBABILITY`); then the text wins and the rule says what it overrode.
Close languages the identifier confuses (Indonesian and Malay, Bokmål and Danish) keep
their declaration, since the declared one keeps a real probability; and their probabilities
add up when the declaration is of another language altogether (a page declared ``en``
whose text is Indonesian at p=0.8 and Malay at p=0.2 is Indonesian). A record without a
language gets the identified one when the guess is confident.
"""

from __future__ import annotations

from functools import cache
from typing import Any

MIN_CHARS = 40
MIN_CHARS_OVERRIDE = 200
MIN_PROBABILITY = 0.9
MAX_DECLARED_PROBABILITY = 0.01
MAX_SAMPLE = 5000
_DEPRECATED = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro"}


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def prepare() -> None:
    """Load the language model now (e.g. before worker processes fork, so that they inherit
    it instead of loading it each)."""
    _identifier()


def identify(text: str) -> tuple[str, float] | None:
    """``(ISO 639-1 code, probability)`` for ``text``, or None when too short to tell."""
    if len(text) < MIN_CHARS:
        return None
    probs = _probabilities(text)
    lang = max(probs, key=probs.__getitem__)
    return lang, probs[lang]


def normalize_tag(tag: str | None) -> str | None:
    """The record form of a BCP 47 tag: its primary language subtag, lowercase."""
    if not tag:
        return None
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    if not primary.isalpha() or not 2 <= len(primary) <= 3 or primary in ("und", "mul", "zxx"):
        return None
    return _DEPRECATED.get(primary, primary)


# Languages the identifier splits its confidence between (Indonesian and Malay, the
# Scandinavian languages, the Serbo-Croatian standards): the text is surely one of the group.
CLOSE_LANGUAGES = (frozenset({"id", "ms"}), frozenset({"no", "nb", "nn", "da"}),
                   frozenset({"hr", "sr", "bs"}), frozenset({"cs", "sk"}))


def _group_probability(probs: dict[str, float], lang: str) -> float:
    """The probability of ``lang`` with the languages it is close to."""
    group = next((g for g in CLOSE_LANGUAGES if lang in g), frozenset({lang}))
    return sum(probs.get(code, 0.0) for code in group)


# Members of a macrolanguage that py3langid tells apart where written text hardly does: it
# splits Chinese text between zh, wuu (Wu) and yue (Cantonese), all of BCP 47's "zh".
FOLDED = {"wuu": "zh", "yue": "zh"}


def _probabilities(text: str) -> dict[str, float]:
    probs: dict[str, float] = {}
    for lang, p in _identifier().rank(text[:MAX_SAMPLE]):
        code = FOLDED.get(lang, lang)
        probs[code] = probs.get(code, 0.0) + float(p)
    return probs


def add_language(record: dict[str, Any]) -> dict[str, Any]:
    """``language`` normalized, checked against the text, or identified from it when the
    converter found none; the rule recorded in ``provenance``."""
    declared = record.get("language")
    old = record.get("provenance", {}).get("language") or {}
    text = record["text"]
    lang = normalize_tag(declared)
    if lang:
        rule = str(old.get("rule", "declared"))
        if lang and lang != declared:
            rule = f"{rule} {declared}, normalized"
        if len(text) >= MIN_CHARS_OVERRIDE:
            probs = _probabilities(text)
            best = max(probs, key=probs.__getitem__)
            if best != lang and _group_probability(probs, best) >= MIN_PROBABILITY \
                    and probs.get(lang, 0.0) <= MAX_DECLARED_PROBABILITY:
                rule = (f"py3langid p={probs[best]:.2f} over the declared {declared} "
                        f"({old.get('rule', 'declared')}, p={probs.get(lang, 0.0):.2f})")
                lang = best
        if lang == declared and rule == old.get("rule"):
            return record
        entry = {"converter": str(old.get("converter", "normalize")), "rule": rule}
    else:
        guess = identify(text)
        if guess is None or guess[1] < MIN_PROBABILITY:
            return record
        lang = guess[0]
        note = f" (declared {declared!r} is no language tag)" if declared else ""
        entry = {"converter": "normalize", "rule": f"py3langid p={guess[1]:.2f}{note}"}
    provenance = {**record.get("provenance", {}), "language": entry}
    return {**record, "language": lang, "provenance": dict(sorted(provenance.items()))}
