"""The dataset card (``README.md``): Hugging Face YAML (license, language, task categories,
size category, pretty name, ``configs:`` and ``dataset_info:``) and datasheet sections
(motivation, composition, collection, annotation with agreement, splits, biases and
limitations, maintenance), generated from the release statistics so that no figure can
drift from the data. Free text comes from the ``datasheet:`` mapping of the workspace config.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..annotate.agreement import card_section
from ..workspace import Workspace
from .features import MIN_DATASETS, field_doc, list_item, type_label, yaml_features
from .figures import FIGURES
from .metadata import bibtex, cite_as, spdx_url

# The Hub's licence identifiers (hub-docs repositories-licenses.md; huggingface_hub ships no
# list); any other licence is `other` with `license_name` and `license_link`.
HUB_LICENSES = (
    "apache-2.0", "mit", "openrail", "bigscience-openrail-m", "creativeml-openrail-m",
    "bigscience-bloom-rail-1.0", "bigcode-openrail-m", "afl-3.0", "artistic-2.0", "bsl-1.0",
    "bsd", "bsd-2-clause", "bsd-3-clause", "bsd-3-clause-clear", "c-uda", "cc", "cc0-1.0",
    "cc-by-2.0", "cc-by-2.5", "cc-by-3.0", "cc-by-4.0", "cc-by-sa-3.0", "cc-by-sa-4.0",
    "cc-by-nc-2.0", "cc-by-nc-3.0", "cc-by-nc-4.0", "cc-by-nd-4.0", "cc-by-nc-nd-3.0",
    "cc-by-nc-nd-4.0", "cc-by-nc-sa-2.0", "cc-by-nc-sa-3.0", "cc-by-nc-sa-4.0",
    "cdla-sharing-1.0", "cdla-permissive-1.0", "cdla-permissive-2.0", "wtfpl", "ecl-2.0",
    "epl-1.0", "epl-2.0", "etalab-2.0", "eupl-1.1", "agpl-3.0", "gfdl", "gpl", "gpl-2.0",
    "gpl-3.0", "lgpl", "lgpl-2.1", "lgpl-3.0", "isc", "lppl-1.3c", "ms-pl", "mpl-2.0",
    "odc-by", "odbl", "openrail++", "osl-3.0", "postgresql", "ofl-1.1", "ncsa", "unlicense",
    "zlib", "pddl", "lgpl-lr", "deepfloyd-if-license", "llama2", "gemma", "unknown", "other",
)
_FAMILIES = {"c-uda-1.0": "c-uda", "gfdl-1.1": "gfdl", "gfdl-1.2": "gfdl", "gfdl-1.3": "gfdl",
             "odc-by-1.0": "odc-by", "odbl-1.0": "odbl", "pddl-1.0": "pddl"}


def hub_license(spdx: str) -> str:
    """The Hub card's ``license:`` value for an SPDX licence id (``other`` when the Hub has
    no identifier for it: see :func:`license_fields`)."""
    key = re.sub(r"-(only|or-later)$", "", spdx.strip().lower())
    key = _FAMILIES.get(key, key)
    return key if key in HUB_LICENSES else "other"


def license_fields(spdx: str) -> dict[str, str]:
    """The card's licence fields: ``license``, and for ``other`` the ``license_name`` (a
    slug of the SPDX id) and ``license_link`` the Hub asks for."""
    hub = hub_license(spdx)
    if hub != "other":
        return {"license": hub}
    return {"license": "other", "license_name": re.sub(r"[^a-z0-9.]+", "-", spdx.lower()).strip("-"),
            "license_link": spdx_url(spdx)}


CONFIG_DOCS = {
    "default": "one row per article: metadata, `text`, `blocks`, and its gold entities, "
               "quotes and stances nested",
    "entities": "one row per gold entity mention (`article_id`, offsets, surface, `label`)",
    "quotes": "one row per gold quote, with its speaker span or entity and cue",
    "stances": "one row per gold stance: holder (article, quote or entity), target, value",
    "annotations": "one row per annotation record of *every* annotator (not only gold), "
                   "for agreement studies",
}


def size_category(n: int) -> str:
    for bound, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
                        (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M")):
        if n < bound:
            return name
    return "10M<n<100M"


def _table(header: tuple[str, ...], rows: list[Any]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join("" if c is None else str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _dataset_info(manifest: dict[str, Any], features: dict[str, Any]) -> list[dict[str, Any]]:
    """Each config's ``dataset_info`` entry, as ``datasets.DatasetInfo._to_yaml_dict`` gives it
    (features, config name, the splits with rows, sizes)."""
    out = []
    for config, spec in manifest["configs"].items():
        splits = [{"name": name, "num_bytes": split.get("arrow_bytes", 0),
                   "num_examples": split["rows"]}
                  for name, split in spec["splits"].items() if split["rows"]]
        download = sum(f["bytes"] for s in spec["splits"].values() for f in s["files"])
        size = sum(s.get("arrow_bytes", 0) for s in spec["splits"].values())
        out.append({"features": yaml_features(features[config]), "config_name": config,
                    "splits": splits, "download_size": download, "dataset_size": size})
    return out


def front_matter(ws: Workspace, manifest: dict[str, Any], stats: dict[str, Any],
                 features: dict[str, Any]) -> dict[str, Any]:
    cfg = ws.config
    configs = []
    for config, spec in manifest["configs"].items():
        entry: dict[str, Any] = {"config_name": config, "data_files": [
            {"split": name, "path": f"data/{config}/{name}-*.parquet"}
            for name, split in spec["splits"].items() if split["rows"]]}
        if config == "default":
            entry["default"] = True
        configs.append(entry)
    languages = sorted({str(lang).split("-")[0] for lang, _ in stats["languages"]
                        if lang != "unknown"})
    sheet = cfg.datasheet
    return {
        "pretty_name": cfg.pretty_name,
        **license_fields(cfg.license),
        "language": languages,
        "multilinguality": ["multilingual" if len(languages) > 1 else "monolingual"],
        "language_creators": _values(sheet.get("language_creators"), "found"),
        "annotations_creators": _values(sheet.get("annotations_creators"),
                                        "expert-generated" if manifest["counts"]["annotations"]
                                        else "no-annotation"),
        "source_datasets": ["original"],
        "task_categories": ["token-classification", "text-classification"],
        "task_ids": ["named-entity-recognition"],
        "size_categories": [size_category(manifest["counts"]["articles"])],
        "tags": ["news", "quotation-attribution", "stance-detection"],
        "configs": configs,
        "dataset_info": _dataset_info(manifest, features),
    }


def _values(text: str | None, default: str) -> list[str]:
    return [v.strip() for v in (text or default).split(",") if v.strip()]


def data_fields(features: dict[str, Any]) -> str:
    """The card's data-fields table: every column of every config (and every field of a
    list column), with its type and meaning."""
    out = ["## Data fields\n"]
    for config, feats in features.items():
        rows = []
        for name, feature in feats.items():
            rows.append((f"`{name}`", type_label(feature), field_doc(config, (name,))))
            inner = list_item(feature)
            if inner is not None and "_type" not in inner:  # a list of structs
                rows += [(f"`{name}.{sub}`", type_label(f), field_doc(config, (name, sub)))
                         for sub, f in inner.items()]
        out.append(f"### `{config}`\n\n" + _table(("column", "type", "meaning"), rows) + "\n")
    return "\n".join(out)


def _splits_section(ws: Workspace, manifest: dict[str, Any], stats: dict[str, Any]) -> str:
    policy = ws.config.splits
    if policy.strategy == "time":
        periods = []
        for i, (name, start) in enumerate(policy.cuts):
            end = policy.cuts[i + 1][1] if i + 1 < len(policy.cuts) else None
            periods.append(f"{name} " + (f"from {start}" if start else "up to")
                           + (f" until {end} (excluded)" if end else " onwards" if start else ""))
        rule = ("Strategy `time`: an article's split is the period its publication day falls in: "
                + "; ".join(periods) + f". Undated articles go to "
                f"`{policy.undated or policy.cuts[0][0]}`. Later splits never precede earlier ones, "
                "so evaluation is on news published after the training data.")
    elif policy.strategy == "source":
        rule = ("Strategy `source`: every article of a source is in the same split, so evaluation "
                "is on outlets never seen in training. Sources are assigned "
                + (f"explicitly ({len(policy.assign)} in the config) or " if policy.assign else "")
                + f"by a hash of the source name and the salt `{policy.salt}`, with ratios "
                + ", ".join(f"{n} {r:g}" for n, r in policy.ratios) + ".")
    else:
        rule = (f"Strategy `hash`: an article's split is a hash of its id (or of its duplicate "
                f"group's first member) and the salt `{policy.salt}`, with ratios "
                + ", ".join(f"{n} {r:g}" for n, r in policy.ratios) + ".")
    groups = stats["duplicate_groups"]
    prev = manifest.get("previous")
    rows = [(name, s["articles"], s["labelled_articles"], s["entities"], s["quotes"], s["stances"],
             s["sources"], s["first_date"], s["last_date"]) for name, s in stats["splits"].items()]
    return "\n".join([
        "## Splits\n",
        rule + "\n",
        f"Near duplicates and re-published wire stories are grouped ({groups['groups']} groups, "
        f"{groups['articles']} articles) and a group never straddles two splits. An article keeps "
        "the split it had in the previous release"
        + (f" ({prev['version']})" if prev else "") + "; a move would make a MAJOR release.\n",
        _table(("split", "articles", "labelled", "entities", "quotes", "stances", "sources",
                "first date", "last date"), rows) + "\n",
    ])


def _agreement_section(stats: dict[str, Any]) -> str:
    return card_section(stats["agreement"])  # the figures of `newscorpus annotate agreement`


def dataset_card(ws: Workspace, manifest: dict[str, Any], stats: dict[str, Any],
                 features: dict[str, Any], figures: list[str]) -> str:
    cfg = ws.config
    sheet = cfg.datasheet
    counts = manifest["counts"]
    version = manifest["version"]
    labels = stats["labels"]
    text_note = ("" if manifest["text"] else
                 "\n**Copyright-safe release**: article text, titles and span surfaces are "
                 "left out (null); ids, URLs, offsets and `text_sha256` are kept. Rebuild the "
                 "text from your own copy of the sources with `newscorpus hydrate`.\n")
    repo = cfg.release.hub_repo
    load = "\n".join(f'ds = datasets.load_dataset("{repo}", "{c}", revision="v{version}")' if repo
                      else f'ds = datasets.load_dataset("path/to/releases/{version}", "{c}")'
                      for c in manifest["configs"])
    parts = [
        "---\n" + yaml.safe_dump(front_matter(ws, manifest, stats, features), sort_keys=False,
                                 allow_unicode=True) + "---\n",
        f"# {cfg.pretty_name} — version {version}\n",
        f"{cfg.description}\n" if cfg.description else "",
        f"Released {manifest['release_date']} by newscorpus {manifest['generator']['version']}. "
        f"License: {cfg.license}.\n" + text_note,
        "## Load it\n",
        "```python\nimport datasets\n" + load + "\n```\n",
        _table(("config", "rows"), [(f"`{c}`: {CONFIG_DOCS.get(c, '')}",
                                     sum(s["rows"] for s in spec["splits"].values()))
                                    for c, spec in manifest["configs"].items()]) + "\n",
        "Labels are `ClassLabel` features (`ds['train'].features` gives their names). Offsets "
        "are Unicode code-point offsets into `text` (Python string indices): "
        "`text[start:end]` equals each span's surface.\n",
        f"Every config loads with `datasets` {MIN_DATASETS} or newer (checked in CI with "
        f"{MIN_DATASETS}), as a folder or with `load_dataset(\"parquet\", data_files=...)`.\n",
        data_fields(features),
        "## Cite\n",
        f"```\n{cite_as(ws, manifest)}\n```\n\nSee `CITATION.cff`; cite the version you used.\n",
        f"```bibtex\n{bibtex(ws, manifest)}```\n",
        "## Motivation\n",
        (sheet.get("motivation") or cfg.description or "Not stated by the maintainers.") + "\n",
        _uses_section(sheet),
        "## Composition\n",
        f"{counts['articles']} articles from {len(stats['sources'])} sources in "
        f"{len(stats['languages'])} languages; {counts['gold_articles']} carry gold labels "
        f"({counts['entities']} entity mentions, {counts['quotes']} quotes, "
        f"{counts['stances']} stances).\n",
        "### Sources\n",
        _table(("#", "source", "articles"), [(i + 1, s, n) for i, (s, n) in
                                             enumerate(stats["sources"])]) + "\n",
        "### Languages\n",
        _table(("language", "articles"), stats["languages"]) + "\n",
        "### Time range\n",
        (f"Published from {stats['first_date']} to {stats['last_date']} ({stats['dated']} dated "
         f"articles of {counts['articles']}).\n" if stats["dated"]
         else "No article carries a publication date.\n"),
        "### Labels\n",
        _table(("entity label", "mentions"), labels["entities"]) + "\n",
        _table(("quote kind", "quotes"), labels["quotes"]) + "\n",
        (_table(("stance target", "stance", "count"), labels["stances"]) + "\n"
         if labels["stances"] else "No stances.\n"),
        "### Figures\n",
        "\n".join(f"![{FIGURES[f.removesuffix('.png')]}](figures/{f})" for f in figures) + "\n",
        "## Collection process\n",
        _para(sheet, "collection")
        + "Raw inputs were normalized by newscorpus converters into one record schema "
        f"(article schema {manifest['record_schemas'].get('article', 'n/a')}); every record "
        "was validated and every annotation span checked against the text before the build. "
        "`manifest.json` lists the input files with their SHA-256.\n",
        "## Annotation process\n",
        _para(sheet, "annotation")
        + f"{counts['annotations']} annotation records by {len(stats['annotators'])} "
        "annotator(s); an article's gold labels are its `ground_truth` annotation (or its only "
        "one). Annotators: " + ", ".join(f"{a} ({n})" for a, n in stats["annotators"]) + ".\n",
        _agreement_section(stats),
        _splits_section(ws, manifest, stats),
        "## Biases and limitations\n",
        _para(sheet, "biases") + _limitations(stats,
                                                                                     counts),
        _personal_section(sheet, stats, counts),
        "## Source terms\n",
        (sheet.get("source_terms") or "Not stated by the maintainers: check the terms of each "
         "source before redistributing article text.") + f" This release is under {cfg.license}"
        + ("" if manifest["text"] else "; it holds no article text") + ".\n",
        "## Maintenance\n",
        _para(sheet, "maintenance")
        + "Versions follow semver: PATCH = same data, new packaging; MINOR = records or fields "
        "added; MAJOR = records changed or removed, or splits reshuffled. A published version "
        "is never changed; `CHANGELOG.md` lists what changed since the previous release.\n",
        "## Files\n",
        "`manifest.json` lists every data file with its rows and SHA-256 and the per-split "
        "statistics; `SHA256SUMS` covers every file; `croissant.json` is Croissant 1.1 "
        "metadata; `CITATION.cff` and `.zenodo.json` say how to cite this version.\n",
    ]
    return "\n".join(p for p in parts if p)


def _uses_section(sheet: dict[str, str]) -> str:
    out = ["## Uses\n", (sheet.get("uses") or "Not stated by the maintainers.") + "\n"]
    if sheet.get("out_of_scope"):
        out += ["### Out-of-scope uses\n", sheet["out_of_scope"] + "\n"]
    return "\n".join(out)


def _personal_section(sheet: dict[str, str], stats: dict[str, Any], counts: dict[str, Any]) -> str:
    people = dict(stats["labels"]["entities"]).get("PERSON", 0)
    return ("## Personal and sensitive information\n\n"
            + _para(sheet, "personal_information")
            + "Facts from the data: news articles name people: bylines (`authors`), quoted "
            f"speakers ({counts['quotes']} quotes) and {people} PERSON entity mentions in the "
            "gold labels. Annotator ids (`annotators`, `annotator`) are the names used in the "
            "annotation tool.\n")


def _para(sheet: dict[str, str], key: str) -> str:
    return sheet[key] + "\n\n" if sheet.get(key) else ""


def _limitations(stats: dict[str, Any], counts: dict[str, Any]) -> str:
    n = counts["articles"] or 1
    facts = []
    if stats["sources"]:
        top, k = stats["sources"][0]
        facts.append(f"the largest source ({top}) gives {k / n:.0%} of the articles")
    if stats["languages"]:
        lang, k = stats["languages"][0]
        facts.append(f"{k / n:.0%} of the articles are in `{lang}`")
    facts.append(f"{counts['gold_articles'] / n:.0%} of the articles carry gold labels")
    if not stats["agreement"]["double_annotated"]:
        facts.append("no double annotation, so label quality is not measured")
    return ("Facts from the data: " + "; ".join(facts) + ". Labels reflect the label set "
            "and the annotators' reading; news outlets differ in framing and coverage.\n")
