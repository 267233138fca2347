"""HTML converter and page metadata on pages written here."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from newscorpus.convert.base import Input
from newscorpus.convert.html import HtmlConverter, decode_html
from newscorpus.convert.htmlbody import is_boilerplate, jsonld_body_verdict, page_text, text_parts
from newscorpus.convert.htmlmeta import bcp47, clean_title, parse_date, split_caption
from newscorpus.convert.registry import detect
from newscorpus.evaluate import score_page, score_texts
from newscorpus.ids import article_id_from_url
from newscorpus.records import Article
from newscorpus.report import Rejection
from newscorpus.schema import DEFAULT_STORE

PARAS = [
    "The harbour bridge reopened on Monday morning after three months of repairs, the city "
    "council said, ending long detours for thousands of commuters who cross it every day.",
    "Engineers replaced the worn expansion joints and repainted the steel deck, and the work "
    "finished two weeks ahead of schedule and slightly under the budget voted last spring.",
    "\u201cIt is safe, and it will stay safe through the winter storms,\u201d the chief engineer "
    "told reporters gathered at the eastern end of the crossing on a cold, bright morning.",
    "Shop owners near the bridge said trade had fallen by a third during the closure and "
    "hoped that customers would now come back before the busy holiday season begins.",
]


def page(head: str = "", body: str = "", paras: list[str] = PARAS, lang: str = "en",
         title: str = "Harbour bridge reopens after repairs | Lakeshore Courier") -> str:
    ps = "".join(f"<p>{p}</p>" for p in paras)
    return (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>{title}</title>"
            f"{head}</head><body><nav><a href='/'>Home</a> <a href='/city'>City</a></nav>"
            f"<article><h1>Harbour bridge reopens after repairs</h1>{body}{ps}</article>"
            f"<footer><p>Copyright Lakeshore Courier</p></footer></body></html>")


def jsonld(obj: object) -> str:
    return f"<script type='application/ld+json'>{json.dumps(obj)}</script>"


def convert(html: str | bytes, url: str | None = None, charset: str | None = None) -> object:
    data = html.encode("utf-8") if isinstance(html, str) else html
    return HtmlConverter().convert_document(data, "page.html", url, charset)


def article(html: str | bytes, url: str | None = None, charset: str | None = None) -> Article:
    outcome = convert(html, url, charset)
    assert isinstance(outcome, Article), outcome
    assert DEFAULT_STORE.problems(outcome.to_dict()) == []
    return outcome


def paragraphs(a: Article) -> list[str]:
    return [a.text[b.start:b.end] for b in a.blocks if b.kind == "paragraph"]


def test_plain_page() -> None:
    a = article(page())
    assert a.title == "Harbour bridge reopens after repairs"  # site suffix dropped
    assert paragraphs(a) == PARAS
    assert a.blocks[0].kind == "title" and a.text.count(a.title) == 1
    assert a.language == "en" and a.provenance["language"]["rule"] == "html"
    assert a.provenance["text"] == {"converter": "html", "rule": "trafilatura"}
    assert a.url is None and a.source == "unknown"


def test_jsonld_authors_list_dates_section_keywords() -> None:
    head = jsonld({
        "@context": "https://schema.org", "@type": "NewsArticle",
        "headline": "Harbour bridge reopens after repairs",
        "author": [{"@type": "Person", "name": "Ana Lima"},
                   {"@type": "Person", "name": "Jonas Berg and Mei Chen"},
                   {"@type": "Person", "name": "https://facebook.com/ana.lima"},
                   {"@type": "Person", "name": "Staff Writer"},
                   {"@type": "Organization", "name": "Reuters"}],
        "datePublished": "2026-11-03T09:15:00+01:00", "dateModified": "2026-11-03T10:00:00Z",
        "articleSection": ["City", "Transport"], "keywords": "bridge, transport, Bridge",
        "publisher": {"@type": "Organization", "name": "Lakeshore Courier"},
        "inLanguage": "en-GB",
    })
    a = article(page(head))
    assert a.authors == ["Ana Lima", "Jonas Berg", "Mei Chen"]
    assert [(c.role, c.name) for c in a.credits] == [("wire", "Reuters")]
    assert a.published_at == "2026-11-03T09:15:00+01:00"
    assert a.modified_at == "2026-11-03T10:00:00+00:00"
    assert a.section == "City" and a.keywords == ["bridge", "transport"]
    assert a.source == "Lakeshore Courier"
    for field in ("authors", "published_at", "modified_at", "section", "title", "source"):
        assert a.provenance[field] == {"converter": "html", "rule": "jsonld"}, field


def test_jsonld_graph_with_id_references() -> None:
    head = jsonld({"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "@id": "https://news.example/#site", "name": "Lakeshore Courier"},
        {"@type": "Person", "@id": "https://news.example/#ana", "name": "Ana Lima"},
        {"@type": ["NewsArticle", "Article"], "@id": "https://news.example/bridge#article",
         "headline": "Harbour bridge reopens after repairs",
         "author": {"@id": "https://news.example/#ana"},
         "datePublished": "2026-11-03T08:00:00-05:00"},
    ]})
    a = article(page(head))
    assert a.authors == ["Ana Lima"]
    assert a.published_at == "2026-11-03T08:00:00-05:00"
    assert a.source == "Lakeshore Courier"


def test_meta_and_opengraph_fallbacks_with_timezones() -> None:
    head = ("<meta property='og:site_name' content='Lakeshore Courier'>"
            "<meta name='author' content='By Ana Lima, Jonas Berg &amp; Mei Chen'>"
            "<meta property='article:published_time' content='2026-11-03T08:00:00Z'>"
            "<meta property='article:modified_time' content='Tue, 03 Nov 2026 12:30:00 +0200'>"
            "<meta property='article:section' content='City'>"
            "<meta property='og:locale' content='en_GB'>")
    a = article(page(head, lang=""))
    assert a.authors == ["Ana Lima", "Jonas Berg", "Mei Chen"]
    assert a.published_at == "2026-11-03T08:00:00+00:00"
    assert a.modified_at == "2026-11-03T12:30:00+02:00"
    assert a.language == "en-GB" and a.provenance["language"]["rule"] == "opengraph"
    assert a.provenance["published_at"]["rule"] == "opengraph"
    assert a.provenance["authors"]["rule"] == "meta"


def test_canonical_url_with_tracking_params_gives_the_id() -> None:
    head = "<link rel='canonical' href='/city/bridge?utm_source=twitter&amp;id=7&amp;fbclid=x#top'>"
    a = article(page(head), url="https://WWW.News.Example/amp/bridge?utm_medium=social")
    assert a.url == "https://www.news.example/city/bridge?id=7"
    assert a.id == article_id_from_url("https://www.news.example/city/bridge?id=7")
    assert a.provenance["url"]["rule"] == "html"
    assert a.source == "news.example" and a.provenance["source"]["rule"] == "url"


def test_canonical_to_home_page_is_ignored() -> None:
    a = article(page("<link rel='canonical' href='https://news.example/'>"),
                url="https://news.example/city/bridge")
    assert a.url == "https://news.example/city/bridge" and a.provenance["url"]["rule"] == "url"


def test_same_input_same_record() -> None:
    assert article(page()).to_dict() == article(page()).to_dict()


@pytest.mark.parametrize(("html", "reason"), [
    (b"", "empty page"),
    (b"   \n", "empty page"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
    (b"<html><head><title>Hi</title></head><body><nav>Home</nav></body></html>", "no article text"),
    (page(title="").replace("<h1>Harbour bridge reopens after repairs</h1>", "").encode(), "no title"),
])
def test_bad_or_empty_html_is_a_rejection(html: bytes, reason: str) -> None:
    outcome = convert(html)
    assert isinstance(outcome, Rejection)
    assert reason in outcome.reason and outcome.path == "page.html"


def test_gzipped_file_through_convert(tmp_path: Path) -> None:
    data = gzip.compress(page().encode())
    [outcome] = list(HtmlConverter().convert(Input(tmp_path / "p.html.gz", "p.html.gz", data)))
    assert isinstance(outcome, Article) and paragraphs(outcome) == PARAS
    assert outcome.origin["path"] == "p.html.gz" and outcome.origin["format"] == "html"
    [bad] = list(HtmlConverter().convert(Input(tmp_path / "b.html.gz", "b.html.gz", data[:40])))
    assert isinstance(bad, Rejection) and "gzip" in bad.reason


def test_sniffing() -> None:
    assert detect(Path("page.html.gz"), b"\x1f\x8b") == "html"
    assert detect(Path("download"), gzip.compress(page().encode())[:4096]) == "html"
    assert detect(Path("noext"), b"  <!DOCTYPE html><html>") == "html"
    assert not HtmlConverter.sniff(Path("notes.txt"), b"<html>")


def test_charsets() -> None:
    meta = "<meta http-equiv='Content-Type' content='text/html; charset=windows-1252'>"
    cp = page(paras=[p.replace("bridge", "pont café") for p in PARAS]).replace(
        "<meta charset='utf-8'>", meta)
    assert "pont café" in article(cp.encode("cp1252")).text
    nometa = cp.replace("charset=windows-1252", "")
    assert "pont café" in article(nometa.encode("cp1252"), charset="iso-8859-1").text
    text, enc = decode_html("<p>déjà</p>".encode(), "iso-8859-1")
    assert (text, enc) == ("<p>déjà</p>", "utf-8")  # valid UTF-8 wins over a wrong header


def test_jsonld_article_body_consistent_is_used() -> None:
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    a = article(page(jsonld({"@type": "NewsArticle", "headline": "Harbour bridge reopens after repairs",
                             "articleBody": body})))
    assert a.provenance["text"]["rule"] == "jsonld" and paragraphs(a) == PARAS


@pytest.mark.parametrize(("body", "why"), [
    (" ".join(PARAS)[:300] + "...", "cut short"),
    ("A different story about a dam, with many words that the page never shows anywhere at all, "
     "repeated to be long enough for the check. " * 3, "not the page's visible text"),
    (PARAS[0] + " " + PARAS[1], "misses text"),
])
def test_jsonld_article_body_inconsistent_is_not_used(body: str, why: str) -> None:
    head = jsonld({"@type": "NewsArticle", "headline": "Harbour bridge reopens after repairs",
                   "articleBody": body})
    a = article(page(head))
    assert a.provenance["text"]["rule"] == "trafilatura" and paragraphs(a) == PARAS
    import lxml.html

    ok, reason = jsonld_body_verdict(text_parts(body), page_text(lxml.html.fromstring(page())),
                                     [("paragraph", p) for p in PARAS])
    assert not ok and why in reason


def test_split_body_chunks_are_completed() -> None:
    chunk = "<div class='body-chunk'>{}</div><aside class='ad'><p>Advertisement</p></aside>"
    body = "".join(chunk.format(f"<p>{p}</p>") for p in PARAS)
    html = page().replace("".join(f"<p>{p}</p>" for p in PARAS), body)
    a = article(html)
    assert paragraphs(a) == PARAS


def test_boilerplate_blocks_dropped() -> None:
    assert is_boilerplate("Read more: Council approves the budget")
    assert is_boilerplate("Get the latest updates right in your inbox. Subscribe to our newsletters.")
    assert is_boilerplate("[button link='x']Send us your review[/button]")
    assert not is_boilerplate(PARAS[0])
    a = article(page(paras=PARAS + ["Like this story? Share it with a friend!"]))
    assert paragraphs(a) == PARAS


def test_dek_shown_goes_into_text_and_hidden_description_does_not() -> None:
    shown = page(body="<h2>Commuters return to the crossing after three months of detours.</h2>")
    a = article(shown)
    assert a.subtitle == "Commuters return to the crossing after three months of detours."
    assert a.blocks[1].kind == "dek" and a.provenance["subtitle"]["rule"] == "html:standfirst"
    hidden = page("<meta property='og:description' content='The city reopens a key bridge early.'>")
    b = article(hidden)
    assert b.subtitle == "The city reopens a key bridge early."
    assert "dek" not in [x.kind for x in b.blocks] and "kept out of text" in b.provenance["subtitle"]["rule"]
    lead = page(f"<meta name='description' content='{PARAS[0][:120]}'>")
    assert article(lead).subtitle is None  # the description is the lead paragraph


LEAD = ("Rescue teams found a fifth victim on Sunday, four days after a landslide buried several "
        "houses in the village, and five people, two of them children, are still missing.")


@pytest.mark.parametrize("markup", [
    f"<div class='share'><a href='/s'>Share</a></div><div class='article__lead'>{LEAD}</div>",
    f"<div class='article__summary summary'>\n  {LEAD}\n</div>",
    f"<p class='lead'>{LEAD}</p>",
])
def test_lead_paragraph_is_body_not_dek(markup: str) -> None:
    """Markup naming the story's lead keeps it in the body, though the description repeats it."""
    a = article(page(f"<meta name='description' content='{LEAD}'>"
                     f"<meta property='og:description' content='{LEAD}'>", body=markup))
    assert paragraphs(a) == [LEAD, *PARAS]
    assert a.subtitle is None and "dek" not in [b.kind for b in a.blocks]


