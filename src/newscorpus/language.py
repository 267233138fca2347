"""Offline language identification (py3langid), as a record step: a record whose converter
found no language gets one, with its provenance and only when the guess is confident."""

from __future__ import annotations

from functools import cache
from typing import Any

MIN_CHARS = 40
MIN_PROBABILITY = 0.9


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify(text: str) -> tuple[str, float] | None:
    """``(ISO 639-1 code, probability)`` for ``text``, or None when too short to tell."""
    if len(text) < MIN_CHARS:
        return None
    lang, prob = _identifier().classify(text)
    return lang, float(prob)


def add_language(record: dict[str, Any]) -> dict[str, Any]:
    """Set ``language`` from the text when the converter left it empty and the guess is
    confident; record the rule in ``provenance``."""
    if record.get("language"):
        return record
    guess = identify(record["text"])
    if guess is None or guess[1] < MIN_PROBABILITY:
        return record
    provenance = {**record.get("provenance", {}),
                  "language": {"converter": "normalize", "rule": f"py3langid p={guess[1]:.2f}"}}
    return {**record, "language": guess[0], "provenance": dict(sorted(provenance.items()))}
