"""Helpers shared by the ingest tests: settings on a small fixture project, snapshots, graph reads,
the environment of a `kg` subprocess on that project, the synthetic-data generator of bench/, and
the seed graphs as one rdflib graph (a fixture) with the N-Triples batch of a graph."""

from __future__ import annotations

import importlib.util
import os
import subprocess
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox
import pytest
from rdflib import Graph

from cli_helpers import run_kg
from kg.errors import InputError, KGError, ValidationFailed
from kg.ingest import Batch, batch_from_file, load_batches
from kg.ingest.rdfio import sha256_hex
from kg.settings import PROJECT_ROOT, Settings
from kg.validation import to_rdflib
from shacl_mutations import SEEDS, triple

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
PROJECT = FIXTURES / "project"
COLLECTIVITIES = PROJECT / "data" / "collectivities.ttl"
AGREEMENT = FIXTURES / "good" / "agreement.ttl"
PROVENANCE = "https://w3id.org/kgci/graph/provenance"
#: The graph :func:`chunked_batch` loads into.
CHUNKED_GRAPH = "https://w3id.org/kgci/graph/file/chunked-test"

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


def kg_env(tmp_path: Path, project: Path = PROJECT) -> dict[str, str]:
    """The environment of a `kg` subprocess on the fixture ``project``, its store under tmp_path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env.update(
        KG_STORE=str(tmp_path / "store"),
        KG_QUARANTINE_DIR=str(tmp_path / "quarantine"),
        KG_PROJECT_ROOT=str(project),
        KG_ONTOLOGY_DIR=str(project / "ontology"),
        KG_QUERIES_DIR=str(PROJECT_ROOT / "queries"),
        COLUMNS="250",
    )
    return env


def kg(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`kg ARGS` run to the end in ``env`` (through :func:`cli_helpers.run_kg`)."""
    return run_kg(*args, env=env, timeout=timeout)


def synthetic() -> ModuleType:
    """``bench/synthetic.py``, the generator of synthetic national-scale data, as a module."""
    spec = importlib.util.spec_from_file_location(
        "synthetic", PROJECT_ROOT / "bench" / "synthetic.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def seed_graph() -> Graph:
    """Every seed graph of data/seeds as one rdflib graph."""
    graph = Graph()
    for path in sorted(SEEDS.glob("*.trig")):
        for q in ox.parse(path=str(path), format=ox.RdfFormat.TRIG):
            graph.add(triple(q))
    return graph


@pytest.fixture(scope="module")
def seed() -> Graph:
    """:func:`seed_graph`, once for a module's tests (imported by the modules that use it)."""
    return seed_graph()


def chunked_batch(graph: Graph) -> Batch:
    """``graph`` as an N-Triples batch for :data:`CHUNKED_GRAPH`."""
    data = graph.serialize(format="nt", encoding="utf-8")
    return Batch(CHUNKED_GRAPH, data, ox.RdfFormat.N_TRIPLES, "chunked-test.nt", sha256_hex(data))
