"""`kg drop`: remove a named graph in one transaction, keeping the default graph and the history.

A graph whose entities other graphs still refer to (the COG import under the twinnings, say) is not
dropped unless forced: the references would dangle. The drop is recorded as a PROV activity that
invalidates the graph's current version; nothing is deleted from the provenance graph.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kg.errors import ConflictError, NotFoundError
from kg.ingest import records as load_records
from kg.queries import QueryLibrary

#: How many dangling entities the refusal names before summarising the rest.
SHOWN = 10


@dataclass(frozen=True)
class Dangling:
    """An entity described only in the dropped graph, and a graph that refers to it."""

    entity: str
    graph: str
    references: int


def dangling(store: ox.Store, queries: QueryLibrary, graph: str) -> list[Dangling]:
    """What dropping ``graph`` would leave dangling, sorted by entity."""
    return [
        Dangling(row["entity"].value, row["graph"].value, int(row["references"].value))
        for row in queries.run(store, "ingest-dangling-on-drop", dropped=graph)
    ]


def drop_graph(
    store: ox.Store, queries: QueryLibrary, graph: str, *, force: bool = False
) -> list[Dangling]:
    """Drop ``graph``; refuse with :class:`ConflictError` if that leaves references dangling, unless
    ``force``. Returns what was left dangling (empty unless forced)."""
    if not store.contains_named_graph(ox.NamedNode(graph)):
        raise NotFoundError(f"there is no graph {graph} in the store; see `kg graphs`")
    left = dangling(store, queries, graph)
    if left and not force:
        entities = sorted({d.entity for d in left})
        shown = "; ".join(
            f"{d.entity} ({d.references} reference{'s' if d.references != 1 else ''} in {d.graph})"
            for d in left
            if d.entity in entities[:SHOWN]
        )
        more = f" and {len(entities) - SHOWN} more" if len(entities) > SHOWN else ""
        raise ConflictError(
            f"dropping {graph} would leave {len(entities)} entities that other graphs refer to "
            f"without any description: {shown}{more}; drop or reload those graphs first, "
            "or use --force"
        )
    now = load_records.timestamp()
    record = load_records.drop_record([graph], now)
    ended = load_records.invalidations(store, queries, [graph], now, {graph: record.iri})
    store.update(load_records.replace_update([graph], [graph], [*record.quads, *ended]))
    return left
