"""Network measures on small hand-built graphs with known answers, and against networkx (the
igraph-backed measures must give networkx's values: exact for counts, 1e-9 relative for floats,
1e-6 for PageRank's iterative solvers)."""

from __future__ import annotations

import math
import random

import networkx as nx
import pytest

from kg.network import measures
from kg.network.report import analyse


def two_cliques() -> nx.Graph:
    """Two 5-cliques joined by the single edge (4, 5)."""
    graph = nx.union(nx.complete_graph(5), nx.complete_graph(range(5, 10)))
    graph.add_edge(4, 5)
    return graph


def test_centre_of_a_star_has_the_top_betweenness() -> None:
    star = nx.star_graph(6)
    result = measures.betweenness(star)
    assert max(result.values, key=result.values.get) == 0
    assert result.values[0] == pytest.approx(1.0)
    assert all(result.values[leaf] == 0 for leaf in range(1, 7))
    assert not result.sampled


def test_two_cliques_joined_by_one_edge_give_two_communities_and_one_bridge() -> None:
    graph = two_cliques()
    found = measures.communities(graph)
    assert sorted(map(sorted, found.groups)) == [list(range(5)), list(range(5, 10))]
    assert found.modularity == pytest.approx(nx.community.modularity(graph, found.groups))
    bridges, cut_points = measures.bridges_and_articulation_points(graph)
    assert [tuple(sorted(edge)) for edge in bridges] == [(4, 5)]
    assert cut_points == {4, 5}


def test_louvain_is_reproducible_with_its_seed() -> None:
    graph = nx.les_miserables_graph()
    random.seed(1)
    expected = random.random()
    random.seed(1)
    first = measures.communities(graph, seed=7)
    assert random.random() == expected  # igraph's generator was restored, Python's untouched
    second = measures.communities(measures.to_igraph(graph), seed=7)
    assert first.groups == second.groups
    assert first.modularity > 0.5
    assert first.modularity == pytest.approx(
        nx.community.modularity(graph, first.groups, weight="weight")
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fast_measures_equal_networkx_on_random_graphs(seed: int) -> None:
    graph = nx.gnm_random_graph(80, 110, seed=seed)  # sparse: trees hang off, bridges exist
    graph.add_edge("x", "y")  # a second component
    graph.add_node("alone")
    for u, v in graph.edges:
        graph[u][v]["weight"] = 1 + sum(map(ord, f"{u}{v}")) % 3
    exact = measures.betweenness(graph)
    reference = nx.betweenness_centrality(graph)
    assert exact.values == pytest.approx(reference, abs=1e-12)
    sampled = measures.betweenness(graph, exact_up_to=10, samples=30, seed=seed)
    assert sampled.sampled and sampled.sources == 30
    assert "seed" in sampled.describe()
    assert sampled.values == pytest.approx(
        nx.betweenness_centrality(graph, k=30, seed=seed), abs=1e-12
    )
    bridges, cut_points = measures.bridges_and_articulation_points(graph)
    assert {frozenset(e) for e in bridges} == {frozenset(e) for e in nx.bridges(graph)}
    assert cut_points == set(nx.articulation_points(graph))
    assert measures.clustering(graph) == pytest.approx(nx.clustering(graph))
    assert measures.triangles(graph) == nx.triangles(graph)
    assert measures.pagerank(graph) == pytest.approx(
        nx.pagerank(graph, weight="weight", tol=1e-12), abs=1e-6
    )
    assert measures.components(graph) == sorted(
        nx.connected_components(graph), key=lambda c: (-len(c), min(map(str, c)))
    )
    assert measures.degree_strength(graph) == {
        node: (graph.degree(node), graph.degree(node, weight="weight")) for node in graph
    }
    ours, theirs = measures.constraint(graph), nx.constraint(graph, weight="weight")
    ours_es, theirs_es = measures.effective_size(graph), nx.effective_size(graph)
    for node in graph:
        if math.isnan(theirs[node]):
            assert math.isnan(ours[node]) and math.isnan(ours_es[node])
        else:
            assert ours[node] == pytest.approx(theirs[node])
            assert ours_es[node] == pytest.approx(theirs_es[node])


def test_self_loops_are_no_partners_for_clustering_and_brokerage() -> None:
    graph = nx.Graph([(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (2, 4)])
    looped = graph.copy()
    looped.add_edges_from([(0, 0), (2, 2)], weight=5)
    assert measures.clustering(looped) == pytest.approx(nx.clustering(graph))
    assert measures.triangles(looped) == nx.triangles(graph)
    assert measures.constraint(looped) == pytest.approx(nx.constraint(graph))
    assert measures.effective_size(looped) == pytest.approx(nx.effective_size(graph))
    assert measures.degree_strength(looped)[0] == (4, 12.0)  # as networkx: a loop counts twice


def test_a_converted_graph_gives_the_same_measures() -> None:
    graph = nx.barabasi_albert_graph(200, 3, seed=5)
    converted = measures.to_igraph(graph)
    assert converted.nodes == list(graph.nodes)
    assert measures.pagerank(converted) == measures.pagerank(graph)
    assert measures.constraint(converted) == measures.constraint(graph)
    assert measures.betweenness(converted).values == measures.betweenness(graph).values
    with pytest.raises(ValueError, match="weight"):
        measures.pagerank(converted, weight="other")


def test_brokers_have_low_constraint_and_high_effective_size() -> None:
    graph = two_cliques()
    constraint, size = measures.constraint(graph, weight=None), measures.effective_size(graph)
    inside = 0  # a member of one clique only
    assert constraint[4] < constraint[inside]
    assert size[4] > size[inside]


def test_degree_strength_pagerank_components() -> None:
    graph = nx.Graph([("a", "b", {"weight": 2}), ("a", "c", {"weight": 3}), ("d", "e", {})])
    assert measures.degree_strength(graph)["a"] == (2, 5.0)
    assert measures.degree_strength(graph)["d"] == (1, 1.0)
    rank = measures.pagerank(graph)
    assert max(rank, key=rank.get) == "a"
    assert [len(c) for c in measures.components(graph)] == [3, 2]


def test_year_over_year_growth() -> None:
    assert measures.year_over_year_growth({2001: 4, 2000: 2, 2002: 2}) == {
        2000: None,
        2001: 1.0,
        2002: -0.5,
    }
    assert measures.year_over_year_growth({2000: 0, 2001: 3}) == {2000: None, 2001: None}


def test_analyse_ranks_and_attaches_metrics() -> None:
    graph = two_cliques()
    report = analyse(graph)
    assert {report.nodes[0]["id"], report.nodes[1]["id"]} == {4, 5}  # degree 5, the others 4
    assert report.summary["bridges"] == 1
    assert report.summary["communities"] == 2
    assert graph.nodes[4]["articulation_point"] is True
    assert set(report.timings) >= {"betweenness", "communities", "constraint"}


def test_analyse_says_when_betweenness_is_sampled() -> None:
    graph = nx.barabasi_albert_graph(300, 2, seed=1)
    report = analyse(graph, exact_up_to=100, samples=50)
    assert "sampled" in report.summary["betweenness"]
    assert any("estimate" in note for note in report.notes)


def test_parallel_analysis_gives_the_same_report() -> None:
    graph = nx.barabasi_albert_graph(400, 2, seed=3)
    serial = analyse(graph.copy(), exact_up_to=100, samples=40)
    parallel = analyse(graph.copy(), exact_up_to=100, samples=40, parallel=True)
    assert parallel.nodes == serial.nodes
    assert parallel.summary == serial.summary
    assert "betweenness (parallel)" in parallel.timings
