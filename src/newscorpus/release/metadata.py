"""Citation and discovery metadata of a release: ``CITATION.cff`` (CFF 1.2.0),
``croissant.json`` (Croissant 1.0, with the SHA-256 of every file) and ``.zenodo.json``
(Zenodo deposit metadata, for minting a DOI)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from ..annotate.agreement import analysis_text
from ..workspace import Workspace
from .parquet import sha256_file

CROISSANT_CONTEXT: dict[str, Any] = {
    "@language": "en", "@vocab": "https://schema.org/", "citeAs": "cr:citeAs",
    "column": "cr:column", "conformsTo": "dct:conformsTo", "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/", "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"}, "dct": "http://purl.org/dc/terms/",
    "examples": {"@id": "cr:examples", "@type": "@json"}, "extract": "cr:extract",
    "field": "cr:field", "fileProperty": "cr:fileProperty", "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet", "format": "cr:format", "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset", "jsonPath": "cr:jsonPath", "key": "cr:key",
    "md5": "cr:md5", "parentField": "cr:parentField", "path": "cr:path",
    "recordSet": "cr:recordSet", "references": "cr:references", "regex": "cr:regex",
    "repeated": "cr:repeated", "replace": "cr:replace", "sc": "https://schema.org/",
    "separator": "cr:separator", "source": "cr:source", "subField": "cr:subField",
    "transform": "cr:transform", "samplingRate": "cr:samplingRate",
    "equivalentProperty": "cr:equivalentProperty", "containedIn": "cr:containedIn",
    "isArray": "cr:isArray", "arrayShape": "cr:arrayShape",
}
CROISSANT_VERSION = "http://mlcommons.org/croissant/1.1"
_MEDIA = {".parquet": "application/x-parquet", ".md": "text/markdown", ".json": "application/json",
          ".cff": "application/x-yaml", ".png": "image/png"}


def _authors(ws: Workspace) -> list[dict[str, Any]]:
    return ws.config.citation.get("authors") or [{"name": "newscorpus developers"}]


def _author_name(author: dict[str, Any]) -> str:
    if author.get("name"):
        return str(author["name"])
    return " ".join(str(author[k]) for k in ("given-names", "family-names") if author.get(k))


def cite_as(ws: Workspace, manifest: dict[str, Any]) -> str:
    """A one-line citation: authors (year). title (version X.Y.Z) [Data set]. DOI or URL."""
    cfg = ws.config
    names = "; ".join(_author_name(a) for a in _authors(ws))
    title = cfg.citation.get("title") or cfg.pretty_name
    where = (f" https://doi.org/{cfg.citation['doi']}" if cfg.citation.get("doi")
             else f" {cfg.homepage}" if cfg.homepage else "")
    return (f"{names} ({manifest['release_date'][:4]}). {title} (version {manifest['version']}) "
            f"[Data set].{where}").rstrip()


def _bib(value: str) -> str:
    return re.sub(r"([{}&%$#_])", r"\\\1", value)


def bibtex(ws: Workspace, manifest: dict[str, Any]) -> str:
    """A BibTeX ``@misc`` entry for this version (people as ``Family, Given``, an
    organization braced so that BibTeX keeps it whole)."""
    cfg = ws.config
    people = [f"{_bib(a['family-names'])}, {_bib(a['given-names'])}"
              if a.get("family-names") and a.get("given-names") else "{" + _bib(_author_name(a)) + "}"
              for a in _authors(ws)]
    fields = [("title", "{" + _bib(f"{cfg.citation.get('title') or cfg.pretty_name} (version "
                                   f"{manifest['version']})") + "}"),
              ("author", " and ".join(people)), ("year", manifest["release_date"][:4]),
              ("version", manifest["version"]),
              ("publisher", "{" + _bib(_author_name(_authors(ws)[0])) + "}"),
              ("howpublished", "Data set")]
    if cfg.citation.get("doi"):
        fields.append(("doi", _bib(str(cfg.citation["doi"]))))
    if cfg.homepage:
        fields.append(("url", cfg.homepage))
    key = re.sub(r"[^A-Za-z0-9]+", "_", f"{cfg.name}_{manifest['version']}").strip("_")
    return f"@misc{{{key},\n" + "".join(f"  {k} = {{{v}}},\n" for k, v in fields) + "}\n"


def citation_cff(ws: Workspace, manifest: dict[str, Any]) -> str:
    """``CITATION.cff`` (CFF 1.2.0) for this version of the dataset."""
    cfg = ws.config
    doc: dict[str, Any] = {
        "cff-version": "1.2.0",
        "message": "If you use this dataset, please cite this version of it.",
        "type": "dataset",
        "title": cfg.citation.get("title") or cfg.pretty_name,
        "version": manifest["version"],
        "date-released": manifest["release_date"],
        "license": cfg.license,
        "authors": _authors(ws),
    }
    if cfg.description:
        doc["abstract"] = cfg.description
    if cfg.citation.get("doi"):
        doc["doi"] = cfg.citation["doi"]
    if cfg.homepage:
        doc["url"] = cfg.homepage
    keywords = cfg.citation.get("keywords")
    if keywords:
        doc["keywords"] = list(keywords)
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


def zenodo_json(ws: Workspace, manifest: dict[str, Any]) -> str:
    """``.zenodo.json``: deposit metadata Zenodo reads to mint a DOI for this version."""
    cfg = ws.config
    creators = []
    for a in _authors(ws):
        entry: dict[str, Any] = {"name": (f"{a['family-names']}, {a['given-names']}"
                                          if a.get("family-names") and a.get("given-names")
                                          else _author_name(a))}
        if a.get("affiliation"):
            entry["affiliation"] = a["affiliation"]
        if a.get("orcid"):
            entry["orcid"] = str(a["orcid"]).rsplit("/", 1)[-1]
        creators.append(entry)
    doc: dict[str, Any] = {
        "upload_type": "dataset",
        "title": f"{cfg.citation.get('title') or cfg.pretty_name} (version {manifest['version']})",
        "version": manifest["version"],
        "publication_date": manifest["release_date"],
        "description": cfg.description or cfg.pretty_name,
        "creators": creators,
        "license": cfg.license.lower(),
        "access_right": "open",
        "keywords": list(cfg.citation.get("keywords") or ["news", "corpus", "annotation"]),
    }
    if cfg.citation.get("doi"):
        doc["related_identifiers"] = [{"identifier": cfg.citation["doi"],
                                       "relation": "isVersionOf", "scheme": "doi"}]
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _data_type(feature: dict[str, Any]) -> str:
    if feature.get("_type") == "ClassLabel":
        return "sc:Integer"
    dtype = feature.get("dtype", "string")
    if dtype.startswith("int"):
        return "sc:Integer"
    return {"bool": "sc:Boolean", "float32": "sc:Float", "float64": "sc:Float"}.get(dtype, "sc:Text")


SPLIT_URLS = {"train": "cr:TrainingSplit", "validation": "cr:ValidationSplit", "test": "cr:TestSplit"}


class _Builder:
    """The record sets of one ``croissant.json``: one per config (fields from the config's
    FileSet, a ``split`` field from each file's path), the ``splits`` record set
    (``cr:Split``) and one ``sc:Enumeration`` record set per label list, which every
    ``ClassLabel`` field names in its description (index -> name)."""

    def __init__(self) -> None:
        self.enumerations: dict[str, list[str]] = {}

    def enumeration(self, name: str, names: list[str]) -> str:
        key, n = f"labels-{name}", 2  # name: "<config or list column>-<column>"
        while key in self.enumerations and self.enumerations[key] != names:
            key, n = f"labels-{name}-{n}", n + 1
        self.enumerations[key] = names
        return key

    def field(self, record_set: str, name: str, feature: Any, file_set: str,
              path: tuple[str, ...] = ()) -> dict[str, Any]:
        repeated = False
        while isinstance(feature, dict) and feature.get("_type") == "List":
            feature, repeated = feature["feature"], True
        out: dict[str, Any] = {"@type": "cr:Field", "@id": f"{record_set}/{name}", "name": name}
        source: dict[str, Any] = {"fileSet": {"@id": file_set}, "extract": {"column": path[0] if path
                                                                             else name}}
        if path:
            source["transform"] = {"jsonPath": ".".join((*path[1:], name))}
        if isinstance(feature, dict) and "_type" not in feature:  # a struct: one sub-field each
            out["subField"] = [self.field(f"{record_set}/{name}", sub, f, file_set,
                                          (*path, name) if path else (name,))
                               for sub, f in feature.items()]
        else:
            out["dataType"] = _data_type(feature)
            if feature.get("_type") == "ClassLabel":
                owner = path[-1] if path else record_set
                enum = self.enumeration(f"{owner}-{name}", list(feature["names"]))
                # the names are the record set `enum`; no `references`: mlcroissant joins on
                # it, which breaks its split filter
                out["description"] = (f"ClassLabel index; names in the record set `{enum}`: "
                                      + ", ".join(f"{i}={n}" for i, n in enumerate(feature["names"])))
        if repeated:
            out["isArray"] = True
            out["arrayShape"] = "-1"
        out["source"] = source
        return out

    def enumeration_sets(self) -> list[dict[str, Any]]:
        return [{
            "@type": "cr:RecordSet", "@id": key, "name": key, "dataType": "sc:Enumeration",
            "description": f"The label names of `{key.removeprefix('labels-').replace('-', '.')}` "
                           "(index -> name).",
            "key": {"@id": f"{key}/index"},
            "field": [{"@type": "cr:Field", "@id": f"{key}/index", "name": "index",
                       "dataType": "sc:Integer"},
                      {"@type": "cr:Field", "@id": f"{key}/name", "name": "name",
                       "dataType": "sc:Text"}],
            "data": [{f"{key}/index": i, f"{key}/name": n} for i, n in enumerate(names)],
        } for key, names in self.enumerations.items()]


def _split_set(names: list[str]) -> dict[str, Any]:
    return {
        "@type": "cr:RecordSet", "@id": "splits", "name": "splits", "dataType": "cr:Split",
        "description": "The splits of every config.", "key": {"@id": "splits/name"},
        "field": [{"@type": "cr:Field", "@id": "splits/name", "name": "name", "dataType": "sc:Text"},
                  {"@type": "cr:Field", "@id": "splits/url", "name": "url", "dataType": "sc:Text"}],
        "data": [{"splits/name": n, "splits/url": SPLIT_URLS.get(n, n)} for n in names],
    }


def rai_properties(ws: Workspace, manifest: dict[str, Any]) -> dict[str, Any]:
    """Croissant RAI properties: the datasheet's free text where the maintainers wrote it,
    and what the release itself knows (time frame, preprocessing, agreement, annotations per
    item)."""
    sheet, counts, ag = ws.config.datasheet, manifest["counts"], manifest.get("agreement") or {}
    out: dict[str, Any] = {}

    def put(key: str, value: Any) -> None:
        if value:
            out[f"rai:{key}"] = value

    put("dataCollection", sheet.get("collection"))
    dates = sorted(d for s in (manifest.get("split_stats") or {}).values()
                   for d in (s.get("first_date"), s.get("last_date")) if d)
    if dates:
        put("dataCollectionTimeFrame", [f"{dates[0]}T00:00:00", f"{dates[-1]}T23:59:59"])
    put("dataPreprocessingProtocol", [
        "Raw inputs were normalized by newscorpus converters into one record schema (article "
        f"schema {manifest['record_schemas'].get('article', 'n/a')}): Unicode NFC and whitespace "
        "normalization before offsets are computed; every record validated and every annotation "
        "span checked against the text (text[start:end] equals its surface) before the build."])
    put("dataAnnotationProtocol", [sheet["annotation"]] if sheet.get("annotation") else None)
    put("dataAnnotationPlatform", ["Label Studio"])
    analysis = analysis_text(ag)
    put("dataAnnotationAnalysis", [analysis] if analysis else None)
    if counts.get("gold_articles"):
        put("annotationsPerItem", f"{counts['annotations'] / counts['gold_articles']:.2f} annotation "
                                  f"records per labelled article ({counts['annotations']} records, "
                                  f"{counts['gold_articles']} labelled articles); one gold record each")
    put("dataBiases", [sheet["biases"]] if sheet.get("biases") else None)
    put("dataLimitations", [sheet["limitations"]] if sheet.get("limitations") else None)
    put("dataUseCases", [sheet["uses"]] if sheet.get("uses") else None)
    put("personalSensitiveInformation", [sheet["personal_information"]]
        if sheet.get("personal_information") else None)
    put("dataSocialImpact", sheet.get("social_impact"))
    put("dataReleaseMaintenancePlan", sheet.get("maintenance"))
    return out


def _languages(folder: Path, manifest: dict[str, Any]) -> list[str]:
    """The BCP 47 tags of the articles (the ``language`` column of the default config)."""
    import pyarrow.parquet as pq

    found: set[str] = set()
    for split in manifest["configs"]["default"]["splits"].values():
        for f in split["files"]:
            column = pq.read_table(folder / f["path"], columns=["language"]).column("language")
            found.update(v for v in column.to_pylist() if v and v != "unknown")
    return sorted(found)


def spdx_url(spdx: str) -> str:
    """The licence URL Croissant records for an SPDX licence id."""
    return f"https://spdx.org/licenses/{spdx}.html"


def croissant(ws: Workspace, manifest: dict[str, Any], folder: Path,
              features: dict[str, dict[str, Any]]) -> str:
    """``croissant.json`` (Croissant 1.1 with the RAI properties) for the release in
    ``folder``: every file but itself and ``SHA256SUMS`` is a FileObject with its SHA-256;
    each config's FileSet includes exactly its hashed Parquet files (no glob), so a file that
    is not in the release is never read; one record set per config, with a ``split`` field
    referencing the ``splits`` record set, and label enumerations for every ClassLabel."""
    cfg = ws.config
    files = sorted(p for p in folder.rglob("*") if p.is_file()
                   and p.name not in ("croissant.json", "SHA256SUMS"))
    distribution: list[dict[str, Any]] = []
    for p in files:
        rel = p.relative_to(folder).as_posix()
        distribution.append({"@type": "cr:FileObject", "@id": rel, "name": rel, "contentUrl": rel,
                             "contentSize": f"{p.stat().st_size} B",
                             "encodingFormat": _MEDIA.get(p.suffix, "application/octet-stream"),
                             "sha256": sha256_file(p)})
    builder = _Builder()
    record_sets = []
    split_names: list[str] = []
    for config, spec in manifest["configs"].items():
        file_set = f"{config}-parquet"
        paths = sorted(f["path"] for s in spec["splits"].values() for f in s["files"])
        distribution.append({"@type": "cr:FileSet", "@id": file_set, "name": file_set,
                             "description": f"The Parquet files of the {config} config (each "
                                            "one a FileObject above, with its SHA-256).",
                             "encodingFormat": "application/x-parquet", "includes": paths})
        present = [s for s, v in spec["splits"].items() if v["rows"]]
        split_names += [s for s in present if s not in split_names]
        alternatives = "|".join(re.escape(s) for s in present)
        split_field = {
            "@type": "cr:Field", "@id": f"{config}/split", "name": "split", "dataType": "sc:Text",
            "references": {"field": {"@id": "splits/name"}},
            "source": {"fileSet": {"@id": file_set}, "extract": {"fileProperty": "fullpath"},
                       "transform": {"regex": f"^data/{config}/({alternatives})-.+\\.parquet$"}},
        }
        record_sets.append({
            "@type": "cr:RecordSet", "@id": config, "name": config,
            "description": f"The {config} config; splits: {', '.join(present)}.",
            "field": [builder.field(config, name, f, file_set) for name, f in features[config].items()]
            + [split_field],
        })
    doc = {
        "@context": CROISSANT_CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CROISSANT_VERSION,
        "name": cfg.name,
        "description": cfg.description or cfg.pretty_name,
        "license": spdx_url(cfg.license),
        **({"url": cfg.homepage} if cfg.homepage else {}),
        "version": manifest["version"],
        "datePublished": manifest["release_date"],
        "citeAs": cite_as(ws, manifest),
        "creator": [{"@type": "sc:Person" if a.get("family-names") else "sc:Organization",
                     "name": _author_name(a)} for a in _authors(ws)],
        "keywords": list(cfg.citation.get("keywords") or ["news", "corpus", "annotation"]),
        "inLanguage": _languages(folder, manifest),
        **rai_properties(ws, manifest),
        "distribution": distribution,
        "recordSet": [_split_set(split_names), *builder.enumeration_sets(), *record_sets],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
