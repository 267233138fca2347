"""A small workspace for the annotation-bridge tests, written here (no shared data).

Its articles exercise what breaks offsets: astral emoji and a ZWJ sequence, 'İ' (whose
lower case has two code points), a raw dump with CRLF line ends, combining marks with no
precomposed form (they survive NFC), and right-to-left Arabic with guillemets.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newscorpus.convert.batch import convert_paths
from newscorpus.records import Annotation, Entity, Holder, Quote, Span, Stance, read_jsonl
from newscorpus.text import find_span
from newscorpus.workspace import Workspace

CONFIG = """name: annotate-test
pretty_name: newscorpus annotate test
license: CC-BY-4.0
labels:
  entities: [PERSON, ORG, GPE, LOC]
  stance_targets: [river-dam, city budget]
splits:
  strategy: hash
  ratios: {train: 0.8, validation: 0.1, test: 0.1}
  salt: annotate-test
"""

DUMPS = {
    "emoji.txt": (
        "İstanbul dam vote 👩\u200d🔬 delayed\n"
        "The council waits for a report.\n"
        "2026-03-11\n\n"
        "“We need more time 🎉,” Mayor Ana Duru said on Monday in İstanbul.\n\n"
        "Acme Corp, which builds the river dam, said it would wait. She added: "
        '"The plan is sound."\n'
    ),
    "crlf.txt": (
        "Budget passes in Millbrook\r\n"
        "Councillors back the plan.\r\n"
        "2026-04-02\r\n\r\n"
        '"This budget keeps buses running," said Ben Whitaker.\r\n\r\n'
        "The city budget grows by 4 percent.\r\n"
    ),
    "combining.txt": (
        "Zoë\u0308 and the q\u0307 ferry\n"
        "A ferry story.\n"
        "2026-05-06\n\n"
        '"Ferries matter," Zoë\u0308 Lindqvist told the board of Gull Island Ferries.\n\n'
        "The q\u0307 route reopens in May.\n"
    ),
    "rtl.txt": (
        "السد على النهر\n"
        "تقرير قصير.\n"
        "2026-06-07\n\n"
        "وقال سالم العامري إن المشروع «متوازن ولا يضر أحدا».\n\n"
        "Then the mayor of Nakhlan left.\n"
    ),
}


def make_workspace(root: Path, dumps: dict[str, str] | None = None) -> Workspace:
    root.mkdir(parents=True, exist_ok=True)
    (root / "newscorpus.yaml").write_text(CONFIG, encoding="utf-8")
    raw = root / "raw"
    raw.mkdir(exist_ok=True)
    for name, text in (dumps or DUMPS).items():
        (raw / name).write_bytes(text.encode("utf-8"))
    report = convert_paths([raw], root / "articles" / "articles.jsonl", root / "quarantine" / "q.jsonl")
    assert report.rejected == 0, report.rejections
    (root / "annotations").mkdir(exist_ok=True)
    return Workspace.open(root)


def articles(ws: Workspace) -> dict[str, dict[str, Any]]:
    out = {}
    for path in ws.article_files():
        for _, record in read_jsonl(path):
            out[record["id"]] = record
    return out


def by_title(ws: Workspace, fragment: str) -> dict[str, Any]:
    [article] = [a for a in articles(ws).values() if fragment in a["title"]]
    return article


def _span(text: str, surface: str, occurrence: int = 1) -> Span:
    return Span(*find_span(text, surface, occurrence), surface)


def _entity(eid: str, text: str, surface: str, label: str, occurrence: int = 1) -> Entity:
    return Entity(eid, *find_span(text, surface, occurrence), surface, label)


def _quote(
    qid: str,
    text: str,
    surface: str,
    speaker: Span | None,
    entity: str | None,
    cue: Span | None,
    kind: str = "direct",
) -> Quote:
    return Quote(qid, *find_span(text, surface), surface, kind, speaker, entity, cue)


def gold_annotation(article: dict[str, Any], annotator: str = "tester") -> Annotation:
    """A rich annotation of one of :data:`DUMPS`' articles: entities, quotes with speakers
    (one a pronoun resolved to an entity), cues, and stances of the article, a quote and an
    entity."""
    t = article["text"]
    ents: list[Entity] = []
    quotes: list[Quote] = []
    stances: list[Stance] = []
    if "İstanbul dam" in t:
        ents = [
            _entity("e1", t, "Ana Duru", "PERSON"),
            _entity("e2", t, "İstanbul", "GPE", 2),
            _entity("e3", t, "Acme Corp", "ORG"),
        ]
        quotes = [
            _quote("q1", t, "We need more time 🎉", _span(t, "Ana Duru"), "e1", _span(t, "said")),
            _quote("q2", t, "The plan is sound.", _span(t, "She"), "e1", _span(t, "added")),
        ]
        stances = [
            Stance("s1", Holder("article"), "river-dam", "neutral"),
            Stance("s2", Holder("quote", "q1"), "river-dam", "against"),
            Stance("s3", Holder("entity", "e3"), "river-dam", "favor"),
        ]
    elif "Millbrook" in t:
        ents = [_entity("e1", t, "Ben Whitaker", "PERSON"), _entity("e2", t, "Millbrook", "GPE")]
        quotes = [
            _quote(
                "q1", t, "This budget keeps buses running", _span(t, "Ben Whitaker"), "e1", _span(t, "said")
            )
        ]
        stances = [
            Stance("s1", Holder("article"), "city budget", "favor"),
            Stance("s2", Holder("quote", "q1"), "city budget", "favor"),
        ]
    elif "ferry" in t:
        ents = [_entity("e1", t, "Zoë\u0308 Lindqvist", "PERSON"), _entity("e2", t, "Gull Island", "LOC")]
        quotes = [_quote("q1", t, "Ferries matter", _span(t, "Zoë\u0308 Lindqvist"), None, _span(t, "told"))]
    else:
        ents = [_entity("e1", t, "سالم العامري", "PERSON"), _entity("e2", t, "Nakhlan", "GPE")]
        quotes = [_quote("q1", t, "متوازن ولا يضر أحدا", _span(t, "سالم العامري"), "e1", _span(t, "وقال"))]
        stances = [Stance("s1", Holder("quote", "q1"), "river-dam", "favor")]
    return Annotation(
        f"{article['id']}:{annotator}",
        article["id"],
        article["text_sha256"],
        annotator,
        "sample",
        False,
        ents,
        quotes,
        stances,
    )
