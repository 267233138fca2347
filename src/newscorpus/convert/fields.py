"""Metadata field values shared by converters: language tags, keyword lists, one-line text.

Authors have their own module, :mod:`newscorpus.convert.bylines`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..text import normalize

_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def language_tag(value: object) -> str | None:
    """A BCP 47 tag as records store it (``en-us`` → ``en-US``, ``EN`` → ``en``), or None
    when ``value`` is not a language tag."""
    if not isinstance(value, str):
        return None
    parts = value.strip().replace("_", "-").split("-")
    if not parts or not parts[0]:
        return None
    tag = "-".join([parts[0].lower()] + [p.upper() if len(p) == 2 else p for p in parts[1:]])
    return tag if _LANGUAGE.match(tag) else None


def unique_strings(values: Iterable[object]) -> list[str]:
    """Normalized, non-empty strings from ``values``; duplicates dropped, order kept."""
    out: list[str] = []
    for value in values:
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            text = normalize(str(value))
            if text and text not in out:
                out.append(text)
    return out


def single_line_text(value: object) -> str | None:
    """``value`` as one normalized line, or None when it is not a non-empty string."""
    if not isinstance(value, str):
        return None
    return normalize(value) or None
