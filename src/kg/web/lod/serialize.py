"""Writing descriptions in every RDF format the server speaks, with the project's prefixes; JSON-LD
is compacted with the published ``@context`` (served at ``/context.jsonld``)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
import rdflib

from kg.namespaces import PREFIXES
from kg.web.negotiation import Format, rdf_format

#: The JSON-LD context published at ``/context.jsonld`` and used to compact JSON-LD answers.
CONTEXT: dict[str, Any] = {
    **PREFIXES,
    "void": "http://rdfs.org/ns/void#",
    "label": {"@id": "http://www.w3.org/2000/01/rdf-schema#label", "@container": "@language"},
}


def context_document() -> dict[str, Any]:
    """The JSON-LD context document."""
    return {"@context": CONTEXT}


def serialize_triples(triples: Iterable[ox.Triple], fmt: Format) -> bytes:
    """``triples`` in ``fmt`` (Turtle, N-Triples, RDF/XML with prefixes; JSON-LD compacted)."""
    if fmt.name == "jsonld":
        return json.dumps(to_jsonld(triples), ensure_ascii=False, indent=2).encode("utf-8")
    prefixes = PREFIXES if fmt.name in ("turtle", "rdfxml", "trig") else None
    data = ox.serialize(triples, format=rdf_format(fmt), prefixes=prefixes)
    assert data is not None  # no output target: the bytes are returned
    return data


def serialize_quads(quads: Iterable[ox.Quad], fmt: Format) -> bytes:
    """``quads`` in a dataset format (TriG or N-Quads), each fact in the graph of its source."""
    prefixes = PREFIXES if fmt.name == "trig" else None
    data = ox.serialize(quads, format=rdf_format(fmt), prefixes=prefixes)
    assert data is not None
    return data


def to_jsonld(triples: Iterable[ox.Triple]) -> Any:
    """``triples`` as a compacted JSON-LD document whose context is :data:`CONTEXT`."""
    nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    graph = rdflib.Graph()
    graph.parse(data=nt, format="nt")
    text = graph.serialize(format="json-ld", context=CONTEXT, auto_compact=True)
    return json.loads(text)
