"""The Dask engine with fsspec inputs: a filesystem its worker processes share is read
there (the local engine's bytes); a file of the driver's memory is refused in one line."""

from __future__ import annotations

import uuid
from pathlib import Path

import fsspec
import pytest

from newscorpus.convert.batch import convert_paths, iter_inputs
from newscorpus.convert.engine import make_engine
from newscorpus.convert.sources import RemotePath
from newscorpus.errors import ConfigError
from tests.unit.test_sources import _rows
from tests.unit.test_warc_stream import page, response

pytestmark = [pytest.mark.slow]


def _outputs(url: str, out: Path, **kw: object) -> tuple[bytes, bytes, bytes, str]:
    report = convert_paths([url], out / "a.jsonl", out / "q.jsonl", steps=(), **kw)  # type: ignore[arg-type]
    return ((out / "a.jsonl").read_bytes(), (out / "a.groups.json").read_bytes(),
            (out / "q.jsonl").read_bytes(), report.summary())


def test_the_dask_engine_reads_fsspec_inputs_its_workers_share(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    (raw / "wire").mkdir(parents=True)
    (raw / "wire" / "day1.jsonl").write_bytes(_rows(4) + b"not json\n")
    (raw / "crawl").mkdir()
    (raw / "crawl" / "c.warc").write_bytes(response("https://news.example/a", page(4)))
    url = f"local://{raw.as_posix()}"  # fsspec's local filesystem: remote paths, shared with workers
    assert all(isinstance(p, RemotePath) for p, _ in iter_inputs([url]))
    local = _outputs(url, tmp_path / "local")
    dask = _outputs(url, tmp_path / "dask", engine=make_engine("dask", workers=1))
    assert dask == local
    assert local[3] == "inputs 6 = converted 5 + rejected 1 + skipped 0"


def test_the_dask_engine_refuses_a_memory_file_in_one_line(tmp_path: Path) -> None:
    fs = fsspec.filesystem("memory")
    root = f"/nc-{uuid.uuid4().hex}"
    fs.pipe({f"{root}/day1.jsonl": _rows(2)})
    try:
        with pytest.raises(ConfigError, match=r"memory:// file lives in this process only: the dask engine"):
            convert_paths([f"memory://{root}"], tmp_path / "a.jsonl", tmp_path / "q.jsonl",
                          engine=make_engine("dask", workers=1))
        assert not list(tmp_path.iterdir())
    finally:
        fs.rm(root, recursive=True)
