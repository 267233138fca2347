"""``annotate import``: a Label Studio export (file) -> annotation records, offline.

Reads Label Studio's full JSON export (a list of tasks; a single task object and the legacy
``completions`` key are accepted too), and JSON_MIN and CSV exports (:mod:`.exports`). Tasks
pushed by newscorpus carry their article id and text hash; other tasks are matched to a
workspace article by the exact text, or become new
articles with ``create_articles`` (only when the text is already normalized, so that no
offset has to move). Results are mapped onto the workspace label set through a
:class:`~.mapping.LabelMapping` (span labels, relation labels, choices and taxonomy paths as
stances, controls left out on purpose) and read with :func:`~.results.read_result`:
every span is rebuilt from its offsets and checked against the text Label Studio sent, so an
export whose offsets do not match its text is reported, never imported silently.

Predictions are checked the same way; they are written (origin ``prediction``) only when
asked, since a lone prediction must not become gold. Regions the label set cannot hold
(unknown labels, images, HyperText...) reject their annotation, or with ``lenient`` are
dropped and each drop is reported. Counts add up: ``annotations = imported + rejected +
skipped``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..ids import article_id_from_fields
from ..records import Article, Block, dumps
from ..report import Problem, ProblemRule, Report
from ..text import nfc, sha256_text, unify_newlines
from ..workspace import Workspace
from .exports import CONTROLS_KNOWN, FLAT, FULL_JSON_HINT, REGION_LOST, load_export
from .labels import (
    CUE,
    ENTITY_CONTROL,
    QUOTE_CONTROL,
    QUOTE_LABELS,
    RELATIONS,
    SPEAKER,
    TEXT_NAME,
    build_label_config,
)
from .mapping import IGNORE, LabelMapping, foreign_controls
from .pull import read_output, task_records, write_output
from .push import load_articles

SOURCE = "labelstudio-import"


@dataclass
class ImportOptions:
    label_map: dict[str, str] = field(default_factory=dict)  # span labels (also in ``mapping``)
    mapping: LabelMapping = field(default_factory=LabelMapping)
    config_xml: str | None = None  # the export's labeling config (finds the text field)
    text_field: str | None = None  # data key holding the text; default: from the config or guessed
    include_predictions: bool = False
    include_drafts: bool = False
    lenient: bool = False  # drop (and report) regions the label set cannot hold
    create_articles: bool = False
    output_name: str | None = None  # default: import-<file stem>.jsonl

    def full_mapping(self) -> LabelMapping:
        return LabelMapping(labels=dict(self.label_map)).update(self.mapping)


@dataclass
class ImportReport(Report):
    source: str = ""
    format: str = "JSON"
    tasks: int = 0
    annotations: int = 0
    imported: int = 0
    rejected: int = 0
    skipped: int = 0
    predictions: int = 0
    predictions_rejected: int = 0
    dropped_regions: int = 0
    ignored_results: int = 0  # results of controls the mapping ignores on purpose
    drafts_ignored: int = 0
    articles_created: int = 0
    problems: list[Problem] = field(default_factory=list)
    output: str | None = None
    articles_output: str | None = None

    @property
    def valid(self) -> bool:
        """No problem but the drops asked for with ``lenient`` (reported, not failures)."""
        return all(p.rule == ProblemRule.IMPORT_DROPPED for p in self.problems)

    def summary(self) -> str:
        return (
            f"{self.source}: {self.tasks} tasks, annotations {self.annotations} = imported "
            f"{self.imported} + rejected {self.rejected} + skipped {self.skipped}; predictions "
            f"{self.predictions} ({self.predictions_rejected} rejected); {self.dropped_regions} "
            f"regions dropped; {self.articles_created} articles created; {len(self.problems)} problems"
            + (f"; {self.ignored_results} result(s) ignored by the mapping" if self.ignored_results else "")
            + (f" ({self.format} export)" if self.format != "JSON" else "")
        )

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["problems"] = [asdict(p) for p in self.problems]
        d["valid"] = self.valid
        return d


def _text_field(data: dict[str, Any], options: ImportOptions, objects: dict[str, str]) -> str | None:
    if options.text_field:
        return options.text_field
    fields = [f for f in objects.values() if not f.startswith("<")]
    if len(fields) == 1:
        return fields[0]
    if "newscorpus_id" in data or isinstance(data.get("text"), str):
        return "text"
    strings = [k for k, v in data.items() if isinstance(v, str)]
    return strings[0] if len(strings) == 1 else None


def _map_label(label: str, mapping: LabelMapping, entities: tuple[str, ...]) -> str | None:
    mapped = mapping.labels.get(label, label)
    if mapped in entities or mapped in QUOTE_LABELS:
        return mapped
    if mapped.upper() in entities or mapped.upper() in QUOTE_LABELS:
        return mapped.upper()
    return None


def _stance_items(
    item: dict[str, Any], i: int, config: Any, table: dict[str, tuple[str, str]], where: str
) -> tuple[list[dict[str, Any]], list[str]]:
    """A foreign choices/taxonomy result as newscorpus stance choices, through ``table``."""
    value: dict[str, Any] = item["value"] if isinstance(item.get("value"), dict) else {}
    control = item.get("from_name")
    if item.get("type") == "taxonomy":
        picked = ["/".join(map(str, p)) if isinstance(p, list) else p for p in value.get("taxonomy") or []]
    else:
        picked = value.get("choices") or []
    if not isinstance(picked, list) or not all(isinstance(p, str) for p in picked):
        return [], [f"{where}/result/{i}: {item.get('type')} value of {control!r} is not a list of names"]
    if item.get(REGION_LOST) == "unknown":
        return [], [
            f"{where}/result/{i}: choice {picked} of {control!r}: a flat export does not say whether "
            "it belongs to a region or to the whole text; give the export's labeling config (--config)"
        ]
    if item.get(REGION_LOST):
        return [], [
            f"{where}/result/{i}: per-region choice {picked} of {control!r} lost its region in this "
            f"flat export; {FULL_JSON_HINT}"
        ]
    per_region = "start" in value and "end" in value
    out: list[dict[str, Any]] = []
    problems: list[str] = []
    for name in picked:
        if name not in table:
            problems.append(
                f"{where}/result/{i}: {item.get('type')} {name!r} of {control!r} has no mapping "
                f"(map it with --map '{control}:{name}=STANCE@TARGET' or --map {control}={IGNORE})"
            )
            continue
        target, stance = table[name]
        ours = (config.region_stance_control if per_region else config.article_stance_control)(target)
        region = {k: value[k] for k in ("start", "end", "text") if k in value} if per_region else {}
        out.append(
            {
                "id": item.get("id") if per_region else f"{control}-{i}-{name}",
                "from_name": ours,
                "to_name": TEXT_NAME,
                "type": "choices",
                "value": {**region, "choices": [stance]},
            }
        )
    return out, problems


@dataclass
class Translated:
    result: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    dropped: int = 0
    ignored: int = 0


def translate(
    result: Any,
    mapping: LabelMapping,
    config: Any,
    objects: dict[str, str],
    where: str,
    *,
    lenient: bool = False,
    flat: bool = False,
) -> Translated:
    """A foreign result in the newscorpus vocabulary, through the label mapping."""
    out = Translated()
    if not isinstance(result, list):
        out.problems.append(f"{where}: result is not a list")
        return out
    entities = config.entity_labels
    region_controls = set(config.region_stance) | set(config.article_stance)
    problems = out.problems
    kept: set[str] = set()
    region_kind: dict[str, str] = {}
    for i, item in enumerate(result):
        if not isinstance(item, dict):
            problems.append(f"{where}/result/{i}: not an object")
            continue
        kind = item.get("type")
        value: dict[str, Any] = item["value"] if isinstance(item.get("value"), dict) else {}
        labels = value.get("labels")
        if kind == "relation":
            continue
        if item.get("from_name") in mapping.ignore or (
            isinstance(labels, list) and labels and all(x in mapping.ignore for x in labels)
        ):
            out.ignored += 1
            continue
        if kind == "choices" and item.get("from_name") in region_controls:
            out.result.append({**item, "to_name": TEXT_NAME})  # already ours (a newscorpus export)
            continue
        if kind in ("choices", "taxonomy") and item.get("from_name") in mapping.stances:
            items, why = _stance_items(item, i, config, mapping.stances[item["from_name"]], where)
            out.result.extend(items)
            problems.extend(why)
            continue
        to_name = item.get("to_name")
        if objects and to_name is not None:
            is_text = to_name in objects and not objects[to_name].startswith("<")
        else:  # no config, or a flat export (which drops to_name)
            is_text = True
        if kind != "labels" or not is_text or not isinstance(labels, list):
            hint = (
                f" (map its values with --map '{item.get('from_name')}:VALUE=STANCE@TARGET')"
                if kind in ("choices", "taxonomy")
                else ""
            )
            problems.append(
                f"{where}/result/{i}: {kind!r} result from {item.get('from_name')!r} cannot be "
                f"held by the newscorpus label set (only <Text> span labels){hint}"
            )
            continue
        mapped = [_map_label(x, mapping, entities) for x in labels]
        if not labels or None in mapped:
            unknown = [x for x, m in zip(labels, mapped, strict=True) if m is None]
            problems.append(
                f"{where}/result/{i}: label(s) {unknown} are not in the label set "
                "(map them with --map FROM=TO)"
            )
            continue
        if flat and mapped[0] in (SPEAKER, CUE):
            problems.append(
                f"{where}/result/{i}: {mapped[0]} region {value.get('text')!r} cannot be linked to its "
                f"quote: this flat export has no relations; {FULL_JSON_HINT}"
            )
            continue
        control = QUOTE_CONTROL if mapped[0] in QUOTE_LABELS else ENTITY_CONTROL
        out.result.append(
            {**item, "from_name": control, "to_name": TEXT_NAME, "value": {**value, "labels": mapped}}
        )
        if isinstance(item.get("id"), str):
            kept.add(item["id"])
            region_kind[item["id"]] = control
    for i, item in enumerate(result):
        if not isinstance(item, dict) or item.get("type") != "relation":
            continue
        labels = [mapping.relations.get(x, x) for x in item.get("labels") or [""]]
        ends = (item.get("from_id"), item.get("to_id"))
        if not all(e in kept for e in ends):
            problems.append(f"{where}/result/{i}: relation {ends[0]!r} -> {ends[1]!r} loses an end")
        elif any(x not in RELATIONS for x in labels if x):
            problems.append(
                f"{where}/result/{i}: relation label(s) {item.get('labels')} are not newscorpus "
                f"relations {list(RELATIONS)} (map them with --map relation:FROM=TO)"
            )
        elif {region_kind[e] for e in ends} == {ENTITY_CONTROL}:  # type: ignore[index]
            problems.append(
                f"{where}/result/{i}: a relation between two entities (coreference?) "
                "has no place in the newscorpus schema"
            )
        else:
            out.result.append({**item, "labels": [x for x in labels if x]})
    if lenient:
        out.dropped, out.problems = len(problems), []
    return out


def _new_article(text: str, task_id: Any, source_name: str, source_sha256: str) -> Article | None:
    if unify_newlines(nfc(text)) != text:
        return None
    blocks, pos = [], 0
    for part in text.split("\n\n"):
        if part.strip():
            lead = len(part) - len(part.lstrip())
            body = part.strip()
            blocks.append(Block("paragraph", pos + lead, pos + lead + len(body)))
        pos += len(part) + 2
    if not blocks:
        return None
    title = text[blocks[0].start : blocks[0].end][:200]
    aid = article_id_from_fields(SOURCE, f"{source_name}#{task_id}: {title}", None)
    return Article(
        id=aid,
        source=SOURCE,
        title=title,
        text=text,
        blocks=blocks,
        origin={"path": source_name, "sha256": source_sha256, "format": SOURCE},
    )


def _import_unit(
    report: ImportReport,
    records: dict[str, dict[str, Any]],
    options: ImportOptions,
    config: Any,
    objects: dict[str, str],
    kind: str,
    unit: dict[str, Any],
    task: dict[str, Any],
    text: str,
    aid: str,
    stem: str,
    source_name: str,
    where: str,
) -> None:
    uid = unit.get("id")
    flat = bool(unit.get(FLAT))
    done = translate(
        unit.get("result"),
        options.full_mapping(),
        config,
        objects,
        where,
        lenient=options.lenient,
        flat=flat,
    )
    result, problems, dropped = done.result, done.problems, done.dropped
    report.dropped_regions += dropped
    report.ignored_results += done.ignored
    why = None
    if (dropped or done.ignored) and not result:
        # Nothing of it fits (a sentiment or taxonomy export, say): an empty record would read
        # as "the annotator found nothing" to agreement and adjudication.
        why = (
            f"nothing in this annotation fits the label set ({dropped} result(s) dropped, "
            f"{done.ignored} ignored by the mapping): not imported as an empty annotation "
            "(map its labels with --map FROM=TO, its choices with --map CONTROL:VALUE=STANCE@TARGET)"
        )
    elif flat and not result and not problems and not unit.get(CONTROLS_KNOWN):
        why = (
            "no result field recognised in this flat record: not imported as an empty annotation "
            "(give the export's labeling config with --config, or map its controls)"
        )
    if why is not None:
        report.problems.append(Problem(aid, "", why, "import:result", where))
        if kind == "prediction":
            report.predictions_rejected += 1
        else:
            report.rejected += 1
        return
    if dropped:
        report.problems.append(
            Problem(
                aid, "", f"{dropped} region(s) or relation(s) dropped (--lenient)", "import:dropped", where
            )
        )
    outcome = None
    if not problems:
        task_view = {
            "id": task.get("id"),
            "meta": task.get("meta"),
            "data": {TEXT_NAME: text, "newscorpus_sha256": sha256_text(text)},
            "drafts" if kind == "draft" else "annotations": [{**unit, "result": result}],
        }
        outcome = task_records(
            task_view,
            config,
            origin="prediction" if kind == "prediction" else "import",
            article_id=aid,
            include_drafts=kind == "draft",
        )
        report.problems.extend(outcome.problems)
    else:
        report.problems.extend(Problem(aid, "", m, "import:result", where) for m in problems)
    if outcome is None or outcome.rejected or not outcome.records:
        if kind == "prediction":
            report.predictions_rejected += 1
        else:
            report.rejected += 1
        return
    if kind == "prediction" and not options.include_predictions:
        return
    d = outcome.records[0].to_dict()
    d["id"] = f"{aid}:{kind}-{stem}-{uid}"
    if kind == "prediction":
        d["annotator"] = f"model:{unit.get('model_version') or 'unknown'}"
    d["external"] = {"system": "labelstudio-export", "file": source_name, "task": task.get("id"), kind: uid}
    records[d["id"]] = {**d, "external": {k: v for k, v in d["external"].items() if v is not None}}
    if kind != "prediction":
        report.imported += 1


def import_export(ws: Workspace, path: Path, options: ImportOptions | None = None) -> ImportReport:
    """Import the Label Studio JSON export at ``path`` into ``ws``'s annotations folder."""
    options = options or ImportOptions()
    path = Path(path)
    report = ImportReport(source=path.name)
    config = build_label_config(ws.config.labels)
    foreign = foreign_controls(options.config_xml)
    objects = foreign.objects
    mapping = options.full_mapping()
    mapping.check(ws.config.labels)
    articles, _ = load_articles(ws)
    by_text = {sha256_text(a["text"]): aid for aid, a in articles.items()}
    new_articles: dict[str, dict[str, Any]] = {}
    records: dict[str, dict[str, Any]] = {}
    stem = re.sub(r"[^0-9A-Za-z_.-]+", "-", path.stem)
    export = load_export(path, foreign, mapping)
    tasks, report.format = export.tasks, export.format
    source_sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    for index, task in enumerate(tasks):
        report.tasks += 1
        task = {**task, "id": task.get("id", index)}
        data = task.get("data") if isinstance(task.get("data"), dict) else {}
        where = f"{path.name} task {task['id']}"
        field_name = _text_field(data, options, objects)  # type: ignore[arg-type]
        text = data.get(field_name) if field_name else None  # type: ignore[union-attr]
        units = [u for u in task.get("annotations") or task.get("completions") or [] if isinstance(u, dict)]
        drafts = [d for d in task.get("drafts") or [] if isinstance(d, dict)]
        preds = [p for p in task.get("predictions") or [] if isinstance(p, dict)]
        groups = [("annotation", units)]
        if options.include_drafts:
            groups.append(("draft", drafts))
        else:
            report.drafts_ignored += len(drafts)
        groups.append(("prediction", preds))
        n_units = len(units) + (len(drafts) if options.include_drafts else 0)
        aid = None
        if not isinstance(text, str):
            report.problems.append(
                Problem(
                    None,
                    "/data",
                    "no text field found in the task data (give --text-field or --config)",
                    "import:task",
                    where,
                )
            )
        else:
            aid = data.get("newscorpus_id") or by_text.get(sha256_text(text))  # type: ignore[union-attr]
            if aid is None and options.create_articles:
                article = _new_article(text, task["id"], path.name, source_sha256)
                if article is None:
                    report.problems.append(
                        Problem(
                            None,
                            "/data",
                            "text is not normalized (NFC, \\n line ends); convert it first",
                            "import:task",
                            where,
                        )
                    )
                else:
                    aid = article.id
                    new_articles[aid] = article.to_dict()
            elif aid is None:
                report.problems.append(
                    Problem(
                        None,
                        "/data",
                        "no workspace article has this text (use --create-articles)",
                        "import:task",
                        where,
                    )
                )
        if aid is None or not isinstance(text, str):
            report.annotations += n_units
            report.rejected += n_units
            continue
        for kind, items in groups:
            for j, unit in enumerate(items):
                unit = {**unit, "id": unit.get("id", j)}
                if kind == "prediction":
                    report.predictions += 1
                else:
                    report.annotations += 1
                    if unit.get("was_cancelled"):
                        report.skipped += 1
                        continue
                _import_unit(
                    report,
                    records,
                    options,
                    config,
                    objects,
                    kind,
                    unit,
                    task,
                    text,
                    aid,
                    stem,
                    path.name,
                    f"{where} {kind} {unit['id']}",
                )
    if new_articles:
        from ..schema import DEFAULT_STORE

        created = set(new_articles)
        for aid, new in list(new_articles.items()):
            bad = DEFAULT_STORE.problems(new, "article", f"{path.name} new article")
            if bad:
                report.problems.extend(bad)
                del new_articles[aid]
        if not report.valid:
            # Articles are made only by an import that succeeds, and never half: drop them and
            # the records that would point at them.
            dropped = [rid for rid, r in records.items() if r["article_id"] in created]
            for rid in dropped:
                del records[rid]
            report.imported -= len(dropped)
            report.rejected += len(dropped)
            report.problems.append(
                Problem(
                    None,
                    "",
                    f"{len(created)} article(s) not created and {len(dropped)} annotation(s) "
                    "on them not written, because the import had the problems above",
                    "import:articles",
                    path.name,
                )
            )
            new_articles = {}
    output = ws.annotations_dir / (options.output_name or f"import-{stem}.jsonl")
    if records:
        existing = read_output(output)
        existing.update(records)
        write_output(output, existing)
        report.output = str(output)
    if new_articles:
        apath = ws.articles_dir / f"{SOURCE}-{stem}.jsonl"
        apath.parent.mkdir(parents=True, exist_ok=True)
        old = read_output_articles(apath)
        old.update(new_articles)
        tmp = apath.with_name(apath.name + ".tmp")
        tmp.write_bytes(b"".join(dumps(r) for r in sorted(old.values(), key=lambda r: r["id"])))
        tmp.replace(apath)  # atomic: readers see the old file or the new one
        report.articles_created = len(new_articles)
        report.articles_output = str(apath)
    return report


def read_output_articles(path: Path) -> dict[str, dict[str, Any]]:
    if not path.is_file():
        return {}
    from ..records import read_jsonl

    return {r["id"]: r for _, r in read_jsonl(path)}
