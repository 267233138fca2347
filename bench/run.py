"""newscorpus benchmarks, each against a baseline measured in the same run.

    python bench/run.py [--quick] [--json FILE] [--only validation,convert,release] [--repeat N]

a. validation: records/s over the same synthetic articles, one in 50 damaged (schema
   problems: a wrong type deep in the record, an extra or a missing property, a broken
   pattern; semantic ones: a wrong text hash, a block past the text). Each subject must give
   its baseline's output, or the run stops. ``CompiledSchema.is_valid`` (jsonschema-rs, the
   verdict) against plain ``jsonschema.Draft202012Validator(schema).is_valid``; the full
   ``SchemaStore.problems`` path (every problem with its JSON pointer and message: schema,
   text hash, offsets) against plain jsonschema giving the same output
   (``iter_errors`` sorted by path, else the same semantic checks JSON Schema cannot
   express); and, for information, the bulk path a release build takes
   (``validate_article_files``: JSONL files -> the same problem records, by the typed scan,
   the pyarrow parse and the columnar checks; in a build the parse is the one the Parquet
   output needs anyway, here it is paid for validation alone). Target (the first two):
   >= 50x. The candidates msgspec typed decoding (``CompiledSchema.typed_valid``), orjson +
   jsonschema-rs from the same bytes, and fastjsonschema are measured in the same run, for
   information.
b. page-dump conversion: articles/s of ``PageDumpConverter().convert`` on one core over
   synthetic trtworld-layout dumps held in memory. Target: >= 3,000/s. The ratio against a
   bare decode + split-lines loop is printed for information.
c. release build: ``build_release`` over synthetic articles in a temporary workspace, cold
   (``use_cache=False``) and warm (validation cache filled), against a bare pyarrow pipeline
   on the same JSONL files (``pyarrow.json.read_json`` + ``pyarrow.parquet.write_table`` per
   file, inferred schema, with the release's compression and row-group size). Target: <= 1.5x
   the baseline's time.

Every figure is the best of ``--repeat`` runs (default 3) timed with ``time.perf_counter``;
the runs of a subject and its baseline are interleaved (each repetition's times are printed
as it ends), and every ratio is the median of the per-repetition ratios (repetition k of the
subject against repetition k of its baseline, which ran beside it). The same ratio computed
from CPU time (``os.times``: this process, all threads, plus joined worker processes) is
printed beside it, since wall times on a shared machine move with the load from other
processes. PASS/MISS uses the wall-time ratio.
``--quick`` uses 10x smaller sizes (CI smoke run); ``--workdir DIR`` keeps the release
benchmark's generated workspace for later runs. Data comes from ``bench/synth.py``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth  # noqa: E402
from report import load_average  # noqa: E402

FULL_SIZES = {"validation": 20_000, "convert": 5_000, "release": 100_000}
SHARD = 10_000  # articles per JSONL file in the release benchmark's workspace

WORKSPACE_CONFIG = synth.workspace_config("newscorpus-bench", "bench/run.py")


@dataclass
class Result:
    bench: str
    name: str
    value: float  # rate (per second) or seconds, see unit; wall clock (perf_counter)
    unit: str
    baseline_name: str
    baseline: float
    ratio: float  # "higher is better" for rates, "lower is better" for times
    ratio_meaning: str
    target: str | None
    passed: bool | None
    cpu_ratio: float | None = None  # the same ratio from CPU time (process + joined children)
    cpu_value: float | None = None  # the measured figure from CPU time instead of wall time
    load: tuple[float, float, float] | None = None  # load average when the figure was taken

    @property
    def status(self) -> str:
        return "info" if self.passed is None else ("PASS" if self.passed else "MISS")


@dataclass
class Timing:
    wall: float  # best wall time (time.perf_counter)
    cpu: float  # best CPU time of this process (all threads) and its joined children
    out: Any  # return value of the last call
    walls: list[float] = field(default_factory=list)  # every repetition's wall time, in order
    cpus: list[float] = field(default_factory=list)  # and CPU time


def median_ratio(num: Timing, den: Timing, cpu: bool = False) -> float:
    """The median over repetitions of ``num / den`` (repetition k of each: they ran side by
    side, under the same load)."""
    a, b = (num.cpus, den.cpus) if cpu else (num.walls, den.walls)
    return statistics.median(x / y for x, y in zip(a, b, strict=True))


def _cpu_seconds() -> float:
    """CPU time of this process (all threads) and of its finished child processes (worker
    pools that the code under test starts and joins)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def best_of(repeat: int, fns: dict[str, Callable[[int], Any]]) -> list[Timing]:
    """For each function, the smallest wall time and the smallest CPU time of ``repeat``
    calls ``fn(k)``. The calls are interleaved (A B C A B C ...) so that load from other
    processes on the machine weighs on the subject and its baseline alike; CPU time is
    reported too because it hardly depends on that load."""
    walls: dict[str, list[float]] = {name: [] for name in fns}
    cpus: dict[str, list[float]] = {name: [] for name in fns}
    out: dict[str, Any] = {}
    for k in range(repeat):
        for name, fn in fns.items():
            gc.collect()
            c0, t0 = _cpu_seconds(), time.perf_counter()
            out[name] = fn(k)
            walls[name].append(time.perf_counter() - t0)
            cpus[name].append(_cpu_seconds() - c0)
        say(f"  repetition {k + 1}/{repeat}: " + ", ".join(
            f"{name} {walls[name][-1]:.2f} s (CPU {cpus[name][-1]:.2f} s)" for name in fns)
            + f"; load average {load_average()}")
    return [Timing(min(walls[name]), min(cpus[name]), out[name], walls[name], cpus[name])
            for name in fns]


