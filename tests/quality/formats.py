"""Field gates per input format beyond single HTML pages: wire pairs (the same story as wire
JSON and as NewsML-G2), feeds with and without full content, feed items completed from their
pages, and pages the body cascade was not tuned on.

Expected values are ours (``expected/README.md``); where a feed is needed it is built in the
test from the real pages and their derived JSONL (Wikinews, CC BY 2.5), never stored.
``python -m tests.quality.fields`` prints every figure with the other field gates.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from datetime import datetime
from email.utils import format_datetime
from functools import cache
from html import escape
from pathlib import Path

from newscorpus.convert.base import Input
from newscorpus.convert.completion import CompletionReport, complete_summaries
from newscorpus.convert.feeds import FeedConverter
from newscorpus.convert.html import BODY_KINDS, HtmlConverter
from newscorpus.convert.tabular import JsonConverter
from newscorpus.dates import to_iso8601
from newscorpus.evaluate import score_page
from newscorpus.records import Article

from .fields import HERE, SHARED_DATA, FieldScores, as_written, score_article, score_record

FIXTURE_PAIRS = HERE.parent / "fixtures" / "wire"


def wire_pair_dirs(root: Path = SHARED_DATA) -> list[Path]:
    """Folders of wire pairs (``NAME.json`` + ``NAME.xml``): ours in ``tests/fixtures/wire``,
    and the real pairs in ``$NEWSCORPUS_WIRE_PAIRS`` or ``../shared/data/newsml/dpa-digitalwires``
    when they are there."""
    dirs = [FIXTURE_PAIRS]
    real = Path(os.environ.get("NEWSCORPUS_WIRE_PAIRS", root / "newsml" / "dpa-digitalwires"))
    if real.is_dir():
        dirs.append(real)
    return dirs


def body_text(record: dict | None) -> str:
    """The record's body blocks (paragraphs, headings, quotes, list items) as text."""
    if not record:
        return ""
    return "\n".join(record["text"][b["start"]:b["end"]] for b in record["blocks"] if b["kind"] in BODY_KINDS)


def _pairs(root: Path) -> Iterator[tuple[str, Path, Path]]:
    for folder in wire_pair_dirs(root):
        for js in sorted(folder.glob("*.json")):
            xml = js.with_suffix(".xml")
            if xml.is_file():
                label = "fixture:" + js.stem if folder == FIXTURE_PAIRS else js.stem
                yield label, js, xml


def _first(converter: object, path: Path) -> object:
    return next(iter(converter.convert(Input(path, path.name, path.read_bytes()))))  # type: ignore[attr-defined]


def wire_pairs(root: Path = SHARED_DATA) -> dict[str, FieldScores]:
    """Three sheets: each rendering against ``expected/wire_pairs.json`` (``wire_json``,
    ``newsml_pairs``), and the agreement of the two renderings (``wire_pairs``: the same
    authors, title, day, dek, and the body's word and word-4-gram F1 between them)."""
    from newscorpus.convert.newsml import NewsMLConverter

    expected = json.loads((HERE / "expected" / "wire_pairs.json").read_text(encoding="utf-8"))
    n = sum(1 for _ in _pairs(root))
    sheets = {"wire_json": FieldScores(f"wire JSON (wire pairs, {n})"),
              "newsml_pairs": FieldScores(f"NewsML-G2 (wire pairs, {n})"),
              "wire_pairs": FieldScores(f"wire JSON vs NewsML-G2 of the same story ({n} pairs)")}
    agree = sheets["wire_pairs"]
    for label, js, xml in _pairs(root):
        want = expected.get(label, {})
        records = []
        renderings = (("wire_json", JsonConverter(), js), ("newsml_pairs", NewsMLConverter(), xml))
        for sheet, converter, path in renderings:
            outcome = _first(converter, path)
            score_article(sheets[sheet], label, want, outcome)
            records.append(as_written(outcome))
        a, b = records
        for fld in ("authors", "title", "subtitle", "language"):
            got_a, got_b = (a or {}).get(fld), (b or {}).get(fld)
            agree.score(f"{fld}_agree", label, got_a, got_b, a is not None and got_a == got_b)
        day_a, day_b = (((r or {}).get("published_at") or "")[:10] for r in (a, b))
        agree.score("date_agree", label, day_a, day_b, bool(day_a) and day_a == day_b)
        words = score_page(label, body_text(a), body_text(b), n=1)
        grams = score_page(label, body_text(a), body_text(b))
        agree.measure("body_word_f1", label, words.f1)
        agree.measure("body_4gram_f1", label, grams.f1)
    return sheets


