"""Inter-annotator agreement (Label Studio's own metrics are an enterprise feature).

Per pair of annotators, on the articles both annotated (stale annotations, predictions and
adjudicated records left out):

- spans, per label (entity labels, ``QUOTE``, ``SPEAKER``, ``CUE``): exact F1 (same start,
  end and label) and overlap F1 (one-to-one matching of overlapping spans of the same label);
- stance (article-level units ``(article, target)`` and quote-level units on quotes matched
  by overlap): Cohen's kappa and Krippendorff's alpha (nominal) on the units both rated;
- quote -> speaker links on matched quotes: agreement (both point at overlapping speaker
  spans, or both have none) and link F1.

Across all annotators: Krippendorff's alpha for stance with missing values (quote units keyed
by the exact quote span). The statistics are written here (a few lines each) and tested
against hand-computed values.

:func:`group_annotations` decides which records count (one rule for ``newscorpus annotate
agreement``, adjudication and the release card): model predictions (origin ``prediction``
or an ``external.model_version``) and adjudicated records are never annotators.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from ..evaluate import prf
from ..report import Report

Span3 = tuple[int, int, str]
ByArticle = dict[str, dict[str, dict[str, Any]]]
LEFT_OUT_ORIGINS = {"prediction", "adjudication"}


def is_prediction(record: Mapping[str, Any]) -> bool:
    """A model's labels: origin ``prediction`` or a ``model_version`` (Label Studio's mark)."""
    return record.get("origin") == "prediction" or "model_version" in (record.get("external") or {})


def group_annotations(records: Iterable[Mapping[str, Any]], hashes: Mapping[str, str] | None = None
                      ) -> tuple[ByArticle, dict[str, int]]:
    """``{article id: {annotator: record}}`` of usable human annotations, and what was left out
    (predictions, adjudications, drafts; with ``hashes`` — article id to text SHA-256 — also
    records of unknown articles and stale ones). When an annotator has several usable records
    for one article, the latest ``updated_at`` wins (the others count as ``superseded``)."""
    left = Counter[str]()
    out: ByArticle = {}
    for record in records:
        aid = str(record.get("article_id"))
        if is_prediction(record):
            left["prediction"] += 1
        elif record.get("origin") in LEFT_OUT_ORIGINS:
            left[str(record.get("origin"))] += 1
        elif (record.get("external") or {}).get("draft") is not None:
            left["draft"] += 1
        elif hashes is not None and aid not in hashes:
            left["no_article"] += 1
        elif hashes is not None and record.get("text_sha256") != hashes[aid]:
            left["stale"] += 1
        else:
            name = str(record["annotator"])
            previous = out.setdefault(aid, {}).get(name)
            if previous is not None:
                left["superseded"] += 1
                if str(previous.get("updated_at") or "") > str(record.get("updated_at") or ""):
                    continue
            out[aid][name] = dict(record)
    return out, dict(sorted(left.items()))


def cohen_kappa(pairs: Sequence[tuple[Hashable, Hashable]]) -> float | None:
    """Cohen's kappa of two raters' labels on the same items; None when undefined."""
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(1 for a, b in pairs if a == b) / n
    ca, cb = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(ca[k] * cb[k] for k in ca) / (n * n)
    if expected == 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def krippendorff_alpha(units: Iterable[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's alpha, nominal, for units given as the values of each coder (None =
    missing). Units with fewer than two values are not pairable and are ignored."""
    coincidence: dict[tuple[Hashable, Hashable], float] = defaultdict(float)
    for unit in units:
        values = [v for v in unit if v is not None]
        m = len(values)
        if m < 2:
            continue
        for i, c in enumerate(values):
            for j, k in enumerate(values):
                if i != j:
                    coincidence[(c, k)] += 1.0 / (m - 1)
    totals: dict[Hashable, float] = defaultdict(float)
    for (c, _), v in coincidence.items():
        totals[c] += v
    n = sum(totals.values())
    if n <= 1:
        return None
    disagreement = sum(v for (c, k), v in coincidence.items() if c != k)
    expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k)
    if expected == 0:
        return None
    return 1.0 - (n - 1) * disagreement / expected


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def match_overlapping(a: Sequence[Span3], b: Sequence[Span3]) -> list[tuple[int, int]]:
    """One-to-one matching of spans with the same label that overlap, largest overlap first."""
    candidates = []
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            if x[2] == y[2] and _overlaps(x[:2], y[:2]):
                overlap = min(x[1], y[1]) - max(x[0], y[0])
                candidates.append((-overlap, i, j))
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for _, i, j in sorted(candidates):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j))
    return pairs


def f1(matched: int, n_a: int, n_b: int) -> float | None:
    """F1 of ``matched`` pairs between ``n_a`` and ``n_b`` items (:func:`newscorpus.evaluate.prf`
    with either side as the reference); None when both sides are empty."""
    return prf(matched, n_a, n_b)[2] if n_a + n_b else None


