"""Load record schemas by kind and version, validate records into reports, migrate them.

Schemas live in one place, the ``schema/`` folder of the package (``schema/<kind>/<semver>.json``,
JSON Schema 2020-12); the repository's top-level ``schema/`` points at it, and the wheel ships
it. Validation uses a compiled validator (fastjsonschema) for the verdict and the reference
implementation (jsonschema) to explain failures, so a valid record costs one compiled call
and an invalid one gets exact JSON pointers. The compiled validator is jsonschema-rs (Rust;
measured against fastjsonschema and jsonschema in ``bench/run.py``). Verdicts are identical
(a differential test checks it); the schemas keep to keywords both implement the same way,
and end every pattern with ``(?!\n)$`` so that ECMA-262's / Rust's ``$`` (jsonschema-rs) and
Python's ``$`` (jsonschema, which also matches before a final newline) agree.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from functools import cached_property
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs

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


class CompiledSchema:
    """One schema version, compiled once."""

    def __init__(self, kind: str, version: str, schema: dict[str, Any]) -> None:
        self.kind = kind
        self.version = version
        self.schema = schema
        self._fast = jsonschema_rs.validator_for(schema, validate_formats=False)
        self.is_valid: Callable[[Any], bool] = self._fast.is_valid

    @cached_property
    def _reference(self) -> jsonschema.protocols.Validator:
        return jsonschema.Draft202012Validator(self.schema)

    def problems(self, record: Any, location: str | None = None) -> list[Problem]:
        """Schema problems of ``record`` (empty when valid)."""
        if self.is_valid(record):
            return []
        rid = record.get("id") if isinstance(record, dict) else None
        errors = sorted(self._reference.iter_errors(record), key=lambda e: list(e.path))
        return [
            Problem(
                rid if isinstance(rid, str) else None,
                json_pointer(e.absolute_path),
                e.message if len(e.message) < 300 else e.message[:297] + "...",
                "schema",
                location,
            )
            for e in errors
        ] or [Problem(rid, "", "invalid (no detail from the reference validator)", "schema", location)]


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
