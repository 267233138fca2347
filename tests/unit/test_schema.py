from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from newscorpus.errors import MigrationError, SchemaNotFoundError
from newscorpus.records import Article
from newscorpus.schema import DEFAULT_STORE, KINDS, CompiledSchema, SchemaStore, rust_patterns


def make_article(**overrides: Any) -> dict[str, Any]:
    text, blocks = Article.build_text([("title", "A title"), ("paragraph", "Body text.")])
    article = Article(id="nc-" + "0" * 32, source="Example", title="A title", text=text,
                      blocks=blocks, origin={"path": "a.txt", "sha256": "1" * 64})
    return {**article.to_dict(), **overrides}


def test_valid_article() -> None:
    assert DEFAULT_STORE.problems(make_article()) == []


def test_problems_are_typed_with_pointer_and_id() -> None:
    record = make_article(language="English", published_at="19/11/2025")
    problems = DEFAULT_STORE.problems(record, location="x.jsonl:3")
    pointers = {p.pointer for p in problems}
    assert pointers == {"/language", "/published_at"}
    assert all(p.record_id == record["id"] and p.location == "x.jsonl:3" for p in problems)


def test_offset_checks_beyond_json_schema() -> None:
    record = make_article(text_sha256="f" * 64)
    [problem] = DEFAULT_STORE.problems(record)
    assert (problem.pointer, problem.rule) == ("/text_sha256", "offsets")


def test_unknown_version_and_kind() -> None:
    [problem] = DEFAULT_STORE.problems(make_article(schema_version="9.9.9"))
    assert "unknown article schema version" in problem.message
    with pytest.raises(SchemaNotFoundError, match="known kinds"):
        DEFAULT_STORE.versions("nope")


def _walk(node: Any, path: str = "") -> list[str]:
    missing = []
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            if "description" not in sub:
                missing.append(f"{path}/{name}")
        for key, sub in node.items():
            missing += _walk(sub, f"{path}/{key}")
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            missing += _walk(sub, f"{path}/{i}")
    return missing


@pytest.mark.parametrize("kind", KINDS)
def test_every_property_described_and_id_versioned(kind: str) -> None:
    for version in DEFAULT_STORE.versions(kind):
        schema = DEFAULT_STORE.load(kind, version)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"].endswith(f"/{kind}/{version}.json")
        assert _walk(schema) == []


@pytest.fixture
def store_with_1_2(tmp_path: Path) -> SchemaStore:
    """A throw-away article 1.2.0 (on top of the real 1.1.0) that adds a required 'topics' list."""
    root = tmp_path / "schema"
    shutil.copytree(DEFAULT_STORE.root, root)
    schema = json.loads((root / "article" / "1.1.0.json").read_text())
    schema["$id"] = schema["$id"].replace("1.1.0", "1.2.0")
    schema["properties"]["schema_version"]["const"] = "1.2.0"
    schema["properties"]["topics"] = {"type": "array", "items": {"type": "string"},
                                      "description": "Topics."}
    schema["required"].append("topics")
    (root / "article" / "1.2.0.json").write_text(json.dumps(schema))
    store = SchemaStore(root)

    @store.register_migration("article", "1.1.0", "1.2.0")
    def add_topics(record: dict[str, Any]) -> dict[str, Any]:
        return {**record, "topics": []}

    return store


def test_builtin_migration_1_0_0_to_1_1_0() -> None:
    old = make_article(schema_version="1.0.0")
    assert DEFAULT_STORE.problems(old) == []
    new = DEFAULT_STORE.migrate(old, "1.1.0")
    assert new == {**old, "schema_version": "1.1.0"}


def test_migrate_chain_to_throwaway_1_2_0(store_with_1_2: SchemaStore) -> None:
    old = make_article(schema_version="1.0.0")
    new = store_with_1_2.migrate(old, "1.2.0")
    assert new["schema_version"] == "1.2.0" and new["topics"] == []
    assert "topics" not in old and old["schema_version"] == "1.0.0"  # input untouched
    assert store_with_1_2.problems(new) == []
    assert store_with_1_2.problems(old) == []  # old records keep validating against 1.0.0
    assert store_with_1_2.problems({**old, "schema_version": "1.2.0"})  # but not as 1.2.0


def test_migrate_without_a_path_fails(store_with_1_2: SchemaStore) -> None:
    with pytest.raises(MigrationError, match="no migration"):
        store_with_1_2.migrate(store_with_1_2.migrate(make_article(), "1.2.0"), "1.1.0")
    with pytest.raises(SchemaNotFoundError):
        store_with_1_2.migrate(make_article(), "2.0.0")


