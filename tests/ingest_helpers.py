"""Helpers shared by the ingest tests: settings on a small fixture project, snapshots, graph reads."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg.errors import InputError, KGError, ValidationFailed
from kg.ingest import Batch, batch_from_file, load_batches
from kg.settings import Settings
from kg.validation import to_rdflib

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
PROJECT = FIXTURES / "project"
COLLECTIVITIES = PROJECT / "data" / "collectivities.ttl"
AGREEMENT = FIXTURES / "good" / "agreement.ttl"
PROVENANCE = "https://w3id.org/kgci/graph/provenance"

#: The bad inputs of fixtures/ingest/bad: file, expected error class, fragments the message must contain
BAD_CASES: list[tuple[str, type[KGError], list[str]]] = [
    ("syntax.ttl", InputError, ["syntax.ttl line 9, column", "syntax error"]),
    ("undefined-prefix.ttl", InputError, ["line 8, column 5", "prefix org: has not been declared"]),
    ("invalid-iri.ttl", InputError, ["line 6, column 1", "Invalid IRI"]),
    ("bad-date.ttl", InputError, ["'2018-13-45' is not a valid xsd:date", "signingDate"]),
    ("one-party.ttl", ValidationFailed, ["broke the shapes", "1 violation", "quarantine"]),
    ("dangling.ttl", ValidationFailed, ["broke the shapes", "2 violation"]),
    ("empty.ttl", InputError, ["empty.ttl is empty"]),
    ("latin1.ttl", InputError, ["line 7, column 22", "not valid UTF-8", "Latin-1"]),
]


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
