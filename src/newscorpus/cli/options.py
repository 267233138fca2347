"""Options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

workspace_option = click.option(
    "-w", "--workspace", "workspace", type=click.Path(file_okay=False, path_type=Path),
    default=Path("."), show_default=True, help="Workspace folder (holds newscorpus.yaml).")
json_option = click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")


def echo_json(data: object) -> None:
    import json

    click.echo(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True))


def engine_options(what: str, workers_default: str) -> Callable[[Any], Any]:
    """``--engine``, ``--scheduler`` and ``--workers`` (the engine that runs ``what``)."""
    options = [
        click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
                     help=f"What runs {what}: this machine's processes, or a Dask cluster "
                          "(extra newscorpus[dask]; the output is identical)."),
        click.option("--scheduler", metavar="tcp://HOST:PORT",
                     help="The Dask scheduler to use (--engine dask; default: start local workers)."),
        click.option("--workers", type=click.IntRange(min=1),
                     help=f"Local Dask worker processes when no --scheduler is given (default: "
                          f"{workers_default})."),
    ]

    def decorate(fn: Any) -> Any:
        for option in reversed(options):
            fn = option(fn)
        return fn

    return decorate
