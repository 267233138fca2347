"""The diff between two releases, the semver bump it requires, and the changelog.

Semver with Croissant's meaning (DESIGN.md): PATCH = same data, new packaging; MINOR =
records or fields added (new articles, labels on articles that had none, new configs,
fields or label names appended); MAJOR = records changed or removed, or splits reshuffled
(an article's fields or labels changed, an article removed or moved to another split, a
config or field removed or retyped, label names reordered).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..errors import ReleaseError, SemverError

LEVELS = ("patch", "minor", "major")
LABEL_COLUMNS = ("entities", "quotes", "stances")
DERIVED_COLUMNS = ("annotators", "duplicate_group")  # not part of a record's identity
EXAMPLES = 10
_SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


def parse_version(version: str) -> tuple[int, int, int]:
    m = _SEMVER.match(version)
    if not m:
        raise SemverError(f"not a semver X.Y.Z version: {version!r}")
    return int(m[1]), int(m[2]), int(m[3])


def bump_of(old: str, new: str) -> str | None:
    """The level of the step ``old -> new`` (None when ``new`` is not greater)."""
    a, b = parse_version(old), parse_version(new)
    if b <= a:
        return None
    if b[0] > a[0]:
        return "major"
    return "minor" if b[1] > a[1] else "patch"


def smallest_version(old: str, level: str) -> str:
    major, minor, patch = parse_version(old)
    if level == "major":
        return f"{major + 1}.0.0"
    return f"{major}.{minor + 1}.0" if level == "minor" else f"{major}.{minor}.{patch + 1}"


def check_bump(old: str, new: str, required: str) -> None:
    """Raise :class:`SemverError` unless ``old -> new`` is at least a ``required`` bump."""
    got = bump_of(old, new)
    if got is None:
        raise SemverError(f"version {new} is not greater than the previous release {old}")
    if LEVELS.index(got) < LEVELS.index(required):
        raise SemverError(f"{old} -> {new} is a {got.upper()} bump, but the changes require "
                          f"{required.upper()}: the smallest allowed version is "
                          f"{smallest_version(old, required)}")


@dataclass
class ReleaseDiff:
    old: str
    new: str
    counts: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)
    configs_added: list[str] = field(default_factory=list)
    configs_removed: list[str] = field(default_factory=list)
    fields_added: list[str] = field(default_factory=list)
    fields_removed: list[str] = field(default_factory=list)
    fields_changed: list[str] = field(default_factory=list)
    labels_appended: list[str] = field(default_factory=list)
    schemas: dict[str, list[str]] = field(default_factory=dict)
    packaging: list[str] = field(default_factory=list)
    reasons: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in LEVELS})

    @property
    def required(self) -> str:
        for level in ("major", "minor"):
            if self.reasons[level]:
                return level
        return "patch"

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "required": self.required}


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of the release in ``folder``; a missing, unreadable or schema-invalid one
    is a one-line ``ReleaseError`` naming the file and the problem."""
    from ..schema import DEFAULT_STORE

    path = Path(folder) / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReleaseError(f"{path}: unreadable manifest: {exc}") from None
    problems = DEFAULT_STORE.problems(manifest, "manifest", str(path))
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        first = problems[0]
        raise ReleaseError(f"{path}: invalid manifest: {first.pointer or '/'}: {first.message}{more}")
    return manifest


_manifest = read_manifest


def _features(folder: Path, spec: dict[str, Any]) -> dict[str, Any]:
    for split in spec["splits"].values():
        for f in split["files"]:
            meta = pq.read_schema(folder / f["path"]).metadata or {}
            return json.loads(meta[b"huggingface"])["info"]["features"]
    return {}


def _paths(features: Any, prefix: str = "") -> dict[str, Any]:
    """Feature leaves by dotted path (list levels are transparent)."""
    out: dict[str, Any] = {}
    if isinstance(features, dict) and "_type" not in features:
        for name, sub in features.items():
            out.update(_paths(sub, f"{prefix}.{name}" if prefix else name))
    elif isinstance(features, dict) and features.get("_type") in ("List", "Sequence",
                                                                  "LargeList"):
        out.update(_paths(features["feature"], prefix))
    elif isinstance(features, list) and len(features) == 1:  # [feature]: a list (portable form)
        out.update(_paths(features[0], prefix))
    else:
        out[prefix] = features
    return out


