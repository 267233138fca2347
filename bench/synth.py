"""Deterministic synthetic data for benchmarks and tests.

Everything here is invented: the words, places, people, outlets and headlines are made up
by this module (no text is copied from any real source). Each generator takes a count and
a seed; item ``i`` depends only on ``(seed, i)``, so the same call always gives the same
records and bytes, and items can be produced one at a time (``iter_*``) without holding a
whole corpus in memory.

- :func:`articles` / :func:`iter_articles`: valid Article dicts (schema article 1.0.0),
  built through :meth:`newscorpus.records.Article.build_text` and ``Article(...).to_dict()``;
  ~1.5-4 KB of text in several blocks (title, dek, captions, paragraphs, headings, quotes,
  list items), credits, related links, provenance, some non-ASCII text.
- :func:`annotations_for`: valid Annotation dicts (entities, quotes with speaker/cue, stances)
  whose spans fit the article text.
- :func:`manifests`: valid release-manifest dicts (manifest schema 1.0.0 or 1.1.0).
- :func:`page_dumps` / :func:`iter_page_dumps`: page text dumps in the layout of the
  ``trtworld`` site profile (``(file name, UTF-8 bytes)``).
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterator
from typing import Any

from newscorpus.ids import article_id_from_fields, article_id_from_url
from newscorpus.records import (
    Annotation,
    Article,
    Credit,
    Entity,
    Holder,
    Quote,
    Related,
    Span,
    Stance,
)

try:  # article schema 1.1.0 and later
    from newscorpus.records import Image
except ImportError:  # pragma: no cover - older newscorpus
    Image = None  # type: ignore[assignment,misc]

# --- invented vocabulary ------------------------------------------------------------------

PEOPLE = (
    "Mirela Vantosh", "Kaan Yıldırımsoy", "Ána Þórvaldóttir", "Tomasz Wrzelecki",
    "Léonie Barthémy", "Oluwaseun Adekanbi", "Ștefan Dumbrăvel", "Nadia Quereshan",
    "Ibrahim Oztalay", "Greta Lindqvast", "Hoang Minh Tuyet", "Paulo Serrandes",
    "Zeynep Karaçelik", "Ewan McTavitt", "Søren Holmgaard", "Aiyana Redcloud",
)
PLACES = (
    "Velmora", "Port Caskel", "Ostrevik", "Lake Anduval", "Sarıdere", "Kelmarsh Bay",
    "Nuevo Tarrán", "Upper Brenwick", "Zlatograd", "Île-Saumont", "Qarashen", "Mørkdal",
    "Tessaloun", "East Varrow", "Bağlıca", "Coronet Hills",
)
ORGS = (
    "the Velmora Water Board", "the Coastal Freight Union", "Northline Transit",
    "the Ostrevik City Council", "the Institute for Delta Studies", "Harbourgate Energy",
    "the Regional Fisheries Office", "Kestrel Bank", "the Union of Ferry Pilots",
    "the National Seed Registry", "Brightmoor Hospital Trust", "the Tramway Cooperative",
)
TOPICS = (
    "the river dam", "transit fares", "the city budget", "ceasefire talks",
    "a climate policy review", "the harbour expansion", "grain exports", "school meals",
    "a bridge inspection", "the fishing quota", "flood defences", "the tram extension",
)
VERBS = (
    "approved", "delayed", "questioned", "announced", "rejected", "reviewed", "extended",
    "postponed", "welcomed", "criticised", "funded", "suspended", "defended", "outlined",
)
ADJECTIVES = (
    "provisional", "long-awaited", "disputed", "modest", "sweeping", "temporary", "revised",
    "cautious", "ambitious", "regional", "unexpected", "costly", "quiet", "narrow",
)
NOUNS = (
    "plan", "agreement", "proposal", "report", "deadline", "budget", "hearing", "survey",
    "timetable", "inquiry", "settlement", "programme", "levy", "forecast", "audit",
)
FILLERS = (
    "according to officials", "after weeks of negotiation", "despite local objections",
    "for the second time this year", "ahead of the winter season", "in a brief statement",
    "following a late-night session", "amid rising costs", "under pressure from residents",
    "with little public debate", "as the water level fell", "before the markets opened",
)
SPEECH = ("said", "told reporters", "added", "warned", "insisted", "argued")
SOURCES = ("Harbour Ledger", "Velmora Daily", "The Ostrevik Courier", "Delta Wire Review",
           "Kestrel Post", "Northern Bulletin")
WIRES = ("AA", "Reuters", "AFP", "DPA", "EFE", "Delta Wire")
PHOTO_AGENCIES = ("AA", "Reuters", "AP", "AFP", "Getty Images", "EPA")
SECTIONS = ("Türkiye", "World", "Business", "Europe", "Middle East", "Africa", "Asia",
            "Climate", "Sport", "Opinion")
LANGUAGES = ("en", "en", "en", "en-GB", "tr", "de-CH", "fr", None)
ENTITY_LABELS = ("PERSON", "ORG", "GPE", "LOC", "EVENT", "NORP", "MISC")
STANCE_TARGETS = ("ceasefire-talks", "city-budget", "river-dam", "transit-fares",
                  "climate-policy")
STANCE_VALUES = ("favor", "against", "neutral", "none")
NON_ASCII_TAILS = (
    " Officials in Sarıdere called it “bir başlangıç” — a beginning.",
    " The sign read “Willkommen in Zürichsee-Nord” in faded paint.",
    " Residents of Île-Saumont gathered at the café on Rue des Écluses.",
    " A banner in Greek read «Νερό για όλους» (water for all).",
    " The delegation from Qarashen brought tea and 饺子 for the volunteers.",
    " Prices rose by 3 % to 12,50 € per ticket — the first rise since 2019.",
    " A resident posted a photo of the flooded square with the caption 🌊🚋.",
)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

_QUOTE_RE = re.compile(
    r"“([^”]+)”,? (said|told reporters|added|warned|insisted|argued) ([^.,]+?)[.,]")


def _rng(seed: int, i: int, salt: str) -> random.Random:
    return random.Random(f"{salt}:{seed}:{i}")


def _sentence(r: random.Random) -> str:
    form = r.randrange(6)
    if form == 0:
        org = r.choice(ORGS)
        s = f"{org[0].upper()}{org[1:]} {r.choice(VERBS)} a {r.choice(ADJECTIVES)} " \
            f"{r.choice(NOUNS)} on {r.choice(TOPICS)} {r.choice(FILLERS)}."
    elif form == 1:
        s = f"In {r.choice(PLACES)}, {r.choice(PEOPLE)} {r.choice(VERBS)} the " \
            f"{r.choice(ADJECTIVES)} {r.choice(NOUNS)} {r.choice(FILLERS)}."
    elif form == 2:
        s = f"“The {r.choice(NOUNS)} on {r.choice(TOPICS)} is {r.choice(ADJECTIVES)} at best,” " \
            f"{r.choice(SPEECH)} {r.choice(PEOPLE)}."
    elif form == 3:
        s = f"The {r.choice(NOUNS)} would cost {r.randrange(2, 900)} million over " \
            f"{r.randrange(2, 12)} years, {r.choice(FILLERS)}."
    elif form == 4:
        s = f"{r.choice(PEOPLE)} of {r.choice(ORGS)} said the {r.choice(NOUNS)} had been " \
            f"{r.choice(VERBS)} {r.choice(FILLERS)}."
    else:
        s = f"Critics in {r.choice(PLACES)} {r.choice(VERBS)} the move, saying " \
            f"{r.choice(TOPICS)} needed a {r.choice(ADJECTIVES)} {r.choice(NOUNS)} first."
    return s


def _paragraph(r: random.Random) -> str:
    p = " ".join(_sentence(r) for _ in range(r.randint(2, 5)))
    if r.random() < 0.15:
        p += r.choice(NON_ASCII_TAILS)
    return p


def _title(r: random.Random) -> str:
    place, verb, adj, noun, topic = (r.choice(PLACES), r.choice(VERBS), r.choice(ADJECTIVES),
                                     r.choice(NOUNS), r.choice(TOPICS))
    return f"{place} {verb} {adj} {noun} on {topic}"


def _dek(r: random.Random) -> str:
    return f"{r.choice(PEOPLE)} says the {r.choice(NOUNS)} will be {r.choice(VERBS)} " \
           f"{r.choice(FILLERS)}."


def _caption(r: random.Random) -> str:
    return f"Residents of {r.choice(PLACES)} watch as crews inspect {r.choice(TOPICS)}"


def _date(r: random.Random) -> tuple[int, int, int]:
    return r.randint(2015, 2025), r.randint(1, 12), r.randint(1, 28)


# --- articles -------------------------------------------------------------------------------


def article(i: int, seed: int = 0, schema_version: str | None = None) -> dict[str, Any]:
    """The ``i``-th synthetic article (a valid Article dict) in the current article schema
    version, or in ``schema_version="1.0.0"`` (without the fields 1.1.0 added)."""
    r = _rng(seed, i, "article")
    title = _title(r)
    dek = _dek(r) if r.random() < 0.8 else None
    parts: list[tuple[str, str]] = [("title", title)]
    if dek:
        parts.append(("dek", dek))
    captions = []
    for _ in range(r.choice((0, 1, 1, 2))):
        captions.append(len(parts))
        parts.append(("caption", _caption(r)))
    if r.random() < 0.2:
        parts.append(("byline", f"By {r.choice(PEOPLE)} and {r.choice(PEOPLE)}"))
    target = r.randint(1500, 4000)
    size = sum(len(p) + 2 for _, p in parts)
    while size < target:
        x = r.random()
        if x < 0.08:
            part = ("heading", f"What {r.choice(PLACES)} wants from {r.choice(TOPICS)}")
        elif x < 0.14:
            part = ("quote", f"“We asked for a {r.choice(ADJECTIVES)} {r.choice(NOUNS)}, not a "
                             f"{r.choice(ADJECTIVES)} one.”")
        elif x < 0.2:
            part = ("list_item", f"{r.choice(NOUNS).capitalize()}: {r.randrange(1, 99)} "
                                 f"{r.choice(('days', 'stations', 'kilometres', 'households'))}")
        else:
            part = ("paragraph", _paragraph(r))
        parts.append(part)
        size += len(part[1]) + 2
    text, blocks = Article.build_text(parts)
    source = r.choice(SOURCES)
    y, m, d = _date(r)
    form = r.randrange(4)
    if form == 0:
        published = f"{y:04d}-{m:02d}-{d:02d}"
    elif form == 1:
        published = f"{y:04d}-{m:02d}-{d:02d}T{r.randrange(24):02d}:{r.randrange(60):02d}:00+03:00"
    elif form == 2:
        published = f"{y:04d}-{m:02d}-{d:02d}T{r.randrange(24):02d}:{r.randrange(60):02d}Z"
    else:
        published = None
    if r.random() < 0.85:
        slug = "-".join(title.lower().split()[:6])
        url: str | None = f"https://www.{source.lower().replace(' ', '')}.example/{y}/{slug}-{i}"
        article_id = article_id_from_url(url)
    else:
        url = None
        article_id = article_id_from_fields(source, title + f" {i}", published)
    credits = []
    if r.random() < 0.6:
        credits.append(Credit("wire", r.choice(WIRES)))
    for b in captions:
        credits.append(Credit("photo", r.choice(PHOTO_AGENCIES), b))
    if r.random() < 0.1:
        credits.append(Credit(r.choice(("contributor", "translator", "editor")), r.choice(PEOPLE)))
    related = [Related(_title(r), r.choice((None, f"https://related.example/{i}/{k}")),
                       r.choice((None, r.choice(SOURCES))))
               for k in range(r.choice((0, 0, 1, 2, 3)))]
    raw = f"synthetic input {seed}:{i}".encode()
    rule = "profile:synthetic:"
    provenance = {"title": {"converter": "synthetic", "rule": rule + "title"},
                  "published_at": {"converter": "synthetic", "rule": rule + "date"}}
    if credits:
        provenance["credits"] = {"converter": "synthetic", "rule": rule + "credits"}
    origin: dict[str, Any] = {"path": f"raw/synthetic/{i:07d}.txt",
                              "sha256": hashlib.sha256(raw).hexdigest(), "format": "synthetic"}
    if r.random() < 0.3:
        origin["line"] = r.randint(1, 5000)
    if r.random() < 0.1:
        origin["offset"] = r.randint(0, 10**9)
    rec = Article(
        id=article_id,
        source=source,
        title=title,
        text=text,
        blocks=blocks,
        origin=origin,
        url=url,
        subtitle=dek,
        authors=r.sample(PEOPLE, r.choice((0, 1, 1, 2, 3))),
        published_at=published,
        modified_at=published if published and r.random() < 0.2 else None,
        section=r.choice(SECTIONS + (None,)),
        language=r.choice(LANGUAGES),
        reading_time_minutes=r.choice((None, r.randint(1, 12))),
        credits=credits,
        related=related,
        provenance=dict(sorted(provenance.items())),
    )
    legacy = schema_version == "1.0.0"
    if not legacy and Image is not None:
        for b in captions if r.random() < 0.5 else ():
            caption = text[blocks[b].start:blocks[b].end]
            rec.images.append(Image(r.choice((None, f"https://img.example/{i}/{b}.jpg")),
                                    caption, r.choice(PHOTO_AGENCIES), b))
        if r.random() < 0.1:
            rec.images.append(Image(f"https://img.example/{i}/extra.jpg"))
        if r.random() < 0.3:
            rec.keywords = r.sample([t.removeprefix("the ").removeprefix("a ") for t in TOPICS],
                                    r.randint(1, 4))
        if r.random() < 0.2:
            rec.content_kind = r.choice(("full", "summary"))
    out = rec.to_dict()
    if schema_version is not None and schema_version != out["schema_version"]:
        if not legacy:
            raise ValueError(f"cannot generate article schema {schema_version}")
        out["schema_version"] = "1.0.0"
        for key in ("images", "keywords", "content_kind"):
            out.pop(key, None)
    return out


def iter_articles(n: int, seed: int = 0, schema_version: str | None = None
                  ) -> Iterator[dict[str, Any]]:
    for i in range(n):
        yield article(i, seed, schema_version)


def articles(n: int, seed: int = 0, schema_version: str | None = None) -> list[dict[str, Any]]:
    """``n`` valid, distinct Article dicts (current schema version unless given)."""
    return list(iter_articles(n, seed, schema_version))


# --- annotations ----------------------------------------------------------------------------


def annotation(art: dict[str, Any], i: int, seed: int = 0) -> dict[str, Any]:
    """A valid Annotation dict for article ``art`` (spans fit ``art['text']``)."""
    r = _rng(seed, i, "annotation")
    text = art["text"]
    entities: list[Entity] = []
    seen: set[tuple[int, int]] = set()
    for name, label in ([(p, "PERSON") for p in PEOPLE] + [(p, "GPE") for p in PLACES]
                        + [(o.removeprefix("the "), "ORG") for o in ORGS]):
        start = text.find(name)
        if start >= 0 and (start, start + len(name)) not in seen and r.random() < 0.7:
            seen.add((start, start + len(name)))
            entities.append(Entity(f"e{len(entities)}", start, start + len(name), name, label))
    if len(entities) > 8:
        entities = r.sample(entities, 8)
    entities.sort(key=lambda e: (e.start, e.end))
    for k, e in enumerate(entities):
        e.id = f"e{k}"
    by_surface = {e.text: e.id for e in entities}
    quotes: list[Quote] = []
    for m in _QUOTE_RE.finditer(text):
        if len(quotes) >= 4:
            break
        speaker = m.group(3)
        quotes.append(Quote(
            id=f"q{len(quotes)}", start=m.start(1), end=m.end(1), text=m.group(1),
            kind=r.choice(("direct", "direct", "indirect")),
            speaker=Span(m.start(3), m.end(3), speaker) if r.random() < 0.9 else None,
            speaker_entity=by_surface.get(speaker),
            cue=Span(m.start(2), m.end(2), m.group(2)) if r.random() < 0.7 else None,
        ))
    stances = [Stance("s0", Holder("article", None), r.choice(STANCE_TARGETS),
                      r.choice(STANCE_VALUES))]
    for q in quotes[:2]:
        stances.append(Stance(f"s{len(stances)}", Holder("quote", q.id), r.choice(STANCE_TARGETS),
                              r.choice(STANCE_VALUES)))
    if entities and r.random() < 0.5:
        stances.append(Stance(f"s{len(stances)}", Holder("entity", entities[0].id),
                              r.choice(STANCE_TARGETS), r.choice(STANCE_VALUES)))
    y, m_, d = _date(r)
    rec = Annotation(
        id=f"ann-{seed}-{i}",
        article_id=art["id"],
        text_sha256=art["text_sha256"],
        annotator=r.choice(("sample", "ann.one@example.org", "7", "model:tagger-v2")),
        origin=r.choice(("sample", "labelstudio", "import", "prediction", "adjudication")),
        ground_truth=r.random() < 0.5,
        entities=entities,
        quotes=quotes,
        stances=stances,
        created_at=r.choice((None, f"{y:04d}-{m_:02d}-{d:02d}T10:00:00+00:00")),
        updated_at=r.choice((None, f"{y:04d}-{m_:02d}-{d:02d}")),
        external=r.choice((None, {"project": 3, "task": 100 + i, "annotation": None,
                                  "key": f"{art['id']}:{art['text_sha256'][:8]}"})),
    )
    return rec.to_dict()


def annotations_for(arts: list[dict[str, Any]], n: int, seed: int = 0
                    ) -> list[dict[str, Any]]:
    """``n`` valid annotation dicts over ``arts`` (cycled)."""
    return [annotation(arts[i % len(arts)], i, seed) for i in range(n)]


# --- manifests ------------------------------------------------------------------------------


def manifest(i: int, seed: int = 0, schema_version: str = "1.0.0") -> dict[str, Any]:
    """A valid release-manifest dict (manifest schema 1.0.0, 1.1.0 or 1.2.0)."""
    r = _rng(seed, i, "manifest")
    h = lambda s: hashlib.sha256(f"{seed}:{i}:{s}".encode()).hexdigest()  # noqa: E731
    splits: dict[str, Any] = {}
    for name in ("train", "validation", "test")[: r.randint(1, 3)]:
        rows = r.randint(0, 5000)
        files = [] if rows == 0 else [{"path": f"data/default/{name}-00000-of-00001.parquet",
                                       "rows": rows, "bytes": r.randint(100, 10**8),
                                       "sha256": h(name)}]
        splits[name] = {"rows": rows, "files": files}
    out: dict[str, Any] = {
        "schema_version": "1.0.0",
        "name": r.choice(("newscorpus-sample", "harbour-news", "çorpus-demo")),
        "version": f"{r.randint(0, 3)}.{r.randint(0, 12)}.{r.randint(0, 30)}",
        "release_date": "{:04d}-{:02d}-{:02d}".format(*_date(r)),
        "license": r.choice(("CC-BY-4.0", "CC0-1.0", "MIT")),
        "generator": {"name": "newscorpus", "version": "0.1.0"},
        "record_schemas": {"article": "1.0.0", "annotation": "1.0.0"},
        "split_policy": {"strategy": "hash", "ratios": {"train": 0.8, "validation": 0.1,
                                                        "test": 0.1}, "salt": f"s{i}"},
        "counts": {"articles": r.randint(0, 10**5), "annotations": r.randint(0, 10**4),
                   "entities": 0, "quotes": 3, "stances": 2},
        "configs": {"default": {"splits": splits}},
    }
    if r.random() < 0.7:
        out["inputs"] = {"articles/a.jsonl": h("a"), "annotations/b.jsonl": h("b")}
    if schema_version == "1.0.0":
        return out
    if schema_version not in ("1.1.0", "1.2.0"):
        raise ValueError(f"cannot generate manifest schema {schema_version}")
    out["schema_version"] = schema_version
    if schema_version == "1.2.0" and r.random() < 0.8:  # absent when migrated from 1.1.0
        out["build"] = {
            "tools": {"newscorpus": "0.1.0", "python": "3.11.7", "pyarrow": f"{r.randint(17, 26)}.0.0",
                      "datasets": r.choice(("3.6.0", "4.0.0", "5.2.0")), "trafilatura": "2.3.1"},
            "converters": {"pagedump": {"target": "newscorpus.convert.pagedump:PageDumpConverter",
                                        "version": "0.1.0"}},
            "settings": {"convert": {}, "profiles": {"profiles/a.yaml": h("p")},
                         "shard_rows": r.randint(1, 10**6)}}
    out["text"] = r.random() < 0.8
    out["split_policy"]["strategy"] = r.choice(("hash", "time", "source"))
    for split in splits.values():
        if r.random() < 0.5:
            split["arrow_bytes"] = r.randint(0, 10**9)
    if r.random() < 0.5:
        out["previous"] = None
    elif r.random() < 0.5:
        out["previous"] = {"version": "0.1.0", "sha256sums": h("prev")}
        bump = r.choice(("patch", "minor", "major"))
        out["semver"] = {"previous": "0.1.0", "required": bump, "bump": bump,
                         "reasons": {bump: [f"{r.randint(1, 50)} articles added"]}}
    if r.random() < 0.6:
        out["split_stats"] = {name: {
            "articles": split["rows"], "labelled_articles": r.randint(0, split["rows"]),
            "entities": r.randint(0, 900), "quotes": r.randint(0, 90), "stances": r.randint(0, 90),
            "sources": r.randint(1, 6), "first_date": "{:04d}-{:02d}-{:02d}".format(*_date(r)),
            "last_date": r.choice((None, "{:04d}-{:02d}-{:02d}".format(*_date(r)))),
        } for name, split in splits.items()}
    if r.random() < 0.3:
        out["duplicate_groups"] = r.randint(0, 40)
    if r.random() < 0.3:
        out["agreement"] = {"articles": r.randint(0, 30), "entity_f1": round(r.random(), 3)}
    return out


def manifests(n: int, seed: int = 0, schema_version: str = "1.0.0") -> list[dict[str, Any]]:
    return [manifest(i, seed, schema_version) for i in range(n)]


# --- page dumps (trtworld profile layout) ---------------------------------------------------


def page_dump(i: int, seed: int = 0) -> tuple[str, bytes]:
    """``(file name, bytes)`` of the ``i``-th synthetic page dump, trtworld layout:
    header 'date YYYY-MM-DD SECTION', 'N min read', title, dek, the title again, a caption
    ending ' / Credit', a textual date line, then blank-line separated paragraphs with a
    RECOMMENDED marker, 'Related…' lines, 'SOURCE:XX' and an 'Explore' list of headlines."""
    r = _rng(seed, i, "pagedump")
    y, m, d = _date(r)
    title = _title(r)
    lines = [
        f"date {y:04d}-{m:02d}-{d:02d} {r.choice(SECTIONS)}",
        f"{r.randint(1, 9)} min read",
        title,
        _dek(r),
        title,
        f"{_caption(r)}{r.choice(('', ' [FILE]', ' [FILE].'))} / {r.choice(PHOTO_AGENCIES)}",
        f"{MONTHS[m - 1]} {d}, {y}",
        "",
    ]
    target = r.randint(1500, 4000)
    size = 0
    paragraphs: list[str] = []
    while size < target:
        p = _paragraph(r)
        paragraphs.append(p)
        size += len(p) + 2
    marker_at = r.randrange(1, len(paragraphs) + 1)
    for k, p in enumerate(paragraphs):
        if k == marker_at:
            lines += ["RECOMMENDED", ""]
            for _ in range(r.randint(1, 2)):
                if r.random() < 0.5:
                    lines += [f"Related{_title(r)}", ""]
                else:
                    lines += [f"Related {r.choice(SOURCES)} - {_title(r)}", ""]
        lines += [p, ""]
    lines += [f"SOURCE:{r.choice(WIRES)}", "", "Explore"]
    lines += [_title(r) for _ in range(r.randint(3, 6))]
    text = "\n".join(lines) + "\n"
    if r.random() < 0.1:
        text = text.replace("\n", "\r\n")
    return f"trtworld-{seed:02d}-{i:06d}.txt", text.encode("utf-8")


def iter_page_dumps(n: int, seed: int = 0) -> Iterator[tuple[str, bytes]]:
    for i in range(n):
        yield page_dump(i, seed)


def page_dumps(n: int, seed: int = 0) -> list[tuple[str, bytes]]:
    """``n`` synthetic page dumps as ``(file name, bytes)``."""
    return list(iter_page_dumps(n, seed))


def workspace_config(name: str, writer: str) -> str:
    """``newscorpus.yaml`` of a temporary benchmark workspace written by ``writer``."""
    return f"""\
# Temporary workspace written by {writer} (synthetic data).
name: {name}
pretty_name: {name} (synthetic)
description: Synthetic articles generated by bench/synth.py.
license: CC-BY-4.0
labels:
  entities: [PERSON, ORG, GPE, LOC, EVENT, NORP, MISC]
  stance_targets: [ceasefire-talks, city-budget, river-dam, transit-fares, climate-policy]
splits:
  strategy: hash
  ratios: {{train: 0.8, validation: 0.1, test: 0.1}}
  salt: newscorpus-bench
"""
