"""GeoSPARQL terms and WKT points, shared by the importers (which write them), the network exports and
the maps (which read them).

A point is ``"POINT(lon lat)"^^geo:wktLiteral`` in CRS84 (longitude first), the GeoSPARQL default.
"""

from __future__ import annotations

GEO = "http://www.opengis.net/ont/geosparql#"
WKT_LITERAL = GEO + "wktLiteral"
GEONAMES = "geonames"
#: Which geometry a map or an export uses when a place has several: the first source key present.
PRIORITY: tuple[str, ...] = (GEONAMES, "twinnings-wikidata", "twinnings-wikipedia")


def wkt_point(lat: float, lon: float) -> str:
    """The WKT text of a point, rounded to 6 decimals (about 0.1 m).

    >>> wkt_point(47.3231, 5.0419)
    'POINT(5.0419 47.3231)'
    """
    return f"POINT({_decimal(lon)} {_decimal(lat)})"


def _decimal(value: float) -> str:
    """A plain decimal with at most 6 places (never the exponent form ``5e-05``).

    >>> _decimal(0.00005), _decimal(-8.29083333), _decimal(10.0)
    ('0.00005', '-8.290833', '10')
    """
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def parse_point(wkt: str) -> tuple[float, float] | None:
    """(latitude, longitude) of a WKT ``POINT(lon lat)``, optionally with a CRS IRI before it.

    >>> parse_point("<http://www.opengis.net/def/crs/OGC/1.3/CRS84> POINT(5.04 47.32)")
    (47.32, 5.04)
    >>> parse_point("LINESTRING(0 0, 1 1)") is None
    True
    """
    text = wkt.strip()
    if text.startswith("<"):
        text = text.split(">", 1)[-1].strip()
    if not text.upper().startswith("POINT"):
        return None
    inner = text[text.find("(") + 1 : text.rfind(")")].split()
    try:
        lon, lat = float(inner[0]), float(inner[1])
    except (IndexError, ValueError):
        return None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        return None
    return lat, lon


def key_of(geometry: str) -> str:
    """The source key of a geometry IRI (``...#geometry-KEY``).

    >>> key_of("https://w3id.org/kgci/id/collectivity/dijon-21231#geometry-geonames")
    'geonames'
    """
    return geometry.rpartition("#geometry-")[2]


def rank(geometry: str) -> int:
    """Sort key of a geometry by :data:`PRIORITY` (unknown keys last)."""
    key = key_of(geometry)
    return PRIORITY.index(key) if key in PRIORITY else len(PRIORITY)