@pytest.mark.parametrize("markup", [
    f"<p class='article__standfirst'>{LEAD}</p>",
    f"<p class='article__lead-paragraph' itemprop='description'>{LEAD}</p>",
    f"<p class='c-entry-summary p-dek'>{LEAD}</p>",
])
def test_markup_meant_for_a_dek_stays_the_dek(markup: str) -> None:
    a = article(page(f"<meta property='og:description' content='{LEAD}'>", body=markup))
    assert a.subtitle == LEAD and a.blocks[1].kind == "dek"
    assert paragraphs(a) == PARAS


def headed_page(header: str, body: str, head: str = "") -> str:
    """A page whose headline sits in a ``<header>`` outside the article."""
    ps = "".join(f"<p>{p}</p>" for p in PARAS)
    return (f"<html lang='en'><head><title>Harbour bridge reopens after repairs</title>{head}</head>"
            f"<body><header><h1>Harbour bridge reopens after repairs</h1>{header}</header>"
            f"<article><div class='content'>{body}{ps}</div></article></body></html>")


def test_lead_below_the_headline_keeps_the_description_dek() -> None:
    """Whether the extraction kept the lead does not decide the dek."""
    og = "<meta property='og:description' content='What the reopening means for your commute.'>"
    lead = f"<p class='lead'>{LEAD}</p>"
    outside, inside = article(headed_page(lead, "", og)), article(headed_page("", lead, og))
    assert outside.subtitle == inside.subtitle == "What the reopening means for your commute."
    assert paragraphs(outside) == paragraphs(inside) == [LEAD, *PARAS]


