"""Wire-service and export JSON (``.json``): an array of records, an object listing them under
a usual key, or one record, through the same field mappings as JSON Lines and CSV
(:mod:`newscorpus.convert.tabular`). A top-level array over ``--max-bytes`` is read item by
item with ijson, and a cut-short or damaged array keeps its complete items."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from ..report import Rejection, Skip
from .base import Input, Outcome, TextProblem, json_problem
from .tabular import _TabularConverter, record_article

# Keys under which wire-service and export JSON documents list their records.
_LIST_KEYS = ("items", "articles", "stories", "data", "results", "records", "docs", "documents", "hits")


def _json_records(document: Any) -> list[Any] | None:
    """The records of a wire JSON document: a top-level array, an object holding one under a
    usual key (``items``, ``articles``, ``data``…, or one level down as in ``data.items``), or
    a single article object. None when the document is neither an object nor an array."""
    if isinstance(document, list):
        return document
    if not isinstance(document, dict):
        return None
    for key in _LIST_KEYS:
        value = document.get(key)
        if isinstance(value, list):
            return value
        if isinstance(value, dict):
            inner = next((value[k] for k in _LIST_KEYS if isinstance(value.get(k), list)), None)
            if inner is not None:
                return inner
    return [document]


class JsonConverter(_TabularConverter):
    """Wire-service and export JSON (``.json``): an array of records, or an object listing them
    under a usual key, or one record. JSON Feeds belong to the ``feed`` converter."""

    name = "json"
    extensions = (".json",)
    priority = 60  # after the feed converter, which claims JSON Feeds

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        return path.suffix.lower() == ".json"  # JSON Feeds were claimed before (priority)

    streams = True  # a top-level array over max_bytes is read element by element

    def convert(self, inp: Input) -> Iterator[Outcome]:
        if inp.is_blank():
            yield self.reject(inp, "empty file (no JSON)")
            return
        array = inp.head(4096).removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"["
        if inp.size > self.options.max_bytes:
            if not array:  # only an array can be read a piece at a time
                yield self.oversize_rejection(inp)
                return
            yield from self._stream(inp)
            return
        try:
            document = orjson.loads(inp.data.removeprefix(b"\xef\xbb\xbf"))
        except orjson.JSONDecodeError:
            problem = json_problem(inp.data)
            if array:  # a cut-short or damaged array: keep its complete items
                yield from self._stream(inp, problem)
            else:
                yield self.reject(inp, problem.reason, line=problem.line, offset=problem.offset)
            return
        records = _json_records(document)
        if records is None:
            yield self.reject(inp, f"a JSON {type(document).__name__}, not an object or an array of objects")
            return
        if not records:
            yield Skip(inp.name, "JSON document with no records")
            return
        total = len(records)
        for index, record in enumerate(records, 1):
            yield self._item(inp, record, f"item {index} of {total}")

    def _item(self, inp: Input, record: Any, rule: str) -> Outcome:
        if not isinstance(record, dict):
            return self.reject(inp, f"{rule}: a JSON {type(record).__name__}, not an object")
        result = record_article(record, self.mapping, {"path": inp.name, "sha256": inp.sha256,
                                                       "format": self.name},
                                self.name, self.options.language)
        if isinstance(result, str):
            return self.reject(inp, f"{rule}: {result}")
        result.provenance["origin"] = {"converter": self.name, "rule": rule}
        return result

    def _stream(self, inp: Input, problem: TextProblem | None = None) -> Iterator[Outcome]:
        """The items of a top-level array read one at a time with ijson (``item N``: the total
        is not known before the end); where the array is cut short or damaged, one rejection
        with the byte offset (``problem``, when the input was read whole, else the place
        where reading stopped) stands for the rest, after the complete items."""
        import ijson

        index = 0
        with inp.open() as raw:
            fh = _Counted(raw)
            try:
                for index, record in enumerate(ijson.items(fh, "item", use_float=True), 1):
                    yield self._item(inp, record, f"item {index}")
            except ijson.JSONError as exc:
                kept = f"; the {index} complete item(s) before it were kept"
                first = str(exc).strip().splitlines()[0]
                at = fh.count
                if "premature EOF" in first or "Incomplete JSON" in first:
                    yield self.reject(inp, f"not valid JSON: the array is cut short at byte {at} "
                                           f"(the end of the file){kept}", offset=at)
                elif problem is not None:
                    yield self.reject(inp, problem.reason + kept, line=problem.line, offset=problem.offset)
                else:
                    yield self.reject(inp, f"not valid JSON in the {_PIECE} bytes before byte {at}: "
                                           f"{first}{kept}", offset=at)
                return
        if index == 0:
            yield Skip(inp.name, "JSON document with no records")

    def oversize_rejection(self, inp: Input) -> Rejection:
        return Rejection(inp.name, f"file is {inp.size} bytes, over the {self.options.max_bytes}-byte "
                         "limit for a JSON object (an array is read item by item; raise it with "
                         "--max-bytes)", converter=self.name)


_PIECE = 1 << 16


class _Counted:
    """A binary stream that counts the bytes read from it (ijson reads 64 KiB pieces)."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        if size == 0:  # ijson's probe for bytes or text
            return b""
        data: bytes = self.raw.read(min(size, _PIECE) if size > 0 else _PIECE)
        self.count += len(data)
        return data
