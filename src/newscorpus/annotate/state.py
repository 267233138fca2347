"""The sync state kept in the workspace: ``annotations/.labelstudio-state.json``.

It is a cache of what the server holds, so that a re-push of unchanged articles costs one
read and no write, and a pull asks only for tasks changed since the last one:

- ``url``, ``project_id``, ``project_title``, ``label_config_sha256``: the project synced to;
- ``tasks``: article id -> ``[task id, text_sha256, sha256 of the task data]``;
- ``pending``: article ids of an import batch that was sent but not confirmed (a crash or a
  lost answer); the next push reconciles them with the server before writing anything;
- ``cursor``: the server time (``%Y-%m-%dT%H:%M:%S.%fZ``) up to which annotations are pulled.

Losing the file loses nothing: push lists the project's tasks and rebuilds it, and pull
without a cursor does a full pull. Which annotations were made on a text that was replaced
later is recorded on the server, in the task's ``meta`` (see :mod:`.push`), not here.
The file is written atomically, keys sorted, one task per line (diff-friendly).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..atomic import write_text
from ..errors import ConfigError

STATE_NAME = ".labelstudio-state.json"
FORMAT = 1


@dataclass(slots=True)
class TaskRef:
    task_id: int
    text_sha256: str
    data_sha256: str


@dataclass(slots=True)
class SyncState:
    path: Path
    url: str | None = None
    project_id: int | None = None
    project_title: str | None = None
    label_config_sha256: str | None = None
    tasks: dict[str, TaskRef] = field(default_factory=dict)
    pending: list[str] = field(default_factory=list)
    cursor: str | None = None

    @classmethod
    def load(cls, path: Path) -> SyncState:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(path)
        except ValueError as exc:
            raise ConfigError(
                f"{path}: not valid JSON ({exc}); delete it to resync from the server"
            ) from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ConfigError(f"{path}: unknown state format; delete it to resync from the server")
        tasks = {
            aid: TaskRef(int(v[0]), str(v[1]), str(v[2])) for aid, v in (data.get("tasks") or {}).items()
        }
        return cls(
            path,
            data.get("url"),
            data.get("project_id"),
            data.get("project_title"),
            data.get("label_config_sha256"),
            tasks,
            list(data.get("pending") or []),
            data.get("cursor"),
        )

    def bind(self, url: str, project_id: int, title: str) -> None:
        """Point the state at a project; forget everything known about another one."""
        if (self.url, self.project_id) != (url, project_id):
            self.tasks.clear()
            self.pending.clear()
            self.cursor = None
            self.label_config_sha256 = None
        self.url, self.project_id, self.project_title = url, project_id, title

    def to_text(self) -> str:
        head = {
            "format": FORMAT,
            "url": self.url,
            "project_id": self.project_id,
            "project_title": self.project_title,
            "label_config_sha256": self.label_config_sha256,
            "pending": sorted(self.pending),
            "cursor": self.cursor,
        }
        lines = ["{"]
        for key in sorted(head):
            lines.append(f" {json.dumps(key)}: {json.dumps(head[key], ensure_ascii=False)},")
        if self.tasks:
            lines.append(' "tasks": {')
            rows = [
                f"  {json.dumps(aid)}: {json.dumps([r.task_id, r.text_sha256, r.data_sha256])}"
                for aid, r in sorted(self.tasks.items())
            ]
            lines.append(",\n".join(rows))
            lines.append(" }")
        else:
            lines.append(' "tasks": {}')
        lines.append("}")
        return "\n".join(lines) + "\n"

    def save(self) -> None:
        write_text(self.path, self.to_text())

    def as_dict(self) -> dict[str, Any]:
        return json.loads(self.to_text())  # type: ignore[no-any-return]
