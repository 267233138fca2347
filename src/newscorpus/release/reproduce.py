"""Rebuild a release in a scratch folder and compare its checksums with the original."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..errors import ReleaseError
from ..workspace import Workspace
from .diff import read_manifest
from .parquet import sha256_file
from .verify import read_checksums
from .writer import build_release


def previous_of(folder: Path) -> Path | None:
    """The release ``folder`` was built against: its sibling named in ``manifest.previous``
    (checked against the recorded SHA-256 of its SHA256SUMS)."""
    manifest = read_manifest(Path(folder))
    info = manifest.get("previous")
    if not info:
        return None
    prev = Path(folder).resolve().parent / info["version"]
    if not (prev / "SHA256SUMS").is_file():
        raise ReleaseError(f"{folder} was built against release {info['version']}, which is not "
                           f"beside it ({prev}): it is needed to reproduce the splits and changelog")
    if sha256_file(prev / "SHA256SUMS") != info["sha256sums"]:
        raise ReleaseError(f"{prev} is not the release {folder} was built against "
                           "(its SHA256SUMS differs)")
    return prev


def reproduce_release(ws: Workspace, folder: Path) -> list[str]:
    """Differences between ``folder`` and a fresh build of the same version and date
    (empty when byte-identical)."""
    manifest = read_manifest(Path(folder))
    with tempfile.TemporaryDirectory(prefix="newscorpus-reproduce-") as scratch:
        rebuilt = build_release(ws, manifest["version"], manifest["release_date"], Path(scratch),
                                use_cache=False, previous=previous_of(folder)).path
        before, after = read_checksums(Path(folder)), read_checksums(rebuilt)
    out = []
    for name in sorted(set(before) | set(after)):
        if before.get(name) != after.get(name):
            out.append(f"{name}: {before.get(name, 'missing')} != {after.get(name, 'missing')} (rebuilt)")
    return out
