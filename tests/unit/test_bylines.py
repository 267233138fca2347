"""One byline parser for every format: the same byline gives the same authors and agencies
whether it comes from an HTML page, a feed, a wire JSON/CSV row or an NITF byline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newscorpus.convert.bylines import parse_authors, parse_byline

CASES = [
    ("By Ana Lima and Jonas Berg, Reuters", ["Ana Lima", "Jonas Berg"], ["Reuters"]),
    ("Sunrita Sen, dpa", ["Sunrita Sen"], ["dpa"]),
    ("By ASHOK SHARMA", ["Ashok Sharma"], []),
    ("BY ASHOK SHARMA Associated Press", ["Ashok Sharma"], ["Associated Press"]),
    ("Von Marco Krefting und Sunrita Sen, dpa", ["Marco Krefting", "Sunrita Sen"], ["dpa"]),
    ("Von Max Mustermann · Fotos: Anna Beispiel", ["Max Mustermann"], []),
    ("Text: Ana Lima, Photos: Jonas Berg", ["Ana Lima"], []),
    ("Von Ana Lima (Text) und Jonas Berg (Foto), dpa", ["Ana Lima"], ["dpa"]),
    ("dpa/AFP", [], ["dpa", "AFP"]),
    ("Mit Material von dpa", [], ["dpa"]),
    ("Von Christina Sticht, dpa, und Nils Sonnenberg", ["Christina Sticht", "Nils Sonnenberg"], ["dpa"]),
    ("Jan Kowalski Reuters", ["Jan Kowalski"], ["Reuters"]),
    ("The Associated Press", [], ["The Associated Press"]),
    ("Lima, Ana", ["Lima, Ana"], []),
    ("Ana Lima, Washington", ["Ana Lima"], []),
    ("jane@x.org (Jane Doe)", ["Jane Doe"], []),
    ("Jane Doe (jane@x.org)", ["Jane Doe"], []),
    ("Par Marie Dupont et Jean Martin", ["Marie Dupont", "Jean Martin"], []),
    ("Staff; Web Desk", [], []),
    ("loening.meyel", [], []),
    ("Sarah E. Needleman", ["Sarah E. Needleman"], []),
    ("Ana Lima | ana lima", ["Ana Lima"], []),
    ("(AP)", [], ["AP"]),
    ("Ana Lima (Reuters)", ["Ana Lima"], ["Reuters"]),
    ("Ana Lima (Washington)", ["Ana Lima"], []),
]


@pytest.mark.parametrize(("raw", "authors", "agencies"), CASES)
def test_byline(raw: str, authors: list[str], agencies: list[str]) -> None:
    byline = parse_byline(raw)
    assert (byline.authors, byline.agencies) == (authors, agencies)


def test_lists_and_objects_give_the_same_people() -> None:
    raw = "By Ana Lima and Jonas Berg, Reuters"
    assert parse_authors([raw]).authors == parse_authors(raw).authors == ["Ana Lima", "Jonas Berg"]
    objects = [{"name": "Ana Lima"}, {"@type": "Person", "name": "Jonas Berg"},
               {"@type": "Organization", "name": "Reuters"}]
    got = parse_authors(objects)
    assert (got.authors, got.agencies) == (["Ana Lima", "Jonas Berg"], ["Reuters"])


def test_the_publisher_is_not_an_author() -> None:
    assert parse_byline("Daily Courier", publisher="Daily Courier").authors == []


def test_every_format_gives_the_same_authors(tmp_path: Path) -> None:
    """The byline of the issue, through the HTML, feed, JSONL and CSV converters."""
    import newscorpus

    byline = "By Ana Lima and Jonas Berg, Reuters"
    body = " ".join(["The council met on Tuesday to discuss the budget for the coming year."] * 6)
    (tmp_path / "page.html").write_text(
        f'<html lang="en"><head><title>Budget talks</title><meta name="author" content="{byline}">'
        f'</head><body><article><h1>Budget talks</h1><p>{body}</p><p>{body}</p></article></body></html>',
        encoding="utf-8")
    (tmp_path / "feed.rss").write_text(
        '<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<channel><title>T</title><link>https://example.org/</link><description>d</description>'
        f'<item><title>Budget talks</title><link>https://example.org/feed-story</link>'
        f'<dc:creator>{byline}</dc:creator><description>{body}</description>'
        '<pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate></item></channel></rss>', encoding="utf-8")
    row = {"title": "Budget talks", "text": body, "authors": byline, "url": "https://example.org/row"}
    (tmp_path / "rows.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    (tmp_path / "rows.csv").write_text(
        f'title,text,authors,url\nBudget talks,{body},"{byline}",https://example.org/csv\n',
        encoding="utf-8")
    result = newscorpus.convert([tmp_path])
    records = list(result.records())
    assert result.report.converted == 4, [str(r) for r in result.report.rejections]
    assert [r["authors"] for r in records] == [["Ana Lima", "Jonas Berg"]] * 4


@pytest.mark.parametrize(("raw", "authors", "wires"), [
    ("By Ana Lima and Jonas Berg", ["Ana Lima", "Jonas Berg"], []),
    ("Ana Lima, Jonas Berg, Mei Chen", ["Ana Lima", "Jonas Berg", "Mei Chen"], []),
    ("Lima, Ana", ["Lima, Ana"], []),
    ("Ana Lima, Reuters", ["Ana Lima"], ["Reuters"]),
    ("Ana Lima, Washington", ["Ana Lima"], []),
    ("Ana Lima | Lakeshore Courier", ["Ana Lima"], []),
    ("par Marie Dupont et Jean Martin", ["Marie Dupont", "Jean Martin"], []),
    ("https://twitter.com/ana; ana@news.example; @analima", [], []),
    ("Staff; Web Desk; The Editors", [], []),
    ("AP", [], ["AP"]),
    ("Ana Lima. Courier International", ["Ana Lima"], []),
    ("Sarah E. Needleman", ["Sarah E. Needleman"], []),
    ("Amy Kuperinsky | NJ Advance Media for NJ.com", ["Amy Kuperinsky"], []),
    ("Lakeshore", [], []),  # the start of the publisher's name
])
def test_byline_splitting(raw: str, authors: list[str], wires: list[str]) -> None:
    byline = parse_byline(raw, "Lakeshore Courier")
    assert (byline.authors, byline.agencies) == (authors, wires)


@pytest.mark.parametrize(("raw", "name"), [
    ("By ASHOK SHARMA", "Ashok Sharma"),
    ("BY JUAN DE LA CRUZ", "Juan de la Cruz"),
    ("By LUDWIG VAN DER BERG", "Ludwig van der Berg"),
    ("By MARY MCDONALD", "Mary McDonald"),
    ("By IAN MACDONALD", "Ian MacDonald"),
    ("By ANA MACHADO", "Ana Machado"),
    ("By JEAN-PIERRE O'NEIL", "Jean-Pierre O'Neil"),
    ("By GIULIA D'ALESSANDRO", "Giulia D'Alessandro"),
    ("By JOHN F. SMITH JR.", "John F. Smith Jr."),
    ("By HENRY FORD III", "Henry Ford III"),
    ("By DEVIKA VON BISMARCK", "Devika von Bismarck"),
    ("By Ana DE LIMA", "Ana DE LIMA"),  # mixed case is kept as written
    ("By Ludwig van Beethoven", "Ludwig van Beethoven"),
])
def test_all_caps_bylines_are_capitalised_as_names(raw: str, name: str) -> None:
    assert parse_byline(raw).authors == [name]


def test_creators_and_contributors_by_role() -> None:
    """NewsML-G2/NITF parties: editors' login names are no authors, organisations become
    credits, contributors are credited, never authors."""
    from newscorpus.convert.bylines import Party, sort_parties

    got = sort_parties(
        [Party("loening.meyel"), Party("The Sports Network, Inc.", kind="organisation"),
         Party("Thomson Reuters"), Party("MEREDITH JAMESON", role="crol:author"),
         Party("Spencer Platt", role="crol:photographer")],
        [Party("armborst.matthias"), Party("Ana Lima", role="ctrol:editor"),
         Party("Jonas Berg", role="ctrol:translator"), Party("sp/lrc", role="ctrol:descrWriter")])
    assert got.authors == ["Meredith Jameson"]
    assert [(c.role, c.name) for c in got.credits] == [
        ("contributor", "The Sports Network, Inc."), ("wire", "Thomson Reuters"),
        ("photo", "Spencer Platt"), ("editor", "Ana Lima"), ("translator", "Jonas Berg")]


def test_photographers_in_a_byline_are_photo_credits() -> None:
    byline = parse_byline("Von Max Mustermann · Fotos: Anna Beispiel")
    assert [(c.role, c.name) for c in byline.credits()] == [("photo", "Anna Beispiel")]


def test_photographers_in_every_form_of_byline_are_photo_credits() -> None:
    cases = {
        "By Ana Lima. Photos by Ben Ruiz": (["Ana Lima"], ["Ben Ruiz"], []),
        "Words by Ana Lima, pictures by Ben Ruiz": (["Ana Lima"], ["Ben Ruiz"], []),
        "Reporting by Ana Lima; photographs by Ben Ruiz": (["Ana Lima"], ["Ben Ruiz"], []),
        "Ana Lima, photographer": ([], ["Ana Lima"], []),
        "Max Mustermann, Fotograf": ([], ["Max Mustermann"], []),
        "Photo: Ben Ruiz/AP": ([], ["Ben Ruiz"], []),  # a photo agency is no wire credit
        "Ana Lima/Reuters": (["Ana Lima"], [], ["Reuters"]),
    }
    for raw, want in cases.items():
        got = parse_byline(raw)
        assert (got.authors, got.photographers, got.agencies) == want, raw
