"""`release verify` cannot be fooled by tampering that regenerates SHA256SUMS, and never lets
an exception escape whatever bytes it reads."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newscorpus.release.verify import verify_release
from newscorpus.release.writer import _write_checksums
from tests.conftest import REPO

RELEASE = REPO / "releases" / "0.2.0"


@pytest.fixture
def release(tmp_path: Path) -> Path:
    folder = tmp_path / "0.2.0"
    shutil.copytree(RELEASE, folder)
    return folder


def _messages(folder: Path) -> list[str]:
    report = verify_release(folder, reload=False)
    return [str(p) for p in report.problems]


def test_the_committed_copy_verifies(release: Path) -> None:
    assert _messages(release) == []


def _rewrite_labels(path: Path) -> None:
    table = pq.read_table(path)
    labels = table["label"]
    n = len(json.loads(table.schema.metadata[b"huggingface"])["info"]["features"]["label"]["names"])
    shifted = pa.array([(v + 1) % n for v in labels.to_pylist()], type=labels.type)
    assert shifted != labels
    table = table.set_column(table.schema.get_field_index("label"), "label", shifted)
    pq.write_table(table, path)


def test_rewritten_labels_with_regenerated_checksums_fail(release: Path) -> None:
    _rewrite_labels(release / "data/entities/train-00000-of-00001.parquet")
    _write_checksums(release)
    messages = _messages(release)
    assert any("manifest" in m and "entities/train" in m for m in messages), messages
    assert any("differs from the default config" in m for m in messages), messages


def test_rewritten_labels_with_a_rewritten_manifest_still_fail(release: Path) -> None:
    """Even when the manifest's own hashes are regenerated, the flat config disagrees with
    `default`."""
    from newscorpus.checksums import file_sha256

    rel = "data/entities/train-00000-of-00001.parquet"
    _rewrite_labels(release / rel)
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    for f in manifest["configs"]["entities"]["splits"]["train"]["files"]:
        f["sha256"], f["bytes"] = file_sha256(release / rel), (release / rel).stat().st_size
    (release / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    _write_checksums(release)
    messages = _messages(release)
    assert any("differs from the default config" in m for m in messages), messages


def test_croissant_licence_edit_with_regenerated_checksums_fails(release: Path) -> None:
    path = release / "croissant.json"
    croissant = json.loads(path.read_text(encoding="utf-8"))
    croissant["license"] = "https://spdx.org/licenses/CC0-1.0.html"
    path.write_text(json.dumps(croissant, indent=2), encoding="utf-8")
    _write_checksums(release)
    messages = _messages(release)
    assert any("croissant.json" in m and "licen" in m for m in messages), messages


@pytest.mark.parametrize("edit", ["includes", "reference"])
def test_croissant_fileset_swap_with_regenerated_checksums_fails(release: Path, edit: str) -> None:
    """Swapping two configs' FileSet lists (or which FileSet a record set reads) keeps every
    hash right but makes Croissant readers give one config's rows for another."""
    path = release / "croissant.json"
    croissant = json.loads(path.read_text(encoding="utf-8"))
    if edit == "includes":
        sets = {d["@id"]: d for d in croissant["distribution"] if d["@type"] == "cr:FileSet"}
        sets["entities-parquet"]["includes"], sets["quotes-parquet"]["includes"] = \
            sets["quotes-parquet"]["includes"], sets["entities-parquet"]["includes"]
    else:
        rs = next(r for r in croissant["recordSet"] if r["@id"] == "entities")
        for field in rs["field"]:
            if isinstance(field.get("source", {}).get("fileSet"), dict):
                field["source"]["fileSet"]["@id"] = "quotes-parquet"
    path.write_text(json.dumps(croissant, indent=2), encoding="utf-8")
    _write_checksums(release)
    messages = _messages(release)
    assert any("croissant.json" in m and "entities" in m for m in messages), messages


def test_card_licence_edit_with_regenerated_checksums_fails(release: Path) -> None:
    path = release / "README.md"
    path.write_text(path.read_text(encoding="utf-8").replace("license: cc-by-4.0", "license: mit", 1),
                    encoding="utf-8")
    _write_checksums(release)
    messages = _messages(release)
    assert any("README.md" in m and "licen" in m for m in messages), messages


def _positions(size: int) -> list[int]:
    """One byte of every position class: the first bytes (magic, headers), the middle, and the
    last bytes (Parquet footer length and magic, JSON closing brackets, trailing newline)."""
    picks = {0, 1, 4, size // 4, size // 2, 3 * size // 4, size - 12, size - 9, size - 8, size - 5,
             size - 2, size - 1}
    return sorted(p for p in picks if 0 <= p < size)


@pytest.mark.slow
def test_flipped_bytes_anywhere_never_raise(release: Path, tmp_path: Path) -> None:
    files = sorted(p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file())
    tried = 0
    for rel in files:
        data = (release / rel).read_bytes()
        for pos in _positions(len(data)):
            for rehash in (False, True):
                work = tmp_path / "work"
                shutil.rmtree(work, ignore_errors=True)
                shutil.copytree(release, work)
                flipped = bytearray(data)
                flipped[pos] ^= 0xFF
                (work / rel).write_bytes(bytes(flipped))
                if rehash and rel != "SHA256SUMS":
                    _write_checksums(work)
                report = verify_release(work, reload=False)  # must not raise
                tried += 1
                assert not report.valid, (rel, pos, rehash)
    assert tried > 400
