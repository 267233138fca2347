"""One-to-one attribution scoring: splitting a quote costs precision, speakers, kinds, parts."""

from __future__ import annotations

import itertools
import random
from typing import Any

from newscorpus.annotate.attribution_eval import Attribution, Counts, assignment, evaluate, match
from tests.attribution_fixtures import quote_record

TEXT = 'The plan, Jane Doe said, is dead. "It will never pass. Nobody wants it," she said.'


def q(
    start: int,
    end: int,
    kind: str = "direct",
    speaker: tuple[int, int] | None = None,
    cue: tuple[int, int] | None = None,
) -> dict[str, Any]:
    return quote_record(TEXT, start, end, kind, speaker, cue)


def rec(*quotes: dict[str, Any]) -> dict[str, Any]:
    return {"article_id": "a", "entities": [], "quotes": list(quotes)}


def at(s: str) -> tuple[int, int]:
    i = TEXT.index(s)
    return i, i + len(s)


def test_a_split_quote_matches_once() -> None:
    whole = at('"It will never pass. Nobody wants it,"')
    gold = rec(q(*whole, speaker=at("she")))
    pred = rec(q(*at("It will never pass")), q(*at("Nobody wants it")))
    d = evaluate([gold], [pred]).as_dict()["direct"]
    # "Nobody wants it" covers less than half of the quote; "It will never pass" just over half.
    assert d["overlap"] == {"precision": 0.5, "recall": 1.0, "f1": 0.6667}
    assert d["exact"]["f1"] == 0.0
    assert d["speaker_matched"] == 1 and d["speaker_accuracy"] == 0.0


def test_exact_match_after_trimming_marks_and_speaker() -> None:
    gold = rec(q(*at('"It will never pass. Nobody wants it,"'), speaker=at("she"), cue=at("she said")))
    pred = rec(q(*at("It will never pass. Nobody wants it"), speaker=at("she")))
    d = evaluate([gold], [pred]).as_dict()
    assert d["all"]["exact"]["f1"] == 1.0 and d["all"]["speaker_accuracy"] == 1.0


def test_linked_parts_are_one_attribution_and_kinds_are_separate() -> None:
    cue, spk = at("said"), at("Jane Doe")
    gold = rec(q(*at("The plan"), "indirect", spk, cue), q(*at("is dead"), "indirect", spk, cue))
    pred = rec(q(0, at("is dead")[1], "indirect", spk, cue), q(*at("It will never pass")))
    d = evaluate([gold], [pred]).as_dict()
    assert (d["all"]["gold"], d["all"]["predicted"]) == (1, 2)
    assert d["indirect"]["overlap"]["f1"] == 1.0 and d["indirect"]["speaker_accuracy"] == 1.0
    assert d["direct"]["overlap"]["precision"] == 0.0 and d["direct"]["gold"] == 0


def test_missing_prediction_counts_as_recall_zero() -> None:
    d = evaluate([rec(q(*at("is dead")))], []).as_dict()["all"]
    assert (d["gold"], d["predicted"], d["overlap"]["recall"]) == (1, 0, 0.0)


def test_a_name_inside_its_source_span_is_the_right_speaker_a_pronoun_is_not() -> None:
    quote = at('"It will never pass. Nobody wants it,"')
    gold = rec(q(*quote, speaker=at("The plan, Jane Doe")))
    name = evaluate([gold], [rec(q(*quote, speaker=at("Jane Doe")))]).as_dict()["all"]
    assert name["speaker_accuracy"] == 1.0
    gold = rec(q(*quote, speaker=at("she said")))
    pronoun = evaluate([gold], [rec(q(*quote, speaker=at("she")))]).as_dict()["all"]
    assert pronoun["speaker_accuracy"] == 0.0


def test_matching_is_optimal_not_greedy() -> None:
    # g1 = 100 letters, g2 its first 60 (a nested attribution); p1 fits g1 best (0.9) but is
    # g2's only partner (0.67); p2 fits g1 only (0.6). Greedy takes g1-p1 and loses g2.
    def a(lo: int, hi: int) -> Attribution:
        return Attribution(frozenset(range(lo, hi)), "direct")

    gold, pred = [a(0, 100), a(0, 60)], [a(0, 90), a(40, 100)]
    assert sorted((i, j) for i, j, _ in match(gold, pred)) == [(0, 1), (1, 0)]
    counts = Counts()
    counts.add(gold, pred)
    assert (counts.overlap, counts.exact) == (2, 0)


def test_assignment_is_the_maximum_weight_one() -> None:
    rng = random.Random(11)
    for _ in range(300):
        n, m = rng.randint(1, 5), rng.randint(1, 5)
        w = [[rng.choice((0.0, rng.random() + 1)) for _ in range(m)] for _ in range(n)]
        best = max(
            sum(w[i][j] for i, j in zip(rows, cols, strict=False))
            for rows in itertools.permutations(range(n), min(n, m))
            for cols in itertools.permutations(range(m), min(n, m))
        )
        pairs = assignment(w)
        assert len({i for i, _ in pairs}) == len(pairs) == len({j for _, j in pairs})
        assert abs(sum(w[i][j] for i, j in pairs) - best) < 1e-9


def test_a_duplicated_prediction_is_one_exact_match() -> None:
    quote = at("It will never pass")
    d = evaluate([rec(q(*quote))], [rec(q(*quote), q(*quote))]).as_dict()["all"]
    assert d["exact"] == {"precision": 0.5, "recall": 1.0, "f1": 0.6667}


def test_a_determiner_or_the_owner_of_a_role_is_not_the_speaker() -> None:
    text = "Yesterday the ministry's spokesman said the plan is dead."
    quote = {"start": 41, "end": 57, "text": text[41:57], "kind": "indirect", "speaker_entity": None}

    def spk(s: str) -> dict[str, Any]:
        i = text.index(s)
        return {
            "article_id": "a",
            "entities": [],
            "quotes": [quote | {"speaker": {"start": i, "end": i + len(s), "text": s}}],
        }

    gold = spk("the ministry's spokesman")
    for wrong in ("the", "ministry"):
        assert evaluate([gold], [spk(wrong)]).as_dict()["all"]["speaker_accuracy"] == 0.0, wrong
    assert evaluate([gold], [spk("spokesman")]).as_dict()["all"]["speaker_accuracy"] == 1.0