def test_integral_floats_are_reported_not_crashed_on() -> None:
    record = make_article()
    record["blocks"][0]["start"] = 0.0
    [problem] = DEFAULT_STORE.problems(record)
    assert (problem.pointer, problem.rule) == ("/blocks/0/start", "offsets")
    assert "integer without a fraction part" in problem.message


def test_trailing_newline_fails_patterns_in_both_validators() -> None:
    record = make_article(id="nc-" + "0" * 32 + "\n")
    problems = DEFAULT_STORE.problems(record)
    assert [p.pointer for p in problems] == ["/id"]
    assert "does not match" in problems[0].message


def test_json_pointers_escape_slash_and_tilde() -> None:
    from newscorpus.schema import json_pointer

    assert json_pointer(["inputs", "articles/a~b.jsonl", 0]) == "/inputs/articles~1a~0b.jsonl/0"


def test_problem_rules_are_declared_and_documented() -> None:
    from newscorpus.report import Problem, ProblemRule

    doc = (Path(__file__).resolve().parents[2] / "docs" / "problems.md").read_text(encoding="utf-8")
    for rule in ProblemRule:
        assert f"| `{rule.value}` |" in doc, rule
    assert Problem(None, "", "x", ProblemRule.OFFSETS).rule == "offsets"
    with pytest.raises(ValueError, match="undeclared problem rule 'nope'"):
        Problem(None, "", "x", "nope")


def test_label_lists_come_from_the_schema() -> None:
    import typing

    from newscorpus import records
    from newscorpus.release import features
    from newscorpus.workspace import LabelSet

    article = DEFAULT_STORE.load("article", records.ARTICLE_SCHEMA_VERSION)
    annotation = DEFAULT_STORE.load("annotation", records.ANNOTATION_SCHEMA_VERSION)
    props = article["properties"]
    assert tuple(props["blocks"]["items"]["properties"]["kind"]["enum"]) == records.BLOCK_KINDS
    assert typing.get_args(records.BlockKind) == records.BLOCK_KINDS
    stance = annotation["properties"]["stances"]["items"]["properties"]
    assert LabelSet((), ()).stances == records.STANCE_VALUES == tuple(stance["stance"]["enum"])
    quote = annotation["properties"]["quotes"]["items"]["properties"]
    assert tuple(quote["kind"]["enum"]) == features.QUOTE_KINDS
    assert tuple(stance["holder"]["properties"]["type"]["enum"]) == features.HOLDER_TYPES
    assert tuple(props["credits"]["items"]["properties"]["role"]["enum"]) == features.CREDIT_ROLES


def test_every_problem_code_used_in_the_code_is_declared() -> None:
    import ast

    from newscorpus.report import ProblemRule

    used: set[str] = set()
    for path in (Path(__file__).resolve().parents[2] / "src" / "newscorpus").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            if getattr(node.func, "id", getattr(node.func, "attr", None)) == "Problem":
                arg = node.args[3] if len(node.args) > 3 else next(
                    (k.value for k in node.keywords if k.arg == "rule"), None)
                if isinstance(arg, ast.Constant):
                    used.add(arg.value)
    assert used - {r.value for r in ProblemRule} == set()
    assert len(used) >= 20


def test_jsonschema_rs_gets_patterns_with_a_plain_end_of_text() -> None:
    schema = {"type": "object", "properties": {
        "id": {"type": "string", "pattern": "^nc-[0-9a-f]{2}(?!\n)$"},
        "pattern": {"type": "string", "pattern": "^a\\\\(?!\n)$"},  # a property named "pattern"
        "kind": {"enum": [{"pattern": "x(?!\n)$"}]}}}  # data, not a schema: left alone
    rewritten = rust_patterns(schema)
    assert rewritten["properties"]["id"]["pattern"] == "^nc-[0-9a-f]{2}$"
    assert rewritten["properties"]["pattern"]["pattern"] == "^a\\\\$"  # after an escaped "\\"
    assert rewritten["properties"]["kind"] == schema["properties"]["kind"]
    assert schema["properties"]["id"]["pattern"].endswith("(?!\n)$")  # the schema is not changed
    compiled = CompiledSchema("article", "0.0.0", schema)
    assert compiled.is_valid({"id": "nc-0a"})
    for bad in ("nc-0a\n", "nc-0a\n\n", "nc-0a\r\n", "\nnc-0a", "nc-0ab"):
        assert not compiled.is_valid({"id": bad}), repr(bad)
