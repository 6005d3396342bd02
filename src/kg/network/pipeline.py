"""The whole network report in one call: build the graph, measure it, write every file.

Used by ``kg network report`` and by ``bench/network.py``; ``step`` receives the name of each step as
it starts, which the command line turns into a progress bar.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KGError
from kg.network import export, figures
from kg.network.build import Built, build
from kg.network.report import NetworkReport, analyse
from kg.queries import QueryLibrary

#: Steps of :func:`run_report` after building and measuring, for progress bars.
OUTPUT_STEPS = ("write CSV", "write GEXF and GraphML", "draw figures")


@dataclass
class ReportRun:
    """The report, the files written and the time of every step (seconds)."""

    built: Built
    report: NetworkReport
    files: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def run_report(
    kind: str,
    store: ox.Store,
    library: QueryLibrary,
    out: Path,
    *,
    year: int | None = None,
    exact_up_to: int = 3000,
    samples: int = 256,
    seed: int = 42,
    figures_max_nodes: int = 200,
    parallel: bool = False,
    step: Callable[[str], None] | None = None,
) -> ReportRun:
    """Build the ``kind`` network (as of ``year``), measure it and write CSV, GEXF, GraphML and PNG
    files named ``<kind>[-<year>]-*`` into ``out``.

    With ``parallel``, forked processes use a second core: for betweenness and brokerage while
    this process runs the other measures, and for the CSV files and figures while it writes GEXF
    and GraphML (the command line and the benchmark do so, not the notebooks)."""
    started = time.perf_counter()
    built = build(kind, store, library, year=year, step=step)
    report = analyse(
        built.graph,
        exact_up_to=exact_up_to,
        samples=samples,
        seed=seed,
        parallel=parallel,
        step=step,
    )
    run = ReportRun(built, report, timings={**built.timings, **report.timings})
    out.mkdir(parents=True, exist_ok=True)
    stem = kind if year is None else f"{kind}-{year}"

    def timed(name: str, work: Callable[[], list[Path]]) -> None:
        if step:
            step(name)
        begin = time.perf_counter()
        run.files.extend(work())
        run.timings[name] = time.perf_counter() - begin

    growth = [row for row in built.growth if year is None or row["year"] <= year]
    pictures = [out / f"{stem}-{name}.png" for name in ("network", "degrees", "growth")]

    def draw() -> list[Path]:
        figures.save(figures.network_figure(report, max_nodes=figures_max_nodes), pictures[0])
        figures.save(figures.degree_figure(report), pictures[1])
        title = f"Growth of the partnership network ({kind})"
        figures.save(figures.growth_figure(growth, title), pictures[2])
        return pictures

    tables = [out / f"{stem}-nodes.csv", out / f"{stem}-edges.csv"]

    def write_tables() -> list[Path]:
        export.write_nodes_csv(report, tables[0])
        export.write_edges_csv(report, tables[1])
        return tables

    def gephi() -> list[Path]:
        return export.write_gephi_files(report.graph, out / f"{stem}.gexf", out / f"{stem}.graphml")

    if parallel:  # CSV and figures in a forked process, GEXF and GraphML here
        worker = multiprocessing.get_context("fork").Process(
            target=lambda: (write_tables(), draw()), daemon=True
        )
        worker.start()
        timed("write GEXF and GraphML", gephi)
        timed(
            "write CSV and draw figures (parallel, waiting)",
            lambda: _join(worker, [*tables, *pictures]),
        )
    else:
        timed("write CSV", write_tables)
        timed("write GEXF and GraphML", gephi)
        timed("draw figures", draw)
    run.timings["whole report"] = time.perf_counter() - started
    return run


def _join(drawer: BaseProcess, pictures: list[Path]) -> list[Path]:
    drawer.join()
    if drawer.exitcode != 0:
        raise KGError(f"writing CSV and figures failed (process exit code {drawer.exitcode})")
    return pictures
