"""The measures table that the report walks: a new entry is all a new measure needs, the forked
process gives the answer this process gives, and the CSV columns keep their order."""

from __future__ import annotations

import networkx as nx
import pytest

from kg.network import measures, registry
from kg.network.report import METRICS, analyse


def test_a_new_entry_of_the_table_reaches_rows_nodes_and_summary() -> None:
    def triangles(given: registry.Input) -> registry.Found:
        counts = measures.triangles(given.view)
        return registry.Found({"triangles": counts}, {"triangles": sum(counts.values()) // 3})

    graph = nx.karate_club_graph()
    table = (*registry.MEASURES, registry.Measure("triangles", ("triangles",), triangles))
    report = analyse(graph, table=table)
    expected = nx.triangles(graph)
    assert {row["id"]: row["triangles"] for row in report.nodes} == expected
    assert {n: d["triangles"] for n, d in report.graph.nodes(data=True)} == expected
    assert report.summary["triangles"] == sum(expected.values()) // 3
    assert "triangles" in report.timings


def test_far_measures_in_the_forked_process_give_the_same_report() -> None:
    graph = nx.les_miserables_graph()
    here = analyse(graph.copy(), exact_up_to=10, samples=20)  # sampled betweenness
    forked = analyse(graph.copy(), exact_up_to=10, samples=20, parallel=True)
    assert forked.nodes == here.nodes
    assert forked.summary == here.summary
    assert forked.notes == here.notes
    assert "betweenness (parallel)" in forked.timings
    assert "betweenness (parallel)" not in here.timings


def test_a_failing_far_measure_is_one_clear_error() -> None:
    def broken(given: registry.Input) -> registry.Found:
        raise ValueError("no such thing")

    table = (*registry.MEASURES, registry.Measure("broken", ("broken",), broken, far=True))
    with pytest.raises(Exception, match="broken failed: no such thing"):
        analyse(nx.path_graph(4), table=table, parallel=True)


def test_the_csv_columns_are_those_of_the_table_in_order() -> None:
    assert (
        METRICS
        == registry.columns()
        == (
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
    )
