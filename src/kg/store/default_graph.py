"""The store's real default graph: the RDF merge (a set) of the data graphs, kept by every write.

pyoxigraph 0.5.13 evaluates the union default graph, and FROM merges, as a bag: a triple stated in
two named graphs comes back twice (upstream oxigraph issue #1919). So the project never queries in
union mode: the merge is materialised in the store's default graph, and every write (load, drop,
update, build, import) maintains it in the same transaction. A triple leaves the default graph only
when no remaining data graph states it. Load records (``graph/provenance``) and the SHACL shapes
(``graph/shapes``) are not data and stay out of it, nor are the candidate facts ``kg extract`` writes
under ``graph/candidates/`` until a reviewer accepts them; ``GRAPH ?g`` still ranges over every named
graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import pyoxigraph as ox

from kg.namespaces import GRAPH, PROVENANCE_GRAPH

#: Named graphs whose content is not part of the default graph.
NON_DATA_GRAPHS: frozenset[str] = frozenset({str(PROVENANCE_GRAPH), str(GRAPH["shapes"])})

#: Prefixes of named graphs that are not data either: unreviewed candidate facts (``kg extract``).
NON_DATA_PREFIXES: tuple[str, ...] = (str(GRAPH["candidates/"]),)

#: Written in the store's build stamp; a store built by an older layout is stale.
LAYOUT = 2


def is_data_graph(graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> bool:
    """True for a named graph whose triples belong to the default graph (the merge).

    >>> is_data_graph(ox.NamedNode("https://w3id.org/kgci/graph/file/data-seeds"))
    True
    >>> is_data_graph(ox.NamedNode("https://w3id.org/kgci/graph/provenance"))
    False
    >>> is_data_graph(ox.NamedNode("https://w3id.org/kgci/graph/candidates/press-release"))
    False
    >>> is_data_graph(ox.DefaultGraph())
    False
    """
    return (
        isinstance(graph, ox.NamedNode)
        and graph.value not in NON_DATA_GRAPHS
        and not graph.value.startswith(NON_DATA_PREFIXES)
    )


def _not_data_filter(variable: str) -> str:
    """A SPARQL condition true when the graph in ``variable`` is a data graph."""
    excluded = ", ".join(f"<{g}>" for g in sorted(NON_DATA_GRAPHS))
    prefixes = "".join(f' && !STRSTARTS(STR({variable}), "{p}")' for p in NON_DATA_PREFIXES)
    return f"{variable} NOT IN ({excluded}){prefixes}"


def merged(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """The quads, each followed by its default-graph copy when it is in a data graph."""
    default = ox.DefaultGraph()
    for quad in quads:
        yield quad
        if is_data_graph(quad.graph_name):
            yield ox.Quad(quad.subject, quad.predicate, quad.object, default)


def retract_update(replaced: Sequence[str]) -> str:
    """A SPARQL Update operation removing from the default graph what only ``replaced`` states.

    It must run, in the same request, before those graphs are dropped; the new content inserted
    after it puts back every triple that is still stated. Variables bound to the store's blank nodes
    reach them, which ``DELETE DATA`` cannot. The cost is a scan of the replaced graphs plus one
    index lookup per triple, whatever the size of the store.
    """
    data = sorted(g for g in set(replaced) if is_data_graph(ox.NamedNode(g)))
    if not data:
        return ""
    values = " ".join(f"<{g}>" for g in data)
    replaced_list = ", ".join(f"<{g}>" for g in data)
    return (
        "DELETE { ?s ?p ?o } WHERE {\n"
        f"  VALUES ?replaced {{ {values} }}\n"
        "  GRAPH ?replaced { ?s ?p ?o }\n"
        "  FILTER NOT EXISTS { GRAPH ?other { ?s ?p ?o } "
        f"FILTER (?other NOT IN ({replaced_list}) && {_not_data_filter('?other')}) }}\n"
        "}"
    )


def rebuild(store: ox.Store) -> None:
    """Recompute the default graph from the named graphs, in one transaction (stores built before
    the default graph was materialised, or a repair)."""
    store.update(
        "CLEAR DEFAULT ;\n"
        "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } "
        f"FILTER ({_not_data_filter('?g')}) }}"
    )


def expected(store: ox.Store) -> set[ox.Triple]:
    """The merge of the data graphs, computed from the named graphs (the oracle of the tests)."""
    return {
        ox.Triple(q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(None, None, None, None)
        if is_data_graph(q.graph_name)
    }


def actual(store: ox.Store) -> set[ox.Triple]:
    """The triples of the store's default graph."""
    return {
        ox.Triple(q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    }


def size(store: ox.Store) -> int:
    """The number of distinct triples of the dataset: those of the default graph (the merge)."""
    return sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
