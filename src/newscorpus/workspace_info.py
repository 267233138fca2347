"""A summary of a workspace's contents (for ``newscorpus info``)."""

from __future__ import annotations

from typing import Any

from .workspace import Workspace


def _count_lines(paths: list[Any]) -> int:
    total = 0
    for p in paths:
        with p.open("rb") as fh:
            total += sum(1 for line in fh if line.strip())
    return total


def workspace_summary(ws: Workspace) -> dict[str, Any]:
    raw = ws.path("raw")
    releases = sorted(p.name for p in ws.releases_dir.iterdir()
                      if p.is_dir() and not p.name.startswith(".")) if ws.releases_dir.is_dir() else []
    return {
        "name": ws.config.name,
        "root": str(ws.root),
        "raw_files": sum(1 for p in raw.rglob("*") if p.is_file()) if raw.is_dir() else 0,
        "articles": _count_lines(ws.article_files()),
        "annotations": _count_lines(ws.annotation_files()),
        "releases": releases,
    }
