"""`kg info` and `kg queries`: what the project is configured with, and its named queries."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from kg import __version__
from kg.commands.tables import folding_table, print_table
from kg.queries import QueryLibrary
from kg.settings import Settings


def register(app: typer.Typer) -> None:
    """Add the info commands to the `kg` app."""

    @app.command("info")
    def info() -> None:
        """Show the version and the settings in force (from KG_* environment variables)."""
        settings = Settings()
        table = Table("setting", "value", title=f"kg {__version__}")
        for name, value in settings.model_dump().items():
            shown = "***" if name == "update_token" and value else str(value)
            table.add_row(name, shown)
        Console().print(table)

    @app.command("queries")
    def queries() -> None:
        """List the named SPARQL queries of queries/ with their parameters."""
        library = QueryLibrary(Settings().queries_dir)
        table = folding_table("name", "title", "parameters")
        for query in library:
            params = ", ".join(
                f"{p.name}:{p.type}{'' if p.required else '?'}" for p in query.parameters
            )
            table.add_row(query.name, query.title, params)
        print_table(Console(), table)
