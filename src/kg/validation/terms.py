"""pyoxigraph terms as the rdflib terms pySHACL reads, and the text of a shape's or result's message."""

from __future__ import annotations

import functools

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node


@functools.lru_cache(maxsize=1 << 17)
def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    """Convert a pyoxigraph term to rdflib (cached: batches repeat their IRIs a lot)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            # RDF 1.1: "x" and "x"^^xsd:string are one term; rdflib keeps them apart, and the
            # shapes (parsed by rdflib) hold the plain form, so sh:hasValue and sh:in need it too.
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"RDF-star triples are not supported: {term}")


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def english_text(graph: Graph, node: Node, predicate: URIRef) -> str:
    """The English value of ``predicate`` on ``node`` when there are several languages, else the
    first in order (messages are written in French and English; reports and logs speak English)."""
    messages = list(graph.objects(node, predicate))
    english = [m for m in messages if isinstance(m, Literal) and m.language == "en"]
    if english:
        return str(english[0])
    return str(sorted(messages, key=str)[0]) if messages else ""
