"""`kg export`: the whole dataset as gzip N-Quads and per-graph Turtle with SHA-256 sums, into the
directory the server publishes under ``/dumps/``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from kg.queries import get_library
from kg.release import previous_release, write_release
from kg.settings import Settings
from kg.store import open_store
from kg.web.lod.dumps import export


def register(app: typer.Typer) -> None:
    """Add the linked-data commands to the `kg` app."""

    @app.command("export")
    def export_command(
        out: Annotated[
            Path | None,
            typer.Option("--out", help="Directory to write into (default: KG_DUMPS_DIR)."),
        ] = None,
    ) -> None:
        """Write the dataset as gzip N-Quads and per-graph Turtle, with SHA-256 sums."""
        settings = Settings()
        target = out or settings.dumps_dir
        store = open_store(settings.store, read_only=True)
        previous = previous_release(target)
        files = export(store, target)
        release = write_release(store, get_library(settings.queries_dir), files, target, previous)
        table = Table("file", "bytes", "triples", "sha256", title=f"dumps in {target}")
        for f in files:
            table.add_row(f.name, str(f.size), str(f.triples or ""), f.sha256[:16] + "…")
        Console().print(table)
        Console().print(f"release metadata: {release}", highlight=False)
