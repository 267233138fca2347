"""Copyright-safe releases (no text) and `newscorpus hydrate`, which rebuilds the text from
the user's own raw inputs and verifies every text_sha256."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from newscorpus.cli.main import cli
from newscorpus.errors import HydrateError
from newscorpus.release import writer
from newscorpus.release.hydrate import hydrate
from newscorpus.release.verify import verify_release
from tests.unit.test_release import CONFIG, make_workspace

SAFE = CONFIG + "release: {text: false}\n"


def table(folder: Path, config: str) -> list[dict]:
    return sorted((r for f in sorted((folder / "data" / config).glob("*.parquet"))
                   for r in pq.read_table(f).to_pylist()),
                  key=lambda r: (r.get("id") or r["article_id"], r.get("index", 0)))


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(raw folder, copyright-safe release, the same release with text)."""
    full = make_workspace(tmp_path / "full", 8, varied=True)
    safe = make_workspace(tmp_path / "safe", 8, config=SAFE, varied=True)
    return (safe.root / "raw", writer.build_release(safe, "0.1.0", "2026-11-26").path,
            writer.build_release(full, "0.1.0", "2026-11-26").path)


def test_safe_release_has_no_text_but_verifies(pair: tuple[Path, Path, Path]) -> None:
    _, safe, _ = pair
    rows = table(safe, "default")
    assert all(r["text"] is None and r["title"] is None for r in rows)
    assert all(r["text_sha256"] and r["url"] is not None or r["url"] is None for r in rows)
    labelled = [r for r in rows if r["entities"]]
    assert labelled and all(e["text"] is None for r in labelled for e in r["entities"])
    assert all(r["text"] is None for r in table(safe, "entities"))
    assert json.loads((safe / "manifest.json").read_text())["text"] is False
    assert "Copyright-safe release" in (safe / "README.md").read_text()
    report = verify_release(safe)
    assert report.valid, [str(p) for p in report.problems]


def test_verify_catches_text_left_in_a_safe_release(pair: tuple[Path, Path, Path]) -> None:
    _, safe, full = pair
    for f in (full / "data" / "default").glob("*.parquet"):
        shutil.copy(f, safe / "data" / "default" / f.name)
    report = verify_release(safe, reload=False)
    assert any(p.message == "text in a copyright-safe release" for p in report.problems)


def test_hydrate_restores_exactly_the_text(pair: tuple[Path, Path, Path], tmp_path: Path) -> None:
    raw, safe, full = pair
    out = tmp_path / "hydrated"
    report = hydrate(safe, [raw], out)
    assert report.complete and report.hydrated == report.articles == 8
    for config in ("default", "entities", "quotes", "stances"):
        assert table(out, config) == table(full, config), config
    result = verify_release(out)
    assert result.valid, [str(p) for p in result.problems]


def test_hydrate_refuses_a_different_text(pair: tuple[Path, Path, Path], tmp_path: Path) -> None:
    raw, safe, _ = pair
    mine = tmp_path / "mine"
    shutil.copytree(raw, mine)
    dump = mine / "dump-03.txt"
    dump.write_text(dump.read_text().replace("report", "memo"))
    (mine / "dump-04.txt").unlink()
    with pytest.raises(HydrateError, match="1 article.s. missing .* 1 with a different text") as info:
        hydrate(safe, [mine], tmp_path / "out")
    assert not (tmp_path / "out").exists()
    report = info.value.report  # type: ignore[attr-defined]
    assert len(report.missing) == 1 and len(report.mismatched) == 1
    result = CliRunner().invoke(cli, ["hydrate", str(safe), str(mine), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert f"text_sha256 differs: {report.mismatched[0]}" in result.output
    assert f"missing: {report.missing[0]}" in result.output


def test_hydrate_cli(pair: tuple[Path, Path, Path], tmp_path: Path) -> None:
    raw, safe, full = pair
    result = CliRunner().invoke(cli, ["hydrate", str(safe), str(raw), "-o", str(tmp_path / "h")])
    assert result.exit_code == 0, result.output
    assert "hydrated 8 of 8 articles" in result.output
    again = CliRunner().invoke(cli, ["hydrate", str(full), str(raw), "-o", str(tmp_path / "x")])
    assert again.exit_code == 1 and "nothing to hydrate" in again.output


def test_allow_missing_writes_the_hydrated_subset_with_a_report(pair: tuple[Path, Path, Path],
                                                                tmp_path: Path) -> None:
    raw, safe, full = pair
    mine = tmp_path / "mine"
    shutil.copytree(raw, mine)
    (mine / "dump-00.txt").unlink()  # the labelled article: its rows leave every config
    (mine / "dump-04.txt").unlink()
    dump = mine / "dump-03.txt"
    dump.write_text(dump.read_text().replace("report", "memo"))
    out = tmp_path / "subset"
    report = hydrate(safe, [mine], out, allow_missing=True)
    assert (report.articles, report.hydrated) == (8, 5)
    doc = json.loads((out / "hydration.json").read_text())
    assert (doc["articles"], doc["hydrated"]) == (8, 5)
    reasons = {item["id"]: item["reason"] for item in doc["left_out"]}
    assert set(reasons) == set(report.missing) | set(report.mismatched) and len(reasons) == 3
    assert sum(r.startswith("not in the raw inputs") for r in reasons.values()) == 2
    assert sum(r.startswith("the converted text differs") for r in reasons.values()) == 1
    assert all("url" in item and item["source"] and item["split"] for item in doc["left_out"])
    kept = {r["id"] for r in table(full, "default")} - set(reasons)
    for config in ("default", "entities", "quotes", "stances"):
        if (out / "data" / config).is_dir():
            key = "id" if config == "default" else "article_id"
            assert table(out, config) == [r for r in table(full, config) if r[key] in kept], config
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"]["articles"] == 5 and manifest["text"] is True
    assert sum(s["articles"] for s in manifest["split_stats"].values()) == 5
    assert "Hydrated subset" in (out / "README.md").read_text()
    result = verify_release(out)
    assert result.valid, [str(p) for p in result.problems]
    cli_out = CliRunner().invoke(cli, ["hydrate", str(safe), str(mine), "-o", str(tmp_path / "c"),
                                       "--allow-missing"])
    assert cli_out.exit_code == 0, cli_out.output
    assert "hydrated 5 of 8 articles" in cli_out.stdout and "3 left out" in cli_out.stdout
    refused = CliRunner().invoke(cli, ["hydrate", str(safe), str(mine), "-o", str(tmp_path / "d")])
    assert refused.exit_code == 1 and "--allow-missing writes the rest" in refused.output
