"""Conversion throughput per engine: 2 workers against 1, ratios measured in one run.

    python bench/engine_bench.py [--copies N] [--repeat N] [--json FILE]

The corpus is the 50 pages of ``../shared/data/html-extraction-dev`` written as HTML files
(decompressed) in a temporary folder, ``--copies`` times (default 2: 100 inputs). Each figure
is ``convert_paths`` end to end (detection, HTML extraction, MinHash signatures, schema
validation, merge, JSONL and groups written), best of ``--repeat`` (default 1):

a. local engine: ``jobs=2`` against ``jobs=1`` (target >= 1.7x; the process pool's start-up
   is included, as a user sees it);
b. Dask engine: a ``LocalCluster`` of 2 worker processes against one of 1 worker (target
   >= 1.7x). The clusters are started (and warmed with one conversion) before the timing,
   so the figure is throughput; the cluster start-up time is printed beside it.

Both engines are warmed first (imports, converters), so jobs=1 does not pay the imports the
forked workers inherit. The driver's own CPU time in the 2-worker run is printed: the serial
part (merge, duplicate groups, writing) — everything else runs in the workers.

Beside each wall-clock ratio, the CPU-time ratio (driver + worker processes; 1.0 means the
2-worker run costs no extra CPU): on a shared machine the wall clock cannot show 2 cores when
other work runs, and the load average is printed for that reason.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from report import load_average, ratios

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
DATA = Path(os.environ.get("NEWSCORPUS_SHARED_DATA", REPO.parent / "shared" / "data"))
DEV = DATA / "html-extraction-dev"


def write_corpus(folder: Path, copies: int) -> int:
    pages = sorted((DEV / "html").glob("*.html.gz"))
    for k in range(copies):
        sub = folder / f"copy-{k}"
        sub.mkdir(parents=True)
        for page in pages:
            (sub / page.name.removesuffix(".gz")).write_bytes(gzip.decompress(page.read_bytes()))
    return len(pages) * copies


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(run: Callable[[], Any], worker_cpu: Callable[[], float], repeat: int
          ) -> tuple[float, float, float]:
    """Best wall-clock time of ``repeat`` runs, the CPU time (driver + workers) of that run
    and the driver's own CPU time (the serial part: merge, groups, writing)."""
    best: tuple[float, float, float] | None = None
    for _ in range(repeat):
        cpu0, child0, work0 = time.process_time(), _children_cpu(), worker_cpu()
        start = time.perf_counter()
        run()
        wall = time.perf_counter() - start
        driver = time.process_time() - cpu0
        cpu = driver + _children_cpu() - child0 + worker_cpu() - work0
        if best is None or wall < best[0]:
            best = (wall, cpu, driver)
    assert best is not None
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    import psutil
    from distributed import Client, LocalCluster

    from newscorpus.convert.batch import convert_paths
    from newscorpus.convert.dask_engine import DaskEngine

    results: dict[str, Any] = {"python": platform.python_version(), "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="engine-bench-") as tmp:
        root = Path(tmp)
        n = write_corpus(root / "corpus", args.copies)
        results["inputs"] = n
        runs = iter(range(10**6))

        def convert(**kw: Any) -> Any:
            out = root / f"out-{next(runs)}" / "articles.jsonl"
            return convert_paths([root / "corpus"], out, out.with_name("quarantine.jsonl"), **kw)

        none: Callable[[], float] = lambda: 0.0  # noqa: E731
        convert()  # warm: imports and converters loaded once, as the forked workers inherit them
        local = {jobs: timed(lambda j=jobs: convert(jobs=j), none, args.repeat) for jobs in (1, 2)}
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
                    dask[workers] = timed(lambda e=engine: convert(engine=e), worker_cpu, args.repeat)
    load = os.getloadavg()
    print(f"{n} HTML inputs, {os.cpu_count()} CPUs, load average {load_average()}")
    for label, figures in (("local --jobs", local), ("dask workers", dask)):
        (w1, c1, _), (w2, c2, d2) = figures[1], figures[2]
        print(f"{label} 1: {w1:6.2f} s ({n / w1:5.1f} inputs/s, CPU {c1:6.2f} s)   "
              f"2: {w2:6.2f} s ({n / w2:5.1f} inputs/s, CPU {c2:6.2f} s, driver {d2:5.2f} s)   "
              f"speed-up {ratios(w1 / w2, c2 / c1, '1.7x', '2/1')}")
        results[label.split()[0]] = {"wall_1": w1, "wall_2": w2, "cpu_1": c1, "cpu_2": c2,
                                     "driver_cpu_2": d2, "speedup": w1 / w2, "cpu_ratio": c2 / c1}
    print(f"dask cluster start-up (not in the figures): 1 worker {startup[1]:.1f} s, "
          f"2 workers {startup[2]:.1f} s")
    results["dask_startup"] = startup
    results["loadavg"] = load
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
