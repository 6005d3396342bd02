"""The ``kg`` command line: one Typer app; each capability registers its commands from
``kg.commands.<area>``. Every :class:`KGError` is caught once, here, and printed as one sentence."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from kg.commands import endpoint, fetch, importers, info, ingest, lod, network
from kg.errors import KGError

app = typer.Typer(
    name="kg",
    help="Knowledge graph of the international action of French territorial collectivities.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

for module in (info, ingest, endpoint, lod, network, importers, fetch):
    module.register(app)


def main() -> None:
    """Console-script entry point: run the app, turning project errors into one clear line."""
    err = Console(stderr=True)
    try:
        app(standalone_mode=False)
    except KGError as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(1)
    except typer.Abort:
        err.print("aborted")
        sys.exit(130)
    except (typer.BadParameter, typer.Exit) as exc:  # pragma: no cover - handled by click
        raise exc
    except Exception as exc:  # click usage errors carry their own exit code
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, click.exceptions.Exit):
            sys.exit(exc.exit_code)
        raise


if __name__ == "__main__":  # pragma: no cover
    main()
