"""What validation pulls from the store: the batch's entities, and the types of what they point to;
and a rebuild keeps the graphs that `kg import` wrote."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from ingest_helpers import AGREEMENT, fixture_settings, load_files
from kg.ingest.build import build
from kg.ingest.neighbourhood import RDF_TYPE, pull
from kg.store import open_store

ID = "https://w3id.org/kgci/id/"
KGC = "https://w3id.org/kgci/def/"


def n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def test_types_of_objects_of_pulled_statements_are_pulled_too() -> None:
    store = ox.Store()
    g = n("https://w3id.org/kgci/graph/import/cog")
    dijon, cote_d_or = n(ID + "collectivity/dijon-21231"), n(ID + "collectivity/cote-d-or-21")
    store.add(ox.Quad(dijon, n(KGC + "locatedIn"), cote_d_or, g))
    store.add(ox.Quad(cote_d_or, RDF_TYPE, n(KGC + "Collectivity"), g))
    store.add(ox.Quad(cote_d_or, n(KGC + "inseeCode"), ox.Literal("21"), g))
    batch = [ox.Quad(n(ID + "agreement/x"), n(KGC + "party"), dijon, n(ID + "graph"))]
    pulled = pull(store, batch, replaced_graphs=[])
    assert ox.Quad(dijon, n(KGC + "locatedIn"), cote_d_or, g) in pulled.quads
    assert ox.Quad(cote_d_or, RDF_TYPE, n(KGC + "Collectivity"), g) in pulled.quads
    # only the type of the second hop, not everything about it
    assert all(q.predicate != n(KGC + "inseeCode") for q in pulled.quads)
    # nothing comes from a graph the batch replaces
    assert pull(store, batch, replaced_graphs=[g.value]).quads == ()


def test_rebuild_carries_imported_graphs_over(tmp_path: Path) -> None:
    settings = fixture_settings(tmp_path)
    build(settings, progress=False)
    store = open_store(tmp_path / "store")
    imported = n("https://w3id.org/kgci/graph/import/example")
    store.add(ox.Quad(n(ID + "collectivity/x"), n(KGC + "population"), ox.Literal("7"), imported))
    load_files(store, settings, AGREEMENT)  # an ordinary file graph, not carried over
    del store
    build(settings, progress=False)
    store = open_store(tmp_path / "store")
    graphs = {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}
    assert imported.value in graphs
    assert "https://w3id.org/kgci/graph/file/agreement" not in graphs
    assert len(list(store.quads_for_pattern(None, None, None, imported))) == 1
