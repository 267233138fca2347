"""``newscorpus validate``."""

from __future__ import annotations

from pathlib import Path

import click

from .options import echo_json, json_option, workspace_option


@click.command("validate")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@workspace_option
@click.option("--kind", type=click.Choice(["article", "annotation", "manifest"]),
              help="Record kind of FILES (default: guessed per record).")
@click.option("--no-cache", is_flag=True, help="Validate every workspace file, even unchanged ones.")
@json_option
def validate_cmd(files: tuple[Path, ...], workspace: Path, kind: str | None, no_cache: bool,
                 as_json: bool) -> None:
    """Validate records against their schema version, text hashes and span offsets.

    Without FILES, checks the whole workspace as a release would: every article, every
    annotation (spans against the article text, stale text hashes, labels in the label
    set). Exits 1 when anything is invalid.

    \b
    Example:
      newscorpus validate
      newscorpus validate articles/articles.jsonl --json
    """
    from ..report import ValidationReport
    from ..schema import validate_jsonl

    if files:
        report = ValidationReport()
        for f in files:
            report.merge(validate_jsonl(f, kind))
    else:
        from ..validation import check_workspace
        from ..workspace import Workspace

        report = check_workspace(Workspace.open(workspace), use_cache=not no_cache)
    if as_json:
        echo_json(report.to_dict())
    else:
        for problem in report.problems[:50]:
            click.echo(str(problem), err=True)
        if len(report.problems) > 50:
            click.echo(f"... and {len(report.problems) - 50} more problems", err=True)
        click.echo(report.summary())
    if not report.valid:
        raise SystemExit(1)
