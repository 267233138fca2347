"""Gold attributions for the quality gate, read from ../shared/data at test time: GUM's direct
quotes and the hand-annotated development set (tests/fixtures/attribution-dev, offsets only)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.attribution_fixtures import quote_record
from tests.conftest import REPO

DEV = REPO / "tests" / "fixtures" / "attribution-dev" / "dev.jsonl"


def gum_rows(shared: Path) -> list[dict[str, Any]]:
    path = shared / "open-news" / "gum-wikinews-en" / "gum_wikinews_news.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def fr_texts(shared: Path) -> dict[str, str]:
    """French Wikinews texts: title, dek and paragraphs joined by blank lines."""
    path = shared / "open-news" / "wikinews-fr-keyphrase" / "wikinews_fr_2012.jsonl"
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        out[d["id"]] = "\n\n".join([p for p in (d["title"], d["dek"]) if p] + d["paragraphs"])
    return out


def gum_gold(shared: Path, annotated_only: bool = True) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """GUM texts and gold records. GUM splits one quotation at sentence boundaries: segments with
    only white space between them are joined into one quotation (they share a speaker)."""
    texts, gold = {}, []
    for r in gum_rows(shared):
        if annotated_only and not r["quotes"]:
            continue
        text = texts[r["id"]] = r["text"]
        spans: list[list[int]] = []
        for q in sorted(r["quotes"], key=lambda q: q["start"]):
            if spans and not text[spans[-1][1] : q["start"]].strip():
                spans[-1][1] = q["end"]
            else:
                spans.append([q["start"], q["end"]])
        gold.append(
            {
                "article_id": r["id"],
                "entities": [],
                "quotes": [quote_record(text, s, e) for s, e in spans],
            }
        )
    return texts, gold


DEV_PARTS = ("session2", "tune", "heldout")


def dev_gold(shared: Path, part: str | None = None) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Texts and gold records of the development set, or of one of its parts: ``session2``
    (the first 34 attributions, tuned on), ``tune`` (added later, tuned on) and ``heldout``
    (never looked at while changing the rules; only scored)."""
    gum = {r["id"]: r["text"] for r in gum_rows(shared)}
    fr = fr_texts(shared)
    texts, gold = {}, []
    for line in DEV.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        if part is not None and r["part"] != part:
            continue
        text = texts[r["article"]] = (gum if r["corpus"] == "gum" else fr)[r["article"]]
        quotes = [quote_record(text, *q["content"], q["kind"], q["speaker"], q["cue"]) for q in r["quotes"]]
        gold.append({"article_id": r["article"], "entities": [], "quotes": quotes})
    return texts, gold
