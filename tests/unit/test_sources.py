"""Issue 9: inputs as fsspec URLs (file://, fsspec's real in-memory filesystem, s3:// and gs://
without their packages)."""

from __future__ import annotations

import importlib.util
import uuid
from collections.abc import Iterator
from pathlib import Path

import fsspec
import orjson
import pytest
from click.testing import CliRunner

from newscorpus.cli.main import cli
from newscorpus.convert.batch import convert_paths, iter_inputs
from newscorpus.errors import MissingDependencyError
from newscorpus.records import read_jsonl
from tests.unit.test_warc_stream import page, response


def _rows(n: int) -> bytes:
    return b"".join(orjson.dumps({"headline": f"Ferry news {i}", "url": f"https://wire.example/f/{i}",
                                  "body": f"The ferry ran late on day {i}.\n\nPassengers waited."}) + b"\n"
                    for i in range(n))


@pytest.fixture
def memory_folder() -> Iterator[str]:
    fs = fsspec.filesystem("memory")
    root = f"/nc-{uuid.uuid4().hex}"
    fs.pipe({f"{root}/wire/day1.jsonl": _rows(3),
             f"{root}/crawl/c.warc": response("https://news.example/a", page(4)),
             f"{root}/.hidden": b"not an input"})
    yield f"memory://{root}"
    fs.rm(root, recursive=True)


def test_a_memory_folder_converts_like_a_local_one(memory_folder: str, tmp_path: Path) -> None:
    listed = [(str(p), name) for p, name in iter_inputs([memory_folder])]
    assert [name for _, name in listed] == ["crawl/c.warc", "wire/day1.jsonl"]
    assert listed[0][0] == f"{memory_folder}/crawl/c.warc"
    out = tmp_path / "a.jsonl"
    report = convert_paths([memory_folder], out, tmp_path / "q.jsonl", steps=())
    assert (report.inputs, report.converted, report.rejected) == (4, 4, 0), report.rejections
    paths = sorted({r["origin"]["path"] for _, r in read_jsonl(out)})
    assert paths == ["crawl/c.warc", "wire/day1.jsonl"]
    again = convert_paths([memory_folder], out, tmp_path / "q.jsonl", steps=(), resume=True)
    assert again.skipped == 2 and again.converted == 0  # unchanged remote inputs are kept


def test_a_memory_file_and_glob(memory_folder: str) -> None:
    [(path, name)] = iter_inputs([f"{memory_folder}/wire/day1.jsonl"])
    assert name == "day1.jsonl" and path.stat().st_size == len(_rows(3))
    assert [n for _, n in iter_inputs([f"{memory_folder}/*/*.warc"])] == ["c.warc"]
    with pytest.raises(FileNotFoundError, match="no such file, folder or matching glob"):
        list(iter_inputs([f"{memory_folder}/missing.jsonl"]))


def test_file_urls_are_local_paths(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "w.jsonl").write_bytes(_rows(2))
    assert list(iter_inputs([(tmp_path / "raw").as_uri()])) == list(iter_inputs([tmp_path / "raw"]))


@pytest.mark.parametrize(("url", "package", "extra"), [
    ("s3://corpus-bucket/cc-news/", "s3fs", "s3"), ("gs://corpus-bucket/cc-news/", "gcsfs", "gcs")])
def test_a_missing_filesystem_package_names_the_extra(tmp_path: Path, url: str, package: str,
                                                      extra: str) -> None:
    if importlib.util.find_spec(package) is not None:
        pytest.skip(f"{package} is installed here")
    with pytest.raises(MissingDependencyError, match=rf"needs the {package} package: pip install "
                                                     rf"'newscorpus\[{extra}\]'"):
        list(iter_inputs([url]))
    result = CliRunner().invoke(cli, ["convert", url, "-o", str(tmp_path / "a.jsonl")])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: {url}: reading {url.split(':')[0]}:// inputs needs the {package} package: "
        f"pip install 'newscorpus[{extra}]'"]


def test_the_cli_keeps_urls_as_urls(memory_folder: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["convert", f"{memory_folder}/wire", "-o", str(tmp_path / "a.jsonl")])
    assert result.exit_code == 0, result.output
    assert "inputs 3 = converted 3" in result.output


def test_a_remote_file_name_never_records_the_query_string() -> None:
    from newscorpus.convert.sources import recorded_name

    assert recorded_name("https://files.example/exports/news.jsonl?token=s3cr3t&x=1#top") == "news.jsonl"
    assert recorded_name("bucket/exports/news.jsonl") == "news.jsonl"


def test_a_remote_file_changed_in_place_is_a_new_shard(memory_folder: str) -> None:
    """A shard's key names its input's size and version (``fs.info``): a remote file
    rewritten with other bytes of the same size is never taken for its staged shard."""
    from newscorpus.convert.base import ConvertOptions
    from newscorpus.convert.batch import _shards

    url = f"{memory_folder}/wire/day1.jsonl"

    def keys() -> list[str]:
        [(path, name)] = iter_inputs([url])
        return [t.key for t in _shards(path, name, None, ConvertOptions(), (), 1 << 22)]

    first = keys()
    assert keys() == first  # unchanged: the same shard (a resumed run finds its staging)
    fs = fsspec.filesystem("memory")
    old = fs.cat(url)
    fs.pipe(url, old.replace(b"day 0", b"day 9"))
    assert len(fs.cat(url)) == len(old) and fs.cat(url) != old
    assert keys() != first
