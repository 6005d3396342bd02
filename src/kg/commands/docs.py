"""`kg docs`: regenerate the ontology's HTML documentation (pyLODE) after the Turtle changes."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from kg.settings import Settings


@contextmanager
def warnings_only() -> Iterator[None]:
    """Let only warnings and errors of the libraries' logging through while the block runs.

    pyLODE calls ``logging.basicConfig(level=DEBUG)`` when it is imported and logs INFO lines on the
    root logger; with a handler already on the root logger that call does nothing, and the root's
    level keeps the INFO lines out. The root logger is restored afterwards.
    """
    root = logging.getLogger()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    saved = root.level
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(saved)


def register(app: typer.Typer) -> None:
    """Add `kg docs` to the `kg` app."""

    @app.command("docs")
    def docs(
        out: Annotated[
            Path | None, typer.Option(help="Output folder (default: ontology/docs).")
        ] = None,
    ) -> None:
        """Write the ontology's HTML pages (one for the OWL ontology, one per SKOS scheme)."""
        with warnings_only():
            from kg.ontology.docs import build_docs

            paths = build_docs(Settings(), out)
        for path in paths:
            typer.echo(str(path))
