"""Cost of converting one big multi-record input (issue 15): a JSONL export of N rows and an
RSS feed of N items, converted with ``convert_paths`` into a temporary folder.

    PYTHONPATH=src python bench/convert_cost.py [--rows N] [--items N]

Prints wall seconds for each. Both used to grow quadratically (the input re-hashed per
record; per-item line counting from the start of the feed).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from newscorpus.convert.batch import convert_paths

SENTENCE = ("the council met on tuesday to discuss the budget and the new school while "
            "residents asked about roads water and the harbour")
WORDS = SENTENCE.split()


def _text(i: int, n: int) -> str:
    return " ".join(WORDS[(i * 7 + k) % len(WORDS)] for k in range(n)) + f" story {i}."


def jsonl(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(rows):
            fh.write(json.dumps({"url": f"https://example.org/news/{i}", "title": f"Story number {i}",
                                 "text": _text(i, 80), "published_at": "2024-05-01T10:00:00+00:00"})
                     + "\n")


def rss(path: Path, items: int) -> None:
    body = "".join(f"<item><title>Story {i}</title><link>https://example.org/n/{i}</link>"
                   f"<description>{_text(i, 40)}</description></item>\n" for i in range(items))
    path.write_text(f'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Bench</title>\n'
                    f"{body}</channel></rss>\n", encoding="utf-8")


def timed(inp: Path, out: Path) -> tuple[float, str]:
    start = time.perf_counter()
    report = convert_paths([inp], out / "a.jsonl", out / "q.jsonl")
    return time.perf_counter() - start, report.summary()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--items", type=int, default=5_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        if args.rows:
            jsonl(d / "big.jsonl", args.rows)
            secs, summary = timed(d / "big.jsonl", d)
            print(f"jsonl {args.rows} rows ({(d / 'big.jsonl').stat().st_size / 2**20:.1f} MiB): "
                  f"{secs:.1f} s  [{summary}]")
        if args.items:
            rss(d / "big.rss", args.items)
            secs, summary = timed(d / "big.rss", d)
            print(f"rss {args.items} items ({(d / 'big.rss').stat().st_size / 2**20:.1f} MiB): "
                  f"{secs:.1f} s  [{summary}]")


if __name__ == "__main__":
    main()
