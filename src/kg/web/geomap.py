"""The partnership network as map data: points of places (named query ``map-places``) joined to the
pairs of parties of agreements (``map-agreements``), filtered by the URL parameters of ``/map``.

An arc is drawn only when both ends have a point; the answer says how many agreements matched, how
many are drawn and how many are dated, so the map never implies more than the data holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.errors import InputError
from kg.geo import parse_point
from kg.namespaces import BASE
from kg.queries import QueryLibrary

TYPE_PREFIX = f"{BASE}vocab/agreement-type/"
#: The URL parameters of ``/map`` and ``/map/data.json``, with what each filters.
FILTERS: dict[str, str] = {
    "region": "INSEE code of the French party's région (e.g. 27)",
    "departement": "INSEE code of the French party's département (e.g. 21)",
    "country": "ISO 3166-1 alpha-2 code of the partner's country (e.g. DE)",
    "type": "agreement type, a vocab/agreement-type slug (e.g. twinning)",
    "year": "signing year (only dated agreements match)",
    "collectivity": "IRI of one collectivity: its agreements, drawn from it",
}


@dataclass(frozen=True)
class Place:
    """A place with a point."""

    iri: str
    lat: float
    lon: float
    label_fr: str
    label_en: str
    country: str | None
    departement: str | None
    region: str | None


@dataclass(frozen=True)
class Pair:
    """Two parties of one agreement."""

    agreement: str
    a: str
    b: str
    type: str | None
    year: int | None


@dataclass
class Network:
    """Every place with a point and every pair of parties, read once from the store."""

    places: dict[str, Place] = field(default_factory=dict)
    pairs: list[Pair] = field(default_factory=list)


def _text(term: Any) -> str | None:
    return term.value if term is not None else None


def _year(term: Any) -> int | None:
    if term is None:
        return None
    head = term.value.lstrip("-")[:4]
    return int(head) if head.isdigit() else None


class ReadCancelled(Exception):
    """A read of the network was abandoned because its caller stopped (the server is stopping)."""


def read_network(
    store: ox.Store, queries: QueryLibrary, should_stop: Callable[[], bool] | None = None
) -> Network:
    """Read the places and agreement pairs of the store (two named queries); ``should_stop`` is
    polled between rows so a stopping server does not wait for a read nobody needs."""
    network = Network()

    def check() -> None:
        if should_stop is not None and should_stop():
            raise ReadCancelled

    for row in queries.run(store, "map-places"):
        check()
        ranked = row["point"].value
        point = parse_point(ranked[1:])
        if point is None:
            continue
        iri = row["place"].value
        en, fr = _text(row["labelEn"]), _text(row["labelFr"])
        network.places[iri] = Place(
            iri,
            point[0],
            point[1],
            fr or en or iri,
            en or fr or iri,
            _text(row["country"]),
            _text(row["departement"]),
            _text(row["region"]),
        )
    for row in queries.run(store, "map-agreements"):
        check()
        kind = _text(row["type"])
        network.pairs.append(
            Pair(
                row["agreement"].value,
                row["a"].value,
                row["b"].value,
                kind.removeprefix(TYPE_PREFIX) if kind else None,
                _year(row["date"]),
            )
        )
    return network


def check_filters(params: dict[str, str]) -> dict[str, str]:
    """The known, non-empty filters of a request; a bad year is an :class:`InputError`."""
    found = {k: v.strip() for k, v in params.items() if k in FILTERS and v.strip()}
    year = found.get("year")
    if year is not None and not (year.lstrip("-").isdigit() and len(year.lstrip("-")) <= 4):
        raise InputError(f"year must be a year such as 2004, got {year!r}")
    if "country" in found:
        found["country"] = found["country"].upper()
    return found


def _oriented(pair: Pair, places: dict[str, Place], focus: str | None) -> tuple[str, str]:
    """The pair as (from, to): from the focus collectivity, else from the French party."""
    if focus is not None:
        return (pair.a, pair.b) if pair.a == focus else (pair.b, pair.a)
    a, b = places.get(pair.a), places.get(pair.b)
    if b is not None and b.country == "FR" and (a is None or a.country != "FR"):
        return pair.b, pair.a
    return pair.a, pair.b


def _matches(home: Place | None, partner: Place | None, pair: Pair, f: dict[str, str]) -> bool:
    if "type" in f and pair.type != f["type"]:
        return False
    if "year" in f and pair.year != int(f["year"]):
        return False
    if "country" in f and (partner is None or partner.country != f["country"]):
        return False
    if "departement" in f and (home is None or home.departement != f["departement"]):
        return False
    return not ("region" in f and (home is None or home.region != f["region"]))


def map_data(network: Network, filters: dict[str, str], lang: str = "en") -> dict[str, Any]:
    """The JSON the map draws: the places at the ends of drawn arcs, the arcs, and the counts."""
    focus = filters.get("collectivity")
    places = network.places
    arcs: dict[tuple[str, str], dict[str, Any]] = {}
    matched = dated = 0
    for pair in network.pairs:
        if focus is not None and focus not in (pair.a, pair.b):
            continue
        start, end = _oriented(pair, places, focus)
        home, partner = places.get(start), places.get(end)
        if not _matches(home, partner, pair, filters):
            continue
        matched += 1
        dated += pair.year is not None
        if home is None or partner is None:
            continue
        arc = arcs.setdefault(
            (start, end),
            {"from": start, "to": end, "agreements": [], "types": [], "years": []},
        )
        arc["agreements"].append(pair.agreement)
        if pair.type and pair.type not in arc["types"]:
            arc["types"].append(pair.type)
        if pair.year is not None and pair.year not in arc["years"]:
            arc["years"].append(pair.year)
    used = sorted(
        {end for key in arcs for end in key} | ({focus} & places.keys() if focus else set())
    )
    return {
        "filters": filters,
        "counts": {
            "agreements": matched,
            "dated": dated,
            "arcs": len(arcs),
            "places": len(used),
        },
        "places": {
            iri: {
                "label": places[iri].label_fr if lang == "fr" else places[iri].label_en,
                "lat": places[iri].lat,
                "lon": places[iri].lon,
                "country": places[iri].country,
            }
            for iri in used
        },
        "arcs": sorted(arcs.values(), key=lambda a: (a["from"], a["to"])),
    }


def options(network: Network) -> dict[str, list[str]]:
    """The values each filter can take in this store (for the form's lists)."""
    french = [p for p in network.places.values() if p.country == "FR"]
    return {
        "region": sorted({p.region for p in french if p.region}),
        "departement": sorted({p.departement for p in french if p.departement}),
        "country": sorted({p.country for p in network.places.values() if p.country}),
        "type": sorted({p.type for p in network.pairs if p.type}),
        "year": [str(y) for y in sorted({p.year for p in network.pairs if p.year is not None})],
    }
