"""`kg network report`: measure one of the partnership networks and write its tables and figures."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kg.errors import InputError
from kg.network.build import GRAPH_KINDS
from kg.network.pipeline import OUTPUT_STEPS, ReportRun, run_report
from kg.network.registry import MEASURES
from kg.queries import get_library
from kg.settings import Settings
from kg.store import open_store

#: Steps the progress bar counts (building steps vary a little by graph; the bar tolerates it):
#: the igraph conversion, each measure run here, and the wait for those of the forked process.
_MEASURE_STEPS = 2 + sum(1 for measure in MEASURES if not measure.far)
_BUILD_STEPS = 4
#: The years ``--year`` takes: four digits, as the dates of the graph (``xsd:gYear``) have them.
FIRST_YEAR, LAST_YEAR = 1000, 9999


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
        if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
            raise InputError(
                f"--year {year} is not a possible year; give a four-digit year "
                f"({FIRST_YEAR}-{LAST_YEAR}), e.g. 2020"
            )
        path = store or settings.store
        out_dir = out or settings.project_root / "var" / "network"
        console = Console()
        handle = open_store(path, read_only=True)
        library = get_library(settings.queries_dir)
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


#: The ranked table's measure columns, most telling first; those that do not fit the terminal's
#: width are left out (from the end), and a note says which (the nodes CSV has them all).
_MEASURE_COLUMNS: tuple[tuple[str, Callable[[dict[str, Any]], str]], ...] = (
    ("degree", lambda row: str(row["degree"])),
    ("foreign", lambda row: str(row["foreign_partners"])),
    ("strength", lambda row: f"{row['strength']:g}"),
    ("pagerank", lambda row: f"{row['pagerank']:.4f}"),
    ("betweenness", lambda row: f"{row['betweenness']:.4f}"),
    ("constraint", lambda row: f"{row['constraint']:.3f}"),
    ("comm.", lambda row: str(row["community"])),
)
_ACTOR_MIN = 16  # the actor column folds long names onto more lines, down to this width


def _fitting(rows: list[dict[str, Any]], width: int) -> tuple[list[int], list[str], int]:
    """Which measure columns fit ``width`` beside rank, actor and scope (indexes), the left-out
    names, and the widest the actor column may be (it folds beyond)."""
    used = 1 + (3 + 3) + (_ACTOR_MIN + 3) + (7 + 3)  # borders, "#", actor, scope
    kept: list[int] = []
    for index, (name, value) in enumerate(_MEASURE_COLUMNS):
        need = max([len(name), *(len(value(row)) for row in rows)]) + 3
        if used + need > width:
            break
        used += need
        kept.append(index)
    left = [name for i, (name, _) in enumerate(_MEASURE_COLUMNS) if i not in kept]
    return kept, left, min(36, _ACTOR_MIN + max(0, width - used))


def _print(console: Console, run: ReportRun, top: int) -> None:
    summary = run.report.summary
    as_of = f" as of {summary['as_of']}" if summary["as_of"] else ""
    rows = run.report.nodes[:top]
    kept, left, actor_width = _fitting(rows, console.width)
    title = (
        f"{summary['graph']} network{as_of}: {summary['nodes']} nodes, "
        f"{summary['edges']} edges, ranked by degree"
    )
    table = Table(title=title)
    table.add_column("#", justify="right", no_wrap=True, min_width=3)
    table.add_column("actor", overflow="fold", max_width=actor_width, min_width=_ACTOR_MIN)
    table.add_column("scope", no_wrap=True)
    for index in kept:
        name = _MEASURE_COLUMNS[index][0]
        table.add_column(name, justify="right", no_wrap=True, min_width=len(name))
    for rank, row in enumerate(rows, start=1):
        table.add_row(
            str(rank),
            str(row["label"]),
            str(row.get("scope", ""))[:7],
            *(_MEASURE_COLUMNS[index][1](row) for index in kept),
        )
    if rows:
        console.print(table)
    else:
        console.print(f"{title}: 0 rows", highlight=False)
    if rows and left:
        console.print(
            f"note: left out for the terminal's width: {', '.join(left)} "
            "(every measure is in the nodes CSV)",
            highlight=False,
        )
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
