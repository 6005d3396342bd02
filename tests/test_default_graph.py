"""The store's default-graph contract, as the endpoint evaluates queries in its default mode.

The default graph is the RDF merge (a set) of the data graphs: a triple two graphs state counts once,
load records (``graph/provenance``) are not in it, and ``GRAPH ?g`` still ranges over the named graphs.
The data is loaded through :func:`kg.ingest.load_batches` into a real on-disk store and queried
through :func:`kg.web.worker.evaluate` with no ``default-graph-uri``, as ``/sparql`` does.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.ingest import Batch, load_batches
from kg.ingest.rdfio import sha256_hex
from kg.settings import Settings
from kg.store import open_store
from kg.web.worker import QueryRequest, evaluate

PROVENANCE = "https://w3id.org/kgci/graph/provenance"
FIRST = "https://w3id.org/kgci/graph/test/first"
SECOND = "https://w3id.org/kgci/graph/test/second"
SHARED = b'<http://example.org/s> <http://example.org/p> "shared" .\n'
OWN = b'<http://example.org/s> <http://example.org/p> "only in the second graph" .\n'


def batch(graph: str, data: bytes, name: str) -> Batch:
    """An unvalidated N-Triples batch replacing ``graph``."""
    return Batch(
        graph=graph,
        data=data,
        format=ox.RdfFormat.N_TRIPLES,
        source_name=name,
        sha256=sha256_hex(data),
        validate=False,
    )


def select(store: ox.Store, query: str) -> list[list[ox.NamedNode | ox.BlankNode | ox.Literal]]:
    """The rows of ``query`` evaluated as the endpoint does in its default mode."""
    evaluated = evaluate(store, QueryRequest(query, "json", 10_000))
    assert evaluated.kind == "solutions"
    rows: list[list[ox.NamedNode | ox.BlankNode | ox.Literal]] = evaluated.items
    return rows


def count(store: ox.Store, where: str = "?s ?p ?o") -> int:
    """``COUNT(*)`` of a pattern over the default graph."""
    rows = select(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    value = rows[0][0]
    assert isinstance(value, ox.Literal)
    return int(value.value)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The project's settings, store and quarantine under the test's directory."""
    return Settings(store=tmp_path / "store", quarantine_dir=tmp_path / "quarantine")


@pytest.fixture
def store(settings: Settings) -> ox.Store:
    """A real on-disk store where two graphs state the same triple, loaded in two loads."""
    assert settings.store is not None
    store: ox.Store = open_store(settings.store)
    load_batches(store, settings, [batch(FIRST, SHARED, "first.nt")], progress=False)
    load_batches(store, settings, [batch(SECOND, SHARED + OWN, "second.nt")], progress=False)
    return store


def test_a_triple_stated_twice_counts_once(store: ox.Store) -> None:
    """Two graphs state the shared triple; the default graph holds it once, beside the other one."""
    assert count(store, '?s ?p "shared"') == 1
    assert count(store) == 2


def test_load_records_are_not_in_the_default_graph(store: ox.Store) -> None:
    """The loads wrote their records, but a default-mode query sees the data triples only."""
    assert any(True for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(PROVENANCE)))
    rows = select(store, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    objects = sorted(str(row[2].value) for row in rows if row[2] is not None)
    assert objects == ["only in the second graph", "shared"]


def test_graph_variable_still_ranges_over_named_graphs(store: ox.Store) -> None:
    """``GRAPH ?g`` finds the shared triple in both data graphs (and the records in provenance)."""
    rows = select(store, 'SELECT ?g WHERE { GRAPH ?g { ?s ?p "shared" } }')
    assert sorted(str(row[0].value) for row in rows if row[0] is not None) == [FIRST, SECOND]
    assert count(store, f"GRAPH <{PROVENANCE}> {{ ?s ?p ?o }}") > 0


def test_a_triple_leaves_when_no_graph_states_it(store: ox.Store, settings: Settings) -> None:
    """Emptying one graph keeps the shared triple (the other still states it); emptying both drops
    it. (Passes on union-mode code too: it guards a materialised merge's maintenance.)"""
    load_batches(store, settings, [batch(FIRST, b"", "first.nt")], progress=False)
    assert count(store, '?s ?p "shared"') == 1
    load_batches(store, settings, [batch(SECOND, OWN, "second.nt")], progress=False)
    assert count(store, '?s ?p "shared"') == 0
    assert count(store) == 1
