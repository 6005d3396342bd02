"""The pre-declared prefixes in the service description, as SHACL prefix declarations
(``sh:declare [ sh:prefix "kgc" ; sh:namespace "https://..."^^xsd:anyURI ]``), the vocabulary
SPARQL-aware tools read prefixes from."""

from __future__ import annotations

import pyoxigraph as ox

from kg import prefixes

SH = "http://www.w3.org/ns/shacl#"
XSD_ANY_URI = ox.NamedNode("http://www.w3.org/2001/XMLSchema#anyURI")


def declaration_triples(service: ox.NamedNode) -> list[ox.Triple]:
    """One ``sh:declare`` per prefix of :data:`kg.prefixes.ALL`, on ``service``."""
    triples: list[ox.Triple] = []
    for index, (name, iri) in enumerate(prefixes.ALL.items()):
        node = ox.BlankNode(f"prefix{index}")
        triples += [
            ox.Triple(service, ox.NamedNode(SH + "declare"), node),
            ox.Triple(node, ox.NamedNode(SH + "prefix"), ox.Literal(name)),
            ox.Triple(node, ox.NamedNode(SH + "namespace"), ox.Literal(iri, datatype=XSD_ANY_URI)),
        ]
    return triples
