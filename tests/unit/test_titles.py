"""Headlines without the site name: declared names, host names, patterns learned across a
site's pages, agreement with the visible <h1>; odd titles kept."""

from __future__ import annotations

from newscorpus.convert.html import HtmlConverter
from newscorpus.convert.titles import SiteTitles, choose_headline, names_site, strip_site_name
from newscorpus.records import Article

PARAS = "".join(f"<p>The council voted on the harbour budget for the {n} time this year, and the "
                "mayor said the bridge repairs would be paid from the reserve fund.</p>"
                for n in ("first", "second", "third", "fourth", "fifth", "sixth"))


def page(title: str, head: str = "", h1: str = "") -> bytes:
    return (f"<html lang='en'><head><title>{title}</title>{head}</head><body><article>"
            f"{f'<h1>{h1}</h1>' if h1 else ''}{PARAS}</article></body></html>").encode()


def test_declared_site_name_removed_at_either_end_with_provenance() -> None:
    assert strip_site_name("Brazil: Protests grow | Global Voices", ["Global Voices"], None) \
        == ("Brazil: Protests grow", ["suffix 'Global Voices'"])
    # a longer form of the declared name ("... Online") is still the site's name
    assert strip_site_name("Global Voices Online » Brazil: Protests grow", ["Global Voices"], None)[0] \
        == "Brazil: Protests grow"
    # the colon is part of headlines, never a site separator
    assert strip_site_name("Brazil: Protests grow", ["Brazil"], None)[0] == "Brazil: Protests grow"


def test_host_name_names_the_site() -> None:
    assert names_site("Entermedia", [], "www.entermedia.co.kr")
    assert not names_site("Protests grow", [], "www.entermedia.co.kr")
    conv = HtmlConverter()
    a = conv.convert_document(page("Harbour budget passes - Entermedia"), "a.html",
                              "http://www.entermedia.co.kr/news/1")
    assert isinstance(a, Article) and a.title == "Harbour budget passes"
    assert a.provenance["title"]["rule"] == "html; site name suffix 'Entermedia' removed"


def test_pattern_learned_across_a_sites_pages() -> None:
    learned = SiteTitles()
    titles = ["Roads close as snow falls ~ The Daily Wire Desk", "Budget vote delayed ~ The Daily Wire Desk",
              "Harbour reopens ~ The Daily Wire Desk"]
    out = [choose_headline([(t, "html")], [], [], "example.org", learned) for t in titles]
    assert out[0] == (titles[0], "html") and out[1] == (titles[1], "html")  # not yet a pattern
    assert out[2] == ("Harbour reopens",
                      "html; site name suffix 'The Daily Wire Desk' (learned from the site's pages) removed")
    # another host has not shown the pattern
    other = choose_headline([("Harbour reopens ~ The Daily Wire Desk", "html")], [], [], "other.org", learned)
    assert other == ("Harbour reopens ~ The Daily Wire Desk", "html")


def test_visible_h1_wins_when_a_metadata_title_agrees() -> None:
    head = ("<meta property='og:title' content=\"'We had some issues,' exec says\">"
            "<script type='application/ld+json'>{\"@type\": \"NewsArticle\", "
            "\"headline\": \"Glitches blamed on heavy demand, says executive\"}</script>")
    html = page("Glitches blamed - Times", head, "‘We had some issues,’ exec says")
    a = HtmlConverter().convert_document(html, "a.html", "https://times.example/a")
    assert isinstance(a, Article) and a.title == "‘We had some issues,’ exec says"
    assert a.provenance["title"]["rule"] == "html h1 (= opengraph)"


def test_odd_but_present_title_is_kept() -> None:
    a = HtmlConverter().convert_document(page("▷ Archivos de Tregua"), "a.html", "https://x.example/tag/tregua/")
    assert isinstance(a, Article) and a.title == "▷ Archivos de Tregua"


def test_separators_inside_brackets_and_long_declared_names() -> None:
    learned = SiteTitles()
    titles = [f"Pouch {c} limited (SNOWWHITE - HEADPORTER)" for c in ("white", "blue", "red", "grey")]
    out = [choose_headline([(t, "html")], [], [], "shop.example", learned) for t in titles]
    assert [t for t, _ in out] == titles  # a bracket left open is no site-name boundary
    site = "Gardener needed? 0900 Gardener for garden design, construction and maintenance!"
    assert strip_site_name(f"Oosterbeek - {site}", [site], None) == ("Oosterbeek", [f"suffix {site!r}"])


def test_h1_needs_a_declared_headline_to_agree_not_only_the_title_element() -> None:
    cands = [("Take Action: Wikipedia Blackout", "opengraph"), ("SOPA/Blackoutpage - Wikimedia", "html")]
    assert choose_headline(cands, ["SOPA/Blackoutpage"], ["Wikimedia"], None) == \
        ("Take Action: Wikipedia Blackout", "opengraph")


def test_a_word_of_the_site_name_is_not_the_site_name() -> None:
    """"Brazil" opens the headline; the site is "Brazil Daily": nothing to remove."""
    assert strip_site_name("Brazil – Protests grow", ["Brazil Daily"], None)[0] == "Brazil – Protests grow"
    assert names_site("CBS Sports", ["CBSSports.com"], None)  # most of the name: still the site


def test_rubric_between_headline_and_site_name_goes_with_it() -> None:
    got, notes = strip_site_name("Brazil: Protests grow | World news | The Guardian", ["the Guardian"], None)
    assert got == "Brazil: Protests grow"
    assert notes == ["suffix 'The Guardian'", "rubric 'World news' before the site name"]
    # a long last part is headline, not rubric
    title = "Brazil: Protests grow | Thousands march in Rio and Sao Paulo | The Guardian"
    assert strip_site_name(title, ["the Guardian"], None)[0] == \
        "Brazil: Protests grow | Thousands march in Rio and Sao Paulo"


def test_site_name_followed_by_its_tagline() -> None:
    got, notes = strip_site_name("Brazil: Protests grow | Lakeshore Courier - Local news, weather",
                                 ["Lakeshore Courier"], None)
    assert got == "Brazil: Protests grow"
    assert notes == ["suffix 'Lakeshore Courier - Local news, weather'"]


def test_the_one_h1_wins_over_an_seo_rewording_of_it() -> None:
    seo = "Best food bloggers on Instagram by Lakeshore Courier: the list"
    h1 = "Masters of taste: 23 coolest food bloggers by Lakeshore Courier"
    got = choose_headline([(seo, "opengraph"), (f"{seo} — lakeshore.example", "html")], [h1], [],
                          "lakeshore.example")
    assert got == (h1, "html h1 (a rewording of opengraph)")
    # an h1 that is the title with a logo or an author added, a second h1, an unrelated h1: the title
    for h1s in ([f"{seo}Lakeshore Courier"], [h1, "Weather warnings for the coast"],
                ["Sign in to your account"]):
        assert choose_headline([(seo, "opengraph")], h1s, [], "lakeshore.example") == (seo, "opengraph")


def test_the_h1_gives_the_quotation_marks_the_page_shows() -> None:
    meta = "Faker wins as T1 embody Heartsteel's song"
    shown = "Faker wins as T1 embody Heartsteel’s song"  # noqa: RUF001 - the page's apostrophe
    got = choose_headline([(meta, "jsonld")], [shown], [], "esports.example")
    assert got == (shown, "html h1 (= jsonld, with the page's quotation marks)")
    assert choose_headline([(meta, "jsonld")], [meta.upper()], [], "esports.example") == (meta, "jsonld")
