"""Shared fixtures. Tests that need ../shared/data fail (never skip) when it is missing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("NEWSCORPUS_SHARED_DATA", REPO.parent / "shared" / "data"))
SAMPLE = REPO / "src" / "newscorpus" / "sample"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.fail(f"{SHARED_DATA} is missing: integration tests need ../shared/data "
                    "(or NEWSCORPUS_SHARED_DATA)")
    return SHARED_DATA


def copy_sample_workspace(dest: Path) -> Path:
    """A writable copy of the bundled sample workspace (config, raw, profiles, annotations)."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(SAMPLE / "newscorpus.yaml", dest / "newscorpus.yaml")
    for part in ("raw", "profiles", "annotations"):
        if (SAMPLE / part).is_dir():
            shutil.copytree(SAMPLE / part, dest / part)
    return dest
