"""Failure classes of issue 15 over damaged copies of ../shared/data (generated here).

    PYTHONPATH=src python bench/damaged_counts.py

Counts, over each family of cases: cases whose outcomes differ from an independent count
(items vanished), truncations that end with no rejection saying so (silent success), and
converted articles. Run it on two checkouts to compare.
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.integration.test_damaged_inputs import (  # noqa: E402
    _big_feed,
    _expected_feed_outcomes,
    _members,
    _run,
    _warc_response,
    _write,
)

from newscorpus.convert.base import ConvertOptions  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    data = _big_feed(SHARED)
    root = data.index(b"<rss")
    lost = silent = cases = items_lost = 0
    for k in range(25):
        cut = root + 10 + (len(data) - root - 20) * k // 24
        report, reasons = _run(_write(tmp / f"c{k}.xml", data[:cut]), "feed")
        cases += 1
        expected = _expected_feed_outcomes(data[:cut])
        lost += report.inputs != expected
        items_lost += max(0, expected - report.inputs)
        silent += not any("truncated" in r for r in reasons)
    print(f"feed truncations: {cases} cases, {lost} with items unaccounted ({items_lost} items), "
          f"{silent} silent successes")
    rng = random.Random(15)
    body = data.index(b"<item>")
    lost = items_lost = 0
    for case in range(20):
        damaged = bytearray(data)
        for pos in rng.sample(range(body, len(data)), 3):
            damaged[pos] ^= 0xFF
        report, _ = _run(_write(tmp / f"f{case}.xml", bytes(damaged)), "feed")
        expected = _expected_feed_outcomes(bytes(damaged))
        lost += report.inputs != expected
        items_lost += max(0, expected - report.inputs)
    print(f"feed flipped bytes: 20 cases, {lost} with items unaccounted ({items_lost} items)")
    warc = (SHARED / "warc" / "resiliparse" / "warcfile.warc.gz").read_bytes()
    members = _members(warc)
    intact, _ = _run(_write(tmp / "intact.warc.gz", warc), "warc")
    start, end = members[2]
    damaged = bytearray(warc)
    for pos in range(start + 30, start + 40):
        damaged[pos] ^= 0x5A
    report, _ = _run(_write(tmp / "bad.warc.gz", bytes(damaged)), "warc")
    print(f"warc bad gzip member 3 of {len(members)}: outcomes {report.inputs}, articles "
          f"{report.converted} of {intact.converted}")
    limit = 256 * 1024
    html = b"<html><head><title>Big</title></head><body><p>Some words here.</p>" + b" " * limit * 4
    report, reasons = _run(_write(tmp / "bomb.warc", _warc_response("https://e.org/b", html, "gzip")),
                           "warc", ConvertOptions(max_bytes=limit))
    print(f"oversize decoded payload: converted {report.converted}, rejected {report.rejected}")


if __name__ == "__main__":
    main()
