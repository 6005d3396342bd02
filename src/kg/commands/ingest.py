"""`kg load`, `kg validate`, `kg graphs`, `kg drop`, `kg build`: validated, atomic ingestion."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from kg.errors import InputError, NotFoundError, ValidationFailed
from kg.ingest import Batch, batch_from_file, load_batches, validate_batches
from kg.queries import get_library
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


BaseOpt = Annotated[
    str | None,
    typer.Option("--base", metavar="IRI", help="Base IRI against which relative IRIs resolve."),
]


def _batches(
    settings: Settings,
    files: list[Path],
    graph: str | None,
    fmt: str | None,
    base: str | None = None,
) -> list[Batch]:
    if graph and len(files) > 1:
        raise InputError("--graph names one graph, so give exactly one file with it")
    if base is not None and not _ABSOLUTE.match(base):
        raise InputError(f"--base {base!r} is not an absolute IRI (e.g. https://example.org/doc)")
    return [batch_from_file(f, settings, graph=graph, fmt=fmt, base_iri=base) for f in files]


_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]*$")


def print_report(report: ValidationReport, console: Console) -> None:
    """One block per violation (severity and source, then focus node, path, value, message and
    shape on their own lines), readable whole in an 80-column terminal."""
    console.print(report.table(), overflow="fold", highlight=False, markup=False, soft_wrap=False)


def _print_history(console: Console, rows: Any, graph: str) -> None:
    """One block per load of ``graph``: when, which file and hash, and when it was replaced."""
    found = False
    for row in rows:
        found = True
        console.print(f"[bold]{row['time'].value}[/bold]  {row['activity'].value}", highlight=False)
        console.print(
            f"  file: {row['file'].value} ({row['triples'].value} triples)", highlight=False
        )
        console.print(f"  sha256: {row['sha256'].value}", highlight=False, overflow="fold")
        if row["invalidated"] is not None:
            by = f" by {row['invalidatedBy'].value}" if row["invalidatedBy"] is not None else ""
            console.print(f"  replaced at {row['invalidated'].value}{by}", highlight=False)
        else:
            console.print("  current", highlight=False)
    if not found:
        raise NotFoundError(f"no load of {graph} is recorded; see `kg graphs`")


def register(app: typer.Typer) -> None:
    """Add the ingest commands to the `kg` app."""

    @app.command("load")
    def load(
        files: FilesArg,
        graph: Annotated[
            str | None, typer.Option("--graph", "-g", help="Named graph IRI (one file only).")
        ] = None,
        fmt: FormatOpt = None,
        base: BaseOpt = None,
        progress: Annotated[bool, typer.Option(help="Show a progress bar on long loads.")] = True,
    ) -> None:
        """Validate FILES with SHACL, then load them in one transaction (each into its own graph)."""
        settings = Settings()
        batches = _batches(settings, files, graph, fmt, base)
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
        base: BaseOpt = None,
        turtle: Annotated[
            Path | None, typer.Option("--report", help="Write the SHACL report as Turtle here.")
        ] = None,
    ) -> None:
        """Dry run of `kg load`: the same checks and report, nothing written."""
        settings = Settings()
        batches = _batches(settings, files, None, fmt, base)
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
    def graphs(
        history: Annotated[
            str | None,
            typer.Option(
                "--history", metavar="GRAPH", help="Every load of this graph, oldest first."
            ),
        ] = None,
    ) -> None:
        """List the named graphs with their triple counts and current load records."""
        settings = Settings()
        store = open_store(settings.store, read_only=settings.store is not None)
        queries = get_library(settings.queries_dir)
        console = Console()
        if history is not None:
            _print_history(
                console, queries.run(store, "ingest-load-history", graph=history), history
            )
            return
        records = {row["graph"].value: row for row in queries.run(store, "ingest-load-records")}
        graphs = list(queries.run(store, "ingest-graphs"))
        if not graphs:
            console.print("0 graphs", highlight=False)
        for row in graphs:
            name = row["g"].value
            console.print(f"[bold]{name}[/bold]  {row['triples'].value} triples", highlight=False)
            rec = records.get(name)
            if rec is None:
                console.print("  no load record", highlight=False)
                continue
            fields = [
                ("file", rec["file"]),
                ("sha256", rec["sha256"]),
                ("loaded at", rec["time"]),
                ("validator", rec["validator"]),
                ("shapes", rec["shapes"]),
            ]
            for label, value in fields:
                if value is not None:
                    console.print(f"  {label}: {value.value}", highlight=False, overflow="fold")

    @app.command("drop")
    def drop(
        graph: Annotated[str, typer.Argument(help="IRI of the named graph to drop.")],
        force: Annotated[
            bool, typer.Option("--force", help="Drop even if other graphs refer to its entities.")
        ] = False,
    ) -> None:
        """Remove a named graph in one transaction; its load history stays, invalidated."""
        from kg.ingest.drop import drop_graph

        settings = Settings()
        store = open_store(settings.store)
        left = drop_graph(store, get_library(settings.queries_dir), graph, force=force)
        note = f" ({len({d.entity for d in left})} entities left dangling)" if left else ""
        Console().print(f"dropped {graph}{note}", highlight=False)

    @app.command("build")
    def build_cmd(
        if_stale: Annotated[
            bool, typer.Option("--if-stale", help="Only when the store is missing or stale.")
        ] = False,
        progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    ) -> None:
        """Load ontology/ and data/ into a fresh store, then swap it in place."""
        from kg.ingest.build import build, is_stale

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
