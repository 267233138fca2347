"""Site profiles for page text dumps, stored as YAML data.

A profile says how to recognize a site's dumps and which lines are site chrome: header
lines (section, date, reading time), captions with photo credits, markers to drop, lines
that carry related links or the wire source, and the line after which everything is
navigation. The converter has no site-specific code; a new site is a new YAML file.

Named groups in a rule's pattern become fields: ``published``, ``section``,
``modified``, ``reading_time``, ``caption``, ``photo_credit``, ``wire``, ``related_title``,
``related_source``, ``authors``, ``source``, ``url``, ``subtitle``.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from ..errors import ConfigError

FIELDS = frozenset({
    "published", "modified", "section", "reading_time", "caption", "photo_credit", "wire",
    "related_title", "related_source", "authors", "source", "url", "subtitle",
})
ACTIONS = frozenset({"fields", "drop", "stop"})


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    action: str = "fields"


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    site: str | None
    language: str | None
    filenames: tuple[str, ...] = ()
    first_lines: tuple[re.Pattern[str], ...] = ()
    head: tuple[Rule, ...] = ()
    body: tuple[Rule, ...] = ()
    dek: bool = True
    paragraphs: str = "line"
    date_formats: tuple[str, ...] = ()
    author_separators: re.Pattern[str] = field(default=re.compile(r"\s*(?:,|;|\band\b|&)\s*"))
    path: str = ""

    def matches(self, filename: str, first_lines: list[str]) -> bool:
        if self.filenames and any(fnmatch.fnmatch(filename, g) for g in self.filenames):
            return True
        return bool(self.first_lines) and all(
            any(p.search(line) for line in first_lines) for p in self.first_lines
        )


def _compile(where: str, pattern: Any) -> re.Pattern[str]:
    if not isinstance(pattern, str):
        raise ConfigError(f"{where}: pattern must be a string")
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise ConfigError(f"{where}: bad regular expression: {exc}") from None
    unknown = set(compiled.groupindex) - FIELDS
    if unknown:
        raise ConfigError(f"{where}: unknown field group(s) {sorted(unknown)}; known: {sorted(FIELDS)}")
    return compiled


def _rules(path: Path, part: str, items: Any) -> tuple[Rule, ...]:
    rules = []
    for i, item in enumerate(items or []):
        where = f"{path}: {part}[{i}]"
        if not isinstance(item, dict) or "pattern" not in item:
            raise ConfigError(f"{where}: each rule needs a 'pattern'")
        action = item.get("action", "fields")
        if action not in ACTIONS:
            raise ConfigError(f"{where}: action {action!r} is not one of {sorted(ACTIONS)}")
        rules.append(Rule(str(item.get("name", f"{part}{i}")), _compile(where, item["pattern"]), action))
    return tuple(rules)


def load_profile(path: Path) -> Profile:
    """Read and check one profile file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read site profile: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        raise ConfigError(f"{path}: a site profile is a mapping with a 'name'")
    unknown = set(data) - {"name", "site", "language", "match", "head", "body", "dek",
                           "paragraphs", "date_formats", "description", "author_separators"}
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) {sorted(unknown)}")
    match = data.get("match") or {}
    paragraphs = data.get("paragraphs", "line")
    if paragraphs not in ("line", "blank_line"):
        raise ConfigError(f"{path}: paragraphs must be 'line' or 'blank_line'")
    extra: dict[str, Any] = {}
    if "author_separators" in data:
        extra["author_separators"] = _compile(f"{path}: author_separators", data["author_separators"])
    return Profile(
        **extra,
        name=data["name"],
        site=data.get("site"),
        language=data.get("language"),
        filenames=tuple(match.get("filenames", ())),
        first_lines=tuple(_compile(f"{path}: match", p) for p in match.get("first_lines", ())),
        head=_rules(path, "head", data.get("head")),
        body=_rules(path, "body", data.get("body")),
        dek=bool(data.get("dek", True)),
        paragraphs=paragraphs,
        date_formats=tuple(data.get("date_formats", ())),
        path=str(path),
    )


def builtin_profile_dir() -> Path:
    return Path(str(files("newscorpus") / "profiles"))


@cache
def load_profiles(dirs: tuple[Path, ...] = ()) -> dict[str, Profile]:
    """Profiles by name: the built-in ones, then those in ``dirs`` (later ones override)."""
    profiles: dict[str, Profile] = {}
    for folder in (builtin_profile_dir(), *dirs):
        for path in sorted(Path(folder).glob("*.yaml")):
            profile = load_profile(path)
            profiles[profile.name] = profile
    if "generic" not in profiles:
        raise ConfigError("the built-in 'generic' site profile is missing")
    return profiles


def choose_profile(profiles: dict[str, Profile], filename: str, first_lines: list[str],
                   requested: str | None = None) -> Profile:
    """The requested profile, else the first (by name) that matches, else 'generic'."""
    if requested:
        if requested not in profiles:
            raise ConfigError(
                f"unknown site profile {requested!r}; known: {', '.join(sorted(profiles))}")
        return profiles[requested]
    for name in sorted(profiles):
        if name != "generic" and profiles[name].matches(filename, first_lines):
            return profiles[name]
    return profiles["generic"]
