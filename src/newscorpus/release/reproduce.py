"""Rebuild a release in a scratch folder and compare its checksums with the original.

A release records what it was built with (the manifest's ``build``: tool and converter
versions). When the running versions differ, a rebuild cannot give the same bytes (pyarrow
writes its version into every Parquet footer, and the manifest records the versions), so
:func:`reproduce_release` says which versions it needs instead of rebuilding.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..checksums import file_sha256
from ..errors import ReleaseError
from ..workspace import Workspace
from .diff import read_manifest
from .environment import describe_needs, needed_versions
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
    needs = needed_versions(manifest.get("build"))
    if needs:
        raise ReleaseError(f"{folder} was built with other versions; to reproduce it, use "
                           f"{describe_needs(needs)}")
    with tempfile.TemporaryDirectory(prefix="newscorpus-reproduce-") as scratch:
        rebuilt = build_release(ws, manifest["version"], manifest["release_date"], Path(scratch),
                                use_cache=False, previous=previous_of(folder)).path
        before, after = read_checksums(Path(folder)), read_checksums(rebuilt)
    out = []
    for name in sorted(set(before) | set(after)):
        if before.get(name) != after.get(name):
            out.append(f"{name}: {before.get(name, 'missing')} != {after.get(name, 'missing')} (rebuilt)")
    return out


def why_not_reproduced(ws: Workspace, folder: Path) -> str:
    """What can explain a failed reproduction: workspace inputs that differ from the ones the
    manifest lists, or a release that recorded no tool versions."""
    manifest = read_manifest(Path(folder))
    changed = [rel for rel, sha in sorted((manifest.get("inputs") or {}).items())
               if not (ws.root / rel).is_file() or file_sha256(ws.root / rel) != sha]
    if changed:
        return ("these workspace inputs differ from the ones it was built from: "
                + ", ".join(changed))
    if "build" not in manifest:
        return (f"its manifest (schema {manifest['schema_version']}) records no tool versions, only "
                f"newscorpus {manifest['generator']['version']}: it was built by other newscorpus "
                "code, and only that code rebuilds it byte for byte")
    return "the inputs and recorded versions match: the newscorpus code differs within its version"
