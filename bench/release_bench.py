"""Release build at scale: peak memory and time against a bare pyarrow pipeline, in one run.

    python bench/release_bench.py                 # 100,000 and 1,000,000 articles
    python bench/release_bench.py --quick         # 2,000 and 20,000 (smoke run)
    python bench/release_bench.py --sizes 50000 --json out.json
    python bench/release_bench.py --scale         # 1,000,000 and 10,000,000 articles, cold build

For each size a synthetic workspace is written (``bench/synth.py`` articles, re-keyed so that
every one of the N articles has its own id and URL; shards of 100,000 articles; 0.1% of the
articles carry a gold annotation), then three steps run, each in a fresh process so that its
peak RSS (``ru_maxrss``) is its own:

1. ``validate``: newscorpus' schema validation of every article (fills the validation
   cache, as ``newscorpus validate`` or an earlier build does). Reported for information.
2. ``baseline``: the bare pyarrow pipeline on the same files: ``pyarrow.json.read_json`` +
   ``pyarrow.parquet.write_table`` (zstd, 10,000-row groups), one Parquet file per shard.
3. ``build``: ``build_release`` of the whole workspace (validation cached): streaming read,
   annotation checks, split assignment, every config, card, figures, metadata, checksums.
4. ``cold``: the same build with ``use_cache=False``: every article validated (typed scan in
   worker processes while the rows stream, columnar checks) as a corpus edited outside
   ``newscorpus convert`` always pays.

Targets: build and cold build peak RSS <= 1.5 GiB (the main process; the largest scan
worker's peak is printed beside it) and roughly flat (largest / smallest size <= 1.5x);
build and cold build time <= 1.5x the baseline's. Ratios are computed within the run, from
wall time and from CPU time (process + its worker processes); the load average is printed.
``--repeat N`` (default 3) runs the steps in turn N times (baseline, cold, baseline, cold, ...)
and prints each repetition's ratios; the ratios reported are their medians, so that one run
on a shared machine is not one draw of the load.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from report import load_average

HERE = Path(__file__).resolve().parent
SHARD = 100_000
POOL = 2_000  # distinct synthetic articles, re-keyed to make N
ANNOTATED_EVERY = 1_000
GIB = 2**30


def say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def write_workspace(root: Path, n: int) -> dict[str, Any]:
    """A workspace of ``n`` articles (and a few gold annotations); returns its sizes."""
    import orjson

    sys.path.insert(0, str(HERE))
    import synth

    root.mkdir(parents=True)
    config = synth.workspace_config("newscorpus-release-bench", "bench/release_bench.py")
    (root / "newscorpus.yaml").write_text(config)
    (root / "articles").mkdir()
    (root / "annotations").mkdir()
    pool = synth.articles(min(POOL, n), seed=7)
    templates = []
    for art in pool:
        line = orjson.dumps(art, option=orjson.OPT_SORT_KEYS) + b"\n"
        templates.append((line, art["id"].encode(), art["url"].encode() if art.get("url") else None))
    nbytes = 0
    gold = []
    for shard_start in range(0, n, SHARD):
        path = root / "articles" / f"shard-{shard_start // SHARD:04d}.jsonl"
        with path.open("wb") as fh:
            for i in range(shard_start, min(n, shard_start + SHARD)):
                line, old_id, old_url = templates[i % len(templates)]
                new_id = ("nc-" + hashlib.md5(f"bench-{i}".encode()).hexdigest()).encode()
                line = line.replace(old_id, new_id)
                if old_url:
                    line = line.replace(old_url, old_url + f"?n={i}".encode())
                fh.write(line)
                nbytes += len(line)
                if i % ANNOTATED_EVERY == 0:
                    art = dict(pool[i % len(pool)], id=new_id.decode())
                    record = synth.annotation(art, i, seed=7)
                    record.update(ground_truth=True, annotator="bench-annotator",
                                  id=f"{art['id']}:bench")
                    gold.append(record)
    with (root / "annotations" / "gold.jsonl").open("wb") as fh:
        for record in gold:
            fh.write(orjson.dumps(record, option=orjson.OPT_SORT_KEYS) + b"\n")
    return {"articles": n, "jsonl_bytes": nbytes, "annotations": len(gold)}


# --- steps, each run in its own process --------------------------------------------------------


def step_validate(ws_root: Path, _out: Path) -> dict[str, Any]:
    from newscorpus.validation import validate_article_files
    from newscorpus.workspace import Workspace

    ws = Workspace.open(ws_root)
    report = validate_article_files(ws, ws.article_files(), use_cache=True)
    assert report.valid, report.problems[:3]
    return {"records": report.records}


def step_baseline(ws_root: Path, out: Path) -> dict[str, Any]:
    import pyarrow.json as pajson
    import pyarrow.parquet as pq

    rows = 0
    out.mkdir(parents=True)
    for path in sorted((ws_root / "articles").glob("*.jsonl")):
        table = pajson.read_json(path)
        pq.write_table(table, out / f"{path.stem}.parquet", compression="zstd",
                       row_group_size=10_000)
        rows += table.num_rows
        del table
    return {"rows": rows}


def step_build(ws_root: Path, out: Path, use_cache: bool = True) -> dict[str, Any]:
    from newscorpus.release.writer import build_release
    from newscorpus.workspace import Workspace

    result = build_release(Workspace.open(ws_root), "1.0.0", "2026-11-26", out, previous=None,
                           use_cache=use_cache)
    return {"rows": result.manifest["counts"]["articles"],
            "configs": sorted(result.manifest["configs"])}


def step_cold(ws_root: Path, out: Path) -> dict[str, Any]:
    return step_build(ws_root, out, use_cache=False)


STEPS = {"validate": step_validate, "baseline": step_baseline, "build": step_build,
         "cold": step_cold}


def child(step: str, ws_root: Path, out: Path) -> None:
    t0 = time.perf_counter()
    info = STEPS[step](ws_root, out)
    seconds = time.perf_counter() - t0
    me, kids = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
    print(json.dumps({"step": step, "seconds": seconds, "cpu_seconds": cpu,
                      "peak_rss": me.ru_maxrss * 1024,  # Linux: KiB
                      "peak_rss_worker": kids.ru_maxrss * 1024, **info}))


def run_step(step: str, ws_root: Path, out: Path) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, __file__, "--child", step, str(ws_root), str(out)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"step {step} failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure(n: int, scratch: Path, steps: tuple[str, ...] = ("validate", "baseline", "build", "cold"),
            repeat: int = 1) -> dict[str, Any]:
    """Run ``steps`` in turn, ``repeat`` times (baseline, cold, baseline, cold, ...: the load
    of the moment weighs on both alike). Each ratio is the median of the per-repetition
    ratios (step / baseline of the same repetition); a step's figures are those of its
    median-time repetition, its peak RSS the largest of its repetitions."""
    ws_root = scratch / f"ws-{n}"
    say(f"[{n:,}] writing the synthetic workspace")
    t0 = time.perf_counter()
    sizes = write_workspace(ws_root, n)
    say(f"[{n:,}] {sizes['jsonl_bytes'] / GIB:.2f} GiB of JSONL in {time.perf_counter() - t0:.0f} s")
    out: dict[str, Any] = {"size": sizes, "repetitions": []}
    for rep in range(repeat):
        runs: dict[str, Any] = {}
        for step in steps:
            say(f"[{n:,}] {step} (load average {load_average()})")
            runs[step] = run_step(step, ws_root, scratch / f"out-{n}-{step}")
            runs[step]["load"] = load_average()
            say(f"[{n:,}] {step}: {runs[step]['seconds']:.1f} s (CPU {runs[step]['cpu_seconds']:.1f} s), "
                f"peak RSS {runs[step]['peak_rss'] / GIB:.2f} GiB (largest worker "
                f"{runs[step]['peak_rss_worker'] / GIB:.2f} GiB); load average {load_average()}")
            shutil.rmtree(scratch / f"out-{n}-{step}", ignore_errors=True)
        base = runs.get("baseline")
        for step in ("build", "cold"):
            if step in runs and base is not None:
                runs[f"{step}_time_ratio"] = runs[step]["seconds"] / base["seconds"]
                runs[f"{step}_cpu_ratio"] = runs[step]["cpu_seconds"] / base["cpu_seconds"]
                if repeat > 1:
                    say(f"[{n:,}] repetition {rep + 1}/{repeat}: {step} / baseline "
                        f"{runs[f'{step}_time_ratio']:.2f}x wall, {runs[f'{step}_cpu_ratio']:.2f}x CPU "
                        f"(load average {runs[step]['load']})")
        out["repetitions"].append(runs)
    reps = out["repetitions"]
    for step in steps:
        ordered = sorted(reps, key=lambda r: r[step]["seconds"])
        out[step] = dict(ordered[(len(ordered) - 1) // 2][step])
        for key in ("peak_rss", "peak_rss_worker"):
            out[step][key] = max(r[step][key] for r in reps)
    for key in [k for k in reps[0] if k.endswith("_ratio")]:
        out[key] = statistics.median(r[key] for r in reps)
    if "build" in out and "baseline" in out:
        out["time_ratio"] = out["build_time_ratio"]
    if "build" in out and "validate" in out and "baseline" in out:
        out["time_ratio_with_validation"] = statistics.median(
            (r["build"]["seconds"] + r["validate"]["seconds"]) / r["baseline"]["seconds"] for r in reps)
    shutil.rmtree(ws_root)
    return out


def report(results: dict[int, dict[str, Any]]) -> dict[str, Any]:
    sizes = sorted(results)
    small, large = results[sizes[0]], results[sizes[-1]]
    step = "cold" if "cold" in large else "build"
    flat = large[step]["peak_rss"] / small[step]["peak_rss"]
    summary: dict[str, Any] = {
        "peak_rss_gib": {n: {s: round(results[n][s]["peak_rss"] / GIB, 3)
                             for s in ("build", "cold", "baseline") if s in results[n]} for n in sizes},
        "rss_growth": round(flat, 3),
        "ratios": {n: {k: round(v, 3) for k, v in results[n].items() if k.endswith("_ratio")}
                   for n in sizes},
        "targets": {
            f"{step} peak RSS <= 1.5 GiB": large[step]["peak_rss"] <= 1.5 * GIB,
            f"{step} RSS roughly flat (largest/smallest <= 1.5x)": flat <= 1.5,
            **{f"{s} time <= 1.5x bare pyarrow": large[f"{s}_time_ratio"] <= 1.5
               for s in ("build", "cold") if s in large},
        },
    }
    print(f"{'articles':>10} {'JSONL GiB':>9} {'step':>8} {'s':>7} {'CPU s':>7} {'ratio':>6} "
          f"{'CPU ratio':>9} {'RSS':>6} {'worker RSS':>10}")
    for n in sizes:
        r = results[n]
        for s in ("validate", "baseline", "build", "cold"):
            if s not in r:
                continue
            ratio = r.get(f"{s}_time_ratio")
            cpu_ratio = r.get(f"{s}_cpu_ratio")
            print(f"{n:>10,} {r['size']['jsonl_bytes'] / GIB:>9.2f} {s:>8} {r[s]['seconds']:>7.1f} "
                  f"{r[s]['cpu_seconds']:>7.1f} {'-' if ratio is None else f'{ratio:.2f}x':>6} "
                  f"{'-' if cpu_ratio is None else f'{cpu_ratio:.2f}x':>9} "
                  f"{r[s]['peak_rss'] / GIB:>5.2f}G {r[s]['peak_rss_worker'] / GIB:>9.2f}G")
    print(f"{step} peak RSS growth {sizes[0]:,} -> {sizes[-1]:,}: {flat:.2f}x; load average {load_average()}")
    for name, ok in summary["targets"].items():
        detail = ""
        for s in ("build", "cold"):
            if name.startswith(f"{s} time"):
                detail = (f" (wall {large[f'{s}_time_ratio']:.2f}x, CPU {large[f'{s}_cpu_ratio']:.2f}x, "
                          f"medians of {len(large['repetitions'])} repetition(s); load average "
                          f"{large[s].get('load', '-')} when the median one ran)")
        print(f"{'PASS' if ok else 'MISS'}  {name}{detail}")
    return summary


def scale_report(results: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """The 10M step's figures: each size's time per article and peak RSS, against the smallest."""
    sizes = sorted(results)
    small = results[sizes[0]]
    steps = [s for s in ("cold", "build", "validate") if s in small]
    summary: dict[str, Any] = {"steps": {}, "targets": {}}
    print(f"{'articles':>11} {'JSONL GiB':>9} {'step':>8} {'s':>8} {'CPU s':>8} {'us/article':>10} "
          f"{'vs smallest':>11} {'RSS':>6} {'worker RSS':>10}")
    for step in steps:
        base = small[step]["seconds"] / sizes[0]
        for n in sizes:
            r = results[n]
            per = r[step]["seconds"] / n
            summary["steps"].setdefault(step, {})[n] = {
                "seconds": r[step]["seconds"], "cpu_seconds": r[step]["cpu_seconds"],
                "us_per_article": per * 1e6, "per_article_ratio": per / base,
                "peak_rss_gib": r[step]["peak_rss"] / GIB,
                "peak_rss_worker_gib": r[step]["peak_rss_worker"] / GIB}
            print(f"{n:>11,} {r['size']['jsonl_bytes'] / GIB:>9.2f} {step:>8} {r[step]['seconds']:>8.1f} "
                  f"{r[step]['cpu_seconds']:>8.1f} {per * 1e6:>10.1f} {per / base:>10.2f}x "
                  f"{r[step]['peak_rss'] / GIB:>5.2f}G {r[step]['peak_rss_worker'] / GIB:>9.2f}G")
        large = summary["steps"][step][sizes[-1]]
        summary["targets"][f"{step} peak RSS <= 1.5 GiB at {sizes[-1]:,}"] = large["peak_rss_gib"] <= 1.5
        summary["targets"][f"{step} time per article at {sizes[-1]:,} within 1.2x of {sizes[0]:,}"] = (
            large["per_article_ratio"] <= 1.2)
    print(f"load average {load_average()}")
    for name, ok in summary["targets"].items():
        print(f"{'PASS' if ok else 'MISS'}  {name}")
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2,000 and 20,000 articles")
    parser.add_argument("--sizes", help="comma-separated article counts")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--scratch", type=Path, help="folder for the temporary workspaces")
    parser.add_argument("--steps", default="validate,baseline,build,cold",
                        help="comma-separated subset of validate, baseline, build, cold "
                        "(baseline is always run)")
    parser.add_argument("--scale", action="store_true",
                        help="the 10M step: 1,000,000 and 10,000,000 articles (or --sizes), the "
                        "cold build only (or --steps; no baseline); targets: peak RSS <= 1.5 GiB, "
                        "time per article within 1.2x of the smallest size's")
    parser.add_argument("--repeat", type=int, default=3,
                        help="run the steps in turn this many times (baseline, cold, baseline, "
                        "cold, ...); ratios are the medians of the per-repetition ratios (default 3)")
    parser.add_argument("--child", nargs=3, metavar=("STEP", "WS", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    sizes = ([int(s) for s in args.sizes.split(",")] if args.sizes
             else [2_000, 20_000] if args.quick else [1_000_000, 10_000_000] if args.scale
             else [100_000, 1_000_000])
    scratch = Path(tempfile.mkdtemp(prefix="newscorpus-release-bench-", dir=args.scratch))
    try:
        steps = tuple(dict.fromkeys(["baseline", *[s for s in args.steps.split(",") if s]]))
        if args.scale:
            steps = ("cold",) if args.steps == parser.get_default("steps") else tuple(
                s for s in args.steps.split(",") if s)
        unknown = set(steps) - set(STEPS)
        if unknown:
            parser.error(f"unknown step(s): {', '.join(sorted(unknown))}")
        results = {n: measure(n, scratch, steps, max(1, args.repeat)) for n in sizes}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    summary = scale_report(results) if args.scale else report(results)
    if args.json:
        args.json.write_text(json.dumps({"results": results, "summary": summary}, indent=2))


if __name__ == "__main__":
    main()
