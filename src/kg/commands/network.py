"""`kg network report`: measure one of the partnership networks and write its tables and figures."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kg.errors import InputError
from kg.network.build import GRAPH_KINDS
from kg.network.pipeline import OUTPUT_STEPS, ReportRun, run_report
from kg.network.registry import MEASURES
from kg.queries import QueryLibrary
from kg.settings import Settings
from kg.store import open_store

#: Steps the progress bar counts (building steps vary a little by graph; the bar tolerates it):
#: the igraph conversion, each measure run here, and the wait for those of the forked process.
_MEASURE_STEPS = 2 + sum(1 for measure in MEASURES if not measure.far)
_BUILD_STEPS = 4


def register(app: typer.Typer) -> None:
    """Add the ``network`` command group to the `kg` app."""
    network = typer.Typer(help="Network analysis of partnerships (networkx).", no_args_is_help=True)
    app.add_typer(network, name="network")

    @network.command("report")
    def report(
        graph: Annotated[
            str, typer.Option(help=f"Which network: {', '.join(GRAPH_KINDS)}.")
        ] = "partnership",
        year: Annotated[
            int | None, typer.Option(help="The network as it stood at the end of this year.")
        ] = None,
        out: Annotated[
            Path | None, typer.Option(help="Output directory (default var/network).")
        ] = None,
        store: Annotated[
            Path | None, typer.Option(help="Store to read (default: KG_STORE).")
        ] = None,
        top: Annotated[int, typer.Option(help="Rows of the ranked table.")] = 20,
        samples: Annotated[
            int, typer.Option(help="Sampled sources for betweenness on large graphs.")
        ] = 256,
        exact_up_to: Annotated[
            int, typer.Option(help="Exact betweenness up to this many nodes.")
        ] = 3000,
        seed: Annotated[int, typer.Option(help="Seed of Louvain and of sampling.")] = 42,
    ) -> None:
        """Print a ranked table of a network's actors and write CSV, GEXF, GraphML and PNG files."""
        settings = Settings()
        if graph not in GRAPH_KINDS:
            raise InputError(
                f"--graph: unknown graph {graph!r}; choose one of {', '.join(GRAPH_KINDS)}"
            )
        path = store or settings.store
        out_dir = out or settings.project_root / "var" / "network"
        console = Console()
        handle = open_store(path, read_only=True)
        library = QueryLibrary(settings.queries_dir)
        with Progress(
            TextColumn("{task.description:<34}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task(
                "starting", total=_BUILD_STEPS + _MEASURE_STEPS + len(OUTPUT_STEPS)
            )

            def step(name: str) -> None:
                progress.update(task, description=name, advance=1)

            run = run_report(
                graph,
                handle,
                library,
                out_dir,
                year=year,
                exact_up_to=exact_up_to,
                samples=samples,
                seed=seed,
                parallel=True,
                step=step,
            )
        _print(console, run, top)


def _print(console: Console, run: ReportRun, top: int) -> None:
    summary = run.report.summary
    as_of = f" as of {summary['as_of']}" if summary["as_of"] else ""
    table = Table(
        title=f"{summary['graph']} network{as_of}: {summary['nodes']} nodes, "
        f"{summary['edges']} edges, ranked by degree",
    )
    table.add_column("#", justify="right", no_wrap=True, min_width=3)
    table.add_column("actor", no_wrap=True, overflow="ellipsis", max_width=36, min_width=20)
    table.add_column("scope", no_wrap=True)
    for name in ("degree", "foreign", "strength", "betweenness", "pagerank", "constraint", "comm."):
        table.add_column(name, justify="right", no_wrap=True, min_width=len(name))
    for rank, row in enumerate(run.report.nodes[:top], start=1):
        table.add_row(
            str(rank),
            str(row["label"]),
            str(row.get("scope", ""))[:7],
            str(row["degree"]),
            str(row["foreign_partners"]),
            f"{row['strength']:g}",
            f"{row['betweenness']:.4f}",
            f"{row['pagerank']:.4f}",
            f"{row['constraint']:.3f}",
            str(row["community"]),
        )
    console.print(table)
    console.print(
        f"components {summary['components']} (largest {summary['largest_component']}), "
        f"communities {summary['communities']} (modularity {summary['modularity']:.3f}), "
        f"bridges {summary['bridges']}, articulation points {summary['articulation_points']}, "
        f"average clustering {summary['average_clustering']:.3f}"
    )
    for note in run.report.notes:
        console.print(f"note: {note}")
    console.print(f"wrote {len(run.files)} files to {run.files[0].parent if run.files else '-'}:")
    for file in run.files:
        console.print(f"  {file.name}")
    console.print(f"in {run.timings['whole report']:.2f} s")
