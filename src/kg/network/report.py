"""Compute every measure of a network into one table of node metrics and a summary.

The measures are attached to the graph's nodes too (``degree``, ``pagerank``, ``community``...), so
that the GEXF and GraphML files open in Gephi ready to colour and size.
"""

from __future__ import annotations

import math
import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

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

    With ``parallel``, betweenness, constraint and effective size run in a forked process (a second
    core) while this one computes the others.

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

    pool = None
    if parallel:  # path measures and brokerage in a forked process, the rest here
        _SHARED["graph"] = graph
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
        future = pool.submit(_far_measures, exact_up_to, samples, seed)
    degree = timed("degree and strength", lambda: measures.degree_strength(graph))
    rank = timed("pagerank", lambda: measures.pagerank(graph))
    clustering = timed("clustering", lambda: measures.clustering(graph))
    found: measures.Communities = timed(
        "communities", lambda: measures.communities(graph, seed=seed)
    )
    parts = timed("components", lambda: measures.components(graph))
    bridges, cut_points = timed(
        "bridges and articulation points",
        lambda: measures.bridges_and_articulation_points(graph),
    )
    if pool is None:
        between, constraint, effective, far_timings = _far_measures(
            exact_up_to, samples, seed, graph
        )
        timings.update(far_timings)
    else:
        between, constraint, effective, far_timings = timed(
            "betweenness and brokerage (parallel, waiting)", future.result
        )
        pool.shutdown()
        _SHARED.clear()
        timings.update({f"{k} (parallel)": v for k, v in far_timings.items()})
    community_of = found.membership()
    component_of = {node: i for i, part in enumerate(parts) for node in part}
    rows = []
    for node, attrs in graph.nodes(data=True):
        row: dict[str, Any] = {"id": node, "label": attrs.get("label", str(node))}
        row.update({k: attrs[k] for k in ("kind", "scope", "country") if k in attrs})
        row.update(
            degree=degree[node][0],
            strength=degree[node][1],
            foreign_partners=sum(
                1 for m in graph[node] if graph.nodes[m].get("scope") == "foreign"
            ),
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
        graph.nodes[node].update({k: v for k, v in row.items() if k in METRICS and not _nan(v)})
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
    notes.append(f"communities: Louvain, seed {seed}, modularity {found.modularity:.3f}")
    return NetworkReport(graph, rows, summary, notes, timings, bridges)


_SHARED: dict[str, nx.Graph] = {}  # the graph a forked worker inherits instead of unpickling


def _far_measures(
    exact_up_to: int, samples: int, seed: int, graph: nx.Graph | None = None
) -> tuple[measures.Betweenness, dict[Any, float], dict[Any, float], dict[str, float]]:
    """Betweenness, constraint and effective size, with their times (run here or in a worker)."""
    graph = graph if graph is not None else _SHARED["graph"]
    timings = {}
    start = time.perf_counter()
    between = measures.betweenness(graph, exact_up_to=exact_up_to, samples=samples, seed=seed)
    timings["betweenness"] = time.perf_counter() - start
    start = time.perf_counter()
    constraint = measures.constraint(graph)
    timings["constraint"] = time.perf_counter() - start
    start = time.perf_counter()
    effective = measures.effective_size(graph)
    timings["effective size"] = time.perf_counter() - start
    return between, constraint, effective, timings


def _nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)
