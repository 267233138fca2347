"""Agreement statistics against hand-computed values; adjudication policies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newscorpus.annotate.adjudicate import adjudicate, collect, parse_policy
from newscorpus.annotate.agreement import agreement, cohen_kappa, f1, krippendorff_alpha, match_overlapping
from newscorpus.errors import ConfigError
from newscorpus.records import Holder, Stance, read_jsonl, write_jsonl
from tests.annotate_workspace import articles, by_title, gold_annotation, make_workspace


def test_cohen_kappa_by_hand() -> None:
    # po = 4/5; A: f3 a1 n1, B: f2 a2 n1 -> pe = (3*2 + 1*2 + 1*1)/25 = 0.36
    # kappa = (0.8 - 0.36) / (1 - 0.36) = 0.6875
    assert cohen_kappa(list(zip("ffanf", "faanf", strict=True))) == pytest.approx(0.6875)
    assert cohen_kappa([("x", "x"), ("x", "x")]) is None  # one category only: undefined
    assert cohen_kappa([]) is None


def test_krippendorff_alpha_nominal_reference_example() -> None:
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 coders, 12 units,
    # missing values; nominal alpha = 0.743.
    n = None
    coders = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
        [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n],
    ]
    assert krippendorff_alpha(list(zip(*coders, strict=True))) == pytest.approx(0.7434, abs=1e-4)
    # Two coders, by hand: units (a,a) (a,b) (b,b): o_aa=2, o_ab=o_ba=1, o_bb=2, n=6,
    # n_a=n_b=3 -> alpha = 1 - (6-1) * 2 / (3*3 + 3*3) = 1 - 10/18 = 0.4444
    assert krippendorff_alpha([("a", "a"), ("a", "b"), ("b", "b")]) == pytest.approx(4 / 9)
    assert krippendorff_alpha([("a", "a")]) is None


def test_span_matching() -> None:
    a = [(0, 5, "X"), (10, 20, "X"), (30, 35, "Y")]
    b = [(0, 5, "X"), (12, 25, "X"), (30, 35, "X")]
    assert match_overlapping(a, b) == [(1, 1), (0, 0)]
    assert f1(1, 3, 3) == pytest.approx(1 / 3) and f1(0, 0, 0) is None


def _two_annotators(tmp_path: Path) -> Any:
    ws = make_workspace(tmp_path / "ws")
    ferry, budget = by_title(ws, "ferry"), by_title(ws, "Millbrook")
    a1, a2 = gold_annotation(ferry, "ann1"), gold_annotation(ferry, "ann2")
    a2.entities = a2.entities[:1]  # ann2 missed "Gull Island"
    b1, b2 = gold_annotation(budget, "ann1"), gold_annotation(budget, "ann2")
    b2.stances = [
        Stance("s1", Holder("article"), "city budget", "against"),
        Stance("s2", Holder("quote", "q1"), "city budget", "favor"),
    ]
    q = b2.quotes[0]
    q.speaker = None
    q.speaker_entity = None
    rows = [r.to_dict() for r in (a1, a2, b1, b2)]
    write_jsonl(ws.annotations_dir / "team.jsonl", rows)
    return ws


def test_agreement_per_pair(tmp_path: Path) -> None:
    ws = _two_annotators(tmp_path)
    by_article, left_out = collect(ws)
    report = agreement(by_article, left_out)
    [pair] = report.pairs
    assert (pair.a, pair.b, pair.articles) == ("ann1", "ann2", 2)
    # LOC: ann1 has Gull Island, ann2 nothing -> F1 0; PERSON: 2 vs 2 all equal -> 1
    assert pair.spans["LOC"] == {"a": 1, "b": 0, "exact_f1": 0.0, "overlap_f1": 0.0}
    assert pair.spans["PERSON"]["exact_f1"] == 1.0
    # SPEAKER: ann1 2 speakers, ann2 1 (budget quote has none) -> 2*1/3
    assert pair.spans["SPEAKER"]["exact_f1"] == pytest.approx(0.6667, abs=1e-4)
    # stance units: article (favor, against) and quote (favor, favor)
    assert pair.stance_units == 2 and pair.stance_kappa == 0.0
    assert (pair.matched_quotes, pair.speaker_agreement) == (2, 0.5)


def test_adjudicate_policies(tmp_path: Path) -> None:
    ws = _two_annotators(tmp_path)
    report = adjudicate(ws)  # two annotators who disagree on both articles: no majority
    assert report.written == 0 and len(report.unresolved) == 2
    kinds = {(c.kind, c.item) for c in report.conflicts}
    assert ("entity", "90..101 LOC") in kinds or any(k == "entity" for k, _ in kinds)
    assert {"speaker", "stance"} <= {k for k, _ in kinds}
    resolved = adjudicate(ws, "ground_truth,majority,annotator:ann1")
    assert resolved.unresolved == [] and resolved.written == 2
    gold = [r for _, r in read_jsonl(ws.annotations_dir / "adjudicated.jsonl")]
    assert all(r["ground_truth"] and r["origin"] == "adjudication" for r in gold)
    assert gold == sorted(gold, key=lambda r: r["article_id"])
    # The adjudicated file is never an input of itself.
    assert adjudicate(ws, "ground_truth,majority,annotator:ann1").written == 2
    with pytest.raises(ConfigError):
        parse_policy("majority,coin-flip")


def test_ground_truth_wins_and_stale_is_left_out(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    art = next(iter(articles(ws).values()))
    gt = gold_annotation(art, "ann1")
    gt.ground_truth = True
    stale = gold_annotation(art, "ann2")
    stale.text_sha256 = "f" * 64
    write_jsonl(ws.annotations_dir / "x.jsonl", [gt.to_dict(), stale.to_dict()])
    report = adjudicate(ws)
    assert report.decided == {"ground_truth": 1} and report.written == 0
    assert report.left_out == {"stale": 1}


def test_single_annotation_is_not_gold_unless_the_policy_says_so(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    ferry, budget = by_title(ws, "ferry"), by_title(ws, "Millbrook")
    prediction = gold_annotation(budget, "model")
    prediction.origin = "prediction"
    rows = [gold_annotation(ferry, "ann1"), gold_annotation(budget, "ann1"), gold_annotation(budget, "ann2")]
    write_jsonl(ws.annotations_dir / "team.jsonl", [r.to_dict() for r in rows] + [prediction.to_dict()])
    report = adjudicate(ws)
    assert report.decided == {"majority": 1} and report.undecided == {"single_annotation": 1}
    assert report.unresolved == [ferry["id"]] and report.written == 1
    assert "decided by majority 1; 1 unresolved (single_annotation 1)" in report.summary()
    assert agreement(*collect(ws)).double_annotated == 1
    allowed = adjudicate(ws, "ground_truth,majority,single")
    assert allowed.decided == {"majority": 1, "single": 1} and allowed.undecided == {}
    gold = {r["article_id"]: r for _, r in read_jsonl(ws.annotations_dir / "adjudicated.jsonl")}
    assert gold[ferry["id"]]["external"]["rule"] == "single"
    assert gold[ferry["id"]]["external"]["source"] == f"{ferry['id']}:ann1"


def test_label_studio_ground_truth_supersedes_workspace_gold(tmp_path: Path) -> None:
    from newscorpus.report import ValidationReport
    from newscorpus.validation import _choose_gold

    ws = make_workspace(tmp_path / "ws")
    art = next(iter(articles(ws).values()))
    workspace_gold = gold_annotation(art, "curator")
    workspace_gold.ground_truth = True
    star = gold_annotation(art, "ls-user-2")
    star.ground_truth, star.origin = True, "labelstudio"
    star.external = {"system": "labelstudio", "server": "http://127.0.0.1:1", "project": 1, "task": 1}
    other = gold_annotation(art, "ls-user-3")
    write_jsonl(ws.annotations_dir / "x.jsonl", [r.to_dict() for r in (workspace_gold, star, other)])
    report = adjudicate(ws)
    assert report.decided == {"ground_truth": 1} and report.written == 0 and report.conflicts == []
    assert report.gold_superseded == [workspace_gold.id]
    # The release (and validate) pick the same single gold record.
    records = [r for _, r in read_jsonl(ws.annotations_dir / "x.jsonl")]
    problems = ValidationReport()
    assert _choose_gold(records, problems)[art["id"]]["id"] == star.id and problems.problems == []
