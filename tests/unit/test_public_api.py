"""The public API, used the way a script uses it: top-level imports only (``import newscorpus``).

The CLI is a layer over the same functions: the records `newscorpus.convert` returns are the
bytes the `convert` command writes, and no library call changes process-wide state."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import newscorpus
from tests.conftest import copy_sample_workspace


def test_all_names_resolve_and_are_documented() -> None:
    for name in newscorpus.__all__:
        obj = getattr(newscorpus, name)
        if callable(obj) and not isinstance(obj, str) and name != "convert":
            assert (obj.__doc__ or "").strip(), f"newscorpus.{name} has no docstring"
    assert callable(newscorpus.convert)
    # the converters stay reachable as a package beside the function
    from newscorpus.convert.batch import convert_paths

    assert convert_paths.__module__ == "newscorpus.convert.batch"


def test_convert_gives_the_records_the_cli_writes(tmp_path: Path) -> None:
    from newscorpus.cli.main import cli

    ws_cli = copy_sample_workspace(tmp_path / "cli")
    result = CliRunner().invoke(cli, ["convert", "-w", str(ws_cli)])
    assert result.exit_code == 0, result.output
    cli_lines = (ws_cli / "articles" / "articles.jsonl").read_bytes().splitlines()

    ws = newscorpus.Workspace.open(copy_sample_workspace(tmp_path / "api"))
    in_memory = newscorpus.convert([ws.path("raw")], options=newscorpus.ConvertOptions(
        profile_dirs=ws.profile_dirs))
    assert in_memory.output is None
    records = list(in_memory.records())
    assert [json.dumps(r, sort_keys=True, ensure_ascii=False) for r in records] == [
        json.dumps(json.loads(line), sort_keys=True, ensure_ascii=False) for line in cli_lines]
    assert all(r["language"] for r in records)  # language identification ran, as in the CLI
    assert in_memory.report.summary() in result.output

    written = newscorpus.convert([], workspace=ws)
    assert written.output == ws.articles_dir / "articles.jsonl"
    assert written.output.read_bytes().splitlines() == cli_lines
    assert newscorpus.validate_workspace(ws).valid


def test_build_and_verify_leave_the_process_as_they_found_it(tmp_path: Path) -> None:
    ws = newscorpus.Workspace.open(copy_sample_workspace(tmp_path / "ws"))
    newscorpus.convert([], workspace=ws)
    env_before = dict(os.environ)
    built = newscorpus.build_release(ws, "0.1.0", newscorpus.BuildOptions(
        release_date="2026-12-01", first_release=True))
    assert built.manifest["version"] == "0.1.0"
    report = newscorpus.verify_release(built.path)
    assert report.valid, [str(p) for p in report.problems]
    assert dict(os.environ) == env_before
    import datasets.config
    import huggingface_hub.constants

    assert datasets.config.HF_HUB_OFFLINE == huggingface_hub.constants.HF_HUB_OFFLINE


def test_release_date_defaults_to_utc_today(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    ws = newscorpus.Workspace.open(copy_sample_workspace(tmp_path / "ws"))
    newscorpus.convert([], workspace=ws)
    built = newscorpus.build_release(ws, "0.1.0", newscorpus.BuildOptions(first_release=True))
    assert built.manifest["release_date"] == datetime.now(UTC).date().isoformat()


def test_records_round_trip_with_the_exported_types(tmp_path: Path) -> None:
    ws = newscorpus.Workspace.open(copy_sample_workspace(tmp_path / "ws"))
    record = next(newscorpus.convert([ws.path("raw")], options=newscorpus.ConvertOptions(
        profile_dirs=ws.profile_dirs)).records())
    article = newscorpus.Article.from_dict(record)
    assert all(isinstance(b, newscorpus.Block) for b in article.blocks)
    assert article.to_dict() == record
    assert newscorpus.validate([record]).valid


def test_a_bad_jsonl_line_is_a_library_error(tmp_path: Path) -> None:
    from newscorpus.records import read_jsonl

    path = tmp_path / "a.jsonl"
    path.write_text('{"id": 1}\n{"id": 2\n', encoding="utf-8")
    with pytest.raises(newscorpus.NewscorpusError, match=r"a.jsonl:2: not valid JSON"):
        list(read_jsonl(path))
    path.write_text('[1, 2]\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"a.jsonl:1: a record must be a JSON object"):
        list(read_jsonl(path))


def test_the_readme_library_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Library\n", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    assert "import newscorpus\n" in code and "from newscorpus." not in code
    monkeypatch.chdir(copy_sample_workspace(tmp_path / "ws"))
    exec(compile(code, "README.md#library", "exec"), {})  # noqa: S102 - our own documentation
    assert (tmp_path / "ws" / "releases" / "0.3.0" / "manifest.json").is_file()


def test_a_converter_called_directly_gives_the_cli_record(tmp_path: Path) -> None:
    from newscorpus.convert.base import Input
    from newscorpus.convert.pagedump import PageDumpConverter

    ws = newscorpus.Workspace.open(copy_sample_workspace(tmp_path / "ws"))
    options = newscorpus.ConvertOptions(profile_dirs=ws.profile_dirs)
    by_api = {r["origin"]["path"]: r for r in newscorpus.convert([ws.path("raw")], options=options).records()}
    path = sorted(ws.path("raw").rglob("*.txt"))[0]
    name = path.relative_to(ws.path("raw")).as_posix()
    [record] = PageDumpConverter(options).records(Input(path, name, path.read_bytes()))
    assert isinstance(record, dict) and record["language"]
    assert record == by_api[name]


def test_rejections_never_land_among_the_workspace_articles(tmp_path: Path) -> None:
    ws = newscorpus.Workspace.open(copy_sample_workspace(tmp_path / "ws"))
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "empty.txt").write_bytes(b"")
    result = newscorpus.convert([ws.path("raw"), tmp_path / "bad"], ws.articles_dir / "extra.jsonl",
                                workspace=ws)
    assert result.report.rejected >= 1
    assert result.quarantine == ws.path("quarantine") / "extra.jsonl"
    assert [p.name for p in ws.article_files()] == ["extra.jsonl"]
    elsewhere = newscorpus.convert([tmp_path / "bad", ws.path("raw")], tmp_path / "out" / "a.jsonl",
                                   workspace=ws)
    assert elsewhere.quarantine == tmp_path / "out" / "a.quarantine.jsonl"


def test_every_report_has_the_common_base() -> None:
    import importlib
    import inspect
    import pkgutil

    found = []
    for info in pkgutil.walk_packages(newscorpus.__path__, "newscorpus."):
        if info.name.startswith("newscorpus.cli") or info.name.endswith("dask_engine"):
            continue
        module = importlib.import_module(info.name)
        for name, obj in inspect.getmembers(module, inspect.isclass):
            if name.endswith("Report") and obj.__module__ == info.name and name != "Report":
                found.append(name)
                assert issubclass(obj, newscorpus.Report), name
                assert not inspect.isabstract(obj), name
    assert len(found) >= 9, found