def spans_of(record: Mapping[str, Any]) -> list[Span3]:
    """Every labelled span of a record: entities, quotes (QUOTE), speakers, cues."""
    out: list[Span3] = [(e["start"], e["end"], e["label"]) for e in record.get("entities", [])]
    for q in record.get("quotes", []):
        out.append((q["start"], q["end"], "QUOTE"))
        for part, label in (("speaker", "SPEAKER"), ("cue", "CUE")):
            if q.get(part):
                out.append((q[part]["start"], q[part]["end"], label))
    return sorted(set(out))


def quote_stances(record: Mapping[str, Any]) -> dict[tuple[tuple[int, int], str], str]:
    quotes = {q["id"]: (q["start"], q["end"]) for q in record.get("quotes", [])}
    return {
        (quotes[s["holder"]["ref"]], s["target"]): s["stance"]
        for s in record.get("stances", [])
        if s["holder"]["type"] == "quote" and s["holder"]["ref"] in quotes
    }


def article_stances(record: Mapping[str, Any]) -> dict[str, str]:
    return {s["target"]: s["stance"] for s in record.get("stances", []) if s["holder"]["type"] == "article"}


@dataclass
class PairAgreement:
    a: str
    b: str
    articles: int = 0
    spans: dict[str, dict[str, Any]] = field(default_factory=dict)
    stance_units: int = 0
    stance_kappa: float | None = None
    stance_alpha: float | None = None
    matched_quotes: int = 0
    speaker_agreement: float | None = None
    speaker_link_f1: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def _pair(a: str, b: str, docs: list[tuple[Mapping[str, Any], Mapping[str, Any]]]) -> PairAgreement:
    out = PairAgreement(a, b, len(docs))
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # exact, overlap, n_a, n_b
    stance_pairs: list[tuple[str, str]] = []
    link_agree = link_match = links_a = links_b = 0
    for ra, rb in docs:
        sa, sb = spans_of(ra), spans_of(rb)
        for label in {s[2] for s in sa} | {s[2] for s in sb}:
            la = [s for s in sa if s[2] == label]
            lb = [s for s in sb if s[2] == label]
            c = counts[label]
            c[0] += len(set(la) & set(lb))
            c[1] += len(match_overlapping(la, lb))
            c[2] += len(la)
            c[3] += len(lb)
        aa, ab = article_stances(ra), article_stances(rb)
        stance_pairs += [(aa[t], ab[t]) for t in sorted(aa.keys() & ab.keys())]
        qa = [(q["start"], q["end"], "QUOTE") for q in ra.get("quotes", [])]
        qb = [(q["start"], q["end"], "QUOTE") for q in rb.get("quotes", [])]
        full_a, full_b = list(ra.get("quotes", [])), list(rb.get("quotes", []))
        order_a = sorted(range(len(full_a)), key=lambda i: qa[i])
        order_b = sorted(range(len(full_b)), key=lambda i: qb[i])
        qa_sorted = [qa[i] for i in order_a]
        qb_sorted = [qb[i] for i in order_b]
        sta, stb = quote_stances(ra), quote_stances(rb)
        links_a += sum(1 for q in full_a if q.get("speaker"))
        links_b += sum(1 for q in full_b if q.get("speaker"))
        for i, j in match_overlapping(qa_sorted, qb_sorted):
            x, y = full_a[order_a[i]], full_b[order_b[j]]
            out.matched_quotes += 1
            spx, spy = x.get("speaker"), y.get("speaker")
            if spx and spy and _overlaps((spx["start"], spx["end"]), (spy["start"], spy["end"])):
                link_agree += 1
                link_match += 1
            elif not spx and not spy:
                link_agree += 1
            kx, ky = (x["start"], x["end"]), (y["start"], y["end"])
            targets = {t for (k, t) in sta if k == kx} & {t for (k, t) in stb if k == ky}
            stance_pairs += [(sta[(kx, t)], stb[(ky, t)]) for t in sorted(targets)]
    for label, (exact, overlap, n_a, n_b) in sorted(counts.items()):
        out.spans[label] = {
            "a": n_a,
            "b": n_b,
            "exact_f1": _round(f1(exact, n_a, n_b)),
            "overlap_f1": _round(f1(overlap, n_a, n_b)),
        }
    out.stance_units = len(stance_pairs)
    out.stance_kappa = cohen_kappa(stance_pairs)
    out.stance_alpha = krippendorff_alpha(stance_pairs)
    out.speaker_agreement = link_agree / out.matched_quotes if out.matched_quotes else None
    out.speaker_link_f1 = f1(link_match, links_a, links_b)
    return out


def _round(x: float | None) -> float | None:
    return round(x, 4) if x is not None else None


@dataclass
class AgreementReport(Report):
    annotators: list[str] = field(default_factory=list)
    articles: int = 0
    records: int = 0
    double_annotated: int = 0  # articles with two or more annotators (the units agreement sees)
    excluded: dict[str, int] = field(default_factory=dict)
    pairs: list[PairAgreement] = field(default_factory=list)
    stance_alpha_all: float | None = None
    stance_units_all: int = 0

    def summary(self) -> str:
        return (f"{self.articles} articles, {self.records} records by {len(self.annotators)} "
                f"annotator(s); {self.double_annotated} double-annotated; {len(self.pairs)} pair(s)")

    def to_dict(self) -> dict[str, Any]:
        return {
            "annotators": self.annotators,
            "articles": self.articles,
            "records": self.records,
            "double_annotated": self.double_annotated,
            "excluded": self.excluded,
            "pairs": [p.to_dict() for p in self.pairs],
            "stance_alpha_all": _round(self.stance_alpha_all),
            "stance_units_all": self.stance_units_all,
        }


