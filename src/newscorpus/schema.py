"""Load record schemas by kind and version, validate records into reports, migrate them.

Schemas live in one place, the ``schema/`` folder of the package (``schema/<kind>/<semver>.json``,
JSON Schema 2020-12); the repository's top-level ``schema/`` points at it, and the wheel ships
it. Validation uses a compiled validator (fastjsonschema) for the verdict and the reference
implementation (jsonschema) to explain failures, so a valid record costs one compiled call
and an invalid one gets exact JSON pointers. The compiled validator is jsonschema-rs (Rust;
measured against fastjsonschema and jsonschema in ``bench/run.py``). Verdicts are identical
(a differential test checks it); the schemas keep to keywords both implement the same way,
and end every pattern with ``(?!\n)$`` so that ECMA-262's / Rust's ``$`` (jsonschema-rs) and
Python's ``$`` (jsonschema, which also matches before a final newline) agree. jsonschema-rs
gets each pattern with that ending written as a plain ``$`` (:func:`rust_patterns`): the same
language there (its ``$`` is the end of the text), and its plain regex engine instead of the
backtracking one a look-ahead needs (a quarter of its time on an article).

Bulk validation (article files) first tries a typed decoder compiled from the same schema
(:func:`typed_decoder`, msgspec structs): it checks a JSONL line while decoding it, without
building a dict, and skips decoding the large fields named in ``raw_fields`` (kept as raw
JSON, checked to be non-empty strings). It is sound, not complete: it only uses keywords
whose meaning it reproduces exactly, and is stricter where in doubt (integers must be JSON
integers within int64; strings with ``\\u`` escapes in a raw field are not taken), so a line
it accepts is valid, and a line it refuses goes to jsonschema-rs and jsonschema as before
(the differential test checks both directions on every mutant).

An invalid record is explained by jsonschema walking only to the locations jsonschema-rs
finds errors at (:meth:`CompiledSchema.reference_errors`): the same problems, pointers,
messages and order as jsonschema over the whole record (the differential test checks it on
every mutant), at a fraction of its cost.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from functools import cached_property
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, Literal

import jsonschema
import jsonschema_rs
import msgspec

from .errors import MigrationError, SchemaNotFoundError
from .migrations import register_builtin
from .records import annotation_span_problems, article_text_problems
from .report import Problem, ValidationReport

KINDS = ("article", "annotation", "manifest")

Migration = Callable[[dict[str, Any]], dict[str, Any]]


def _semver_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


def json_pointer(path: Iterable[str | int]) -> str:
    """RFC 6901 pointer for ``path`` (``~`` and ``/`` in keys escaped)."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def record_kind(record: dict[str, Any]) -> str:
    """Guess a record's kind from its fields."""
    if "article_id" in record:
        return "annotation"
    if "configs" in record and "split_policy" in record:
        return "manifest"
    return "article"


_PYTHON_END = "(?!\n)$"  # a pattern's end of text, written so that Python's re agrees
_VALUES = {"const", "enum", "default", "examples"}  # keywords whose values are data, not schemas


