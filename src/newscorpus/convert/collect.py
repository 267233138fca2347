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
from array import array
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, NamedTuple

import numpy as np
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
    (``"feed"``, ``"page"`` or None), a 64-bit hash of its URL match key (None: no URL or
    kind), and its ``text_sha256`` as 32 bytes."""

    id: str
    offset: int
    length: int
    row: int
    path: str | None
    kind: str | None
    key: int | None
    sha: bytes


def _kind(record: dict[str, Any]) -> str | None:
    fmt = (record.get("origin") or {}).get("format")
    return "feed" if fmt in FEED_FORMATS else "page" if fmt in PAGE_FORMATS else None


def _key(record: dict[str, Any]) -> int | None:
    url = record.get("url")
    if not url or _kind(record) is None:
        return None
    key = int.from_bytes(hashlib.blake2b(url_match_key(url).encode(), digest_size=8).digest(), "big",
                         signed=True)
    return key or 1  # 0 stands for no key


def _placed(record: dict[str, Any], offset: int, length: int, row: int) -> Placed:
    origin = record.get("origin") or {}
    return Placed(record["id"], offset, length, row, origin.get("path"), _kind(record), _key(record),
                  _digest(record["text_sha256"]))


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


def previous_rejections(quarantine: Path) -> dict[str, list[Rejection]]:
    """The rejections of a previous quarantine file, by input path (what ``--resume`` keeps
    for the inputs it keeps). Empty when the file is missing or unreadable."""
    by_path: dict[str, list[Rejection]] = {}
    fields = set(Rejection.__dataclass_fields__)
    try:
        with quarantine.open("rb") as fh:
            for line in fh:
                if line.strip():
                    row = orjson.loads(line)
                    if not isinstance(row, dict) or not set(row) <= fields or "path" not in row:
                        return {}
                    by_path.setdefault(row["path"], []).append(Rejection(**row))
    except (OSError, ValueError, TypeError):
        return {}
    return by_path


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
    try:
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
    except BaseException:  # e.g. a NewscorpusError that ends the run: no scratch file left behind
        sigs.discard()
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(final)
    return out


def _digest(sha: str) -> bytes:
    """A ``text_sha256`` as its 32 bytes (any other string: a digest of it, equal for equal
    strings)."""
    try:
        if len(sha) == 64:
            return bytes.fromhex(sha)
    except ValueError:
        pass
    return hashlib.sha256(str(sha).encode()).digest()


_KINDS = {None: 0, "feed": 1, "page": 2}
_KIND_NAMES = (None, "feed", "page")
_SIGN = -2  # the row of a record whose signature is made at the end (kept, joined)


class Collector:
    """The driver's view of a batch's articles: for each id, where its staged line and
    signature are, never the record. First come, first kept (task order).

    Each staged line has a *slot*: a few numbers in typed arrays (its file, offset, length,
    signature source and row, origin path, join kind and URL key) and its 32-byte text hash,
    about 120 bytes an article with the id itself."""

    def __init__(self, staging: Path) -> None:
        self.staging = staging
        self.sources: list[str] = []  # signature sources: the shards' keys (set by the batch), then kept-N
        self.index: dict[str, int] = {}  # id -> slot
        self._file, self._offset, self._length = array("q"), array("q"), array("q")
        self._src, self._row, self._path, self._key = array("q"), array("q"), array("l"), array("q")
        self._kind = array("b")
        self._sha = bytearray()
        self.kept: set[str] = set()
        self.held: list[tuple[str, str, int]] = []  # (input name, id, slot)
        self._names: dict[str | None, int] = {}
        self._name_list: list[str | None] = []
        self._open: OrderedDict[int, IO[bytes]] = OrderedDict()
        self._writers: dict[int, IO[bytes]] = {}  # the driver's own files (read and written)

    def _records_file(self, file: int) -> Path:
        """The staged lines of shard ``file`` (``sources[file]``); -1 and -2: the driver's own."""
        key = _KEPT if file == -1 else _JOINED if file == -2 else self.sources[file]
        return records_path(self.staging, key)

    # --- slots ----------------------------------------------------------------------------

    def _slot(self, file: int, p: Placed, src: int, row: int) -> int:
        name = self._names.get(p.path)
        if name is None:
            name = self._names[p.path] = len(self._name_list)
            self._name_list.append(p.path)
        self._file.append(file)
        self._offset.append(p.offset)
        self._length.append(p.length)
        self._src.append(src)
        self._row.append(row)
        self._path.append(name)
        self._key.append(0 if p.key is None else p.key)
        self._kind.append(_KINDS[p.kind])
        self._sha += p.sha
        return len(self._file) - 1

    def _kind_of(self, slot: int) -> str | None:
        return _KIND_NAMES[self._kind[slot]]

    def _append(self, file: int, record: dict[str, Any]) -> int:
        fh = self._writers.get(file)
        if fh is None:
            self.staging.mkdir(parents=True, exist_ok=True)
            fh = self._writers[file] = self._records_file(file).open("w+b")
        line = dumps(record)
        at = fh.seek(0, 2)
        fh.write(line)
        return self._slot(file, _placed(record, at, len(line), -1), -1, _SIGN)

    def _read(self, slot: int) -> bytes:
        file, at, length = self._file[slot], self._offset[slot], self._length[slot]
        if file in self._writers:
            own = self._writers[file]
            own.seek(at)
            return own.read(length)
        fh = self._open.get(file)
        if fh is None:
            fh = self._open[file] = self._records_file(file).open("rb")
            if len(self._open) > _OPEN_FILES:
                self._open.popitem(last=False)[1].close()
        else:
            self._open.move_to_end(file)
        fh.seek(at)
        return fh.read(length)

    def load(self, slot: int) -> dict[str, Any]:
        record: dict[str, Any] = orjson.loads(self._read(slot))
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
        if record["id"] not in self.index:
            self.index[record["id"]] = self._append(-1, record)
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
                first = self.index.get(outcome.id)
                if first is None:
                    self.index[outcome.id] = self._slot(shard, outcome, shard, outcome.row)
                    report.converted += 1
                elif {self._kind_of(first), outcome.kind} == {"feed", "page"}:
                    # a feed item and its page: joined below
                    self.held.append((name, outcome.id, self._slot(shard, outcome, shard, outcome.row)))
                else:
                    path = self._name_list[self._path[first]]
                    report.skips.append(Skip(name, f"duplicate of {path} (same id {outcome.id})"))

    def join(self, report: ConvertReport) -> None:
        """Make each feed item and the page of its story one article
        (:func:`~newscorpus.convert.completion.join_feed_pages`), loading only the records that
        can take part: feed items and pages whose URL keys meet, and those of held ids."""
        index, kind, urlkey = self.index, self._kind, self._key
        if not self.held and not any(kind[s] == 1 for s in index.values()):
            return
        keys: tuple[set[int], set[int], set[int]] = (set(), set(), set())  # by kind: -, feed, page
        for s in [*index.values(), *(h for _, _, h in self.held)]:
            if kind[s] and urlkey[s]:
                keys[kind[s]].add(urlkey[s])
        other: tuple[set[int], ...] = (set(), keys[2], keys[1])
        ids = {rid for rid, s in index.items() if kind[s] and urlkey[s] in other[kind[s]]}
        ids.update(rid for _, rid, _ in self.held if rid in index)
        loaded = {rid: self.load(index[rid]) for rid in sorted(ids)}
        base: dict[int, int] = {id(r): index[rid] for rid, r in loaded.items()}
        held = []
        for name, _, slot in self.held:
            record = self.load(slot)
            base[id(record)] = slot
            held.append((name, record, self._row[slot]))
        before = set(loaded)
        located: dict[str, Any] = dict.fromkeys(loaded, True)
        skips, delta = join_feed_pages(loaded, held, located, frozenset(self.kept))
        report.skips.extend(skips)
        report.converted += delta
        for rid in before - set(loaded):
            del index[rid]
        for rid, record in loaded.items():
            was = base.get(id(record))
            if was is None:
                index[rid] = self._append(-2, record)
                continue
            if rid not in located:  # its signature is made again, from the joined text
                self._row[was] = _SIGN
            index[rid] = was
        self.held = []

    # --- the end --------------------------------------------------------------------------

    def sign_missing(self) -> None:
        """Stage the signatures of records without one (kept, joined), in id order."""
        missing = sorted(rid for rid, s in self.index.items() if self._row[s] == _SIGN)
        for at in range(0, len(missing), _SIGN_CHUNK):
            key = f"kept-{at // _SIGN_CHUNK}"
            stage = SignatureStage(self.staging, key)
            for rid in missing[at:at + _SIGN_CHUNK]:
                slot = self.index[rid]
                self._src[slot] = len(self.sources)
                self._row[slot] = stage.add(signature(self.load(slot)["text"]))
            stage.close()
            self.sources.append(key)

    def ordered(self) -> tuple[list[str], np.ndarray]:
        """The ids in order, and their slots."""
        ids = sorted(self.index)
        return ids, np.fromiter((self.index[rid] for rid in ids), dtype=np.int64, count=len(ids))

    def columns(self, slots: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The text hashes (``(n, 32)`` bytes), signature sources and rows of ``slots``."""
        sha = np.frombuffer(bytes(self._sha), dtype=np.uint8).reshape(-1, 32)[slots]
        return sha, np.asarray(self._src, dtype=np.int64)[slots], np.asarray(self._row, dtype=np.int64)[slots]

    def write(self, output: Path, slots: np.ndarray) -> int:
        """Write the records at ``slots`` (their staged lines, in that order) to ``output``."""
        with atomic_write(output) as fh:
            for slot in slots.tolist():
                fh.write(self._read(slot))
        return len(slots)
