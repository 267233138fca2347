"""Feeds, NewsML-G2/NITF and JSONL exports in ../shared/data: every file converts or is
rejected/skipped with a reason (no traceback, counts add up), and concrete values read
off a few real files (checked by reading them)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from newscorpus.convert.base import ConvertOptions, Input
from newscorpus.convert.batch import convert_paths, iter_inputs
from newscorpus.convert.feeds import read_feed
from newscorpus.convert.tabular import JsonlConverter
from newscorpus.records import Article, read_jsonl
from newscorpus.report import ConvertReport, Rejection
from newscorpus.schema import DEFAULT_STORE

pytestmark = pytest.mark.shared_data


def _convert(folder: Path, tmp: Path) -> tuple[ConvertReport, dict[str, dict]]:
    report = convert_paths([folder], tmp / "out.jsonl", tmp / "quarantine.jsonl")
    records = {r["origin"]["path"] + f":{r['origin'].get('line')}": r
               for _, r in read_jsonl(tmp / "out.jsonl")}
    return report, records


def _check_every_input_accounted(folder: Path, report: ConvertReport,
                                 records: dict[str, dict]) -> None:
    assert report.inputs == report.converted + report.rejected + report.skipped
    assert report.written == report.converted == len(records)
    seen = Counter(r["origin"]["path"] for r in records.values())
    seen.update(r.path for r in report.rejections)
    seen.update(s.path for s in report.skips)
    names = [name for _, name in iter_inputs([folder])]
    assert sorted(seen) == sorted(names)  # every file ends as records, rejections or skips
    for rejection in report.rejections:
        assert rejection.reason and "failed:" not in rejection.reason, rejection  # no traceback
    for skip in report.skips:
        assert skip.reason
    for record in records.values():
        assert DEFAULT_STORE.problems(record, "article") == []


@pytest.fixture(scope="module")
def feeds(shared_data: Path, tmp_path_factory: pytest.TempPathFactory
          ) -> tuple[Path, ConvertReport, dict[str, dict]]:
    folder = shared_data / "feeds"
    return (folder, *_convert(folder, tmp_path_factory.mktemp("feeds")))


@pytest.fixture(scope="module")
def newsml(shared_data: Path, tmp_path_factory: pytest.TempPathFactory
           ) -> tuple[Path, ConvertReport, dict[str, dict]]:
    folder = shared_data / "newsml"
    return (folder, *_convert(folder, tmp_path_factory.mktemp("newsml")))


# ------------------------------------------------------------------------------ feeds


def test_feeds_folder_counts(feeds: tuple[Path, ConvertReport, dict[str, dict]]) -> None:
    folder, report, records = feeds
    _check_every_input_accounted(folder, report, records)
    # issue 15: feeds cut short before their closing root tag, title-only items rejected
    assert (report.inputs, report.converted, report.rejected, report.skipped) == (28, 4, 15, 9)
    by_path = {r.path: r.reason for r in report.rejections}
    assert by_path["feedparser/illformed/aaa_illformed.xml"].startswith(
        "ill-formed feed, nothing could be read: SAXParseException")
    assert by_path["feedparser/encoding/bozo_bogus_encoding.xml"].startswith(
        "ill-formed feed, nothing could be read: CharacterEncodingOverride")
    assert by_path["feedparser/encoding/demoronize-1.xml"] == "item 1: no title"
    skips = {s.path: s.reason for s in report.skips}
    assert skips["feedparser/LICENSE.BSD-2"] == "documentation or licence file, not an article input"


def test_rss20_example(feeds: tuple[Path, ConvertReport, dict[str, dict]]) -> None:
    record = feeds[2]["feedparser/examples/rss20.xml:31"]
    assert record["title"] == "First item title"
    assert record["url"] == "http://example.org/item/1"
    assert record["published_at"] == "2002-09-05T00:00:01+00:00"
    assert record["content_kind"] == "summary"  # only a <description>
    assert record["text"] == "First item title\n\nWatch out for nasty tricks"
    assert record["keywords"] == ["Miscellaneous"]
    assert record["authors"] == []  # <author> holds only an e-mail address
    assert record["source"] == "Sample Feed" and record["language"] == "en"


def test_rss10_and_atom_examples(feeds: tuple[Path, ConvertReport, dict[str, dict]]) -> None:
    rss10 = feeds[2]["feedparser/examples/rss10.rdf:24"]
    assert rss10["authors"] == ["Aaron Swartz"]
    assert rss10["published_at"] == "2004-05-30T14:23:54-06:00"
    assert rss10["url"] == "http://example.org/archives/2002/09/04.html#first_of_all"  # as given
    assert "content_kind" not in rss10  # content:encoded is full content
    assert rss10["text"].endswith("Ian Hickson: Americans are fat. Smokers are stupid. "
                                  "People who don't speak Perl are irrelevant.")
    assert rss10["keywords"] == ["Politics"]
    atom = feeds[2]["feedparser/examples/atom03.xml:13"]
    assert atom["title"] == "First entry title"
    assert atom["authors"] == ["Mark Pilgrim"]
    assert [(c["role"], c["name"]) for c in atom["credits"]] == [("contributor", "Joe"),
                                                                 ("contributor", "Sam")]
    assert atom["published_at"] == "2004-04-20T00:23:47+00:00"
    assert atom["modified_at"] == "2004-04-20T11:56:34+00:00"
    assert atom["url"] == "http://example.org/entry/3"
    assert atom["language"] == "en"  # the declared en-US, normalized (newscorpus.language)
    skips = {s.path: s.reason for s in feeds[1].skips}
    assert skips["feedparser/examples/atom10.xml"].startswith("duplicate of feedparser/examples/atom03.xml")


def test_json_feeds(shared_data: Path) -> None:
    from newscorpus.convert.feeds import FeedConverter

    for name, line in (("json10_feed.json", 18), ("json11_feed.json", 20)):
        path = shared_data / "feeds" / "gofeed-jsonfeed" / name
        [article] = FeedConverter().convert(Input(path, name, path.read_bytes()))
        assert isinstance(article, Article), article
        assert article.title == "title"
        assert article.url == "https://sample-json-feed.com/id"
        assert article.authors == []  # "author_name" is a login-style placeholder, not a person
        assert article.keywords == ["tag1", "tag2"]
        assert article.published_at == "2019-10-12T07:20:50.520000+00:00"
        assert article.modified_at is None  # same as published
        assert [(b.kind, article.text[b.start:b.end]) for b in article.blocks] == [
            ("title", "title"), ("dek", "summary"), ("paragraph", "content_html")]
        assert [i.url for i in article.images] == ["https://sample-json-feed.com/image.png",
                                                   "https://sample-json-feed.com/banner_image.png"]
        assert article.source == "title"
        assert article.origin["line"] == line


def test_feed_encodings(shared_data: Path) -> None:
    folder = shared_data / "feeds" / "feedparser" / "encoding"
    euc_kr = read_feed((folder / "euc-kr.xml").read_bytes())
    assert euc_kr.encoding == "euc-kr" and euc_kr.title == "\ub144"
    big5 = read_feed((folder / "big5.xml").read_bytes())
    assert big5.encoding == "big5" and big5.problem is None
    demoronized = read_feed((folder / "demoronize-1.xml").read_bytes())
    assert demoronized.items[0].summary == [("paragraph", "don\u2019t")]  # cp1252 quote
    double = read_feed((folder / "double-encoded-html.xml").read_bytes())
    assert double.items[0].summary == [("paragraph", "\u2026")]


def test_feed_encoding_skips_name_the_encoding(feeds: tuple[Path, ConvertReport, dict[str, dict]]
                                               ) -> None:
    skips = {s.path: s.reason for s in feeds[1].skips}
    assert skips["feedparser/encoding/euc-kr.xml"] == "feed '년' has no items (rss20, encoding euc-kr)"
    assert skips["feedparser/encoding/big5.xml"] == "feed has no items (rss, encoding big5)"


# ----------------------------------------------------------------------- NewsML / NITF


def test_newsml_folder_counts(newsml: tuple[Path, ConvertReport, dict[str, dict]]) -> None:
    folder, report, records = newsml
    _check_every_input_accounted(folder, report, records)
    assert (report.inputs, report.converted, report.rejected, report.skipped) == (45, 7, 9, 29)
    skips = {s.path.rsplit("/", 1)[1]: s.reason for s in report.skips}
    assert "is a picture item, not text" in skips["LISTING_3_Photo_in_NewsML-G2.xml"]
    assert "is a video item, not text" in skips["LISTING_5_Multi-part_Video_in_NewsML-G2.xml"]
    assert skips["LISTING_6_Simple_NewsML-G2_Package.xml"].startswith("package item")
    assert skips["LISTING_17_Planning_Item_a_CCL.xml"].startswith("planning item")
    assert skips["LISTING_11_Person_Concept_conveyed_in_a_NewsML-G2_Concept_Item.xml"].startswith(
        "concept item")
    assert skips["LISTING_12_Knowledge_Item_for_Access_Codes.xml"].startswith("knowledge item")
    assert "application/sportsml+xml" in skips["LISTING_21_A_complete_sample_SportsML-G2_document.xml"]
    rejected = Counter(r.path.rsplit("/", 1)[1] for r in report.rejections)
    assert rejected["LISTING_24_News_Message_conveying_a_complete_News_Package.xml"] == 4


def _by_file(records: dict[str, dict], name: str) -> dict:
    [record] = [r for r in records.values() if r["origin"]["path"].endswith(name)]
    return record


def test_nitf_examples(newsml: tuple[Path, ConvertReport, dict[str, dict]]) -> None:
    records = newsml[2]
    norfolk = _by_file(records, "nitf-example-3.3.xml")
    assert norfolk["title"] == "Weather and Tide Updates for Norfolk"
    assert norfolk["subtitle"] == "A sample, fictitious NITF article"
    assert norfolk["authors"] == ["Alan Karben"]
    assert norfolk["published_at"] == "2002-02-25T14:30:00-05:00"
    assert norfolk["keywords"] == ["fishing", "lures", "tides"]
    assert norfolk["source"] == "nitf.org"
    assert norfolk["images"] == [{"url": "high-tide.jpg", "block": 4, "credit": "Karben",
                                  "caption": "The tides, captured on film late yesterday."}]
    kinds = [b["kind"] for b in norfolk["blocks"]]
    assert kinds.count("heading") == 2 and kinds.count("list_item") == 3
    assert "Sunset" not in norfolk["text"]  # the tide table is left out
    assert norfolk["provenance"]["id"]["rule"] == "guid iptc.321656141.b"  # the doc-id, not the title
    space = _by_file(records, "nitf-example-3.6.xml")
    assert space["title"] == "Astronauts take spacewalk No. 3 after suit snag"
    assert space["authors"] == ["Alan Karben"]
    assert space["published_at"] == "2009-11-23T11:44:28+00:00"
    assert space["source"] == "The Example Press"
    assert space["images"][0]["url"] == (
        "http://syndication.example.org/contentid/7ec8f76677914ac68cec6ad32a67bc2a")
    skips = {s.path: s.reason for s in newsml[1].skips}
    assert skips["nitf-examples/nitf-example-3.4.xml"].startswith(
        "duplicate of nitf-examples/nitf-example-3.3.xml")


def test_newsml_text_items(newsml: tuple[Path, ConvertReport, dict[str, dict]]) -> None:
    records = newsml[2]
    fed = _by_file(records, "LISTING_2_NewsML-G2_Text_Document.xml")
    assert fed["title"] == 'Fed to halt QE to avert "bubble"'
    assert fed["authors"] == ["Meredith Jameson"]
    assert fed["published_at"] == "2016-11-21T15:21:06-05:00"
    assert fed["modified_at"] == "2018-11-21T16:22:45-05:00"
    # the body of this IPTC example is Latin-like filler ("Et, sent luptat luptat..."): the
    # text wins over the declared en-US (newscorpus.language), and says so
    assert fed["language"] == "la"
    assert "over the declared en-US" in fed["provenance"]["language"]["rule"]
    assert fed["source"] == "Acme News and Media LLC"
    assert {"role": "wire", "name": "Associated Press", "block": None} in fed["credits"]
    assert fed["keywords"] == ["economy, business and finance", "central bank",
                               "money and monetary policy"]
    assert [b["kind"] for b in fed["blocks"]] == ["title", "paragraph", "paragraph"]
    sports = _by_file(records, "LISTING_22_Sports_story_in_NewsML-G2NITF.xml")
    assert sports["title"] == ("Preview: Arizona Diamondbacks (29-23) at Philadelphia Phillies "
                               "(26-24), 7:05 p.m.")
    assert sports["published_at"] == "2016-10-19T11:15:00-05:00"
    assert [b["kind"] for b in sports["blocks"]].count("paragraph") == 6
    excerpt = _by_file(records, "LISTING_25_An_NITF_marked-up_article_conveyed_in_inlineXML.xml")
    assert excerpt["title"] == ("Arizona Diamondbacks (29-23) at Philadelphia Phillies (26-24), "
                                "7:05p.m.")
    assert excerpt["provenance"]["text"]["rule"] == "contentSet/inlineXML/nitf:body.content"
    widgets = _by_file(records, "LISTING_27_Company_Financial_Information.xml")
    assert widgets["content_kind"] == "summary"
    assert widgets["published_at"] == "2016-10-19T13:15:00+00:00"  # itemMeta/firstCreated


# ------------------------------------------------------------------------------ JSONL


def _jsonl(path: Path, mapping: str | None) -> list[object]:
    converter = JsonlConverter(ConvertOptions(mapping=Path(mapping) if mapping else None))
    return list(converter.convert(Input(path, path.name, path.read_bytes())))


@pytest.mark.parametrize("mapping", ["gum-wikinews", None])
def test_gum_wikinews_jsonl(shared_data: Path, mapping: str | None) -> None:
    path = shared_data / "open-news" / "gum-wikinews-en" / "gum_wikinews_news.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    outcomes = _jsonl(path, mapping)
    assert len(outcomes) == len(rows) == 24
    for row, article in zip(rows, outcomes, strict=True):
        assert isinstance(article, Article), article
        assert DEFAULT_STORE.problems(article.to_dict()) == []
        assert article.title == row["title"]
        # the source text is reproduced exactly, so GUM's entity and quote offsets apply as they are
        assert article.text == row["text"]
        assert article.blocks[0].kind == "title"
    first = outcomes[0]
    assert isinstance(first, Article)
    if mapping:
        assert first.source == "Wikinews"
        assert first.published_at == "2017-07-18" and first.modified_at == "2017-08-06"
        assert first.provenance["id"]["rule"] == "url (ref GUM_news_afghan)"
    assert first.url is not None and first.url.startswith("https://en.wikinews.org/wiki/After_visa_snags")


@pytest.mark.parametrize("name", ["devtest_mt.sample250.jsonl", "devtest_rw.sample250.jsonl"])
def test_newsmtsc_jsonl(shared_data: Path, name: str) -> None:
    path = shared_data / "stance" / "newsmtsc" / name
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    outcomes = _jsonl(path, "newsmtsc")
    assert len(outcomes) == len(rows) == 250
    unchanged = 0
    for row, article in zip(rows, outcomes, strict=True):
        assert isinstance(article, Article), article
        assert [b.kind for b in article.blocks] == ["paragraph"]
        assert article.source == "NewsMTSC"
        ref = " ".join(row["primary_gid"].split())  # white space normalized like any text
        assert article.provenance["id"]["rule"] == f"source+title+date (ref {ref})"
        if article.text == row["sentence_normalized"]:
            unchanged += 1
            for target in row["targets"]:  # offsets into the sentence hold in the record
                assert article.text[target["from"]:target["to"]] == target["mention"]
    # sentences with no-break spaces or doubled spaces are normalized; the rest are verbatim
    assert unchanged >= 225


def test_jsonl_rejection_locations(shared_data: Path) -> None:
    """The NewsMTSC lines have no title column: with the default mapping each line is a
    rejection naming its line."""
    path = shared_data / "stance" / "newsmtsc" / "devtest_rw.sample250.jsonl"
    outcomes = _jsonl(path, None)
    assert all(isinstance(o, Rejection) for o in outcomes)
    assert [o.line for o in outcomes if isinstance(o, Rejection)] == list(range(1, 251))


# ------------------------------------------------------------------------ robustness


def test_damaged_real_files_never_raise(shared_data: Path) -> None:
    """Truncated and byte-flipped versions of every real feed/NewsML/NITF file, through every
    converter of this family: outcomes only (no exception), and every article valid."""
    import random

    from newscorpus.convert.feeds import FeedConverter
    from newscorpus.convert.newsml import NewsMLConverter
    from newscorpus.convert.nitf import NitfConverter
    from newscorpus.convert.tabular import CsvConverter

    rng = random.Random(20261103)
    converters = [FeedConverter(), NitfConverter(), NewsMLConverter(), JsonlConverter(),
                  CsvConverter()]
    files = sorted(p for folder in ("feeds", "newsml") for p in (shared_data / folder).rglob("*")
                   if p.is_file())
    for path in files:
        data = path.read_bytes()
        variants = [data[:rng.randrange(len(data) + 1)] for _ in range(3)]
        for _ in range(2):
            damaged = bytearray(data)
            for _ in range(5):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
            variants.append(bytes(damaged))
        for variant in variants:
            for converter in converters:
                for outcome in converter.convert(Input(path, path.name, variant)):
                    if isinstance(outcome, Article):
                        assert DEFAULT_STORE.problems(outcome.to_dict()) == [], (path, converter.name)