def say(msg: str) -> None:
    print(msg, flush=True)


# --- a. validation --------------------------------------------------------------------------


INVALID_EVERY = 50  # one record in 50 of the validation benchmark is damaged


def _damaged(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``records`` with every ``INVALID_EVERY``-th one damaged, in turn: a wrong type deep
    in the record, an extra property, a missing required one, a broken pattern (schema
    problems), a wrong text hash and a block past the text (semantic problems)."""
    import copy

    def wrong_type(r: dict[str, Any]) -> None:
        r["blocks"][-1]["start"] = str(r["blocks"][-1]["start"])

    def extra(r: dict[str, Any]) -> None:
        r["unexpected"] = 1

    def missing(r: dict[str, Any]) -> None:
        del r["title"]

    def pattern(r: dict[str, Any]) -> None:
        r["id"] = r["id"].upper()

    def wrong_hash(r: dict[str, Any]) -> None:
        r["text_sha256"] = "0" * 64

    def past_text(r: dict[str, Any]) -> None:
        r["blocks"][-1]["end"] = len(r["text"]) + 5

    damage = (wrong_type, extra, missing, pattern, wrong_hash, past_text)
    out = list(records)
    for k, i in enumerate(range(INVALID_EVERY // 2, len(out), INVALID_EVERY)):
        out[i] = copy.deepcopy(out[i])
        damage[k % len(damage)](out[i])
    return out


def bench_validation(n: int, repeat: int) -> list[Result]:
    import jsonschema
    import orjson

    from newscorpus.records import article_text_problems, dumps
    from newscorpus.schema import DEFAULT_STORE, json_pointer
    from newscorpus.validation import validate_article_files
    from newscorpus.workspace import Workspace

    records = _damaged(synth.articles(n, seed=1))
    version = records[0]["schema_version"]
    say(f"[validation] {n:,} synthetic articles (schema article {version}), one in "
        f"{INVALID_EVERY} damaged (schema or semantic problems)")
    compiled = DEFAULT_STORE.compiled("article", version)
    # the schema as on disk (fastjsonschema rewrites $ref values of the dict it compiles)
    pristine = json.loads(DEFAULT_STORE.path("article", version).read_text(encoding="utf-8"))
    reference = jsonschema.Draft202012Validator(pristine)
    problems = DEFAULT_STORE.problems
    lines = [dumps(r) for r in records]
    tmp = Path(tempfile.mkdtemp(prefix="newscorpus-bench-validation-"))
    (tmp / "articles").mkdir()
    (tmp / "newscorpus.yaml").write_text(WORKSPACE_CONFIG, encoding="utf-8")
    for shard, start in enumerate(range(0, n, SHARD)):
        (tmp / "articles" / f"bench-{shard:05d}.jsonl").write_bytes(b"".join(lines[start:start + SHARD]))
    ws = Workspace.open(tmp)

    def fast(_k: int) -> list[bool]:
        is_valid = compiled.is_valid
        return [is_valid(r) for r in records]

    import copy

    import fastjsonschema

    fjs = fastjsonschema.compile(copy.deepcopy(pristine), use_formats=False)

    def fjs_valid(_k: int) -> list[bool]:
        out = []
        for r in records:
            try:
                fjs(r)
            except fastjsonschema.JsonSchemaValueException:
                out.append(False)
                continue
            out.append(True)
        return out

    def full(_k: int) -> list[list[tuple[str, str]]]:
        return [[(p.pointer, p.message) for p in problems(r, "article")] for r in records]

    def base_full(_k: int) -> list[list[tuple[str, str]]]:
        # plain jsonschema gives the same output: every schema problem with its pointer
        # (sorted by path, messages cut as newscorpus cuts them), else the same checks
        # JSON Schema cannot express
        out = []
        for r in records:
            errors = sorted(reference.iter_errors(r), key=lambda e: list(e.path))
            out.append([(json_pointer(e.absolute_path),
                         e.message if len(e.message) < 300 else e.message[:297] + "...")
                        for e in errors] or article_text_problems(r))
        return out

    def files(_k: int) -> int:
        report = validate_article_files(ws, ws.article_files(), use_cache=False)
        return report.records - report.invalid_records

    def typed(_k: int) -> list[bool]:
        typed_valid = compiled.typed_valid
        return [typed_valid(line) for line in lines]

    def orjson_rs(_k: int) -> list[bool]:
        is_valid, loads = compiled.is_valid, orjson.loads
        return [is_valid(loads(line)) for line in lines]

    def base(_k: int) -> list[bool]:
        is_valid = reference.is_valid
        return [is_valid(r) for r in records]

    try:
        timings = best_of(repeat, {"fast": fast, "full": full, "files": files, "typed": typed,
                                   "orjson_rs": orjson_rs, "fastjsonschema": fjs_valid,
                                   "base": base, "base_full": base_full})
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    fast_t, full_t, files_t, typed_t, orjson_t, fjs_t, base_t, base_full_t = timings
    verdicts = base_t.out
    valid = sum(1 for found in base_full_t.out if not found)
    checks = {"is_valid verdicts": fast_t.out == verdicts, "fastjsonschema verdicts": fjs_t.out == verdicts,
              "orjson + jsonschema-rs verdicts": orjson_t.out == verdicts,
              "problems (pointers, messages)": full_t.out == base_full_t.out,
              "typed decoder sound": all(v or not t for t, v in zip(typed_t.out, verdicts, strict=True)),
              "bulk path valid records": files_t.out == valid,
              "damaged records found": n - valid == len(range(INVALID_EVERY // 2, n, INVALID_EVERY))}
    if not all(checks.values()):
        raise SystemExit(f"validation outputs differ from jsonschema's: {checks}")
    label = "jsonschema Draft202012Validator.is_valid"
    label_full = "jsonschema iter_errors (pointers) + the same semantic checks"
    out = []
    for name, t, base_of, base_label, target in (
            ("CompiledSchema.is_valid (jsonschema-rs, decoded records)", fast_t, base_t, label, 50.0),
            ("SchemaStore.problems (every problem with its pointer: schema + hash + offsets)",
             full_t, base_full_t, label_full, 50.0),
            ("validate_article_files: JSONL bytes -> problems (typed scan + Arrow parse + columnar)",
             files_t, base_full_t, label_full, None),
            ("candidate: CompiledSchema.typed_valid (msgspec typed, from JSONL bytes)", typed_t, base_t,
             label, None),
            ("candidate: orjson.loads + jsonschema-rs is_valid (from JSONL bytes)", orjson_t, base_t,
             label, None),
            ("candidate: fastjsonschema is_valid (decoded records)", fjs_t, base_t, label, None)):
        ratio = median_ratio(base_of, t)
        out.append(Result("validation", name, n / t.wall, "records/s", base_label, n / base_of.wall,
                          ratio, "speed-up", None if target is None else f">= {target:g}x",
                          None if target is None else ratio >= target,
                          median_ratio(base_of, t, cpu=True), n / t.cpu))
    return out


# --- b. page-dump conversion ----------------------------------------------------------------


def bench_convert(n: int, repeat: int) -> list[Result]:
    from newscorpus.convert.base import Input
    from newscorpus.convert.pagedump import PageDumpConverter
    from newscorpus.records import Article

    say(f"[convert] generating {n:,} synthetic page dumps")
    dumps = [(Path(name), name, data) for name, data in synth.iter_page_dumps(n, seed=2)]
    converter = PageDumpConverter()
    for path, name, data in dumps[:20]:  # warm-up: profile loading, regex compilation
        list(converter.convert(Input(path, name, data)))

    def convert(_k: int) -> int:
        done = 0
        for path, name, data in dumps:
            for outcome in converter.convert(Input(path, name, data)):
                done += isinstance(outcome, Article)
        return done

    def bare(_k: int) -> int:
        lines = 0
        for _path, _name, data in dumps:
            lines += len(data.decode("utf-8").split("\n"))
        return lines

    conv_t, bare_t = best_of(repeat, {"convert": convert, "bare": bare})
    if conv_t.out != n:
        raise SystemExit(f"only {conv_t.out} of {n} synthetic dumps converted to articles")
    rate = n / conv_t.wall
    return [Result("convert", "PageDumpConverter.convert (1 core)", rate, "articles/s",
                   "decode + split lines", n / bare_t.wall, median_ratio(bare_t, conv_t),
                   "fraction of bare loop", ">= 3,000 articles/s", rate >= 3000,
                   median_ratio(bare_t, conv_t, cpu=True), n / conv_t.cpu)]


# --- c. release build -----------------------------------------------------------------------


def _write_shard(path: Path, start: int, stop: int) -> Path:
    from newscorpus.records import dumps

    with path.open("wb") as fh:
        for i in range(start, stop):
            fh.write(dumps(synth.article(i, seed=3)))
    return path


def _write_workspace(root: Path, n: int) -> list[Path]:
    """A workspace with ``n`` synthetic articles in JSONL shards of ``SHARD`` records
    (written in parallel: each shard depends only on its index range)."""
    from concurrent.futures import ProcessPoolExecutor

    (root / "articles").mkdir(parents=True)
    (root / "newscorpus.yaml").write_text(WORKSPACE_CONFIG, encoding="utf-8")
    jobs = [(root / "articles" / f"bench-{shard:05d}.jsonl", start, min(n, start + SHARD))
            for shard, start in enumerate(range(0, n, SHARD))]
    if len(jobs) == 1:
        return [_write_shard(*jobs[0])]
    with ProcessPoolExecutor(max_workers=min(len(jobs), os.cpu_count() or 1)) as pool:
        return list(pool.map(_write_shard, *zip(*jobs, strict=True)))


def _release_parquet_settings() -> tuple[int, str]:
    """Row-group size and compression the release writer uses (the baseline writes with the
    same settings), wherever the release package keeps them."""
    import importlib

    size, compression = 10_000, "zstd"
    for name in ("newscorpus.release.parquet", "newscorpus.release.writer"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        size = getattr(module, "ROW_GROUP_SIZE", size)
        compression = getattr(module, "COMPRESSION", compression)
    return int(size), str(compression)


def bench_release(n: int, repeat: int, keep: bool = False, workdir: Path | None = None
                  ) -> list[Result]:
    import pyarrow.json as pajson
    import pyarrow.parquet as pq

    from newscorpus.release.writer import build_release
    from newscorpus.validation import validate_article_files
    from newscorpus.workspace import Workspace

    row_group_size, compression = _release_parquet_settings()

    reuse = workdir is not None and (workdir / "articles").is_dir() and (
        (workdir / ".bench-size").is_file() and (workdir / ".bench-size").read_text() == str(n))
    if workdir is not None and not reuse:
        if workdir.exists() and any(workdir.iterdir()):
            if not (workdir / ".bench-size").is_file():  # never delete a folder not ours
                raise SystemExit(f"--workdir {workdir} exists and was not made by bench/run.py")
            shutil.rmtree(workdir)
        workdir.mkdir(parents=True, exist_ok=True)
    tmp = workdir if workdir is not None else Path(tempfile.mkdtemp(prefix="newscorpus-bench-"))
    for old in [*tmp.glob("baseline-*"), *tmp.glob("releases-*"), tmp / ".newscorpus"]:
        shutil.rmtree(old, ignore_errors=True)
    try:
        t0 = time.perf_counter()
        if reuse:
            files = sorted((tmp / "articles").glob("*.jsonl"))
            say(f"[release] reusing {n:,} synthetic articles in {tmp}/articles")
        else:
            say(f"[release] writing {n:,} synthetic articles to {tmp}/articles")
            files = _write_workspace(tmp, n)
            (tmp / ".bench-size").write_text(str(n))
        size = sum(f.stat().st_size for f in files)
        say(f"[release] {len(files)} JSONL file(s), {size / 2**20:.0f} MiB "
            f"(ready in {time.perf_counter() - t0:.1f} s)")
        ws = Workspace.open(tmp)

        def baseline(k: int) -> int:
            # one Parquet file per JSONL file: schemas are inferred per file and differ
            # (optional keys, dates inferred as timestamps), so they are not concatenated
            out = tmp / f"baseline-{k}"
            out.mkdir()
            rows = 0
            for f in files:
                table = pajson.read_json(f)
                pq.write_table(table, out / f"{f.stem}.parquet", compression=compression,
                               row_group_size=row_group_size)
                rows += table.num_rows
            return rows

        def build(kind: str, use_cache: bool) -> Callable[[int], int]:
            def run(k: int) -> int:
                result = build_release(ws, f"0.{0 if kind == 'cold' else 1}.{k}", "2025-01-01",
                                       out_dir=tmp / f"releases-{kind}-{k}", use_cache=use_cache)
                return int(result.manifest["counts"]["articles"])
            return run

        t0 = time.perf_counter()
        report = validate_article_files(ws, files, use_cache=True)  # fills the cache
        t_fill = time.perf_counter() - t0
        if not report.valid:
            raise SystemExit(f"synthetic articles invalid: {report.problems[:3]}")
        say(f"[release] validation cache filled ({t_fill:.2f} s); timing baseline, cold and "
            f"warm builds, interleaved, best of {repeat}")
        base_t, cold_t, warm_t = best_of(repeat, {
            "baseline": baseline, "cold": build("cold", use_cache=False),
            "warm": build("warm", use_cache=True)})
        say(f"[release] baseline {base_t.wall:.2f} s, cold build {cold_t.wall:.2f} s, "
            f"warm build {warm_t.wall:.2f} s (CPU: {base_t.cpu:.2f}, {cold_t.cpu:.2f}, "
            f"{warm_t.cpu:.2f} s)")
        if not base_t.out == cold_t.out == warm_t.out == n:
            raise SystemExit(f"release benchmark lost rows: baseline {base_t.out}, builds "
                             f"{cold_t.out}, {warm_t.out}, n {n}")
        label = f"pyarrow read_json + write_table per file ({compression})"
        out = []
        for name, t in (("build_release cold (use_cache=False)", cold_t),
                        ("build_release warm (validation cached)", warm_t)):
            ratio = median_ratio(t, base_t)
            out.append(Result("release", name, t.wall, "s", label, base_t.wall, ratio,
                              "time vs baseline", "<= 1.5x", ratio <= 1.5,
                              median_ratio(t, base_t, cpu=True), t.cpu))
        return out
    finally:
        if workdir is not None:
            for old in [*tmp.glob("baseline-*"), *tmp.glob("releases-*")]:
                shutil.rmtree(old, ignore_errors=True)
        elif keep:
            say(f"[release] kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


# --- report ---------------------------------------------------------------------------------


def _fmt(value: float, unit: str) -> str:
    return f"{value:,.2f} s" if unit == "s" else f"{value:,.0f}/s"


def print_table(results: list[Result]) -> None:
    rows = [("benchmark", "measured", "baseline", "ratio", "target", "status", "ratio (CPU time)",
             "load average")]
    for r in results:
        rows.append((f"{r.bench}: {r.name}", _fmt(r.value, r.unit), _fmt(r.baseline, r.unit),
                     f"{r.ratio:.3g}x", r.target or "-", r.status,
                     "-" if r.cpu_ratio is None else f"{r.cpu_ratio:.3g}x",
                     "-" if r.load is None else " ".join(f"{x:.2f}" for x in r.load)))
    widths = [max(len(row[c]) for row in rows) for c in range(len(rows[0]))]
    line = "  ".join("-" * w for w in widths)
    say("")
    for i, row in enumerate(rows):
        say("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
        if i == 0:
            say(line)


def environment() -> dict[str, Any]:
    import fastjsonschema
    import pyarrow

    from newscorpus import __version__

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "newscorpus": __version__,
        "pyarrow": pyarrow.__version__,
        "jsonschema": _dist_version("jsonschema"),
        "fastjsonschema": fastjsonschema.VERSION,
        "jsonschema-rs": _dist_version("jsonschema-rs"),
        "load_average": os.getloadavg(),
    }


def _dist_version(name: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10x smaller sizes (CI smoke run)")
    parser.add_argument("--json", metavar="FILE", type=Path, help="also write the figures as JSON")
    parser.add_argument("--only", default="validation,convert,release",
                        help="comma-separated subset of: validation, convert, release")
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs (default 3)")
    parser.add_argument("--keep", action="store_true", help="keep the release benchmark's temp dir")
    parser.add_argument("--workdir", type=Path, help="folder for the release benchmark's workspace, "
                        "kept and reused by later runs of the same size")
    args = parser.parse_args(argv)
    wanted = [b.strip() for b in args.only.split(",") if b.strip()]
    unknown = set(wanted) - set(FULL_SIZES)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    sizes = {k: (v // 10 if args.quick else v) for k, v in FULL_SIZES.items() if k in wanted}
    say(f"newscorpus benchmarks ({'quick' if args.quick else 'full'}): "
        + ", ".join(f"{k} n={v:,}" for k, v in sizes.items()) + f"; best of {args.repeat}")
    results: list[Result] = []
    load0 = load_average()
    started = time.perf_counter()
    for name in wanted:
        if name == "validation":
            found = bench_validation(sizes[name], args.repeat)
        elif name == "convert":
            found = bench_convert(sizes[name], args.repeat)
        else:
            found = bench_release(sizes[name], args.repeat, keep=args.keep, workdir=args.workdir)
        for r in found:
            cpu = "" if r.cpu_ratio is None else (
                f"; by CPU time {r.cpu_ratio:.3g}x, measured {_fmt(r.cpu_value or 0, r.unit)}")
            load = load_average()
            say(f"[{r.bench}] {r.name}: {_fmt(r.value, r.unit)} vs {r.baseline_name} "
                f"{_fmt(r.baseline, r.unit)} -> ratio {r.ratio:.3g}x ({r.ratio_meaning}{cpu}); "
                f"target {r.target or '-'}: {r.status}; load average {load}")
        load_now = os.getloadavg()
        for r in found:
            r.load = load_now
        results += found
    print_table(results)
    say(f"\ntotal {time.perf_counter() - started:.0f} s; load average (1, 5, 15 min) "
        f"at start {load0}, at end {load_average()}")
    if args.json:
        payload = {
            "mode": "quick" if args.quick else "full",
            "sizes": sizes,
            "repeat": args.repeat,
            "environment": environment(),
            "results": [{**asdict(r), "status": r.status} for r in results],
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        say(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
