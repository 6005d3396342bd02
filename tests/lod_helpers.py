"""Helpers of the linked-data tests: a store with the project's data plus a few test facts, a
server on it, and RDF comparison helpers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
import rdflib

from kg.settings import Settings
from kg.store import open_store
from kg.store.default_graph import rebuild as rebuild_default_graph
from kg.web.app import create_app
from kg.web.lod.dumps import export
from server_helpers import LiveServer, bulk_load_project, free_port

EXTRA = Path(__file__).parent / "fixtures" / "lod" / "extra.trig"
BASE = "https://w3id.org/kgci/"
HUB = BASE + "id/collectivity/lod-test-hub"
HUB_INCOMING = 230
TEST_GRAPH = BASE + "graph/import/lod-test"


def build_lod_store(path: Path) -> Path:
    """The project's ontology, vocabularies, shapes and data, plus the test facts; closed again."""
    store = open_store(path)
    bulk_load_project(store)
    store.bulk_load(path=str(EXTRA), format=ox.RdfFormat.TRIG)
    subject = ox.NamedNode(BASE + "def/subject")
    graph = ox.NamedNode(TEST_GRAPH)
    store.extend(
        ox.Quad(
            ox.NamedNode(f"{BASE}id/observation/lod-test-{i:03d}"),
            subject,
            ox.NamedNode(HUB),
            graph,
        )
        for i in range(HUB_INCOMING)
    )
    rebuild_default_graph(store)
    store.flush()
    del store
    return path


def subjects(store: ox.Store) -> list[str]:
    """Every IRI under the base that is the subject of a fact, the test hub first."""
    found = {
        q.subject.value
        for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(BASE)
    }
    return [HUB, *sorted(found - {HUB})]


def lod_settings(store: Path, tmp: Path) -> Settings:
    """Settings of a test server on ``store`` publishing dumps from ``tmp/dumps``."""
    return Settings(
        store=store, quarantine_dir=tmp / "quarantine", dumps_dir=tmp / "dumps", query_workers=1
    )


def to_rdflib(triples: Iterable[ox.Triple]) -> rdflib.Graph:
    """pyoxigraph triples as an rdflib graph (through N-Triples)."""
    graph = rdflib.Graph()
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    graph.parse(data=data, format="nt")
    return graph


def outgoing(store: ox.Store, iri: str) -> rdflib.Graph:
    """Every triple of the store with ``iri`` as subject, whatever its graph."""
    return to_rdflib({q.triple for q in store.quads_for_pattern(ox.NamedNode(iri), None, None)})


def subject_part(graph: rdflib.Graph, iri: str) -> rdflib.Graph:
    """The triples of ``graph`` with ``iri`` as subject."""
    part = rdflib.Graph()
    for triple in graph.triples((rdflib.URIRef(iri), None, None)):
        part.add(triple)
    return part


@dataclass
class Env:
    """A running test server: its URL, the (read-only) store it serves, settings and a client."""

    url: str
    store: ox.Store
    settings: Settings
    client: httpx.Client


@contextmanager
def lod_server(tmp: Path) -> Iterator[Env]:
    """Build the test store under ``tmp``, export its dumps, and serve it with a real uvicorn."""
    path = build_lod_store(tmp / "store")
    store = ox.Store.read_only(str(path))
    export(store, tmp / "dumps")
    settings = lod_settings(path, tmp)
    app = create_app(settings, store=store)
    with (
        LiveServer(app, free_port()) as server,
        httpx.Client(base_url=server.url, timeout=30) as client,
    ):
        yield Env(server.url, store, settings, client)
