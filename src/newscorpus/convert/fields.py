"""Metadata field values shared by converters: author lists, language tags, keyword lists.

Sources give authors as one string ("By Ana Lima and Jonas Berg"), as lists, or as lists
of objects; records always hold one name per item, in byline order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..text import normalize

_BY = re.compile(r"^(?:by|par|von|por|di|door|av|af)\s+", re.IGNORECASE)
_AND = re.compile(r"\s*(?:;|\||\s&\s|\band\b|\bund\b|\bet\b)\s*", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_EMAIL_NAME = re.compile(r"^\s*[^@\s()]+@[^@\s()]+\s*\((?P<name>[^)]+)\)\s*$")
_EMAIL_IN_PARENS = re.compile(r"\s*[(<][^()<>@\s]+@[^()<>\s]+[)>]")
_TRAILING_PUNCT = re.compile(r"^[\s,.;:–—-]+|[\s,.;:–—-]+$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def split_authors(value: str | None) -> list[str]:
    """Author names in a byline string, one per item.

    Splits on ``;``, ``|``, ``&``, "and", "und" and "et"; splits on commas
    only when every piece has two words or more, so "Doe, Jane" stays one name. Drops a
    leading "By", bare e-mail addresses and "(jane@x.org)", and keeps the name of
    "jane@x.org (Jane Doe)".
    """
    if not value:
        return []
    value = normalize(value)
    m = _EMAIL_NAME.match(value)
    if m:
        value = m.group("name")
    value = _BY.sub("", _EMAIL_IN_PARENS.sub("", value))
    names: list[str] = []
    for piece in _AND.split(value):
        commas = [p.strip() for p in piece.split(",") if p.strip()]
        if len(commas) > 1 and all(len(p.split()) >= 2 for p in commas):
            names.extend(commas)
        else:
            names.append(piece)
    out: list[str] = []
    for name in names:
        name = _TRAILING_PUNCT.sub("", _BY.sub("", name.strip()))
        if name and not _EMAIL.match(name) and name not in out:
            out.append(name)
    return out


def author_list(values: Iterable[object]) -> list[str]:
    """Names from a list of strings or objects with a ``name``, each string split by
    :func:`split_authors`; duplicates dropped, order kept."""
    out: list[str] = []
    for value in values:
        if isinstance(value, dict):
            value = value.get("name")
        if isinstance(value, str):
            for name in split_authors(value):
                if name not in out:
                    out.append(name)
    return out


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
