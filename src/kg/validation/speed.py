"""pySHACL speed-ups, isolated here because they reach into pySHACL 0.40's internals.

Why: profiled (cProfile, bench/ingest.py, 10k-100k triples), ~85 % of a full load is
``pyshacl.validate``, spent in rdflib's default ``Memory`` store (per-triple context bookkeeping on
millions of lookups) and in pySHACL testing ``p in list`` of its constraint parameters for every
statement of every shape. :class:`ReadStore` and a hashed parameter list remove most of both: full
validations 1.4-1.7x faster with the same reports (``python bench/ingest.py``, "before / after"
column; tests/test_validation_graphs.py compares the reports both ways). ``FAST_GRAPHS = False``
turns them off.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from typing import Any

import pyshacl.shape
from rdflib import Graph, URIRef
from rdflib.plugins.stores.memory import SimpleMemory

from kg.validation.schema import Triple

#: Build pySHACL's data and shapes graphs on :class:`ReadStore` and give pySHACL a hashed lookup of
#: constraint parameters (False: plain rdflib graphs, the previous behaviour; kept for bench/ingest.py).
FAST_GRAPHS = True


class ReadStore(SimpleMemory):
    """An rdflib store for the graphs pySHACL reads: one graph, indexed, length counted on insertion.

    rdflib's default ``Memory`` store keeps per-triple context bookkeeping that pySHACL's hundreds of
    thousands of lookups pay for; ``SimpleMemory`` does not, but counts its length by a full scan and is
    refused by pySHACL's wrapper (not context-aware). Every triple is in the one graph.
    """

    context_aware = True
    graph_aware = True

    def __init__(self) -> None:
        super().__init__()
        self._triples: set[Triple] = set()
        self._graph: object = None

    def add(self, triple: Triple, context: object, quoted: bool = False) -> None:
        if self._graph is None:
            self._graph = context
        if triple not in self._triples:
            self._triples.add(triple)
            super().add(triple, context, quoted)  # type: ignore[arg-type]

    def triples(self, triple_pattern: Any, context: object = None) -> Iterator[Any]:
        """The matches, each in the one graph: pySHACL looks a blank node's graph up through its
        contexts (to name it in a message) and fails when a store reports none."""
        graphs = [self._graph] if self._graph is not None else []
        for triple, _ in super().triples(triple_pattern, context):  # type: ignore[arg-type]
            yield triple, iter(graphs)

    def remove(self, triple_pattern: object, context: object = None) -> None:
        for triple, _ in list(self.triples(triple_pattern)):
            self._triples.discard(triple)
        super().remove(triple_pattern, context)  # type: ignore[arg-type]

    def __len__(self, context: object = None) -> int:
        return len(self._triples)

    def add_graph(self, graph: Graph) -> None:
        """Named graphs are not kept apart: nothing to register."""

    def remove_graph(self, graph: Graph) -> None:
        """Named graphs are not kept apart: removing one is removing its triples."""
        self.remove((None, None, None), graph)


class _HashedParameters(list[URIRef]):
    """pySHACL's list of constraint parameters, with a set lookup: pySHACL 0.40 tests ``p in list``
    for every statement about a shape on every shape evaluation (tens of URIRef ``__eq__`` each)."""

    def __init__(self, items: Iterable[URIRef]) -> None:
        super().__init__(items)
        self._set = frozenset(self)

    def __contains__(self, item: object) -> bool:
        return item in self._set


def tune_pyshacl(fast: bool) -> None:
    """Install (or remove) the hashed parameter list pySHACL 0.40 caches in its ``shape`` module.

    This reaches into pySHACL's internals, so it is done only where they are as in 0.40; with
    another layout pySHACL is left as it is (slower, same reports)."""
    try:
        from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
    except ImportError:
        return
    if not hasattr(pyshacl.shape, "CONSTRAINT_PARAMS"):
        return
    params = _HashedParameters(ALL_CONSTRAINT_PARAMETERS) if fast else ALL_CONSTRAINT_PARAMETERS
    pyshacl.shape.CONSTRAINT_PARAMS = (params, CONSTRAINT_PARAMETERS_MAP)


def new_data_graph() -> Graph:
    """An empty graph for pySHACL to read (on :class:`ReadStore` unless ``FAST_GRAPHS`` is off)."""
    return Graph(store=ReadStore()) if FAST_GRAPHS else Graph()


@functools.lru_cache(maxsize=4)
def _fast_shapes(shapes: Graph) -> Graph:
    out = Graph(store=ReadStore())
    for prefix, namespace in shapes.namespaces():
        out.bind(prefix, namespace, override=True, replace=True)
    for triple in shapes:
        out.add(triple)
    return out


def shapes_for_pyshacl(shapes: Graph) -> Graph:
    """The shapes graph pySHACL reads: a cached :class:`ReadStore` copy unless ``FAST_GRAPHS`` is off."""
    return _fast_shapes(shapes) if FAST_GRAPHS else shapes
