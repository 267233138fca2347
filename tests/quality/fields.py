"""Field-level accuracy on real pages: title, language, published date, authors, URL.

Each field is scored per format against expectations written by us (see
``expected/README.md``); the floors are pinned in ``baseline.json`` under ``fields``.
``python -m tests.quality.fields`` (or ``make quality``) prints every figure.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from newscorpus.convert.base import Input
from newscorpus.convert.batch import RECORD_STEPS
from newscorpus.convert.html import HtmlConverter
from newscorpus.dates import to_iso8601
from newscorpus.language import MIN_CHARS_OVERRIDE, add_language
from newscorpus.records import Article
from newscorpus.text import normalize

HERE = Path(__file__).parent
SHARED_DATA = Path(os.environ.get("NEWSCORPUS_SHARED_DATA", HERE.parents[2] / "shared" / "data"))


@dataclass
class FieldScores:
    """Right / checked counts per field, and the misses (page, expected, got) for reports."""

    name: str
    right: dict[str, int] = field(default_factory=dict)
    checked: dict[str, int] = field(default_factory=dict)
    misses: dict[str, list[tuple[str, object, object]]] = field(default_factory=dict)
    values: dict[str, list[tuple[str, float]]] = field(default_factory=dict)

    def score(self, fld: str, page: str, expected: object, got: object, ok: bool) -> None:
        self.checked[fld] = self.checked.get(fld, 0) + 1
        self.right[fld] = self.right.get(fld, 0) + ok
        if not ok:
            self.misses.setdefault(fld, []).append((page, expected, got))

    def measure(self, fld: str, page: str, value: float) -> None:
        """A measured value (an F1, a precision) of one page; its rate is the mean."""
        self.checked[fld] = self.checked.get(fld, 0) + 1
        self.values.setdefault(fld, []).append((page, value))

    def rate(self, fld: str) -> float:
        if fld in self.values:
            return sum(v for _, v in self.values[fld]) / len(self.values[fld])
        return self.right[fld] / self.checked[fld]

    def report(self, misses: int = 3) -> str:
        lines = [f"{self.name}:"]
        for fld in sorted(self.checked):
            if fld in self.values:
                lines.append(f"  {fld:<18} mean of {self.checked[fld]:<3} {self.rate(fld):.4f}")
                for page, value in sorted(self.values[fld], key=lambda pv: pv[1])[:misses]:
                    if value < 1.0:
                        lines.append(f"      {page[:12]}: {value:.4f}")
                continue
            lines.append(f"  {fld:<18} {self.right[fld]:>3}/{self.checked[fld]:<3} {self.rate(fld):.4f}")
            for page, want, got in self.misses.get(fld, [])[:misses]:
                lines.append(f"      {page[:12]}: expected {want!r}, got {got!r}")
        return "\n".join(lines)


def primary(tag: str | None) -> str | None:
    return tag.split("-")[0].lower() if tag else None


def as_written(outcome: object) -> dict | None:
    """The record ``newscorpus convert`` writes for ``outcome`` (the record steps, such as
    language identification, applied), or None for a rejection."""
    if not isinstance(outcome, Article):
        return None
    record = outcome.to_dict()
    for step in RECORD_STEPS:
        record = step(record)
    return record


def score_article(scores: FieldScores, page: str, want: dict, outcome: object) -> None:
    """Score one converted page, as written, against its expectations (keys absent in
    ``want`` are not checked)."""
    score_record(scores, page, want, as_written(outcome), str(outcome))


def score_record(scores: FieldScores, page: str, want: dict, rec: dict | None, why: str = "") -> None:
    """Score one written record (None: rejected, ``why``) against its expectations."""
    scores.score("converts", page, True, None if rec else why, rec is not None)
    if "title" in want:
        title = rec["title"] if rec else None
        scores.score("title_exact", page, want["title"], title, title == normalize(want["title"]))
    if "language" in want:
        lang = rec["language"] if rec else None
        scores.score("language", page, want["language"], lang, primary(lang) == want["language"])
        # one form per language: the tag the record carries is the normalized primary subtag
        scores.score("language_normal", page, want["language"], lang, lang == want["language"])
        if rec and len(rec["text"]) >= MIN_CHARS_OVERRIDE:
            # the same page declared in a wrong language: the text must win
            wrong = "de" if want["language"] == "en" else "en"
            checked = add_language({**rec, "language": wrong})["language"]
            scores.score("language_misdeclared", page, want["language"], checked,
                         checked == want["language"])
    if want.get("published"):
        expected = want["published"]
        pub = rec["published_at"] if rec else None
        scores.score("date_day", page, expected[:10], pub, bool(pub) and pub[:10] == expected[:10])
        if len(expected) > 10:
            ok = bool(pub) and len(pub) > 10 and pub[-6:] == expected[-6:]
            scores.score("date_timezone", page, expected[-6:], pub, ok)
    if "authors" in want:
        authors = rec["authors"] if rec else None
        scores.score("authors_exact", page, want["authors"], authors, authors == want["authors"])
    if want.get("section"):
        section = rec["section"] if rec else None
        scores.score("section", page, want["section"], section, section == want["section"])
    if want.get("url"):
        url = rec["url"] if rec else None
        scores.score("url", page, want["url"], url, url == want["url"])


def html_extraction_dev(root: Path = SHARED_DATA) -> FieldScores:
    """The 50 html-extraction-dev pages against ``expected/html_extraction_dev.json``."""
    base = root / "html-extraction-dev"
    expected = json.loads((HERE / "expected" / "html_extraction_dev.json").read_text(encoding="utf-8"))
    converter = HtmlConverter()
    scores = FieldScores("html (html-extraction-dev, 50 pages)")
    for key, want in sorted(expected.items()):
        html = gzip.decompress((base / "html" / f"{key}.html.gz").read_bytes())
        score_article(scores, key, want, converter.convert_document(html, f"{key}.html", want["url"]))
    return scores


def _wikinews_fr_expectations(base: Path) -> Iterator[tuple[str, dict]]:
    for line in (base / "wikinews_fr_2012.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            entry = json.loads(line)
            want = {"title": entry["title"], "language": "fr"}
            if entry["date_text"]:
                want["published"] = to_iso8601(entry["date_text"], (), ["fr"])
            yield entry["id"], want


def wikinews_fr(root: Path = SHARED_DATA) -> FieldScores:
    """100 French Wikinews pages: title and date from the derived JSONL, language fr."""
    base = root / "open-news" / "wikinews-fr-keyphrase"
    converter = HtmlConverter()
    scores = FieldScores("html (wikinews-fr-keyphrase, 100 pages)")
    for page, want in _wikinews_fr_expectations(base):
        path = base / "html" / f"{page}.html"
        [outcome] = list(converter.convert(Input(path, path.name, path.read_bytes())))
        score_article(scores, page, want, outcome)
    return scores


def feeds_newsml(root: Path = SHARED_DATA) -> dict[str, FieldScores]:
    """The first record of each feed, NewsML-G2 and NITF example of ``../shared/data``
    against ``expected/feeds_newsml.json``, one score sheet per format."""
    from newscorpus.convert import registry

    expected = json.loads((HERE / "expected" / "feeds_newsml.json").read_text(encoding="utf-8"))
    sheets: dict[str, FieldScores] = {}
    for rel, want in sorted(expected.items()):
        path = root / rel
        data = path.read_bytes()
        converter = registry.get(want["format"])()
        outcome = next(iter(converter.convert(Input(path, rel, data))))
        sheet = sheets.setdefault(want["format"], FieldScores(f"{want['format']} (../shared/data examples)"))
        score_article(sheet, rel, want, outcome)
    return sheets


def _feeds(root: Path = SHARED_DATA) -> FieldScores:
    return feeds_newsml(root)["feed"]


def _newsml(root: Path = SHARED_DATA) -> FieldScores:
    return feeds_newsml(root)["newsml"]


def _nitf(root: Path = SHARED_DATA) -> FieldScores:
    return feeds_newsml(root)["nitf"]


SUITES = {"html_extraction_dev": html_extraction_dev, "wikinews_fr": wikinews_fr,
          "feed_examples": _feeds, "newsml_examples": _newsml, "nitf_examples": _nitf}


def all_suites() -> dict:
    from .formats import FORMAT_SUITES  # per-format sheets (wire pairs, feeds, completion)

    return {**SUITES, **FORMAT_SUITES}


def main() -> None:
    for suite in all_suites().values():
        print(suite().report())
    from .heldout import body_reports  # body text: the dev pages and the held-out pages

    print(body_reports())


if __name__ == "__main__":
    main()
