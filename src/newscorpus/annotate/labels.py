"""The workspace label set as a Label Studio labeling config.

One ``<Text name="text" value="$text">`` object (never ``<HyperText>``, which stores XPaths
and UTF-16 offsets; with ``<Text>`` offsets are code points) and these controls:

- ``entity`` (Labels): the workspace's entity types.
- ``quote`` (Labels): ``QUOTE`` (direct), ``INDIRECT_QUOTE``, ``SPEAKER``, ``CUE``.
- Relations: ``said_by`` (quote -> speaker span or entity), ``cue`` (quote -> cue span),
  ``refers_to`` (speaker span -> the entity it names, e.g. "she" -> "Ana Ruiz").
- ``stance__<target>`` (Choices, per region): stance of the selected quote or entity toward
  each target of the label set.
- ``article_stance__<target>`` (Choices): the article's stance toward each target.

The mapping control name <-> target is derived from the label set alone, so a result can be
read back without the project's config. :meth:`LabelConfig.result_problems` checks results
with ``label_studio_sdk``'s ``LabelInterface`` (the server does not validate them).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import quoteattr

from ..errors import ConfigError, MissingDependencyError
from ..workspace import LabelSet

TEXT_NAME = "text"
ENTITY_CONTROL = "entity"
QUOTE_CONTROL = "quote"
QUOTE = "QUOTE"
INDIRECT_QUOTE = "INDIRECT_QUOTE"
SPEAKER = "SPEAKER"
CUE = "CUE"
QUOTE_KINDS = {QUOTE: "direct", INDIRECT_QUOTE: "indirect"}
QUOTE_LABELS = (QUOTE, INDIRECT_QUOTE, SPEAKER, CUE)
SAID_BY = "said_by"
CUE_OF = "cue"
REFERS_TO = "refers_to"
RELATIONS = (SAID_BY, CUE_OF, REFERS_TO)
STANCE_PREFIX = "stance__"
ARTICLE_STANCE_PREFIX = "article_stance__"
INSTALL_HINT = "install the Label Studio extra: pip install 'newscorpus[annotate]'"

_PALETTE = (
    "#f5a623",
    "#4a90e2",
    "#7ed321",
    "#bd10e0",
    "#50e3c2",
    "#d0021b",
    "#9013fe",
    "#8b572a",
    "#417505",
    "#b8e986",
    "#f8e71c",
    "#4a4a4a",
)
_QUOTE_COLORS = {QUOTE: "#ffcc00", INDIRECT_QUOTE: "#ffe680", SPEAKER: "#cc00ff", CUE: "#00b3b3"}


def target_slug(target: str) -> str:
    """The part of a control name standing for ``target`` (letters, digits, underscores)."""
    slug = re.sub(r"[^0-9A-Za-z]+", "_", target).strip("_")
    if not slug:
        raise ConfigError(f"stance target {target!r} has no letter or digit to name a control")
    return slug


@dataclass(frozen=True, slots=True)
class LabelConfig:
    """A generated labeling config and the maps needed to read results back."""

    labels: LabelSet
    xml: str
    region_stance: dict[str, str] = field(default_factory=dict)
    article_stance: dict[str, str] = field(default_factory=dict)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.xml.encode("utf-8")).hexdigest()

    @property
    def entity_labels(self) -> tuple[str, ...]:
        return self.labels.entities

    def region_stance_control(self, target: str) -> str:
        return STANCE_PREFIX + target_slug(target)

    def article_stance_control(self, target: str) -> str:
        return ARTICLE_STANCE_PREFIX + target_slug(target)

    def result_problems(self, result: list[dict[str, Any]]) -> list[str]:
        """Why ``result`` does not fit this config (``LabelInterface`` plus relation labels)."""
        interface = _label_interface(self.xml)
        errors = list(interface.validate_prediction({"result": result}, return_errors=True))
        for i, item in enumerate(result):
            if isinstance(item, dict) and item.get("type") == "relation":
                bad = [x for x in item.get("labels") or [] if x not in RELATIONS]
                if bad:
                    errors.append(f"Relation {i}: unknown relation label(s) {bad}")
        return errors


def _label_interface(xml: str) -> Any:
    try:
        from label_studio_sdk.label_interface import LabelInterface
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MissingDependencyError(f"label-studio-sdk is needed here ({exc}); {INSTALL_HINT}") from None
    return LabelInterface(xml)


def validate_label_config(xml: str) -> None:
    """Raise :class:`ConfigError` unless ``LabelInterface`` accepts ``xml``."""
    interface = _label_interface(xml)
    try:
        interface.validate()
    except Exception as exc:  # the SDK raises its own (non-public) validation errors
        raise ConfigError(f"generated labeling config is invalid: {exc}") from None


def _choices(name: str, values: tuple[str, ...], per_region: bool) -> str:
    region = ' perRegion="true"' if per_region else ""
    options = "".join(f"<Choice value={quoteattr(v)}/>" for v in values)
    return (
        f'    <Choices name={quoteattr(name)} toName="{TEXT_NAME}" choice="single-radio"'
        f' showInline="true"{region}>{options}</Choices>\n'
    )


def build_label_config(labels: LabelSet, *, validate: bool = True) -> LabelConfig:
    """The labeling config for ``labels`` (checked with ``LabelInterface`` when ``validate``)."""
    clash = sorted(set(labels.entities) & set(QUOTE_LABELS))
    if clash:
        raise ConfigError(f"entity labels {clash} clash with the quote labels {list(QUOTE_LABELS)}")
    if not labels.entities:
        raise ConfigError("the label set has no entity labels (labels.entities in newscorpus.yaml)")
    region_stance: dict[str, str] = {}
    article_stance: dict[str, str] = {}
    for target in labels.stance_targets:
        slug = target_slug(target)
        for prefix, table in ((STANCE_PREFIX, region_stance), (ARTICLE_STANCE_PREFIX, article_stance)):
            name = prefix + slug
            if name in table:
                raise ConfigError(
                    f"stance targets {table[name]!r} and {target!r} map to the same "
                    f"control name {name!r}; rename one"
                )
            table[name] = target
    parts = [
        "<View>\n",
        "  <Style>.htx-text { white-space: pre-wrap; }</Style>\n",
        '  <Header value="$title"/>\n',
        f'  <Text name="{TEXT_NAME}" value="$text" granularity="symbol"/>\n',
        '  <Header value="Entities" size="6"/>\n',
        f'  <Labels name="{ENTITY_CONTROL}" toName="{TEXT_NAME}">\n',
    ]
    for i, label in enumerate(labels.entities):
        parts.append(
            f"    <Label value={quoteattr(label)} background={quoteattr(_PALETTE[i % len(_PALETTE)])}/>\n"
        )
    parts += [
        "  </Labels>\n",
        '  <Header value="Quotes: the quote, its speaker and cue; link quote -> speaker (said_by) and '
        'quote -> cue (cue)" size="6"/>\n',
        f'  <Labels name="{QUOTE_CONTROL}" toName="{TEXT_NAME}">\n',
    ]
    for label in QUOTE_LABELS:
        parts.append(f'    <Label value="{label}" background="{_QUOTE_COLORS[label]}"/>\n')
    parts += ["  </Labels>\n", "  <Relations>\n"]
    parts += [f'    <Relation value="{r}"/>\n' for r in RELATIONS]
    parts.append("  </Relations>\n")
    if labels.stance_targets:
        # Only a quote or entity region holds a stance: the block stays hidden for SPEAKER and
        # CUE regions (the UI splits whenLabelValue on commas and shows it if any label matches).
        holders = ",".join((*labels.entities, QUOTE, INDIRECT_QUOTE))
        parts.append(f'  <View visibleWhen="region-selected" whenLabelValue={quoteattr(holders)}>\n')
        parts.append('    <Header value="Stance of the selected quote or entity" size="6"/>\n')
        for name, target in region_stance.items():
            parts.append(f'    <Header value={quoteattr(target)} size="6"/>\n')
            parts.append(_choices(name, labels.stances, per_region=True))
        parts.append("  </View>\n")
        parts.append('  <Header value="Article stance toward each target" size="6"/>\n')
        for name, target in article_stance.items():
            parts.append(f'  <Header value={quoteattr(target)} size="6"/>\n')
            parts.append(_choices(name, labels.stances, per_region=False).replace("    <", "  <", 1))
    parts.append("</View>\n")
    xml = "".join(parts)
    if validate:
        validate_label_config(xml)
    return LabelConfig(labels, xml, region_stance, article_stance)