@pytest.mark.parametrize("cls", ["lead-image", "summary-box", "intro-video", "lede-media"])
def test_media_below_the_headline_is_not_the_lead(cls: str) -> None:
    caption = "Commuters cross the reopened bridge on Monday morning. Photo: Ben Ruiz"
    a = article(headed_page(f"<div class='{cls}'><img src='a.jpg'><span>{caption}</span></div>", ""))
    assert caption not in a.text and paragraphs(a) == PARAS


def test_images_with_captions_and_credits() -> None:
    head = jsonld({"@type": "NewsArticle", "headline": "Harbour bridge reopens after repairs",
                   "image": {"@type": "ImageObject", "url": "https://img.example/lead.jpg",
                             "caption": "The reopened bridge", "creditText": "Ana Lima"}})
    body = ("<figure><img src='/img/deck.jpg'><figcaption>Workers on the deck. (Photo: Reuters)"
            "</figcaption></figure>")
    a = article(page(head, body), url="https://news.example/bridge")
    assert [(i.url, i.caption, i.credit) for i in a.images] == [
        ("https://img.example/lead.jpg", "The reopened bridge", "Ana Lima"),
        ("https://news.example/img/deck.jpg", "Workers on the deck.", "Reuters")]


def test_htmldate_and_dateline_fill_missing_dates() -> None:
    a = article(page(), url="https://news.example/2026/11/03/bridge")
    assert a.published_at == "2026-11-03" and a.provenance["published_at"]["rule"] == "htmldate"
    first = "3 novembre 2026. - " + PARAS[0]
    b = article(page(paras=[first] + PARAS[1:], lang="fr"))
    assert b.published_at == "2026-11-03" and b.provenance["published_at"]["rule"] == "dateline"