def _compare_features(config: str, old: dict[str, Any], new: dict[str, Any],
                      diff: ReleaseDiff) -> None:
    a, b = _paths(old), _paths(new)
    for path in sorted(set(b) - set(a)):
        diff.fields_added.append(f"{config}.{path}")
    for path in sorted(set(a) - set(b)):
        diff.fields_removed.append(f"{config}.{path}")
    for path in sorted(set(a) & set(b)):
        if a[path] == b[path]:
            continue
        names_a, names_b = a[path].get("names"), b[path].get("names")
        if names_a is not None and names_b is not None and names_b[:len(names_a)] == names_a:
            diff.labels_appended.append(f"{config}.{path}: " + ", ".join(names_b[len(names_a):]))
        else:
            diff.fields_changed.append(f"{config}.{path}")


def _digests(folder: Path, spec: dict[str, Any], columns: list[str]) -> pa.Table:
    """``(id, split, record digest, labels digest)`` for every article of a default config."""
    ids: list[str] = []
    splits: list[str] = []
    records: list[bytes] = []
    labels: list[bytes | None] = []
    read = [c for c in columns if c not in LABEL_COLUMNS]
    for split, part in spec["splits"].items():
        for f in part["files"]:
            pfile = pq.ParquetFile(folder / f["path"])
            names = set(pfile.schema_arrow.names)
            wanted = [c for c in columns if c in names]
            for batch in pfile.iter_batches(batch_size=5_000, columns=wanted):
                for row in batch.to_pylist():
                    ids.append(row["id"])
                    splits.append(split)
                    records.append(hashlib.sha256(orjson.dumps(
                        [row.get(c) for c in read], option=orjson.OPT_SORT_KEYS)).digest()[:16])
                    nested = [row.get(c) or [] for c in LABEL_COLUMNS]
                    labels.append(hashlib.sha256(orjson.dumps(
                        nested, option=orjson.OPT_SORT_KEYS)).digest()[:16] if any(nested) else None)
    return pa.table({"id": pa.array(ids, pa.string()), "split": pa.array(splits, pa.string()),
                     "record": pa.array(records, pa.binary()),
                     "labels": pa.array(labels, pa.binary())})


def _count(diff: ReleaseDiff, key: str, table: pa.Table) -> None:
    diff.counts[key] = table.num_rows
    diff.examples[key] = sorted(table.column("id").to_pylist())[:EXAMPLES] if table.num_rows else []


def diff_releases(old: Path, new: Path) -> ReleaseDiff:
    """What changed from release folder ``old`` to release folder ``new``."""
    mo, mn = _manifest(old), _manifest(new)
    diff = ReleaseDiff(mo["version"], mn["version"])
    for name in sorted(set(mn["configs"]) - set(mo["configs"])):
        diff.configs_added.append(name)
    for name in sorted(set(mo["configs"]) - set(mn["configs"])):
        diff.configs_removed.append(name)
    features: dict[str, dict[str, Any]] = {}
    for name in sorted(set(mo["configs"]) & set(mn["configs"])):
        fo, fn = _features(old, mo["configs"][name]), _features(new, mn["configs"][name])
        _compare_features(name, fo, fn, diff)
        features[name] = fo
    for kind in sorted(set(mo["record_schemas"]) | set(mn["record_schemas"])):
        a, b = mo["record_schemas"].get(kind), mn["record_schemas"].get(kind)
        if a != b:
            diff.schemas[kind] = [a or "none", b or "none"]
    if mo["schema_version"] != mn["schema_version"]:
        diff.schemas["manifest"] = [mo["schema_version"], mn["schema_version"]]
    old_cols = set(features.get("default", {}))
    new_cols = set(_features(new, mn["configs"]["default"]))
    columns = sorted((old_cols & new_cols) - set(DERIVED_COLUMNS))
    a = _digests(old, mo["configs"]["default"], columns)
    b = _digests(new, mn["configs"]["default"], columns)
    joined = a.join(b, "id", join_type="full outer", left_suffix="_old", right_suffix="_new")
    in_old, in_new = pc.is_valid(joined["split_old"]), pc.is_valid(joined["split_new"])
    both = joined.filter(pc.and_(in_old, in_new))
    _count(diff, "articles_added", joined.filter(pc.invert(in_old)))
    _count(diff, "articles_removed", joined.filter(pc.invert(in_new)))
    _count(diff, "articles_changed", both.filter(pc.not_equal(both["record_old"], both["record_new"])))
    _count(diff, "articles_moved", both.filter(pc.not_equal(both["split_old"], both["split_new"])))
    lo, ln = pc.is_valid(both["labels_old"]), pc.is_valid(both["labels_new"])
    _count(diff, "labels_added", both.filter(pc.and_(pc.invert(lo), ln)))
    _count(diff, "labels_removed", both.filter(pc.and_(lo, pc.invert(ln))))
    _count(diff, "labels_changed", both.filter(pc.and_(pc.and_(lo, ln), pc.not_equal(
        both["labels_old"], both["labels_new"]))))
    _packaging(old, new, diff)
    _reasons(diff)
    return diff


