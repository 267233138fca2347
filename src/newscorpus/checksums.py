"""SHA-256 of files, read in chunks (inputs, released files, checksums)."""

from __future__ import annotations

import hashlib
from pathlib import Path

CHUNK = 1 << 22


def file_sha256(path: Path) -> str:
    """Lower-case hex SHA-256 of the bytes of ``path``."""
    h = hashlib.sha256()
    with (Path(path) if isinstance(path, str) else path).open("rb") as fh:  # or a RemotePath
        while chunk := fh.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()
