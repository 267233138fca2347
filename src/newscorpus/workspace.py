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
    """How articles are assigned to splits (see :mod:`newscorpus.release.splits`).

    ``hash``: a hash of the article id (or its duplicate group's key) and ``salt`` against
    ``ratios``. ``time``: ``cuts`` maps each split, in time order, to the date it starts
    (the first split has none); undated articles go to ``undated`` (default: the first
    split). ``source``: whole sources go to one split, by ``assign`` (source -> split) or else
    by a hash of the source name against ``ratios``.
    """

    strategy: str = "hash"
    ratios: tuple[tuple[str, float], ...] = (("train", 0.8), ("validation", 0.1), ("test", 0.1))
    salt: str = ""
    cuts: tuple[tuple[str, str | None], ...] = ()
    undated: str | None = None
    assign: tuple[tuple[str, str], ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(n for n, _ in self.cuts) if self.strategy == "time" else tuple(
            n for n, _ in self.ratios)

    def to_dict(self) -> dict[str, Any]:
        if self.strategy == "time":
            return {"strategy": "time", "cuts": dict(self.cuts),
                    "undated": self.undated or self.cuts[0][0]}
        out: dict[str, Any] = {"strategy": self.strategy, "ratios": dict(self.ratios),
                               "salt": self.salt}
        if self.strategy == "source":
            out["assign"] = dict(self.assign)
        return out


@dataclass(frozen=True, slots=True)
class ReleaseOptions:
    """What a release contains: ``text: false`` is the copyright-safe mode (no article
    text, titles or span surfaces; ``newscorpus hydrate`` restores them from raw inputs);
    ``annotators: true`` adds the ``annotations`` config with every annotator's labels."""

    text: bool = True
    annotators: bool = False


@dataclass(frozen=True, slots=True)
class WorkspaceConfig:
    name: str
    license: str
    labels: LabelSet
    splits: SplitPolicy
    release: ReleaseOptions = field(default_factory=ReleaseOptions)
    pretty_name: str = ""
    description: str = ""
    homepage: str | None = None
    citation: dict[str, Any] = field(default_factory=dict)
    datasheet: dict[str, str] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_PATHS))
    overlap: int | None = None  # annotate.overlap: annotators per Label Studio task


STRATEGIES = ("hash", "time", "source")


def _split_policy(where: str, data: Any) -> SplitPolicy:
    data = data or {}
    strategy = data.get("strategy", "hash")
    if strategy not in STRATEGIES:
        raise ConfigError(f"{where}: splits.strategy {strategy!r} is not supported "
                          f"(supported: {', '.join(STRATEGIES)})")
    if strategy == "time":
        return _time_policy(where, data)
    ratios = data.get("ratios", {"train": 0.8, "validation": 0.1, "test": 0.1})
    if not isinstance(ratios, dict) or not ratios:
        raise ConfigError(f"{where}: splits.ratios must map split names to fractions")
    pairs = tuple((str(k), float(v)) for k, v in ratios.items())
    if any(v < 0 for _, v in pairs) or abs(sum(v for _, v in pairs) - 1.0) > 1e-9:
        raise ConfigError(f"{where}: splits.ratios must be non-negative and sum to 1, got {ratios}")
    assign = data.get("assign") or {}
    if strategy != "source" and assign:
        raise ConfigError(f"{where}: splits.assign is only for strategy 'source'")
    if not isinstance(assign, dict) or any(v not in ratios for v in assign.values()):
        raise ConfigError(f"{where}: splits.assign must map sources to one of {list(ratios)}")
    return SplitPolicy(strategy, pairs, str(data.get("salt", "")),
                       assign=tuple(sorted((str(k), str(v)) for k, v in assign.items())))


def _time_policy(where: str, data: dict[str, Any]) -> SplitPolicy:
    from datetime import date

    cuts = data.get("cuts")
    if not isinstance(cuts, dict) or len(cuts) < 2:
        raise ConfigError(f"{where}: splits.cuts must map at least two splits, in time order, "
                          "to the date each starts (the first: null)")
    pairs: list[tuple[str, str | None]] = []
    for i, (name, start) in enumerate(cuts.items()):
        if i == 0:
            if start is not None:
                raise ConfigError(f"{where}: splits.cuts: the first split ({name}) has no start date")
            pairs.append((str(name), None))
            continue
        try:
            day = start if isinstance(start, date) else date.fromisoformat(str(start))
        except ValueError:
            raise ConfigError(f"{where}: splits.cuts.{name} must be a date YYYY-MM-DD, "
                              f"got {start!r}") from None
        if pairs[-1][1] is not None and day.isoformat() <= str(pairs[-1][1]):
            raise ConfigError(f"{where}: splits.cuts must be in increasing date order")
        pairs.append((str(name), day.isoformat()))
    undated = data.get("undated")
    if undated is not None and undated not in cuts:
        raise ConfigError(f"{where}: splits.undated must be one of {list(cuts)}")
    return SplitPolicy("time", (), "", tuple(pairs), undated)


def _release_options(where: str, data: Any) -> ReleaseOptions:
    data = data or {}
    if not isinstance(data, dict) or set(data) - {"text", "annotators"}:
        raise ConfigError(f"{where}: release takes only 'text' and 'annotators' (true/false)")
    if any(not isinstance(v, bool) for v in data.values()):
        raise ConfigError(f"{where}: release.text and release.annotators must be true or false")
    return ReleaseOptions(**data)


DATASHEET_KEYS = ("motivation", "collection", "annotation", "biases", "maintenance")


def _datasheet(where: str, data: Any) -> dict[str, str]:
    data = data or {}
    if not isinstance(data, dict) or set(data) - set(DATASHEET_KEYS):
        raise ConfigError(f"{where}: datasheet takes only {', '.join(DATASHEET_KEYS)}")
    return {k: str(v).strip() for k, v in data.items() if v}


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
        release=_release_options(str(path), data.get("release")),
        pretty_name=data.get("pretty_name") or data["name"],
        description=(data.get("description") or "").strip(),
        homepage=data.get("homepage"),
        citation=data.get("citation") or {},
        datasheet=_datasheet(str(path), data.get("datasheet")),
        paths={**DEFAULT_PATHS, **(data.get("paths") or {})},
        overlap=_overlap(str(path), data.get("annotate")),
    )


def _overlap(where: str, data: Any) -> int | None:
    data = data or {}
    overlap = data.get("overlap") if isinstance(data, dict) else None
    if not isinstance(data, dict) or set(data) - {"overlap"} or (
        overlap is not None and (isinstance(overlap, bool) or not isinstance(overlap, int) or overlap < 1)
    ):
        raise ConfigError(f"{where}: annotate takes only 'overlap' (a whole number >= 1)")
    return overlap


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
