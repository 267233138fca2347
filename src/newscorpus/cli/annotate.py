"""``newscorpus annotate push|pull|import|export-tasks|agreement|adjudicate|config|prelabel|evaluate``.

The Label Studio URL may be given with ``--url`` (or ``NEWSCORPUS_LS_URL``); the API token
only through ``NEWSCORPUS_LS_TOKEN``/``LABEL_STUDIO_API_KEY`` or a token file, never as an
option (it would land in shell history and process lists).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .options import echo_json, json_option, workspace_option

url_option = click.option(
    "--url",
    help="Label Studio URL (default: $NEWSCORPUS_LS_URL, "
    "$LABEL_STUDIO_URL or http://localhost:8080). The token is read from "
    "$NEWSCORPUS_LS_TOKEN / $LABEL_STUDIO_API_KEY or the token file.",
)
prelabel_options = [
    click.option("--no-prelabel", is_flag=True, help="Send no pre-annotations."),
    click.option("--spacy-model", help="Also pre-annotate entities with this installed spaCy model."),
]


def _prelabel(ws: Any, no_prelabel: bool, spacy_model: str | None) -> tuple[Any, str]:
    if no_prelabel:
        return None, "none"
    from ..annotate.prelabel import Gazetteer, Prelabeler, SpacyEntityPrelabeler

    spacy = SpacyEntityPrelabeler(model=spacy_model) if spacy_model else None
    prelabeler = Prelabeler(ws.config.labels, spacy=spacy, gazetteer=Gazetteer.from_workspace(ws))
    return prelabeler, prelabeler.model_version


def _problems(problems: list[Any], limit: int = 30) -> None:
    for problem in problems[:limit]:
        click.echo(str(problem), err=True)
    if len(problems) > limit:
        click.echo(f"... and {len(problems) - limit} more problems (use --json for all)", err=True)


def _apply(options: list[Any]) -> Any:
    def decorate(fn: Any) -> Any:
        for option in reversed(options):
            fn = option(fn)
        return fn

    return decorate


@click.group("annotate")
def annotate_group() -> None:
    """Sync articles and annotations with a Label Studio server; agreement and gold.

    \b
    Example:
      export NEWSCORPUS_LS_TOKEN=...   # never pass the token as an option
      newscorpus annotate push --url http://localhost:8080
      newscorpus annotate pull && newscorpus annotate agreement && newscorpus annotate adjudicate
    """


@annotate_group.command("push")
@workspace_option
@url_option
@click.option("--project-title", help="Project to create or reuse (default: the workspace's pretty name).")
@click.option("--project-id", type=int, help="Push to this existing project.")
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=250,
    show_default=True,
    help="Tasks per import request.",
)
@click.option(
    "--reconcile", is_flag=True, help="List the project's tasks even if the local state looks fine."
)
@click.option(
    "--overlap",
    type=click.IntRange(min=1),
    help="Annotators per task, overlapping tasks first (default: annotate.overlap in the workspace config).",
)
@_apply(prelabel_options)
@json_option
def push_cmd(
    workspace: Path,
    url: str | None,
    project_title: str | None,
    project_id: int | None,
    batch_size: int,
    reconcile: bool,
    overlap: int | None,
    no_prelabel: bool,
    spacy_model: str | None,
    as_json: bool,
) -> None:
    """Create or update the Label Studio project and its tasks (one per article).

    Unchanged articles cost nothing; new ones are imported in batches with quote (and
    optionally entity) pre-annotations; changed texts update their task and flag the
    annotations made on the old text as stale. Safe to re-run after a failure.

    \b
    Example:
      newscorpus annotate push --url http://localhost:8080
      newscorpus annotate push --overlap 2    # double-annotated campaign
      newscorpus annotate push --spacy-model en_core_web_sm --project-title "Budget coverage"
    """
    from ..annotate.client import connect
    from ..annotate.push import PushOptions, push
    from ..workspace import Workspace

    ws = Workspace.open(workspace)
    prelabel, version = _prelabel(ws, no_prelabel, spacy_model)
    options = PushOptions(
        project_title=project_title,
        project_id=project_id,
        batch_size=batch_size,
        prelabel=prelabel,
        model_version=version,
        reconcile=reconcile,
        overlap=overlap,
    )
    with connect(url) as client:
        report = push(ws, client, options)
    if as_json:
        echo_json(report.to_dict())
        return
    _problems(report.problems)
    click.echo(report.summary())
    if report.stale_annotations:
        click.echo(
            f"stale: annotations {report.stale_annotations} were made on an older text; pull reports them",
            err=True,
        )


@annotate_group.command("pull")
@workspace_option
@url_option
@click.option(
    "--full", is_flag=True, help="Pull every annotated task, not only those changed since the last pull."
)
@click.option("--drafts", is_flag=True, help="Also write drafts (the token owner's; use with --full).")
@click.option(
    "--annotator-emails",
    is_flag=True,
    help="Name annotators by e-mail instead of the pseudonymous ls-user-<id>.",
)
@click.option("--strict", is_flag=True, help="Exit 1 when any annotation is rejected or stale.")
@json_option
def pull_cmd(
    workspace: Path,
    url: str | None,
    full: bool,
    drafts: bool,
    annotator_emails: bool,
    strict: bool,
    as_json: bool,
) -> None:
    """Pull annotations into annotations/labelstudio.jsonl (incremental by default).

    Spans are rebuilt from their offsets and checked against the task text; relations,
    per-region stances, ground truth and several annotators per task are kept; skipped
    tasks are counted; deleted annotations disappear; annotations made on an older text
    keep its hash and are reported stale. Rejected annotations are listed, never half
    written.

    \b
    Example:
      newscorpus annotate pull
      newscorpus annotate pull --full --json > pull-report.json
    """
    from ..annotate.client import connect
    from ..annotate.pull import PullOptions, pull
    from ..workspace import Workspace

    ws = Workspace.open(workspace)
    with connect(url) as client:
        report = pull(
            ws, client, PullOptions(full=full, include_drafts=drafts, annotator_emails=annotator_emails)
        )
    if as_json:
        echo_json(report.to_dict())
    else:
        _problems(report.problems)
        for note in report.notes[:30]:
            click.echo(f"dropped: {note}", err=True)
        for rid in report.kept_previous[:20]:
            click.echo(f"kept: {rid}: its new version was rejected; the earlier version stays", err=True)
        for rid in report.stale[:20]:
            click.echo(f"stale: {rid}", err=True)
        click.echo(report.summary())
    if strict and (report.rejected or report.stale):
        raise click.ClickException(
            f"{report.rejected} rejected and {len(report.stale)} stale annotation(s) (--strict)"
        )


@annotate_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@workspace_option
@click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The export's labeling config (tells which data field holds the text).",
)
@click.option("--text-field", help="Data field holding the text (default: from --config, or guessed).")
@click.option(
    "--map",
    "label_map",
    multiple=True,
    metavar="FROM=TO",
    help="Map the export onto the label set (repeatable): a span label (Person=PERSON), a "
    "relation (relation:refers-to=refers_to), a choice or taxonomy path as a stance "
    "('sentiment:Positive=favor@river-dam'), or leave a control out (quote_target=-).",
)
@click.option(
    "--mapping",
    "mapping_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A YAML/JSON mapping file with the tables labels, relations, stances, ignore.",
)
@click.option(
    "--predictions", is_flag=True, help="Also write the export's predictions (origin 'prediction')."
)
@click.option("--drafts", is_flag=True, help="Also import drafts.")
@click.option(
    "--lenient",
    is_flag=True,
    help="Drop (and report) regions the label set cannot hold instead of rejecting their annotation.",
)
@click.option("--create-articles", is_flag=True, help="Make article records for tasks that match none.")
@click.option("--strict", is_flag=True, help="Exit 1 when anything is reported.")
@json_option
def import_cmd(
    file: Path,
    workspace: Path,
    config_file: Path | None,
    text_field: str | None,
    label_map: tuple[str, ...],
    mapping_file: Path | None,
    predictions: bool,
    drafts: bool,
    lenient: bool,
    create_articles: bool,
    strict: bool,
    as_json: bool,
) -> None:
    """Import a Label Studio export (full JSON, JSON_MIN or CSV) without a server.

    Every span is rebuilt from its offsets and compared with the text the export gives;
    mismatches, labels outside the label set and choices the mapping does not cover are
    reported per annotation, never imported silently or as empty annotations.

    \b
    Example:
      newscorpus annotate import export.json
      newscorpus annotate import ner.json --config config.xml --map Person=PERSON --lenient
      newscorpus annotate import sentiment.csv --config config.xml --create-articles \\
          --map 'sentiment:Positive=favor@river-dam' --map 'sentiment:Negative=against@river-dam'
    """
    from ..annotate.importer import ImportOptions, import_export
    from ..annotate.mapping import parse_map_items, read_mapping_file
    from ..workspace import Workspace

    mapping = read_mapping_file(mapping_file) if mapping_file else parse_map_items([])
    mapping.update(parse_map_items(label_map))
    options = ImportOptions(
        mapping=mapping,
        text_field=text_field,
        include_predictions=predictions,
        include_drafts=drafts,
        lenient=lenient,
        create_articles=create_articles,
        config_xml=config_file.read_text(encoding="utf-8") if config_file else None,
    )
    report = import_export(Workspace.open(workspace), file, options)
    if as_json:
        echo_json(report.to_dict())
    else:
        _problems(report.problems)
        click.echo(report.summary())
        if report.output:
            click.echo(f"annotations: {report.output}")
    if report.annotations and not report.imported and report.rejected:
        raise click.ClickException(f"nothing imported: {report.rejected} annotation(s) rejected")
    if strict and report.problems:
        raise click.ClickException(f"{len(report.problems)} problem(s) (--strict)")


@annotate_group.command("export-tasks")
@workspace_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("tasks.json"),
    show_default=True,
    help="Tasks file to write (JSON list, importable in Label Studio).",
)
@click.option(
    "--config-out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the labeling config XML here.",
)
@_apply(prelabel_options)
def export_tasks_cmd(
    workspace: Path, output: Path, config_out: Path | None, no_prelabel: bool, spacy_model: str | None
) -> None:
    """Write the workspace's articles as an importable Label Studio tasks file, offline.

    \b
    Example:
      newscorpus annotate export-tasks -o tasks.json --config-out label-config.xml
    """
    from ..annotate.push import export_tasks
    from ..workspace import Workspace

    ws = Workspace.open(workspace)
    prelabel, version = _prelabel(ws, no_prelabel, spacy_model)
    count, problems = export_tasks(ws, output, prelabel, version, config_out)
    _problems(problems)
    click.echo(
        f"{count} tasks written to {output}" + (f"; labeling config: {config_out}" if config_out else "")
    )


@annotate_group.command("config")
@workspace_option
def config_cmd(workspace: Path) -> None:
    """Print the Label Studio labeling config generated from the workspace label set.

    \b
    Example:
      newscorpus annotate config > label-config.xml
    """
    from ..annotate.labels import build_label_config
    from ..workspace import Workspace

    click.echo(build_label_config(Workspace.open(workspace).config.labels).xml, nl=False)


@annotate_group.command("agreement")
@workspace_option
@json_option
def agreement_cmd(workspace: Path, as_json: bool) -> None:
    """Inter-annotator agreement per annotator pair: span F1 (exact and overlap) per label,
    Cohen's kappa and Krippendorff's alpha for stance, quote -> speaker link agreement.

    \b
    Example:
      newscorpus annotate agreement
      newscorpus annotate agreement --json > agreement.json
    """
    from ..annotate.adjudicate import collect
    from ..annotate.agreement import agreement, format_score
    from ..workspace import Workspace

    by_article, left_out = collect(Workspace.open(workspace))
    report = agreement(by_article, left_out)
    if as_json:
        echo_json(report.to_dict())
        return
    click.echo(
        f"{report.articles} articles, {report.records} annotations by {len(report.annotators)} "
        f"annotators; {report.double_annotated} double-annotated articles; "
        f"left out: {report.excluded or 'nothing'}"
    )
    if not report.double_annotated:
        click.echo(
            "no article has two annotators: push with --overlap 2 (or annotate.overlap) so that "
            "annotators share tasks",
            err=True,
        )

    fmt = format_score  # the release card prints the same figures the same way
    for pair in report.pairs:
        click.echo(f"{pair.a} vs {pair.b}: {pair.articles} articles")
        for label, s in pair.spans.items():
            click.echo(
                f"  {label:<16} exact F1 {fmt(s['exact_f1'])}  overlap F1 {fmt(s['overlap_f1'])}"
                f"  ({s['a']} vs {s['b']} spans)"
            )
        click.echo(
            f"  stance: {pair.stance_units} units, kappa {fmt(pair.stance_kappa)}, "
            f"alpha {fmt(pair.stance_alpha)}"
        )
        click.echo(
            f"  speakers: {pair.matched_quotes} matched quotes, agreement "
            f"{fmt(pair.speaker_agreement)}, link F1 {fmt(pair.speaker_link_f1)}"
        )
    click.echo(
        f"stance alpha, all annotators: {fmt(report.stance_alpha_all)} ({report.stance_units_all} units)"
    )


@annotate_group.command("adjudicate")
@workspace_option
@click.option(
    "--policy",
    default="ground_truth,majority",
    show_default=True,
    help="Steps tried in order: ground_truth, majority, unanimous, single, annotator:<name>.",
)
@click.option("--strict", is_flag=True, help="Exit 1 when any article is left unresolved.")
@json_option
def adjudicate_cmd(workspace: Path, policy: str, strict: bool, as_json: bool) -> None:
    """Write gold annotations (annotations/adjudicated.jsonl) by a declared policy and list
    the conflicts of the articles it cannot decide.

    \b
    Example:
      newscorpus annotate adjudicate
      newscorpus annotate adjudicate --policy ground_truth,majority,annotator:ls-user-2
    """
    from ..annotate.adjudicate import adjudicate
    from ..workspace import Workspace

    report = adjudicate(Workspace.open(workspace), policy)
    if as_json:
        echo_json(report.to_dict())
    else:
        for c in report.conflicts[:50]:
            votes = ", ".join(f"{k}: {v}" for k, v in sorted(c.votes.items()))
            click.echo(f"conflict {c.article_id} {c.kind} {c.item}: {votes}", err=True)
        click.echo(report.summary())
    if strict and report.unresolved:
        raise click.ClickException(f"{len(report.unresolved)} article(s) unresolved (--strict)")


@annotate_group.command("prelabel")
@click.argument("articles", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Prediction records to write (annotation JSONL).",
)
@click.option(
    "-w",
    "--workspace",
    type=click.Path(file_okay=False, path_type=Path),
    help="Take the label set from this workspace (default: a PERSON label only).",
)
@click.option("--spacy-model", help="Also pre-annotate entities with this installed spaCy model.")
@click.option(
    "--gazetteer/--no-gazetteer",
    default=True,
    help="With a workspace: also pre-annotate the entity names of its own human annotations (default on).",
)
def prelabel_cmd(
    articles: Path, output: Path, workspace: Path | None, spacy_model: str | None, gazetteer: bool
) -> None:
    """Write the pre-annotations `annotate push` would send, offline, as prediction records.

    \b
    Example:
      newscorpus annotate prelabel articles/wikinews.jsonl -o predictions.jsonl
    """
    from ..annotate.prelabel import Gazetteer, Prelabeler, SpacyEntityPrelabeler, prelabel_articles
    from ..workspace import LabelSet, Workspace

    ws = Workspace.open(workspace) if workspace else None
    labels = ws.config.labels if ws else LabelSet(("PERSON",), ())
    spacy = SpacyEntityPrelabeler(model=spacy_model) if spacy_model else None
    names = Gazetteer.from_workspace(ws) if ws and gazetteer else None
    prelabeler = Prelabeler(labels, spacy=spacy, gazetteer=names)
    seen, written = prelabel_articles(articles, output, prelabeler)
    click.echo(f"{seen} articles, {written} prediction records ({prelabeler.model_version}) -> {output}")


@annotate_group.command("evaluate")
@click.argument("gold", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("pred", type=click.Path(dir_okay=False, path_type=Path))
@json_option
def evaluate_cmd(gold: Path, pred: Path, as_json: bool) -> None:
    """Score predicted attributions against gold ones: one-to-one matching, exact and overlap
    (>= 50% of the union) precision/recall/F1 and speaker accuracy, per kind.

    \b
    Example:
      newscorpus annotate evaluate annotations/gold.jsonl predictions.jsonl
    """
    from ..annotate.attribution_eval import evaluate_files

    scores = evaluate_files(gold, pred)
    if as_json:
        echo_json(scores.as_dict())
    else:
        click.echo(scores.table())
