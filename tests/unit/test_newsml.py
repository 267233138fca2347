"""NITF and NewsML-G2 converters on fixtures written here; safe parsing (no entity
expansion, no file or network access, size limit)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from newscorpus.convert import registry
from newscorpus.convert.base import ConvertOptions, Input
from newscorpus.convert.newsml import NewsMLConverter
from newscorpus.convert.nitf import NitfConverter, norm_date
from newscorpus.records import Article
from newscorpus.report import Rejection, Skip
from tests.article_checks import blocks, valid

NITF = b"""<?xml version="1.0" encoding="UTF-8"?>
<nitf xmlns="http://iptc.org/std/NITF/2006-10-18/" xml:lang="en">
  <head>
    <title>Harbour bridge (head title)</title>
    <docdata>
      <doc-id id-string="lc.2026.0042"/>
      <date.issue norm="20261103T071500+0100"/>
      <doc.copyright holder="Lakeshore Courier Ltd" year="2026"/>
      <key-list><keyword key="bridges"/><keyword key="transport"/><keyword key="bridges"/></key-list>
    </docdata>
    <pubdata name="Lakeshore Courier" type="web"/>
  </head>
  <body>
    <body.head>
      <hedline><hl1>Harbour bridge reopens</hl1><hl2>Three months of repairs end</hl2></hedline>
      <byline>By <person>Ana Lima</person> and <person>Jonas Berg</person>
        <byttl>Courier staff</byttl></byline>
      <dateline><location><city>Portsmouth</city></location>
        <story.date norm="20261102"/></dateline>
      <abstract><p>Commuters return to the crossing.</p></abstract>
    </body.head>
    <body.content>
      <media media-type="image">
        <media-reference mime-type="image/jpeg" source="https://courier.example/bridge.jpg"/>
        <media-caption><p>The bridge at dawn.</p></media-caption>
        <media-producer>Photo Desk</media-producer>
      </media>
      <p>The bridge reopened on   Monday,
         the <org>city</org> said.</p>
      <hl2>Traffic</hl2>
      <block>
        <p>Buses return on Tuesday.</p>
        <ul><li>Line 4</li><li>Line 7</li></ul>
        <bq><block><p>"It is safe," the engineer said.</p></block></bq>
      </block>
      <nitf-table><table><tr><td>1</td></tr></table></nitf-table>
    </body.content>
    <body.end><tagline>Staff contributed.</tagline></body.end>
  </body>
</nitf>
"""

G2_NS = 'xmlns="http://iptc.org/std/nar/2006-10-01/"'


def g2_item(item_class: str = "ninat:text", content: str = "", meta: str = "",
            root: str = "newsItem") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<{root} {G2_NS} guid="urn:newsml:courier.example:2026:bridge" version="3" standard="NewsML-G2"
    xml:lang="en-GB">
  <rightsInfo><copyrightHolder><name>Lakeshore Courier Ltd</name></copyrightHolder></rightsInfo>
  <itemMeta>
    <itemClass qcode="{item_class}"/>
    <provider qcode="nprov:COURIER"><name>Lakeshore Courier</name></provider>
    <versionCreated>2026-11-03T09:00:00+01:00</versionCreated>
    <firstCreated>2026-11-03T07:15:00+01:00</firstCreated>
  </itemMeta>
  <contentMeta>
    <contentCreated>2026-11-02T20:00:00+01:00</contentCreated>
    <creator><name>Ana Lima</name></creator>
    <contributor role="ctrol:editor"><name>Sam Ode</name></contributor>
    <infoSource><name>Harbour Wire</name></infoSource>
    <language tag="en-GB"/>
    <subject qcode="medtop:20000349"><name xml:lang="de">Verkehr</name>
      <name xml:lang="en-GB">transport</name></subject>
    <keyword>bridges</keyword>
    <headline>Harbour bridge reopens after repairs</headline>
    {meta}
  </contentMeta>
  <contentSet>{content}</contentSet>
</{root}>""".encode()


INLINE_NITF = """<inlineXML contenttype="application/nitf+xml">
  <nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body><body.head>
    <hedline><hl1>Harbour bridge reopens</hl1></hedline>
    <byline>By Ana Lima, <byttl>Staff Reporter</byttl></byline></body.head>
    <body.content><p>The bridge reopened on Monday.</p><p>Buses return on Tuesday.</p>
    </body.content></body></nitf></inlineXML>"""


def nitf(data: bytes, **options: object) -> list[object]:
    return list(NitfConverter(ConvertOptions(**options)).convert(  # type: ignore[arg-type]
        Input(Path("a.xml"), "a.xml", data)))


def newsml(data: bytes, **options: object) -> list[object]:
    return list(NewsMLConverter(ConvertOptions(**options)).convert(  # type: ignore[arg-type]
        Input(Path("g2.xml"), "g2.xml", data)))