def agreement(
    by_article: Mapping[str, Mapping[str, Mapping[str, Any]]], excluded: Mapping[str, int] | None = None
) -> AgreementReport:
    """Agreement for ``{article id: {annotator: record}}`` (see :func:`.adjudicate.collect`)."""
    report = AgreementReport(excluded=dict(excluded or {}))
    annotators = sorted({a for recs in by_article.values() for a in recs})
    report.annotators = annotators
    report.articles = len(by_article)
    report.records = sum(len(r) for r in by_article.values())
    report.double_annotated = sum(1 for r in by_article.values() if len(r) >= 2)
    for a, b in combinations(annotators, 2):
        docs = [(recs[a], recs[b]) for _, recs in sorted(by_article.items()) if a in recs and b in recs]
        if docs:
            report.pairs.append(_pair(a, b, docs))
    units: dict[tuple[Any, ...], dict[str, str]] = defaultdict(dict)
    for aid, recs in by_article.items():
        for name, record in recs.items():
            for target, value in article_stances(record).items():
                units[(aid, "article", target)][name] = value
            for (key, target), value in quote_stances(record).items():
                units[(aid, key, target)][name] = value
    rows = [[u.get(name) for name in annotators] for u in units.values()]
    report.stance_units_all = sum(1 for r in rows if sum(v is not None for v in r) >= 2)
    report.stance_alpha_all = krippendorff_alpha(rows)
    return report


def format_score(x: float | None) -> str:
    """How the CLI and the release card print a figure."""
    return "n/a" if x is None else f"{x:.3f}"


def analysis_text(summary: Mapping[str, Any]) -> str | None:
    """One plain-text paragraph of the same figures as :func:`card_section` (for metadata
    such as Croissant's ``rai:dataAnnotationAnalysis``), or None with no double annotation."""
    if not summary.get("double_annotated"):
        return None
    parts = []
    for pair in summary["pairs"]:
        spans = ", ".join(f"{label} span F1 {format_score(s['exact_f1'])} exact / "
                          f"{format_score(s['overlap_f1'])} overlap" for label, s in pair["spans"].items())
        parts.append(f"{pair['a']} vs {pair['b']} on {pair['articles']} articles: {spans or 'no spans'}; "
                     f"stance Cohen's kappa {format_score(pair['stance_kappa'])} on "
                     f"{pair['stance_units']} units")
    return (f"{summary['double_annotated']} articles labelled by more than one annotator "
            "(computed as `newscorpus annotate agreement` does; model predictions are never "
            "annotators). " + "; ".join(parts) + f". Stance Krippendorff's alpha, all annotators: "
            f"{format_score(summary['stance_alpha_all'])} ({summary['stance_units_all']} units).")


def card_section(summary: Mapping[str, Any]) -> str:
    """The dataset card's agreement section, from :meth:`AgreementReport.to_dict` (the figures
    ``newscorpus annotate agreement`` prints for the same annotations)."""
    if not summary.get("double_annotated"):
        return ("No article was labelled by two annotators, so no agreement figure can be "
                "given for this release.\n")
    left = summary.get("excluded") or {}
    out = [f"{summary['double_annotated']} articles were labelled by more than one annotator "
           f"({', '.join(summary['annotators'])}); computed as `newscorpus annotate agreement` "
           "does" + (f", leaving out {', '.join(f'{n} {k}' for k, n in left.items())} record(s)"
                     if left else "") + " (model predictions are never annotators).\n"]
    for pair in summary["pairs"]:
        rows = [f"| {label} span F1 (exact / overlap) | {format_score(s['exact_f1'])} / "
                f"{format_score(s['overlap_f1'])} ({s['a']} vs {s['b']} spans) |"
                for label, s in pair["spans"].items()]
        rows += [f"| stance Cohen's kappa / Krippendorff's alpha | {format_score(pair['stance_kappa'])}"
                 f" / {format_score(pair['stance_alpha'])} ({pair['stance_units']} units) |",
                 f"| speaker link agreement / F1 | {format_score(pair['speaker_agreement'])} / "
                 f"{format_score(pair['speaker_link_f1'])} ({pair['matched_quotes']} matched quotes) |"]
        out.append(f"**{pair['a']} vs {pair['b']}** ({pair['articles']} articles)\n\n"
                   "| measure | value |\n|---|---|\n" + "\n".join(rows) + "\n")
    out.append(f"Stance Krippendorff's alpha, all annotators: {format_score(summary['stance_alpha_all'])}"
               f" ({summary['stance_units_all']} units).\n")
    return "\n".join(out)
