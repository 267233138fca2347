"""Per-format converter options, from the workspace config and the command line.

Each converter may declare its own options dataclass (``Converter.Options``; the HTML
converter's is :class:`~newscorpus.convert.html.ExtractionOptions`). Users reach them through
the workspace config::

    convert:
      html: {favor_precision: false, mode: full}

or the CLI's ``--option html.favor_precision=false`` (which wins over the config). Keys and
values are checked against the dataclass: an unknown format, an unknown key or a value of the
wrong type is a one-line :class:`~newscorpus.errors.ConfigError` naming it.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import ConfigError, UnknownFormatError
from . import registry

_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def parse_assignments(assignments: Iterable[str]) -> dict[str, dict[str, str]]:
    """``["html.mode=full"]`` -> ``{"html": {"mode": "full"}}`` (values still strings)."""
    out: dict[str, dict[str, str]] = {}
    for text in assignments:
        key, sep, value = text.partition("=")
        fmt, dot, name = key.strip().partition(".")
        if not sep or not dot or not fmt or not name:
            raise ConfigError(f"--option {text!r}: expected FORMAT.KEY=VALUE, e.g. html.mode=full")
        out.setdefault(fmt, {})[name] = value.strip()
    return out


def _coerce(where: str, value: Any, annotation: Any) -> Any:
    kind = annotation if isinstance(annotation, type) else None
    if kind is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in _TRUE | _FALSE:
            return value.lower() in _TRUE
        raise ConfigError(f"{where} must be true or false, got {value!r}")
    if kind in (int, float):
        if isinstance(value, bool):
            raise ConfigError(f"{where} must be a number, got {value!r}")
        try:
            number = kind(value)  # type: ignore[misc]
        except (TypeError, ValueError):
            raise ConfigError(f"{where} must be {'an integer' if kind is int else 'a number'}, "
                              f"got {value!r}") from None
        if kind is int and isinstance(value, float) and not value.is_integer():
            raise ConfigError(f"{where} must be an integer, got {value!r}")
        return number
    if kind is str:
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise ConfigError(f"{where} must be a string, got {value!r}")
        return str(value)
    return value


def format_options(*specs: Mapping[str, Any] | None) -> tuple[tuple[str, Any], ...]:
    """Options dataclass instances per format from ``specs`` (later ones win), for
    :attr:`ConvertOptions.formats <newscorpus.convert.base.ConvertOptions.formats>`."""
    merged: dict[str, dict[str, Any]] = {}
    for spec in specs:
        for fmt, values in (spec or {}).items():
            if not isinstance(values, Mapping):
                raise ConfigError(f"convert.{fmt} must be a mapping of option names to values")
            merged.setdefault(str(fmt), {}).update(values)
    out: list[tuple[str, Any]] = []
    for fmt, values in sorted(merged.items()):
        try:
            cls = registry.get(fmt)
        except UnknownFormatError as exc:
            raise ConfigError(f"convert.{fmt}: {exc}") from None
        options_cls = cls.Options
        if options_cls is None:
            raise ConfigError(f"convert.{fmt}: the {fmt} converter takes no options")
        hints = typing.get_type_hints(options_cls)
        fields = {f.name for f in dataclasses.fields(options_cls)}
        unknown = sorted(set(values) - fields)
        if unknown:
            raise ConfigError(f"convert.{fmt}: unknown option {unknown[0]!r} "
                              f"(known: {', '.join(sorted(fields))})")
        kwargs = {k: _coerce(f"convert.{fmt}.{k}", v, hints.get(k)) for k, v in values.items()}
        try:
            out.append((fmt, options_cls(**kwargs)))
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"convert.{fmt}: {exc}") from None
    return tuple(out)


def describe(fmt: str) -> list[tuple[str, str, Any]]:
    """``(name, type, default)`` of each option of format ``fmt`` (for help and docs)."""
    options_cls = registry.get(fmt).Options
    if options_cls is None:
        return []
    hints = typing.get_type_hints(options_cls)
    return [(f.name, getattr(hints.get(f.name), "__name__", str(hints.get(f.name))), f.default)
            for f in dataclasses.fields(options_cls)]
