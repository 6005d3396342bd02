"""Network measures, one small function each, fast enough for graphs of tens of thousands of nodes.

Edge ``weight`` is a tie strength (how many relations link two actors), never a distance: path-based
measures (betweenness) count hops. The heavy lifting is done by igraph, a well-kept C library
(https://igraph.org): the networkx graph is converted once with :func:`to_igraph` and every measure
accepts either form. The tests check each measure against networkx.
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from itertools import chain
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np

Node = Hashable


@dataclass(frozen=True)
class IGraph:
    """A networkx graph converted to igraph: vertex ``i`` is ``nodes[i]``, edge ``e`` weighs
    ``weights[e]`` (the ``weight`` attribute, 1 when missing)."""

    nodes: list[Node]
    graph: Any  # igraph.Graph (igraph ships no type hints)
    weight: str
    weights: list[float]

    @cached_property
    def loop_free(self) -> tuple[Any, list[float]]:
        """The igraph graph and weights without self-loops (a partner of oneself is no partner)."""
        loops = [e for e, loop in enumerate(self.graph.is_loop()) if loop]
        if not loops:
            return self.graph, self.weights
        simple = self.graph.copy()
        simple.delete_edges(loops)
        dropped = set(loops)
        return simple, [w for e, w in enumerate(self.weights) if e not in dropped]


def to_igraph(graph: nx.Graph | IGraph, weight: str = "weight") -> IGraph:
    """Convert an undirected networkx graph to igraph once (vertex order = ``list(graph.nodes)``).

    Examples
    --------
    >>> converted = to_igraph(nx.Graph([("a", "b", {"weight": 3}), ("b", "c", {})]))
    >>> converted.nodes, converted.graph.get_edgelist(), converted.weights
    (['a', 'b', 'c'], [(0, 1), (1, 2)], [3.0, 1.0])
    """
    if isinstance(graph, IGraph):
        if graph.weight != weight:
            raise ValueError(f"graph was converted with weight {graph.weight!r}, not {weight!r}.")
        return graph
    nodes = list(graph.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    edges, weights = [], []
    for u, v, w in graph.edges(data=weight, default=1):
        edges.append((index[u], index[v]))
        weights.append(float(w))
    return IGraph(nodes, ig.Graph(n=len(nodes), edges=edges), weight, weights)


@contextmanager
def _igraph_random(seed: int) -> Iterator[None]:
    """Let igraph draw from ``random.Random(seed)`` (its default is Python's ``random`` module)."""
    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)


def degree_strength(
    graph: nx.Graph | IGraph, weight: str = "weight"
) -> dict[Node, tuple[int, float]]:
    """Degree (number of partners) and strength (sum of edge weights) of every node.

    Examples
    --------
    >>> g = nx.Graph([("a", "b", {"weight": 3}), ("a", "c", {"weight": 1})])
    >>> degree_strength(g)["a"]
    (2, 4.0)
    """
    view = to_igraph(graph, weight)
    degrees = view.graph.degree()
    strengths = view.graph.strength(weights=view.weights) if view.weights else degrees
    return {node: (degrees[i], float(strengths[i])) for i, node in enumerate(view.nodes)}


@dataclass(frozen=True)
class Betweenness:
    """Betweenness values and how they were computed (exact, or from ``sources`` sampled pivots)."""

    values: dict[Node, float]
    sampled: bool
    sources: int
    seed: int | None

    def describe(self) -> str:
        """One sentence for reports: exact, or sampled and with which seed."""
        if not self.sampled:
            return f"exact betweenness over all {self.sources} sources"
        return f"sampled betweenness: {self.sources} source nodes drawn with seed {self.seed}"


def betweenness(
    graph: nx.Graph | IGraph, *, exact_up_to: int = 3000, samples: int = 256, seed: int = 42
) -> Betweenness:
    """Normalised betweenness centrality (hop counts), exact up to ``exact_up_to`` nodes, otherwise
    estimated from ``samples`` source nodes drawn with ``seed`` (Brandes-Pich), as networkx's ``k``.

    igraph's (subset) betweenness with networkx's scaling: the same numbers as
    ``nx.betweenness_centrality(graph, k=..., seed=..., normalized=True)``, many times faster.

    Examples
    --------
    >>> star = nx.star_graph(4)
    >>> result = betweenness(star)
    >>> result.values[0], result.values[1], result.sampled
    (1.0, 0.0, False)
    """
    view = to_igraph(graph)
    n = len(view.nodes)
    if n < 3:
        return Betweenness(dict.fromkeys(view.nodes, 0.0), False, n, None)
    if n <= exact_up_to:
        raw = np.asarray(view.graph.betweenness(directed=False))
        values = raw * (2.0 / ((n - 1) * (n - 2)))
        return Betweenness(dict(zip(view.nodes, values.tolist(), strict=True)), False, n, None)
    sources = random.Random(seed).sample(range(n), min(samples, n))
    # igraph halves undirected (subset) betweenness; networkx 3.6 rescales the plain sum of the
    # sources' dependencies by the (source, target) pairs that could pass through v: factor 2.
    raw = np.asarray(view.graph.betweenness(directed=False, sources=sources, targets=range(n)))
    k = len(sources)
    scale = np.full(n, 2.0 / (k * (n - 2)))
    scale[sources] = 2.0 / ((k - 1) * (n - 2)) if k > 1 else math.nan
    values = raw * scale
    return Betweenness(dict(zip(view.nodes, values.tolist(), strict=True)), True, k, seed)


