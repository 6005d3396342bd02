"""Compute every measure of a network into one table of node metrics and a summary.

The measures are those of :data:`kg.network.registry.MEASURES`, walked in order; they are attached
to the graph's nodes too (``degree``, ``pagerank``, ``community``...), so that the GEXF and GraphML
files open in Gephi ready to colour and size.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import networkx as nx

from kg.network import measures
from kg.network.fork import Forked
from kg.network.registry import MEASURES, Found, Input, Measure, columns

#: Node metric columns, in the order of the CSV (those of the measures table).
METRICS = columns(MEASURES)


@dataclass
class NetworkReport:
    """Node metrics ranked by degree, then strength, then PageRank; a summary; notes; timings."""

    graph: nx.Graph
    nodes: list[dict[str, Any]]
    summary: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    bridges: list[tuple[Any, Any]] = field(default_factory=list)


def analyse(
    graph: nx.Graph,
    *,
    exact_up_to: int = 3000,
    samples: int = 256,
    seed: int = 42,
    parallel: bool = False,
    step: Callable[[str], None] | None = None,
    table: tuple[Measure, ...] = MEASURES,
) -> NetworkReport:
    """Run every measure of ``table`` on ``graph`` (betweenness sampled above ``exact_up_to``
    nodes).

    The graph is converted to igraph once (see :mod:`kg.network.measures`). With ``parallel``, the
    ``far`` measures (betweenness and constraint) run in a forked process (a second core) while
    this one computes the others.

    >>> report = analyse(nx.barbell_graph(4, 0))
    >>> report.summary["communities"], report.summary["bridges"], report.nodes[0]["degree"]
    (2, 1, 4)
    """
    timings: dict[str, float] = {}

    def timed(name: str, work: Callable[[], Any]) -> Any:
        if step:
            step(name)
        start = time.perf_counter()
        result = work()
        timings[name] = time.perf_counter() - start
        return result

    view: measures.IGraph = timed("igraph conversion", lambda: measures.to_igraph(graph))
    given = Input(graph, view, exact_up_to=exact_up_to, samples=samples, seed=seed)
    far = [m for m in table if m.far]
    near = [m for m in table if not m.far]
    # betweenness and constraint in a forked process, which inherits the converted graph
    forked = Forked(lambda: _run_all(far, given)) if parallel and far else None
    found: dict[str, Found] = {}
    try:
        for measure in near:
            found[measure.name] = timed(measure.name, partial(measure.compute, given))
        if forked is None:
            far_found, far_timings = _run_all(far, given)
            timings.update(far_timings)
        else:
            far_found, far_timings = timed(
                " and ".join(m.name for m in far) + " (parallel, waiting)",
                lambda: forked.result("computing " + " and ".join(m.name for m in far)),
            )
            timings.update({f"{k} (parallel)": v for k, v in far_timings.items()})
    finally:
        if forked is not None:
            forked.stop()
    found.update(far_found)
    start = time.perf_counter()
    report = _assemble(graph, [found[m.name] for m in table], columns(table))
    report.timings = timings
    timings["rows and summary"] = time.perf_counter() - start
    return report


def _run_all(table: list[Measure], given: Input) -> tuple[dict[str, Found], dict[str, float]]:
    """Run the measures of ``table`` one after the other, with their times (here or in the forked
    process)."""
    found: dict[str, Found] = {}
    timings: dict[str, float] = {}
    for measure in table:
        start = time.perf_counter()
        found[measure.name] = measure.compute(given)
        timings[measure.name] = time.perf_counter() - start
    return found, timings


def _assemble(graph: nx.Graph, results: list[Found], metrics: tuple[str, ...]) -> NetworkReport:
    """The ranked rows, the summary and the notes from what every measure found; the metrics are
    attached to the graph's nodes (NaN is not)."""
    values = {name: col for result in results for name, col in result.columns.items()}
    chosen = [(name, values[name]) for name in metrics]
    rows = []
    for node, attrs in graph.nodes(data=True):
        row: dict[str, Any] = {"id": node, "label": attrs.get("label", str(node))}
        row.update({k: attrs[k] for k in ("kind", "scope", "country") if k in attrs})
        for name, column in chosen:
            row[name] = column[node]
        rows.append(row)
        attrs.update({k: row[k] for k in metrics if row[k] == row[k]})  # NaN is not attached
    rows.sort(key=lambda r: (-r["degree"], -r["strength"], -r["pagerank"], str(r["label"])))
    summary: dict[str, Any] = {
        "graph": graph.graph.get("name", ""),
        "as_of": graph.graph.get("as_of", ""),
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "density": nx.density(graph) if len(graph) > 1 else 0.0,
    }
    notes: list[str] = []
    bridges: list[tuple[Any, Any]] = []
    for result in results:
        summary.update(result.summary)
        notes.extend(result.notes)
        bridges.extend(result.bridges)
    if graph.graph.get("multilateral"):
        notes.append(graph.graph["multilateral"])
    return NetworkReport(graph, rows, summary, notes, {}, bridges)
