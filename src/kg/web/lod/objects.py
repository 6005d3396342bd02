"""The objects one subject has for one property in the store's default graph (the merge every page
reads), by kind: the IRIs, the literals, the first of either. One reading shared by the pages,
the facets and the homonym notes, instead of a loop over ``quads_for_pattern`` in each.
"""

from __future__ import annotations

import pyoxigraph as ox


def _node(subject: str | ox.NamedNode) -> ox.NamedNode:
    return subject if isinstance(subject, ox.NamedNode) else ox.NamedNode(subject)


def iris(store: ox.Store, subject: str | ox.NamedNode, prop: ox.NamedNode) -> set[str]:
    """The IRIs ``subject`` has for ``prop``.

    >>> store = ox.Store()
    >>> s, p = ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p")
    >>> store.add(ox.Quad(s, p, ox.NamedNode("https://example.org/o")))
    >>> store.add(ox.Quad(s, p, ox.Literal("text")))
    >>> iris(store, "https://example.org/s", p)
    {'https://example.org/o'}
    """
    return {
        q.object.value
        for q in store.quads_for_pattern(_node(subject), prop, None, ox.DefaultGraph())
        if isinstance(q.object, ox.NamedNode)
    }


def literals(store: ox.Store, subject: str | ox.NamedNode, prop: ox.NamedNode) -> list[ox.Literal]:
    """The literals ``subject`` has for ``prop``, in the store's order."""
    return [
        q.object
        for q in store.quads_for_pattern(_node(subject), prop, None, ox.DefaultGraph())
        if isinstance(q.object, ox.Literal)
    ]


def first(
    store: ox.Store, subject: str | ox.NamedNode, prop: ox.NamedNode
) -> ox.Literal | ox.NamedNode | None:
    """The first IRI or literal ``subject`` has for ``prop`` (a blank node is skipped), or None."""
    for q in store.quads_for_pattern(_node(subject), prop, None, ox.DefaultGraph()):
        if isinstance(q.object, ox.Literal | ox.NamedNode):
            return q.object
    return None
