"""Lazy registry of converters.

Converters are registered as ``"module:Class"`` strings — the built-ins below, plus any
installed package's entry points in the group ``newscorpus.converters`` — and imported on
first use. A miss lists the known names; an import failure gives an install hint.
"""

from __future__ import annotations

import importlib
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path

from ..errors import MissingDependencyError, UnknownFormatError
from .base import Converter

ENTRY_POINT_GROUP = "newscorpus.converters"

BUILTIN: dict[str, str] = {
    "pagedump": "newscorpus.convert.pagedump:PageDumpConverter",
    "html": "newscorpus.convert.html:HtmlConverter",
    "warc": "newscorpus.convert.warc:WarcConverter",
    "feed": "newscorpus.convert.feeds:FeedConverter",
    "nitf": "newscorpus.convert.nitf:NitfConverter",
    "newsml": "newscorpus.convert.newsml:NewsMLConverter",
    "jsonl": "newscorpus.convert.tabular:JsonlConverter",
    "csv": "newscorpus.convert.tabular:CsvConverter",
    "json": "newscorpus.convert.wirejson:JsonConverter",
}

_registered: dict[str, str] = {}


def register(name: str, target: str) -> None:
    """Register ``"module:Class"`` under ``name`` (overrides entry points and built-ins)."""
    _registered[name] = target
    _load.cache_clear()


@cache
def _entry_point_targets() -> dict[str, str]:
    return {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}


def known() -> dict[str, str]:
    """Every known converter name and its ``"module:Class"`` target, without importing any."""
    return {**BUILTIN, **_entry_point_targets(), **_registered}


@cache
def _load(name: str) -> type[Converter]:
    targets = known()
    if name not in targets:
        raise UnknownFormatError(
            f"unknown input format {name!r}; known formats: {', '.join(sorted(targets))}"
        )
    module_name, _, attr = targets[name].partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise MissingDependencyError(f"converter {name!r} cannot be imported: {_install_hint(name, exc)}"
                                     ) from exc
    cls: type[Converter] = getattr(module, attr)
    return cls


def _install_hint(name: str, exc: ImportError) -> str:
    """What to install: a built-in converter needs only newscorpus' own dependencies (the
    hint names the missing module); a plug-in converter names the package providing it."""
    missing = f"{exc.name or 'a module it needs'} is not installed"
    if name in BUILTIN and name not in _registered and name not in _entry_point_targets():
        return f"{missing} (a dependency of newscorpus); try: pip install --force-reinstall newscorpus"
    dist = next((ep.dist.name for ep in entry_points(group=ENTRY_POINT_GROUP)
                 if ep.name == name and ep.dist is not None), None)
    return missing + (f"; try: pip install --upgrade {dist}" if dist else "")


def get(name: str) -> type[Converter]:
    """The converter class registered as ``name``."""
    return _load(name)


def detection_order() -> list[tuple[str, type[Converter]]]:
    """The importable converters in detection order: declared ``priority``, then name."""
    found = []
    for name in known():
        try:
            found.append((name, _load(name)))
        except MissingDependencyError:
            continue
    return sorted(found, key=lambda item: (item[1].priority, item[0]))


def detect(path: Path, head: bytes) -> str | None:
    """Name of the first converter, in :func:`detection_order`, that recognizes ``path``
    (whose first bytes are ``head``), or None."""
    for name, cls in detection_order():
        if cls.sniff(path, head):
            return name
    return None
