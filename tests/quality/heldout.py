"""Pages for held-out body-text scores (see ``bench/html_heldout.py``): the dev pages of
``../shared/data/html-extraction-dev`` and the test pages of the newspaper4k source
distribution, read from where ``make heldout-pages`` put them with pip (or
``NEWSCORPUS_NEWSPAPER4K_TESTS``, its ``tests/data`` folder); their text is never copied into
this repository."""

from __future__ import annotations

import gzip
import json
import os
import re
from pathlib import Path

from newscorpus.convert.html import BODY_KINDS, ExtractionOptions, HtmlConverter
from newscorpus.evaluate import Evaluation, score_texts
from newscorpus.records import Article

from .fields import SHARED_DATA

Page = tuple[str, bytes, str | None, str]
"""``(key, html, url, expected body)``."""

NEWSPAPER4K_ENV = "NEWSCORPUS_NEWSPAPER4K_TESTS"
# scripts written without spaces between words: word 4-grams do not score them
_UNSPACED = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff]")
_LETTER = re.compile(r"[^\W\d_]")


def body_text(outcome: object) -> str:
    """The converter's body: every block that is article body (not title, dek, caption)."""
    if not isinstance(outcome, Article):
        return ""
    return "\n".join(outcome.text[b.start:b.end] for b in outcome.blocks if b.kind in BODY_KINDS)


def dev_pages(root: Path = SHARED_DATA) -> list[Page]:
    base = root / "html-extraction-dev"
    truth = json.loads((base / "ground-truth.json").read_text(encoding="utf-8"))
    return [(key, gzip.decompress((base / "html" / f"{key}.html.gz").read_bytes()), entry.get("url"),
             entry["articleBody"]) for key, entry in sorted(truth.items())]


def is_spaced(text: str) -> bool:
    """Whether ``text`` is mostly in scripts that separate words by spaces."""
    letters = len(_LETTER.findall(text))
    return bool(letters) and len(_UNSPACED.findall(text)) < 0.3 * letters


NEWSPAPER4K_DEFAULT = Path.home() / ".cache/newscorpus/heldout/newspaper4k-0.9.6/tests/data"
"""Where ``make heldout-pages`` puts them."""


def newspaper4k_folder() -> Path:
    value = os.environ.get(NEWSPAPER4K_ENV)
    return Path(value) if value else NEWSPAPER4K_DEFAULT


def newspaper4k_pages(folder: Path | None = None) -> list[Page]:
    """Each test page with both an HTML file and an expected text, in a spaced script."""
    folder = folder or newspaper4k_folder()
    if not (folder / "txt").is_dir():
        return []
    pages = []
    for txt in sorted((folder / "txt").glob("*.txt")):
        html = folder / "html" / f"{txt.stem}.html"
        expected = txt.read_text(encoding="utf-8")
        if not html.is_file() or not is_spaced(expected):
            continue
        meta = folder / "metadata" / f"{txt.stem}.json"
        url = json.loads(meta.read_text(encoding="utf-8")).get("url") if meta.is_file() else None
        pages.append((txt.stem, html.read_bytes(), url or None, expected))
    return pages


def score_pages(pages: list[Page], options: ExtractionOptions | None = None) -> Evaluation:
    converter = HtmlConverter(extraction=options or ExtractionOptions())
    return score_texts([(key, expected, body_text(converter.convert_document(html, f"{key}.html", url)))
                        for key, html, url, expected in pages])


def body_reports() -> str:
    """Body-text precision, recall and F1 of the default cascade on the dev pages and on
    the held-out pages (the figures the body gates pin), with the worst pages."""
    lines = [score_pages(dev_pages()).report("body text (html-extraction-dev, 50 pages)", worst=3)]
    held = newspaper4k_pages()
    if held:
        lines.append(score_pages(held).report(f"body text (newspaper4k test pages, held out, {len(held)})",
                                              worst=3))
    else:
        lines.append(f"body text (newspaper4k test pages): none in {newspaper4k_folder()}, "
                     "run `make heldout-pages`")
    return "\n".join(lines)
