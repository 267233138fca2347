"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path

import click

workspace_option = click.option(
    "-w", "--workspace", "workspace", type=click.Path(file_okay=False, path_type=Path),
    default=Path("."), show_default=True, help="Workspace folder (holds newscorpus.yaml).")
json_option = click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")


def echo_json(data: object) -> None:
    import json

    click.echo(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True))
