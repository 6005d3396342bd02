"""The table of network measures that :func:`kg.network.report.analyse` walks.

Each :class:`Measure` names the node columns it fills (in the order of the nodes CSV), says whether
it is slow enough to run in the forked process beside the others (``far``), and adapts one function
of :mod:`kg.network.measures` (or of any module) to a common signature: it takes a :class:`Input`
and returns a :class:`Found` (node columns, summary entries, notes, bridges).

To add a measure: write its function (one documented function, tested against a reference), then
one :class:`Measure` entry in :data:`MEASURES`. Nothing else changes: the report, the CSV, GEXF and
GraphML files and the benchmark all read this table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from kg.network import measures

Node = measures.Node


@dataclass(frozen=True)
class Input:
    """What every measure may read: the networkx graph (node attributes such as ``scope``), its
    igraph conversion (done once) and the settings of the report."""

    graph: nx.Graph
    view: measures.IGraph
    exact_up_to: int = 3000
    samples: int = 256
    seed: int = 42


@dataclass
class Found:
    """What a measure gives: one value per node for each of its columns, summary entries, notes for
    the report, and the bridges (edges) when it finds them."""

    columns: dict[str, Mapping[Node, Any]] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    bridges: list[tuple[Node, Node]] = field(default_factory=list)


@dataclass(frozen=True)
class Measure:
    """One entry of the table: a step name (for timings and progress), the node columns it fills,
    whether it runs in the forked process, and the function that computes it."""

    name: str
    columns: tuple[str, ...]
    compute: Callable[[Input], Found]
    far: bool = False


def _degree(given: Input) -> Found:
    found = measures.degree_strength(given.view)
    return Found(
        {
            "degree": {n: d for n, (d, _s) in found.items()},
            "strength": {n: s for n, (_d, s) in found.items()},
        }
    )


def _foreign_partners(given: Input) -> Found:
    """Number of partners of every node whose ``scope`` is ``foreign`` (counted along the edges)."""
    graph, view = given.graph, given.view
    foreign = np.array([scope == "foreign" for _, scope in graph.nodes(data="scope")], dtype=float)
    n = len(view.nodes)
    if view.graph.ecount() == 0:
        return Found({"foreign_partners": dict.fromkeys(view.nodes, 0)})
    ends = np.asarray(view.graph.get_edgelist())
    loop = ends[:, 0] == ends[:, 1]  # networkx lists a self-loop's node once among its partners
    counts = np.bincount(ends[:, 0], weights=foreign[ends[:, 1]], minlength=n)
    counts += np.bincount(ends[:, 1], weights=np.where(loop, 0.0, foreign[ends[:, 0]]), minlength=n)
    return Found(
        {"foreign_partners": dict(zip(view.nodes, counts.astype(int).tolist(), strict=True))}
    )


def _betweenness(given: Input) -> Found:
    found = measures.betweenness(
        given.view, exact_up_to=given.exact_up_to, samples=given.samples, seed=given.seed
    )
    described = found.describe()
    return Found(
        {"betweenness": found.values},
        {"betweenness": described},
        [f"betweenness: {described}" + (" (estimate)" if found.sampled else "")],
    )


def _pagerank(given: Input) -> Found:
    return Found({"pagerank": measures.pagerank(given.view)})


def _clustering(given: Input) -> Found:
    values = measures.clustering(given.view)
    n = len(given.view.nodes)
    return Found(
        {"clustering": values},
        {"average_clustering": sum(values.values()) / n if n else 0.0},
    )


def _constraint(given: Input) -> Found:
    return Found({"constraint": measures.constraint(given.view)})


def _effective_size(given: Input) -> Found:
    return Found({"effective_size": measures.effective_size(given.view)})


def _communities(given: Input) -> Found:
    found = measures.communities(given.view, seed=given.seed)
    return Found(
        {"community": found.membership()},
        {"communities": len(found.groups), "modularity": found.modularity},
        [
            f"communities: Louvain (igraph's implementation), seed {given.seed}, "
            f"modularity {found.modularity:.3f}"
        ],
    )


def _components(given: Input) -> Found:
    parts = measures.components(given.view)
    return Found(
        {"component": {node: i for i, part in enumerate(parts) for node in part}},
        {"components": len(parts), "largest_component": len(parts[0]) if parts else 0},
    )


def _bridges(given: Input) -> Found:
    bridges, cut_points = measures.bridges_and_articulation_points(given.view)
    return Found(
        {"articulation_point": {node: node in cut_points for node in given.view.nodes}},
        {"bridges": len(bridges), "articulation_points": len(cut_points)},
        bridges=bridges,
    )


#: Every measure of the report, in the order of the nodes CSV's columns. ``far`` measures run in
#: a forked process while the others run here (the slow, path-based ones).
MEASURES: tuple[Measure, ...] = (
    Measure("degree and strength", ("degree", "strength"), _degree),
    Measure("foreign partners", ("foreign_partners",), _foreign_partners),
    Measure("betweenness", ("betweenness",), _betweenness, far=True),
    Measure("pagerank", ("pagerank",), _pagerank),
    Measure("clustering", ("clustering",), _clustering),
    Measure("constraint", ("constraint",), _constraint, far=True),
    Measure("effective size", ("effective_size",), _effective_size),
    Measure("communities", ("community",), _communities),
    Measure("components", ("component",), _components),
    Measure("bridges and articulation points", ("articulation_point",), _bridges),
)


def columns(table: tuple[Measure, ...] = MEASURES) -> tuple[str, ...]:
    """The node metric columns of ``table``, in order.

    >>> columns()[:3]
    ('degree', 'strength', 'foreign_partners')
    """
    return tuple(column for measure in table for column in measure.columns)
