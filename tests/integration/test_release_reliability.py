"""A release build killed with SIGKILL (no cleanup can run) leaves no release folder, and a
rerun succeeds, removes the abandoned temporary folder and gives the same bytes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from newscorpus.release import writer
from newscorpus.release.verify import verify_release
from tests.conftest import REPO
from tests.unit.test_release import make_workspace

STALL = """
import sys, time
from pathlib import Path
from newscorpus.release import writer
from newscorpus.workspace import Workspace

def stall(*args):  # the data files are written, the card not yet: wait here to be killed
    Path(sys.argv[2]).write_text("writing")
    time.sleep(600)

writer._write_packaging = stall
writer.build_release(Workspace.open(sys.argv[1]), "0.1.0", "2026-11-26")
"""


def test_kill_9_during_a_build_leaves_no_release(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws", 12, varied=True)
    signal_file = tmp_path / "writing"
    proc = subprocess.Popen([sys.executable, "-c", STALL, str(ws.root), str(signal_file)],
                            cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        deadline = time.monotonic() + 120
        while not signal_file.exists():
            assert proc.poll() is None, "the build ended before it was killed"
            assert time.monotonic() < deadline, "the build never started writing"
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not (ws.releases_dir / "0.1.0").exists()
    [abandoned] = list(ws.releases_dir.glob(".tmp-0.1.0-*"))  # the half-written build
    assert any(abandoned.rglob("*.parquet")) and not (abandoned / "SHA256SUMS").exists()
    path = writer.build_release(ws, "0.1.0", "2026-11-26").path  # the rerun succeeds
    assert verify_release(path).valid
    assert not abandoned.exists()
    elsewhere = writer.build_release(ws, "0.1.0", "2026-11-26", tmp_path / "other",
                                     previous=None).path
    assert (path / "SHA256SUMS").read_bytes() == (elsewhere / "SHA256SUMS").read_bytes()
