"""``newscorpus release build|diff|verify|reproduce|publish``."""

from __future__ import annotations

from pathlib import Path

import click

from .options import echo_json, engine_options, json_option, workspace_option

release_dir = click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))


@click.group("release")
def release_group() -> None:
    """Build, diff, verify, reproduce and publish releases.

    \b
    Example:
      newscorpus release build 0.2.0
      newscorpus release diff releases/0.1.0 releases/0.2.0
      newscorpus release verify releases/0.2.0
      newscorpus release publish releases/0.2.0 --repo me/corpus --dry-run
    """


@release_group.command("build")
@click.argument("version")
@workspace_option
@click.option("--date", "release_date", help="Release date YYYY-MM-DD (default: today, UTC).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to create VERSION in (default: the workspace's releases/).")
@click.option("--no-cache", is_flag=True, help="Validate every article file, even unchanged ones.")
@click.option("--previous", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Release to diff with and keep splits from (default: the greatest smaller "
                   "version in the workspace's releases/).")
@click.option("--first", is_flag=True, help="Build as a first release (no previous release).")
@click.option("--reshuffle", is_flag=True,
              help="Ignore the previous release's splits (requires a MAJOR version).")
@engine_options("the article validation and Parquet writing", "the machine's cores")
def build_cmd(version: str, workspace: Path, release_date: str | None, out_dir: Path | None,
              no_cache: bool, previous: Path | None, first: bool, reshuffle: bool, engine: str,
              scheduler: str | None, workers: int | None) -> None:
    """Build release VERSION: Parquet configs and splits, card with figures, citation,
    Croissant and Zenodo metadata, changelog, manifest, checksums.

    The build stops with a report if any record fails its schema, any span does not match
    its text, or any annotation is stale; it refuses a VERSION smaller than the semver bump
    the diff with the previous release requires. An existing version is never overwritten.

    \b
    Example:
      newscorpus release build 0.2.0 --date 2026-12-01
      newscorpus release build 0.2.0 --engine dask --scheduler tcp://127.0.0.1:8786
    """
    from ..api import BuildOptions, build_release
    from ..workspace import Workspace

    result = build_release(Workspace.open(workspace), version, BuildOptions(
        release_date=release_date, out_dir=out_dir, use_cache=not no_cache, previous=previous,
        first_release=first, reshuffle=reshuffle, progress=lambda m: click.echo(m, err=True),
        engine=engine, scheduler=scheduler, workers=workers))
    counts = result.manifest["counts"]
    splits = result.manifest["configs"]["default"]["splits"]
    click.echo(f"built {result.path}: {counts['articles']} articles ("
               + ", ".join(f"{k} {v['rows']}" for k, v in splits.items()) + "); configs "
               + ", ".join(result.manifest["configs"]))
    semver = result.manifest.get("semver")
    if semver:
        click.echo(f"{semver['bump'].upper()} bump from {semver['previous']} "
                   f"(smallest allowed: {semver['required'].upper()})")


@release_group.command("diff")
@click.argument("old", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, file_okay=False, path_type=Path))
@json_option
def diff_cmd(old: Path, new: Path, as_json: bool) -> None:
    """Show what changed from release OLD to release NEW and the smallest semver bump
    the changes allow (articles added, removed, changed, moved; labels; configs, fields,
    schemas; packaging files).

    \b
    Example:
      newscorpus release diff releases/0.1.0 releases/0.2.0
    """
    from ..release.diff import bump_of, diff_releases, render_diff

    diff = diff_releases(old, new)
    if as_json:
        echo_json(diff.to_dict())
        return
    click.echo(render_diff(diff), nl=False)
    bump = bump_of(diff.old, diff.new)
    ok = bump is not None and ("patch", "minor", "major").index(bump) >= (
        "patch", "minor", "major").index(diff.required)
    click.echo(f"\n{diff.old} -> {diff.new}: {bump.upper() if bump else 'not greater'}; "
               f"required {diff.required.upper()} ({'ok' if ok else 'TOO SMALL'})")


@release_group.command("publish")
@release_dir
@click.option("--repo", "repo_id", required=True, help="Hub dataset repository, e.g. me/corpus.")
@click.option("--dry-run", is_flag=True,
              help="Print the exact huggingface_hub calls (reading the Hub's refs); write nothing.")
@click.option("--private", is_flag=True, help="Create the repository as private.")
@click.option("--token", envvar="HF_TOKEN", help="Hub token (default: $HF_TOKEN or the login).")
def publish_cmd(folder: Path, repo_id: str, dry_run: bool, private: bool,
                token: str | None) -> None:
    """Publish a release to a Hugging Face Hub dataset repository with the tag vX.Y.Z.

    The release is verified first; a version whose tag exists is refused (tags never move).
    The newest version goes to `main`; a version older than one already published goes to
    the branch `release/X.Y` of its line. One commit, with the Hub's current head as its
    parent and the changelog entry as its description, uploads every file (`.zenodo.json`
    included, for minting a DOI on Zenodo) and removes files of an older release; then the
    tag is set on it. The commit id is printed and recorded in `published.json` beside the
    release folder. `$HF_ENDPOINT` selects another Hub endpoint.

    \b
    Example:
      newscorpus release publish releases/0.2.1 --repo me/corpus --dry-run
    """
    from ..release.publish import publish

    result = publish(folder, repo_id, dry_run=dry_run, private=private, token=token)
    if result.plan.note:
        click.echo(f"note: {result.plan.note}", err=True)
    for call in result.calls:
        click.echo(str(call))
    if dry_run:
        click.echo(f"dry run: nothing was sent ({result.plan.tag} would go to {result.plan.branch})")
    else:
        click.echo(f"published {folder} to {repo_id}: commit {result.commit} on {result.plan.branch}, "
                   f"tag {result.plan.tag}; recorded in {result.record}")


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

    Uses the version and date recorded in FOLDER/manifest.json. When the tool versions its
    manifest records (newscorpus, Python, pyarrow, datasets, ...) differ from the running
    ones, says which versions it needs and exits 1 without rebuilding. Exits 1 when any file
    differs.

    \b
    Example:
      newscorpus release reproduce releases/0.2.1
    """
    from ..release.reproduce import reproduce_release, why_not_reproduced
    from ..workspace import Workspace

    ws = Workspace.open(workspace)
    differences = reproduce_release(ws, folder)
    if differences:
        for line in differences:
            click.echo(line, err=True)
        raise click.ClickException(f"{folder} is not reproduced by this workspace "
                                   f"({len(differences)} difference(s)): {why_not_reproduced(ws, folder)}")
    click.echo(f"reproduced: every SHA256SUMS entry of {folder} matches a fresh build")
