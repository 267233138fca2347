"""Differential test: the compiled validator (jsonschema-rs) and the reference
implementation (jsonschema, Draft 2020-12) must give the same verdict on every record, and
point their errors at the same locations.

`newscorpus.schema.CompiledSchema` takes its verdict from jsonschema-rs and asks jsonschema
only to explain failures, so any disagreement means either a wrong verdict or an invalid
record without an explanation. The records are synthetic (``bench/synth.py``): a few hundred
valid articles, annotations and manifests, and many mutants derived from them by walking the
record together with its schema and changing every location: dropped required keys, wrong
types (null, bools, 1.0 / 1.5 for integers, strings, arrays, objects), wrong enum and const
values, negative offsets, strings that break patterns, empty strings under minLength, extra
properties at every level.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import random
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import orjson
import pytest

from newscorpus.schema import DEFAULT_STORE

ROOT = Path(__file__).resolve().parents[2]


def _load_synth() -> Any:
    path = ROOT / "bench" / "synth.py"
    spec = importlib.util.spec_from_file_location("newscorpus_bench_synth", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


synth = _load_synth()

ARTICLES = synth.articles(300, seed=11)  # current article schema version
ARTICLES_1_0_0 = synth.articles(120, seed=14, schema_version="1.0.0")
ANNOTATIONS = synth.annotations_for(ARTICLES, 60, seed=12)
MANIFESTS = (synth.manifests(30, seed=13) + synth.manifests(30, seed=15, schema_version="1.1.0")
             + synth.manifests(30, seed=16, schema_version="1.2.0")
             + [json.loads(p.read_text(encoding="utf-8"))  # the committed sample releases
                for p in sorted((ROOT / "releases").glob("*/manifest.json"))])
TEXT_OF = {a["id"]: a["text"] for a in ARTICLES}


def _cases() -> dict[tuple[str, str], list[dict[str, Any]]]:
    cases: dict[tuple[str, str], list[dict[str, Any]]] = {("article", "1.0.0"): ARTICLES_1_0_0}
    for kind, records in (("article", ARTICLES), ("annotation", ANNOTATIONS),
                          ("manifest", MANIFESTS)):
        for record in records:
            cases.setdefault((kind, record["schema_version"]), []).append(record)
    return cases


BASE = _cases()
CASES = sorted(BASE)
CASE_IDS = [f"{kind}-{version}" for kind, version in CASES]


def pristine_schema(kind: str, version: str) -> dict[str, Any]:
    """The schema as written on disk (not the store's copy, so that the reference cannot be
    affected by anything the compiled validator does to the dict it compiles)."""
    return json.loads(DEFAULT_STORE.path(kind, version).read_text(encoding="utf-8"))


# Replacement values tried at every location: nulls, bools, integral and fractional floats,
# big integers, empty and non-empty strings, arrays and objects.
PALETTE: tuple[Any, ...] = (None, True, False, 0, 1, -1, 1.0, 1.5, -0.5, 2**64, "", "x", "1",
                            [], ["x"], {}, {"x": 1})
EXTRA_KEY = "unexpected_extra"
ODD_KEY = "odd/key~name"  # needs RFC 6901 escaping in a JSON pointer


@dataclass
class Mutant:
    kind: str
    base_id: str
    op: str
    path: tuple[Any, ...]  # location of the change (the key for drops and additions)
    build: Callable[[], Any] = field(repr=False)
    expect_valid: bool | None  # known answer for unambiguous mutations, else None

    @functools.cached_property
    def record(self) -> Any:
        return self.build()

    def describe(self) -> str:
        where = "".join(f"/{p}" for p in self.path) or "/"
        return f"{self.kind} {self.base_id} {where}: {self.op}"


# --- walking a record with its schema -----------------------------------------------------------


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        ref = schema["$ref"].partition("#")[2]
        assert ref.startswith("/"), schema["$ref"]
        target: Any = root
        for part in ref[1:].split("/"):
            target = target[part]
        schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def _branches(schema: dict[str, Any], value: Any, root: dict[str, Any]) -> dict[str, Any]:
    """The branch of a ``oneOf`` that applies to ``value`` (for descending into it)."""
    for branch in schema.get("oneOf", ()):
        branch = _resolve(branch, root)
        if isinstance(value, dict) and branch.get("type") == "object":
            return branch
    return schema


def _walk(value: Any, schema: dict[str, Any], root: dict[str, Any], path: tuple[Any, ...] = ()
          ) -> Iterator[tuple[tuple[Any, ...], dict[str, Any], Any]]:
    schema = _branches(_resolve(schema, root), value, root)
    yield path, schema, value
    if isinstance(value, dict):
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, sub in value.items():
            sub_schema = props.get(key, extra if isinstance(extra, dict) else None)
            if sub_schema is not None:
                yield from _walk(sub, sub_schema, root, (*path, key))
    elif isinstance(value, list) and isinstance(schema.get("items"), dict) and value:
        yield from _walk(value[0], schema["items"], root, (*path, 0))


def _copy(record: Any) -> Any:
    return orjson.loads(orjson.dumps(record))  # base records are plain JSON


def _set(record: Any, path: tuple[Any, ...], value: Any) -> Callable[[], Any]:
    def build() -> Any:
        if not path:
            return value
        out = _copy(record)
        target = out
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
        return out

    return build


def _drop(record: Any, path: tuple[Any, ...]) -> Callable[[], Any]:
    def build() -> Any:
        out = _copy(record)
        target = out
        for part in path[:-1]:
            target = target[part]
        del target[path[-1]]
        return out

    return build


def _types(schema: dict[str, Any]) -> set[str]:
    t = schema.get("type", ())
    return {t} if isinstance(t, str) else set(t)


def _bad_strings(value: str) -> list[tuple[str, str, bool | None]]:
    """Strings that break a pattern-checked value: ``(label, string, expected verdict)``."""
    return [
        ("upper-cased", value.upper(), None),
        ("last char dropped", value[:-1], None),
        ("char appended", value + "x", None),
        ("leading space", " " + value, False),
        ("trailing space", value + " ", False),
        ("leading newline", "\n" + value, False),
        ("trailing newline", value + "\n", None),  # re: `$` also matches before a final \n
        ("trailing CRLF", value + "\r\n", False),
        ("two trailing newlines", value + "\n\n", False),
        ("Arabic-Indic digit", value[:-1] + "\u0663", None),
        ("fullwidth digit", value[:-1] + "\uff11", None),
        ("empty", "", False),
    ]


def mutants_of(kind: str, record: dict[str, Any], index: int,
               keep: Callable[[tuple[Any, ...]], bool] = lambda path: True) -> Iterator[Mutant]:
    """Every mutation of ``record`` at every location its schema describes (and ``keep``
    accepts)."""
    root = pristine_schema(kind, record["schema_version"])
    base_id = f"{record.get('id', '')}#{index}"

    def m(op: str, path: tuple[Any, ...], build: Callable[[], Any], expect: bool | None = None
          ) -> Mutant:
        return Mutant(kind, base_id, op, path, build, expect)

    yield m("record replaced by an array", (), _set(record, (), [record]), False)
    yield m("record replaced by null", (), _set(record, (), None), False)
    for path, schema, value in _walk(record, root, root):
        if not keep(path):
            continue
        types = _types(schema)
        if path:
            for bad in PALETTE:
                yield m(f"value -> {bad!r}", path, _set(record, path, bad))
        if "const" in schema or "enum" in schema:
            allowed = [schema["const"]] if "const" in schema else schema["enum"]
            other = "paragraph" if "wire" in allowed else "wire"  # another enum's value
            for bad in ("", "unknown", str(value).upper(), str(value) + " ", " " + str(value),
                        str(value).capitalize(), other, 1, True, None):
                yield m(f"enum/const -> {bad!r}", path, _set(record, path, bad), bad in allowed)
        if isinstance(value, str) and "pattern" in schema:
            for label, bad, expect in _bad_strings(value):
                yield m(f"pattern {schema['pattern']!r}: {label} {bad!r}", path,
                        _set(record, path, bad), expect)
        if isinstance(value, str) and schema.get("minLength"):
            yield m("empty string under minLength", path, _set(record, path, ""), False)
            yield m("one space under minLength 1", path, _set(record, path, " "), None)
        if "integer" in types and isinstance(value, int) and not isinstance(value, bool):
            low = schema.get("minimum")
            if low is not None:
                yield m(f"below minimum {low}", path, _set(record, path, low - 1), False)
                yield m(f"float below minimum {low}", path, _set(record, path, float(low - 1)),
                        False)
                yield m("negative offset -10**9", path, _set(record, path, -(10**9)), False)
            yield m("same value as float", path, _set(record, path, float(value)), True)
            yield m("value + 0.5", path, _set(record, path, value + 0.5), False)
            yield m("bool True", path, _set(record, path, True), False)
            yield m("bool False", path, _set(record, path, False), False)
            yield m("numeric string", path, _set(record, path, str(value)),
                    None if "string" in types else False)
        if isinstance(value, dict):
            for key in schema.get("required", ()):
                if key in value:
                    yield m(f"required key {key!r} dropped", (*path, key),
                            _drop(record, (*path, key)), False)
            for key in value:
                if key not in schema.get("required", ()):
                    yield m(f"optional key {key!r} dropped", (*path, key),
                            _drop(record, (*path, key)))
            closed = schema.get("additionalProperties") is False
            for key, extra in ((EXTRA_KEY, 1), (EXTRA_KEY, None), (ODD_KEY, {"x": 1}), ("", "x")):
                yield m(f"extra property {key!r}: {extra!r}", (*path, key),
                        _set(record, (*path, key), extra), False if closed else None)
        if isinstance(value, list):
            yield m("array emptied", path, _set(record, path, []),
                    False if schema.get("minItems") else None)
            appended: tuple[Any, ...] = (1, None, "x", {}, [value[0]] if value else [])
            for extra in appended:
                yield m(f"item {extra!r} appended", (*path, len(value)),
                        _set(record, path, [*value, extra]))
            if value:
                yield m("first item duplicated", (*path, 0), _set(record, path, [value[0], *value]))


def _locations(kind: str, record: dict[str, Any]) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """Each location of ``record`` with its shape (array indices as ``*``, and value type)."""
    root = pristine_schema(kind, record["schema_version"])
    return {path: (tuple("*" if isinstance(p, int) else p for p in path), type(v).__name__)
            for path, _s, v in _walk(record, root, root)}


@functools.cache
def all_mutants(kind: str, version: str, sample_per_record: int = 6, seed: int = 5
                ) -> tuple[Mutant, ...]:
    """Every mutation at every location shape (array items as one shape, each value type
    seen), taken from the records that first show it; plus a random sample of mutations of
    every record, for variety of values."""
    records = BASE[kind, version]
    out: list[Mutant] = []
    seen: set[tuple[Any, ...]] = set()
    for index, record in sorted(enumerate(records), key=lambda ir: -len(_locations(kind, ir[1]))):
        new = {path for path, shape in _locations(kind, record).items() if shape not in seen}
        if new:
            seen |= {_locations(kind, record)[p] for p in new}
            out += mutants_of(kind, record, index, keep=new.__contains__)
    rng = random.Random(seed)
    for index, record in enumerate(records):
        paths = list(_locations(kind, record))
        chosen = set(rng.sample(paths, min(3, len(paths))))
        found = list(mutants_of(kind, record, index, keep=chosen.__contains__))
        out += rng.sample(found, min(sample_per_record, len(found)))
    return tuple(out)


def _shape(mu: Mutant) -> tuple[Any, ...]:
    return (tuple("*" if isinstance(p, int) else p for p in mu.path), mu.op)


@functools.cache
def distinct_mutants(kind: str, version: str) -> tuple[Mutant, ...]:
    """One mutant per (location shape, mutation): how a failure is explained depends on
    where and what, not on which base record."""
    seen: dict[tuple[Any, ...], Mutant] = {}
    for mu in all_mutants(kind, version):
        seen.setdefault(_shape(mu), mu)
    return tuple(seen.values())


# --- checks -----------------------------------------------------------------------------------


def _reference(kind: str, version: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(pristine_schema(kind, version))


def _pointer_ok(record: Any, pointer: str) -> bool:
    """Whether ``pointer`` (RFC 6901) names a location of ``record``: one that exists, or a
    missing member of an existing object (where a required property should be)."""
    if pointer == "":
        return True
    if not pointer.startswith("/"):
        return False
    parts = _pointer_parts(pointer)
    target = record
    for depth, part in enumerate(parts):
        if isinstance(target, dict) and part in target:
            target = target[part]
        elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
            target = target[int(part)]
        else:
            return depth == len(parts) - 1 and isinstance(target, dict)
    return True


def _pointer_parts(pointer: str) -> tuple[str, ...]:
    if not pointer:
        return ()
    return tuple(p.replace("~1", "/").replace("~0", "~") for p in pointer[1:].split("/"))


def _related(changed: tuple[str, ...], pointed: tuple[str, ...]) -> bool:
    """Whether one location contains the other."""
    n = min(len(changed), len(pointed))
    return changed[:n] == pointed[:n]


@pytest.mark.parametrize(("kind", "version"), CASES, ids=CASE_IDS)
def test_valid_synthetic_records_pass_both_validators(kind: str, version: str) -> None:
    compiled = DEFAULT_STORE.compiled(kind, version)
    reference = _reference(kind, version)
    assert len(BASE[kind, version]) >= 30
    for record in BASE[kind, version]:
        assert compiled.is_valid(record), record.get("id")
        assert reference.is_valid(record), record.get("id")
        text = TEXT_OF.get(record.get("article_id", ""))
        assert DEFAULT_STORE.problems(record, kind, article_text=text) == [], record.get("id")


@pytest.mark.parametrize(("kind", "version"), CASES, ids=CASE_IDS)
def test_compiled_and_reference_verdicts_agree(kind: str, version: str) -> None:
    compiled = DEFAULT_STORE.compiled(kind, version)
    reference = _reference(kind, version)
    mutants = all_mutants(kind, version)
    mismatches: list[str] = []
    wrong_expectation: list[str] = []
    invalid = 0
    for mu in mutants:
        fast, ref = compiled.is_valid(mu.record), reference.is_valid(mu.record)
        invalid += not ref
        if fast != ref:
            mismatches.append(f"{mu.describe()}: compiled {'valid' if fast else 'INVALID'}, "
                              f"jsonschema {'valid' if ref else 'INVALID'}")
        elif mu.expect_valid is not None and ref != mu.expect_valid:
            wrong_expectation.append(f"{mu.describe()}: both say {'valid' if ref else 'invalid'}")
    # the mutation set is not vacuous: over a thousand mutants, most of them invalid
    assert len(mutants) >= 1000 and invalid >= 0.6 * len(mutants), (len(mutants), invalid)
    assert not mismatches, (
        f"{len(mismatches)} of {len(mutants)} {kind} {version} mutants get different verdicts:"
        "\n  " + "\n  ".join(mismatches[:40]))
    assert not wrong_expectation, "\n  ".join(wrong_expectation[:40])


def _same_form(pointer: str) -> str:
    """A pointer with a trailing empty-key segment (``/a/`` names member ``""`` of ``/a``)
    cut off: the one known difference, jsonschema-rs leaves that last segment out where
    jsonschema writes it (an error inside the value of a member whose key is ``""``)."""
    return pointer[:-1] if pointer.endswith("/") else pointer


@pytest.mark.parametrize(("kind", "version"), CASES, ids=CASE_IDS)
def test_compiled_and_reference_error_pointers_agree(kind: str, version: str) -> None:
    """On every invalid mutant, the set of locations jsonschema-rs reports errors at is the
    set jsonschema reports (the Problem pointers come from jsonschema, the verdict from
    jsonschema-rs: they must describe the same failures)."""
    from newscorpus.schema import json_pointer

    compiled = DEFAULT_STORE.compiled(kind, version)
    reference = _reference(kind, version)
    compared = 0
    mismatches: list[str] = []
    for mu in distinct_mutants(kind, version):
        if reference.is_valid(mu.record):
            continue
        compared += 1
        ref = sorted({_same_form(json_pointer(e.absolute_path))
                      for e in reference.iter_errors(mu.record)})
        fast = sorted({_same_form(json_pointer(e.instance_path))
                       for e in compiled._fast.iter_errors(mu.record)})
        if fast != ref:
            mismatches.append(f"{mu.describe()}: jsonschema {ref}, jsonschema-rs {fast}")
    assert compared >= 300, compared
    assert not mismatches, f"{len(mismatches)} of {compared}:\n  " + "\n  ".join(mismatches[:40])


@pytest.mark.parametrize(("kind", "version"), CASES, ids=CASE_IDS)
def test_problems_explain_invalid_records_with_pointers(kind: str, version: str) -> None:
    """Every invalid mutant gets at least one Problem whose JSON pointer (RFC 6901) names a
    location of the record at, above or below the change; no mutant makes ``problems()``
    raise."""
    compiled = DEFAULT_STORE.compiled(kind, version)
    failures: list[str] = []
    for mu in distinct_mutants(kind, version):
        try:
            problems = DEFAULT_STORE.problems(mu.record, kind)
        except Exception as exc:  # problems() must report, never raise, on any JSON value
            failures.append(f"{mu.describe()}: problems() raised {type(exc).__name__}: {exc}")
            continue
        if compiled.is_valid(mu.record):
            continue
        if not problems:
            failures.append(f"{mu.describe()}: invalid but problems() is empty")
            continue
        bad = [p.pointer for p in problems
               if not isinstance(p.pointer, str) or not _pointer_ok(mu.record, p.pointer)]
        if bad:
            failures.append(f"{mu.describe()}: pointer(s) {bad} do not resolve in the record")
            continue
        changed = tuple(str(p) for p in mu.path)
        if not any(_related(changed, _pointer_parts(p.pointer)) for p in problems):
            failures.append(f"{mu.describe()}: no problem points at, above or below the change "
                            f"(got {[p.pointer for p in problems]})")
    assert not failures, f"{len(failures)} failure(s):\n  " + "\n  ".join(failures[:40])


@pytest.mark.slow
def test_bench_quick_runs_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    command = [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--repeat", "1",
               "--json", str(out)]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    ratio_lines = [line for line in proc.stdout.splitlines() if "ratio" in line]
    assert len(ratio_lines) >= 5, proc.stdout
    assert json.loads(out.read_text())["results"]


TYPED_CASES = [case for case in CASES if DEFAULT_STORE.compiled(*case).typed is not None]


def _json_line(record: Any) -> bytes:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def test_every_article_version_has_a_typed_decoder() -> None:
    assert {v for k, v in TYPED_CASES if k == "article"} == set(DEFAULT_STORE.versions("article"))


@pytest.mark.parametrize(("kind", "version"), TYPED_CASES, ids=[f"{k}-{v}" for k, v in TYPED_CASES])
def test_typed_decoder_accepts_only_valid_records(kind: str, version: str) -> None:
    """The typed decoder is a sound fast path: every mutant it accepts, jsonschema accepts
    (a refused valid record only costs the slower path); it accepts every valid base record
    and most valid mutants, so it is not vacuous."""
    compiled = DEFAULT_STORE.compiled(kind, version)
    reference = _reference(kind, version)
    for record in BASE[kind, version]:
        assert compiled.typed_valid(_json_line(record)), record.get("id")
    unsound: list[str] = []
    valid = accepted = 0
    for mu in all_mutants(kind, version):
        typed = compiled.typed_valid(_json_line(mu.record))
        ref = reference.is_valid(mu.record)
        valid += ref
        accepted += typed
        if typed and not ref:
            unsound.append(mu.describe())
    assert not unsound, f"{len(unsound)} invalid mutants accepted:\n  " + "\n  ".join(unsound[:40])
    assert accepted >= 0.5 * valid, (accepted, valid)


def test_typed_decoder_refuses_what_it_cannot_see_in_a_raw_field() -> None:
    compiled = DEFAULT_STORE.compiled("article", ARTICLES[0]["schema_version"])
    record = dict(ARTICLES[0])
    assert compiled.typed_valid(_json_line(record))
    for bad in ("", None, 5, ["x"]):
        assert not compiled.typed_valid(_json_line({**record, "text": bad})), bad
    # an escaped code point is decoded differently by nobody, but is left to the full path
    assert not compiled.typed_valid(_json_line(record).replace(b'"text":"', b'"text":"\\u00e9', 1))


@pytest.mark.parametrize(("kind", "version"), CASES, ids=CASE_IDS)
def test_problems_are_the_reference_explanation_of_the_whole_record(kind: str, version: str) -> None:
    """``problems()`` explains a failure by letting jsonschema walk only to the locations
    jsonschema-rs finds errors at: on every invalid mutant the pointers and messages, in
    order, are those of jsonschema over the whole record."""
    from newscorpus.schema import json_pointer

    compiled = DEFAULT_STORE.compiled(kind, version)
    reference = _reference(kind, version)
    compared = 0
    mismatches: list[str] = []
    for mu in all_mutants(kind, version):
        if reference.is_valid(mu.record):
            continue
        compared += 1
        whole = [(json_pointer(e.absolute_path), e.message)
                 for e in sorted(reference.iter_errors(mu.record), key=lambda e: list(e.path))]
        found = [(json_pointer(e.absolute_path), e.message) for e in compiled.reference_errors(mu.record)]
        if found != whole:
            mismatches.append(f"{mu.describe()}: whole record {whole}, by property {found}")
    assert compared >= 300, compared
    assert compiled._plain(compiled.schema) is not None  # the shortcut is the one tested
    assert not mismatches, f"{len(mismatches)} of {compared}:\n  " + "\n  ".join(mismatches[:20])
