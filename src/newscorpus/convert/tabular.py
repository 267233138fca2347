"""JSONL and CSV exports (and ``datasets.Dataset`` rows) through a declarative field mapping.

A mapping is a small YAML file: for each target field, the source column(s) or dotted JSON
path(s) to read (the first non-empty wins), an optional transform, or a constant value::

    name: my-export
    title_in_text: true          # false: the title is metadata only, text is the body alone
    csv: {delimiter: ";"}        # optional; otherwise sniffed from the header line
    fields:
      title: [title, headline]
      text: {from: [body, content], transform: paragraphs}
      authors: {from: byline, transform: split-authors}
      published_at: {from: meta.published, transform: date, formats: ["%d/%m/%Y"]}
      source: {value: Example News}

Targets: ``title``, ``subtitle``, ``text``, ``url``, ``source``, ``authors``,
``published_at``, ``modified_at``, ``section``, ``language``, ``keywords``, ``images``,
``content_kind`` and ``ref`` (the source's own record id, kept in ``provenance``).
Transforms are listed in :data:`TRANSFORMS`; each target has a sensible default. The
built-in mapping ``default`` knows the usual news-dataset columns; ``--mapping`` takes a
file or the name of a built-in mapping (``gum-wikinews``, ``newsmtsc``).

Each line (JSONL) or row (CSV) is one record; a bad one is a rejection with its line
number, never an exception.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

import orjson
import yaml

from ..dates import parse_date
from ..errors import ConfigError
from ..ids import article_id as make_id
from ..ids import canonical_url
from ..records import Article, Image
from ..report import Rejection, Skip
from .base import Converter, ConvertOptions, Input, Outcome, json_problem
from .blocks import Part, drop_repeated, html_blocks, text_paragraphs
from .bylines import Byline, parse_authors, parse_byline
from .fields import language_tag, single_line_text, unique_strings
from .nitf import norm_date

BUILTIN_MAPPINGS = ("default", "gum-wikinews", "newsmtsc")
TARGETS = ("title", "subtitle", "text", "url", "source", "authors", "published_at",
           "modified_at", "section", "language", "keywords", "images", "content_kind", "ref")
_CSV_DELIMITERS = ",;\t|"


# -------------------------------------------------------------------------- transforms

_GLOBAL_ID = re.compile(r"(?i)urn:[a-z0-9][a-z0-9-]{0,31}:\S+|tag:\S+|"
                        r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
"""A source record id that is unique across sources (URN, tag: URI, UUID)."""


def _scalar(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _t_text(value: Any, spec: FieldSpec) -> str | None:
    if isinstance(value, list):
        value = " ".join(s for s in map(_scalar, value) if s)
    return single_line_text(_scalar(value))


def _paragraph_list(value: Any, split: Callable[[str], list[Part]]) -> list[Part]:
    if isinstance(value, str):
        return split(value)
    if isinstance(value, list):
        out: list[Part] = []
        for item in value:
            if isinstance(item, dict):
                item = item.get("text")
            if isinstance(item, str):
                out.extend(split(item))
        return out
    return []


_MARKUP = re.compile(r"^\s*<(?:p|div|section|article|h[1-6]|ul|ol|blockquote|figure|span|br|table)\b",
                     re.IGNORECASE)


def _text_or_markup(text: str) -> list[Part]:
    """Paragraphs of plain text, or the blocks of an HTML fragment when the value is one
    (wire JSON bodies such as ``article_html``)."""
    return html_blocks(text) if _MARKUP.match(text) else text_paragraphs(text)


def _t_paragraphs(value: Any, spec: FieldSpec) -> list[Part]:
    return _paragraph_list(value, _text_or_markup)


def _t_lines(value: Any, spec: FieldSpec) -> list[Part]:
    return _paragraph_list(value, lambda s: text_paragraphs(re.sub(r"\n+", "\n\n", s)))


def _t_html(value: Any, spec: FieldSpec) -> list[Part]:
    return _paragraph_list(value, html_blocks)


def _t_authors(value: Any, spec: FieldSpec) -> Byline:
    """The people of an author field, and the agencies it names (credited as ``wire``)."""
    if isinstance(value, list):
        return parse_authors(value)
    if isinstance(value, dict):
        return parse_authors([value])
    return parse_byline(_scalar(value))


def _t_split(value: Any, spec: FieldSpec) -> list[str]:
    if isinstance(value, list):
        return unique_strings(value)
    text = _scalar(value)
    return unique_strings(text.split(spec.sep)) if text else []


def _t_date(value: Any, spec: FieldSpec) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value  # milliseconds since the epoch
        try:
            return datetime.fromtimestamp(seconds, UTC).isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    text = _scalar(value)
    if not text or not text.strip():
        return None
    if spec.formats:
        return parse_date(text, spec.formats)
    return norm_date(text)


def _t_url(value: Any, spec: FieldSpec) -> str | None:
    text = _scalar(value)
    if text and urlsplit(text.strip()).scheme in ("http", "https"):
        return text.strip()
    return None


def _t_host(value: Any, spec: FieldSpec) -> str | None:
    url = _t_url(value, spec)
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def _t_language(value: Any, spec: FieldSpec) -> str | None:
    return language_tag(_scalar(value))


def _t_images(value: Any, spec: FieldSpec) -> list[Image]:
    items = value if isinstance(value, list) else [value]
    out: list[Image] = []
    for item in items:
        url = item.get("url") if isinstance(item, dict) else item
        if _t_url(url, spec) and all(i.url != url for i in out):
            caption = single_line_text(item.get("caption")) if isinstance(item, dict) else None
            credit = single_line_text(item.get("credit")) if isinstance(item, dict) else None
            out.append(Image(url, caption, credit))
    return out


def _t_content_kind(value: Any, spec: FieldSpec) -> str | None:
    text = (_scalar(value) or "").strip().lower()
    return text if text in ("full", "summary") else None


Transform = Callable[[Any, "FieldSpec"], Any]
TRANSFORMS: dict[str, Transform] = {
    "text": _t_text,
    "paragraphs": _t_paragraphs,
    "join-paragraphs": _t_paragraphs,
    "lines": _t_lines,
    "html": _t_html,
    "split-authors": _t_authors,
    "split": _t_split,
    "date": _t_date,
    "url": _t_url,
    "host": _t_host,
    "language": _t_language,
    "images": _t_images,
    "content-kind": _t_content_kind,
}
"""Transform name → function ``(value, spec) -> field value``."""

DEFAULT_TRANSFORMS = {
    "title": "text", "subtitle": "text", "text": "paragraphs", "url": "url", "source": "text",
    "authors": "split-authors", "published_at": "date", "modified_at": "date",
    "section": "text", "language": "language", "keywords": "split", "images": "images",
    "content_kind": "content-kind", "ref": "text",
}


# ---------------------------------------------------------------------------- mapping


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """How one target field is read: source paths tried in order, or a constant value."""

    target: str
    paths: tuple[str, ...] = ()
    transform: str = "text"
    value: Any = None
    sep: str = ","
    formats: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FieldMapping:
    """A declarative mapping from source records (dicts) to article fields."""

    name: str
    fields: tuple[FieldSpec, ...]
    title_in_text: bool = True
    csv_delimiter: str | None = None

    @classmethod
    def from_dict(cls, data: Any, where: str) -> FieldMapping:
        if not isinstance(data, dict) or not isinstance(data.get("fields"), dict):
            raise ConfigError(f"{where}: a mapping needs a 'fields' table")
        specs = [_spec(target, raw, where) for target, raw in data["fields"].items()]
        if not any(s.target == "title" for s in specs) or not any(s.target == "text" for s in specs):
            raise ConfigError(f"{where}: a mapping needs at least 'title' and 'text' fields")
        delimiter = (data.get("csv") or {}).get("delimiter") if isinstance(data.get("csv"), dict) else None
        if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1):
            raise ConfigError(f"{where}: csv.delimiter must be one character")
        return cls(str(data.get("name") or Path(where).stem), tuple(specs),
                   bool(data.get("title_in_text", True)), delimiter)


def _spec(target: str, raw: Any, where: str) -> FieldSpec:
    if target not in TARGETS:
        raise ConfigError(f"{where}: unknown target field {target!r}; known: {', '.join(TARGETS)}")
    if isinstance(raw, str | list):
        raw = {"from": raw}
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: field {target!r} must be a column, a list of columns or a table")
    unknown = set(raw) - {"from", "transform", "value", "sep", "formats"}
    if unknown:
        raise ConfigError(f"{where}: field {target!r} has unknown keys {sorted(unknown)}")
    paths = raw.get("from", [])
    paths = [paths] if isinstance(paths, str) else paths
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
        raise ConfigError(f"{where}: field {target!r}: 'from' must be a column or a list of columns")
    if not paths and "value" not in raw:
        raise ConfigError(f"{where}: field {target!r} needs 'from' or 'value'")
    transform = raw.get("transform", DEFAULT_TRANSFORMS[target])
    if transform not in TRANSFORMS:
        raise ConfigError(f"{where}: field {target!r}: unknown transform {transform!r}; "
                          f"known: {', '.join(sorted(TRANSFORMS))}")
    formats = raw.get("formats", [])
    return FieldSpec(target, tuple(paths), transform, raw.get("value"), str(raw.get("sep", ",")),
                     tuple(formats) if isinstance(formats, list) else (str(formats),))


@cache
def _load_file(path: Path, mtime: float) -> FieldMapping:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read the mapping: {exc}") from exc
    return FieldMapping.from_dict(data, str(path))


def load_mapping(spec: Path | str | None = None) -> FieldMapping:
    """The mapping in file ``spec``, or the built-in mapping of that name (``None``: the
    built-in ``default``). Raises :class:`~newscorpus.errors.ConfigError` on a bad mapping."""
    name = str(spec) if spec is not None else "default"
    path = Path(name)
    if path.is_file():
        return _load_file(path.resolve(), path.stat().st_mtime)
    if name in BUILTIN_MAPPINGS:
        resource = files("newscorpus") / "mappings" / f"{name}.yaml"
        return FieldMapping.from_dict(yaml.safe_load(resource.read_text(encoding="utf-8")),
                                      f"built-in mapping {name}")
    raise ConfigError(f"mapping {name!r}: no such file and not a built-in mapping "
                      f"({', '.join(BUILTIN_MAPPINGS)})")


# --------------------------------------------------------------------------- records


_MISSING = object()


def lookup(record: Mapping[str, Any], path: str) -> Any:
    """The value at ``path`` in ``record``: an exact key first, else a dotted path through
    objects and lists (``meta.authors.0.name``; a leading ``$.`` is allowed)."""
    if path in record:
        return record[path]
    value: Any = record
    for part in path.removeprefix("$.").split("."):
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return _MISSING
    return value


def _empty(value: Any) -> bool:
    return value is None or value is _MISSING or value == "" or value == [] or value == {} or (
        isinstance(value, str) and not value.strip())


@dataclass(slots=True)
class _Row:
    values: dict[str, Any] = field(default_factory=dict)
    rules: dict[str, str] = field(default_factory=dict)


def _apply(mapping: FieldMapping, record: Mapping[str, Any]) -> _Row:
    row = _Row()
    for spec in mapping.fields:
        if spec.target in row.values:
            continue
        candidates = [(spec.value, "value")] if spec.value is not None else []
        candidates += [(lookup(record, p), p) for p in spec.paths]
        for raw, origin in candidates:
            if _empty(raw):
                continue
            value = TRANSFORMS[spec.transform](raw, spec)
            if not _empty(value):
                row.values[spec.target] = value
                rule = "constant" if origin == "value" else origin
                if spec.transform != DEFAULT_TRANSFORMS[spec.target]:
                    rule += f" ({spec.transform})"
                row.rules[spec.target] = f"mapping:{mapping.name}:{rule}"
                break
    return row


def record_article(record: Mapping[str, Any], mapping: FieldMapping, origin: dict[str, Any],
                   converter: str, language: str | None = None) -> Article | str:
    """One source record as an :class:`Article` through ``mapping``, or why it cannot be one."""
    row = _apply(mapping, record)
    v = row.values
    title = v.get("title")
    if not title:
        return f"no title (mapping {mapping.name!r} reads it from {_sources(mapping, 'title')})"
    body: list[Part] = v.get("text") or []
    if mapping.title_in_text:  # a body that starts with the title again: keep the title once
        body = drop_repeated(body, title)
    if not body:
        return f"no text (mapping {mapping.name!r} reads it from {_sources(mapping, 'text')})"
    subtitle = v.get("subtitle")
    if subtitle:
        body = drop_repeated(body, subtitle)
    parts: list[Part] = [("title", title)] if mapping.title_in_text else []
    if subtitle and mapping.title_in_text:
        parts.append(("dek", subtitle))
    parts += body
    text, blocks = Article.build_text(parts)
    url = canonical_url(v["url"]) if v.get("url") else None
    source = v.get("source")
    rules = dict(row.rules)
    if not source:
        host = urlsplit(url).hostname if url else None
        source = host.removeprefix("www.") if host else "unknown"
        rules["source"] = "url host" if host else "none"
    ref = v.get("ref")
    # a source id is an id across sources only when it says so (a URN, a UUID, a tag: URI);
    # a row number or a local key ("17") would make different exports' rows collide
    guid = str(ref) if ref and _GLOBAL_ID.match(str(ref).strip()) else None
    article_id, id_rule = make_id(url, guid, source=source, title=title, date=v.get("published_at"))
    rules["id"] = id_rule.split(" ", 1)[0] + (f" (ref {ref})" if ref else "")
    rules.pop("ref", None)
    if language:
        rules["language"] = "option"
    byline: Byline = v.get("authors") or Byline()
    if not byline.authors:
        rules.pop("authors", None)
    provenance = {k: {"converter": converter, "rule": r} for k, r in sorted(rules.items())}
    return Article(
        id=article_id, source=source, title=title, text=text, blocks=blocks, origin=origin,
        url=url, subtitle=subtitle if mapping.title_in_text else None,
        authors=byline.authors, credits=byline.credits(),
        published_at=v.get("published_at"),
        modified_at=v.get("modified_at"), section=v.get("section"),
        language=language or v.get("language"), provenance=provenance,
        images=v.get("images", []), content_kind=v.get("content_kind"),
        keywords=v.get("keywords", []),
    )


def _sources(mapping: FieldMapping, target: str) -> str:
    paths = [p for s in mapping.fields if s.target == target for p in s.paths]
    return ", ".join(paths) or "a constant"


def convert_records(records: Iterable[Mapping[str, Any]], mapping: FieldMapping | Path | str | None = None,
                    name: str = "dataset", converter: str = "dataset",
                    options: ConvertOptions | None = None) -> Iterator[Outcome]:
    """Outcomes for in-memory records — e.g. a ``datasets.Dataset`` (iterating gives one dict
    per row) — with the same mapping as files. ``origin.line`` is the 1-based row number and
    ``origin.sha256`` the hash of the row (canonical JSON); ``name`` stands for the path."""
    options = options or ConvertOptions()
    if not isinstance(mapping, FieldMapping):
        mapping = load_mapping(mapping if mapping is not None else options.mapping)
    for row, record in enumerate(records, 1):
        if not isinstance(record, Mapping):
            yield Rejection(name, f"row {row} is a {type(record).__name__}, not a record",
                            line=row, converter=converter)
            continue
        digest = hashlib.sha256(orjson.dumps(dict(record), default=str,
                                             option=orjson.OPT_SORT_KEYS)).hexdigest()
        origin = {"path": name, "sha256": digest, "format": converter, "line": row}
        result = record_article(record, mapping, origin, converter, options.language)
        yield Rejection(name, f"row {row}: {result}", line=row, converter=converter) \
            if isinstance(result, str) else result


def convert_dataset(dataset: Iterable[Mapping[str, Any]], mapping: FieldMapping | Path | str | None = None,
                    name: str = "dataset", options: ConvertOptions | None = None) -> Iterator[Outcome]:
    """Outcomes for the rows of a ``datasets.Dataset`` (or any iterable of dicts)."""
    return convert_records(dataset, mapping, name, "dataset", options)


# -------------------------------------------------------------------------- converters


class _TabularConverter(Converter):
    def __init__(self, options: ConvertOptions | None = None) -> None:
        super().__init__(options)
        self.mapping = load_mapping(self.options.mapping)

    def _origin(self, inp: Input, line: int) -> dict[str, Any]:
        return {"path": inp.name, "sha256": inp.sha256, "format": self.name, "line": line}

    def _record(self, inp: Input, record: Mapping[str, Any], line: int) -> Outcome:
        result = record_article(record, self.mapping, self._origin(inp, line), self.name,
                                self.options.language)
        return self.reject(inp, result, line=line) if isinstance(result, str) else result


class JsonlConverter(_TabularConverter):
    """JSON Lines exports: one JSON object per line, one record per line."""

    name = "jsonl"
    extensions = (".jsonl", ".ndjson")
    streams = True  # read line by line: max_bytes limits one line

    def convert(self, inp: Input) -> Iterator[Outcome]:
        if inp.is_blank():
            yield self.reject(inp, "empty file (no lines)")
            return
        with inp.open() as fh:
            yield from self._lines(inp, fh)

    def _lines(self, inp: Input, fh: BinaryIO) -> Iterator[Outcome]:
        limit = self.options.max_bytes
        number = 0
        while raw := fh.readline(limit + 1):
            number += 1
            if len(raw) > limit and not raw.endswith(b"\n"):
                size = len(raw)
                while (more := fh.readline(1 << 20)) and not more.endswith(b"\n"):
                    size += len(more)  # the rest of the line is read past, never kept
                yield self.reject(inp, f"line of {size} bytes is over the {limit}-byte limit for one "
                                       "record (raise it with --max-bytes)", line=number)
                continue
            if not raw.strip():
                continue
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            try:
                record = orjson.loads(raw)
            except orjson.JSONDecodeError:
                problem = json_problem(raw)  # offsets within the line
                yield self.reject(inp, problem.reason.replace(" (line 1, ", " ("), line=number)
                continue
            if not isinstance(record, dict):
                yield self.reject(inp, f"a JSON {type(record).__name__}, not an object", line=number)
                continue
            yield self._record(inp, record, number)


class CsvConverter(_TabularConverter):
    """CSV/TSV exports with a header row: one record per row."""

    name = "csv"
    extensions = (".csv", ".tsv")

    def _delimiter(self, inp: Input, header: str) -> str:
        if self.mapping.csv_delimiter:
            return self.mapping.csv_delimiter
        if inp.name.lower().endswith(".tsv"):
            return "\t"
        unquoted = re.sub(r'"[^"]*"', "", header)
        return max(_CSV_DELIMITERS, key=unquoted.count)

    streams = True  # read row by row: max_bytes limits one field

    def convert(self, inp: Input) -> Iterator[Outcome]:
        if inp.is_blank():
            yield self.reject(inp, "empty file (no header)")
            return
        head = inp.head(1 << 16).decode("utf-8-sig", errors="surrogateescape")
        # one field may hold a whole article: allow fields up to the record size limit
        csv.field_size_limit(max(csv.field_size_limit(), self.options.max_bytes))
        with inp.open() as fh:
            text = io.TextIOWrapper(fh, encoding="utf-8-sig", errors="surrogateescape", newline="")
            yield from self._rows(inp, csv.reader(text, strict=True,
                                                  delimiter=self._delimiter(inp, head.split("\n", 1)[0])))

    def _rows(self, inp: Input, reader: Any) -> Iterator[Outcome]:
        try:
            header = next(reader)
        except csv.Error as exc:
            yield self.reject(inp, f"unreadable CSV header: {exc}", line=1)
            return
        names = [h.strip() for h in header]
        rows = 0
        start = reader.line_num + 1
        while True:
            try:
                values = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:  # the reader resumes at the next line
                yield self.reject(inp, f"malformed CSV row: {exc}", line=start)
                start = reader.line_num + 1
                continue
            line, start = start, reader.line_num + 1
            if not any(v.strip() for v in values):
                continue
            rows += 1
            if any(_has_surrogates(v) for v in values):
                yield self.reject(inp, "invalid UTF-8 in this row", line=line)
            elif any("\x00" in v for v in values):
                yield self.reject(inp, "NUL byte in this row (binary data, not text)", line=line)
            elif len(values) > len(names):
                yield self.reject(inp, f"row has {len(values)} fields, the header has {len(names)}",
                                  line=line)
            else:
                yield self._record(inp, dict(zip(names, values, strict=False)), line)
        if rows == 0:
            yield Skip(inp.name, "CSV file with a header and no rows")


_UNDECODABLE = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8 (surrogateescape)


def _has_surrogates(value: str) -> bool:
    return _UNDECODABLE.search(value) is not None


def __getattr__(name: str) -> Any:
    """``JsonConverter`` moved to :mod:`newscorpus.convert.wirejson`; this import path stays."""
    if name == "JsonConverter":
        from .wirejson import JsonConverter

        return JsonConverter
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
