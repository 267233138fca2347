"""``newscorpus hydrate``."""

from __future__ import annotations

from pathlib import Path

import click

from .options import echo_json, json_option, workspace_option


@click.command("hydrate")
@click.argument("release", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("raw", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write the hydrated release to (must not exist).")
@click.option("--profile", help="Site profile to force for page dumps.")
@click.option("--allow-missing", is_flag=True,
              help="Write the articles that can be restored, leaving out the others (listed "
                   "with the reason in OUT/hydration.json).")
@workspace_option
@json_option
def hydrate_cmd(release: Path, raw: tuple[Path, ...], out: Path, profile: str | None,
                allow_missing: bool, workspace: Path, as_json: bool) -> None:
    """Rebuild the text of a copyright-safe RELEASE from your own copy of the RAW inputs.

    The inputs are converted as the maintainer's were; every article's text must hash to
    its `text_sha256`, or nothing is written (exit 1, naming the missing and differing
    articles). With --allow-missing, the hydrated subset is written instead: the articles
    that cannot be restored are left out of every config, and OUT/hydration.json says which
    and why. Site profiles come from the workspace, if any.

    \b
    Example:
      newscorpus hydrate releases/0.2.0 ~/my-copy-of-raw/ -o hydrated/0.2.0
      newscorpus hydrate releases/0.2.0 ~/my-copy-of-raw/ -o hydrated/0.2.0 --allow-missing
    """
    from ..convert.base import ConvertOptions
    from ..errors import HydrateError
    from ..release.hydrate import hydrate

    folder = Path(workspace) / "profiles"
    options = ConvertOptions(profile_dirs=(folder,) if folder.is_dir() else (), profile=profile)
    try:
        report = hydrate(release, list(raw), out, options, allow_missing=allow_missing)
    except HydrateError as exc:
        partial = getattr(exc, "report", None)
        if partial is not None:
            for aid in partial.missing[:20]:
                click.echo(f"missing: {aid}", err=True)
            for aid in partial.mismatched[:20]:
                click.echo(f"text_sha256 differs: {aid}", err=True)
        raise click.ClickException(str(exc)) from None
    if as_json:
        echo_json(report.to_dict())
    elif report.complete:
        click.echo(f"hydrated {report.hydrated} of {report.articles} articles into {out}; "
                   "every text_sha256 verified")
    else:
        for item in report.left_out[:20]:
            click.echo(f"left out: {item['id']} ({item['url'] or item['source']}): {item['reason']}",
                       err=True)
        click.echo(f"hydrated {report.hydrated} of {report.articles} articles into {out} (a subset; "
                   f"{len(report.left_out)} left out, listed with the reason in "
                   f"{out / 'hydration.json'}); every text_sha256 verified")
