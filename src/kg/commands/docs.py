"""`kg docs`: regenerate the ontology's HTML documentation (pyLODE) after the Turtle changes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.settings import Settings


def register(app: typer.Typer) -> None:
    """Add `kg docs` to the `kg` app."""

    @app.command("docs")
    def docs(
        out: Annotated[
            Path | None, typer.Option(help="Output folder (default: ontology/docs).")
        ] = None,
    ) -> None:
        """Write the ontology's HTML pages (one for the OWL ontology, one per SKOS scheme)."""
        from kg.ontology.docs import build_docs

        for path in build_docs(Settings(), out):
            typer.echo(str(path))
