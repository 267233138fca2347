"""A workspace: the folder of one corpus and its config file ``newscorpus.yaml``.

Layout: ``raw/`` (inputs), ``articles/`` (normalized records, JSONL), ``annotations/``
(annotation records, JSONL), ``releases/X.Y.Z/`` (immutable releases), ``profiles/``
(extra site profiles), ``quarantine/`` (rejected inputs with reasons).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError, WorkspaceError

CONFIG_NAME = "newscorpus.yaml"
DEFAULT_PATHS = {
    "raw": "raw",
    "articles": "articles",
    "annotations": "annotations",
    "releases": "releases",
    "profiles": "profiles",
    "quarantine": "quarantine",
}
STANCE_VALUES = ("favor", "against", "neutral", "none")


@dataclass(frozen=True, slots=True)
class LabelSet:
    entities: tuple[str, ...]
    stance_targets: tuple[str, ...]
    stances: tuple[str, ...] = STANCE_VALUES


@dataclass(frozen=True, slots=True)
class SplitPolicy:
    strategy: str = "hash"
    ratios: tuple[tuple[str, float], ...] = (("train", 0.8), ("validation", 0.1), ("test", 0.1))
    salt: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"strategy": self.strategy, "ratios": dict(self.ratios), "salt": self.salt}


@dataclass(frozen=True, slots=True)
class WorkspaceConfig:
    name: str
    license: str
    labels: LabelSet
    splits: SplitPolicy
    pretty_name: str = ""
    description: str = ""
    homepage: str | None = None
    citation: dict[str, Any] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_PATHS))


def _split_policy(where: str, data: Any) -> SplitPolicy:
    data = data or {}
    strategy = data.get("strategy", "hash")
    if strategy != "hash":
        raise ConfigError(f"{where}: splits.strategy {strategy!r} is not supported (supported: hash)")
    ratios = data.get("ratios", {"train": 0.8, "validation": 0.1, "test": 0.1})
    if not isinstance(ratios, dict) or not ratios:
        raise ConfigError(f"{where}: splits.ratios must map split names to fractions")
    pairs = tuple((str(k), float(v)) for k, v in ratios.items())
    if any(v < 0 for _, v in pairs) or abs(sum(v for _, v in pairs) - 1.0) > 1e-9:
        raise ConfigError(f"{where}: splits.ratios must be non-negative and sum to 1, got {ratios}")
    return SplitPolicy(strategy, pairs, str(data.get("salt", "")))


def load_config(path: Path) -> WorkspaceConfig:
    """Read and check a workspace config file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise WorkspaceError(f"{path}: no workspace config (expected {CONFIG_NAME})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the config must be a mapping")
    for key in ("name", "license"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise ConfigError(f"{path}: '{key}' is required")
    labels = data.get("labels") or {}
    entities = tuple(labels.get("entities") or ())
    bad = [e for e in entities if not isinstance(e, str) or not e.isupper()]
    if bad:
        raise ConfigError(f"{path}: entity labels must be upper-case names, got {bad}")
    return WorkspaceConfig(
        name=data["name"],
        license=data["license"],
        labels=LabelSet(entities, tuple(labels.get("stance_targets") or ())),
        splits=_split_policy(str(path), data.get("splits")),
        pretty_name=data.get("pretty_name") or data["name"],
        description=(data.get("description") or "").strip(),
        homepage=data.get("homepage"),
        citation=data.get("citation") or {},
        paths={**DEFAULT_PATHS, **(data.get("paths") or {})},
    )


@dataclass(frozen=True, slots=True)
class Workspace:
    root: Path
    config: WorkspaceConfig

    @classmethod
    def open(cls, root: Path | str = ".") -> Workspace:
        root = Path(root).resolve()
        return cls(root, load_config(root / CONFIG_NAME))

    def path(self, part: str) -> Path:
        return self.root / self.config.paths[part]

    @property
    def articles_dir(self) -> Path:
        return self.path("articles")

    @property
    def annotations_dir(self) -> Path:
        return self.path("annotations")

    @property
    def releases_dir(self) -> Path:
        return self.path("releases")

    @property
    def profile_dirs(self) -> tuple[Path, ...]:
        folder = self.path("profiles")
        return (folder,) if folder.is_dir() else ()

    def article_files(self) -> list[Path]:
        return sorted(self.articles_dir.glob("*.jsonl"))

    def annotation_files(self) -> list[Path]:
        return sorted(self.annotations_dir.glob("*.jsonl"))
