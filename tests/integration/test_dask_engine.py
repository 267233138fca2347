"""The Dask engine gives the local engine's bytes: real Dask processes on 127.0.0.1, no mocks.

Compared: the articles JSONL, the duplicate groups, the quarantine and the summary line, on
a corpus made of the bundled sample, ../shared/data JSON feeds and NITF, bad inputs and copies
that make duplicate groups. Also: a worker killed mid-run, and a driver killed mid-run then
run again (it resumes from the staged shards).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from newscorpus.cli.main import cli
from newscorpus.convert.batch import convert_paths
from newscorpus.convert.dask_engine import DaskEngine, read_shard
from newscorpus.convert.engine import make_engine, staging_dir
from newscorpus.dedup import find_duplicates
from newscorpus.errors import ConfigError, MissingDependencyError, NewscorpusError
from tests.conftest import SAMPLE
from tests.integration.conftest import ENV, Cluster, free_port

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]


@dataclass(frozen=True)
class Outputs:
    articles: bytes
    groups: bytes
    quarantine: bytes
    summary: str


def _inputs(shared: Path, extra: Path) -> list[Path]:
    return [SAMPLE / "raw", shared / "feeds" / "gofeed-jsonfeed", shared / "newsml" / "nitf-examples", extra]


def _run(paths: list[Path], out_dir: Path, engine: DaskEngine | None = None, **kw: int) -> Outputs:
    out, quarantine = out_dir / "articles.jsonl", out_dir / "quarantine.jsonl"
    report = convert_paths(paths, out, quarantine, engine=engine, **kw)  # type: ignore[arg-type]
    assert report.inputs == report.converted + report.rejected + report.skipped
    assert not staging_dir(out).exists()  # removed once the output is written
    return Outputs(out.read_bytes(), out.with_name("articles.groups.json").read_bytes(),
                   quarantine.read_bytes(), report.summary())


@pytest.fixture(scope="module")
def corpus(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    extra = tmp_path_factory.mktemp("extra")
    sample = sorted((SAMPLE / "raw").glob("*.txt"))
    for i, src in enumerate(sample[:3]):  # near copies: a corrected title, one more closing line
        title, rest = src.read_text(encoding="utf-8").split("\n", 1)
        (extra / f"copy-{i}.txt").write_text(f"{title} (corrected)\n{rest}\nCorrection appended.\n",
                                             encoding="utf-8")
    (extra / "empty.txt").write_bytes(b"")
    (extra / "binary.txt").write_bytes(b"\x00\x01\x02" * 10)
    (extra / "notes.xyz").write_text("what is this")
    (extra / "broken.xml").write_text("<rss><channel><item><title>cut")
    (extra / "latin1.txt").write_bytes("Titre\n\nCaf\xe9\n".encode("latin-1"))
    (extra / "no-title.txt").write_text("\n\n   \nSection: World\n")
    (extra / "LICENSE").write_text("not an article")
    with (extra / "huge.txt").open("wb") as fh:  # 50 MB, sparse: over --max-bytes, never read
        fh.truncate(50 * 1024 * 1024)
    return _inputs(shared_data, extra)


@pytest.fixture(scope="module")
def local(corpus: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    outputs = _run(corpus, tmp_path_factory.mktemp("local"))
    assert b'"members"' in outputs.groups  # the corpus has duplicate groups to compare
    assert outputs.quarantine  # and rejections
    return outputs


def test_local_cluster_of_processes_gives_the_local_bytes(corpus: list[Path], local: Outputs,
                                                          tmp_path: Path) -> None:
    engine = DaskEngine(workers=2)
    assert _run(corpus, tmp_path, engine) == local
    assert engine.submitted > 0 and engine.resumed == 0


def _near_copies(folder: Path, files: int = 12, rows: int = 40) -> Path:
    """JSONL files of lightly edited copies of a few stories, the copies of one story spread
    over every file (so each group's members come from many shards)."""
    folder.mkdir()
    stories = [" ".join(f"s{s}w{(k * 7 + s) % 53}" for k in range(90)) for s in range(5)]
    for f in range(files):
        with (folder / f"part-{f:02d}.jsonl").open("w", encoding="utf-8") as fh:
            for r in range(rows):
                n = f * rows + r
                words = stories[n % 5].split()
                for j in range(n % 4):  # 0 to 3 words changed
                    words[(j * 13 + n) % len(words)] = f"edit{n}x{j}"
                fh.write(orjson.dumps({"url": f"https://example.org/{n}", "title": f"Story {n}",
                                       "text": " ".join(words)}).decode() + "\n")
    return folder


def test_groups_over_many_shards_equal_the_reference_search(tmp_path: Path) -> None:
    corpus = [_near_copies(tmp_path / "corpus")]
    local = _run(corpus, tmp_path / "local")
    engine = DaskEngine(workers=2)
    assert _run(corpus, tmp_path / "dask", engine) == local
    assert engine.submitted == 12 and engine.parallelism >= 2
    records = [orjson.loads(line) for line in local.articles.splitlines()]
    groups = orjson.loads(local.groups)["groups"]
    assert groups == find_duplicates(records)  # the in-process search of every record
    assert len(groups) >= 5 and sum(len(g["members"]) for g in groups) > 200
    ranges = DaskEngine(workers=2)  # each file in byte ranges: three shards per file
    assert _run(corpus, tmp_path / "ranges", ranges, shard_bytes=8000) == local
    assert ranges.submitted == 3 * 12


def test_scheduler_and_two_worker_processes_give_the_local_bytes(corpus: list[Path], local: Outputs,
                                                                 cluster: Cluster, tmp_path: Path) -> None:
    assert _run(corpus, tmp_path, DaskEngine(scheduler=cluster.address)) == local


def _when_shards_done(staging: Path, count: int, action: object, timeout: float = 60) -> threading.Thread:
    """Run ``action()`` once ``count`` shards of ``staging`` are complete (in a thread)."""
    def watch() -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if staging.is_dir() and len(list(staging.glob("*.done"))) >= count:
                action()  # type: ignore[operator]
                return
            time.sleep(0.02)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


def test_a_worker_killed_mid_run_loses_and_doubles_nothing(corpus: list[Path], local: Outputs,
                                                           cluster: Cluster, tmp_path: Path) -> None:
    total = sum(1 for p in corpus for f in p.rglob("*") if f.is_file())
    seen: list[int] = []

    def kill() -> None:
        seen.append(len(list(staging_dir(tmp_path / "articles.jsonl").glob("*.done"))))
        cluster.workers[0].kill()

    watcher = _when_shards_done(staging_dir(tmp_path / "articles.jsonl"), 5, kill)
    assert _run(corpus, tmp_path, DaskEngine(scheduler=cluster.address)) == local
    watcher.join()
    assert seen and seen[0] < total  # the worker died before the run ended
    assert cluster.workers[0].poll() is not None


def test_a_task_the_cluster_gives_up_on_is_a_one_line_error(corpus: list[Path], tmp_path: Path) -> None:
    import dask
    import psutil
    from distributed import Client, LocalCluster

    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), \
            LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as lc, \
            Client(lc, set_as_default=False) as client:
        pid = next(iter(client.run(os.getpid).values()))
        staging = staging_dir(tmp_path / "articles.jsonl")
        watcher = _when_shards_done(staging, 3, lambda: psutil.Process(pid).kill())
        one_line = r"^[^\n]+: the Dask task failed \(KilledWorker: .*run again"
        with pytest.raises(NewscorpusError, match=one_line):
            convert_paths(corpus, tmp_path / "articles.jsonl", tmp_path / "q.jsonl",
                          engine=DaskEngine(scheduler=lc.scheduler_address))
        watcher.join()
    assert staging.is_dir() and not (tmp_path / "articles.jsonl").exists()