def pagerank(graph: nx.Graph | IGraph, weight: str = "weight") -> dict[Node, float]:
    """PageRank (damping 0.85) on the weighted graph: importance from important partners.

    igraph's ARPACK solver (faster than its PRPACK one on these graphs; same values as
    ``nx.pagerank`` to ~1e-9).

    Examples
    --------
    >>> pr = pagerank(nx.star_graph(3))
    >>> max(pr, key=pr.get), round(sum(pr.values()), 6)
    (0, 1.0)
    """
    view = to_igraph(graph, weight)
    if view.graph.ecount() == 0:
        return {node: 1.0 / max(len(view.nodes), 1) for node in view.nodes}
    with _igraph_random(0):  # ARPACK draws its start vector: fixed, so runs give equal values
        rank = view.graph.pagerank(damping=0.85, weights=view.weights, implementation="arpack")
    return dict(zip(view.nodes, rank, strict=True))


def clustering(graph: nx.Graph | IGraph) -> dict[Node, float]:
    """Local clustering coefficient: share of a node's pairs of partners that are partners too
    (0 with fewer than two partners, as networkx).

    Examples
    --------
    >>> c = clustering(nx.Graph([(0, 1), (1, 2), (2, 0), (2, 3)]))
    >>> c[0], round(c[2], 3), c[3]
    (1.0, 0.333, 0.0)
    """
    view = to_igraph(graph)
    values = view.loop_free[0].transitivity_local_undirected(mode="zero")
    return dict(zip(view.nodes, values, strict=True))


def triangles(graph: nx.Graph | IGraph) -> dict[Node, int]:
    """Number of triangles through each node (from the clustering coefficient and the degree).

    Examples
    --------
    >>> triangles(nx.complete_graph(4))[0]
    3
    """
    view = to_igraph(graph)
    simple = view.loop_free[0]
    c = np.asarray(simple.transitivity_local_undirected(mode="zero"))
    d = np.asarray(simple.degree(), dtype=float)
    counts = np.rint(c * d * (d - 1) / 2).astype(int)
    return dict(zip(view.nodes, counts.tolist(), strict=True))


def components(graph: nx.Graph | IGraph) -> list[set[Node]]:
    """Connected components, largest first.

    Examples
    --------
    >>> [len(c) for c in components(nx.Graph([(1, 2), (2, 3), (4, 5)]))]
    [3, 2]
    """
    view = to_igraph(graph)
    nodes = view.nodes
    parts = [{nodes[i] for i in part} for part in view.graph.connected_components()]
    return sorted(parts, key=lambda c: (-len(c), min(map(str, c))))


@dataclass(frozen=True)
class Communities:
    """A partition into communities (largest first) and its modularity."""

    groups: list[set[Node]]
    modularity: float

    def membership(self) -> dict[Node, int]:
        """Community number of every node (0 = largest community)."""
        return {node: i for i, group in enumerate(self.groups) for node in group}


def communities(graph: nx.Graph | IGraph, *, seed: int = 42, weight: str = "weight") -> Communities:
    """Louvain communities with a fixed seed (same input, same partition) and their modularity.

    igraph's Louvain (``community_multilevel``): the same method as networkx's
    ``louvain_communities`` but another implementation and random number generator, so the
    partition differs from networkx's for the same seed. igraph draws from Python's ``random``
    module by default; a ``random.Random(seed)`` is installed for the call, then the default
    restored.

    Examples
    --------
    >>> g = nx.barbell_graph(5, 0)
    >>> found = communities(g)
    >>> sorted(len(c) for c in found.groups), round(found.modularity, 3)
    ([5, 5], 0.452)
    """
    view = to_igraph(graph, weight)
    if view.graph.ecount() == 0:
        return Communities([{n} for n in view.nodes], 0.0)
    with _igraph_random(seed):
        membership = view.graph.community_multilevel(weights=view.weights).membership
    groups: dict[int, set[Node]] = {}
    for node, group in zip(view.nodes, membership, strict=True):
        groups.setdefault(group, set()).add(node)
    ordered = sorted(groups.values(), key=lambda c: (-len(c), min(map(str, c))))
    modularity = view.graph.modularity(membership, weights=view.weights)
    return Communities(ordered, float(modularity))


