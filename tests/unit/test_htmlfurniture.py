"""Page furniture dropped from an extracted body, and embedded posts put back, on pages
written here."""

from __future__ import annotations

from lxml import html as lxml_html

from newscorpus.convert.html import ExtractionOptions, HtmlConverter
from newscorpus.convert.htmlbody import PageParagraphs, missing_embedded_posts
from newscorpus.convert.htmlfurniture import furniture, locate
from newscorpus.records import Article

from .test_html import PARAS

STORY = PARAS
SIGNUP = "Get the morning briefing in your inbox every weekday."
RELATED = ["Ferry timetable changes for the winter", "Council votes on the new cycle lanes",
           "Storm damage closes the coastal road"]
TWEET = "The bridge is open again and the traffic is already moving"
CREDIT = "\u2014 Lakeshore Roads (@lakeshoreroads) November 18, 2019"


def page(inside: str = "", after: str = "", aside: str = "", wrap: str = "article-body") -> str:
    ps = [f"<p>{p}</p>" for p in STORY]
    body = "".join(ps[:2]) + inside + "".join(ps[2:])
    return (f"<html><head><title>Harbour bridge reopens</title></head><body>"
            f"<main><article><h1>Harbour bridge reopens</h1><div class='{wrap}'>{body}</div>"
            f"{after}</article><aside id='right'>{aside}</aside></main></body></html>")


