"""A workspace: the folder of one corpus and its config file ``newscorpus.yaml``.

Layout: ``raw/`` (inputs), ``articles/`` (normalized records, JSONL), ``annotations/``
(annotation records, JSONL), ``releases/X.Y.Z/`` (immutable releases), ``profiles/``
(extra site profiles), ``quarantine/`` (rejected inputs with reasons).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError, WorkspaceError
from .records import STANCE_VALUES

CONFIG_NAME = "newscorpus.yaml"
CONFIG_SCHEMA = "1.0.0.json"
DEFAULT_PATHS = {
    "raw": "raw",
    "articles": "articles",
    "annotations": "annotations",
    "releases": "releases",
    "profiles": "profiles",
    "quarantine": "quarantine",
}


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
    ``annotators: true`` adds the ``annotations`` config with every annotator's labels;
    ``hub_repo`` (``owner/name``) is where the release is published, so that the card's load
    example names it with ``revision="vX.Y.Z"``."""

    text: bool = True
    annotators: bool = False
    hub_repo: str | None = None


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
    convert: dict[str, dict[str, Any]] = field(default_factory=dict)  # per-format options
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
    if not isinstance(data, dict) or set(data) - {"text", "annotators", "hub_repo"}:
        raise ConfigError(f"{where}: release takes only 'text' and 'annotators' (true/false) "
                          "and 'hub_repo' (owner/name)")
    flags = {k: v for k, v in data.items() if k != "hub_repo"}
    if any(not isinstance(v, bool) for v in flags.values()):
        raise ConfigError(f"{where}: release.text and release.annotators must be true or false")
    repo = data.get("hub_repo")
    if repo is not None and (not isinstance(repo, str) or not HUB_REPO.fullmatch(repo)):
        raise ConfigError(f"{where}: release.hub_repo must be a Hub dataset id 'owner/name', got {repo!r}")
    return ReleaseOptions(**flags, hub_repo=repo)


HUB_REPO = re.compile(r"[A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95}")
"""A Hugging Face Hub repository id, ``owner/name``."""

DATASHEET_KEYS = ("motivation", "collection", "annotation", "biases", "maintenance", "uses",
                  "out_of_scope", "limitations", "personal_information", "source_terms",
                  "social_impact", "annotations_creators", "language_creators")


def _datasheet(where: str, data: Any) -> dict[str, str]:
    data = data or {}
    if not isinstance(data, dict) or set(data) - set(DATASHEET_KEYS):
        raise ConfigError(f"{where}: datasheet takes only {', '.join(DATASHEET_KEYS)}")
    return {k: str(v).strip() for k, v in data.items() if v}


_TYPE_NAMES = {"object": "a mapping", "array": "a list", "string": "a string", "number": "a number",
               "boolean": "true or false", "integer": "an integer"}


@cache
def _config_validator() -> Any:
    import jsonschema

    schema = json.loads((files("newscorpus") / "schema" / "config" / CONFIG_SCHEMA).read_text("utf-8"))
    return jsonschema.Draft202012Validator(schema)


def check_config(data: dict[str, Any], where: str) -> None:
    """Check a parsed config against the config's JSON Schema (``schema/config/``); raise
    :class:`ConfigError` naming the first offending key, with what it must be."""
    errors = sorted(_config_validator().iter_errors(data),
                    key=lambda e: (len(e.absolute_path), [str(p) for p in e.absolute_path]))
    if not errors:
        return
    error = errors[0]
    key = ".".join(str(p) for p in error.absolute_path)
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        unknown = sorted(set(error.instance) - set(allowed))
        raise ConfigError(f"{where}: unknown key {'.'.join([key, unknown[0]]).lstrip('.')!r} "
                          f"(allowed{' in ' + key if key else ''}: {', '.join(allowed)})")
    if error.validator == "required":
        raise ConfigError(f"{where}: {error.message.split(' is ')[0]} is required")
    if error.validator == "type":
        types = error.schema["type"] if isinstance(error.schema["type"], list) else [error.schema["type"]]
        what = " or ".join(_TYPE_NAMES[t] for t in types if t != "null")
        raise ConfigError(f"{where}: {key} must be {what}, got {error.instance!r}")
    if error.validator == "enum":
        raise ConfigError(f"{where}: {key} must be one of {', '.join(map(str, error.schema['enum']))}, "
                          f"got {error.instance!r}")
    raise ConfigError(f"{where}: {key or 'config'}: {error.message}")


def load_config(path: Path) -> WorkspaceConfig:
    """Read and check a workspace config file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise WorkspaceError(f"{path}: no workspace config (expected {CONFIG_NAME})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{path}: not valid YAML{where}: {problem}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the config must be a mapping")
    check_config(data, str(path))
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
        convert={str(k): dict(v) for k, v in (data.get("convert") or {}).items()},
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
        """The article record files (``articles/*.jsonl``; folders with that name are not files)."""
        return sorted(p for p in self.articles_dir.glob("*.jsonl") if p.is_file())

    def annotation_files(self) -> list[Path]:
        return sorted(p for p in self.annotations_dir.glob("*.jsonl") if p.is_file())
