"""GEXF and GraphML exports carry latitude/longitude node attributes (what Gephi's GeoLayout reads):
the partnership graph of a store imported from the reference excerpts is exported, parsed back with
networkx, and its coordinates compared with the points of the store read by SPARQL (the oracle)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest

from importers_helpers import SHARED
from kg.geo import GEO, parse_point
from kg.importers.pipeline import ImportOptions, build_full
from kg.network import export
from kg.network.build import build
from kg.queries import QueryLibrary
from kg.settings import Settings

DIJON = "https://w3id.org/kgci/id/collectivity/dijon-21231"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    tmp = tmp_path_factory.mktemp("network-geo")
    settings = Settings(store=tmp / "store", quarantine_dir=tmp / "q")
    build_full(settings, SHARED, ImportOptions.from_shared(SHARED, None), progress=False)
    return ox.Store.read_only(str(tmp / "store"))


def oracle(store: ox.Store) -> dict[str, set[tuple[float, float]]]:
    """Every point of every place, whatever its source."""
    found: dict[str, set[tuple[float, float]]] = {}
    query = f"SELECT ?p ?w WHERE {{ ?p <{GEO}hasGeometry>/<{GEO}asWKT> ?w }}"
    for row in store.query(query):  # type: ignore[union-attr]
        point = parse_point(row["w"].value)
        assert point is not None
        found.setdefault(row["p"].value, set()).add(point)
    return found


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_export_carries_the_store_points(store: ox.Store, tmp_path: Path, fmt: str) -> None:
    graph = build("partnership", store, QueryLibrary(Settings().queries_dir)).graph
    path = tmp_path / f"g.{fmt}"
    if fmt == "gexf":
        export.write_gexf(graph, path)
        read = nx.read_gexf(path)
    else:
        export.write_graphml(graph, path)
        read = nx.read_graphml(path)
    points = oracle(store)
    placed = {n: d for n, d in read.nodes(data=True) if "latitude" in d}
    assert set(placed) == {n for n in read if n in points}
    assert DIJON in placed
    for node, attrs in placed.items():
        assert isinstance(attrs["latitude"], float) and isinstance(attrs["longitude"], float)
        assert (attrs["latitude"], attrs["longitude"]) in points[node]
    unplaced = [d for n, d in read.nodes(data=True) if n not in points]
    assert all("longitude" not in d for d in unplaced)
