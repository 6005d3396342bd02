"""`kg load`, `kg validate`, `kg graphs`, `kg drop`, `kg build`: validated, atomic ingestion."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pyoxigraph as ox
import typer
from rich.console import Console
from rich.table import Table

from kg.errors import InputError, NotFoundError, ValidationFailed
from kg.ingest import Batch, batch_from_file, load_batches, validate_batches
from kg.load_records import record_quads, replace_update
from kg.queries import QueryLibrary
from kg.settings import Settings
from kg.store import open_store
from kg.validation import ValidationReport

FilesArg = Annotated[list[Path], typer.Argument(help="RDF files (.ttl .nt .nq .trig .jsonld .rdf)")]
FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format", "-f", help="Override the format: turtle, nt, nq, trig, jsonld, rdfxml."
    ),
]


def _batches(
    settings: Settings, files: list[Path], graph: str | None, fmt: str | None
) -> list[Batch]:
    if graph and len(files) > 1:
        raise InputError("--graph names one graph, so give exactly one file with it")
    return [batch_from_file(f, settings, graph=graph, fmt=fmt) for f in files]


def print_report(report: ValidationReport, console: Console) -> None:
    """One row per violation: source, focus node, path, value, message, severity, shape."""
    table = Table("severity", "source", "focus node", "path", "value", "message", "shape")
    for r in report.rows:
        table.add_row(r.severity, r.source, r.focus, r.path, r.value, r.message, r.shape)
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add the ingest commands to the `kg` app."""

    @app.command("load")
    def load(
        files: FilesArg,
        graph: Annotated[
            str | None, typer.Option("--graph", "-g", help="Named graph IRI (one file only).")
        ] = None,
        fmt: FormatOpt = None,
        progress: Annotated[bool, typer.Option(help="Show a progress bar on long loads.")] = True,
    ) -> None:
        """Validate FILES with SHACL, then load them in one transaction (each into its own graph)."""
        settings = Settings()
        batches = _batches(settings, files, graph, fmt)
        store = open_store(settings.store)
        err = Console(stderr=True)
        try:
            report = load_batches(store, settings, batches, progress=progress)
        except ValidationFailed as exc:
            print_report(exc.report, err)  # type: ignore[arg-type]
            raise
        out = Console()
        for name, count in sorted(report.graphs.items()):
            out.print(f"loaded {count} triples into {name}", highlight=False)
        out.print(f"{report.triples} triples in {report.seconds:.2f} s", highlight=False)

    @app.command("validate")
    def validate(
        files: FilesArg,
        fmt: FormatOpt = None,
        turtle: Annotated[
            Path | None, typer.Option("--report", help="Write the SHACL report as Turtle here.")
        ] = None,
    ) -> None:
        """Dry run of `kg load`: the same checks and report, nothing written."""
        settings = Settings()
        batches = _batches(settings, files, None, fmt)
        store = (
            open_store(settings.store, read_only=True)
            if settings.store is not None and settings.store.exists()
            else open_store(None)
        )
        report = validate_batches(store, settings, batches)
        if turtle is not None:
            turtle.write_text(report.turtle, encoding="utf-8")
        if not report.conforms:
            print_report(report, Console(stderr=True))
            raise InputError(
                f"{', '.join(report.sources)} broke the shapes: "
                f"{sum(r.severity == 'Violation' for r in report.rows)} violation(s)"
            )
        Console().print(f"{', '.join(report.sources)}: conforms ({report.triples} triples)")

    @app.command("graphs")
    def graphs() -> None:
        """List the named graphs with their triple counts and load records."""
        settings = Settings()
        store = open_store(settings.store, read_only=settings.store is not None)
        queries = QueryLibrary(settings.queries_dir)
        records = {row["graph"].value: row for row in queries.run(store, "ingest-load-records")}
        table = Table("graph", "triples", "file", "sha256", "loaded at", "validator", "shapes")
        for row in queries.run(store, "ingest-graphs"):
            name = row["g"].value
            rec = records.get(name)
            cells = (
                [
                    rec[v].value if rec[v] is not None else ""
                    for v in ("file", "sha256", "time", "validator", "shapes")
                ]
                if rec
                else ["", "", "", "", ""]
            )
            cells[1] = cells[1][:12]
            table.add_row(name, row["triples"].value, *cells)
        Console().print(table)

    @app.command("drop")
    def drop(graph: Annotated[str, typer.Argument(help="IRI of the named graph to drop.")]) -> None:
        """Remove a named graph and its load record, in one transaction."""
        settings = Settings()
        store = open_store(settings.store)
        if not store.contains_named_graph(ox.NamedNode(graph)):
            raise NotFoundError(f"there is no graph {graph} in the store; see `kg graphs`")
        old = record_quads(store, QueryLibrary(settings.queries_dir), graph)
        store.update(replace_update([graph], old, []))
        Console().print(f"dropped {graph}", highlight=False)

    @app.command("build")
    def build_cmd(
        if_stale: Annotated[
            bool, typer.Option("--if-stale", help="Only when the store is missing or stale.")
        ] = False,
        progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    ) -> None:
        """Load ontology/ and data/ into a fresh store, then swap it in place."""
        from kg.build import build, is_stale

        settings = Settings()
        if if_stale and not is_stale(settings):
            Console().print(f"the store at {settings.store} is up to date", highlight=False)
            return
        report = build(settings, progress=progress)
        Console().print(
            f"built {settings.store}: {report.triples} triples in {len(report.graphs)} graphs "
            f"({report.seconds:.1f} s)",
            highlight=False,
        )