# ------------------------------------------------------------------------------ NITF


def test_nitf_article() -> None:
    [article] = nitf(NITF)
    assert isinstance(article, Article)
    valid(article)
    assert article.title == "Harbour bridge reopens"
    assert article.subtitle == "Three months of repairs end"
    assert [b.kind for b in article.blocks] == [
        "title", "dek", "dek", "caption", "paragraph", "heading", "paragraph", "list_item",
        "list_item", "quote"]
    assert blocks(article, "dek") == ["Three months of repairs end",
                                      "Commuters return to the crossing."]
    assert blocks(article, "paragraph") == ["The bridge reopened on Monday, the city said.",
                                            "Buses return on Tuesday."]
    assert blocks(article, "quote") == ['"It is safe," the engineer said.']
    assert "Staff contributed" not in article.text and "1" not in article.text.split()
    assert article.authors == ["Ana Lima", "Jonas Berg"]
    assert article.published_at == "2026-11-03T07:15:00+01:00"
    assert article.source == "Lakeshore Courier"
    assert article.keywords == ["bridges", "transport"]
    assert article.language == "en"
    [image] = article.images
    assert (image.url, image.caption, image.credit, image.block) == (
        "https://courier.example/bridge.jpg", "The bridge at dawn.", "Photo Desk", 3)
    assert ("photo", "Photo Desk", 3) in {(c.role, c.name, c.block) for c in article.credits}
    assert article.provenance["id"]["rule"] == "guid lc.2026.0042"  # the doc-id before the title
    assert article.provenance["published_at"]["rule"] == "docdata/date.issue"
    assert article.origin == {"path": "a.xml", "sha256": article.origin["sha256"], "format": "nitf"}


def test_nitf_byline_without_persons_drops_the_title() -> None:
    data = NITF.replace(b"By <person>Ana Lima</person> and <person>Jonas Berg</person>",
                        b"By Ana Lima,")
    [article] = nitf(data)
    assert isinstance(article, Article) and article.authors == ["Ana Lima"]


def test_nitf_byline_with_persons_keeps_its_photographer() -> None:
    data = NITF.replace(b"By <person>Ana Lima</person> and <person>Jonas Berg</person>",
                        b"By <person>Ana Lima</person>. Photos by Ben Ruiz")
    [article] = nitf(data)
    assert isinstance(article, Article) and article.authors == ["Ana Lima"]
    assert ("photo", "Ben Ruiz") in {(c.role, c.name) for c in article.credits}


def test_nitf_photographer_person_is_not_an_author() -> None:
    data = NITF.replace(b"By <person>Ana Lima</person> and <person>Jonas Berg</person>",
                        b"By <person>Ana Lima</person>. Photos by <person>ben ruiz</person>")
    [article] = nitf(data)
    assert isinstance(article, Article) and article.authors == ["Ana Lima"]
    assert ("photo", "ben ruiz") in {(c.role, c.name.casefold()) for c in article.credits}


def test_nitf_same_input_same_bytes() -> None:
    [a], [b] = nitf(NITF), nitf(NITF)
    assert isinstance(a, Article) and isinstance(b, Article) and a.to_dict() == b.to_dict()


