"""The ``newscorpus`` command. Library errors become one-line click errors here, in one
place; commands import the library lazily so that ``newscorpus --help`` starts fast."""

from __future__ import annotations

from typing import Any

import click

from ..errors import InvalidRecordsError, NewscorpusError


class Group(click.Group):
    """A click group that turns library errors into one-line errors (exit 1); for invalid
    records, the problems come first on stderr (at most 50)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InvalidRecordsError as exc:
            for line in exc.lines():
                click.echo(line, err=True)
            raise click.ClickException(f"refused: {exc}") from None
        except NewscorpusError as exc:
            raise click.ClickException(str(exc)) from None
        except FileNotFoundError as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=Group)
@click.version_option(package_name="newscorpus")
def cli() -> None:
    """Turn raw news articles into an annotated, versioned, citable corpus.

    \b
    Example:
      newscorpus convert raw/ && newscorpus validate && newscorpus release build 0.1.0
    """


def _register() -> None:
    from . import convert, hydrate, info, release, validate

    cli.add_command(convert.convert_cmd)
    cli.add_command(validate.validate_cmd)
    cli.add_command(release.release_group)
    cli.add_command(info.info_cmd)
    from .annotate import annotate_group

    cli.add_command(annotate_group)
    cli.add_command(hydrate.hydrate_cmd)


_register()


def main() -> None:
    cli()
