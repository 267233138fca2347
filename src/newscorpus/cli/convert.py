"""``newscorpus convert``."""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path

import click

from .options import echo_json, engine_options, json_option, workspace_option


@click.command("convert")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=str))  # str: fsspec URLs stay URLs
@workspace_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Output JSONL (default: <workspace>/articles/articles.jsonl).")
@click.option("--quarantine", "quarantine_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Rejections file (default: beside -o OUT as OUT.quarantine.jsonl, else "
                   "<workspace>/quarantine/articles.jsonl).")
@click.option("--format", "fmt", help="Force a converter instead of detecting the format.")
@click.option("--profile", help="Force a page-dump site profile (default: detect, else 'generic').")
@click.option("--mapping", help="Field mapping for jsonl/csv/json inputs: a YAML file or a built-in "
                                "name (default, gum-wikinews, newsmtsc).")
@click.option("--language", help="BCP 47 language tag for every record (default: from the profile).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=20 * 1024 * 1024, show_default=True,
              help="Reject inputs read whole (pages, feeds, ...) larger than this; in archives "
                   "(WARC/ARC) it limits one record, and what any payload may decode to.")
@click.option("--max-ratio", type=click.IntRange(min=1), default=100, show_default=True,
              help="Reject a compressed payload that decodes to more than this many times its size.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes (the output is identical with any number).")
@engine_options("the conversions", "--jobs")
@click.option("--fresh", is_flag=True,
              help="Convert every input again (default: inputs unchanged since the last run keep "
                   "their records).")
@click.option("--option", "settings", multiple=True, metavar="FORMAT.KEY=VALUE",
              help="A per-format converter option, e.g. html.mode=full or html.favor_precision=false "
                   "(repeatable; wins over the workspace config's convert: section).")
@click.option("--strict", is_flag=True, help="Exit 1 when any input is rejected.")
@json_option
def convert_cmd(inputs: tuple[str, ...], workspace: Path, output: Path | None,
                quarantine_path: Path | None, fmt: str | None,
                profile: str | None, mapping: str | None, language: str | None, max_bytes: int,
                max_ratio: int,
                jobs: int, engine: str, scheduler: str | None, workers: int | None,
                settings: tuple[str, ...], fresh: bool, strict: bool, as_json: bool) -> None:
    """Convert raw inputs (files, folders, globs) into normalized article records.

    Every input ends as a record, a rejection (written to the quarantine file with the
    reason and location) or a skip; the summary line shows that the counts add up.

    \b
    Example:
      newscorpus convert raw/ -w .
      newscorpus convert dumps/*.txt -o articles/extra.jsonl --profile generic
      newscorpus convert crawl/ --jobs 2 --fresh
      newscorpus convert export.csv --mapping my-mapping.yaml
      newscorpus convert pages/ --option html.mode=full
      newscorpus convert crawl/ --engine dask --scheduler tcp://127.0.0.1:8786
    """
    from ..api import convert
    from ..convert.base import ConvertOptions
    from ..convert.batch import iter_inputs
    from ..convert.formatoptions import parse_assignments
    from ..workspace import CONFIG_NAME, Workspace

    # converting given files needs no corpus config (default settings); no inputs and no
    # workspace, or a broken config, is an error
    needs_ws = (workspace / CONFIG_NAME).exists() or not inputs
    ws = Workspace.open(workspace) if needs_ws else None
    if ws is None and output is None:
        output = workspace / "articles" / "articles.jsonl"
    options = ConvertOptions(max_bytes=max_bytes, max_ratio=max_ratio, profile=profile, language=language,
                             mapping=Path(mapping) if mapping else None)
    paths: list[str | Path] = [*inputs] or ([ws.path("raw")] if ws else [])
    run = partial(convert, paths, output, workspace=ws, options=options, format=fmt,
                  quarantine=quarantine_path, jobs=jobs, resume=not fresh,
                  settings=parse_assignments(settings), engine=engine, scheduler=scheduler,
                  workers=workers)
    if not as_json and sys.stderr.isatty():
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        total = sum(1 for _ in iter_inputs(paths))
        columns = (BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("{task.description}"))
        with Progress(*columns, transient=True) as bar:
            task = bar.add_task("", total=total)
            result = run(progress=lambda name: bar.update(task, advance=1, description=name))
    else:
        result = run()
    report, output, quarantine = result.report, result.output, result.quarantine
    if as_json:
        echo_json(report.to_dict())
    else:
        for rejection in report.rejections[:20]:
            click.echo(f"rejected {rejection}", err=True)
        if report.rejected > 20:
            click.echo(f"... and {report.rejected - 20} more rejections in {quarantine}", err=True)
        click.echo(report.summary())
        where = f"; quarantine: {quarantine}" if report.rejected else ""
        click.echo(f"articles: {output} ({report.written} records){where}")
    if report.written == 0:
        raise click.ClickException("nothing converted")
    if strict and report.rejected:
        raise click.ClickException(f"{report.rejected} input(s) rejected (--strict)")
