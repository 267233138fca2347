"""Built-in migrations between record schema versions, one small function per step."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .schema import SchemaStore


def article_1_0_0_to_1_1_0(record: dict[str, Any]) -> dict[str, Any]:
    """1.1.0 only adds optional fields: the record is unchanged but for its version."""
    return dict(record)


def manifest_1_0_0_to_1_1_0(record: dict[str, Any]) -> dict[str, Any]:
    """1.1.0 adds ``text`` (required; releases before it always held the text) and
    optional statistics, previous release and semver fields."""
    return {**record, "text": True}


def manifest_1_1_0_to_1_2_0(record: dict[str, Any]) -> dict[str, Any]:
    """1.2.0 adds the optional ``build`` (tool and converter versions, settings); an older
    release recorded none, so none is invented."""
    return dict(record)


def register_builtin(store: SchemaStore) -> None:
    store.register_migration("article", "1.0.0", "1.1.0")(article_1_0_0_to_1_1_0)
    store.register_migration("manifest", "1.0.0", "1.1.0")(manifest_1_0_0_to_1_1_0)
    store.register_migration("manifest", "1.1.0", "1.2.0")(manifest_1_1_0_to_1_2_0)
