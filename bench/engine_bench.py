"""Conversion throughput per engine: 2 workers against 1, ratios measured in one run.

    python bench/engine_bench.py [--copies N] [--warcs N] [--repeat N] [--src DIR ...]
                                 [--dask] [--dir DIR] [--json FILE]

The corpus is a crawl in miniature, generated once in ``--dir`` (default
``/tmp/newscorpus-bench/engine``, never the repo) and kept for later runs:

- the 50 pages of ``../shared/data/html-extraction-dev`` written as HTML files (decompressed),
  ``--copies`` times (default 6: 300 inputs, each page's copies are duplicates of one another);
- ``--warcs`` gzip WARC files (default 32) of news-like HTML pages (``stream_bench.news_page``:
  50-100 KB, head metadata, navigation, scripts, 6-20 paragraphs; one gzip member per
  record, request + response, as CC-NEWS writes them), of 10 to 70 pages each (1,394 pages
  in all): a WARC is one shard, so the shards are of unequal sizes, as in a real crawl.

a. **local engine** (the default): ``newscorpus convert CORPUS -o OUT --jobs J`` run as a user
   runs it, in a fresh process (interpreter start-up, imports, the process pool's start-up,
   detection, extraction, MinHash signatures, validation, merge, duplicate groups, the
   JSONL, groups and quarantine written), ``--jobs 1`` against ``--jobs 2``. Target: >= 1.7x.
   The runs alternate (1 2 2 1 1 2 ...), ``--repeat`` times each (default 3), and the figure
   is the median. ``--src DIR`` (repeatable) measures the code in ``DIR`` (a checkout's
   ``src``), each in turn within each repetition, so that code before and after a change is
   compared in the same conditions.
b. **Dask engine** (``--dask``): a ``LocalCluster`` of 2 worker processes against one of 1
   worker, in this process (``convert_paths``), warmed with one conversion first, so the
   figure is throughput; the cluster start-up time is printed beside it.

Beside each wall-clock ratio: the CPU-time ratio (the run's process and its workers; 1.0
means the 2-job run costs no extra CPU) and the driver's own CPU time (the serial part:
sharding, collection, merge, duplicate groups, writing; the workers do the rest). On a
shared machine the wall clock cannot show 2 cores when other work runs: the load average is
printed before and after.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from report import load_average, ratios
from stream_bench import _SECTIONS, _record, _vocabulary, news_page

REPO = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("NEWSCORPUS_SHARED_DATA", REPO.parent / "shared" / "data"))
DEV = DATA / "html-extraction-dev"
CORPUS_VERSION = "1"  # part of the corpus folder's name: another layout is generated anew


def write_corpus(folder: Path, copies: int, warcs: int) -> int:
    """Write the corpus (once); the number of pages in it."""
    pages = sorted((DEV / "html").glob("*.html.gz"))
    rng = random.Random(5)
    sizes = [rng.randint(10, 70) for _ in range(warcs)]
    done = folder.with_name(folder.name + ".done")
    if not done.is_file():
        tmp = folder.with_name(folder.name + ".part")
        for k in range(copies):
            sub = tmp / "pages" / f"copy-{k}"
            sub.mkdir(parents=True, exist_ok=True)
            for page in pages:
                (sub / page.name.removesuffix(".gz")).write_bytes(gzip.decompress(page.read_bytes()))
        vocab = _vocabulary()
        (tmp / "warc").mkdir(parents=True, exist_ok=True)
        n = 0
        for w, size in enumerate(sizes):
            with (tmp / "warc" / f"crawl-{w:03d}.warc.gz").open("wb") as fh:
                for _ in range(size):
                    uri = f"https://bench.example/{_SECTIONS[n % 7]}/{n}"
                    request = b"GET /%d HTTP/1.1\r\nHost: bench.example\r\n\r\n" % n
                    body = news_page(rng, vocab, n)
                    response = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                                b"Content-Length: %d\r\n\r\n" % len(body) + body)
                    for k, (rtype, ctype, block) in enumerate(
                            ((b"request", b"application/http; msgtype=request", request),
                             (b"response", b"application/http; msgtype=response", response))):
                        fh.write(gzip.compress(_record(rtype, uri, ctype, block, 2 * n + k), 6, mtime=0))
                    n += 1
        tmp.rename(folder)
        done.write_text("", encoding="utf-8")
    return len(pages) * copies + sum(sizes)


# --- a. the local engine, as a user runs it ------------------------------------------------

def child(src: str, usage: str, args: list[str]) -> None:
    """Run ``newscorpus`` with ``args`` from the code in ``src``; write this process's own CPU
    time (the driver's) to ``usage``."""
    sys.path.insert(0, src)
    from newscorpus.cli.main import cli

    try:
        cli(args, standalone_mode=False)
    finally:
        own = resource.getrusage(resource.RUSAGE_SELF)
        Path(usage).write_text(json.dumps({"driver": own.ru_utime + own.ru_stime}), encoding="utf-8")


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_cli(src: str, corpus: Path, out: Path, jobs: int) -> tuple[float, float, float]:
    """Wall time, CPU time (the process and its workers) and driver CPU time of one run."""
    usage = out.with_name("usage.json")
    out.parent.mkdir(parents=True)
    cmd = [sys.executable, __file__, "--child", src, str(usage), "convert", str(corpus),
           "-o", str(out), "--jobs", str(jobs), "--fresh"]
    cpu0 = _children_cpu()
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    cpu = _children_cpu() - cpu0
    driver = json.loads(usage.read_text(encoding="utf-8"))["driver"]
    return wall, cpu, driver


def bench_local(corpus: Path, root: Path, srcs: list[str], repeat: int
                ) -> dict[str, dict[int, list[tuple[float, float, float]]]]:
    runs: dict[str, dict[int, list[tuple[float, float, float]]]] = {s: {1: [], 2: []} for s in srcs}
    outputs: dict[str, list[bytes]] = {}
    n = 0
    for rep in range(repeat):
        for src in srcs:
            for jobs in ((1, 2) if rep % 2 == 0 else (2, 1)):
                out = root / f"out-{n}" / "articles.jsonl"
                n += 1
                runs[src][jobs].append(run_cli(src, corpus, out, jobs))
                outputs.setdefault(src, []).append(out.read_bytes())
                print(f"  {src} --jobs {jobs}: {runs[src][jobs][-1][0]:6.2f} s "
                      f"(load {load_average()})", flush=True)
    for src, outs in outputs.items():
        assert all(o == outs[0] for o in outs), f"{src}: --jobs 1 and --jobs 2 outputs differ"
    return runs


def _median(values: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    return tuple(statistics.median(v[k] for v in values) for k in range(3))  # type: ignore[return-value]


# --- b. the Dask engine, throughput -------------------------------------------------------

def _timed(run: Callable[[], Any], worker_cpu: Callable[[], float], repeat: int
           ) -> tuple[float, float, float]:
    """Median wall-clock time of ``repeat`` runs, CPU time (driver + workers), driver CPU."""
    figures = []
    for _ in range(repeat):
        cpu0, child0, work0 = time.process_time(), _children_cpu(), worker_cpu()
        start = time.perf_counter()
        run()
        wall = time.perf_counter() - start
        driver = time.process_time() - cpu0
        figures.append((wall, driver + _children_cpu() - child0 + worker_cpu() - work0, driver))
    return _median(figures)


def bench_dask(corpus: Path, root: Path, repeat: int) -> tuple[dict[int, tuple[float, float, float]],
                                                             dict[int, float]]:
    sys.path.insert(0, str(REPO / "src"))
    import psutil
    from distributed import Client, LocalCluster

    from newscorpus.convert.batch import convert_paths
    from newscorpus.convert.dask_engine import DaskEngine

    runs = iter(range(10**6))

    def convert(**kw: Any) -> Any:
        out = root / f"dask-{next(runs)}" / "articles.jsonl"
        return convert_paths([corpus], out, out.with_name("quarantine.jsonl"), **kw)

    dask: dict[int, tuple[float, float, float]] = {}
    startup: dict[int, float] = {}
    for workers in (1, 2):
        start = time.perf_counter()
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            client.wait_for_workers(workers)
            startup[workers] = time.perf_counter() - start
            procs = [psutil.Process(pid) for pid in client.run(os.getpid).values()]

            def worker_cpu(ps: list[Any] = procs) -> float:
                return sum(p.cpu_times().user + p.cpu_times().system for p in ps)

            engine = DaskEngine(scheduler=cluster.scheduler_address)
            with engine.session():  # one client for every run: the figure is throughput
                convert(engine=engine)  # warm: imports and converters in every worker
                dask[workers] = _timed(lambda e=engine: convert(engine=e), worker_cpu, repeat)
    return dask, startup


def _line(label: str, n: int, one: tuple[float, float, float], two: tuple[float, float, float]) -> str:
    (w1, c1, _), (w2, c2, d2) = one, two
    return (f"{label} 1: {w1:6.2f} s ({n / w1:5.1f} pages/s, CPU {c1:6.2f} s)   "
            f"2: {w2:6.2f} s ({n / w2:5.1f} pages/s, CPU {c2:6.2f} s, driver {d2:5.2f} s)   "
            f"speed-up {ratios(w1 / w2, c2 / c1, '1.7x', '2/1')}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=6)
    parser.add_argument("--warcs", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--src", action="append", help="a checkout's src folder (repeatable; "
                        "default: this one's)")
    parser.add_argument("--dask", action="store_true", help="also measure the Dask engine")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/newscorpus-bench/engine"))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    srcs = [str(Path(s).resolve()) for s in args.src or [REPO / "src"]]

    corpus = args.dir / f"corpus-v{CORPUS_VERSION}-{args.copies}-{args.warcs}"
    corpus.parent.mkdir(parents=True, exist_ok=True)
    n = write_corpus(corpus, args.copies, args.warcs)
    results: dict[str, Any] = {"python": platform.python_version(), "cpus": os.cpu_count(), "pages": n}
    load_before = load_average()
    print(f"{n} pages ({args.copies * 50} HTML files, {args.warcs} WARC files), {os.cpu_count()} CPUs, "
          f"load average {load_before}", flush=True)
    with tempfile.TemporaryDirectory(prefix="engine-bench-") as tmp:
        root = Path(tmp)
        local = bench_local(corpus, root, srcs, args.repeat)
        dask = bench_dask(corpus, root, args.repeat) if args.dask else None
    print(f"load average before {load_before}, after {load_average()}; medians of {args.repeat} runs")
    results["local"] = {}
    for src, figures in local.items():
        one, two = _median(figures[1]), _median(figures[2])
        print(_line(f"local --jobs ({src})", n, one, two))
        results["local"][src] = {"runs": figures, "wall_1": one[0], "wall_2": two[0], "cpu_1": one[1],
                                 "cpu_2": two[1], "driver_cpu_1": one[2], "driver_cpu_2": two[2],
                                 "speedup": one[0] / two[0], "cpu_ratio": two[1] / one[1]}
    if dask is not None:
        figures, startup = dask
        print(_line("dask workers", n, figures[1], figures[2]))
        print(f"dask cluster start-up (not in the figures): 1 worker {startup[1]:.1f} s, "
              f"2 workers {startup[2]:.1f} s")
        results["dask"] = {"wall_1": figures[1][0], "wall_2": figures[2][0], "cpu_1": figures[1][1],
                           "cpu_2": figures[2][1], "speedup": figures[1][0] / figures[2][0],
                           "startup": startup}
    results["loadavg"] = [load_before, load_average()]
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
