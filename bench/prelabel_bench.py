"""Pre-annotation speed: articles/s of ``Prelabeler`` (attributions + pronoun resolution) vs a
bare sentence split of the same texts, on one core (CPU time: the machine may be shared).

    .venv/bin/python bench/prelabel_bench.py [--repeat 5] [--json FILE]

Texts: the 124 openly licensed Wikinews articles in ../shared/data/open-news (24 English GUM,
100 French), each run ``--repeat`` times. Target: >= 200 articles/s. The baseline is
``attribution.sentence_spans`` (the splitter the prelabeler itself uses), so the ratio says how
much the attribution rules cost on top of splitting.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.quality.attribution_data import fr_texts, gum_rows  # noqa: E402

from newscorpus.annotate.attribution import sentence_spans  # noqa: E402
from newscorpus.annotate.prelabel import Prelabeler  # noqa: E402
from newscorpus.workspace import LabelSet  # noqa: E402


def rate(fn: object, texts: list[str], repeat: int) -> float:
    start = time.process_time()
    for _ in range(repeat):
        for n, text in enumerate(texts):
            fn({"id": f"nc-{n:032x}", "text": text})  # type: ignore[operator]
    return repeat * len(texts) / (time.process_time() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    texts = [r["text"] for r in gum_rows(args.shared)] + list(fr_texts(args.shared).values())
    prelabel = Prelabeler(LabelSet(("PERSON",), ()))
    prelabel({"id": "nc-" + "0" * 32, "text": texts[0]})  # compile the patterns once
    split = rate(lambda a: sentence_spans(a["text"]), texts, args.repeat)
    full = rate(prelabel, texts, args.repeat)
    result = {
        "articles": len(texts),
        "mean_chars": round(sum(map(len, texts)) / len(texts)),
        "prelabel_articles_per_s": round(full, 1),
        "sentence_split_articles_per_s": round(split, 1),
        "ratio_prelabel_to_split": round(full / split, 4),
        "target_articles_per_s": 200,
    }
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