def test_entities_in_jsonld_and_url_site_names() -> None:
    head = jsonld({"@type": "NewsArticle", "headline": "&#8216;Harbour&#8217; bridge reopens &amp; more",
                   "keywords": ["@post-id:1", "bridge"]})
    head += "<meta property='og:site_name' content='https://www.courier.example/'>"
    # the <title> says what JSON-LD says: no source agrees with the <h1>, JSON-LD wins
    a = article(page(head, title="&#8216;Harbour&#8217; bridge reopens &amp; more"))
    assert a.title == "‘Harbour’ bridge reopens & more"
    assert a.keywords == ["bridge"] and a.source == "courier.example"


def test_small_helpers() -> None:
    assert parse_date("2026-11-03T09:15:00.000+0100") == "2026-11-03T09:15:00+01:00"
    assert parse_date("2026-11-03T09:15:00") == "2026-11-03"  # no offset invented
    assert parse_date("not a date") is None
    assert bcp47("fr_FR") == "fr-FR" and bcp47("EN") == "en" and bcp47("und") is None
    assert clean_title("Bridge reopens - Lakeshore Courier", "Lakeshore Courier", None) == "Bridge reopens"
    assert split_caption("Workers on the deck. Photo: Ana Lima") == ("Workers on the deck.", "Ana Lima")


