"""Compute every measure of a network into one table of node metrics and a summary.

The measures are attached to the graph's nodes too (``degree``, ``pagerank``, ``community``...), so
that the GEXF and GraphML files open in Gephi ready to colour and size.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from kg.network import measures

#: Node metric columns, in the order of the CSV.
METRICS = (
    "degree",
    "strength",
    "foreign_partners",
    "betweenness",
    "pagerank",
    "clustering",
    "constraint",
    "effective_size",
    "community",
    "component",
    "articulation_point",
)


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
) -> NetworkReport:
    """Run every measure on ``graph`` (betweenness sampled above ``exact_up_to`` nodes).

    The graph is converted to igraph once (see :mod:`kg.network.measures`). With ``parallel``,
    betweenness and constraint run in a forked process (a second core) while this one computes the
    others.

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
    pool = None
    if parallel:  # betweenness and constraint in a forked process, the rest here
        _SHARED["graph"] = view
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
        future = pool.submit(_far_measures, exact_up_to, samples, seed)
    degree = timed("degree and strength", lambda: measures.degree_strength(view))
    rank = timed("pagerank", lambda: measures.pagerank(view))
    clustering = timed("clustering", lambda: measures.clustering(view))
    effective = timed("effective size", lambda: measures.effective_size(view))
    found: measures.Communities = timed(
        "communities", lambda: measures.communities(view, seed=seed)
    )
    parts = timed("components", lambda: measures.components(view))
    bridges, cut_points = timed(
        "bridges and articulation points",
        lambda: measures.bridges_and_articulation_points(view),
    )
    foreign = timed("foreign partners", lambda: _foreign_partners(graph, view))
    if pool is None:
        between, constraint, far_timings = _far_measures(exact_up_to, samples, seed, view)
        timings.update(far_timings)
    else:
        between, constraint, far_timings = timed(
            "betweenness and constraint (parallel, waiting)", future.result
        )
        pool.shutdown()
        _SHARED.clear()
        timings.update({f"{k} (parallel)": v for k, v in far_timings.items()})
    start = time.perf_counter()
    community_of = found.membership()
    component_of = {node: i for i, part in enumerate(parts) for node in part}
    rows = []
    for node, attrs in graph.nodes(data=True):
        row: dict[str, Any] = {"id": node, "label": attrs.get("label", str(node))}
        row.update({k: attrs[k] for k in ("kind", "scope", "country") if k in attrs})
        row.update(
            degree=degree[node][0],
            strength=degree[node][1],
            foreign_partners=foreign[node],
            betweenness=between.values[node],
            pagerank=rank[node],
            clustering=clustering[node],
            constraint=constraint[node],
            effective_size=effective[node],
            community=community_of[node],
            component=component_of[node],
            articulation_point=node in cut_points,
        )
        rows.append(row)
        attrs.update({k: row[k] for k in METRICS if row[k] == row[k]})  # NaN is not attached
    rows.sort(key=lambda r: (-r["degree"], -r["strength"], -r["pagerank"], str(r["label"])))
    summary = {
        "graph": graph.graph.get("name", ""),
        "as_of": graph.graph.get("as_of", ""),
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "components": len(parts),
        "largest_component": len(parts[0]) if parts else 0,
        "density": nx.density(graph) if len(graph) > 1 else 0.0,
        "average_clustering": sum(clustering.values()) / len(graph) if len(graph) else 0.0,
        "communities": len(found.groups),
        "modularity": found.modularity,
        "bridges": len(bridges),
        "articulation_points": len(cut_points),
        "betweenness": between.describe(),
    }
    notes = [f"betweenness: {between.describe()}" + (" (estimate)" if between.sampled else "")]
    if graph.graph.get("multilateral"):
        notes.append(graph.graph["multilateral"])
    notes.append(
        f"communities: Louvain (igraph's implementation), seed {seed}, "
        f"modularity {found.modularity:.3f}"
    )
    timings["rows and summary"] = time.perf_counter() - start
    return NetworkReport(graph, rows, summary, notes, timings, bridges)


_SHARED: dict[str, measures.IGraph] = {}  # what a forked worker inherits instead of unpickling


def _far_measures(
    exact_up_to: int, samples: int, seed: int, view: measures.IGraph | None = None
) -> tuple[measures.Betweenness, dict[Any, float], dict[str, float]]:
    """Betweenness and constraint with their times (run here or in a forked worker, which
    inherits the converted graph instead of unpickling it)."""
    view = view if view is not None else _SHARED["graph"]
    start = time.perf_counter()
    between = measures.betweenness(view, exact_up_to=exact_up_to, samples=samples, seed=seed)
    middle = time.perf_counter()
    constraint = measures.constraint(view)
    end = time.perf_counter()
    return between, constraint, {"betweenness": middle - start, "constraint": end - middle}


def _foreign_partners(graph: nx.Graph, view: measures.IGraph) -> dict[Any, int]:
    """Number of partners of every node whose ``scope`` is ``foreign`` (counted along the edges)."""
    foreign = np.array([scope == "foreign" for _, scope in graph.nodes(data="scope")], dtype=float)
    n = len(view.nodes)
    if view.graph.ecount() == 0:
        return dict.fromkeys(view.nodes, 0)
    ends = np.asarray(view.graph.get_edgelist())
    loop = ends[:, 0] == ends[:, 1]  # networkx lists a self-loop's node once among its partners
    counts = np.bincount(ends[:, 0], weights=foreign[ends[:, 1]], minlength=n)
    counts += np.bincount(ends[:, 1], weights=np.where(loop, 0.0, foreign[ends[:, 0]]), minlength=n)
    return dict(zip(view.nodes, counts.astype(int).tolist(), strict=True))
