"""A release built on the Dask engine has the local build's bytes: real Dask processes on
127.0.0.1 (a LocalCluster, and a scheduler plus two workers started as the README starts
them), no mocks. Compared: every file of the release folder. Also: the committed sample
release rebuilt on Dask, and a bad article in one file giving the local report.
"""

from __future__ import annotations

import re
import shlex
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from newscorpus.cli.main import cli
from newscorpus.convert.dask_engine import DaskEngine
from newscorpus.errors import InvalidRecordsError
from newscorpus.release import parquet, writer
from newscorpus.release.reproduce import previous_of
from newscorpus.release.verify import read_checksums, verify_release
from newscorpus.workspace import Workspace
from tests.conftest import REPO, copy_sample_workspace
from tests.integration.conftest import Cluster
from tests.unit.test_release import make_workspace

pytestmark = [pytest.mark.slow]
SHARD_ROWS = 4


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


@contextmanager
def _small_row_groups() -> Iterator[None]:
    """Row groups of 3 rows (the driver plans the cuts): several groups and shards a split."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(parquet, "ROW_GROUP_SIZE", 3)
        yield


def _build(ws: Workspace, out: Path, engine: DaskEngine | None = None) -> Path:
    with _small_row_groups():
        return writer.build_release(ws, "0.1.0", "2026-11-26", out, shard_rows=SHARD_ROWS,
                                    previous=None, use_cache=False, engine=engine).path


def _split_files(ws: Workspace, parts: int) -> None:
    """The articles in ``parts`` files (one engine task each)."""
    path = ws.articles_dir / "articles.jsonl"
    lines = path.read_bytes().splitlines(keepends=True)
    path.unlink()
    size = -(-len(lines) // parts)
    for i in range(parts):
        (ws.articles_dir / f"part-{i}.jsonl").write_bytes(b"".join(lines[i * size:(i + 1) * size]))


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = make_workspace(tmp_path_factory.mktemp("ws") / "ws", 30, varied=True)
    _split_files(ws, 3)
    return ws


@pytest.fixture(scope="module")
def local(ws: Workspace, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = _build(ws, tmp_path_factory.mktemp("local"))
    files = _files(folder)
    manifest = orjson.loads(files["manifest.json"])
    train = manifest["configs"]["default"]["splits"]["train"]["files"]
    assert len(train) > 1  # shards to plan, of several row groups
    assert len({f["rows"] for f in train}) >= 1 and {"entities", "quotes"} <= set(manifest["configs"])
    return files


def test_a_local_cluster_of_processes_builds_the_local_bytes(ws: Workspace, local: dict[str, bytes],
                                                             tmp_path: Path) -> None:
    folder = _build(ws, tmp_path, DaskEngine(workers=2))
    assert _files(folder) == local
    assert [p.name for p in tmp_path.iterdir()] == ["0.1.0"]  # staging removed
    assert verify_release(folder, reload=False).valid


def test_a_scheduler_and_two_worker_processes_build_the_local_bytes(
        ws: Workspace, local: dict[str, bytes], cluster: Cluster, tmp_path: Path) -> None:
    engine = DaskEngine(scheduler=cluster.address)
    assert _files(_build(ws, tmp_path / "a", engine)) == local
    # the workers keep what they loaded: a second build of other inputs is its own
    (ws.articles_dir / "part-2.jsonl").rename(tmp_path / "part-2.jsonl")
    try:
        fewer = _build(ws, tmp_path / "b", engine)
        expected = _build(ws, tmp_path / "c")
    finally:
        (tmp_path / "part-2.jsonl").rename(ws.articles_dir / "part-2.jsonl")
    assert _files(fewer) == _files(expected) != local


@pytest.mark.shared_data
def test_the_committed_sample_release_rebuilds_on_dask(tmp_path: Path) -> None:
    versions = sorted((p for p in (REPO / "releases").iterdir() if p.is_dir()),
                      key=lambda p: tuple(int(x) for x in p.name.split(".")))
    latest = versions[-1]
    manifest = orjson.loads((latest / "manifest.json").read_bytes())
    rebuilt = writer.build_release(Workspace.open(REPO), manifest["version"], manifest["release_date"],
                                   tmp_path, use_cache=False, previous=previous_of(latest),
                                   engine=DaskEngine(workers=2)).path
    assert read_checksums(rebuilt) == read_checksums(latest)


def _damage(ws: Workspace, root: Path) -> Workspace:
    """A copy of ``ws`` with bad articles in one file: a text hash that is not the text's (a
    columnar check) and a language that is not BCP 47 (a schema problem), in the second file."""
    shutil.copytree(ws.root, root)
    damaged = Workspace.open(root)
    path = damaged.articles_dir / "part-1.jsonl"
    records = [orjson.loads(line) for line in path.read_bytes().splitlines()]
    records[1]["text_sha256"] = "0" * 64
    records[3]["text_sha256"] = "f" * 64
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return damaged


def _problems(ws: Workspace, out: Path, engine: DaskEngine | None = None) -> tuple[str, dict[str, object]]:
    with pytest.raises(InvalidRecordsError) as info:
        _build(ws, out, engine)
    assert not out.exists() or not any(out.iterdir())  # no half release, no staging left
    return str(info.value), info.value.report.to_dict()


def test_a_bad_article_in_one_file_gives_the_local_report(ws: Workspace, tmp_path: Path) -> None:
    damaged = _damage(ws, tmp_path / "ws")
    local = _problems(damaged, tmp_path / "local")
    assert "2 article record(s) are invalid" in local[0]
    assert _problems(damaged, tmp_path / "dask", DaskEngine(workers=2)) == local
    lines = (damaged.articles_dir / "part-2.jsonl").read_bytes().splitlines()
    record = orjson.loads(lines[0])
    record["language"] = "not a language tag"
    lines[0] = orjson.dumps(record)
    (damaged.articles_dir / "part-2.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    local = _problems(damaged, tmp_path / "local2")
    assert "3 article record(s) are invalid" in local[0]
    assert _problems(damaged, tmp_path / "dask2", DaskEngine(workers=2)) == local


def test_the_cli_builds_on_dask(ws: Workspace, tmp_path: Path) -> None:
    shutil.copytree(ws.root, tmp_path / "ws")
    args = ["release", "build", "0.1.0", "-w", str(tmp_path / "ws"), "--date", "2026-11-26",
            "--first", "--no-cache"]
    for name, extra in (("local", []), ("dask", ["--engine", "dask", "--workers", "2"])):
        result = CliRunner().invoke(cli, [*args, "--out", str(tmp_path / name), *extra])
        assert result.exit_code == 0, result.output
    assert _files(tmp_path / "dask" / "0.1.0") == _files(tmp_path / "local" / "0.1.0")


def _readme_cluster_commands(address: str) -> list[list[str]]:
    """The ``newscorpus`` commands of the README's "Running on a cluster" section, in order,
    with its scheduler address replaced by ``address``."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Running on a cluster\n", 1)[1].split("\n## ", 1)[0]
    lines = [line for block in re.findall(r"```bash\n(.*?)\n```", section, re.S)
             for line in block.splitlines() if line.startswith("newscorpus ")]
    return [shlex.split(line.replace("tcp://SCHEDULER-HOST:8786", address), comments=True)[1:]
            for line in lines]


