"""What the shapes need from the ontology and vocabularies, and what they read backwards."""

from __future__ import annotations

import functools

from rdflib import RDF, RDFS, SH, SKOS, Graph, URIRef
from rdflib.term import Node

from kg import ontology
from kg.settings import Settings

Triple = tuple[Node, Node, Node]


def schema_graphs(settings: Settings) -> tuple[Graph, Graph, str]:
    """(ontology + vocabularies, shapes, shapes version), loaded and cached by :mod:`kg.ontology`."""
    return (
        ontology.ontology_graph(settings),
        ontology.shapes_graph(settings),
        str(ontology.shapes_version(settings)),
    )


def inverse_predicates(shapes: Graph) -> frozenset[str]:
    """The predicates the shapes follow backwards (``sh:path [ sh:inversePath P ]``): a batch's
    entities need the store's statements through them, not only their own."""
    return _inverse_predicates(shapes)


@functools.lru_cache(maxsize=4)
def _inverse_predicates(shapes: Graph) -> frozenset[str]:
    return frozenset(str(o) for o in shapes.objects(None, SH.inversePath) if isinstance(o, URIRef))


_HIERARCHY = (RDFS.subClassOf, RDFS.subPropertyOf)


@functools.lru_cache(maxsize=4)
def _schema_index(ont: Graph) -> tuple[tuple[Triple, ...], dict[Node, tuple[Triple, ...]]]:
    """The class/property hierarchy, and the statements about each ontology or vocabulary IRI."""
    hierarchy = tuple(t for t in ont if t[1] in _HIERARCHY)
    about: dict[Node, list[Triple]] = {}
    for t in ont:
        about.setdefault(t[0], []).append(t)
    return hierarchy, {k: tuple(v) for k, v in about.items()}


def schema_neighbourhood(ont: Graph, data: Graph) -> list[Triple]:
    """What the shapes need from the ontology and vocabularies for ``data``: the hierarchy, and the
    statements (type, scheme, labels) about the classes and concepts ``data`` mentions.

    Copying the whole vocabularies would make every batch validate every SKOS concept again.
    """
    return schema_neighbourhood_of(ont, {o for o in data.objects()} | {s for s in data.subjects()})


def schema_neighbourhood_of(ont: Graph, mentioned: set[Node]) -> list[Triple]:
    """:func:`schema_neighbourhood` for the nodes a data graph mentions (subjects and objects)."""
    hierarchy, about = _schema_index(ont)
    out = list(hierarchy)
    for node in mentioned:
        out.extend(about.get(node, ()))
    # one more hop for the concept schemes the mentioned concepts belong to
    for scheme in {
        t[2] for node in mentioned for t in about.get(node, ()) if t[1] == SKOS.inScheme
    }:
        out.extend(about.get(scheme, ()))
    # and the types of what those statements name (a broader concept is a skos:Concept), since the
    # mentioned terms are focus nodes too
    named = {t[2] for t in out} - mentioned
    out.extend(t for node in named for t in about.get(node, ()) if t[1] == RDF.type)
    return out
