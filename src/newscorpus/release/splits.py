"""Deterministic hash splits.

An article's split depends only on its key (article id or duplicate-group id), the salt and
the ratios, so it keeps its split when the corpus grows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

_SCALE = float(2**64)


def split_of(key: str, ratios: Sequence[tuple[str, float]], salt: str = "") -> str:
    """The split of ``key`` under ``ratios`` (``(name, fraction)`` in declared order)."""
    digest = hashlib.sha256(f"{salt}\x1f{key}".encode()).digest()
    point = int.from_bytes(digest[:8], "big") / _SCALE
    total = 0.0
    for name, fraction in ratios:
        total += fraction
        if point < total:
            return name
    return ratios[-1][0]