def rust_patterns(schema: Any) -> Any:
    """A copy of ``schema`` whose patterns end in a plain ``$`` where they end in
    ``(?!\\n)$`` (for jsonschema-rs, whose ``$`` matches only at the end of the text: the same
    strings match)."""
    if isinstance(schema, list):
        return [rust_patterns(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: value if key in _VALUES else rust_patterns(value) for key, value in schema.items()}
    pattern = schema.get("pattern")
    if isinstance(pattern, str) and pattern.endswith(_PYTHON_END):
        out["pattern"] = pattern[:-len(_PYTHON_END)] + "$"  # (an escaped "(" there: no regex)
    return out


# A pattern the columnar check runs with pyarrow (RE2) matches the same strings there as in
# jsonschema (Python's re) and jsonschema-rs: anchors, groups, alternatives, quantifiers, ASCII
# literals and classes of ASCII ranges, escaped punctuation; no ".", no "\\d"-like classes
# (Unicode-aware in re), no look-around, no flags. Checked after :func:`rust_patterns`.
_PORTABLE_PATTERN = re.compile(r"(?:[A-Za-z0-9 ^$()|?*+{},:_\-\[\]=/#@%&<>;~]|\\[-.+*?()\[\]{}|^$\\/])*")


def column_patterns(schema: dict[str, Any]) -> dict[tuple[str, ...], str]:
    """``{path: pattern}`` of the string fields reached from the top through ``properties``
    only (a lone local ``$ref`` is followed; not inside arrays), whose pattern is portable to
    RE2 as written for jsonschema-rs (:func:`rust_patterns`). The path's last part is the
    field; the ones before it, the objects holding it."""
    out: dict[tuple[str, ...], str] = {}

    def walk(node: Any, path: tuple[str, ...], depth: int) -> None:
        node = _resolved(node, schema)
        if not isinstance(node, dict) or depth > 8:
            return
        for key, sub in (node.get("properties") or {}).items():
            sub = _resolved(sub, schema)
            if not isinstance(sub, dict):
                continue
            types = sub.get("type")
            types = {types} if isinstance(types, str) else set(types or ())
            pattern = rust_patterns({"pattern": sub.get("pattern")})["pattern"]
            if (isinstance(pattern, str) and types and types <= {"string", "null"}
                    and _PORTABLE_PATTERN.fullmatch(pattern) and "(?" not in pattern):
                out[(*path, key)] = pattern
            elif types == {"object"}:
                walk(sub, (*path, key), depth + 1)

    walk(schema, (), 0)
    return out


def _resolved(node: Any, root: dict[str, Any]) -> Any:
    """``node`` with a lone local ``$ref`` (and its keywords beside it) merged in."""
    for _hop in range(32):
        if not isinstance(node, dict) or "$ref" not in node or not str(node["$ref"]).startswith("#/"):
            return node
        target: Any = root
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _without_patterns(schema: dict[str, Any], paths: Iterable[tuple[str, ...]]) -> dict[str, Any]:
    """A copy of ``schema`` with no pattern at ``paths`` (each object on the way, and the
    field, written out in place of its ``$ref`` so that other uses of a definition keep it)."""
    out = json.loads(json.dumps(schema))
    for path in paths:
        node = out
        for key in path:
            node["properties"][key] = _resolved(node["properties"][key], out)
            node = node["properties"][key]
        node.pop("pattern", None)
    return out


class CompiledSchema:
    """One schema version, compiled once."""

    def __init__(self, kind: str, version: str, schema: dict[str, Any]) -> None:
        self.kind = kind
        self.version = version
        self.schema = schema
        self._fast = jsonschema_rs.validator_for(rust_patterns(schema), validate_formats=False)
        self.is_valid: Callable[[Any], bool] = self._fast.is_valid

    @cached_property
    def typed(self) -> msgspec.json.Decoder[Any] | None:
        """A typed decoder that accepts only valid records (None when the schema uses a
        keyword :func:`typed_decoder` does not reproduce), with ``text`` kept raw."""
        try:
            return typed_decoder(self.schema, raw_fields=TYPED_RAW_FIELDS.get(self.kind, ()))
        except TypedUnsupported:
            return None

    @cached_property
    def column_patterns(self) -> dict[tuple[str, ...], str]:
        """Patterns a columnar check can test instead of the typed decoder (see
        :func:`column_patterns`)."""
        return column_patterns(self.schema)

    @cached_property
    def typed_without_column_patterns(self) -> msgspec.json.Decoder[Any] | None:
        """:attr:`typed` without the patterns of :attr:`column_patterns`: what it accepts is
        valid once those fields match them (a columnar check must test them: about a third
        of the decoder's time is Python's ``re`` on those strings)."""
        if not self.column_patterns:
            return self.typed
        try:
            return typed_decoder(_without_patterns(self.schema, self.column_patterns),
                                 raw_fields=TYPED_RAW_FIELDS.get(self.kind, ()))
        except TypedUnsupported:
            return None

    def typed_valid(self, data: bytes, start: int = 0, end: int | None = None,
                    escapes: bool = True, column_patterns: bool = False) -> bool:
        """Whether the typed decoder accepts the JSON text ``data[start:end]`` (False: it
        does not know; ask :meth:`problems`). Text with a ``\\u`` escape is left to the
        full path (raw fields are not decoded, so their escapes would go unchecked);
        ``escapes=False`` says the caller knows there is none. ``column_patterns=True``
        leaves the patterns of :attr:`column_patterns` to the caller's columnar check."""
        decoder = self.typed_without_column_patterns if column_patterns else self.typed
        end = len(data) if end is None else end
        if decoder is None or (escapes and data.find(b"\\u", start, end) >= 0):
            return False
        try:
            record = decoder.decode(memoryview(data)[start:end] if start or end < len(data) else data)
        except (msgspec.ValidationError, msgspec.DecodeError):
            return False
        return raw_fields_ok(record)

    @cached_property
    def _reference(self) -> jsonschema.protocols.Validator:
        return jsonschema.Draft202012Validator(self.schema)

    def reference_errors(self, record: Any) -> list[jsonschema.ValidationError]:
        """jsonschema's errors of ``record`` sorted by path, as
        ``sorted(Draft202012Validator(schema).iter_errors(record), key=path)`` gives them,
        but jsonschema only walks to the locations where jsonschema-rs finds an error (the
        differential test checks that both find the same locations). At an object or array
        whose schema uses only plain keywords, the errors at its own path come from those
        keywords (checked with every property or item schema replaced by ``true``) and
        the others from the members that hold an error; anywhere else the whole subtree is
        explained."""
        where: dict[Any, Any] = {}
        for error in self._fast.iter_errors(record):
            node = where
            for part in error.instance_path:
                node = node.setdefault(part, {})
            node[_HERE] = True
        errors = self._explain(record, self.schema, (), where)
        return sorted(errors, key=lambda e: list(e.path))

    def _explain(self, instance: Any, schema: Any, prefix: tuple[Any, ...], where: dict[Any, Any]
                 ) -> list[jsonschema.ValidationError]:
        plain = self._plain(schema)
        members: dict[Any, Any] = {}
        if plain is not None and isinstance(instance, dict) and "properties" in plain[1]:
            members = plain[1]["properties"]
        elif plain is not None and isinstance(instance, list) and "items" in plain[1]:
            members = dict.fromkeys(range(len(instance)), plain[1]["items"])
        else:
            plain = None
        bad = [k for k in where if k is not _HERE]
        if plain is None or not all(k in members for k in bad):
            return self._at(self._reference.descend(instance, schema), prefix)
        errors = self._at(self._reference.descend(instance, plain[0]), prefix)
        if _HERE in where and not errors:  # jsonschema-rs sees more here: explain it all
            return self._at(self._reference.descend(instance, schema), prefix)
        for key in bad:
            if key in instance if isinstance(instance, dict) else True:
                errors += self._explain(instance[key], members[key], (*prefix, key), where[key])
        return errors

    @staticmethod
    def _at(errors: Iterable[jsonschema.ValidationError], prefix: tuple[Any, ...]
            ) -> list[jsonschema.ValidationError]:
        out = list(errors)
        for error in out:
            error.path.extendleft(reversed(prefix))
        return out

    def _plain(self, schema: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """``(schema with its members' schemas replaced by true, the schema)`` for an
        object or array schema of plain keywords (a lone local ``$ref`` is followed); else None."""
        if not isinstance(schema, dict):
            return None
        key = id(schema)
        if key not in self._plain_cache:
            self._plain_cache[key] = (schema, _plain_schema(schema, self.schema))
        return self._plain_cache[key][1]

    @cached_property
    def _plain_cache(self) -> dict[int, tuple[Any, Any]]:
        return {}

    def problems(self, record: Any, location: str | None = None) -> list[Problem]:
        """Schema problems of ``record`` (empty when valid)."""
        if self.is_valid(record):
            return []
        rid = record.get("id") if isinstance(record, dict) else None
        return [
            Problem(
                rid if isinstance(rid, str) else None,
                json_pointer(e.absolute_path),
                e.message if len(e.message) < 300 else e.message[:297] + "...",
                "schema",
                location,
            )
            for e in self.reference_errors(record)
        ] or [Problem(rid, "", "invalid (no detail from the reference validator)", "schema", location)]


_HERE = object()  # in the tree of error locations: an error at this node itself
_NOTES = {"$schema", "$id", "title", "description", "$comment", "$defs", "examples", "default"}
_PLAIN_OBJECT = _NOTES | {"type", "required", "properties", "additionalProperties"}
_PLAIN_ARRAY = _NOTES | {"type", "items", "minItems", "maxItems"}


def _plain_schema(schema: dict[str, Any], root: dict[str, Any]
                  ) -> tuple[dict[str, Any], dict[str, Any]] | None:
    for _hop in range(32):  # a lone local $ref is followed (a cycle of them is left alone)
        if set(schema) - _NOTES != {"$ref"}:
            break
        if not schema["$ref"].startswith("#/"):
            return None
        target: Any = root
        for part in schema["$ref"][2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            target = target.get(part) if isinstance(target, dict) else None
        if not isinstance(target, dict):
            return None
        schema = target
    else:
        return None
    if (set(schema) <= _PLAIN_OBJECT and isinstance(schema.get("properties"), dict)
            and isinstance(schema.get("additionalProperties", True), bool)):
        own = {k: v for k, v in schema.items() if k not in _NOTES}  # no $id: no new scope
        return {**own, "properties": dict.fromkeys(schema["properties"], True)}, schema
    if set(schema) <= _PLAIN_ARRAY and isinstance(schema.get("items"), dict):
        return {**{k: v for k, v in schema.items() if k not in _NOTES}, "items": True}, schema
    return None


# --- typed decoding (a sound fast path for bulk validation) ------------------------------------

TYPED_RAW_FIELDS = {"article": ("text",)}  # top-level string fields not decoded by the typed path
_INT64 = (-(2**63), 2**63 - 1)
_RAW_STRING = {"type": "string", "minLength": 1}
_IGNORED = {"description", "title", "$comment", "examples", "$schema", "$id", "$defs", "default"}


class TypedUnsupported(ValueError):
    """The schema uses a keyword the typed decoder does not reproduce exactly."""


def typed_decoder(schema: dict[str, Any], raw_fields: Iterable[str] = ()) -> msgspec.json.Decoder[Any]:
    """A msgspec decoder whose type accepts a subset of what ``schema`` accepts (raises
    :class:`TypedUnsupported` for keywords outside: type/properties/required/
    additionalProperties/items/minItems/maxItems/minLength/maxLength/pattern/minimum/maximum/
    enum and const of strings, local ``$ref``). Top-level ``raw_fields`` (plain non-empty
    strings) are kept as :class:`msgspec.Raw`; check them with :func:`raw_fields_ok`."""
    raw = set(raw_fields)
    counter = iter(range(1, 1 << 30))

    def resolve(s: dict[str, Any]) -> dict[str, Any]:
        s = _resolved(s, schema)
        if "$ref" in s:
            raise TypedUnsupported(f"$ref {s['$ref']!r}")
        return s

    def only(s: dict[str, Any], allowed: set[str], where: str) -> None:
        extra = set(s) - _IGNORED - allowed
        if extra:
            raise TypedUnsupported(f"{where or '/'}: {', '.join(sorted(extra))}")

    def convert(s: dict[str, Any], where: str) -> Any:
        s = resolve(s)
        if "const" in s or "enum" in s:
            only(s, {"const", "enum", "type"}, where)
            values = [s["const"]] if "const" in s else list(s["enum"])
            strings = all(isinstance(v, str) for v in values)
            if not values or not strings or s.get("type", "string") != "string":
                raise TypedUnsupported(f"{where}: non-string enum")
            return Literal[tuple(values)]
        types = s.get("type")
        if types is None:
            raise TypedUnsupported(f"{where}: no type")
        types = [types] if isinstance(types, str) else list(types)
        rest = [t for t in types if t != "null"]
        if len(rest) != 1:
            raise TypedUnsupported(f"{where}: type {types}")
        out = _convert_one(rest[0], s, where)
        return out | None if "null" in types else out

    def _convert_one(kind: str, s: dict[str, Any], where: str) -> Any:
        if kind == "string":
            only(s, {"type", "minLength", "maxLength", "pattern"}, where)
            meta = {k: s[j] for k, j in (("min_length", "minLength"), ("max_length", "maxLength"),
                                          ("pattern", "pattern")) if j in s}
            return Annotated[str, msgspec.Meta(**meta)] if meta else str
        if kind == "integer":
            only(s, {"type", "minimum", "maximum"}, where)
            low = max(s.get("minimum", _INT64[0]), _INT64[0])
            high = min(s.get("maximum", _INT64[1]), _INT64[1])
            if not (isinstance(low, int) and isinstance(high, int)):
                raise TypedUnsupported(f"{where}: non-integer bound")
            return Annotated[int, msgspec.Meta(ge=low, le=high)]
        if kind == "array":
            only(s, {"type", "items", "minItems", "maxItems"}, where)
            if not isinstance(s.get("items"), dict):
                raise TypedUnsupported(f"{where}: items")
            item = convert(s["items"], f"{where}/items")
            meta = {k: s[j] for k, j in (("min_length", "minItems"), ("max_length", "maxItems")) if j in s}
            return Annotated[list[item], msgspec.Meta(**meta)] if meta else list[item]  # type: ignore[valid-type]
        if kind == "object":
            only(s, {"type", "properties", "required", "additionalProperties"}, where)
            props: dict[str, Any] = s.get("properties", {})
            extra = s.get("additionalProperties", True)
            required = set(s.get("required", ()))
            if isinstance(extra, dict):
                if props or required:
                    raise TypedUnsupported(f"{where}: properties with additionalProperties")
                return dict[str, convert(extra, f"{where}/*")]  # type: ignore[misc]
            if not isinstance(extra, bool) or required - set(props):
                raise TypedUnsupported(f"{where}: required keys without properties")
            fields: list[Any] = []
            for i, (key, sub) in enumerate(props.items()):
                if where == "" and key in raw:
                    if {k: v for k, v in resolve(sub).items() if k not in _IGNORED} != _RAW_STRING:
                        raise TypedUnsupported(f"/{key}: a raw field must be a plain non-empty string")
                    typ: Any = msgspec.Raw
                else:
                    typ = convert(sub, f"{where}/{key}")
                fields.append((f"f{i}", typ) if key in required
                              else (f"f{i}", typ | msgspec.UnsetType, msgspec.UNSET))
            struct = msgspec.defstruct(
                f"Typed{next(counter)}", fields, kw_only=True, forbid_unknown_fields=not extra,
                rename={f"f{i}": key for i, key in enumerate(props)})
            if where == "":
                raw_names = tuple(f"f{i}" for i, key in enumerate(props) if key in raw)
                struct.__raw_fields__ = raw_names  # type: ignore[attr-defined]
            return struct
        raise TypedUnsupported(f"{where}: type {kind!r}")

    top = convert(schema, "")
    if not isinstance(top, type):
        raise TypedUnsupported("the top level must be an object")
    return msgspec.json.Decoder(top)


def raw_fields_ok(record: Any) -> bool:
    """Whether the raw fields of a typed record are non-empty JSON strings."""
    for name in getattr(record, "__raw_fields__", ()):
        value = getattr(record, name)
        if value is msgspec.UNSET:
            continue
        raw = memoryview(value)
        if len(raw) < 3 or raw[0] != 0x22:  # '"': a string, and not ""
            return False
    return True


class SchemaStore:
    """Schemas and migrations under one root folder."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(str(files("newscorpus") / "schema")) if root is None else Path(root)
        self._compiled: dict[tuple[str, str], CompiledSchema] = {}
        self._versions: dict[str, list[str]] = {}
        self._migrations: dict[tuple[str, str, str], Migration] = {}
        register_builtin(self)

    def versions(self, kind: str) -> list[str]:
        if kind not in self._versions:
            folder = self.root / kind
            if kind not in KINDS or not folder.is_dir():
                raise SchemaNotFoundError(f"unknown record kind {kind!r}; known kinds: {', '.join(KINDS)}")
            self._versions[kind] = sorted((p.stem for p in folder.glob("*.json")), key=_semver_key)
        return self._versions[kind]

    def latest(self, kind: str) -> str:
        return self.versions(kind)[-1]

    def path(self, kind: str, version: str) -> Path:
        p = self.root / kind / f"{version}.json"
        if not p.is_file():
            known = ", ".join(self.versions(kind))
            raise SchemaNotFoundError(f"no {kind} schema {version!r} (known: {known})")
        return p

    def load(self, kind: str, version: str) -> dict[str, Any]:
        return self.compiled(kind, version).schema

    def compiled(self, kind: str, version: str) -> CompiledSchema:
        key = (kind, version)
        if key not in self._compiled:
            schema = json.loads(self.path(kind, version).read_text(encoding="utf-8"))
            self._compiled[key] = CompiledSchema(kind, version, schema)
        return self._compiled[key]

    # --- validation -----------------------------------------------------------------

    def problems(
        self,
        record: Any,
        kind: str | None = None,
        location: str | None = None,
        article_text: str | None = None,
    ) -> list[Problem]:
        """All problems of one record: its schema (the version it declares), then the checks
        JSON Schema cannot express (text hash, block and span offsets). Give
        ``article_text`` to check an annotation's spans against the article."""
        if not isinstance(record, dict):
            return [Problem(None, "", f"a record must be a JSON object, got {type(record).__name__}",
                            "schema", location)]
        kind = kind or record_kind(record)
        rid = record.get("id") if isinstance(record.get("id"), str) else None
        version = record.get("schema_version")
        if not isinstance(version, str) or version not in self.versions(kind):
            known = ", ".join(self.versions(kind))
            return [Problem(rid, "/schema_version",
                            f"unknown {kind} schema version {version!r} (known: {known})",
                            "schema", location)]
        found = self.compiled(kind, version).problems(record, location)
        if found:
            return found
        checks: Iterable[tuple[str, str]]
        if kind == "article":
            checks = article_text_problems(record)
        elif kind == "annotation" and article_text is not None:
            checks = annotation_span_problems(record, article_text)
        else:
            return []
        return [Problem(rid, ptr, msg, "offsets", location) for ptr, msg in checks]

    def validate(self, records: Iterable[Any], kind: str | None = None,
                 location: str | None = None) -> ValidationReport:
        report = ValidationReport()
        for record in records:
            report.add(self.problems(record, kind, location))
        return report

    # --- migration ------------------------------------------------------------------

    def register_migration(self, kind: str, from_version: str, to_version: str
                           ) -> Callable[[Migration], Migration]:
        """Decorator registering a one-step migration ``from_version -> to_version``."""

        def register(fn: Migration) -> Migration:
            self._migrations[(kind, from_version, to_version)] = fn
            return fn

        return register

    def migrate(self, record: dict[str, Any], to_version: str, kind: str | None = None
                ) -> dict[str, Any]:
        """Return ``record`` migrated step by step to ``to_version`` and validated there.

        The input is not modified. Raises :class:`MigrationError` when no chain of
        registered migrations leads there or when the result does not validate."""
        kind = kind or record_kind(record)
        current = record.get("schema_version")
        self.path(kind, to_version)
        out = dict(record)
        while current != to_version:
            steps = [(k, f, t) for (k, f, t) in self._migrations if k == kind and f == current]
            step = next((s for s in steps if s[2] == to_version), None) or (
                max(steps, key=lambda s: _semver_key(s[2])) if steps else None)
            if step is None:
                raise MigrationError(f"no migration registered for {kind} {current} -> {to_version}")
            out = self._migrations[step](out)
            out["schema_version"] = current = step[2]
        problems = self.problems(out, kind)
        if problems:
            raise MigrationError(f"migrated {kind} does not validate against {to_version}: {problems[0]}")
        return out


DEFAULT_STORE = SchemaStore()


def validate(records: Iterable[Any], kind: str | None = None) -> ValidationReport:
    """Validate records with the bundled schemas."""
    return DEFAULT_STORE.validate(records, kind)


def migrate(record: dict[str, Any], to_version: str, kind: str | None = None) -> dict[str, Any]:
    """Migrate a record with the bundled schemas and migrations."""
    return DEFAULT_STORE.migrate(record, to_version, kind)


def validate_jsonl(path: Path, kind: str | None = None, store: SchemaStore = DEFAULT_STORE
                   ) -> ValidationReport:
    """Validate every line of a JSONL file; a line that is not JSON is a problem too."""
    import orjson

    report = ValidationReport()
    with Path(path).open("rb") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            location = f"{path}:{lineno}"
            try:
                record = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                report.add([Problem(None, "", f"not valid JSON: {exc}", "json", location)])
                continue
            report.add(store.problems(record, kind, location))
    return report
