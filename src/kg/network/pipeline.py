"""The whole network report in one call: build the graph, measure it, write every file.

Used by ``kg network report`` and by ``bench/network.py``; ``step`` receives the name of each step as
it starts, which the command line turns into a progress bar.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox

from kg.network import export, figures, measures
from kg.network.build import Built, build
from kg.network.fork import Forked
from kg.network.memory import collector_paused
from kg.network.report import NetworkReport, analyse
from kg.queries import QueryLibrary

#: Steps of :func:`run_report` after building and measuring, for progress bars.
OUTPUT_STEPS = ("write CSV", "write GraphML", "write GEXF", "draw figures")


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

    With ``parallel``, forked processes use a second core: one writes the edges (the CSV and the
    edge elements of GEXF, which do not depend on the measures) and another computes betweenness
    and constraint while this process runs the other measures; then one draws the figures while
    this one writes the rest (the command line and the benchmark do so, not the notebooks)."""
    with collector_paused():
        started = time.perf_counter()
        built = build(kind, store, library, year=year, step=step)
        stem = kind if year is None else f"{kind}-{year}"
        out.mkdir(parents=True, exist_ok=True)
        ahead = _EdgesAhead.start(built.graph, out, stem) if parallel else None
        try:
            report = analyse(
                built.graph,
                exact_up_to=exact_up_to,
                samples=samples,
                seed=seed,
                parallel=parallel,
                step=step,
            )
            run = ReportRun(built, report, timings={**built.timings, **report.timings})
            run.files = write_files(
                report,
                lambda: [row for row in built.growth if year is None or row["year"] <= year],
                kind,
                out,
                stem,
                figures_max_nodes=figures_max_nodes,
                relations_total=len(built.relations),
                parallel=parallel,
                ahead=ahead,
                step=step,
                timings=run.timings,
            )
        finally:
            if ahead is not None:
                ahead.discard()
        run.timings["whole report"] = time.perf_counter() - started
        return run


class _EdgesAhead:
    """The edges CSV and the edge elements of GEXF, written by a forked process from the built
    graph while the measures run: edge attributes do not depend on them (the CSV's bridge column
    is found again there, a fraction of a second). GraphML is left to this process, which has
    less to do at the end (writing its edges there too made that process the last to finish)."""

    def __init__(self, work: Forked, table: Path, part: Path) -> None:
        self.work, self.table, self.part = work, table, part

    @classmethod
    def start(cls, graph: nx.Graph, out: Path, stem: str) -> _EdgesAhead:
        table, part = out / f"{stem}-edges.csv", out / f".{stem}.gexf-edges.part"

        def work() -> export.EdgeSection:
            bridges = measures.bridges_and_articulation_points(graph)[0]
            export.write_edge_table(graph, bridges, table)
            return export.write_gexf_edges(graph, part)

        return cls(Forked(work), table, part)

    def section(self) -> export.EdgeSection:
        """The GEXF edge section, once written (waiting for it if need be)."""
        found: export.EdgeSection = self.work.result("writing the edges")
        return found

    def discard(self) -> None:
        """Remove the edge section once copied into its file (or after a failure)."""
        self.work.stop()
        self.part.unlink(missing_ok=True)


def write_files(
    report: NetworkReport,
    growth: Callable[[], list[dict[str, Any]]],
    kind: str,
    out: Path,
    stem: str,
    *,
    figures_max_nodes: int = 350,
    parallel: bool = False,
    ahead: _EdgesAhead | None = None,
    step: Callable[[str], None] | None = None,
    timings: dict[str, float] | None = None,
    relations_total: int | None = None,
) -> list[Path]:
    """Write the CSV, GEXF, GraphML and PNG files of ``report`` named ``<stem>*`` into ``out``,
    the time of each step into ``timings``; with ``parallel``, the figures in a forked process
    while this one writes the other files. ``ahead`` holds the edges CSV and GEXF edges that
    :func:`run_report` had written meanwhile; ``growth`` gives the yearly series of the growth
    figure (called where the figures are drawn)."""
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
        drawn = (
            figures.country_figure(report)
            if kind == "country"
            else figures.network_figure(report, max_nodes=figures_max_nodes)
        )
        figures.save(drawn, pictures[0])
        figures.save(figures.degree_figure(report), pictures[1])
        figures.save(
            figures.growth_figure(growth(), _growth_title(kind), relations_total), pictures[2]
        )
        return pictures

    nodes_csv, edges_csv = out / f"{stem}-nodes.csv", out / f"{stem}-edges.csv"
    gexf, graphml = out / f"{stem}.gexf", out / f"{stem}.graphml"

    def tables() -> list[Path]:
        written = [export.write_nodes_csv(report, nodes_csv)]
        return written if ahead else [*written, export.write_edges_csv(report, edges_csv)]

    drawing = Forked(draw) if parallel else None
    try:
        timed("write CSV", tables)
        timed("write GraphML", lambda: [export.write_graphml(report.graph, graphml)])
        section = None
        if ahead is not None:
            begin = time.perf_counter()
            section = ahead.section()
            files.append(ahead.table)
            timings["edges (parallel, waiting)"] = time.perf_counter() - begin
        timed("write GEXF", lambda: [export.write_gexf(report.graph, gexf, section)])
        if drawing is None:
            timed("draw figures", draw)
        else:
            forked = drawing
            timed("draw figures (parallel, waiting)", lambda: forked.result("drawing the figures"))
    finally:
        if drawing is not None:
            drawing.stop()
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
