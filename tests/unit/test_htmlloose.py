"""Loose article text (runs of text straight in the article container, between <br>s and
block elements) put back where the page has it, on pages written here."""

from __future__ import annotations

from lxml import html as lxml_html

from newscorpus.convert.htmlloose import merge_in_document_order, missing_loose_text

from .test_html import PARAS

CAPTION = "The bridge at dawn, seen from the eastern bank of the river, photographed by our reporter"


def page(extra: str = "") -> str:
    runs = "<br><br>".join(PARAS[1:])
    return (f"<html><body><main><div class='story'>{PARAS[0]} <em>Council</em> notes."
            f"<br><br><img src='a.jpg'><figure><figcaption>{CAPTION}</figcaption></figure>"
            f"{runs}{extra}</div></main></body></html>")


def lead() -> str:
    return f"{PARAS[0]} Council notes."


def test_a_lead_run_left_out_comes_back_first() -> None:
    tree = lxml_html.fromstring(page())
    parts = [("paragraph", p) for p in PARAS[1:]]
    found = missing_loose_text(tree, parts)
    assert [text for _, text in found] == [lead()]
    merged = merge_in_document_order(tree, parts, found)
    assert [t for _, t in merged] == [lead(), *PARAS[1:]]


def test_captions_widgets_short_and_extracted_runs_stay_out() -> None:
    gallery = f"<div class='photo-gallery'>{CAPTION} and more words here to pass fifteen</div>"
    tree = lxml_html.fromstring(page(f"<br><br>Short tail line.{gallery}"))
    parts = [("paragraph", lead()), *(("paragraph", p) for p in PARAS[1:])]
    assert missing_loose_text(tree, parts) == []  # the figcaption, the gallery, the short run


def test_a_run_of_links_is_not_article_text() -> None:
    links = " ".join(f"<a href='/{i}'>Another story about the harbour number {i}</a>" for i in range(4))
    tree = lxml_html.fromstring(page(f"<br><br>{links}"))
    parts = [("paragraph", lead()), *(("paragraph", p) for p in PARAS[1:])]
    assert missing_loose_text(tree, parts) == []
