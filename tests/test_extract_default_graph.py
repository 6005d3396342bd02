"""Candidate graphs (``graph/candidates/…``, written by ``kg extract``) stay out of the default graph."""

from __future__ import annotations

import pyoxigraph as ox

from kg.store import default_graph

EX = "https://example.org/"
CANDIDATES = ox.NamedNode("https://w3id.org/kgci/graph/candidates/press-release")
DATA = ox.NamedNode("https://w3id.org/kgci/graph/file/data")


def _triple(n: int) -> tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode]:
    return ox.NamedNode(f"{EX}s{n}"), ox.NamedNode(f"{EX}p"), ox.NamedNode(f"{EX}o{n}")


def test_merged_and_rebuild_leave_candidates_out() -> None:
    store = ox.Store()
    quads = [ox.Quad(*_triple(1), DATA), ox.Quad(*_triple(2), CANDIDATES)]
    store.extend(list(default_graph.merged(quads)))
    assert default_graph.actual(store) == {ox.Triple(*_triple(1))}
    default_graph.rebuild(store)
    assert default_graph.actual(store) == {ox.Triple(*_triple(1))}
    assert default_graph.actual(store) == default_graph.expected(store)


def test_a_candidate_does_not_keep_a_retracted_fact() -> None:
    store = ox.Store()
    quads = [ox.Quad(*_triple(1), DATA), ox.Quad(*_triple(1), CANDIDATES)]
    store.extend(list(default_graph.merged(quads)))
    store.update(default_graph.retract_update([DATA.value]) + f" ; DROP GRAPH <{DATA.value}>")
    assert default_graph.actual(store) == set()
    assert default_graph.actual(store) == default_graph.expected(store)
