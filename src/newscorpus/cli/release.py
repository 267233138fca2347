"""``newscorpus release build|verify|reproduce``."""

from __future__ import annotations

from pathlib import Path

import click

from .options import echo_json, json_option, workspace_option

release_dir = click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))


@click.group("release")
def release_group() -> None:
    """Build, verify and reproduce releases.

    \b
    Example:
      newscorpus release build 0.2.0
      newscorpus release verify releases/0.2.0
    """


@release_group.command("build")
@click.argument("version")
@workspace_option
@click.option("--date", "release_date", help="Release date YYYY-MM-DD (default: today, UTC).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to create VERSION in (default: the workspace's releases/).")
@click.option("--no-cache", is_flag=True, help="Validate every article file, even unchanged ones.")
def build_cmd(version: str, workspace: Path, release_date: str | None, out_dir: Path | None,
              no_cache: bool) -> None:
    """Build release VERSION: validated Parquet splits, card, citation, manifest, checksums.

    The build stops with a report if any record fails its schema, any span does not match
    its text, or any annotation is stale. An existing version is never overwritten.

    \b
    Example:
      newscorpus release build 0.2.0 --date 2026-12-01
    """
    from ..errors import InvalidRecordsError
    from ..release.writer import build_release
    from ..workspace import Workspace

    if release_date is None:
        from datetime import UTC, datetime

        release_date = datetime.now(UTC).date().isoformat()
    try:
        result = build_release(Workspace.open(workspace), version, release_date, out_dir,
                               use_cache=not no_cache, progress=lambda m: click.echo(m, err=True))
    except InvalidRecordsError as exc:
        for problem in exc.report.problems[:50]:  # type: ignore[attr-defined]
            click.echo(str(problem), err=True)
        raise click.ClickException(f"build refused: {exc}") from None
    counts = result.manifest["counts"]
    splits = result.manifest["configs"]["default"]["splits"]
    click.echo(f"built {result.path}: {counts['articles']} articles ("
               + ", ".join(f"{k} {v['rows']}" for k, v in splits.items()) + ")")


@release_group.command("verify")
@release_dir
@click.option("--no-reload", is_flag=True, help="Skip the reload with `datasets`.")
@json_option
def verify_cmd(folder: Path, no_reload: bool, as_json: bool) -> None:
    """Verify a release: checksums, manifest, row counts, text hashes, every span's
    offsets, and a reload of every config with `datasets`. Exits 1 on any problem.

    \b
    Example:
      newscorpus release verify releases/0.1.0
    """
    from ..release.verify import verify_release

    report = verify_release(folder, reload=not no_reload)
    if as_json:
        echo_json(report.to_dict())
    else:
        for problem in report.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{'verified' if report.valid else 'FAILED'}: {folder} "
                   f"({report.records} rows checked, {len(report.problems)} problems)")
    if not report.valid:
        raise SystemExit(1)


@release_group.command("reproduce")
@release_dir
@workspace_option
def reproduce_cmd(folder: Path, workspace: Path) -> None:
    """Rebuild a release from the workspace in a scratch folder and compare checksums.

    Uses the version and date recorded in FOLDER/manifest.json. Exits 1 when any file
    differs.

    \b
    Example:
      newscorpus release reproduce releases/0.1.0
    """
    from ..release.reproduce import reproduce_release
    from ..workspace import Workspace

    differences = reproduce_release(Workspace.open(workspace), folder)
    if differences:
        for line in differences:
            click.echo(line, err=True)
        raise click.ClickException(f"{folder} is not reproduced by this workspace "
                                   f"({len(differences)} difference(s))")
    click.echo(f"reproduced: every SHA256SUMS entry of {folder} matches a fresh build")
