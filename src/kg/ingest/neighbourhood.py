"""What to pull from the store to validate a batch: the statements about each IRI the batch mentions.

For every IRI of the project's entity space (``id/``) that a batch mentions, as subject or object, one
point lookup on the store's subject index (``quads_for_pattern(iri, None, None)``, about 70 µs, three
times faster than the same lookup as a SPARQL query) returns the statements the store already holds
about it: its type, labels, codes, dates and links, which is what the shapes look at. Statements in the graphs the batch replaces are left
out, since they are about to disappear. The cost grows with the number of IRIs in the batch, not with the
size of the store. The statements that point at an entity through a predicate the shapes read backwards
(``sh:inversePath``) are pulled too, then the closure of the blank nodes reached, then the
``rdf:type`` of every other entity named (a type-only hop), since ``sh:class`` looks at them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from kg.namespaces import BASE

ENTITY_SPACE = BASE + "id/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@dataclass(frozen=True)
class Neighbourhood:
    """Statements pulled from the store for a batch, and the IRIs found to exist there."""

    quads: tuple[ox.Quad, ...]
    known: frozenset[str]


def mentioned_iris(quads: Iterable[ox.Quad]) -> list[str]:
    """IRIs of the entity space mentioned by ``quads`` as subject or object, sorted.

    >>> q = ox.Quad(ox.NamedNode(ENTITY_SPACE + "a/b"), ox.NamedNode("http://e/p"),
    ...             ox.NamedNode(ENTITY_SPACE + "c/d"))
    >>> [iri.rsplit("/id/", 1)[1] for iri in mentioned_iris([q])]
    ['a/b', 'c/d']
    """
    found: set[str] = set()
    for q in quads:
        for term in (q.subject, q.object):
            if isinstance(term, ox.NamedNode) and term.value.startswith(ENTITY_SPACE):
                found.add(term.value)
    return sorted(found)


def pull(
    store: ox.Store,
    batch: Sequence[ox.Quad],
    replaced_graphs: Iterable[str],
    inverse: Iterable[str] = (),
) -> Neighbourhood:
    """The statements the store holds about the entities ``batch`` mentions, outside ``replaced_graphs``.

    For each entity: its own statements; the statements pointing at it through the ``inverse``
    predicates (those the shapes read backwards, ``sh:inversePath``); the closure of the blank nodes
    so reached (qualified participations...); and the types of every other node those statements
    name, which ``sh:class`` looks at. Point lookups only: the cost follows the batch, not the store.
    """
    skip = set(replaced_graphs)
    backwards = [ox.NamedNode(p) for p in sorted(set(inverse))]
    pulled: dict[ox.Quad, None] = {}
    known: set[str] = set()
    mentioned = mentioned_iris(batch)
    for iri in mentioned:
        node = ox.NamedNode(iri)
        for quad in _kept(store.quads_for_pattern(node, None, None), skip):
            known.add(iri)
            pulled[quad] = None
        for predicate in backwards:
            pulled.update(
                dict.fromkeys(_kept(store.quads_for_pattern(None, predicate, node), skip))
            )
    _close_blank_nodes(store, pulled, skip, backwards)
    seen = set(mentioned)
    others = {
        t.value
        for q in pulled
        for t in (q.subject, q.object)
        if isinstance(t, ox.NamedNode) and t.value.startswith(ENTITY_SPACE) and t.value not in seen
    }
    for iri in sorted(others):
        pulled.update(
            dict.fromkeys(_kept(store.quads_for_pattern(ox.NamedNode(iri), RDF_TYPE, None), skip))
        )
    return Neighbourhood(quads=tuple(pulled), known=frozenset(known))


def _close_blank_nodes(
    store: ox.Store, pulled: dict[ox.Quad, None], skip: set[str], backwards: list[ox.NamedNode]
) -> None:
    """Add the statements of every blank node the pulled statements name, transitively."""
    done: set[ox.BlankNode] = set()
    todo = [t for q in pulled for t in (q.subject, q.object) if isinstance(t, ox.BlankNode)]
    while todo:
        node = todo.pop()
        if node in done:
            continue
        done.add(node)
        found = list(_kept(store.quads_for_pattern(node, None, None), skip))
        for predicate in backwards:
            found += _kept(store.quads_for_pattern(None, predicate, node), skip)
        for quad in found:
            if quad not in pulled:
                pulled[quad] = None
                todo += [t for t in (quad.subject, quad.object) if isinstance(t, ox.BlankNode)]


def _kept(quads: Iterable[ox.Quad], skip: set[str]) -> Iterable[ox.Quad]:
    """The quads that are not in one of the ``skip`` graphs."""
    for quad in quads:
        graph = quad.graph_name
        if isinstance(graph, ox.DefaultGraph):
            continue  # the merge repeats the named graphs' statements, replaced ones included
        if not (isinstance(graph, ox.NamedNode) and graph.value in skip):
            yield quad


def described(quads: Iterable[ox.Quad]) -> set[str]:
    """IRIs that are the subject of at least one of ``quads``."""
    return {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}