def test_shingle_scores() -> None:
    same = score_page("a", "one two three four five", "one two three four five")
    assert (same.precision, same.recall, same.tp) == (1.0, 1.0, 1.0)
    empty = score_page("b", "one two three four five", "")
    assert (empty.precision, empty.recall) == (0.0, 0.0)
    half = score_texts({"c": ("a b c d e", "a b c d x")})
    assert half.pages[0].tp == pytest.approx(1 / 3) and half.f1 == pytest.approx(0.5)


def test_cascade_reruns_with_fallbacks_only_when_doubtful(monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    from newscorpus.convert.html import ExtractionOptions

    calls: list[bool] = []
    real = trafilatura.bare_extraction

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(bool(kwargs.get("fast")))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(trafilatura, "bare_extraction", counting)
    long_page = page(paras=PARAS * 3)
    assert paragraphs(article(long_page)) == PARAS * 3
    assert calls == [True]  # long enough: the main extractor alone
    calls.clear()
    article(page(paras=PARAS[:1]))
    assert calls == [True, False]  # short: again with trafilatura's fallback extractors
    calls.clear()
    full = HtmlConverter(extraction=ExtractionOptions(mode="full")).convert_document(
        long_page.encode(), "p.html")
    assert isinstance(full, Article) and paragraphs(full) == PARAS * 3 and calls == [False]


def test_photographers_in_html_bylines_are_photo_credits_not_authors() -> None:
    head = jsonld({"@type": "NewsArticle", "headline": "Harbour bridge reopens after repairs",
                   "author": [{"@type": "Person", "name": "Ana Lima"},
                              {"@type": "Person", "name": "Ben Ruiz", "jobTitle": "Staff Photographer"}]})
    a = article(page(head))
    assert a.authors == ["Ana Lima"]
    assert [(c.role, c.name) for c in a.credits] == [("photo", "Ben Ruiz")]
    a = article(page("<meta name='author' content='By Ana Lima. Photos by Ben Ruiz'>"))
    assert a.authors == ["Ana Lima"] and [(c.role, c.name) for c in a.credits] == [("photo", "Ben Ruiz")]


def test_bare_related_headers_reading_times_and_copyright_lines_are_boilerplate() -> None:
    for text in ("You may also like...", "More:", "[Related: Council votes on the cycle lanes]",
                 "Related Stories", "Tempo de leitura: 1 minuto", "5 min read", "Reading time: 4 minutes",
                 "copyright Lakeshore Courier 2019 - ISSN: 1234-5678",
                 "© 2013 Lakeshore Courier, Inc. All rights reserved.",
                 "ADVERTISEMENT", "Anzeige", "Story continues below advertisement",
                 "Continue reading the main story"):
        assert is_boilerplate(text), text
    for text in ("Related coverage of the summit was broad and the talks went on for days.",
                 "More than 40 people were hurt.", "© Reuters", "Reading is believed to be 4 minutes away.",
                 "The story continues to unfold as more people join the march in the capital."):
        assert not is_boilerplate(text), text
