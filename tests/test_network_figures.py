"""What the network figure draws of a large graph: its hubs with their neighbourhoods."""

from __future__ import annotations

import networkx as nx

from kg.network import figures
from kg.network.report import analyse


def sparse_graph() -> nx.Graph:
    """Sixty stars of ten leaves; the first leaf of each star also partners the next star."""
    graph = nx.Graph()
    for star in range(60):
        graph.add_edges_from(
            (f"s{star}", f"s{star}-{leaf}", {"weight": 1 + leaf % 3}) for leaf in range(10)
        )
        graph.add_edge(f"s{star}-0", f"s{(star + 1) % 60}", weight=1)
    return graph


def test_hubs_are_drawn_with_their_partners() -> None:
    report = analyse(sparse_graph())
    graph = report.graph
    shown, hubs = figures.shown_nodes(graph, max_nodes=100, hubs=10)
    assert len(shown) == 100 and hubs == 10
    rank = nx.get_node_attributes(graph, "pagerank")
    top = sorted(graph, key=lambda n: -rank[n])
    assert set(top[:10]) <= set(shown)
    for hub in top[:10]:  # every hub keeps partners, the strongest first
        partners = [n for n in graph[hub] if n in shown]
        assert len(partners) >= 5
        kept = min(graph[hub][n]["weight"] for n in partners)
        assert all(graph[hub][n]["weight"] <= kept for n in graph[hub] if n not in shown)
    # far more of the structure than the same number of top nodes alone
    assert graph.subgraph(shown).number_of_edges() > 2 * graph.subgraph(top[:100]).number_of_edges()


def test_small_graphs_are_drawn_whole_and_the_title_says_what_is_shown() -> None:
    report = analyse(sparse_graph())
    assert figures.shown_nodes(report.graph, max_nodes=1000) == (list(report.graph), 0)
    title = figures.network_figure(report, max_nodes=120).axes[0].get_title()
    assert "nodes of highest PageRank and their strongest partners (120 nodes" in title
    whole = figures.network_figure(report, max_nodes=1000).axes[0].get_title()
    assert "shown" not in whole


def test_growth_figure_without_dated_relations_says_so() -> None:
    figure = figures.growth_figure([], "Growth")
    assert "no dated relations" in [t.get_text() for t in figure.axes[0].texts]


def test_growth_figure_says_how_many_relations_are_dated() -> None:
    growth = [
        {"year": 1990, "nodes": 4, "edges": 2, "new_relations": 2},
        {"year": 2004, "nodes": 9, "edges": 7, "new_relations": 10},
    ]
    title = figures.growth_figure(growth, "Growth", total=5476).axes[0].get_title()
    assert "12 of 5,476 relations (0.2%) are dated" in title
    assert "not a national trend" in title


def test_country_figure_weights_france_partner_countries() -> None:
    import networkx as nx

    from kg.network.partnership import country_graph

    actors = nx.Graph()
    actors.add_nodes_from(
        [("a", {"country": "fr"}), ("c", {"country": "fr"}), ("b", {"country": "de"})]
    )
    actors.add_nodes_from([("j", {"country": "jp"}), ("k", {"country": "jp"})])
    actors.add_edge("a", "b", weight=2)
    actors.add_edge("c", "b", weight=1)
    actors.add_edge("a", "j", weight=1)
    graph = country_graph(actors, {"fr": "France", "de": "Germany", "jp": "Japan"})
    figure = figures.country_figure(analyse(graph))
    bars = sorted(
        (patch.get_width(), label.get_text())
        for patch, label in zip(
            figure.axes[0].patches, figure.axes[0].get_yticklabels(), strict=True
        )
    )
    assert bars == [(1, "Japan"), (3, "Germany")]
    assert "2 countries, 4 partnerships" in figure.axes[0].get_title()
