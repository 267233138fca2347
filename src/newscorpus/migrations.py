"""Built-in migrations between record schema versions, one small function per step."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .schema import SchemaStore


def article_1_0_0_to_1_1_0(record: dict[str, Any]) -> dict[str, Any]:
    """1.1.0 only adds optional fields: the record is unchanged but for its version."""
    return dict(record)


def register_builtin(store: SchemaStore) -> None:
    store.register_migration("article", "1.0.0", "1.1.0")(article_1_0_0_to_1_1_0)
