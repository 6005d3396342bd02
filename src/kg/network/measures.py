"""Network measures, one small function each, fast enough for graphs of tens of thousands of nodes.

Edge ``weight`` is a tie strength (how many relations link two actors), never a distance: path-based
measures (betweenness) count hops. Where networkx is pure-Python-slow on hubs (clustering,
constraint, betweenness), the same quantities are computed from neighbour-set intersections or sparse
matrices; the tests check them against networkx.
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp

Node = Hashable


def degree_strength(graph: nx.Graph, weight: str = "weight") -> dict[Node, tuple[int, float]]:
    """Degree (number of partners) and strength (sum of edge weights) of every node.

    Parameters
    ----------
    graph : nx.Graph
    weight : str
        Edge attribute holding the tie strength (1 when missing).

    Examples
    --------
    >>> g = nx.Graph([("a", "b", {"weight": 3}), ("a", "c", {"weight": 1})])
    >>> degree_strength(g)["a"]
    (2, 4.0)
    """
    return {
        node: (graph.degree(node), float(graph.degree(node, weight=weight))) for node in graph.nodes
    }


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
    graph: nx.Graph, *, exact_up_to: int = 3000, samples: int = 256, seed: int = 42
) -> Betweenness:
    """Normalised betweenness centrality (hop counts), exact up to ``exact_up_to`` nodes, otherwise
    estimated from ``samples`` source nodes drawn with ``seed`` (Brandes-Pich), as networkx's ``k``.

    Brandes' algorithm run for a batch of sources at once with sparse matrix products (BFS levels
    forward, dependencies backward), which gives the same numbers as
    ``nx.betweenness_centrality(graph, k=..., normalized=True)`` many times faster.

    Parameters
    ----------
    graph : nx.Graph
        Undirected graph.
    exact_up_to : int
        Largest node count for which every node is a source.
    samples : int
        Number of sampled sources above that size.
    seed : int
        Seed of the source sample.

    Examples
    --------
    >>> star = nx.star_graph(4)
    >>> result = betweenness(star)
    >>> result.values[0], result.values[1], result.sampled
    (1.0, 0.0, False)
    """
    nodes = list(graph.nodes)
    n = len(nodes)
    if n < 3:
        return Betweenness(dict.fromkeys(nodes, 0.0), False, n, None)
    sampled = n > exact_up_to
    sources = random.Random(seed).sample(range(n), min(samples, n)) if sampled else list(range(n))
    adjacency = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight=None, format="csr")
    adjacency.data[:] = 1.0
    total = np.zeros(n)
    for start in range(0, len(sources), 128):
        total += _dependencies(adjacency, sources[start : start + 128])
    # networkx 3.6 rescaling: divide by the (source, target) pairs that could pass through v.
    k = len(sources)
    scale = np.full(n, 1.0 / ((k if sampled else n - 1) * (n - 2)))
    if sampled:
        scale[sources] = 1.0 / ((k - 1) * (n - 2)) if k > 1 else math.nan
    values = {node: float(total[i] * scale[i]) for i, node in enumerate(nodes)}
    return Betweenness(values, sampled, len(sources), seed if sampled else None)


def _dependencies(adjacency: sp.csr_array, sources: list[int]) -> np.ndarray:
    """Sum over ``sources`` of Brandes' dependencies of every node (one column per source)."""
    n, k = adjacency.shape[0], len(sources)
    columns = np.arange(k)
    depth = np.full((n, k), -1, dtype=np.int32)
    sigma = np.zeros((n, k))
    depth[sources, columns] = 0
    sigma[sources, columns] = 1.0
    frontier = sigma.copy()
    level = 0
    while True:
        reached = adjacency @ frontier
        new = (depth < 0) & (reached > 0)
        if not new.any():
            break
        level += 1
        depth[new] = level
        sigma[new] = reached[new]
        frontier = np.where(new, reached, 0.0)
    delta = np.zeros((n, k))
    with np.errstate(divide="ignore", invalid="ignore"):
        for d in range(level, 0, -1):
            coefficient = np.where(depth == d, (1.0 + delta) / sigma, 0.0)
            upstream = adjacency @ coefficient
            parents = depth == d - 1
            delta[parents] += sigma[parents] * upstream[parents]
    delta[sources, columns] = 0.0
    result: np.ndarray = delta.sum(axis=1)
    return result


def pagerank(graph: nx.Graph, weight: str = "weight") -> dict[Node, float]:
    """PageRank (damping 0.85) on the weighted graph: importance from important partners.

    Examples
    --------
    >>> pr = pagerank(nx.star_graph(3))
    >>> max(pr, key=pr.get), round(sum(pr.values()), 6)
    (0, 1.0)
    """
    if graph.number_of_edges() == 0:
        return {node: 1.0 / max(len(graph), 1) for node in graph}
    return dict(nx.pagerank(graph, weight=weight))


