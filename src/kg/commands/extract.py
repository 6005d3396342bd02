"""`kg extract FILE…` (candidate facts from French documents) and `kg review DOCUMENT` (CSV round trip)."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from kg.errors import InputError
from kg.settings import Settings
from kg.store import open_from_settings

#: The table's count columns (the roles column counts memberships: a person's role somewhere).
KIND_COLUMNS = ("words", "entities", "agreements", "roles", "events", "figures")


def register(app: typer.Typer) -> None:
    """Add the ``extract`` and ``review`` commands to the `kg` app."""

    @app.command("extract")
    def extract_command(
        files: Annotated[list[Path], typer.Argument(help="Plain text, HTML or PDF documents.")],
        name: Annotated[
            str | None, typer.Option(help="The document's name in IRIs (one file only).")
        ] = None,
        out: Annotated[
            Path | None, typer.Option(help="Where to write the TriG (default var/candidates).")
        ] = None,
        store: Annotated[bool, typer.Option(help="Also put the candidates into the store.")] = True,
    ) -> None:
        """Extract candidate facts (with passages and confidence) into graph/candidates/<document>."""
        from kg.extract.document import read_document
        from kg.extract.graph import candidate_quads, to_trig
        from kg.extract.link import Linker
        from kg.extract.nlp import pipeline
        from kg.extract.pipeline import default_vocabularies, extract
        from kg.extract.store import replace_candidates

        if name is not None and len(files) != 1:
            raise InputError("--name names one document; give exactly one file with it")
        settings = Settings()
        documents = [read_document(path, name=name) for path in files]  # all checked first
        # The store first: a busy store is the error to report, before any warning or model load.
        target = open_from_settings(settings) if store else None
        pipeline()
        linker = Linker.from_reference(settings.reference_dir)
        if linker.cog_folder is None:
            Console(stderr=True).print(
                f"warning: no COG under {settings.reference_dir} (run `kg fetch`): French "
                "collectivities will not be linked"
            )
        vocab = default_vocabularies(settings.ontology_dir)
        results = []
        for document in documents:
            started = time.perf_counter()
            extraction = extract(document, linker, vocab)
            results.append((extraction, candidate_quads(extraction), time.perf_counter() - started))
        folder = out or settings.project_root / "var" / "candidates"
        folder.mkdir(parents=True, exist_ok=True)
        # Numbers only in the table, so that it fits an 80-column terminal; the long graph IRIs
        # follow it one a line, whole (a cell would cut them).
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
        table.add_column("document", overflow="fold")
        for column in (*KIND_COLUMNS, "words/s"):
            table.add_column(column, justify="right", no_wrap=True)
        graphs = []
        for extraction, quads, seconds in results:
            doc = extraction.document
            (folder / f"{doc.slug}.trig").write_bytes(to_trig(quads))
            if target is not None:
                replace_candidates(target, doc.candidate_graph, quads)
            kinds = Counter(f.kind for f in {f.subject: f for f in extraction.facts}.values())
            graphs.append(f"{doc.path.name} → {doc.candidate_graph}")
            table.add_row(
                doc.path.name,
                str(doc.words),
                str(kinds["entity"]),
                str(kinds["agreement"]),
                str(kinds["membership"]),
                str(kinds["event"]),
                str(kinds["observation"]),
                f"{doc.words / max(seconds, 1e-9):.0f}",
            )
        Console().print(table)
        for line in graphs:
            typer.echo(line)

    @app.command("review")
    def review_command(
        document: Annotated[
            str, typer.Argument(help="The document's name (its graph's last segment).")
        ],
        out: Annotated[
            Path | None, typer.Option(help="Write the candidates to this CSV (default: print).")
        ] = None,
        decisions: Annotated[
            Path | None, typer.Option(help="A reviewed CSV to apply (decision column filled).")
        ] = None,
        reviewer: Annotated[
            str, typer.Option(help="Who decided, recorded in the load record.")
        ] = "anonymous",
    ) -> None:
        """List a document's candidates as CSV, or apply a reviewed CSV (accepted facts are loaded)."""
        from kg.extract.review import apply_review, candidates_csv, read_decisions

        settings = Settings()
        if decisions is None:
            store = open_from_settings(settings, read_only=True)
            text = candidates_csv(store, document)
            if out is None:
                typer.echo(text, nl=False)
            else:
                out.write_text(text, encoding="utf-8")
                typer.echo(f"wrote {out}")
            return
        parsed = read_decisions(decisions)
        store = open_from_settings(settings)
        report = apply_review(store, settings, document, parsed, reviewer)
        loaded = report.triples if report else 0
        typer.echo(
            f"{len(parsed.accepted)} accepted, {len(parsed.corrected)} corrected, "
            f"{len(parsed.rejected)} rejected; {loaded} triples loaded"
        )
