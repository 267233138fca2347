"""Split assignment: hash (default), time-based and source-disjoint, stable across versions.

Rules, in order:

1. Duplicate groups (exact copies, near duplicates, re-published wire stories; written by
   ``convert`` to ``articles/<stem>.groups.json``) never straddle two splits: a group is
   assigned as a whole.
2. An article keeps the split it had in the previous release (read from that release's
   ``default`` config), so splits are stable when the corpus grows. A group takes the
   previous split of its first member (by id) that had one; a member that was elsewhere
   moves, and the release diff reports the move (a MAJOR change).
3. Otherwise the policy decides: ``hash`` hashes the article id (a group: its smallest
   member id) with the salt against the ratios; ``time`` compares the publication date (a
   group: its earliest) with the cut dates; ``source`` sends whole sources to one split
   (``assign``, else a hash of the source name; a group: the source of its first member).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..workspace import SplitPolicy
from .diff import read_manifest

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


def time_split(published_at: str | None, policy: SplitPolicy) -> str:
    """The split whose period holds the day of ``published_at`` (as written, its own offset)."""
    if not published_at:
        return policy.undated or policy.cuts[0][0]
    day = published_at[:10]
    chosen = policy.cuts[0][0]
    for name, start in policy.cuts[1:]:
        if start is not None and day >= start:
            chosen = name
    return chosen


def load_groups(articles_dir: Path) -> list[dict[str, Any]]:
    """Duplicate groups of every ``*.groups.json`` in the articles folder, sorted by first member."""
    groups: list[dict[str, Any]] = []
    for path in sorted(articles_dir.glob("*.groups.json")):
        groups.extend(json.loads(path.read_text(encoding="utf-8")).get("groups", []))
    return sorted(groups, key=lambda g: (g["members"][0], g["id"]))


class SplitAssigner:
    """Assigns each article a split (see the module docstring for the rules)."""

    def __init__(self, policy: SplitPolicy, groups: Iterable[dict[str, Any]] = (),
                 previous: Mapping[str, str] | None = None) -> None:
        self.policy = policy
        self.names = policy.names
        self.previous = {k: v for k, v in (previous or {}).items() if v in self.names}
        self.group_of: dict[str, dict[str, Any]] = {}
        for group in groups:
            for member in group["members"]:
                self.group_of.setdefault(member, group)
        self._group_split: dict[str, str] = {}
        self._group_info: dict[str, tuple[str | None, str | None]] = {}
        self._assign = dict(policy.assign)

    @property
    def needs_group_info(self) -> bool:
        """Whether :meth:`add_group_info` must see grouped articles before :meth:`split`."""
        return self.policy.strategy != "hash" and bool(self.group_of)

    def add_group_info(self, article_id: str, source: str | None, published_at: str | None) -> None:
        """Record a grouped article's source and date (its group's split depends on them)."""
        if article_id in self.group_of:
            self._group_info[article_id] = (source, published_at)

    def _policy_split(self, key: str, source: str | None, published_at: str | None) -> str:
        policy = self.policy
        if policy.strategy == "time":
            return time_split(published_at, policy)
        if policy.strategy == "source":
            name = source or ""
            return self._assign.get(name) or split_of(name, policy.ratios, policy.salt)
        return split_of(key, policy.ratios, policy.salt)

    def splits(self, ids: list[str], sources: list[str | None], dates: list[str | None]
               ) -> list[str]:
        """:meth:`split` of each article of a batch."""
        split = self.split
        return [split(i, s, d) for i, s, d in zip(ids, sources, dates, strict=True)]

    def split(self, article_id: str, source: str | None = None,
              published_at: str | None = None) -> str:
        group = self.group_of.get(article_id)
        if group is None:
            return self.previous.get(article_id) or self._policy_split(article_id, source,
                                                                       published_at)
        gid = group["id"]
        if gid not in self._group_split:
            self._group_split[gid] = self._split_group(group, article_id, source, published_at)
        return self._group_split[gid]

    def _split_group(self, group: dict[str, Any], article_id: str, source: str | None,
                     published_at: str | None) -> str:
        members = group["members"]
        for member in members:
            if member in self.previous:
                return self.previous[member]
        info = {m: self._group_info[m] for m in members if m in self._group_info}
        info.setdefault(article_id, (source, published_at))
        first = min(info)
        dates = sorted(d for _, d in info.values() if d)
        return self._policy_split(members[0], info[first][0], dates[0] if dates else None)


def previous_assignments(release: Path) -> dict[str, str]:
    """``{article id: split}`` of the ``default`` config of the release folder ``release``."""
    import pyarrow.parquet as pq

    manifest = read_manifest(release)
    out: dict[str, str] = {}
    for name, split in manifest["configs"]["default"]["splits"].items():
        for f in split["files"]:
            for article_id in pq.read_table(release / f["path"], columns=["id"]).column("id").to_pylist():
                out[article_id] = name
    return out
