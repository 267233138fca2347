"""An installed wheel works outside the repository: schemas, profiles and sample ship inside."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.mark.slow
def test_wheel_carries_schemas_profiles_and_sample(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path),
                    str(REPO)], check=True, capture_output=True)
    [wheel] = tmp_path.glob("newscorpus-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("newscorpus/schema/article/1.0.0.json", "newscorpus/schema/article/1.1.0.json",
                     "newscorpus/schema/annotation/1.0.0.json", "newscorpus/schema/manifest/1.0.0.json",
                     "newscorpus/profiles/generic.yaml", "newscorpus/profiles/trtworld.yaml",
                     "newscorpus/sample/newscorpus.yaml", "newscorpus/sample/annotations/gold.jsonl"):
        assert required in names
    assert sum(n.startswith("newscorpus/sample/raw/") for n in names) >= 20
    assert not any("__pycache__" in n for n in names)