_DRIVER = """
import sys
from pathlib import Path
from newscorpus.convert.batch import convert_paths
from newscorpus.convert.dask_engine import DaskEngine, read_shard
from newscorpus.dedup import find_duplicates
if __name__ == "__main__":
    out = Path(sys.argv[1])
    convert_paths([Path(p) for p in sys.argv[2:]], out, out.with_name("quarantine.jsonl"),
                  engine=DaskEngine(workers=1))
"""


def test_a_driver_killed_mid_run_resumes_from_the_staged_shards(corpus: list[Path], local: Outputs,
                                                                tmp_path: Path) -> None:
    out = tmp_path / "articles.jsonl"
    driver = subprocess.Popen([sys.executable, "-c", _DRIVER, str(out), *map(str, corpus)], env=ENV,
                              start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    watcher = _when_shards_done(staging_dir(out), 10, lambda: os.killpg(driver.pid, signal.SIGKILL))
    watcher.join()
    driver.wait(timeout=30)
    assert driver.returncode == -signal.SIGKILL and not out.exists()
    done = len(list(staging_dir(out).glob("*.done")))
    assert done >= 10
    for marker in staging_dir(out).glob("*.done"):  # signatures stay with the shard's worker
        key = marker.name.removesuffix(".done")
        assert all((staging_dir(out) / f"{key}.{kind}.npy").is_file() for kind in ("sig", "band"))
        assert all(isinstance(o[1], int) for o in read_shard(staging_dir(out), key) if isinstance(o, tuple))
    engine = DaskEngine(workers=1)
    assert _run(corpus, tmp_path, engine) == local
    assert engine.resumed >= done and engine.submitted > 0


def test_engine_choice_errors_are_one_line() -> None:
    with pytest.raises(ConfigError, match=r"unknown engine 'spark' \(known engines: local, dask\)"):
        make_engine("spark")
    with pytest.raises(ConfigError, match="need --engine dask"):
        make_engine("local", scheduler="tcp://127.0.0.1:8786")


def test_an_unreachable_scheduler_is_one_line(tmp_path: Path) -> None:
    address = f"tcp://127.0.0.1:{free_port()}"  # nothing listens there
    (tmp_path / "a.txt").write_text("Title\n\nBody.\n")
    with pytest.raises(ConfigError, match=rf"^cannot reach the Dask scheduler at {address}: [^\n]+$"):
        convert_paths([tmp_path / "a.txt"], tmp_path / "out.jsonl", tmp_path / "q.jsonl",
                      engine=DaskEngine(scheduler=address, connect_timeout=2))


def test_the_cli_refuses_dask_options_without_the_dask_engine(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["convert", str(SAMPLE / "raw"), "-w", str(SAMPLE), "-o",
                                       str(tmp_path / "a.jsonl"), "--workers", "2"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == "Error: --scheduler and --workers need --engine dask"


def test_a_missing_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if the extra were not installed
    with pytest.raises(MissingDependencyError, match=r"pip install 'newscorpus\[dask\]'"):
        make_engine("dask")
