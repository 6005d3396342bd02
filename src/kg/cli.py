"""The ``kg`` command line: one Typer app; each capability registers its commands from
``kg.commands.<area>``. Every :class:`KGError` is caught once, here, and printed as one sentence."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from kg.commands import docs, endpoint, extract, fetch, importers, info, ingest, lod, network
from kg.errors import KGError

app = typer.Typer(
    name="kg",
    help="Knowledge graph of the international action of French territorial collectivities.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

for module in (info, ingest, endpoint, lod, network, importers, fetch, docs, extract):
    module.register(app)


def main() -> None:
    """Console-script entry point: run the app, turning every error into one clear line and exit 1.

    Project errors (:class:`KGError`) and command-line usage errors (Typer's click exceptions: an
    unknown choice, a value of the wrong type, a missing argument) are both printed as one sentence,
    never as a traceback.
    """
    err = Console(stderr=True)
    try:
        app(standalone_mode=False)
    except KGError as exc:
        _fail(err, str(exc), 1)
    except typer.Abort:
        err.print("aborted")
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.TyperException as exc:
        _fail(err, usage_sentence(exc), int(getattr(exc, "exit_code", 2)))


def usage_sentence(exc: typer.TyperException) -> str:
    """One sentence for a usage error: click's own message (it names the parameter), then where to
    read more."""
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    message = " ".join(message.replace("Value error, ", "").split()).rstrip(".")
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else "kg"
    return f"{message} (see `{command} --help`)."


def _fail(err: Console, sentence: str, code: int) -> None:
    err.print(f"[bold red]error:[/] {sentence}", highlight=False, soft_wrap=True)
    sys.exit(code or 1)


if __name__ == "__main__":  # pragma: no cover
    main()