def parts_of(paragraphs: list[str], tail: list[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    return [("paragraph", p) for p in paragraphs] + list(tail)


def body(html: str, **options: bool) -> list[str]:
    converter = HtmlConverter(extraction=ExtractionOptions(**options))
    outcome = converter.convert_document(html.encode(), "page.html")
    assert isinstance(outcome, Article), outcome
    return [outcome.text[b.start:b.end] for b in outcome.blocks if b.kind in ("paragraph", "heading",
                                                                              "quote", "list_item")]


def test_locate_finds_each_block_in_the_page() -> None:
    tree = lxml_html.fromstring(page())
    found = locate(tree, [STORY[0], STORY[3][:60], "not on the page at all"])
    assert [el.tag if el is not None else None for el in found] == ["p", "p", None]


def test_a_named_widget_inside_the_article_is_furniture() -> None:
    box = f"<div class='newsletter-signup'><h3>Briefing</h3><p>{SIGNUP}</p></div>"
    tree = lxml_html.fromstring(page(inside=box))
    parts = [*parts_of(STORY[:2]), ("heading", "Briefing"), ("paragraph", SIGNUP), *parts_of(STORY[2:])]
    assert furniture(tree, parts) == {2, 3}


def test_a_widget_word_above_the_article_container_cuts_nothing() -> None:
    # Blogger-like templates put the whole post in a "widget"; a comments-enabled wrapper
    # holds the story itself: neither is furniture
    tree = lxml_html.fromstring(page(wrap="post-body comments-enabled widget"))
    assert furniture(tree, parts_of(STORY)) == set()


def test_a_list_of_links_is_furniture_with_its_heading() -> None:
    links = "".join(f"<li><a href='/{i}'>{t}</a></li>" for i, t in enumerate(RELATED))
    tree = lxml_html.fromstring(page(after=f"<div><h2>More stories</h2><ul>{links}</ul></div>"))
    parts = parts_of(STORY, [("heading", "More stories"), *(("list_item", t) for t in RELATED)])
    assert furniture(tree, parts) == {4, 5, 6, 7}
    # inside the story too
    tree = lxml_html.fromstring(page(inside=f"<h2>More stories</h2><ul>{links}</ul>"))
    parts = [*parts_of(STORY[:2]), ("heading", "More stories"), *(("list_item", t) for t in RELATED),
             *parts_of(STORY[2:])]
    assert furniture(tree, parts) == {2, 3, 4, 5}
    # a list in the story, not made of links, stays
    plain = "".join(f"<li>{t}</li>" for t in RELATED)
    tree = lxml_html.fromstring(page(after=f"<div><h2>What changes</h2><ul>{plain}</ul></div>"))
    parts = parts_of(STORY, [("heading", "What changes"), *(("list_item", t) for t in RELATED)])
    assert furniture(tree, parts) == set()


def test_a_link_outside_the_article_container_is_furniture() -> None:
    tree = lxml_html.fromstring(page(aside=f"<ul><li><a href='/x'><p>{RELATED[0]}</p></a></li></ul>"))
    assert furniture(tree, parts_of(STORY, [("paragraph", RELATED[0])])) == {4}


def test_the_converter_drops_a_sign_up_box_trafilatura_keeps() -> None:
    html = page(inside=f"<div class='Newsletter-stateNotSent'><p>{SIGNUP} Sign up, it is free.</p></div>")
    kept = body(html, drop_page_furniture=False)
    assert any(SIGNUP in t for t in kept)  # trafilatura alone keeps it
    assert not any(SIGNUP in t for t in body(html)) and body(html)[:2] == STORY[:2]


def tweet(text: str = TWEET) -> str:
    return (f"<blockquote class='twitter-tweet'><p lang='en'>{text} <a href='https://t.co/x'>"
            f"https://t.co/x</a></p>\u2014 Lakeshore Roads (@lakeshoreroads) "
            f"<a href='https://twitter.com/x/status/1'>November 18, 2019</a></blockquote>")


def test_an_embedded_tweet_between_story_paragraphs_comes_back_with_its_credit() -> None:
    tree = lxml_html.fromstring(page(inside=tweet()))
    found = missing_embedded_posts(PageParagraphs.of(tree), parts_of(STORY))
    assert [t for _, t in found] == [f"{TWEET} https://t.co/x", CREDIT]
    assert found[0][0] < found[1][0] < 3  # between the 2nd and 3rd story paragraphs
    # already extracted: only the credit line is missing
    found = missing_embedded_posts(PageParagraphs.of(tree), [*parts_of(STORY[:2]), ("quote", f"{TWEET} https://t.co/x"),
                                                             *parts_of(STORY[2:])])
    assert [t for _, t in found] == [CREDIT]


def test_a_tweet_outside_the_story_does_not_come_back() -> None:
    tree = lxml_html.fromstring(page(aside=tweet()))
    assert missing_embedded_posts(PageParagraphs.of(tree), parts_of(STORY)) == []


def test_the_converter_keeps_an_embedded_tweet_in_page_order() -> None:
    blocks = body(page(inside=tweet()))
    assert blocks.index(CREDIT) == blocks.index(STORY[1]) + 2
    assert blocks.index(STORY[2]) == blocks.index(CREDIT) + 1
    assert CREDIT not in body(page(inside=tweet()), embedded_posts=False)


def test_nothing_is_cut_when_the_furniture_would_be_most_of_the_text() -> None:
    # the story's paragraphs themselves sit in small "share"-named boxes: a misread, not furniture
    boxes = "".join(f"<div class='share-box'><p>{p}</p></div>" for p in STORY[1:])
    tree = lxml_html.fromstring(f"<html><body><article><p>{STORY[0]}</p>{boxes}</article></body></html>")
    assert furniture(tree, parts_of(STORY)) == set()


def test_a_hover_card_of_links_is_cut_out_of_its_paragraph() -> None:
    from newscorpus.convert.htmlfurniture import strip_link_cards

    card = "".join(f"<a href='/{i}'>{t}</a> " for i, t in enumerate(RELATED))
    para = (f"<p>Mayor <span class='person'><a href='/mayor'>Ana Lima</a><span class='card'>{card}</span>"
            f"</span> said the bridge would open on Monday.</p>")
    tree = lxml_html.fromstring(page(inside=para))
    text = " ".join(lxml_html.fromstring(para).text_content().split())  # the card glued in
    assert RELATED[0] in text
    got = strip_link_cards(tree, [*parts_of(STORY[:2]), ("paragraph", text), *parts_of(STORY[2:])])
    assert got[2] == ("paragraph", "Mayor Ana Lima said the bridge would open on Monday.")
    assert got[:2] == parts_of(STORY[:2])  # paragraphs without a card are untouched
