"""Helpers shared by the ingest tests: settings on a small fixture project, snapshots, graph reads."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg.ingest import Batch, batch_from_file, load_batches
from kg.settings import Settings
from kg.validation import to_rdflib

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
PROJECT = FIXTURES / "project"
COLLECTIVITIES = PROJECT / "data" / "collectivities.ttl"
AGREEMENT = FIXTURES / "good" / "agreement.ttl"
PROVENANCE = "https://w3id.org/kgci/graph/provenance"


def fixture_settings(tmp_path: Path, **overrides: object) -> Settings:
    """Settings whose ontology and shapes are the small fixture project's, store under tmp_path."""
    values: dict[str, object] = {
        "project_root": PROJECT,
        "ontology_dir": PROJECT / "ontology",
        "store": tmp_path / "store",
        "quarantine_dir": tmp_path / "quarantine",
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def snapshot(store: ox.Store) -> list[str]:
    """Every quad of the store as sorted text, to check that a store did not change."""
    return sorted(str(q) for q in store)


def graph_of(store: ox.Store, graph: str) -> Graph:
    """The content of one named graph as an rdflib graph (for isomorphism checks)."""
    g = Graph()
    for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
        g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return g


def file_graph(path: Path) -> Graph:
    """The triples of an RDF file as an rdflib graph."""
    g = Graph()
    for q in ox.parse(path=str(path)):
        g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return g


def load_files(store: ox.Store, settings: Settings, *paths: Path) -> None:
    """Load files with validation, no progress display."""
    batches: list[Batch] = [batch_from_file(p, settings) for p in paths]
    load_batches(store, settings, batches, progress=False)
