"""Extraction-quality gate: body text of the html converter on 50 real news pages.

Scored with word 4-gram shingles (:mod:`newscorpus.evaluate`) against the ground-truth
bodies of ``../shared/data/html-extraction-dev``; the floors are pinned in
``baseline.json``. Bare ``trafilatura.extract`` is scored on the same pages in the same run
and reported beside ours (run with ``-s`` to see both, or read the failure message).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from newscorpus.convert.html import HtmlConverter
from newscorpus.evaluate import Evaluation, score_texts
from newscorpus.records import Article

from .heldout import body_text

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]

BASELINE = json.loads((Path(__file__).parent / "baseline.json").read_text())["html_extraction_dev"]


@pytest.fixture(scope="module")
def pages(shared_data: Path) -> dict[str, tuple[dict[str, str], bytes]]:
    root = shared_data / "html-extraction-dev"
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    return {key: (entry, gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes()))
            for key, entry in sorted(truth.items())}


@pytest.fixture(scope="module")
def scores(pages: dict[str, tuple[dict[str, str], bytes]]) -> tuple[Evaluation, Evaluation]:
    import trafilatura

    converter = HtmlConverter()
    ours, bare = {}, {}
    for key, (entry, html) in pages.items():
        label = f"{key[:12]} {entry.get('url', '')}"
        outcome = converter.convert_document(html, f"{key}.html", entry.get("url"))
        ours[label] = (entry["articleBody"], body_text(outcome))
        bare[label] = (entry["articleBody"], trafilatura.extract(html) or "")
    return score_texts(ours), score_texts(bare)


def test_every_page_converts(pages: dict[str, tuple[dict[str, str], bytes]]) -> None:
    converter = HtmlConverter()
    for key, (entry, html) in pages.items():
        outcome = converter.convert_document(html, f"{key}.html", entry.get("url"))
        assert isinstance(outcome, Article), outcome


def test_body_text_meets_pinned_floors(scores: tuple[Evaluation, Evaluation]) -> None:
    ours, bare = scores
    report = (ours.report("newscorpus html", worst=8) + "\n"
              + bare.report("bare trafilatura.extract", worst=3))
    print("\n" + report)
    floors = BASELINE["floors"]
    assert len(ours.pages) == 50
    assert ours.f1 >= floors["f1"], f"F1 below the pinned floor {floors['f1']}\n{report}"
    assert ours.precision >= floors["precision"], f"precision below {floors['precision']}\n{report}"
    assert ours.recall >= floors["recall"], f"recall below {floors['recall']}\n{report}"


def test_better_than_bare_trafilatura(scores: tuple[Evaluation, Evaluation]) -> None:
    ours, bare = scores
    assert ours.f1 > bare.f1, f"{ours.report('ours')}\n{bare.report('bare trafilatura')}"


def test_floors_are_pinned_at_3_decimals() -> None:
    floors, measured = BASELINE["floors"], BASELINE["measured"]
    for name, floor in floors.items():
        assert floor == round(floor, 3)
        assert floor <= measured[name]
