"""`kg serve` (the web application under uvicorn) and `kg query NAME --param k=v --format ...`."""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import pyoxigraph as ox
import typer
from rich.console import Console
from rich.table import Table

from kg.commands.tables import cell, folding_table, print_table
from kg.errors import InputError
from kg.queries import QueryLibrary
from kg.settings import Settings
from kg.store import open_store
from kg.web.sparql.messages import explain

FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {"json": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML}


def parse_params(pairs: list[str]) -> dict[str, str]:
    """``["k=v", ...]`` as a dict; a pair without ``=`` is an error naming it."""
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise InputError(f"--param {pair!r} is not of the form name=value")
        values[key.strip()] = value
    return values


def _open(settings: Settings) -> ox.Store:
    """A read-only handle (works while a server runs), or memory if no path."""
    return open_store(settings.store, read_only=settings.store is not None)


def run_named(settings: Settings, name: str, params: dict[str, str], fmt: str) -> bytes | Table:
    """Run a named query on a read-only handle of the store (works while the server runs)."""
    library = QueryLibrary(settings.queries_dir)
    library.get(name)  # unknown names fail before the store is opened
    store = _open(settings)
    try:
        result = library.run(store, name, **params)
    except SyntaxError as exc:  # a hand-edited queries/*.rq: say what is wrong, in words
        raise InputError(
            explain(library.get(name).text, str(exc), {}, kind=f"query {name!r}", re_emitted=False)
        ) from None
    if isinstance(result, ox.QueryTriples):
        graph_fmt = GRAPH_FORMATS.get(fmt, ox.RdfFormat.TURTLE)
        return ox.serialize(list(result), format=graph_fmt) or b""
    if fmt == "table":
        if isinstance(result, ox.QueryBoolean):
            table = Table("result")
            table.add_row(str(bool(result)).lower())
            return table
        variables = [v.value for v in result.variables]
        table = folding_table(*variables, title=name)
        for solution in result:
            table.add_row(*(cell(solution[v]) for v in variables))
        return table
    return result.serialize(format=FORMATS[fmt]) or b""


def register(app: typer.Typer) -> None:
    """Add `kg serve` and `kg query` to the `kg` app."""

    @app.command("serve")
    def serve(
        host: Annotated[str | None, typer.Option(help="Interface to listen on (KG_HOST).")] = None,
        port: Annotated[int | None, typer.Option(help="Port to listen on (KG_PORT).")] = None,
    ) -> None:
        """Serve the store: SPARQL endpoint, query page, named-query API, linked-data pages."""
        import uvicorn

        from kg.web.app import create_app
        from kg.web.server import server_config

        settings = Settings()
        overrides = {k: v for k, v in (("host", host), ("port", port)) if v is not None}
        settings = settings.model_copy(update=overrides)
        # Opened here, not in the app's startup, so a busy or missing store is one sentence.
        store = open_store(settings.store)
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        uvicorn.Server(server_config(create_app(settings, store), settings)).run()

    @app.command("query")
    def query(
        name: Annotated[
            str, typer.Argument(help="Name of a query of queries/ (see `kg queries`).")
        ],
        param: Annotated[
            list[str] | None, typer.Option("--param", "-p", help="A parameter, as name=value.")
        ] = None,
        fmt: Annotated[
            str, typer.Option("--format", "-f", help="json, csv, tsv, xml or table.")
        ] = "table",
    ) -> None:
        """Run a named query on the store and print its results."""
        if fmt not in (*FORMATS, "table"):
            raise InputError(f"unknown format {fmt!r}; use json, csv, tsv, xml or table")
        output = run_named(Settings(), name, parse_params(param or []), fmt)
        if isinstance(output, Table):
            print_table(Console(), output)
        else:
            sys.stdout.buffer.write(output)
            sys.stdout.flush()