def constraint(graph: nx.Graph | IGraph, weight: str | None = "weight") -> dict[Node, float]:
    """Burt's constraint: how much a node's partners are tied to each other (low = broker).

    Same definition as ``nx.constraint`` (undirected: p_ij = w_ij / strength_i, self-loops
    ignored), computed with numpy from igraph's triangle list: the indirect share p_iq p_qj only
    exists where i, q, j close a triangle. Nodes without partners get NaN.

    Examples
    --------
    >>> c = constraint(nx.star_graph(3), weight=None)
    >>> round(c[0], 3), c[1]
    (0.333, 1.0)
    """
    view = to_igraph(graph, weight or "weight")
    simple, weights = view.loop_free
    n = len(view.nodes)
    ends = _int_array(simple.get_edgelist(), 2)
    tie = np.asarray(weights, dtype=float) if weight else np.ones(len(ends))
    # Arcs i -> j in both directions, sorted by the key i * n + j for lookups.
    tail = np.concatenate([ends[:, 0], ends[:, 1]])
    head = np.concatenate([ends[:, 1], ends[:, 0]])
    key = tail * n + head
    order = np.argsort(key)
    tail, head, key = tail[order], head[order], key[order]
    strength = np.bincount(tail, weights=np.concatenate([tie, tie])[order], minlength=n)
    share = np.concatenate([tie, tie])[order] / strength[tail]
    found = _int_array(simple.list_triangles(), 3)
    x, y, z = found[:, 0], found[:, 1], found[:, 2]
    xy, yx = np.searchsorted(key, x * n + y), np.searchsorted(key, y * n + x)
    xz, zx = np.searchsorted(key, x * n + z), np.searchsorted(key, z * n + x)
    yz, zy = np.searchsorted(key, y * n + z), np.searchsorted(key, z * n + y)
    p = share
    arcs = np.concatenate([xz, xy, yz, yx, zy, zx])
    via = np.concatenate(
        [p[xy] * p[yz], p[xz] * p[zy], p[yx] * p[xz], p[yz] * p[zx], p[zx] * p[xy], p[zy] * p[yx]]
    )
    indirect = np.bincount(arcs, weights=via, minlength=len(key))
    total = np.bincount(tail, weights=(share + indirect) ** 2, minlength=n)
    values = np.where(np.bincount(tail, minlength=n) > 0, total, math.nan)
    return dict(zip(view.nodes, values.tolist(), strict=True))


def _int_array(rows: list[tuple[int, ...]], width: int) -> np.ndarray:
    """igraph's list of index tuples as an integer array of ``width`` columns."""
    flat = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=width * len(rows))
    return flat.reshape(-1, width)


def effective_size(graph: nx.Graph | IGraph) -> dict[Node, float]:
    """Burt's effective size (Borgatti's form): partners minus their redundancy, n - 2t/n with t
    the ties among the n partners, i.e. n - C(n - 1) with C the clustering; nodes without partners
    get NaN.

    Examples
    --------
    >>> es = effective_size(nx.star_graph(3))
    >>> es[0], es[1]
    (3.0, 1.0)
    """
    view = to_igraph(graph)
    simple = view.loop_free[0]
    c = np.asarray(simple.transitivity_local_undirected(mode="zero"))
    d = np.asarray(simple.degree(), dtype=float)
    with np.errstate(invalid="ignore"):
        values = np.where(d > 0, d - c * (d - 1), math.nan)
    return dict(zip(view.nodes, values.tolist(), strict=True))


def bridges_and_articulation_points(
    graph: nx.Graph | IGraph,
) -> tuple[list[tuple[Node, Node]], set[Node]]:
    """Edges whose removal disconnects the graph, and nodes whose removal does (igraph).

    Examples
    --------
    >>> bridges, cut = bridges_and_articulation_points(nx.barbell_graph(3, 0))
    >>> bridges, sorted(cut)
    ([(2, 3)], [2, 3])
    """
    view = to_igraph(graph)
    nodes, edges = view.nodes, view.graph.get_edgelist()
    bridges = [(nodes[edges[e][0]], nodes[edges[e][1]]) for e in view.graph.bridges()]
    return bridges, {nodes[i] for i in view.graph.articulation_points()}


def year_over_year_growth(series: Mapping[int, float]) -> dict[int, float | None]:
    """Relative change of a yearly series from one year to the next (None where undefined).

    Examples
    --------
    >>> year_over_year_growth({2000: 10, 2001: 15, 2002: 15})
    {2000: None, 2001: 0.5, 2002: 0.0}
    """
    growth: dict[int, float | None] = {}
    previous: float | None = None
    for year in sorted(series):
        value = series[year]
        growth[year] = None if not previous else (value - previous) / previous
        previous = value
    return growth
