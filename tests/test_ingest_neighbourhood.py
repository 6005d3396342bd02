"""What validation pulls from the store: the batch's entities, and the types of what they point to;
and a rebuild keeps the graphs that `kg import` wrote."""

from __future__ import annotations

import random
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest

from ingest_helpers import AGREEMENT, fixture_settings, load_files
from kg.ingest import Batch, load_batches, neighbourhood
from kg.ingest.build import build
from kg.ingest.neighbourhood import RDF_TYPE, pull
from kg.settings import Settings
from kg.store import open_store
from kg.validation import inverse_predicates, schema_graphs

ID = "https://w3id.org/kgci/id/"
KGC = "https://w3id.org/kgci/def/"
GRAPH = "https://w3id.org/kgci/graph/"


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


def _triples(quads: Iterable[ox.Quad]) -> set[ox.Triple]:
    return {ox.Triple(q.subject, q.predicate, q.object) for q in quads}


@pytest.fixture(scope="module")
def project_store(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[ox.Store, list[str]]:
    """The project's store built by `kg build` (seed documents, qualified participations, blank
    nodes), plus a triple stated in a second data graph, a candidate fact about a seed entity (a
    non-data graph: not in the merge) and a graph loaded by `load_batches`; with the entities every
    differential batch mentions (one with a blank node, one with a candidate fact)."""
    folder = tmp_path_factory.mktemp("hood")
    settings = Settings(store=folder / "store", quarantine_dir=folder / "quarantine")
    build(settings, progress=False)
    store = open_store(settings.store)
    typed = list(store.quads_for_pattern(None, RDF_TYPE, None, ox.DefaultGraph()))
    entity = next(q.subject for q in typed if q.subject.value.startswith(ID))  # type: ignore[union-attr]
    again = [ox.Quad(q.subject, q.predicate, q.object) for q in typed[:50]]
    role = ox.BlankNode()
    again += [
        ox.Quad(n(ID + "agreement/with-blank"), n(KGC + "qualifiedParticipation"), role),
        ox.Quad(role, n(KGC + "participant"), entity),
    ]
    load_batches(
        store,
        settings,
        [Batch.from_quads(GRAPH + "file/again", again, "again.nq", validate=False)],
        progress=False,
    )
    store.add(
        ox.Quad(
            entity, n(KGC + "candidateNote"), ox.Literal("unreviewed"), n(GRAPH + "candidates/x")
        )
    )
    return store, [ID + "agreement/with-blank", entity.value]


def _entities(store: ox.Store) -> list[str]:
    return sorted(
        {
            t.value
            for q in store.quads_for_pattern(None, None, None, None)
            for t in (q.subject, q.object)
            if isinstance(t, ox.NamedNode) and t.value.startswith(ID)
        }
    )


@pytest.mark.parametrize("seed", range(6))
def test_the_merged_pull_gives_the_per_graph_pull(
    project_store: tuple[ox.Store, list[str]], seed: int
) -> None:
    """Oracle: the per-graph pull (every named graph, default graph ignored). The merged pull
    (default graph plus the non-data graphs) must give the same triples and the same known IRIs,
    for batches mentioning random entities of the store and IRIs it does not hold."""
    store, fixed = project_store
    entities = _entities(store)
    rng = random.Random(seed)
    picked = [*rng.sample(entities, min(len(entities), 40)), *fixed]
    target = n(GRAPH + f"file/batch-{seed}")
    batch = [
        ox.Quad(n(ID + f"agreement/new-{seed}"), n(KGC + "party"), n(i), target) for i in picked
    ]
    inverse = inverse_predicates(schema_graphs(Settings())[1])
    assert neighbourhood.merge_is_exact(store, [target.value])
    fast = pull(store, batch, [target.value], inverse)
    reference = pull(store, batch, [target.value], inverse, merged=False)
    assert _triples(fast.quads) == _triples(reference.quads)
    assert fast.known == reference.known
    assert len(fast.known) > 10 and any(isinstance(q.subject, ox.BlankNode) for q in fast.quads)
    assert any(q.predicate == n(KGC + "candidateNote") for q in fast.quads)


def test_the_merge_is_not_read_when_it_would_differ(
    project_store: tuple[ox.Store, list[str]],
) -> None:
    """A replaced graph in the store (its statements must be left out) or a store without a
    default graph (not built by the project): the per-graph pull is taken."""
    again = GRAPH + "file/again"
    assert not neighbourhood.merge_is_exact(project_store[0], [again])
    raw = ox.Store()
    raw.add(ox.Quad(n(ID + "collectivity/x"), RDF_TYPE, n(KGC + "Collectivity"), n(again)))
    assert not neighbourhood.merge_is_exact(raw, [GRAPH + "file/new"])
    batch = [ox.Quad(n(ID + "agreement/y"), n(KGC + "party"), n(ID + "collectivity/x"), n(again))]
    assert pull(raw, batch, [GRAPH + "file/new"]).known == {ID + "collectivity/x"}
