"""HTML and WARC conversion speed, each against a baseline measured in the same run.

    python bench/html_bench.py [--repeat N] [--copies N] [--json FILE]

a. HTML, one core: pages/s of ``HtmlConverter().convert_document`` (metadata, main text,
   repairs, a full Article) against bare ``trafilatura.extract`` on the same 50 pages of
   ``../shared/data/html-extraction-dev`` (decompressed in memory first). Target >= 0.85x.
b. HTML, 2 worker processes: pages/s of the same conversion in a warm pool of 2 processes
   (``--copies`` passes over the pages) against bare trafilatura's one-core rate from (a).
   Target >= 1.7x. The end-to-end ``convert_paths(..., jobs=2)`` over the same pages as
   files (process start-up, schema validation and JSONL writing included) is printed too.
c. WARC: records/s of reading a WARC with newscorpus (FastWARC, payload digests checked)
   against iterating the same file with warcio (``ArchiveIterator`` reading each record's
   content), on a gzipped WARC written in a temporary folder from the 50 pages (request +
   response per page, ``--copies`` times). Full conversion (HTML extraction included)
   records/s is printed for information.

Each figure is the best of ``--repeat`` runs (default 3), methods interleaved, timed with
``time.perf_counter`` (wall clock); for (a) the CPU-time ratio (``time.process_time``) is
printed too, as it holds better on a busy machine. Ratios > 1 mean newscorpus is faster.
The load average is printed: with other work on the machine, (b) cannot reach 2 cores.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from report import load_average

REPO = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("NEWSCORPUS_SHARED_DATA", REPO.parent / "shared" / "data"))
DEV = DATA / "html-extraction-dev"

_PAGES: list[tuple[bytes, str | None]] = []


def load_pages() -> list[tuple[bytes, str | None]]:
    truth = json.loads((DEV / "ground-truth.json").read_text(encoding="utf-8"))
    return [(gzip.decompress((DEV / "html" / f"{key}.html.gz").read_bytes()), truth[key].get("url"))
            for key in sorted(truth)]


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _init_worker(pages: list[tuple[bytes, str | None]]) -> None:
    from newscorpus.convert.html import HtmlConverter

    _PAGES[:] = pages
    converter = HtmlConverter()
    converter.convert_document(pages[0][0], "warmup.html", pages[0][1])


def _convert_one(i: int) -> bool:
    from newscorpus.convert.html import HtmlConverter
    from newscorpus.records import Article

    data, url = _PAGES[i]
    return isinstance(HtmlConverter().convert_document(data, f"{i}.html", url), Article)


def html_bench(pages: list[tuple[bytes, str | None]], repeat: int, copies: int) -> dict[str, float]:
    import trafilatura

    from newscorpus.convert.html import HtmlConverter

    converter = HtmlConverter()

    def ours() -> None:
        for i, (data, url) in enumerate(pages):
            converter.convert_document(data, f"{i}.html", url)

    def bare() -> None:
        for data, _ in pages:
            trafilatura.extract(data)

    ours(), bare()  # warm up: imports, caches
    t_ours, t_bare, c_ours, c_bare = [], [], [], []
    for _ in range(repeat):
        for fn, wall, cpu in ((ours, t_ours, c_ours), (bare, t_bare, c_bare)):
            start, cpu_start = time.perf_counter(), time.process_time()
            fn()
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - cpu_start)
    n = len(pages)
    one_core = n / min(t_ours)
    bare_rate = n / min(t_bare)

    work = list(range(n)) * copies
    with ProcessPoolExecutor(max_workers=2, initializer=_init_worker, initargs=(pages,)) as pool:
        list(pool.map(_convert_one, range(4)))  # both workers started and warm
        t_pool = best(lambda: list(pool.map(_convert_one, work, chunksize=4)), repeat)
    pool_rate = len(work) / t_pool

    from newscorpus.convert.batch import convert_paths

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "pages"
        src.mkdir()
        for c in range(copies):
            for i, (data, _) in enumerate(pages):
                (src / f"{c}-{i}.html").write_bytes(data)
        t_batch = best(lambda: convert_paths([src], Path(tmp) / "a.jsonl", Path(tmp) / "q.jsonl",
                                             jobs=2), 1)
    batch_rate = len(work) / t_batch
    return {"pages": n, "ours_pages_per_s": one_core, "bare_trafilatura_pages_per_s": bare_rate,
            "one_core_ratio": one_core / bare_rate, "one_core_cpu_ratio": min(c_bare) / min(c_ours),
            "two_workers_pages_per_s": pool_rate,
            "two_workers_ratio": pool_rate / bare_rate, "convert_paths_jobs2_pages_per_s": batch_rate,
            "convert_paths_jobs2_ratio": batch_rate / bare_rate}


def write_warc(pages: list[tuple[bytes, str | None]], copies: int) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for c in range(copies):
        for i, (data, url) in enumerate(pages):
            uri = f"{url or 'https://example.invalid/'}?copy={c}&page={i}"
            req = writer.create_warc_record(uri, "request", payload=io.BytesIO(b""), http_headers=(
                StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.invalid")], is_http_request=True)))
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                       protocol="HTTP/1.1")
            resp = writer.create_warc_record(uri, "response", payload=io.BytesIO(data), http_headers=headers)
            for record in (req, resp):
                writer.write_record(record)
                record.raw_stream.close()
    return buf.getvalue()


def warc_bench(pages: list[tuple[bytes, str | None]], repeat: int, copies: int) -> dict[str, float]:
    from warcio.archiveiterator import ArchiveIterator

    from newscorpus.convert.base import Input
    from newscorpus.convert.warc import WarcConverter, digest_problem
    from newscorpus.convert.warcread import ArchiveError, iter_records

    data = write_warc(pages, copies)

    def ours_read() -> int:
        n = 0
        for rec in iter_records(io.BytesIO(data), 2**31):
            if isinstance(rec, ArchiveError):
                raise rec
            if rec.payload_digest:
                digest_problem(rec.payload_digest, (rec.payload,))
            n += 1
        return n

    def warcio_read() -> int:
        n = 0
        for rec in ArchiveIterator(io.BytesIO(data)):
            rec.content_stream().read()
            n += 1
        return n

    records = ours_read()
    assert records == warcio_read()
    t_ours, t_warcio = [], []
    for _ in range(repeat):
        t_ours.append(best(ours_read, 1))
        t_warcio.append(best(warcio_read, 1))
    converter = WarcConverter()
    inp = Input(Path("bench.warc.gz"), "bench.warc.gz", data)
    t_convert = best(lambda: list(converter.convert(inp)), 1)
    return {"records": records, "warc_mib": len(data) / 2**20,
            "ours_read_records_per_s": records / min(t_ours),
            "warcio_records_per_s": records / min(t_warcio),
            "read_ratio": min(t_warcio) / min(t_ours),
            "ours_convert_records_per_s": records / t_convert,
            "convert_vs_warcio_ratio": min(t_warcio) / t_convert}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--copies", type=int, default=4, help="passes over the 50 pages (b, c)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if not DEV.is_dir():
        print(f"{DEV} is missing (set NEWSCORPUS_SHARED_DATA)", file=sys.stderr)
        return 2
    import trafilatura

    pages = load_pages()
    print(f"python {platform.python_version()}, trafilatura {trafilatura.__version__}, "
          f"{os.cpu_count()} CPUs, load average {load_average()}, best of {args.repeat}")
    h = html_bench(pages, args.repeat, args.copies)
    print(f"a. HTML one core: newscorpus {h['ours_pages_per_s']:.1f} pages/s, bare trafilatura "
          f"{h['bare_trafilatura_pages_per_s']:.1f} pages/s -> {h['one_core_ratio']:.2f}x (target >= 0.85x; "
          f"CPU-time ratio {h['one_core_cpu_ratio']:.2f}x)")
    print(f"b. HTML 2 workers: {h['two_workers_pages_per_s']:.1f} pages/s -> "
          f"{h['two_workers_ratio']:.2f}x bare trafilatura's one-core rate (target >= 1.7x); "
          f"convert_paths(jobs=2) end to end {h['convert_paths_jobs2_pages_per_s']:.1f} pages/s -> "
          f"{h['convert_paths_jobs2_ratio']:.2f}x")
    w = warc_bench(pages, args.repeat, args.copies)
    print(f"c. WARC ({w['records']} records, {w['warc_mib']:.1f} MiB gzip): newscorpus reads "
          f"{w['ours_read_records_per_s']:.0f} records/s, warcio {w['warcio_records_per_s']:.0f} "
          f"records/s -> {w['read_ratio']:.2f}x; full conversion {w['ours_convert_records_per_s']:.1f} "
          f"records/s ({w['convert_vs_warcio_ratio']:.3f}x warcio's bare iteration)")
    if args.json:
        args.json.write_text(json.dumps({"html": h, "warc": w}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
