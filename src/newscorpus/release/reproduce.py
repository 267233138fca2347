"""Rebuild a release in a scratch folder and compare its checksums with the original."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from ..workspace import Workspace
from .verify import read_checksums
from .writer import build_release


def reproduce_release(ws: Workspace, folder: Path) -> list[str]:
    """Differences between ``folder`` and a fresh build of the same version and date
    (empty when byte-identical)."""
    manifest = json.loads((Path(folder) / "manifest.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="newscorpus-reproduce-") as scratch:
        rebuilt = build_release(ws, manifest["version"], manifest["release_date"], Path(scratch),
                                use_cache=False).path
        before, after = read_checksums(Path(folder)), read_checksums(rebuilt)
    out = []
    for name in sorted(set(before) | set(after)):
        if before.get(name) != after.get(name):
            out.append(f"{name}: {before.get(name, 'missing')} != {after.get(name, 'missing')} (rebuilt)")
    return out