# ------------------------------------------------------------------ Wikinews (fr) as feeds

WIKINEWS_FR = ("open-news", "wikinews-fr-keyphrase")


def _wikinews_entries(root: Path) -> list[dict]:
    base = root.joinpath(*WIKINEWS_FR)
    lines = (base / "wikinews_fr_2012.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _page_url(page: Path) -> str:
    """The page's own canonical URL, as the HTML converter reads it."""
    outcome = HtmlConverter().convert_document(page.read_bytes(), page.name)
    return outcome.url if isinstance(outcome, Article) and outcome.url else f"https://fr.wikinews.org/?curid={page.stem}"


def _rss(items: list[str]) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            "<title>Wikinews</title><link>https://fr.wikinews.org/</link><description>Wikinews</description>"
            + "".join(items) + "</channel></rss>").encode()


def _item(entry: dict, url: str, full: bool) -> str:
    pub = ""
    if entry["date_text"]:
        iso = to_iso8601(entry["date_text"], (), ["fr"])
        if iso:
            noon = datetime.fromisoformat(iso[:10] + "T12:00:00+00:00")
            pub = f"<pubDate>{format_datetime(noon)}</pubDate>"
    summary = f"<description>{escape(entry['dek'] or entry['paragraphs'][0])}</description>"
    content = ""
    if full:
        html = "".join(f"<p>{escape(p)}</p>" for p in entry["paragraphs"])
        content = f"<content:encoded>{escape(html)}</content:encoded>"
    title = escape(entry["title"])
    return f"<item><title>{title}</title><link>{escape(url)}</link>{pub}{summary}{content}</item>"


def _feed_scores(name: str, entries: list[dict], records: list[dict | None], urls: list[str] | None,
                 body: bool = True) -> FieldScores:
    """Title, language, day, URL (when the feed gives one) and body P/R/F1 of each record."""
    scores = FieldScores(name)
    for i, (entry, rec) in enumerate(zip(entries, records, strict=True)):
        want = {"title": entry["title"], "language": "fr"}
        if urls:
            want["url"] = urls[i]
        if entry["date_text"]:
            want["published"] = to_iso8601(entry["date_text"], (), ["fr"])
        score_record(scores, entry["id"], want, rec, "not converted")
        if not body:
            continue
        truth = "\n".join(entry["paragraphs"])
        page = score_page(entry["id"], truth, body_text(rec))
        scores.measure("body_precision", entry["id"], page.precision)
        scores.measure("body_recall", entry["id"], page.recall)
        scores.measure("body_f1", entry["id"], page.f1)
    return scores


def _feed_records(data: bytes) -> list[Article]:
    return [o for o in FeedConverter().convert(Input(Path("wikinews.rss"), "wikinews.rss", data))
            if isinstance(o, Article)]


def wikinews_feeds(root: Path = SHARED_DATA) -> dict[str, FieldScores]:
    """The 100 French Wikinews pages as a feed of summaries completed from the pages
    (``feed_completion``), as a full-content feed (``feed_full``), and the pages converted
    directly (``wikinews_fr_body``: the body gate on pages the cascade was not tuned on),
    against the derived JSONL (title, dateline day, paragraphs) and the page's URL."""
    base = root.joinpath(*WIKINEWS_FR)
    entries = _wikinews_entries(root)
    pages = {e["id"]: base / "html" / f"{e['id']}.html" for e in entries}
    urls = [_page_url(pages[e["id"]]) for e in entries]
    by_url = {u: pages[e["id"]].read_bytes() for e, u in zip(entries, urls, strict=True)}
    sheets: dict[str, FieldScores] = {}

    summaries = _feed_records(_rss([_item(e, u, full=False) for e, u in zip(entries, urls, strict=True)]))
    sheets["feed_summary"] = _feed_scores(f"feed of summaries, not completed (wikinews-fr, {len(entries)})",
                                          entries, _written(summaries, len(entries)), urls, body=False)
    report = CompletionReport()
    from newscorpus.ids import canonical_url

    pages_by_url = {canonical_url(u): data for u, data in by_url.items()}
    completed = list(complete_summaries(summaries, pages_by_url.get, report=report))
    sheets["feed_completion"] = _feed_scores(
        f"feed of summaries + pages (wikinews-fr, {len(entries)}; {report.summary()})",
        entries, _written(completed, len(entries)), urls)

    full = _feed_records(_rss([_item(e, u, full=True) for e, u in zip(entries, urls, strict=True)]))
    sheets["feed_full"] = _feed_scores(f"full-content feed (wikinews-fr, {len(entries)})", entries,
                                       _written(full, len(entries)), urls)

    converter = HtmlConverter()
    direct = [as_written(converter.convert_document(pages[e["id"]].read_bytes(), pages[e["id"]].name))
              for e in entries]
    sheets["wikinews_fr_body"] = _feed_scores(f"html pages, body (wikinews-fr, {len(entries)})",
                                              entries, direct, None)
    return sheets


