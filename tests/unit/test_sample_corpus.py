"""The bundled synthetic sample corpus: its page dumps, site profiles and annotations.

Every dump converts to one valid article with the profile its file name intends; the corpus
covers the text hazards it is meant to exercise (scripts, emoji, Turkish İ, combining marks,
CRLF, BOM, no-break spaces, quotes, dates); the annotation files fit the converted texts; and
the annotation script is deterministic and up to date.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from newscorpus.convert.base import ConvertOptions, Input
from newscorpus.convert.pagedump import PageDumpConverter
from newscorpus.ids import article_id_from_fields, article_id_from_url
from newscorpus.records import Article, read_jsonl
from newscorpus.schema import DEFAULT_STORE, validate_jsonl

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "src" / "newscorpus" / "sample"
RAW = SAMPLE / "raw"
PROFILES = SAMPLE / "profiles"
ANNOTATIONS = SAMPLE / "annotations"
SCRIPT = ROOT / "tools" / "make_sample_annotations.py"

RAW_FILES = sorted(p.name for p in RAW.glob("*.txt"))

# file-name prefix -> the site profile that must convert it
PROFILE_BY_PREFIX = {
    "lakeshore-": "lakeshore-courier",
    "echo-": "echo-des-berges",
    "sawt-": "sawt-alwaha",
    "clip-": "generic",
}
PRONOUNS = {"he", "she", "He", "She", "il", "elle", "Il", "Elle"}


def intended_profile(name: str) -> str:
    for prefix, profile in PROFILE_BY_PREFIX.items():
        if name.startswith(prefix):
            return profile
    raise AssertionError(f"{name}: file name has no known profile prefix")


def convert(name: str) -> list[Any]:
    converter = PageDumpConverter(ConvertOptions(profile_dirs=(PROFILES,)))
    path = RAW / name
    return list(converter.convert(Input(path, name, path.read_bytes())))


@pytest.fixture(scope="module")
def articles() -> dict[str, Article]:
    out = {}
    for name in RAW_FILES:
        outcomes = convert(name)
        assert len(outcomes) == 1 and isinstance(outcomes[0], Article), (name, outcomes)
        out[name] = outcomes[0]
    return out


@pytest.fixture(scope="module")
def raw_bytes() -> dict[str, bytes]:
    return {name: (RAW / name).read_bytes() for name in RAW_FILES}


@pytest.fixture(scope="module")
def texts(articles: dict[str, Article]) -> dict[str, str]:
    return {name: a.text for name, a in articles.items()}


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_sample_annotations", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


# --- conversion ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", RAW_FILES)
def test_dump_converts_to_one_valid_article(name: str) -> None:
    outcomes = convert(name)
    assert len(outcomes) == 1
    article = outcomes[0]
    assert isinstance(article, Article), article
    assert DEFAULT_STORE.problems(article.to_dict()) == []
    assert article.published_at is not None
    assert len([b for b in article.blocks if b.kind == "paragraph"]) >= 3


@pytest.mark.parametrize("name", RAW_FILES)
def test_dump_gets_the_profile_its_name_intends(name: str) -> None:
    (article,) = convert(name)
    profile = intended_profile(name)
    rules = [p["rule"] for p in article.provenance.values()]
    assert rules
    assert all(rule.startswith(f"profile:{profile}:") for rule in rules), rules


def test_conversion_is_deterministic() -> None:
    name = RAW_FILES[0]
    assert convert(name)[0].to_dict() == convert(name)[0].to_dict()


def test_corpus_size_and_spread(articles: dict[str, Article]) -> None:
    assert len(articles) >= 22
    per_profile = Counter(intended_profile(n) for n in articles)
    assert all(per_profile[p] >= 5 for p in ("lakeshore-courier", "echo-des-berges", "sawt-alwaha"))
    assert 2 <= per_profile["generic"] <= 3
    months = {a.published_at[:7] for a in articles.values() if a.published_at}
    assert len(months) >= 6
    assert {m[:4] for m in months} == {"2025", "2026"}
    assert len({a.id for a in articles.values()}) == len(articles)
    assert {a.language for a in articles.values()} >= {"en", "fr", "ar"}
    assert any(len(a.authors) >= 2 for a in articles.values())


def test_ids_come_from_url_or_fields(articles: dict[str, Article]) -> None:
    with_url = [a for a in articles.values() if a.url]
    without = [a for a in articles.values() if not a.url]
    assert with_url and without
    for a in with_url:
        assert a.id == article_id_from_url(a.url)
        assert ".example/" in a.url
    for a in without:
        assert a.id == article_id_from_fields(a.source, a.title, a.published_at)
    # tracking parameters and fragments are gone, the host is lower-cased
    assert all("utm_" not in a.url and "#" not in a.url and a.url == a.url.lower()
               for a in with_url)


def test_chrome_fields_are_read(articles: dict[str, Article]) -> None:
    values = list(articles.values())
    assert any(a.section for a in values)
    assert any(a.reading_time_minutes for a in values)
    assert any(c.role == "photo" and c.block is not None for a in values for c in a.credits)
    assert any(c.role == "wire" for a in values for c in a.credits)
    assert any(a.related for a in values)
    assert any(a.subtitle for a in values) and any(a.subtitle is None for a in values)
    assert any("T" in (a.published_at or "") for a in values)  # a time with its UTC offset
    sawt = articles["sawt-2026-04-ujrat-alhafilat.txt"]
    assert sawt.reading_time_minutes == 3  # printed with Arabic-Indic digits
    assert articles["echo-2026-02-budget-montclar.txt"].published_at == "2026-02-01"  # '1er'
    izmir = articles["lakeshore-2026-02-izmir-sister-city.txt"]
    assert izmir.text.count(izmir.title) == 1  # the repeated headline is dropped
    for a in values:  # chrome never leaks into the text
        for marker in ("ADVERTISEMENT", "Most read", "Read more:", "Publicité", "Les plus lus",
                       "À lire aussi", "إعلان", "الأكثر قراءة", "URL:", "Lien permanent"):
            assert marker not in a.text, (a.origin["path"], marker)


# --- text hazards: raw bytes vs converted text --------------------------------------------


def test_scripts_covered(texts: dict[str, str]) -> None:
    everything = "".join(texts.values())

    def has(lo: int, hi: int) -> bool:
        return any(lo <= ord(c) <= hi for c in everything)

    assert has(0x0600, 0x06FF)  # Arabic (right-to-left)
    assert has(0x0370, 0x03FF)  # Greek
    assert has(0x0400, 0x04FF)  # Cyrillic
    assert has(0x3040, 0x30FF) and has(0x4E00, 0x9FFF)  # Japanese kana and CJK ideographs
    # katakana inside an Arabic article (mixed directions in one text)
    assert any(re.search("[\u0600-\u06ff]", t) and re.search("[\u30a0-\u30ff]", t)
               for t in texts.values())


def test_emoji_zwj_and_flag(texts: dict[str, str]) -> None:
    everything = "".join(texts.values())
    assert "👩\u200d🔬" in everything  # ZWJ sequence kept whole
    assert "🇹🇷" in everything  # flag: two regional indicators
    assert "🌡\ufe0f" in everything  # variation selector kept


def test_turkish_dotted_capital_i(texts: dict[str, str]) -> None:
    everything = "".join(texts.values())
    assert "İzmir" in everything and "İstanbul" in everything
    assert len("İ".lower()) == 2  # why text is never lower-cased


def test_combining_marks(raw_bytes: dict[str, bytes], texts: dict[str, str]) -> None:
    decomposed = [n for n, b in raw_bytes.items() if "e\u0301".encode() in b]
    assert decomposed
    for name in decomposed:
        assert "e\u0301" not in texts[name]
        assert "é" in texts[name]
    no_precomposed = [n for n, b in raw_bytes.items() if "q\u0303".encode() in b]
    assert no_precomposed
    for name in no_precomposed:
        assert "q\u0303" in texts[name]  # stays two code points after NFC
    for text in texts.values():
        assert unicodedata.is_normalized("NFC", text)


def test_crlf_bom_and_spaces(raw_bytes: dict[str, bytes], texts: dict[str, str]) -> None:
    crlf = [n for n, b in raw_bytes.items() if b"\r\n" in b]
    assert len(crlf) >= 2
    assert any(b.startswith(b"\xef\xbb\xbf") for b in raw_bytes.values())
    assert any("\u202f".encode() in b for b in raw_bytes.values())
    assert any("\u00a0".encode() in b for b in raw_bytes.values())
    for text in texts.values():
        assert "\r" not in text and "\ufeff" not in text
        assert "\u202f" not in text and "\u00a0" not in text
        assert not re.search(r"[ \t]{2,}| \n|\n ", text)


def test_quotes_straight_curly_unbalanced(texts: dict[str, str]) -> None:
    everything = "".join(texts.values())
    assert '"' in everything and "“" in everything and "«" in everything
    assert "「" in everything
    unbalanced = [n for n, t in texts.items() if t.count("“") != t.count("”")]
    assert unbalanced


# --- annotations --------------------------------------------------------------------------


def read(path: Path) -> list[dict[str, Any]]:
    return [record for _, record in read_jsonl(path)]


@pytest.mark.parametrize("filename", ["gold.jsonl", "annotator2.jsonl"])
def test_annotation_files_fit_the_texts(filename: str, articles: dict[str, Article]) -> None:
    path = ANNOTATIONS / filename
    report = validate_jsonl(path, "annotation")
    assert report.valid, [str(p) for p in report.problems]
    by_id = {a.id: a for a in articles.values()}
    records = read(path)
    assert [r["article_id"] for r in records] == sorted(r["article_id"] for r in records)
    for record in records:
        article = by_id[record["article_id"]]
        assert record["text_sha256"] == article.text_sha256
        assert record["id"] == f"{record['article_id']}:{record['annotator']}"
        assert DEFAULT_STORE.problems(record, "annotation", article_text=article.text) == []
        for e in record["entities"]:
            assert article.text[e["start"]:e["end"]] == e["text"]


def test_gold_annotations_cover_the_brief() -> None:
    import yaml

    labels = yaml.safe_load((SAMPLE / "newscorpus.yaml").read_text(encoding="utf-8"))["labels"]
    gold = read(ANNOTATIONS / "gold.jsonl")
    assert len(gold) >= 12
    assert all(r["annotator"] == "sample-annotator-1" and r["ground_truth"] for r in gold)
    assert all(r["origin"] == "sample" for r in gold)
    entity_labels = {e["label"] for r in gold for e in r["entities"]}
    assert entity_labels <= set(labels["entities"]) and len(entity_labels) >= 5
    quotes = [q for r in gold for q in r["quotes"]]
    assert len([q for q in quotes if q["speaker"]]) >= 10
    assert any(q["speaker"] and q["speaker"]["text"] in PRONOUNS and q["speaker_entity"]
               for q in quotes)
    assert any(q["cue"] for q in quotes)
    assert {q["kind"] for q in quotes} == {"direct", "indirect"}
    stances = [s for r in gold for s in r["stances"]]
    assert {s["stance"] for s in stances} == {"favor", "against", "neutral", "none"}
    assert {s["holder"]["type"] for s in stances} == {"article", "quote", "entity"}
    targets = {s["target"] for s in stances}
    assert targets <= set(labels["stance_targets"]) and len(targets) >= 4


def test_second_annotator_disagrees_on_shared_articles() -> None:
    gold = {r["article_id"]: r for r in read(ANNOTATIONS / "gold.jsonl")}
    second = read(ANNOTATIONS / "annotator2.jsonl")
    assert len(second) == 3
    for record in second:
        assert record["annotator"] == "sample-annotator-2" and not record["ground_truth"]
        other = gold[record["article_id"]]
        assert record["text_sha256"] == other["text_sha256"]
        assert any(record[k] != other[k] for k in ("entities", "quotes", "stances"))


def test_annotation_script_is_deterministic_and_up_to_date(tmp_path: Path) -> None:
    script = load_script()
    first, second = tmp_path / "first", tmp_path / "second"
    counts = script.main(first)
    assert script.main(second) == counts
    for filename in ("gold.jsonl", "annotator2.jsonl"):
        produced = (first / filename).read_bytes()
        assert produced == (second / filename).read_bytes()
        assert produced == (ANNOTATIONS / filename).read_bytes(), (
            f"{filename} is stale: run python tools/make_sample_annotations.py")