def triangles(graph: nx.Graph) -> dict[Node, int]:
    """Number of triangles through each node, from neighbour-set intersections along edges.

    Examples
    --------
    >>> triangles(nx.complete_graph(4))[0]
    3
    """
    neighbours = {node: set(graph[node]) - {node} for node in graph}
    counts = dict.fromkeys(graph.nodes, 0)
    for u, v in graph.edges:
        if u == v:
            continue
        common = len(neighbours[u] & neighbours[v])
        counts[u] += common
        counts[v] += common
    return {node: c // 2 for node, c in counts.items()}


def clustering(graph: nx.Graph) -> dict[Node, float]:
    """Local clustering coefficient: share of a node's pairs of partners that are partners too.

    Examples
    --------
    >>> c = clustering(nx.Graph([(0, 1), (1, 2), (2, 0), (2, 3)]))
    >>> c[0], round(c[2], 3), c[3]
    (1.0, 0.333, 0.0)
    """
    found = triangles(graph)
    result = {}
    for node, t in found.items():
        d = len(set(graph[node]) - {node})
        result[node] = 2.0 * t / (d * (d - 1)) if d > 1 else 0.0
    return result


def components(graph: nx.Graph) -> list[set[Node]]:
    """Connected components, largest first.

    Examples
    --------
    >>> [len(c) for c in components(nx.Graph([(1, 2), (2, 3), (4, 5)]))]
    [3, 2]
    """
    return sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(map(str, c))))


@dataclass(frozen=True)
class Communities:
    """A partition into communities (largest first) and its modularity."""

    groups: list[set[Node]]
    modularity: float

    def membership(self) -> dict[Node, int]:
        """Community number of every node (0 = largest community)."""
        return {node: i for i, group in enumerate(self.groups) for node in group}


def communities(graph: nx.Graph, *, seed: int = 42, weight: str = "weight") -> Communities:
    """Louvain communities with a fixed seed (same input, same partition) and their modularity.

    Examples
    --------
    >>> g = nx.barbell_graph(5, 0)
    >>> found = communities(g)
    >>> sorted(len(c) for c in found.groups), round(found.modularity, 3)
    ([5, 5], 0.452)
    """
    if graph.number_of_edges() == 0:
        return Communities([{n} for n in graph], 0.0)
    groups = nx.community.louvain_communities(graph, weight=weight, seed=seed)
    ordered = sorted(groups, key=lambda c: (-len(c), min(map(str, c))))
    return Communities(ordered, float(nx.community.modularity(graph, ordered, weight=weight)))


def constraint(graph: nx.Graph, weight: str | None = "weight") -> dict[Node, float]:
    """Burt's constraint: how much a node's partners are tied to each other (low = broker).

    Same definition as ``nx.constraint`` (undirected: p_ij = w_ij / strength_i), computed from
    common neighbours only; nodes without partners get NaN.

    Examples
    --------
    >>> c = constraint(nx.star_graph(3), weight=None)
    >>> round(c[0], 3), c[1]
    (0.333, 1.0)
    """

    share: dict[Node, dict[Node, float]] = {}
    for i in graph:
        ties = {
            j: float(d.get(weight, 1)) if weight else 1.0 for j, d in graph[i].items() if j != i
        }
        total = sum(ties.values())
        share[i] = {j: t / total for j, t in ties.items()} if total else {}
    neighbours = {n: set(share[n]) for n in graph}
    result: dict[Node, float] = {}
    for i, p_i in share.items():
        if not p_i:
            result[i] = math.nan
            continue
        value = 0.0
        for j, p_ij in p_i.items():
            indirect = sum(p_i[q] * share[q][j] for q in neighbours[i] & neighbours[j])
            value += (p_ij + indirect) ** 2
        result[i] = value
    return result


def effective_size(graph: nx.Graph) -> dict[Node, float]:
    """Burt's effective size (Borgatti's form): partners minus their redundancy, n - 2t/n with t
    the ties among the n partners; nodes without partners get NaN.

    Examples
    --------
    >>> es = effective_size(nx.star_graph(3))
    >>> es[0], es[1]
    (3.0, 1.0)
    """
    found = triangles(graph)
    result = {}
    for node in graph:
        d = len(set(graph[node]) - {node})
        result[node] = d - 2.0 * found[node] / d if d else math.nan
    return result


def bridges_and_articulation_points(graph: nx.Graph) -> tuple[list[tuple[Node, Node]], set[Node]]:
    """Edges whose removal disconnects the graph, and nodes whose removal does.

    One iterative depth-first search with Tarjan's low-links finds both (networkx runs two slower
    passes); self-loops and parallel structure do not matter.

    Examples
    --------
    >>> bridges, cut = bridges_and_articulation_points(nx.barbell_graph(3, 0))
    >>> bridges, sorted(cut)
    ([(2, 3)], [2, 3])
    """
    order: dict[Node, int] = {}
    low: dict[Node, int] = {}
    bridges: list[tuple[Node, Node]] = []
    cut: set[Node] = set()
    for root in graph:
        if root in order:
            continue
        order[root] = low[root] = len(order)
        children = 0
        stack = [(root, None, iter(graph[root]))]
        while stack:
            node, parent, neighbours = stack[-1]
            for other in neighbours:
                if other in (node, parent):
                    continue
                if other in order:
                    low[node] = min(low[node], order[other])
                else:
                    order[other] = low[other] = len(order)
                    stack.append((other, node, iter(graph[other])))
                    break
            else:
                stack.pop()
                if parent is None:
                    continue
                low[parent] = min(low[parent], low[node])
                if low[node] > order[parent]:
                    bridges.append((parent, node))
                if parent == root:
                    children += 1
                elif low[node] >= order[parent]:
                    cut.add(parent)
        if children > 1:
            cut.add(root)
    return bridges, cut


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