VERSIONED_FILES = ("manifest.json", "SHA256SUMS", "croissant.json", "CHANGELOG.md",
                   "CITATION.cff", ".zenodo.json", "README.md")  # change with every version


def _packaging(old: Path, new: Path, diff: ReleaseDiff) -> None:
    from .verify import read_checksums

    a, b = read_checksums(old), read_checksums(new)
    data = {f["path"] for m in (_manifest(old), _manifest(new)) for c in m["configs"].values()
            for s in c["splits"].values() for f in s["files"]}
    for name in sorted(set(a) | set(b)):
        if name in data or a.get(name) == b.get(name) or (name in VERSIONED_FILES
                                                            and name not in b):
            continue
        if name not in a:
            diff.packaging.append(f"file added: {name}")
        elif name not in b:
            diff.packaging.append(f"file removed: {name}")
        elif name not in VERSIONED_FILES:
            diff.packaging.append(f"file changed: {name}")


def _reasons(diff: ReleaseDiff) -> None:
    r, c = diff.reasons, diff.counts
    for key, level, what in (
        ("articles_removed", "major", "article(s) removed"),
        ("articles_changed", "major", "article(s) changed"),
        ("articles_moved", "major", "article(s) moved to another split"),
        ("labels_removed", "major", "article(s) lost their labels"),
        ("labels_changed", "major", "article(s) with changed labels"),
        ("articles_added", "minor", "article(s) added"),
        ("labels_added", "minor", "article(s) newly labelled"),
    ):
        if c.get(key):
            r[level].append(f"{c[key]} {what}")
    r["major"] += [f"config removed: {n}" for n in diff.configs_removed]
    r["major"] += [f"field removed: {n}" for n in diff.fields_removed]
    r["major"] += [f"field changed: {n}" for n in diff.fields_changed]
    r["minor"] += [f"config added: {n}" for n in diff.configs_added]
    r["minor"] += [f"field added: {n}" for n in diff.fields_added]
    r["minor"] += [f"label names appended: {n}" for n in diff.labels_appended]
    r["patch"] += list(diff.packaging)


def render_diff(diff: ReleaseDiff) -> str:
    """The diff as Markdown (the body of a changelog entry)."""
    c = diff.counts
    lines = [f"Changes from {diff.old}: a **{diff.required.upper()}** release "
             f"(the smallest bump these changes allow).", "", "### Articles", ""]
    for key, what in (("articles_added", "added"), ("articles_removed", "removed"),
                      ("articles_changed", "changed (text or fields)"),
                      ("articles_moved", "moved to another split")):
        ex = diff.examples.get(key) or []
        more = f" (e.g. {', '.join(f'`{i}`' for i in ex)})" if ex else ""
        lines.append(f"- {what}: {c.get(key, 0)}{more}")
    lines += ["", "### Annotations", ""]
    for key, what in (("labels_added", "articles newly labelled"),
                      ("labels_changed", "articles with changed labels"),
                      ("labels_removed", "articles that lost their labels")):
        lines.append(f"- {what}: {c.get(key, 0)}")
    lines += ["", "### Configs, fields and schemas", ""]
    items = ([f"- config added: `{n}`" for n in diff.configs_added]
             + [f"- config removed: `{n}`" for n in diff.configs_removed]
             + [f"- field added: `{n}`" for n in diff.fields_added]
             + [f"- field removed: `{n}`" for n in diff.fields_removed]
             + [f"- field changed: `{n}`" for n in diff.fields_changed]
             + [f"- label names appended: {n}" for n in diff.labels_appended]
             + [f"- {k} schema: {a} → {b}" for k, (a, b) in sorted(diff.schemas.items())]
             + [f"- {n}" for n in diff.packaging])
    lines += items or ["- none"]
    return "\n".join(lines) + "\n"


def changelog(diff: ReleaseDiff | None, manifest: dict[str, Any], previous: str | None) -> str:
    """``CHANGELOG.md`` of a release: its entry, then the previous release's entries."""
    head = f"## {manifest['version']} — {manifest['release_date']}\n\n"
    body = render_diff(diff) if diff else (
        f"First release: {manifest['counts']['articles']} articles.\n")
    older = ""
    if previous:
        older = previous.split("\n", 2)[2] if previous.startswith("# Changelog\n") else previous
    return "# Changelog\n\n" + head + body + ("\n" + older.lstrip("\n") if older else "")


def first_entry(manifest: dict[str, Any]) -> str:
    """A changelog for a release that has none (made before changelogs existed)."""
    return changelog(None, manifest, None)
