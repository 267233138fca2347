"""Load a release with `datasets`, the way a dataset consumer does, and summarize it."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .diff import read_manifest

_OFFLINE_ENV = ("HF_DATASETS_OFFLINE", "HF_HUB_OFFLINE")


@contextmanager
def hub_offline() -> Iterator[Any]:
    """Import ``datasets`` and run the block with the Hugging Face Hub switched off (a local
    release needs no network), then restore the process' previous settings: the environment,
    and the flags ``datasets`` and ``huggingface_hub`` read from it at import time. Yields the
    ``datasets`` module."""
    saved_env = {name: os.environ.get(name) for name in _OFFLINE_ENV}
    for name in _OFFLINE_ENV:
        os.environ[name] = "1"
    import datasets
    import datasets.config
    import huggingface_hub.constants

    flags = [(datasets.config, "HF_HUB_OFFLINE"), (datasets.config, "HF_DATASETS_OFFLINE"),
             (huggingface_hub.constants, "HF_HUB_OFFLINE")]
    saved_flags = [getattr(module, name) for module, name in flags]
    progress_bars = datasets.is_progress_bar_enabled()
    try:
        for module, name in flags:
            setattr(module, name, True)
        datasets.disable_progress_bars()
        yield datasets
    finally:
        for (module, name), value in zip(flags, saved_flags, strict=True):
            setattr(module, name, value)
        for name, old in saved_env.items():
            if old is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = old
        if progress_bars:
            datasets.enable_progress_bars()


def describe_release(folder: Path) -> dict[str, Any]:
    """Load every config of the release in ``folder`` with ``datasets.load_dataset`` (fresh
    cache, offline) and return its splits, row counts and label names."""
    manifest = read_manifest(Path(folder))
    out: dict[str, Any] = {"name": manifest["name"], "version": manifest["version"],
                           "release_date": manifest["release_date"], "configs": {}}
    with hub_offline() as datasets:
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