@pytest.mark.shared_data
def test_the_readme_cluster_commands_run_as_written(shared_data: Path, cluster: Cluster, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_sample_workspace(tmp_path / "ws")
    shutil.rmtree(root / "annotations")  # a fresh crawl: no annotations yet
    (root / "crawl").mkdir()
    for name in ("resiliparse/warcfile.warc.gz", "warcio/example.warc.gz"):
        shutil.copy(shared_data / "warc" / name, root / "crawl")
    monkeypatch.chdir(root)
    commands = _readme_cluster_commands(cluster.address)
    assert [c[:2] for c in commands if c[0] == "release"] == [["release", "build"], ["release", "verify"]]
    for args in commands:
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, (args, result.output)
    built = next((root / "releases").iterdir())
    local = writer.build_release(Workspace.open(root), built.name, orjson.loads(
        (built / "manifest.json").read_bytes())["release_date"], tmp_path / "local", previous=None).path
    assert _files(built) == _files(local)


def test_a_time_policy_with_groups_builds_the_local_bytes(tmp_path: Path) -> None:
    from tests.unit.test_release_splits import TIME

    ws = make_workspace(tmp_path / "ws", 12, config=TIME)  # near-identical dumps: groups
    _split_files(ws, 2)
    groups = orjson.loads((ws.articles_dir / "articles.groups.json").read_bytes())["groups"]
    assert groups and writer.SplitAssigner(ws.config.splits, groups).needs_group_info
    local = _files(_build(ws, tmp_path / "local"))
    assert _files(_build(ws, tmp_path / "dask", DaskEngine(workers=2))) == local


def test_a_stale_annotation_gives_the_local_report(ws: Workspace, tmp_path: Path) -> None:
    shutil.copytree(ws.root, tmp_path / "ws")
    stale = Workspace.open(tmp_path / "ws")
    path = stale.annotations_dir / "gold.jsonl"
    record = orjson.loads(path.read_bytes())
    record["text_sha256"] = "0" * 64
    path.write_bytes(orjson.dumps(record) + b"\n")
    local = _problems(stale, tmp_path / "local")
    assert "stale" in local[0]
    assert _problems(stale, tmp_path / "dask", DaskEngine(workers=2)) == local
