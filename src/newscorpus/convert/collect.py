"""Where a batch's records wait between their conversion and the output: on disk.

A worker writes each shard's records to ``<key>.rec`` in the staging folder as they are
converted (the output's own bytes, one JSONL line each) and their signatures beside them
(:class:`~newscorpus.convert.shardgroups.SignatureStage`); it returns the shard's rejections
and skips, and for each record a small :class:`Placed` (id, where its line and signature are,
what the feed + page join needs). The driver's :class:`Collector` keeps one such entry per
article, never the record: the memory of a conversion grows with its article count only by
an id and a few numbers. The output is then copied from the staged lines in id order, the
same bytes as writing the records themselves.

Records kept from a previous output (``--resume``) and records made by joining a feed item
and its page are staged by the driver the same way (``driver-kept.rec``, ``driver-joined.rec``);
their signatures are computed at the end, in id order (``kept-N`` signature sources).
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, NamedTuple

import orjson

from ..atomic import atomic_write
from ..dedup import signature
from ..ids import url_match_key
from ..records import dumps
from ..report import ConvertReport, Rejection, Skip
from .completion import FEED_FORMATS, PAGE_FORMATS, join_feed_pages
from .shardgroups import SignatureStage

RESTART = "\x00restart"
"""Yielded by a shard's outcome stream when its converter failed midway: what came before
is dropped (the rejection that follows replaces it)."""
_KEPT, _JOINED = "driver-kept", "driver-joined"
_SIGN_CHUNK = 4096  # kept and joined records signed per staged source
_OPEN_FILES = 64


class Placed(NamedTuple):
    """A staged record: its id, its line (``offset``, ``length``) in the shard's ``.rec`` file,
    its signature's row (-1: no words), its ``origin.path``, its kind for the feed + page join
    (``"feed"``, ``"page"`` or None), a 64-bit hash of its URL match key, and its
    ``text_sha256``."""

    id: str
    offset: int
    length: int
    row: int
    path: str | None
    kind: str | None
    key: int | None
    sha: str


def _kind(record: dict[str, Any]) -> str | None:
    fmt = (record.get("origin") or {}).get("format")
    return "feed" if fmt in FEED_FORMATS else "page" if fmt in PAGE_FORMATS else None


def _key(record: dict[str, Any]) -> int | None:
    url = record.get("url")
    if not url or _kind(record) is None:
        return None
    return int.from_bytes(hashlib.blake2b(url_match_key(url).encode(), digest_size=8).digest(), "big")


def _placed(record: dict[str, Any], offset: int, length: int, row: int) -> Placed:
    origin = record.get("origin") or {}
    return Placed(record["id"], offset, length, row, origin.get("path"), _kind(record), _key(record),
                  record["text_sha256"])


def previous_lines(output: Path) -> dict[tuple[Any, Any], list[tuple[int, int]]]:
    """Where the records of a previous ``output`` are, by (input path, input SHA-256):
    ``(offset, length)`` of each line. Empty when the file is missing or unreadable (every
    input is then converted again)."""
    index: dict[tuple[Any, Any], list[tuple[int, int]]] = {}
    if not output.is_file():
        return index
    try:
        with output.open("rb") as fh:
            at = 0
            for line in fh:
                if line.strip():
                    record = orjson.loads(line)
                    if not isinstance(record, dict):
                        return {}
                    origin = record.get("origin") or {}
                    index.setdefault((origin.get("path"), origin.get("sha256")), []).append((at, len(line)))
                at += len(line)
    except (OSError, ValueError, AttributeError):
        return {}
    return index


def records_path(staging: Path, key: str) -> Path:
    return staging / f"{key}.rec"


def stage_shard(outcomes: Iterable[Any], staging: Path, key: str) -> list[Any]:
    """Stage a shard's outcomes (``(record, signature)`` pairs, rejections, skips, and
    :data:`RESTART`) as the shard ``key`` of ``staging``; return them with each record
    replaced by its :class:`Placed`. Only the current record is held in memory."""
    staging.mkdir(parents=True, exist_ok=True)
    final = records_path(staging, key)
    tmp = final.with_name(f"{final.name}.{os.getpid()}.tmp")
    sigs = SignatureStage(staging, key)
    out: list[Any] = []
    with tmp.open("wb") as fh:
        for outcome in outcomes:
            if outcome is RESTART:
                fh.seek(0)
                fh.truncate()
                sigs.reset()
                out.clear()
            elif isinstance(outcome, tuple):
                record, sig = outcome
                line = dumps(record)
                out.append(_placed(record, fh.tell(), len(line), sigs.add(sig)))
                fh.write(line)
            else:
                out.append(outcome)
    sigs.close()
    tmp.replace(final)
    return out


class Collector:
    """The driver's view of a batch's articles: for each id, where its staged line and
    signature are (``entries``), never the record. First come, first kept (task order)."""

    def __init__(self, staging: Path) -> None:
        self.staging = staging
        self.sources: list[str] = []  # signature sources: the shards' keys (set by the batch), then kept-N
        # id -> [file, offset, length, signature source, row, origin path, kind, key, sha]
        self.entries: dict[str, list[Any]] = {}
        self.kept: set[str] = set()
        self.held: list[tuple[str, str, list[Any]]] = []  # (input name, id, entry)
        self._names: dict[str, str] = {}
        self._open: OrderedDict[int, IO[bytes]] = OrderedDict()
        self._writers: dict[int, IO[bytes]] = {}  # the driver's own files (read and written)

    def _file(self, file: int) -> Path:
        """The staged lines of shard ``file`` (``sources[file]``); -1 and -2: the driver's own."""
        key = _KEPT if file == -1 else _JOINED if file == -2 else self.sources[file]
        return records_path(self.staging, key)

    # --- staging lines --------------------------------------------------------------------

    def _append(self, file: int, record: dict[str, Any]) -> list[Any]:
        fh = self._writers.get(file)
        if fh is None:
            self.staging.mkdir(parents=True, exist_ok=True)
            fh = self._writers[file] = self._file(file).open("w+b")
        line = dumps(record)
        at = fh.seek(0, 2)
        fh.write(line)
        placed = _placed(record, at, len(line), -1)
        return self._entry(file, placed, None, None)

    def _entry(self, file: int, p: Placed, src: int | None, row: int | None) -> list[Any]:
        path = self._names.setdefault(p.path, p.path) if isinstance(p.path, str) else p.path
        return [file, p.offset, p.length, src, row, path, p.kind, p.key, p.sha]

    def _read(self, entry: list[Any]) -> bytes:
        file = entry[0]
        if file in self._writers:
            own = self._writers[file]
            own.seek(entry[1])
            return own.read(entry[2])
        fh = self._open.get(file)
        if fh is None:
            fh = self._open[file] = self._file(file).open("rb")
            if len(self._open) > _OPEN_FILES:
                self._open.popitem(last=False)[1].close()
        else:
            self._open.move_to_end(file)
        fh.seek(entry[1])
        return fh.read(entry[2])

    def load(self, entry: list[Any]) -> dict[str, Any]:
        record: dict[str, Any] = orjson.loads(self._read(entry))
        return record

    def close(self) -> None:
        for fh in [*self._writers.values(), *self._open.values()]:
            fh.close()
        self._writers.clear()
        self._open.clear()

    # --- placing outcomes -----------------------------------------------------------------

    def keep_previous(self, output: Path, lines: list[tuple[int, int]]) -> int | None:
        """Keep the records of a previous output at ``lines`` (offset, length) when all of them
        are valid articles; their count, or None (the input is converted again)."""
        from ..schema import DEFAULT_STORE

        with output.open("rb") as fh:
            def records() -> Iterator[dict[str, Any]]:
                for at, length in lines:
                    fh.seek(at)
                    yield orjson.loads(fh.read(length))

            if not lines or any(DEFAULT_STORE.problems(r, "article") for r in records()):
                return None
            for record in records():
                self.keep(record)
        return len(lines)

    def keep(self, record: dict[str, Any]) -> None:
        """A record kept unchanged from the previous output (counted as its input's skip)."""
        if record["id"] not in self.entries:
            self.entries[record["id"]] = self._append(-1, record)
            self.kept.add(record["id"])

    def place(self, shard: int, name: str, outcomes: list[Any], report: ConvertReport) -> None:
        """Place one shard's outcomes (in task order): rejections, skips, and records (a
        record whose id is taken is a duplicate, or held for the join when it is a feed
        item and the other a page)."""
        for outcome in outcomes:
            if isinstance(outcome, Rejection):
                report.rejections.append(outcome)
            elif isinstance(outcome, Skip):
                report.skips.append(outcome)
            else:
                entry = self._entry(shard, outcome, shard, outcome.row)
                first = self.entries.get(outcome.id)
                if first is not None and {first[6], outcome.kind} == {"feed", "page"}:
                    self.held.append((name, outcome.id, entry))  # a feed item and its page: joined below
                elif first is not None:
                    report.skips.append(Skip(name, f"duplicate of {first[5]} (same id {outcome.id})"))
                else:
                    self.entries[outcome.id] = entry
                    report.converted += 1

    def join(self, report: ConvertReport) -> None:
        """Make each feed item and the page of its story one article
        (:func:`~newscorpus.convert.completion.join_feed_pages`), loading only the records that
        can take part: feed items and pages whose URL keys meet, and those of held ids."""
        entries = self.entries
        if not self.held and not any(e[6] == "feed" for e in entries.values()):
            return
        keys: dict[str, set[Any]] = {"feed": set(), "page": set()}
        for e in [*entries.values(), *(h for _, _, h in self.held)]:
            if e[6] in keys and e[7] is not None:
                keys[e[6]].add(e[7])
        other = {"feed": keys["page"], "page": keys["feed"]}
        ids = {rid for rid, e in entries.items() if e[6] in other and e[7] in other[e[6]]}
        ids.update(rid for _, rid, _ in self.held if rid in entries)
        loaded = {rid: self.load(entries[rid]) for rid in sorted(ids)}
        base: dict[int, list[Any]] = {id(r): entries[rid] for rid, r in loaded.items()}
        held = []
        for name, _, h in self.held:
            record = self.load(h)
            base[id(record)] = h
            held.append((name, record, h[4]))
        before = set(loaded)
        located: dict[str, Any] = dict.fromkeys(loaded, True)
        skips, delta = join_feed_pages(loaded, held, located, frozenset(self.kept))
        report.skips.extend(skips)
        report.converted += delta
        for rid in before - set(loaded):
            del entries[rid]
        for rid, record in loaded.items():
            entry = base.get(id(record))
            entry = self._append(-2, record) if entry is None else list(entry)
            if rid not in located:  # its signature is made again, from the joined text
                entry[3] = entry[4] = None
            entries[rid] = entry
        self.held = []

    # --- the end --------------------------------------------------------------------------

    def sign_missing(self) -> None:
        """Stage the signatures of records without one (kept, joined), in id order."""
        missing = sorted(rid for rid, e in self.entries.items() if e[4] is None)
        for at in range(0, len(missing), _SIGN_CHUNK):
            key = f"kept-{at // _SIGN_CHUNK}"
            stage = SignatureStage(self.staging, key)
            for rid in missing[at:at + _SIGN_CHUNK]:
                entry = self.entries[rid]
                entry[3], entry[4] = len(self.sources), stage.add(signature(self.load(entry)["text"]))
            stage.close()
            self.sources.append(key)

    def ordered(self) -> list[str]:
        return sorted(self.entries)

    def keys(self, ids: list[str]) -> Iterator[tuple[str, str]]:
        """``(id, text_sha256)`` of ``ids``."""
        return ((rid, self.entries[rid][8]) for rid in ids)

    def where(self, rid: str) -> tuple[int, int]:
        entry = self.entries[rid]
        return entry[3], entry[4]

    def write(self, output: Path, ids: list[str]) -> int:
        """Write the records of ``ids`` (their staged lines, in that order) to ``output``."""
        with atomic_write(output) as fh:
            for rid in ids:
                fh.write(self._read(self.entries[rid]))
        return len(ids)
