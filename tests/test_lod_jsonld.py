"""The JSON-LD of descriptions (downloads and the copy embedded in every page) is built directly from
pyoxigraph's triples, without an rdflib round trip: a real JSON-LD parser (rdflib's) reads from it
exactly the triples the description holds, and exactly what the former rdflib compaction gave,
for every resource of a real on-disk store (and the hubs of the national build when
``KG_BENCH_NATIONAL`` names it); IRIs whose scheme is a term of the context keep their meaning."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.queries import QueryLibrary
from kg.settings import PROJECT_ROOT
from kg.web.lod.describe import describe
from kg.web.lod.serialize import CONTEXT, to_jsonld
from lod_helpers import BASE, build_lod_store, subjects, to_rdflib

QUERIES = QueryLibrary(PROJECT_ROOT / "queries")
XSD = "http://www.w3.org/2001/XMLSchema#"
X = ox.NamedNode(BASE + "id/collectivity/x")


def parsed(document: object) -> rdflib.Graph:
    """The triples a JSON-LD parser reads from ``document`` written as the page embeds it (``</``
    escaped as ``<\\/``, which JSON reads back as ``</``)."""
    text = json.dumps(document, ensure_ascii=False).replace("</", "<\\/")
    return rdflib.Graph().parse(data=text, format="json-ld")


def rdflib_compaction(triples: list[ox.Triple]) -> rdflib.Graph:
    """The former path, kept as the reference: N-Triples into rdflib, compacted JSON-LD out."""
    graph = to_rdflib(triples)
    text = graph.serialize(format="json-ld", context=CONTEXT, auto_compact=True)
    return rdflib.Graph().parse(data=text, format="json-ld")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ox.Store]:
    path = build_lod_store(tmp_path_factory.mktemp("jsonld") / "store")
    yield ox.Store.read_only(str(path))


def test_every_description_reads_back_as_its_triples(store: ox.Store) -> None:
    iris = subjects(store)
    assert len(iris) > 100
    for iri in iris:
        triples = describe(store, iri, queries=QUERIES).triples(f"{BASE}incoming?iri={iri}")
        document = to_jsonld(triples)
        assert document["@context"] == CONTEXT, iri
        got = parsed(document)
        assert len(got) == len(triples), iri
        assert isomorphic(got, to_rdflib(triples)), iri
        assert isomorphic(got, rdflib_compaction(triples)), iri


@pytest.mark.parametrize(
    "obj",
    [
        ox.Literal("5", datatype=ox.NamedNode(XSD + "integer")),
        ox.Literal("5.0", datatype=ox.NamedNode(XSD + "double")),
        ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")),
        ox.Literal("2024-01-31", datatype=ox.NamedNode(XSD + "date")),
        ox.Literal("odd", datatype=ox.NamedNode("http://example.org/dt")),
        ox.Literal('quote " </script> \u00e9\u2013', language="fr"),
        ox.Literal("Paris", language="en-GB"),
        ox.Literal(""),
        ox.BlankNode(),
        ox.NamedNode(BASE + "def/"),  # a namespace itself: "kgc:"
        ox.NamedNode(BASE + "def///x"),  # "kgc://x" would read as an absolute IRI
        ox.NamedNode("http://example.org/no-prefix"),
        ox.NamedNode("urn:isbn:0451450523"),
    ],
    ids=str,
)
def test_each_kind_of_term_keeps_its_meaning(obj: ox.NamedNode | ox.BlankNode | ox.Literal) -> None:
    triples = [
        ox.Triple(X, ox.NamedNode(BASE + "def/p"), obj),
        ox.Triple(X, ox.NamedNode("http://example.org/other#p"), obj),
    ]
    assert isomorphic(parsed(to_jsonld(triples)), to_rdflib(triples))


def test_an_iri_whose_scheme_is_a_context_term_is_not_read_as_a_compact_iri() -> None:
    """``geo:48.85,2.35`` (RFC 5870) is an absolute IRI, yet ``geo`` is a prefix of the context:
    the former rdflib compaction turned it into ``geosparql#48.85,2.35``."""
    point = ox.NamedNode("geo:48.85,2.35")
    triples = [
        ox.Triple(X, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso"), point),
        ox.Triple(X, ox.NamedNode(BASE + "def/p"), ox.Literal("v", language="fr")),
    ]
    got = parsed(to_jsonld(triples))
    assert (rdflib.URIRef(X.value), None, rdflib.URIRef(point.value)) in got
    assert isomorphic(got, to_rdflib(triples))


NATIONAL = os.environ.get("KG_BENCH_NATIONAL")
NATIONAL_HUBS = (
    "pas-de-calais-62",
    "nice-06088",
    "paris-75056",
    "dijon-21231",
    "bourgogne-franche-comte",
)


@pytest.mark.skipif(
    not NATIONAL or not Path(NATIONAL).is_dir(), reason="KG_BENCH_NATIONAL names no store"
)
def test_national_hub_descriptions_read_back_as_their_triples() -> None:
    assert NATIONAL is not None
    national = ox.Store.read_only(NATIONAL)
    for slug in NATIONAL_HUBS:
        iri = f"{BASE}id/collectivity/{slug}"
        triples = describe(national, iri, queries=QUERIES).triples(f"{BASE}incoming?iri={iri}")
        got = parsed(to_jsonld(triples))
        assert isomorphic(got, to_rdflib(triples)), iri
        assert isomorphic(got, rdflib_compaction(triples)), iri
