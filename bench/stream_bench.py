"""Streaming inputs: memory and speed of reading a big WARC, linearity of big feeds.

    python bench/stream_bench.py warc  [--gib 1.0] [--repeat 2] [--dir /tmp/newscorpus-bench]
    python bench/stream_bench.py feeds [--small 10000] [--large 100000]
    python bench/stream_bench.py convert [--small 10000] [--large 100000] [--formats jsonl,rss]

Inputs are generated once in ``--dir`` (default ``/tmp/newscorpus-bench``, never the repo) and
kept for later runs. Each figure is measured in a fresh subprocess, so that its peak RSS
(``ru_maxrss``) is its own; ratios come from the same run.

warc: a gzip WARC of >= ``--gib`` GiB (one gzip member per record, as CC-NEWS writes them) of
news-like HTML pages (request + response records). Timed, best of ``--repeat``:

a. FastWARC's bare iteration: ``ArchiveIterator(open(path, "rb"))``, each record's block read;
b. newscorpus' reading: :func:`newscorpus.convert.warcread.iter_records` over the same file
   (the WARC converter's reader: headers, HTTP status and headers parsed, payload split off,
   damage checks), and the same plus the payload digest check the converter makes.
   Target: b >= 0.8 x a, peak RSS <= 500 MiB. HTML extraction is not included (it is the
   same per record whatever the archive size, and is measured by bench/html_bench.py).

feeds: an RSS 2.0 feed and a NewsML-G2 newsMessage of ``--small`` and ``--large`` items,
converted by their converters (``convert``: parsing, fields, bylines, dates; no language
identification, no batch). Target: large/small time <= 12 x the item ratio / 10, RSS flat.

convert: a whole conversion (``convert_paths``, one job: shards, records, duplicate groups,
the written output) of a JSONL export and an RSS feed of ``--small`` and ``--large`` rows. The
records are staged on disk as they are converted, so the peak RSS of the run grows only with
what is kept per article in memory (its id, where its bytes and signature are), not with the
records. Target: peak RSS ratio large/small well under the row ratio.

CPU ratio (CPU seconds / wall seconds of the measured process) and the load average are
printed beside each figure: the machine is shared.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from report import load_average

REPO = Path(__file__).resolve().parents[1]
# NEWSCORPUS_BENCH_SRC: measure another checkout's code (e.g. the code before a change)
sys.path.insert(0, os.environ.get("NEWSCORPUS_BENCH_SRC", str(REPO / "src")))
MiB = 1 << 20

_VOCAB_SEED = 9
_SECTIONS = ("world", "politics", "business", "science", "sport", "culture", "health")


def _vocabulary(n: int = 6000) -> list[str]:
    rng = random.Random(_VOCAB_SEED)
    letters = "etaoinshrdlcumwfgypbvkjxqz"
    weights = [12, 9, 8, 7, 7, 6, 6, 6, 6, 4, 4, 3, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1]
    return ["".join(rng.choices(letters, weights, k=rng.randint(2, 11))) for _ in range(n)]


def _sentences(rng: random.Random, vocab: list[str], count: int) -> list[str]:
    out = []
    for _ in range(count):
        words = rng.choices(vocab, k=rng.randint(8, 30))
        out.append(words[0].capitalize() + " " + " ".join(words[1:]) + ".")
    return out


def news_page(rng: random.Random, vocab: list[str], i: int) -> bytes:
    """A news article page as sites serve them (50-100 KB): head metadata and JSON-LD,
    navigation and teaser lists, inline scripts, the article (6-20 paragraphs), a footer."""
    def words(k: int) -> str:
        return " ".join(rng.choices(vocab, k=k))

    title = words(8).capitalize()
    section = rng.choice(_SECTIONS)
    nav = "".join(f"<li class='nav-item'><a class='nav-link' href='/{s}/{words(1)}'>{words(2)}</a></li>"
                  for s in _SECTIONS for _ in range(8))
    teasers = "".join(f"<li class='teaser'><a href='/{section}/{rng.randrange(10**6)}'><img src='/img/"
                      f"{rng.randrange(10**6)}.jpg' alt='{words(4)}' loading='lazy'><h3>{words(7)}</h3>"
                      f"<p class='standfirst'>{words(18)}</p></a></li>" for _ in range(30))
    script = "".join(f"var {rng.choice(vocab)}_{k}=function(a,b){{return a.{rng.choice(vocab)}(b,"
                     f"'{words(2)}')}};" for k in range(rng.randint(150, 300)))
    paras = "".join(f"<p>{' '.join(_sentences(rng, vocab, rng.randint(2, 6)))}</p>"
                    for _ in range(rng.randint(6, 20)))
    author = f"{rng.choice(vocab).title()} {rng.choice(vocab).title()}"
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title} | The Daily "
            f"Bench</title><meta property='og:title' content='{title}'><meta name='author' "
            f"content='{author}'><meta property='article:published_time' content='2024-0{1 + i % 9}-"
            f"1{i % 10}T08:00:00Z'><link rel='canonical' href='https://bench.example/{section}/{i}'>"
            f"<script type='application/ld+json'>{{\"@type\": \"NewsArticle\", \"headline\": "
            f"\"{title}\", \"author\": {{\"name\": \"{author}\"}}}}</script><script>{script}</script>"
            f"</head><body><header><nav><ul>{nav}</ul></nav></header><main><article><h1>{title}</h1>"
            f"<p class='byline'>By {author}</p>{paras}</article><aside><ul>{teasers}</ul></aside></main>"
            f"<footer><ul>{nav}</ul><p>Copyright The Daily Bench. All rights reserved.</p></footer>"
            f"</body></html>").encode()


def _record(rtype: bytes, uri: str, content_type: bytes, block: bytes, i: int) -> bytes:
    import base64
    import hashlib

    digest = base64.b32encode(hashlib.sha1(block.split(b"\r\n\r\n", 1)[-1]).digest())
    head = (b"WARC/1.0\r\nWARC-Type: " + rtype + b"\r\nWARC-Target-URI: " + uri.encode()
            + b"\r\nWARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-"
            + b"%012d" % i + b">\r\nWARC-Payload-Digest: sha1:" + digest
            + b"\r\nContent-Type: " + content_type + b"\r\nContent-Length: %d\r\n\r\n" % len(block))
    return head + block + b"\r\n\r\n"


def make_warc(path: Path, gib: float) -> None:
    rng = random.Random(1)
    vocab = _vocabulary()
    pages = [news_page(rng, vocab, i) for i in range(400)]
    target = int(gib * 2**30)
    tmp = path.with_suffix(".part")
    with tmp.open("wb") as fh:
        i = 0
        while fh.tell() < target:
            uri = f"https://bench.example/{_SECTIONS[i % 7]}/{i}"
            request = b"GET /%d HTTP/1.1\r\nHost: bench.example\r\n\r\n" % i
            body = pages[rng.randrange(len(pages))].replace(b"<h1>", b"<h1>%d " % i, 1)
            response = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                        b"Content-Length: %d\r\n\r\n" % len(body) + body)
            for k, (rtype, ctype, block) in enumerate(
                    ((b"request", b"application/http; msgtype=request", request),
                     (b"response", b"application/http; msgtype=response", response))):
                fh.write(gzip.compress(_record(rtype, uri, ctype, block, 2 * i + k), 6, mtime=0))
            i += 1
    tmp.rename(path)


# --- measured in a child process -----------------------------------------------------------

def _child_warc(path: str, mode: str) -> dict[str, Any]:
    records = 0
    payload = 0
    if mode == "fastwarc":
        from fastwarc.warc import ArchiveIterator

        with open(path, "rb") as fh:
            for rec in ArchiveIterator(fh, parse_http=False):
                payload += len(rec.reader.read())
                records += 1
    else:
        from newscorpus.convert.warc import digest_problem
        from newscorpus.convert.warcread import RecordInfo, iter_records

        with open(path, "rb") as fh:
            for rec in iter_records(fh, 20 * MiB):
                assert isinstance(rec, RecordInfo), rec
                payload += len(rec.block)
                records += 1
                if mode == "ours+digest" and rec.payload_digest and rec.status == 200:
                    assert digest_problem(rec.payload_digest, (rec.payload,)) is None
    return {"records": records, "block_bytes": payload}


def _child_feed(path: str, fmt: str) -> dict[str, Any]:
    from newscorpus.convert import registry
    from newscorpus.convert.base import ConvertOptions, Input
    from newscorpus.records import Article

    converter = registry.get(fmt)(ConvertOptions(max_bytes=2**31))
    # NEWSCORPUS_BENCH_WHOLE=1: give the converter the bytes (code from before inputs streamed)
    data = Path(path).read_bytes() if os.environ.get("NEWSCORPUS_BENCH_WHOLE") else None
    inp = Input(Path(path), Path(path).name, data)  # type: ignore[arg-type]
    articles = outcomes = 0
    for outcome in converter.convert(inp):
        outcomes += 1
        articles += isinstance(outcome, Article)
    return {"outcomes": outcomes, "articles": articles}


def _child_convert(path: str) -> dict[str, Any]:
    import tempfile

    from newscorpus.convert.batch import convert_paths

    with tempfile.TemporaryDirectory(dir=Path(path).parent) as tmp:
        report = convert_paths([Path(path)], Path(tmp) / "articles.jsonl", Path(tmp) / "quarantine.jsonl")
        out = Path(tmp) / "articles.jsonl"
        return {"articles": report.written, "summary": report.summary(),
                "output_mib": out.stat().st_size / MiB}


def child(kind: str, path: str, mode: str) -> None:
    import resource

    import fastwarc.warc  # noqa: F401  (imports are not timed)

    from newscorpus.convert import registry
    from newscorpus.convert.warc import WarcConverter  # noqa: F401

    if kind == "feed":
        registry.get(mode)
    if kind == "convert":
        import newscorpus.convert.batch  # noqa: F401
    t0, c0 = time.perf_counter(), time.process_time()
    if kind == "convert":
        out = _child_convert(path)
    else:
        out = _child_warc(path, mode) if kind == "warc" else _child_feed(path, mode)
    out["wall_s"] = time.perf_counter() - t0
    out["cpu_s"] = time.process_time() - c0
    out["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def measure(kind: str, path: Path, mode: str) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, __file__, "--child", kind, str(path), mode],
                          capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    result["cpu_ratio"] = result["cpu_s"] / result["wall_s"]
    return result


# --- feeds ---------------------------------------------------------------------------------

def make_rss(path: Path, items: int) -> None:
    rng = random.Random(items)
    vocab = _vocabulary()
    with path.open("w", encoding="utf-8") as fh:
        fh.write("<?xml version='1.0' encoding='utf-8'?>\n<rss version='2.0' "
                 "xmlns:dc='http://purl.org/dc/elements/1.1/'><channel><title>Bench news</title>"
                 "<link>https://bench.example/</link><description>Generated</description>\n")
        for i in range(items):
            text = " ".join(_sentences(rng, vocab, 6))
            fh.write(f"<item><title>Item {i}: {' '.join(rng.choices(vocab, k=6))}</title>"
                     f"<link>https://bench.example/news/{i}</link><guid>https://bench.example/news/{i}"
                     f"</guid><pubDate>Mon, 0{1 + i % 9} Jan 2024 08:00:00 GMT</pubDate>"
                     f"<dc:creator>{rng.choice(vocab).title()} {rng.choice(vocab).title()}</dc:creator>"
                     f"<description><![CDATA[<p>{text}</p>]]></description></item>\n")
        fh.write("</channel></rss>\n")


def make_newsml(path: Path, items: int) -> None:
    rng = random.Random(items)
    vocab = _vocabulary()
    with path.open("w", encoding="utf-8") as fh:
        fh.write("<?xml version='1.0' encoding='UTF-8'?>\n<newsMessage xmlns='http://iptc.org/std/"
                 "nar/2006-10-01/'><header><sent>2024-01-01T08:00:00Z</sent></header><itemSet>\n")
        for i in range(items):
            paras = "".join(f"<p>{s}</p>" for s in _sentences(rng, vocab, 6))
            fh.write(f"<newsItem guid='urn:newsml:bench.example:2024:{i}' version='1' standard="
                     f"'NewsML-G2' standardversion='2.29' conformance='power' xml:lang='en'><itemMeta>"
                     f"<itemClass qcode='ninat:text'/><provider literal='Bench'/><versionCreated>"
                     f"2024-01-01T08:00:00Z</versionCreated></itemMeta><contentMeta><contentCreated>"
                     f"2024-01-01T07:00:00Z</contentCreated><creator><name>{rng.choice(vocab).title()}"
                     f"</name></creator><headline>Item {i}: {' '.join(rng.choices(vocab, k=6))}"
                     f"</headline></contentMeta><contentSet><inlineXML contenttype='application/"
                     f"xhtml+xml'><html xmlns='http://www.w3.org/1999/xhtml'><head><title>t</title>"
                     f"</head><body>{paras}</body></html></inlineXML></contentSet></newsItem>\n")
        fh.write("</itemSet></newsMessage>\n")


def bench_feeds(folder: Path, small: int, large: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for fmt, make, suffix in (("feed", make_rss, ".rss.xml"), ("newsml", make_newsml, ".newsml.xml")):
        runs = {}
        for n in (small, large):
            path = folder / f"bench-{n}{suffix}"
            if not path.exists():
                make(path, n)
            runs[n] = measure("feed", path, fmt)
            runs[n]["mib"] = path.stat().st_size / MiB
            print(f"{fmt} {n} items ({runs[n]['mib']:.0f} MiB): {runs[n]['wall_s']:.1f} s, "
                  f"{runs[n]['articles']} articles, peak RSS {runs[n]['peak_rss_mib']:.0f} MiB, "
                  f"CPU ratio {runs[n]['cpu_ratio']:.2f}, load {load_average()}", flush=True)
        ratio = runs[large]["wall_s"] / runs[small]["wall_s"]
        cpu = runs[large]["cpu_s"] / runs[small]["cpu_s"]
        rss = runs[large]["peak_rss_mib"] / runs[small]["peak_rss_mib"]
        print(f"{fmt}: {large} vs {small} items: time {ratio:.1f}x (CPU {cpu:.1f}x; target <= "
              f"{12 * large / small / 10:.0f}x), peak RSS {rss:.2f}x", flush=True)
        results[fmt] = {"runs": runs, "time_ratio": ratio, "cpu_time_ratio": cpu, "rss_ratio": rss}
    return results


def make_jsonl(path: Path, rows: int) -> None:
    rng = random.Random(rows)
    vocab = _vocabulary()
    with path.open("w", encoding="utf-8") as fh:
        for i in range(rows):
            fh.write(json.dumps({"url": f"https://bench.example/{_SECTIONS[i % 7]}/{i}",
                                 "title": f"Story {i}: {' '.join(rng.choices(vocab, k=6))}",
                                 "text": " ".join(_sentences(rng, vocab, 8)),
                                 "authors": [f"{rng.choice(vocab).title()} {rng.choice(vocab).title()}"],
                                 "published_at": f"2024-0{1 + i % 9}-1{i % 10}T08:00:00+00:00",
                                 "language": "en"}) + "\n")


def bench_convert(folder: Path, small: int, large: int, formats: list[str]) -> dict[str, Any]:
    results: dict[str, Any] = {}
    makers = {"jsonl": (make_jsonl, ".jsonl"), "rss": (make_rss, ".rss.xml")}
    for fmt in formats:
        make, suffix = makers[fmt]
        runs = {}
        for n in (small, large):
            path = folder / f"convert-{n}{suffix}"
            if not path.exists():
                make(path, n)
            runs[n] = measure("convert", path, fmt)
            runs[n]["mib"] = path.stat().st_size / MiB
            print(f"convert {fmt} {n} rows ({runs[n]['mib']:.0f} MiB): {runs[n]['wall_s']:.1f} s, "
                  f"{runs[n]['articles']} articles written, peak RSS {runs[n]['peak_rss_mib']:.0f} MiB, "
                  f"CPU ratio {runs[n]['cpu_ratio']:.2f}, load {load_average()}", flush=True)
        ratio = runs[large]["wall_s"] / runs[small]["wall_s"]
        rss = runs[large]["peak_rss_mib"] / runs[small]["peak_rss_mib"]
        print(f"convert {fmt}: {large} vs {small} rows: time {ratio:.1f}x, peak RSS {rss:.2f}x "
              f"({runs[small]['peak_rss_mib']:.0f} -> {runs[large]['peak_rss_mib']:.0f} MiB)", flush=True)
        results[fmt] = {"runs": runs, "time_ratio": ratio, "rss_ratio": rss}
    return results


def bench_warc(folder: Path, gib: float, repeat: int) -> dict[str, Any]:
    path = folder / f"news-{gib:g}gib.warc.gz"
    if not path.exists():
        t = time.perf_counter()
        make_warc(path, gib)
        print(f"generated {path} ({path.stat().st_size / 2**30:.2f} GiB) in "
              f"{time.perf_counter() - t:.0f} s", flush=True)
    runs: dict[str, list[dict[str, Any]]] = {"fastwarc": [], "ours": [], "ours+digest": []}
    for _ in range(repeat):
        for mode in runs:
            r = measure("warc", path, mode)
            runs[mode].append(r)
            print(f"{mode}: {r['records']} records in {r['wall_s']:.1f} s, peak RSS "
                  f"{r['peak_rss_mib']:.0f} MiB, CPU ratio {r['cpu_ratio']:.2f}, load {load_average()}",
                  flush=True)
    best = {mode: min(rs, key=lambda r: r["wall_s"]) for mode, rs in runs.items()}
    assert best["ours"]["records"] == best["fastwarc"]["records"]
    speed = best["fastwarc"]["wall_s"] / best["ours"]["wall_s"]
    cpu = best["fastwarc"]["cpu_s"] / best["ours"]["cpu_s"]
    digest = best["fastwarc"]["wall_s"] / best["ours+digest"]["wall_s"]
    rss = max(r["peak_rss_mib"] for r in runs["ours"] + runs["ours+digest"])
    print(f"WARC {path.stat().st_size / 2**30:.2f} GiB, {best['ours']['records']} records: reading "
          f"at {speed:.2f}x FastWARC's bare iteration (CPU {cpu:.2f}x; target >= 0.8x), with digest "
          f"checks {digest:.2f}x; peak RSS {rss:.0f} MiB (target <= 500 MiB), load {load_average()}",
          flush=True)
    return {"file_gib": path.stat().st_size / 2**30, "runs": runs, "speed_ratio": speed,
            "cpu_speed_ratio": cpu, "with_digest_ratio": digest, "peak_rss_mib": rss}


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:5])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("warc", "feeds", "convert"))
    parser.add_argument("--dir", type=Path, default=Path("/tmp/newscorpus-bench"))
    parser.add_argument("--gib", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--formats", default="jsonl,rss", help="convert: jsonl, rss or both")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {load_average()}", flush=True)
    if args.what == "warc":
        results = bench_warc(args.dir, args.gib, args.repeat)
    elif args.what == "convert":
        results = bench_convert(args.dir, args.small, args.large, args.formats.split(","))
    else:
        results = bench_feeds(args.dir, args.small, args.large)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
