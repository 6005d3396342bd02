"""Put a document's candidate graph into the store, replacing its previous version atomically.

Candidates are not facts: they go to ``graph/candidates/<document>``, which the default graph
excludes (:mod:`kg.default_graph`), and are not SHACL-validated; review decides what becomes data.
"""

from __future__ import annotations

import pyoxigraph as ox


def replace_candidates(store: ox.Store, graph: str, quads: list[ox.Quad]) -> None:
    """Drop ``graph`` and insert ``quads`` (all in ``graph``) in one SPARQL update."""
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    body = (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
    store.update(f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}")
