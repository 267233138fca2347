"""Reading a Label Studio export file: full JSON, JSON_MIN or CSV/TSV, as full-JSON tasks.

The full JSON export is read as it is (a list of tasks; a single task object and the legacy
``completions`` key are accepted too). JSON_MIN and CSV hold one flat record per annotation:
the task's data fields, one field per control (``prettify_result`` of the SDK's converter:
a list of spans, a choice as a bare string, a taxonomy as ``[{"taxonomy": [...]}]``) and
``id``, ``annotation_id``, ``annotator``, ``created_at``, ``updated_at``, ``lead_time``.
They are turned back into tasks with one annotation per record (records of one task are
grouped), each annotation marked ``flat``: those formats drop relations, region ids and the
region a per-region choice belonged to, which the importer reports instead of guessing.

Which flat fields are controls: those the export's labeling config names (``--config``),
those the label mapping names, and values that can only be results (lists of spans or of
``choices``/``taxonomy`` objects). A flat record in which no control is recognised is
reported, never read as an empty annotation.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .mapping import ForeignConfig, LabelMapping

FULL_JSON_HINT = "export the project as JSON (the full format) in Label Studio and import that"
FLAT_META = ("id", "annotation_id", "annotator", "created_at", "updated_at", "lead_time", "agreement")
RESULT_KEYS = ("labels", "choices", "taxonomy")
FLAT = "flat"  # key marking an annotation read from a flat record
CONTROLS_KNOWN = "controls_known"  # the export's config was given: an empty result is truly empty
# key marking a choice of a flat export whose region was dropped (True), or that may have had one
# ("unknown": no labeling config says whether its control is per region)
REGION_LOST = "region_lost"


@dataclass
class ExportFile:
    format: str  # JSON | JSON_MIN | CSV
    tasks: list[dict[str, Any]] = field(default_factory=list)


def load_export(path: Path, foreign: ForeignConfig, mapping: LabelMapping) -> ExportFile:
    """The tasks of the export at ``path``; unreadable files are one-line :class:`ConfigError`."""
    raw = Path(path).read_bytes()
    try:
        body = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    head = body.lstrip()[:1]
    if head not in ("[", "{"):
        if not body.strip():
            raise ConfigError(f"{path}: empty file")
        return ExportFile("CSV", _flat_tasks(_csv_records(path, body), foreign, mapping, path, "CSV"))
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"{path}: truncated or not valid JSON (line {exc.lineno}, column {exc.colno}); {FULL_JSON_HINT}"
        ) from None
    tasks = [t for t in (data if isinstance(data, list) else [data]) if isinstance(t, dict)]
    if tasks and not any(isinstance(t.get("data"), dict) or "annotations" in t for t in tasks):
        return ExportFile("JSON_MIN", _flat_tasks(tasks, foreign, mapping, path, "JSON_MIN"))
    return ExportFile("JSON", tasks)


def _csv_records(path: Path, body: str) -> list[dict[str, Any]]:
    delimiter = "\t" if Path(path).suffix.lower() == ".tsv" else ","
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter, strict=True)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise ConfigError(f"{path}: not a readable CSV export (line {reader.line_num}: {exc})") from None
    header, records = rows[0], []
    if len(set(header)) != len(header) or not all(header):
        raise ConfigError(f"{path}: the CSV header has empty or repeated column names")
    for n, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        if len(row) != len(header):
            raise ConfigError(
                f"{path}: CSV row {n} has {len(row)} fields but the header has {len(header)} "
                "(truncated export?)"
            )
        records.append(dict(zip(header, row, strict=True)))
    if not records:
        raise ConfigError(f"{path}: a CSV export with a header and no rows")
    return records


def _json_cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def _looks_like_result(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(
            isinstance(v, dict) and (any(k in v for k in RESULT_KEYS) or any(k.endswith("labels") for k in v))
            for v in value
        )
    )


def _int(value: Any) -> Any:
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _items(control: str, value: Any, foreign: ForeignConfig) -> list[dict[str, Any]]:
    """Full-JSON result items for one flat control field."""
    known = foreign.controls.get(control)
    tag = known.tag if known else None
    to_name = known.to_name if known else None
    out: list[dict[str, Any]] = []
    for k, v in enumerate(value if isinstance(value, list) else [value]):
        item: dict[str, Any] = {"id": f"{control}-{k}", "from_name": control, "to_name": to_name}
        if isinstance(v, str):
            kind = "textarea" if tag == "textarea" else "choices"
            item.update(type=kind, value={"text": [v]} if kind == "textarea" else {"choices": [v]})
            if kind == "choices" and (known is None or known.per_region):
                item[REGION_LOST] = "unknown" if known is None else True
        elif isinstance(v, dict):
            found = next((k for k in RESULT_KEYS if k in v), None)
            item.update(type=found or next((k for k in v if k.endswith("labels")), None) or tag, value=v)
            if item["type"] == "choices" and "start" not in v and known is not None and known.per_region:
                item[REGION_LOST] = True
        else:
            item.update(type=type(v).__name__, value={})
        out.append(item)
    return out


def _link_region_choices(result: list[dict[str, Any]]) -> None:
    """A per-region choice that kept its offsets takes the id of the region at those offsets."""
    regions = {
        (i["value"].get("start"), i["value"].get("end")): i["id"]
        for i in result
        if i.get("type") != "choices" and isinstance(i.get("value"), dict) and "start" in i["value"]
    }
    for item in result:
        value = item.get("value")
        if item.get("type") == "choices" and isinstance(value, dict) and "start" in value:
            rid = regions.get((value.get("start"), value.get("end")))
            if rid is not None:
                item["id"] = rid


def _flat_tasks(
    records: list[dict[str, Any]], foreign: ForeignConfig, mapping: LabelMapping, path: Path, fmt: str
) -> list[dict[str, Any]]:
    named = set(foreign.controls) | set(mapping.stances) | mapping.ignore
    tasks: dict[Any, dict[str, Any]] = {}
    for index, record in enumerate(records):
        data: dict[str, Any] = {}
        result: list[dict[str, Any]] = []
        for key, raw in record.items():
            if key in FLAT_META:
                continue
            if key.startswith("_data_"):  # the CSV writer's name for a data key that a control shares
                data[key[len("_data_") :]] = raw
                continue
            value = _json_cell(raw)
            if key in named or _looks_like_result(value):
                if value not in ("", None, []):
                    result.extend(_items(key, value, foreign))
            else:
                data[key] = raw
        _link_region_choices(result)
        task_id = _int(record.get("id", index))
        task = tasks.setdefault(task_id, {"id": task_id, "data": data, "annotations": []})
        if "annotation_id" not in record and not result:
            continue  # a task without annotations
        task["annotations"].append(
            {
                "id": _int(record.get("annotation_id", f"{index}")),
                "completed_by": _int(record.get("annotator")),
                "created_at": record.get("created_at") or None,
                "updated_at": record.get("updated_at") or None,
                "result": result,
                FLAT: True,
                CONTROLS_KNOWN: bool(foreign.controls),
            }
        )
    if not any(t["annotations"] for t in tasks.values()):
        raise ConfigError(
            f"{path}: not a Label Studio {fmt} export with annotations (no annotation_id field and "
            "no result field recognised; give the export's labeling config with --config)"
        )
    return list(tasks.values())
