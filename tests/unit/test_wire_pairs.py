"""The same wire story as wire JSON (dpa-digitalwires shape) and as NewsML-G2 (XHTML body)
gives the same record fields: title, authors (people, not editors' login names), the agency
as a credit, date, language, dek and body (no slugline, byline, dateline or kicker words).
The pair in ``tests/fixtures/wire`` is written by us with invented text in the layout of the
real renderings."""

from __future__ import annotations

from pathlib import Path

import newscorpus

FIXTURES = Path(__file__).parents[1] / "fixtures" / "wire"


def body(record: dict) -> list[tuple[str, str]]:
    return [(b["kind"], record["text"][b["start"]:b["end"]]) for b in record["blocks"]]


def converted(name: str) -> dict:
    [record] = list(newscorpus.convert([FIXTURES / name]).records())
    return record


def test_wire_json_and_newsml_of_one_story_agree() -> None:
    wire, g2 = converted("story.json"), converted("story.xml")
    for record in (wire, g2):
        assert record["authors"] == ["Anna Beispiel", "Sunrita Sen"]
        assert [(c["role"], c["name"]) for c in record["credits"]] == [("wire", "dpa")]
        assert record["language"] == "de"
        assert record["published_at"] == "2026-11-03T09:07:00+01:00"
        assert record["subtitle"].startswith("Nach acht Monaten Bauzeit")
    assert wire["title"] == g2["title"]
    assert body(wire) == body(g2)
    kinds = [k for k, _ in body(g2)]
    assert kinds == ["title", "dek", "paragraph", "paragraph", "heading", "paragraph"]
    assert body(g2)[2][1].startswith("Die Hafenbrücke ist seit Montagmorgen")  # no dateline


def test_newsml_creator_login_names_are_not_authors() -> None:
    g2 = converted("story.xml")
    assert "beispiel.anna" not in g2["authors"]
    assert all(c["name"] != "redakteur.max" for c in g2["credits"])
