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
from typing import Any

import pyoxigraph as ox

from kg.errors import KGError
from kg.network import export, figures, measures
from kg.network.build import Built, build
from kg.network.memory import collector_paused
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
    figures_max_nodes: int = 350,
    parallel: bool = False,
    step: Callable[[str], None] | None = None,
) -> ReportRun:
    """Build the ``kind`` network (as of ``year``), measure it and write CSV, GEXF, GraphML and PNG
    files named ``<kind>[-<year>]-*`` into ``out``.

    With ``parallel``, forked processes use a second core: for the edges CSV, then betweenness and
    constraint, while this process runs the other measures, and for GEXF and the figures while
    it writes the other files (the command line and the benchmark do so, not the
    notebooks)."""
    with collector_paused():
        started = time.perf_counter()
        built = build(kind, store, library, year=year, step=step)
        stem = kind if year is None else f"{kind}-{year}"
        out.mkdir(parents=True, exist_ok=True)
        edge_table = out / f"{stem}-edges.csv"
        early = None
        if parallel:
            # The edges CSV needs only the bridges, which that process finds again (a fraction
            # of a second), so it is written while the measures run here.
            graph = built.graph
            early = _fork(
                lambda: export.write_edge_table(
                    graph, measures.bridges_and_articulation_points(graph)[0], edge_table
                )
            )
        report = analyse(
            built.graph,
            exact_up_to=exact_up_to,
            samples=samples,
            seed=seed,
            parallel=parallel,
            step=step,
        )
        run = ReportRun(built, report, timings={**built.timings, **report.timings})
        growth = [row for row in built.growth if year is None or row["year"] <= year]
        run.files = write_files(
            report,
            growth,
            kind,
            out,
            stem,
            figures_max_nodes=figures_max_nodes,
            parallel=parallel,
            edges_csv=early is None,
            step=step,
            timings=run.timings,
        )
        if early is not None:
            begin = time.perf_counter()
            run.files.append(_join(early, edge_table, "writing the edges CSV"))
            run.timings["edges CSV (parallel, waiting)"] = time.perf_counter() - begin
        run.timings["whole report"] = time.perf_counter() - started
        return run


def write_files(
    report: NetworkReport,
    growth: list[dict[str, Any]],
    kind: str,
    out: Path,
    stem: str,
    *,
    figures_max_nodes: int = 350,
    parallel: bool = False,
    edges_csv: bool = True,
    step: Callable[[str], None] | None = None,
    timings: dict[str, float] | None = None,
) -> list[Path]:
    """Write the CSV, GEXF, GraphML and PNG files of ``report`` named ``<stem>*`` into ``out``,
    the time of each step into ``timings``; with ``parallel``, GEXF and the figures in a forked
    process while this one writes GraphML and the tables. ``edges_csv=False`` leaves out the edges CSV
    (:func:`run_report` writes it earlier)."""
    out.mkdir(parents=True, exist_ok=True)
    timings = {} if timings is None else timings
    files: list[Path] = []

    def timed(name: str, work: Callable[[], list[Path]]) -> None:
        if step:
            step(name)
        begin = time.perf_counter()
        files.extend(work())
        timings[name] = time.perf_counter() - begin

    pictures = [out / f"{stem}-{name}.png" for name in ("network", "degrees", "growth")]

    def draw() -> list[Path]:
        figures.save(figures.network_figure(report, max_nodes=figures_max_nodes), pictures[0])
        figures.save(figures.degree_figure(report), pictures[1])
        figures.save(figures.growth_figure(growth, _growth_title(kind)), pictures[2])
        return pictures

    tables = [out / f"{stem}-nodes.csv", out / f"{stem}-edges.csv"]

    def write_tables() -> list[Path]:
        export.write_nodes_csv(report, tables[0])
        if edges_csv:
            export.write_edges_csv(report, tables[1])
        return tables if edges_csv else tables[:1]

    gexf, graphml = out / f"{stem}.gexf", out / f"{stem}.graphml"
    if parallel:  # GEXF and the figures there, GraphML and the tables here
        worker = _fork(lambda: (export.write_gexf(report.graph, gexf), draw()))

        def here() -> list[Path]:
            return [export.write_graphml(report.graph, graphml), *write_tables()]

        timed("write GraphML and CSV", here)
        timed(
            "write GEXF and figures (parallel, waiting)",
            lambda: [_join(worker, gexf, "writing GEXF and the figures"), *pictures],
        )
    else:
        timed("write CSV", write_tables)
        timed(
            "write GEXF and GraphML", lambda: export.write_gephi_files(report.graph, gexf, graphml)
        )
        timed("draw figures", draw)
    return files


def _growth_title(kind: str) -> str:
    """What the growth figure shows: the partnership network's yearly series, which the people and
    events graphs do not have (their figure says so instead of an empty plot).

    >>> _growth_title("sector")
    'Growth of the partnership network (agreements and partnerships behind the sector graph)'
    """
    if kind == "partnership":
        return "Growth of the partnership network"
    if kind in ("people", "events"):
        return f"Growth over time: not computed for the {kind} graph (partnership graphs only)"
    return (
        f"Growth of the partnership network (agreements and partnerships behind the {kind} graph)"
    )


def _fork(work: Callable[[], object]) -> BaseProcess:
    """Run ``work`` in a forked process (which shares this one's memory, so nothing is pickled)."""
    process = multiprocessing.get_context("fork").Process(target=work, daemon=True)
    process.start()
    return process


def _join(process: BaseProcess, written: Path, what: str) -> Path:
    process.join()
    if process.exitcode != 0:
        raise KGError(f"{what} failed (process exit code {process.exitcode})")
    return written
