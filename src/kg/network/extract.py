"""Read what the network graphs need from the store, through the named ``network-*`` queries.

Only the facts a graph is built from cross into Python (parties, types, dates, sectors, labels), never
a copy of the RDF graph. Dates are kept at their year, whatever the source's precision (``xsd:date``,
``xsd:gYearMonth``, ``xsd:gYear`` or ``xsd:dateTime``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.namespaces import BASE
from kg.queries import QueryLibrary

KGC = BASE + "def/"
SCHEMA = "https://schema.org/"
COUNTRY_PREFIX = BASE + "id/country/"
_YEAR = re.compile(r"^(-?\d{4})")

#: Node kinds, from the most specific class a party has.
_KINDS = (
    (KGC + "Collectivity", "collectivity"),
    (SCHEMA + "Country", "country"),
    ("http://xmlns.com/foaf/0.1/Person", "person"),
)


def year_of(value: str | None) -> int | None:
    """The year of a date literal at any precision, or None.

    >>> year_of("2018-11-19"), year_of("2018-06"), year_of("2016"), year_of(None)
    (2018, 2018, 2016, None)
    """
    if not value:
        return None
    match = _YEAR.match(value)
    return int(match.group(1)) if match else None


def local_name(iri: str) -> str:
    """The last path segment of an IRI, used as a short readable value.

    >>> local_name("https://w3id.org/kgci/vocab/sector/culture")
    'culture'
    """
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def country_code(iri: str | None) -> str | None:
    """The ISO 3166-1 alpha-2 code of a ``id/country/<iso2>`` IRI, lower case.

    >>> country_code("https://w3id.org/kgci/id/country/fr"), country_code(None)
    ('fr', None)
    """
    if iri is None or not iri.startswith(COUNTRY_PREFIX):
        return None
    return iri[len(COUNTRY_PREFIX) :].lower()


@dataclass
class Relation:
    """An agreement or a partnership: its parties and what the network keeps of it."""

    iri: str
    kind: str  # "agreement" or "partnership"
    parties: tuple[str, ...]
    types: set[str] = field(default_factory=set)  # agreement-type slugs
    sectors: set[str] = field(default_factory=set)  # concept IRIs
    formalises: set[str] = field(default_factory=set)
    signed: int | None = None
    started: int | None = None
    ended: int | None = None

    @property
    def year(self) -> int | None:
        """Year of signature, else of start: when the relation enters the network."""
        return self.signed if self.signed is not None else self.started

    def active_in(self, year: int) -> bool:
        """Whether the relation exists as of the end of ``year`` (dated, begun, not ended)."""
        begun = self.year
        return begun is not None and begun <= year and (self.ended is None or self.ended >= year)


@dataclass
class Actor:
    """A party to agreements or partnerships: a node of the partnership graph."""

    iri: str
    label: str
    kind: str  # collectivity, country, person or organisation
    country: str | None = None  # ISO 3166-1 alpha-2, lower case
    collectivity_type: str | None = None

    @property
    def scope(self) -> str:
        """``french``, ``foreign`` or ``unknown`` (no country stated)."""
        if self.country is None:
            return "unknown"
        return "french" if self.country == "fr" else "foreign"

    def attributes(self) -> dict[str, str]:
        """Node attributes for networkx, leaving out what is unknown (GEXF has no null)."""
        attrs = {"label": self.label, "kind": self.kind, "scope": self.scope}
        if self.country:
            attrs["country"] = self.country
        if self.collectivity_type:
            attrs["collectivity_type"] = self.collectivity_type
        return attrs


def rows(library: QueryLibrary, store: ox.Store, name: str, **values: str) -> Iterator[list[Any]]:
    """Run a named SELECT query and yield each solution as a list of plain strings (None if unbound)."""
    solutions = library.run(store, name, **values)
    for solution in solutions:
        yield [term.value if term is not None else None for term in solution]


def fetch_relations(store: ox.Store, library: QueryLibrary) -> list[Relation]:
    """Every agreement and partnership with at least one party, with types, years and sectors."""
    relations: dict[str, Relation] = {}
    for iri, cls, parties in rows(library, store, "network-relation-parties"):
        kind = "agreement" if cls == KGC + "Agreement" else "partnership"
        known = relations.get(iri)
        if known is not None:  # typed both ways: an agreement wins
            if kind == "agreement":
                known.kind = kind
            continue
        relations[iri] = Relation(iri, kind, tuple(sorted(set(parties.split()))))
    for iri, prop, value in rows(library, store, "network-relation-facts"):
        relation = relations.get(iri)
        if relation is None:
            continue
        name = local_name(prop)
        if name == "agreementType":
            relation.types.add(local_name(value))
        elif name == "sector":
            relation.sectors.add(value)
        elif name == "formalises":
            relation.formalises.add(value)
        else:
            year = year_of(value)
            if year is None:
                continue
            if name == "signingDate":
                relation.signed = year if relation.signed is None else min(relation.signed, year)
            elif name == "startDate":
                relation.started = year if relation.started is None else min(relation.started, year)
            elif name == "endDate":
                relation.ended = year if relation.ended is None else max(relation.ended, year)
    return sorted(relations.values(), key=lambda r: r.iri)


def _kind(classes: str | None, iri: str) -> str:
    found = set((classes or "").split())
    for cls, kind in _KINDS:
        if cls in found:
            return kind
    return "country" if iri.startswith(COUNTRY_PREFIX) else "organisation"


def fetch_actors(store: ox.Store, library: QueryLibrary) -> dict[str, Actor]:
    """Every party of an agreement or partnership, keyed by IRI; English label first, then French."""
    actors: dict[str, Actor] = {}
    for iri, classes, en, fr, anything, country, ctype in rows(library, store, "network-actors"):
        kind = _kind(classes, iri)
        code = country_code(iri) if kind == "country" else country_code(country)
        actors[iri] = Actor(
            iri=iri,
            label=en or fr or anything or local_name(iri),
            kind=kind,
            country=code,
            collectivity_type=local_name(ctype) if ctype else None,
        )
    return actors


def fetch_concept_labels(
    store: ox.Store, library: QueryLibrary
) -> dict[str, tuple[str, str | None]]:
    """Label and broader concept of every SKOS concept and country, keyed by IRI."""
    labels: dict[str, tuple[str, str | None]] = {}
    for iri, en, fr, broader in rows(library, store, "network-concept-labels"):
        labels[iri] = (en or fr or local_name(iri), broader)
    return labels
