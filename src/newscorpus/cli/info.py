"""``newscorpus info``."""

from __future__ import annotations

from pathlib import Path

import click

from .options import echo_json, json_option, workspace_option


@click.command("info")
@workspace_option
@click.option("--release", "release", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Load this release folder with `datasets` and summarize it.")
@json_option
def info_cmd(workspace: Path, release: Path | None, as_json: bool) -> None:
    """Summarize the workspace, or load a release with `datasets` and summarize it.

    \b
    Example:
      newscorpus info
      newscorpus info --release releases/0.1.0
    """
    if release is not None:
        from ..release.load import describe_release

        data = describe_release(release)
        if as_json:
            echo_json(data)
            return
        click.echo(f"{data['name']} {data['version']} (released {data['release_date']}), "
                   "loaded with datasets.load_dataset:")
        for config, spec in data["configs"].items():
            splits = ", ".join(f"{k} {v}" for k, v in spec["splits"].items())
            click.echo(f"  config {config}: {splits}")
            for path, names in spec["class_labels"].items():
                click.echo(f"    ClassLabel {path}: {', '.join(names)}")
        return
    from ..workspace import Workspace
    from ..workspace_info import workspace_summary

    data = workspace_summary(Workspace.open(workspace))
    if as_json:
        echo_json(data)
        return
    click.echo(f"workspace {data['name']} at {data['root']}")
    for key in ("raw_files", "articles", "annotations", "releases"):
        click.echo(f"  {key}: {data[key]}")