def wikinews_warc(root: Path = SHARED_DATA) -> FieldScores:
    """The 100 French Wikinews pages archived in one WARC (built in the test, target URI
    ``https://fr.wikinews.org/?curid=ID``) through the WARC converter: title (the site's title
    pattern learned across the archive), URL = target URI, day, language, body P/R/F1."""
    from newscorpus.convert.warc import WarcConverter
    from tests.warc_fixtures import html_responses

    base = root.joinpath(*WIKINEWS_FR)
    entries = _wikinews_entries(root)
    urls = [f"https://fr.wikinews.org/?curid={e['id']}" for e in entries]
    data = html_responses([(u, (base / "html" / f"{e['id']}.html").read_bytes())
                  for e, u in zip(entries, urls, strict=True)])
    outcomes = WarcConverter().convert(Input(Path("wikinews-fr.warc.gz"), "wikinews-fr.warc.gz", data))
    by_url = {a.url: as_written(a) for a in outcomes if isinstance(a, Article)}
    records = [by_url.get(u) for u in urls]
    return _feed_scores(f"WARC of html pages (wikinews-fr, {len(entries)})", entries, records, urls)


def dev_completion(root: Path = SHARED_DATA) -> FieldScores:
    """The 50 html-extraction-dev pages as a feed of summaries (our expected title, the
    page's URL, the first 200 characters of its ground-truth body as description), completed
    from the pages: the feed's title kept, every paragraph of the page's body (word 4-gram
    P/R/F1 against the ground truth; the dev split the body cascade was tuned on)."""
    import gzip

    from newscorpus.ids import canonical_url

    base = root / "html-extraction-dev"
    truth = json.loads((base / "ground-truth.json").read_text(encoding="utf-8"))
    expected = json.loads((HERE / "expected" / "html_extraction_dev.json").read_text(encoding="utf-8"))
    keys = sorted(truth)
    items = [f"<item><title>{escape(expected[k]['title'])}</title><link>{escape(truth[k]['url'])}</link>"
             f"<description>{escape(truth[k]['articleBody'].split(chr(10))[0][:200])}</description></item>"
             for k in keys]
    pages = {canonical_url(truth[k]["url"]): gzip.decompress((base / "html" / f"{k}.html.gz").read_bytes())
             for k in keys}
    report = CompletionReport()
    done = {a.url: as_written(a) for a in complete_summaries(_feed_records(_rss(items)), pages.get,
                                                              report=report)}
    scores = FieldScores(f"feed of summaries + pages (html-extraction-dev, {len(keys)}; {report.summary()})")
    for k in keys:
        rec = done.get(truth[k]["url"])
        score_record(scores, k, {"title": expected[k]["title"]}, rec)  # the URL: the feed's (issue 15)
        page = score_page(k, truth[k]["articleBody"], body_text(rec))
        scores.measure("body_precision", k, page.precision)
        scores.measure("body_recall", k, page.recall)
        scores.measure("body_f1", k, page.f1)
    return scores


def _written(articles: list[Article], n: int) -> list[dict | None]:
    out: list[dict | None] = [as_written(a) for a in articles]
    return out + [None] * (n - len(out))


@cache
def _sheets(suite: str, root: Path) -> dict[str, FieldScores]:
    return {"wire": wire_pairs, "wikinews": wikinews_feeds}[suite](root)


def sheet(suite: str, name: str) -> Callable[[Path], FieldScores]:
    """A suite function for :data:`tests.quality.fields.SUITES`: one sheet of a suite that
    computes several at once (computed once per data root)."""
    def run(root: Path = SHARED_DATA) -> FieldScores:
        return _sheets(suite, root)[name]
    run.__name__ = name
    return run


FORMAT_SUITES = {
    "wire_json": sheet("wire", "wire_json"),
    "newsml_wire_pairs": sheet("wire", "newsml_pairs"),
    "wire_pairs_agreement": sheet("wire", "wire_pairs"),
    "feed_summary": sheet("wikinews", "feed_summary"),
    "feed_completion": sheet("wikinews", "feed_completion"),
    "feed_full_content": sheet("wikinews", "feed_full"),
    "wikinews_fr_body": sheet("wikinews", "wikinews_fr_body"),
    "warc_pages": wikinews_warc,
    "feed_completion_dev": dev_completion,
}
