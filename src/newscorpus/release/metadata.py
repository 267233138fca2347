"""Citation and discovery metadata of a release: ``CITATION.cff`` (CFF 1.2.0),
``croissant.json`` (Croissant 1.0, with the SHA-256 of every file) and ``.zenodo.json``
(Zenodo deposit metadata, for minting a DOI)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

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
    "equivalentProperty": "cr:equivalentProperty",
}
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


def _field(record_set: str, name: str, feature: Any, file_set: str) -> dict[str, Any]:
    repeated = False
    while isinstance(feature, dict) and feature.get("_type") == "List":
        feature, repeated = feature["feature"], True
    out: dict[str, Any] = {"@type": "cr:Field", "@id": f"{record_set}/{name}", "name": name}
    if isinstance(feature, dict) and "_type" not in feature:  # a struct: one sub-field each
        out["subField"] = [
            {**_field(f"{record_set}/{name}", sub, f, file_set),
             "source": {"fileSet": {"@id": file_set},
                        "extract": {"column": name}, "transform": {"jsonPath": sub}}}
            for sub, f in feature.items()]
    else:
        out["dataType"] = _data_type(feature)
        if feature.get("_type") == "ClassLabel":
            out["description"] = "ClassLabel index: " + ", ".join(
                f"{i}={n}" for i, n in enumerate(feature["names"]))
    if repeated:
        out["repeated"] = True
    out["source"] = {"fileSet": {"@id": file_set}, "extract": {"column": name}}
    return out


def spdx_url(spdx: str) -> str:
    """The licence URL Croissant records for an SPDX licence id."""
    return f"https://spdx.org/licenses/{spdx}.html"


def croissant(ws: Workspace, manifest: dict[str, Any], folder: Path,
              features: dict[str, dict[str, Any]]) -> str:
    """``croissant.json`` for the release in ``folder`` (every file but itself and
    ``SHA256SUMS`` is listed with its SHA-256; one record set per config)."""
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
    record_sets = []
    for config, spec in manifest["configs"].items():
        file_set = f"{config}-parquet"
        distribution.append({"@type": "cr:FileSet", "@id": file_set, "name": file_set,
                             "encodingFormat": "application/x-parquet",
                             "includes": f"data/{config}/*.parquet"})
        split_names = [s for s, v in spec["splits"].items() if v["rows"]]
        record_sets.append({
            "@type": "cr:RecordSet", "@id": config, "name": config,
            "description": f"The {config} config; splits: {', '.join(split_names)}.",
            "field": [_field(config, name, f, file_set) for name, f in features[config].items()],
        })
    doc = {
        "@context": CROISSANT_CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": "http://mlcommons.org/croissant/1.0",
        "name": cfg.name,
        "description": cfg.description or cfg.pretty_name,
        "license": spdx_url(cfg.license),
        "url": cfg.homepage or spdx_url(cfg.license),
        "version": manifest["version"],
        "datePublished": manifest["release_date"],
        "citeAs": cite_as(ws, manifest),
        "creator": [{"@type": "sc:Person" if a.get("family-names") else "sc:Organization",
                     "name": _author_name(a)} for a in _authors(ws)],
        "distribution": distribution,
        "recordSet": record_sets,
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
