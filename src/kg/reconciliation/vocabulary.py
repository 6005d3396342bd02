"""The types and properties the reconciliation service offers, as registries (id -> definition)."""

from __future__ import annotations

from dataclasses import dataclass

from kg.importers.ntriples import KGC, OWL, RDF_TYPE, SCHEMA, VOCAB

COLLECTIVITY_TYPE = VOCAB + "collectivity-type/"


@dataclass(frozen=True)
class Type:
    """A type a query may restrict to: a class or a collectivity type (an IRI either way)."""

    id: str
    name: str


@dataclass(frozen=True)
class Property:
    """A property: ``predicate`` is what it reads in the store (None: computed, e.g. partners);
    ``entity`` tells whether its values are entities (with labels) rather than literals."""

    id: str
    name: str
    predicate: str | None
    entity: bool = False
    description: str = ""


TYPES: dict[str, Type] = {
    t.id: t
    for t in (
        Type(KGC + "Collectivity", "Collectivity"),
        Type(COLLECTIVITY_TYPE + "commune", "Commune"),
        Type(COLLECTIVITY_TYPE + "arrondissement-municipal", "Arrondissement municipal"),
        Type(COLLECTIVITY_TYPE + "departement", "Département"),
        Type(COLLECTIVITY_TYPE + "region", "Région"),
        Type(COLLECTIVITY_TYPE + "collectivite-unique", "Collectivité unique"),
        Type(
            COLLECTIVITY_TYPE + "collectivite-a-statut-particulier",
            "Collectivité à statut particulier",
        ),
        Type(COLLECTIVITY_TYPE + "municipality", "Foreign municipality (place)"),
        Type(SCHEMA + "Country", "Country"),
    )
}
DEFAULT_TYPE = TYPES[KGC + "Collectivity"]

PROPERTIES: dict[str, Property] = {
    p.id: p
    for p in (
        Property(
            "inseeCommuneCode",
            "INSEE commune code",
            KGC + "inseeCommuneCode",
            description="COG code of a commune or municipal arrondissement (5 characters)",
        ),
        Property(
            "inseeDepartementCode",
            "INSEE département code",
            KGC + "inseeDepartementCode",
            description="COG code of a département (the 94 of Val-de-Marne)",
        ),
        Property(
            "inseeRegionCode",
            "INSEE région code",
            KGC + "inseeRegionCode",
            description="COG code of a région (the 94 of Corse)",
        ),
        Property("sirenCode", "SIREN", KGC + "sirenCode", description="SIRENE number"),
        Property(
            "departement",
            "Département",
            KGC + "locatedIn",
            True,
            "INSEE département code of the département",
        ),
        Property("region", "Région", None, True, "INSEE région code of the région"),
        Property("country", "Country", KGC + "country", True, "country name or ISO 3166 code"),
        Property("population", "Population", KGC + "population"),
        Property("coordinates", "Coordinates", None, description="'lat,lng' of the source"),
        Property("geonames", "GeoNames id", OWL + "sameAs"),
        Property("type", "Type", RDF_TYPE, True),
        Property("partners", "Partners", None, True, "other parties of its agreements"),
    )
}

#: Properties a data extension can fetch (coordinates are a query hint only: the store has none).
EXTENSIBLE = (
    "inseeCommuneCode",
    "inseeDepartementCode",
    "inseeRegionCode",
    "sirenCode",
    "population",
    "departement",
    "country",
    "geonames",
    "partners",
)
