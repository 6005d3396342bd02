"""Writing descriptions in every RDF format the server speaks, with the project's prefixes; JSON-LD
is compacted with the published ``@context`` (served at ``/context.jsonld``)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import pyoxigraph as ox

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
    """``triples`` as a compacted JSON-LD document whose context is :data:`CONTEXT`, built directly
    (one node object per subject, compact IRIs from the context's prefixes, every literal with its
    language or datatype): the same triples as a JSON-LD library's compaction, without its cost.
    When an IRI's scheme is a term of the context (``geo:...`` would read as a compact IRI), the
    document is Oxigraph's expanded JSON-LD, without context, so that no IRI changes meaning."""
    triples = list(triples)
    try:
        nodes: dict[str, dict[str, Any]] = {}
        for triple in triples:
            subject = _ref(triple.subject)
            node = nodes.setdefault(subject, {"@id": subject})
            node.setdefault(_compact(triple.predicate.value), []).append(_value(triple.object))
    except _SchemeClash:
        data = ox.serialize(triples, format=ox.RdfFormat.JSON_LD)
        assert data is not None
        return json.loads(data)
    return {"@context": CONTEXT, "@graph": list(nodes.values())}


class _SchemeClash(Exception):
    """An absolute IRI whose scheme is a term of :data:`CONTEXT`."""


#: Namespaces of :data:`CONTEXT`'s prefixes, longest first (the most specific prefix wins).
_NAMESPACES = sorted(
    ((ns, name) for name, ns in CONTEXT.items() if isinstance(ns, str)),
    key=lambda item: -len(item[0]),
)
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@lru_cache(maxsize=65_536)
def _compact(iri: str) -> str:
    """``iri`` as ``prefix:local`` when a prefix of the context applies, else whole; a whole IRI
    whose scheme is a term of the context raises :class:`_SchemeClash`. Memoised: pages repeat
    the same properties, classes and neighbours.

    >>> _compact("https://w3id.org/kgci/def/party"), _compact("http://example.org/x")
    ('kgc:party', 'http://example.org/x')
    """
    for ns, name in _NAMESPACES:
        if iri.startswith(ns) and not iri[len(ns) :].startswith("//"):
            return f"{name}:{iri[len(ns) :]}"
    if iri.partition(":")[0] in CONTEXT:
        raise _SchemeClash(iri)
    return iri


def _ref(term: ox.NamedNode | ox.BlankNode | ox.Triple) -> str:
    """The ``@id`` of a subject or object node."""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode):
        return _compact(term.value)
    raise TypeError(f"RDF-star triple terms have no JSON-LD form: {term}")


def _value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> dict[str, str]:
    """The JSON-LD value object of an object term."""
    if not isinstance(term, ox.Literal):
        return {"@id": _ref(term)}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    datatype = term.datatype.value
    if datatype in (_XSD_STRING, _LANG_STRING):
        return {"@value": term.value}
    return {"@value": term.value, "@type": _compact(datatype)}
