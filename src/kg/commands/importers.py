"""`kg import SOURCE PATH`: national reference data (COG, twinnings, IATI codes) converted,
reconciled, validated and loaded, each source into ``graph/import/<source>``; `kg import all DIR`
builds the full graph (ontology, seeds and every import) from a shared data folder in one go."""

from __future__ import annotations

import time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import httpx
import typer
from rich.console import Console
from rich.table import Table

from kg.commands.steps import Steps
from kg.errors import ValidationFailed
from kg.fetch.download import fetch_source
from kg.fetch.manifest import load_manifest
from kg.importers.conversion import Conversion
from kg.importers.pipeline import (
    SHARED_LAYOUT,
    SOURCE_NAMES,
    ImportOptions,
    build_full,
    convert_for_store,
    load,
)
from kg.importers.report import status_counts, write_report
from kg.settings import PROJECT_ROOT, Settings
from kg.store import open_store

#: What `kg import` can read: every importer of the registry, and ``all``.
SOURCE_CHOICES = (*SOURCE_NAMES, "all")
if TYPE_CHECKING:
    Source = str
else:  # Typer reads the choices from an enum, built from the registry
    Source = StrEnum("Source", {name: name for name in SOURCE_CHOICES})


def _lines(pairs: list[tuple[str, object]]) -> str:
    """Named counts one per line, names left and numbers right-aligned ("communes  1107")."""
    texts = [(name, str(value)) for name, value in pairs]
    names = max((len(n) for n, _ in texts), default=0)
    numbers = max((len(v) for _, v in texts), default=0)
    return "\n".join(f"{n:<{names}} {v:>{numbers}}" for n, v in texts)


def summary_table(conversions: list[Conversion], seconds: float) -> Table:
    """One row per source: its triples and main counts, and the reconciliation outcome, one count a
    line, so the table fits an 80-column terminal without cutting a name or a number."""
    table = Table(title=f"import summary ({seconds:.1f} s)", show_lines=True)
    for column in ("source", "triples and counts", "names and curation"):
        table.add_column(column, overflow="fold")
    for c in conversions:
        names = status_counts(c)
        counts: list[tuple[str, object]] = [("triples", c.triples)]
        counts += [(k, v) for k, v in c.counts.items() if not k.startswith("names-")]
        outcome: list[tuple[str, object]] = [
            (k, names[k]) for k in ("matched", "ambiguous", "unmatched") if k in names
        ]
        outcome += [("to curate", len(c.cases)), ("conflicts", len(c.conflicts))]
        table.add_row(c.source.name, _lines(counts), _lines(outcome))
    return table


def fetch_missing(settings: Settings, err: Console) -> None:
    """Download into ``settings.reference_dir`` every reference file that is missing or wrong."""
    with httpx.Client(follow_redirects=True, timeout=60.0) as client:
        for source in load_manifest().values():
            done = fetch_source(
                source, settings.reference_dir, client=client, project_root=settings.project_root
            )
            if done:
                err.print(f"fetched {len(done)} file(s) of {source.name}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add `kg import` to the `kg` app."""

    @app.command("import")
    def import_(
        source: Annotated[
            Source,
            typer.Argument(
                help=f"{', '.join(SOURCE_NAMES)}, or all.",
            ),
        ],
        path: Annotated[
            Path | None,
            typer.Argument(
                help="The source's file or folder; for `all`, the reference folder "
                "(default KG_REFERENCE_DIR, fetched first when files are missing)."
            ),
        ] = None,
        report: Annotated[
            Path | None,
            typer.Option("--report", help="Write counts, cases to curate and conflicts here."),
        ] = None,
        cog_dir: Annotated[
            Path | None,
            typer.Option("--cog", help="COG folder the twinnings reconcile against."),
        ] = None,
        siren_dir: Annotated[
            Path | None, typer.Option("--siren", help="SIREN folder read by the cog import.")
        ] = None,
        curation: Annotated[
            Path, typer.Option("--curation", help="Manual reconciliation decisions.")
        ] = PROJECT_ROOT / "data" / "curation.csv",
        progress: Annotated[bool, typer.Option(help="Show progress bars.")] = True,
    ) -> None:
        """Import SOURCE from PATH (validated, atomic, with provenance); `all` rebuilds everything."""
        settings = Settings()
        err, out = Console(stderr=True), Console()
        started = time.monotonic()
        reference = settings.reference_dir
        try:
            if source == "all":
                if path is None:
                    fetch_missing(settings, err)
                    path = reference
                options = ImportOptions.from_shared(path, curation)
                steps = Steps(err, "full build")
                try:
                    conversions, _ = build_full(
                        settings, path, options, progress=progress, step=steps
                    )
                finally:
                    steps.close()
            else:
                options = ImportOptions(
                    cog_dir or reference / SHARED_LAYOUT["cog"],
                    siren_dir or reference / SHARED_LAYOUT["siren"],
                    curation,
                )
                if path is None:
                    path = reference / SHARED_LAYOUT[source]
                store = open_store(settings.store)
                with err.status(f"converting and reconciling {source}"):
                    conversions = convert_for_store(store, settings, source, path, options)
                load(store, settings, conversions, progress)
        except ValidationFailed as exc:
            from kg.commands.ingest import print_report

            print_report(exc.report, err)  # type: ignore[arg-type]
            raise
        out.print(summary_table(conversions, time.monotonic() - started))
        if report is not None:
            for written in write_report(report, conversions):
                out.print(f"wrote {written}", highlight=False)
