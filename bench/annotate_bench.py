"""Annotation-bridge benchmarks against a real Label Studio server, ratios from one run.

    .venv/bin/python bench/annotate_bench.py [--articles 5000] [--json FILE]

Needs ``tools/labelstudio.sh install template`` (the test server). Not run in CI.

1. push N articles to a new project, then push the same N again: the second push should
   write nothing and be >= 10x faster;
2. pull N annotated tasks (a full pull) vs the SDK's plain full-project JSON export
   (``projects.exports.download_sync``, one request; it neither checks nor converts anything),
   timed in ``--repeats`` alternating pairs (export, pull; then pull, export; ...: drift and
   warm caches favour neither): each pair's ratio of wall times and of the CPU seconds spent
   by this process plus the server's process tree (a figure load on the shared machine moves
   less), and their medians; the load average is printed;
3. change 50 tasks (new annotations), then pull incrementally: target <= 5% of the full pull.

The annotated project for 2-3 is made by importing tasks with their annotations inline (one
request per batch; creating 5,000 annotations one by one takes ~12 minutes on this server).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from report import load_average, ratios

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.annotate_workspace import CONFIG  # noqa: E402
from tests.labelstudio_server import LabelStudioServer  # noqa: E402

from newscorpus.annotate.client import LabelStudioClient, Secret  # noqa: E402
from newscorpus.annotate.labels import build_label_config  # noqa: E402
from newscorpus.annotate.pull import PullOptions, pull  # noqa: E402
from newscorpus.annotate.push import PushOptions, data_sha256, push, state_path, task_data  # noqa: E402
from newscorpus.annotate.results import annotation_to_result  # noqa: E402
from newscorpus.annotate.state import SyncState, TaskRef  # noqa: E402
from newscorpus.records import Annotation, Entity, Holder, Quote, Span, Stance, dumps  # noqa: E402
from newscorpus.text import sha256_text  # noqa: E402
from newscorpus.workspace import Workspace  # noqa: E402

PARAGRAPH = (
    "“We need more time to study the river dam,” Mayor Ana Duru said on Monday in İzmir. "
    "The council of Millbrook voted 7 to 2 for the city budget, which grows by {n} percent. "
    "Critics said the plan would raise fares for riders who already pay too much. "
)


def article(i: int) -> dict[str, Any]:
    title = f"Council vote {i} on the river dam"
    body = "\n\n".join(PARAGRAPH.format(n=i % 97 + j) for j in range(8))
    text = f"{title}\n\n{body}"
    return {
        "id": f"nc-{i:032x}",
        "source": "bench",
        "title": title,
        "text": text,
        "text_sha256": sha256_text(text),
        "blocks": [],
        "origin": {},
    }


def annotation(a: dict[str, Any]) -> Annotation:
    t = a["text"]
    ana = t.index("Ana Duru")
    said = t.index("said")
    q = t.index("We need")
    qe = t.index(",”")
    return Annotation(
        "x",
        a["id"],
        a["text_sha256"],
        "bench",
        "sample",
        entities=[Entity("e1", ana, ana + 8, "Ana Duru", "PERSON")],
        quotes=[
            Quote(
                "q1",
                q,
                qe,
                t[q:qe],
                "direct",
                Span(ana, ana + 8, "Ana Duru"),
                "e1",
                Span(said, said + 4, "said"),
            )
        ],
        stances=[
            Stance("s1", Holder("article"), "river-dam", "against"),
            Stance("s2", Holder("quote", "q1"), "river-dam", "against"),
        ],
    )


def workspace(root: Path, n: int) -> Workspace:
    root.mkdir(parents=True)
    (root / "newscorpus.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "articles").mkdir()
    (root / "annotations").mkdir()
    with (root / "articles" / "articles.jsonl").open("wb") as fh:
        for i in range(n):
            fh.write(dumps(article(i)))
    return Workspace.open(root)


def timed(fn: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of process ``pid`` and its descendants (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, IndexError, ValueError):
            continue
    return total


def measured(fn: Any, server_pid: int) -> tuple[float, float, Any]:
    """(wall seconds, CPU seconds of this process + the server tree, result)."""
    c0 = time.process_time() + tree_cpu(server_pid)
    wall, out = timed(fn)
    return wall, time.process_time() + tree_cpu(server_pid) - c0, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--changed", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=4, help="export/pull pairs (default 4)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    n = args.articles
    scratch = Path(tempfile.mkdtemp(prefix="newscorpus-annotate-bench-"))
    results: dict[str, Any] = {"articles": n}
    try:
        with LabelStudioServer(base_dir=scratch) as ls, LabelStudioClient(ls.url, Secret(ls.token)) as client:
            ws = workspace(scratch / "push", n)
            first_s, first = timed(lambda: push(ws, client, PushOptions(batch_size=250)))
            again_s, again = timed(lambda: push(ws, client))
            results["push"] = {
                "first_s": round(first_s, 3),
                "first_writes": first.writes,
                "repush_s": round(again_s, 3),
                "repush_writes": again.writes,
                "repush_reads": again.reads,
                "speedup": round(first_s / again_s, 1),
            }
            print(
                f"push {n}: {first_s:.2f} s ({first.writes} writes); re-push: {again_s:.3f} s "
                f"({again.writes} writes, {again.reads} reads) -> {first_s / again_s:.0f}x faster"
            )

            # An annotated project, imported with annotations inline.
            ws2 = workspace(scratch / "pull", n)
            config = build_label_config(ws2.config.labels)
            project = client.create_project("bench annotated", config.xml)
            pid = int(project["id"])
            state = SyncState(state_path(ws2))
            state.bind(client.url, pid, "bench annotated")
            arts = [article(i) for i in range(n)]
            t0 = time.perf_counter()
            for start in range(0, n, 250):
                batch = arts[start : start + 250]
                payload = [
                    {
                        "data": task_data(a),
                        "annotations": [
                            {"result": annotation_to_result(annotation(a), config), "completed_by": 1}
                        ],
                    }
                    for a in batch
                ]
                ids = client.import_tasks(pid, payload)
                for a, tid, p in zip(batch, ids, payload, strict=True):
                    state.tasks[a["id"]] = TaskRef(tid, a["text_sha256"], data_sha256(p["data"]))
            state.save()
            print(f"(set-up: {n} annotated tasks imported in {time.perf_counter() - t0:.1f} s)")
            time.sleep(3.5)  # so the incremental pull below does not re-list these (cursor overlap)

            assert ls._proc is not None  # noqa: SLF001 - the server process, for its CPU time
            server_pid = ls._proc.pid  # noqa: SLF001

            def export() -> list[Any]:
                body = b"".join(
                    client.sdk.projects.exports.download_sync(
                        id=pid, export_type="JSON", download_all_tasks=True
                    )
                )
                return json.loads(body)  # type: ignore[no-any-return]

            load_before = load_average()
            runs: dict[str, list[tuple[float, float]]] = {"pull": [], "export": []}
            for rep in range(args.repeats):
                # Alternating, each pair's order flipped: drift and warm caches favour neither.
                for name in ("export", "pull") if rep % 2 == 0 else ("pull", "export"):
                    if name == "pull":
                        wall, cpu, full = measured(
                            lambda: pull(ws2, client, PullOptions(full=True)), server_pid
                        )
                        assert full.tasks == n and not full.problems, full.summary()
                    else:
                        wall, cpu, exported = measured(export, server_pid)
                        assert len(exported) == n
                    runs[name].append((wall, cpu))
                    print(f"  {name}: {wall:.2f} s wall, {cpu:.2f} s CPU (load {load_average()})")
            pairs = list(zip(runs["pull"], runs["export"], strict=True))
            wall_ratios = [p[0] / e[0] for p, e in pairs]
            cpu_ratios = [p[1] / e[1] for p, e in pairs]
            full_s = statistics.median(w for w, _ in runs["pull"])
            export_s = statistics.median(w for w, _ in runs["export"])
            results["pull"] = {
                "full_s": [round(w, 3) for w, _ in runs["pull"]],
                "sdk_export_s": [round(w, 3) for w, _ in runs["export"]],
                "full_vs_export": [round(r, 3) for r in wall_ratios],
                "cpu_full_vs_export": [round(r, 3) for r in cpu_ratios],
                "median_full_vs_export": round(statistics.median(wall_ratios), 3),
                "median_cpu_full_vs_export": round(statistics.median(cpu_ratios), 3),
                "loadavg": [load_before, load_average()],
            }
            median = ratios(
                statistics.median(wall_ratios),
                statistics.median(cpu_ratios),
                "<= 1.0x",
                "(this process + server)",
            )
            print(
                f"full pull of {n} annotated tasks: median {full_s:.2f} s; SDK full JSON export: median "
                f"{export_s:.2f} s ({args.repeats} alternating pairs); pair ratios pull/export "
                f"{', '.join(f'{r:.2f}' for r in wall_ratios)} "
                f"(CPU {', '.join(f'{r:.2f}' for r in cpu_ratios)}) -> median {median}, "
                f"worst {max(wall_ratios):.2f}x; load average {load_before} -> {load_average()}"
            )

            time.sleep(3.5)
            changed = [
                state.tasks[a["id"]].task_id for a in arts[:: max(1, n // args.changed)][: args.changed]
            ]
            for tid in changed:
                client.sdk.annotations.create(
                    id=tid, result=[], was_cancelled=True, unique_id=str(uuid.uuid4())
                )
            inc_s, inc = timed(lambda: pull(ws2, client))
            assert inc.tasks == len(changed) and not inc.full, inc.summary()
            results["incremental"] = {
                "changed": len(changed),
                "pull_s": round(inc_s, 3),
                "share_of_full": round(inc_s / full_s, 4),
            }
            print(
                f"incremental pull after {len(changed)} changed tasks: {inc_s:.3f} s = "
                f"{100 * inc_s / full_s:.1f}% of the full pull (target <= 5%)"
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
