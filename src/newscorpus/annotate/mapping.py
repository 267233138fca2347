"""How an export made with another labeling config maps onto the workspace label set.

A :class:`LabelMapping` says, for ``annotate import``:

- ``labels``: a span label of the export -> an entity label or a quote label
  (``Person=PERSON``, ``Speaker=SPEAKER``);
- ``relations``: a relation label -> ``said_by``, ``cue`` or ``refers_to`` (``""`` stands for
  an unlabelled relation);
- ``stances``: a ``<Choices>`` or ``<Taxonomy>`` control -> its values -> ``(target,
  stance)``: a sentiment choice ``Positive`` becomes the article's stance ``favor`` toward a
  target of the label set; a per-region choice becomes the stance of its quote or entity; a
  taxonomy path is written with ``/`` (``Politics/Budget``);
- ``ignore``: controls (or labels) left out on purpose (a free-text box, say); they are
  counted, not reported.

On the command line: ``--map Person=PERSON``, ``--map relation:refers-to=refers_to``,
``--map 'sentiment:Positive=favor@river-dam'``, ``--map quote_target=-``; in a YAML or
JSON file (``--mapping FILE``) the same four tables. Whatever an export holds that the
mapping does not cover is reported per annotation, never imported as an empty annotation.

:func:`foreign_controls` reads the export's own labeling config: its text objects (which
data field holds the text) and its controls (tag, per region or not).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError
from ..workspace import LabelSet
from .labels import QUOTE_LABELS, RELATIONS

IGNORE = "-"
RELATION_PREFIX = "relation:"
CONTROL_TAGS = {"labels", "choices", "taxonomy", "textarea", "number", "datetime", "rating", "relations"}


@dataclass
class LabelMapping:
    labels: dict[str, str] = field(default_factory=dict)
    relations: dict[str, str] = field(default_factory=dict)
    stances: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    ignore: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.labels or self.relations or self.stances or self.ignore)

    def update(self, other: LabelMapping) -> LabelMapping:
        self.labels.update(other.labels)
        self.relations.update(other.relations)
        for control, table in other.stances.items():
            self.stances.setdefault(control, {}).update(table)
        self.ignore |= other.ignore
        return self

    def check(self, labels: LabelSet) -> None:
        """Raise :class:`ConfigError` for a mapping onto something the label set lacks."""
        ours = (*labels.entities, *QUOTE_LABELS)
        for source, target in self.labels.items():
            if target not in ours and target.upper() not in ours:
                hint = " (a stance mapping is CONTROL:VALUE=STANCE@TARGET)" if ":" in source else ""
                raise ConfigError(
                    f"mapping {source}={target}: {target!r} is not a label of {list(ours)}{hint}"
                )
        for source, target in self.relations.items():
            if target not in RELATIONS:
                raise ConfigError(
                    f"mapping relation:{source}={target}: {target!r} is not one of {list(RELATIONS)}"
                )
        for control, table in self.stances.items():
            for value, (target, stance) in table.items():
                where = f"mapping {control}:{value}={stance}@{target}"
                if target not in labels.stance_targets:
                    raise ConfigError(
                        f"{where}: {target!r} is not a stance target of the label set "
                        f"{list(labels.stance_targets)}"
                    )
                if stance not in labels.stances:
                    raise ConfigError(f"{where}: {stance!r} is not one of {list(labels.stances)}")


def _stance_value(spec: str, where: str) -> tuple[str, str]:
    stance, sep, target = spec.partition("@")
    if not sep or not stance.strip() or not target.strip():
        raise ConfigError(f"{where}: expected STANCE@TARGET (e.g. favor@river-dam), got {spec!r}")
    return target.strip(), stance.strip()


def parse_map_items(items: Iterable[str]) -> LabelMapping:
    """The mapping given as ``--map`` strings (see the module documentation)."""
    out = LabelMapping()
    for item in items:
        source, sep, target = item.partition("=")
        if not sep or not source or not target:
            raise ConfigError(f"--map: expected FROM=TO, got {item!r}")
        if target == IGNORE:
            out.ignore.add(source)
        elif source.startswith(RELATION_PREFIX):
            out.relations[source[len(RELATION_PREFIX) :]] = target
        elif "@" in target:
            control, colon, value = source.partition(":")
            if not colon or not control or not value:
                raise ConfigError(f"--map: a stance mapping is CONTROL:VALUE=STANCE@TARGET, got {item!r}")
            out.stances.setdefault(control, {})[value] = _stance_value(target, f"--map {item!r}")
        else:
            out.labels[source] = target
    return out


def read_mapping_file(path: Path) -> LabelMapping:
    """A mapping file (YAML or JSON) with the tables ``labels``, ``relations``, ``stances``, ``ignore``."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the mapping ({exc})") from None
    try:
        if Path(path).suffix.lower() == ".json":
            data = json.loads(text)
        else:
            import yaml

            data = yaml.safe_load(text)
    except Exception as exc:  # yaml and json raise their own error types
        raise ConfigError(f"{path}: not valid YAML/JSON ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a mapping file is a table of labels/relations/stances/ignore")
    unknown = sorted(set(data) - {"labels", "relations", "stances", "ignore"})
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) {unknown} (allowed: labels, relations, stances, ignore)")
    out = LabelMapping()
    for key in ("labels", "relations"):
        table = data.get(key) or {}
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise ConfigError(f"{path}: {key} must map names to names")
        getattr(out, key).update({("" if k is None else str(k)): v for k, v in table.items()})
    stances = data.get("stances") or {}
    if not isinstance(stances, dict):
        raise ConfigError(f"{path}: stances must map a control to {{value: STANCE@TARGET}}")
    for control, table in stances.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: stances.{control} must map values to STANCE@TARGET")
        out.stances[str(control)] = {
            str(v): _stance_value(str(spec), f"{path}: stances.{control}.{v}") for v, spec in table.items()
        }
    ignore = data.get("ignore") or []
    if not isinstance(ignore, list):
        raise ConfigError(f"{path}: ignore must be a list of control or label names")
    out.ignore |= {str(x) for x in ignore}
    return out


@dataclass(frozen=True)
class ForeignControl:
    tag: str  # lower case: labels, choices, taxonomy, textarea, ...
    to_name: str | None
    per_region: bool


@dataclass
class ForeignConfig:
    objects: dict[str, str] = field(default_factory=dict)  # object name -> data key or "<Tag>"
    controls: dict[str, ForeignControl] = field(default_factory=dict)


def foreign_controls(config_xml: str | None) -> ForeignConfig:
    """The text objects and controls of an export's labeling config."""
    out = ForeignConfig()
    if not config_xml:
        return out
    if "<!ENTITY" in config_xml:
        raise ConfigError("the labeling config declares XML entities, which are not read")
    try:
        root = ET.fromstring(config_xml)
    except ET.ParseError as exc:
        raise ConfigError(f"the labeling config is not valid XML ({exc})") from None

    def walk(node: ET.Element, region: bool) -> None:
        tag = node.tag.lower()
        region = region or node.get("visibleWhen") == "region-selected"
        name, value = node.get("name"), node.get("value") or ""
        if tag in ("text", "hypertext", "paragraphs") and name:
            if tag == "text" and value.startswith("$"):
                out.objects[name] = value[1:]
            else:
                out.objects[name] = f"<{node.tag}>"
        elif name and (tag in CONTROL_TAGS or tag.endswith("labels")):
            per_region = region or (node.get("perRegion") or "").lower() == "true"
            out.controls[name] = ForeignControl(tag, node.get("toName"), per_region)
        for child in node:
            walk(child, region)

    walk(root, False)
    return out
