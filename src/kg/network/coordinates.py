"""Latitude and longitude of the nodes of a partnership graph, so Gephi's GeoLayout can place them.

Each node that is a place with a GeoSPARQL point (named query ``map-places``: GeoNames first, then
the twinning sources) gets ``latitude`` and ``longitude`` attributes (WGS84 degrees, doubles); nodes
without a point get none, rather than a made-up position.
"""

from __future__ import annotations

import networkx as nx
import pyoxigraph as ox

from kg.geo import parse_point
from kg.queries import QueryLibrary


def points(store: ox.Store, library: QueryLibrary) -> dict[str, tuple[float, float]]:
    """IRI -> (latitude, longitude) of every place with a point."""
    found: dict[str, tuple[float, float]] = {}
    for row in library.run(store, "map-places"):
        point = parse_point(row["point"].value[1:])  # the first character is the source's rank
        if point is not None:
            found[row["place"].value] = point
    return found


def add_coordinates(graph: nx.Graph, store: ox.Store, library: QueryLibrary) -> int:
    """Set ``latitude``/``longitude`` on the nodes that have a point; return how many."""
    placed = 0
    for iri, (lat, lon) in points(store, library).items():
        if iri in graph:
            graph.nodes[iri]["latitude"] = lat
            graph.nodes[iri]["longitude"] = lon
            placed += 1
    return placed
