"""``annotate adjudicate``: gold annotations by a declared policy, with the conflicts listed.

The policy is a sequence of steps tried in order for each article; the first that decides
gives the gold:

- ``ground_truth``: an annotation marked ground truth (in Label Studio or in the file) is the
  gold as it is; nothing new is written for that article;
- ``majority``: an item (entity span+label, quote span+kind, a quote's speaker and cue, a
  stance toward a target) is gold when more than half of the article's annotators have it;
  the step fails for the article when any item is tied or a speaker, cue or stance has no
  majority value: those are the conflicts;
- ``annotator:<name>``: that annotator's annotation is the gold;
- ``unanimous``: like ``majority`` but every annotator must agree;
- ``single``: an article with exactly one human annotation takes it as gold.

``majority`` and ``unanimous`` need at least two annotators: a single annotation is never
gold unless the policy names ``single`` (or its annotator); model predictions never are.

Several ground-truth records for one article (a reviewer's star in Label Studio on an
article that already has workspace gold) resolve to exactly one, by :func:`choose_gold`:
a Label Studio ground truth wins over workspace gold (the newest ``updated_at`` if several
servers or projects), and an earlier adjudication is replaced.

Default: ``ground_truth,majority``. Articles no step decides are listed with their
conflicts and get no gold. Inputs are the workspace's human annotations whose
``text_sha256`` matches the article (stale ones, predictions, drafts and earlier
adjudications are left out and counted). The output ``annotations/adjudicated.jsonl``
(origin ``adjudication``, ``ground_truth: true``) is rewritten whole, sorted, stable.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..records import Annotation, Entity, Holder, Quote, Span, Stance, read_jsonl
from ..report import Report
from ..text import sha256_text
from ..workspace import Workspace
from .agreement import LEFT_OUT_ORIGINS, ByArticle, group_annotations, is_prediction
from .pull import write_output
from .push import load_articles, writable_annotations_dir
from .results import sort_parts, stance_id

OUTPUT_NAME = "adjudicated.jsonl"
DEFAULT_POLICY = ("ground_truth", "majority")


def parse_policy(policy: str | Iterable[str]) -> tuple[str, ...]:
    steps = tuple(s.strip() for s in (policy.split(",") if isinstance(policy, str) else policy) if s.strip())
    for step in steps:
        if step not in ("ground_truth", "majority", "unanimous", "single") and not (
            step.startswith("annotator:") and len(step) > len("annotator:")
        ):
            raise ConfigError(
                f"unknown adjudication step {step!r}; steps: ground_truth, majority, "
                "unanimous, single, annotator:<name>"
            )
    if not steps:
        raise ConfigError("the adjudication policy is empty")
    return steps


def collect(
    ws: Workspace, exclude: Iterable[str] = (OUTPUT_NAME,)
) -> tuple[ByArticle, dict[str, int]]:
    """``{article id: {annotator: record}}`` of usable human annotations, and what was left out
    (:func:`.agreement.group_annotations` on the workspace's files, stale records left out)."""
    articles, _ = load_articles(ws)
    hashes = {aid: sha256_text(a["text"]) for aid, a in articles.items()}
    skip = set(exclude)
    return group_annotations((record for path in ws.annotation_files() if path.name not in skip
                              for _, record in read_jsonl(path)), hashes)


def _gold_rank(record: Mapping[str, Any]) -> tuple[int, str, str]:
    from_ls = (record.get("external") or {}).get("system") == "labelstudio"
    return (1 if from_ls else 0, str(record.get("updated_at") or ""), str(record.get("id")))


def choose_gold(records: Iterable[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The one gold record among an article's ground-truth records (see the module doc)."""
    marked = [r for r in records if r.get("ground_truth") and r.get("origin") not in LEFT_OUT_ORIGINS
              and not is_prediction(r)]
    return max(marked, key=_gold_rank) if marked else None


@dataclass
class Conflict:
    article_id: str
    kind: str
    item: str
    votes: dict[str, str]


@dataclass
class AdjudicationReport(Report):
    policy: tuple[str, ...] = DEFAULT_POLICY
    articles: int = 0
    decided: dict[str, int] = field(default_factory=dict)
    undecided: dict[str, int] = field(default_factory=dict)  # why: single_annotation, conflicts
    unresolved: list[str] = field(default_factory=list)
    gold_superseded: list[str] = field(default_factory=list)  # ground truths that lost to another
    conflicts: list[Conflict] = field(default_factory=list)
    left_out: dict[str, int] = field(default_factory=dict)
    written: int = 0
    output: str | None = None

    def summary(self) -> str:
        decided = ", ".join(f"{k} {v}" for k, v in sorted(self.decided.items())) or "none"
        undecided = ", ".join(f"{k} {v}" for k, v in sorted(self.undecided.items())) or "none"
        return (
            f"{self.articles} articles: decided by {decided}; {len(self.unresolved)} unresolved "
            f"({undecided}) with {len(self.conflicts)} conflicts; {self.written} gold records written"
            + (
                f"; {len(self.gold_superseded)} ground truth(s) superseded by a Label Studio one"
                if self.gold_superseded
                else ""
            )
        )

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["policy"] = list(self.policy)
        return d


def _fmt(x: Any) -> str:
    if x is None:
        return "none"
    if isinstance(x, tuple) and len(x) == 3 and isinstance(x[0], int):
        return f"{x[0]}..{x[1]} {x[2]}"
    if isinstance(x, tuple) and len(x) == 2 and isinstance(x[0], int):
        return f"{x[0]}..{x[1]}"
    return str(x)


def _vote(
    aid: str, records: Mapping[str, Mapping[str, Any]], need_all: bool
) -> tuple[Annotation | None, list[Conflict]]:
    """Majority (or unanimous) gold for one article, or its conflicts."""
    names = sorted(records)
    n = len(names)
    conflicts: list[Conflict] = []

    def wins(count: int) -> bool:
        return count == n if need_all else 2 * count > n

    def tie(count: int) -> bool:
        return 0 < count < n if need_all else 2 * count == n

    text_of: dict[tuple[int, int], str] = {}
    entity_votes: Counter[tuple[int, int, str]] = Counter()
    quote_votes: Counter[tuple[int, int, str]] = Counter()
    for r in records.values():
        for e in r.get("entities", []):
            entity_votes[(e["start"], e["end"], e["label"])] += 1
            text_of[(e["start"], e["end"])] = e["text"]
        for q in r.get("quotes", []):
            quote_votes[(q["start"], q["end"], q["kind"])] += 1
            text_of[(q["start"], q["end"])] = q["text"]
            for part in ("speaker", "cue"):
                if q.get(part):
                    text_of[(q[part]["start"], q[part]["end"])] = q[part]["text"]
    for kind, votes in (("entity", entity_votes), ("quote", quote_votes)):
        for item, count in sorted(votes.items()):
            if tie(count):
                holders = {name: "yes" if _has(records[name], kind, item) else "no" for name in names}
                conflicts.append(Conflict(aid, kind, _fmt(item), holders))
    entities = [
        Entity(f"e{i}", s, e, text_of[(s, e)], label)
        for i, (s, e, label) in enumerate(sorted(k for k, c in entity_votes.items() if wins(c)), 1)
    ]
    entity_id = {(e.start, e.end, e.label): e.id for e in entities}
    quotes: list[Quote] = []
    quote_id: dict[tuple[int, int], str] = {}
    for i, (s, e, kind) in enumerate(sorted(k for k, c in quote_votes.items() if wins(c)), 1):
        qid = f"q{i}"
        quote_id[(s, e)] = qid
        parts: dict[str, Any] = {}
        for part in ("speaker", "cue"):
            values = {name: _quote_part(records[name], s, e, part) for name in names}
            counter = Counter(values.values())
            best, count = counter.most_common(1)[0]
            if not wins(count):
                conflicts.append(
                    Conflict(aid, part, f"quote {s}..{e}", {k: _fmt(v) for k, v in values.items()})
                )
            parts[part] = Span(best[0], best[1], text_of[best]) if best else None
        speaker_entity = None
        if parts["speaker"] is not None:
            ents = {name: _quote_part(records[name], s, e, "speaker_entity") for name in names}
            best_ent, count = Counter(ents.values()).most_common(1)[0]
            if best_ent is not None and wins(count):
                speaker_entity = entity_id.get(best_ent)
        quotes.append(Quote(qid, s, e, text_of[(s, e)], kind, parts["speaker"], speaker_entity, parts["cue"]))
    stance_votes: dict[tuple[str, Any, str], dict[str, str]] = {}
    for name in names:
        r = records[name]
        quote_span = {q["id"]: (q["start"], q["end"]) for q in r.get("quotes", [])}
        entity_span = {x["id"]: (x["start"], x["end"], x["label"]) for x in r.get("entities", [])}
        for st in r.get("stances", []):
            h = st["holder"]
            key = (
                ("article", None)
                if h["type"] == "article"
                else (
                    h["type"],
                    quote_span.get(h["ref"]) if h["type"] == "quote" else entity_span.get(h["ref"]),
                )
            )
            stance_votes.setdefault((*key, st["target"]), {})[name] = st["stance"]
    stances: list[Stance] = []
    for (htype, hkey, target), stance_by in sorted(stance_votes.items(), key=lambda kv: repr(kv[0])):
        best_stance, count = Counter(stance_by.values()).most_common(1)[0]
        if not wins(count):
            if 2 * len(stance_by) >= n or need_all:
                conflicts.append(
                    Conflict(
                        aid,
                        "stance",
                        f"{htype} {_fmt(hkey)} -> {target}",
                        {k: stance_by.get(k, "none given") for k in names},
                    )
                )
            continue
        ref = (
            None if htype == "article" else (quote_id.get(hkey) if htype == "quote" else entity_id.get(hkey))
        )
        if htype != "article" and ref is None:
            continue
        holder = Holder(htype, ref)
        stances.append(Stance(stance_id(holder, target), holder, target, best_stance))
    if conflicts:
        return None, conflicts
    sort_parts(entities, quotes, stances)
    first = next(iter(records.values()))
    return Annotation(
        f"{aid}:gold",
        aid,
        first["text_sha256"],
        "adjudication",
        "adjudication",
        True,
        entities,
        quotes,
        stances,
    ), []


def _has(record: Mapping[str, Any], kind: str, item: tuple[int, int, str]) -> bool:
    if kind == "entity":
        return any((e["start"], e["end"], e["label"]) == item for e in record.get("entities", []))
    return any((q["start"], q["end"], q["kind"]) == item for q in record.get("quotes", []))


def _quote_part(record: Mapping[str, Any], start: int, end: int, part: str) -> Any:
    for q in record.get("quotes", []):
        if (q["start"], q["end"]) == (start, end):
            if part == "speaker_entity":
                ents = {e["id"]: (e["start"], e["end"], e["label"]) for e in record.get("entities", [])}
                return ents.get(q.get("speaker_entity"))
            value = q.get(part)
            return (value["start"], value["end"]) if value else None
    return None


def adjudicate(
    ws: Workspace, policy: str | Iterable[str] = DEFAULT_POLICY, output_name: str = OUTPUT_NAME
) -> AdjudicationReport:
    """Write gold annotations for the workspace by ``policy``; see the module documentation."""
    steps = parse_policy(policy)
    by_article, left_out = collect(ws, exclude=(output_name,))
    report = AdjudicationReport(policy=steps, articles=len(by_article), left_out=left_out)
    decided: Counter[str] = Counter()
    gold: dict[str, dict[str, Any]] = {}
    undecided: Counter[str] = Counter()
    for aid, records in sorted(by_article.items()):
        article_conflicts: list[Conflict] = []
        single = len(records) < 2
        for step in steps:
            if step == "ground_truth":
                chosen = choose_gold(records.values())
                if chosen is not None:
                    report.gold_superseded += sorted(
                        str(r["id"]) for r in records.values() if r.get("ground_truth") and r is not chosen
                    )
                    decided["ground_truth"] += 1
                    break
            elif step == "single":
                if single:
                    gold[aid] = _copy_as_gold(aid, next(iter(records.values())), steps, step)
                    decided[step] += 1
                    break
            elif step in ("majority", "unanimous"):
                if single:
                    continue  # one annotation is no majority
                record, conflicts = _vote(aid, records, need_all=step == "unanimous")
                if record is not None:
                    d = record.to_dict()
                    d["external"] = {
                        "policy": ",".join(steps),
                        "rule": step,
                        "annotators": ",".join(sorted(records)),
                    }
                    gold[aid] = d
                    decided[step] += 1
                    break
                article_conflicts.extend(conflicts)
            else:
                name = step.split(":", 1)[1]
                if name in records:
                    gold[aid] = _copy_as_gold(aid, records[name], steps, step)
                    decided[step] += 1
                    break
        else:
            report.unresolved.append(aid)
            report.conflicts.extend(article_conflicts)
            undecided["conflicts" if article_conflicts else "single_annotation" if single else "no_step"] += 1
    report.decided = dict(sorted(decided.items()))
    report.undecided = dict(sorted(undecided.items()))
    path = writable_annotations_dir(ws) / output_name
    if gold or path.is_file():
        write_output(path, gold)
        report.output = str(path)
    report.written = len(gold)
    return report


def _copy_as_gold(aid: str, record: Mapping[str, Any], steps: tuple[str, ...], step: str) -> dict[str, Any]:
    d = {
        **record,
        "id": f"{aid}:gold",
        "annotator": "adjudication",
        "origin": "adjudication",
        "ground_truth": True,
        "external": {"policy": ",".join(steps), "rule": step, "source": record["id"]},
    }
    d.pop("created_at", None)
    d.pop("updated_at", None)
    return d


def output_path(ws: Workspace, output_name: str = OUTPUT_NAME) -> Path:
    return ws.annotations_dir / output_name