def test_nitf_with_dtd_entities_keeps_html_characters() -> None:
    data = b"""<?xml version="1.0"?>
<!DOCTYPE nitf SYSTEM "http://www.nitf.org/site/nitf-documentation/nitf-3-3.dtd">
<nitf><body><body.head><hedline><hl1>Caf&eacute; reopens</hl1></hedline></body.head>
<body.content><p>Open 9&ndash;5 &amp; on &unknown;Sundays.</p></body.content></body></nitf>"""
    [article] = nitf(data)
    assert isinstance(article, Article)
    assert article.title == "Café reopens"
    assert blocks(article, "paragraph") == ["Open 9–5 & on Sundays."]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE nitf [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<nitf><body><body.head><hedline><hl1>Laughs</hl1></hedline></body.head>
<body.content><p>before &lol9; after</p></body.content></body></nitf>"""


def test_billion_laughs_is_not_expanded() -> None:
    start = time.monotonic()
    [outcome] = nitf(BILLION_LAUGHS)
    assert time.monotonic() - start < 2
    if isinstance(outcome, Rejection):  # libxml2 refuses the declarations themselves
        assert "entity amplification" in outcome.reason
    else:  # or parses without expanding them
        assert isinstance(outcome, Article)
        assert blocks(outcome, "paragraph") == ["before after"]


def test_internal_entities_are_not_expanded() -> None:
    data = b"""<?xml version="1.0"?>
<!DOCTYPE nitf [<!ENTITY boiler "INJECTED BOILERPLATE">]>
<nitf><body><body.head><hedline><hl1>Entities</hl1></hedline></body.head>
<body.content><p>before &boiler; after</p></body.content></body></nitf>"""
    [article] = nitf(data)
    assert isinstance(article, Article)
    assert blocks(article, "paragraph") == ["before after"]


def test_external_entity_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    data = f"""<?xml version="1.0"?>
<!DOCTYPE nitf [<!ENTITY xxe SYSTEM "{secret.as_uri()}">
<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<nitf><body><body.head><hedline><hl1>XXE &xxe;</hl1></hedline></body.head>
<body.content><p>Text &xxe; here.</p></body.content></body></nitf>""".encode()
    outcomes = nitf(data)
    for outcome in outcomes:
        if isinstance(outcome, Article):
            assert "TOP-SECRET" not in outcome.text
        else:
            assert isinstance(outcome, Rejection) and "TOP-SECRET" not in outcome.reason


@pytest.mark.parametrize(("data", "reason", "line"), [
    (b"", "empty file", None),
    (b"<nitf><body>\n<p>unclosed</body></nitf>", "not well-formed XML", 2),
    (b"<nitf><body><body.content><p>No headline.</p></body.content></body></nitf>",
     "no headline", None),
    (b"<nitf><body><body.head><hedline><hl1>Only a title</hl1></hedline></body.head></body></nitf>",
     "no body text", None),
    (b"<notnitf/>", "not <nitf>", None),
])
def test_bad_nitf(data: bytes, reason: str, line: int | None) -> None:
    [outcome] = nitf(data)
    assert isinstance(outcome, Rejection)
    assert reason in outcome.reason and outcome.line == line and outcome.path == "a.xml"


def test_size_limit() -> None:
    [outcome] = nitf(NITF, max_bytes=500)
    assert isinstance(outcome, Rejection) and "over the 500-byte limit" in outcome.reason


@pytest.mark.parametrize(("value", "expected"), [
    ("20020225T143000-0500", "2002-02-25T14:30:00-05:00"),
    ("20091123T114428Z", "2009-11-23T11:44:28+00:00"),
    ("20020226", "2002-02-26"),
    ("20020226T1430", "2002-02-26"),  # no offset: only the day is kept
    ("2016-10-18T11:12:00-05:00", "2016-10-18T11:12:00-05:00"),
    ("2018-10-19T20:15:00Z\n        ", "2018-10-19T20:15:00+00:00"),
    ("20021345", None),
    ("", None),
])
def test_norm_date(value: str, expected: str | None) -> None:
    assert norm_date(value) == expected


# ------------------------------------------------------------------------- NewsML-G2


def test_g2_text_item_with_inline_nitf() -> None:
    [article] = newsml(g2_item(content=INLINE_NITF))
    assert isinstance(article, Article)
    valid(article)
    assert article.title == "Harbour bridge reopens after repairs"  # contentMeta headline
    assert blocks(article, "paragraph") == ["The bridge reopened on Monday.",
                                            "Buses return on Tuesday."]
    assert article.authors == ["Ana Lima"]
    assert article.published_at == "2026-11-03T07:15:00+01:00"  # firstCreated
    assert article.modified_at == "2026-11-03T09:00:00+01:00"
    assert article.source == "Lakeshore Courier"
    assert article.language == "en-GB"
    assert article.keywords == ["bridges", "transport"]
    assert {(c.role, c.name) for c in article.credits} == {("editor", "Sam Ode"),
                                                           ("wire", "Harbour Wire")}
    assert article.provenance["text"]["rule"] == "inlineXML/nitf:body.content"
    assert article.provenance["id"]["rule"] == "guid urn:newsml:courier.example:2026:bridge"
    assert article.content_kind is None


def test_g2_text_item_with_xhtml_and_inline_data() -> None:
    xhtml = """<inlineXML contenttype="application/xhtml+xml">
      <html xmlns="http://www.w3.org/1999/xhtml"><body><h2>Traffic</h2><p>Buses return.</p>
      </body></html></inlineXML>"""
    [article] = newsml(g2_item(content=xhtml))
    assert isinstance(article, Article)
    assert blocks(article)[1:] == ["Traffic", "Buses return."]
    data = '<inlineData contenttype="text/plain">First.\n\nSecond\nline.</inlineData>'
    [article] = newsml(g2_item(content=data))
    assert isinstance(article, Article)
    assert blocks(article, "paragraph") == ["First.", "Second line."]


def test_g2_text_item_with_only_a_description_is_a_summary() -> None:
    meta = '<description role="drol:summary">The bridge reopens.</description>'
    [article] = newsml(g2_item(meta=meta, content="<remoteContent href='https://x.example/a'/>"))
    assert isinstance(article, Article)
    valid(article)
    assert article.content_kind == "summary"
    assert blocks(article) == ["Harbour bridge reopens after repairs", "The bridge reopens."]


def test_g2_text_item_with_nothing_is_rejected() -> None:
    [outcome] = newsml(g2_item())
    assert isinstance(outcome, Rejection)
    assert "text item with no body text and no description" in outcome.reason
    assert "urn:newsml:courier.example:2026:bridge" in outcome.reason


@pytest.mark.parametrize(("data", "reason"), [
    (g2_item("ninat:picture"), "is a picture item, not text"),
    (g2_item("http://cv.iptc.org/newscodes/ninature/video/"), "is a video item, not text"),
    (g2_item(content='<inlineXML contenttype="application/sportsml+xml"><sports-content/>'
                     "</inlineXML>"), "inline content of type application/sportsml+xml"),
    (g2_item("ninat:composite", root="packageItem"), "package item"),
    (g2_item("cinat:concept", root="conceptItem"), "concept item"),
    (g2_item("cinat:scheme", root="knowledgeItem"), "knowledge item"),
    (g2_item("plinat:newscoverage", root="planningItem"), "planning item"),
    (b"<groupSet root='G1'><group id='G1'/></groupSet>", "excerpt <groupSet>"),
])
def test_g2_non_text_items_are_skips(data: bytes, reason: str) -> None:
    [outcome] = newsml(data)
    assert isinstance(outcome, Skip), outcome
    assert reason in outcome.reason and outcome.path == "g2.xml"


def test_g2_excerpt_with_inline_nitf_converts() -> None:
    data = f"<contentSet>{INLINE_NITF}</contentSet>".encode()
    [article] = newsml(data)
    assert isinstance(article, Article)
    valid(article)
    assert article.title == "Harbour bridge reopens" and article.source == "unknown"


def test_news_message_gives_one_outcome_per_item() -> None:
    item = g2_item(content=INLINE_NITF).decode().split("?>", 1)[1].strip()
    data = f"""<?xml version="1.0"?>
<newsMessage {G2_NS}>
  <header><sent>2026-11-03T10:00:00Z</sent></header>
  <itemSet>
    <packageItem guid="P1"/>
    {item}
    <newsItem guid="N2"> ... </newsItem>
  </itemSet>
</newsMessage>""".encode()
    package, article, stub = newsml(data)
    assert isinstance(package, Skip) and "item 1 (line 5)" in package.reason
    assert isinstance(article, Article) and article.origin["line"] in (6, 7)  # start tag ends on 7
    assert article.provenance["origin"]["rule"].startswith("item 2 (line ")
    assert isinstance(stub, Rejection) and "'N2' has no itemClass" in stub.reason
    assert stub.line is not None and stub.line > 6


def test_g2_billion_laughs() -> None:
    data = BILLION_LAUGHS.replace(b"<!DOCTYPE nitf", b"<!DOCTYPE newsItem").split(b"]>")[0] + \
        b"]>" + g2_item(meta="<slugline>&lol9;</slugline>", content=INLINE_NITF).split(b"?>", 1)[1]
    start = time.monotonic()
    [outcome] = newsml(data)
    assert time.monotonic() - start < 2
    if isinstance(outcome, Rejection):
        assert "entity amplification" in outcome.reason
    else:
        assert isinstance(outcome, Article) and "lol" not in outcome.text


# --------------------------------------------------------------------------- sniffing


@pytest.mark.parametrize(("head", "expected"), [
    (NITF[:200], "nitf"),
    (b"<?xml version='1.0'?>\n<!DOCTYPE nitf SYSTEM 'nitf.dtd'>\n<nitf>", "nitf"),
    (g2_item()[:300], "newsml"),
    (g2_item(root="conceptItem")[:300], "newsml"),
    (b'<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/">', "newsml"),
    (b"<contentSet>\n<inlineXML>", "newsml"),
    (b"<groupSet root='G1'>", "newsml"),
    (b'<newsItem xmlns="http://example.org/other">', None),
    (b"<rss version='2.0'>", "feed"),
    (b"<catalog><book/></catalog>", None),
])
def test_xml_sniffing_is_unambiguous(head: bytes, expected: str | None) -> None:
    path = Path("doc.xml")
    claims = {name for name in ("feed", "newsml", "nitf")
              if registry.get(name).sniff(path, head)}
    assert claims == ({expected} if expected else set())
    assert registry.detect(path, head) == expected


def test_same_headline_same_day_different_guids_are_two_stories() -> None:
    first = g2_item(content=INLINE_NITF)
    second = first.replace(b"2026:bridge", b"2026:bridge-2")
    [a], [b] = newsml(first), newsml(second)
    assert isinstance(a, Article) and isinstance(b, Article)
    assert a.title == b.title and a.published_at == b.published_at
    assert a.id != b.id  # the id comes from the guid, not from source + title + day
