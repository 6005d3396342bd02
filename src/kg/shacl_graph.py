"""An rdflib graph backed by an in-memory pyoxigraph store, for pyshacl to read a batch quickly.

Copying a large batch into an rdflib ``Memory`` store costs ~35 µs a triple (most of the time of a
full validation); here quads stay in Oxigraph and only the triples pyshacl asks for are converted.
The graph is always truthy: pyshacl evaluates ``data_graph or ...``, which would otherwise call
``__len__`` and scan the store.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.store import Store
from rdflib.term import Node

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


@functools.lru_cache(maxsize=1 << 17)
def to_rdflib(term: OxTerm) -> Node:
    """Convert a pyoxigraph term to rdflib."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"RDF-star triples are not supported: {term}")


@functools.lru_cache(maxsize=1 << 16)
def to_ox(term: Node) -> OxTerm:
    """Convert an rdflib term to pyoxigraph."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to an Oxigraph term")


class OxigraphStore(Store):  # type: ignore[misc]
    """A read-mostly rdflib store over the default graph of a pyoxigraph store."""

    context_aware = True
    formula_aware = False
    transaction_aware = False
    graph_aware = True

    def __init__(self, store: ox.Store) -> None:
        super().__init__()
        self.ox = store

    def triples(  # type: ignore[override]
        self, triple_pattern: tuple[Node | None, Node | None, Node | None], context: Any = None
    ) -> Iterator[tuple[tuple[Node, Node, Node], Iterator[Any]]]:
        s, p, o = triple_pattern
        try:
            pattern = [None if t is None else to_ox(t) for t in (s, p, o)]
        except TypeError:  # e.g. a path or variable: no match in plain data
            return
        if pattern[0] is not None and isinstance(pattern[0], ox.Literal):
            return
        if pattern[1] is not None and not isinstance(pattern[1], ox.NamedNode):
            return
        for quad in self.ox.quads_for_pattern(
            pattern[0],
            pattern[1],
            pattern[2],
            ox.DefaultGraph(),  # type: ignore[arg-type]
        ):
            yield (
                (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)),
                iter(()),
            )

    def add(
        self, triple: tuple[Node, Node, Node], context: Any = None, quoted: bool = False
    ) -> None:
        s, p, o = (to_ox(t) for t in triple)
        self.ox.add(ox.Quad(s, p, o))  # type: ignore[arg-type]

    def remove(
        self, triple: tuple[Node | None, Node | None, Node | None], context: Any = None
    ) -> None:
        for (s, p, o), _ in list(self.triples(triple)):
            self.ox.remove(ox.Quad(to_ox(s), to_ox(p), to_ox(o)))  # type: ignore[arg-type]

    def __len__(self, context: Any = None) -> int:
        return len(self.ox)

    def contexts(self, triple: Any = None) -> Iterator[Any]:  # type: ignore[override]
        return iter(())

    def add_graph(self, graph: Any) -> None:
        """Graphs are not tracked: everything lives in one default graph."""

    def remove_graph(self, graph: Any) -> None:
        """Graphs are not tracked: everything lives in one default graph."""


class OxigraphGraph(Graph):
    """An rdflib graph over an in-memory pyoxigraph store; always truthy."""

    def __init__(self, quads: Iterable[ox.Quad] = ()) -> None:
        self.ox_store = ox.Store()
        self.ox_store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
        super().__init__(store=OxigraphStore(self.ox_store))

    def __bool__(self) -> bool:
        return True
