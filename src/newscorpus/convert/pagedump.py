"""Page text dumps: the text of a news page copied with its site chrome.

Which lines are chrome (section line, reading time, caption with photo credit, markers,
related links, wire source, navigation lists) comes from the site profile (YAML, see
:mod:`newscorpus.convert.profiles`); this module has no site-specific code.

Layout assumed: a *head* (chrome lines, the title, the dek, captions) up to the first blank
line after the title, then a *body* of paragraphs. The first head line no rule claims is
the title; the next one is the dek; a repeat of the title is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..dates import to_iso8601
from ..ids import article_id as make_id
from ..ids import canonical_url
from ..records import Article, Credit, Related
from ..text import collapse_spaces, nfc, unify_newlines
from .base import Converter, Input, Outcome, TextProblem, decode_text
from .profiles import Profile, Rule, choose_profile, load_profiles

NAME = "pagedump"
_CJK = re.compile("[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_SINGLE_VALUED = ("section", "subtitle", "source", "url")


@dataclass(slots=True)
class _Parse:
    """What has been read from one dump so far."""

    profile: Profile
    values: dict[str, object] = field(default_factory=dict)
    provenance: dict[str, dict[str, str]] = field(default_factory=dict)
    title: str | None = None
    dek: str | None = None
    captions: list[tuple[str, str | None]] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)
    related: list[Related] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    bad_dates: list[str] = field(default_factory=list)

    def note(self, key: str, rule: str) -> None:
        """Record that ``rule`` produced (part of) field ``key``; several rules are joined."""
        full = f"profile:{self.profile.name}:{rule}"
        entry = self.provenance.setdefault(key, {"converter": NAME, "rule": full})
        if full not in entry["rule"].split(" + "):
            entry["rule"] += f" + {full}"

    def flush(self) -> None:
        if self.pending:
            joined = self.pending[0]
            for line in self.pending[1:]:
                # Chinese and Japanese put no space between words: a wrapped line joins bare.
                sep = "" if _CJK.match(joined[-1]) and _CJK.match(line[0]) else " "
                joined += sep + line
            self.paragraphs.append(joined)
            self.pending.clear()

    def apply(self, rule: Rule, groups: dict[str, str | None]) -> None:
        profile = self.profile
        for key, raw in groups.items():
            value = raw.strip() if raw else None
            if not value:
                continue
            if key in ("published", "modified"):
                target = f"{key}_at"
                if target in self.values:
                    continue
                iso = to_iso8601(value, profile.date_formats, [profile.language or "en"])
                if iso is None:
                    if key == "published":
                        self.bad_dates.append(value)
                    continue
                self.values[target] = iso
                self.note(target, rule.name)
            elif key in _SINGLE_VALUED:
                if key not in self.values:
                    self.values[key] = value
                    self.note(key, rule.name)
            elif key == "reading_time":
                self.values.setdefault("reading_time_minutes", int(value))
                self.note("reading_time_minutes", rule.name)
            elif key == "caption":
                self.captions.append((value, groups.get("photo_credit")))
                self.note("captions", rule.name)
            elif key == "photo_credit":
                if not groups.get("caption"):
                    self.credits.append(Credit("photo", value))
                self.note("credits", rule.name)
            elif key == "wire":
                self.credits.append(Credit("wire", value))
                self.note("credits", rule.name)
            elif key == "related_title":
                source = groups.get("related_source")
                self.related.append(Related(value, None, source.strip() if source else None))
                self.note("related", rule.name)
            elif key == "authors":
                self.authors.extend(a for a in profile.author_separators.split(value) if a)
                self.note("authors", rule.name)


def _match(rules: tuple[Rule, ...], line: str) -> tuple[Rule, dict[str, str | None]] | None:
    for rule in rules:
        m = rule.pattern.search(line)
        if m:
            return rule, m.groupdict()
    return None


class PageDumpConverter(Converter):
    """Text dumps of news pages (``.txt``), one article per file."""

    name = NAME
    extensions = (".txt",)
    priority = 90

    def convert(self, inp: Input) -> Iterator[Outcome]:
        decoded = decode_text(inp)
        if isinstance(decoded, TextProblem):
            yield self.reject(inp, decoded.reason, line=decoded.line, offset=decoded.offset)
            return
        lines = nfc(unify_newlines(decoded)).split("\n")
        first = [line.strip() for line in lines[:40] if line.strip()][:10]
        profile = choose_profile(load_profiles(self.options.profile_dirs), Path(inp.name).name,
                                 first, self.options.profile)
        yield self._parse(inp, lines, profile)

    def _parse(self, inp: Input, lines: list[str], profile: Profile) -> Outcome:
        st = _Parse(profile)
        head_rules = profile.head + profile.body
        in_head = True
        for raw in lines:
            line = collapse_spaces(raw)
            if not line:
                if st.title is not None:
                    in_head = False
                st.flush()
                continue
            hit = _match(head_rules if in_head else profile.body, line)
            if hit:
                rule, groups = hit
                st.flush()
                if rule.action == "stop":
                    break
                if rule.action == "fields":
                    st.apply(rule, groups)
                continue
            if in_head and st.title is None:
                st.title = line
                st.note("title", "first-unclaimed-line")
            elif in_head and line == st.title:
                st.note("title", "first-unclaimed-line (repeat dropped)")
            elif in_head and st.dek is None and profile.dek and not st.captions:
                st.dek = line
                st.note("subtitle", "second-unclaimed-line")
            elif profile.paragraphs == "line":
                st.paragraphs.append(line)
            else:
                st.pending.append(line)
        st.flush()
        return self._article(inp, st)

    def _article(self, inp: Input, st: _Parse) -> Outcome:
        profile = st.profile
        if st.title is None:
            return self.reject(inp, f"no title found (site profile {profile.name!r})")
        if not st.paragraphs:
            return self.reject(inp, f"no body paragraphs after the title (site profile {profile.name!r})")
        if st.bad_dates and "published_at" not in st.values:
            return self.reject(inp, f"unreadable publication date {st.bad_dates[0]!r}")
        dek = st.dek or (str(st.values["subtitle"]) if "subtitle" in st.values else None)
        parts = [("title", st.title), ("dek", dek or "")]
        parts += [("caption", c) for c, _ in st.captions]
        parts += [("paragraph", p) for p in st.paragraphs]
        text, blocks = Article.build_text(parts)
        credits = list(st.credits)
        first_caption = 1 + (1 if dek else 0)
        for i, (_, credit) in enumerate(st.captions):
            if credit:
                credits.append(Credit("photo", credit.strip(), first_caption + i))
        url = st.values.get("url")
        source = str(st.values.get("source") or profile.site or "unknown")
        if not st.values.get("source"):
            st.note("source", "site")
        published = st.values.get("published_at")
        if isinstance(url, str):
            url = canonical_url(url)
        article_id, _ = make_id(url if isinstance(url, str) else None, source=source, title=st.title,
                                date=published if isinstance(published, str) else None)
        language = self.options.language or profile.language
        if language:
            rule = "option" if self.options.language else f"profile:{profile.name}:language"
            st.provenance.setdefault("language", {"converter": NAME, "rule": rule})
        return Article(
            id=article_id,
            source=source,
            title=st.title,
            text=text,
            blocks=blocks,
            origin={"path": inp.name, "sha256": inp.sha256, "format": NAME},
            url=url if isinstance(url, str) else None,
            subtitle=dek,
            authors=st.authors,
            published_at=published if isinstance(published, str) else None,
            modified_at=st.values.get("modified_at"),  # type: ignore[arg-type]
            section=st.values.get("section"),  # type: ignore[arg-type]
            language=language,
            reading_time_minutes=st.values.get("reading_time_minutes"),  # type: ignore[arg-type]
            credits=credits,
            related=st.related,
            provenance=dict(sorted(st.provenance.items())),
        )
