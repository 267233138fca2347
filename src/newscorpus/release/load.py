"""Load a release with `datasets`, the way a dataset consumer does, and summarize it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from .diff import read_manifest


def describe_release(folder: Path) -> dict[str, Any]:
    """Load every config of the release in ``folder`` with ``datasets.load_dataset`` (fresh
    cache, offline) and return its splits, row counts and label names."""
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import datasets

    datasets.disable_progress_bars()

    manifest = read_manifest(Path(folder))
    out: dict[str, Any] = {"name": manifest["name"], "version": manifest["version"],
                           "release_date": manifest["release_date"], "configs": {}}
    for config in manifest["configs"]:
        with tempfile.TemporaryDirectory(prefix="newscorpus-load-") as cache:
            loaded = datasets.load_dataset(str(folder), config, cache_dir=cache)
            first = next(iter(loaded.values()))
            out["configs"][config] = {
                "splits": {name: ds.num_rows for name, ds in loaded.items()},
                "class_labels": _class_labels(first.features),
            }
    return out


def _class_labels(features: Any, prefix: str = "") -> dict[str, list[str]]:
    from datasets import ClassLabel, List

    found: dict[str, list[str]] = {}
    for name, feature in features.items():
        path = f"{prefix}{name}"
        while isinstance(feature, List):
            feature = feature.feature
        if isinstance(feature, ClassLabel):
            found[path] = list(feature.names)
        elif isinstance(feature, dict):
            found.update(_class_labels(feature, path + "."))
    return found
