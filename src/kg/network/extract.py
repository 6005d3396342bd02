"""Read what the network graphs need from the store, through the named ``network-*`` queries.

Only the facts a graph is built from cross into Python (parties, types, dates, sectors, labels), never
a copy of the RDF graph. Dates are kept at their year, whatever the source's precision (``xsd:date``,
``xsd:gYearMonth``, ``xsd:gYear`` or ``xsd:dateTime``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.namespaces import BASE
from kg.network.memory import collector_paused
from kg.queries import QueryLibrary

KGC = BASE + "def/"
SCHEMA = "https://schema.org/"
COUNTRY_PREFIX = BASE + "id/country/"
_YEAR = re.compile(r"^(-?\d{4})")
_UNIT_SEPARATOR = "\x1f"  # between the values of one network-actors row

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

    iri: str  # empty when read without IRIs (see fetch_relations), unless formalised
    kind: str  # "agreement" or "partnership" ("" while being read)
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


def all_rows(library: QueryLibrary, store: ox.Store, name: str) -> list[list[Any]]:
    """Every solution of a named SELECT query, as :func:`rows` gives them.

    The solutions are serialised to SPARQL JSON inside pyoxigraph, which holds no Python lock
    while it works (unlike iterating them), so that two queries really run on two cores."""
    results = json.loads(
        library.run(store, name).serialize(format=ox.QueryResultsFormat.JSON) or b"{}"
    )
    names = results["head"]["vars"]
    return [
        [binding[var]["value"] if var in binding else None for var in names]
        for binding in results["results"]["bindings"]
    ]


#: The query the partnership graph is read from: one grouped row per relation with its parties,
#: class and facts, so that each relation IRI is turned back into a string once (reading the store
#: is mostly that). Three queries side by side (parties, facts, classes) took more wall clock time
#: and 50 % more CPU; splitting the facts in two halves to use both cores gained nothing.
RELATION_QUERY = "network-relations"
#: The same rows without the relations' IRIs, for graphs that do not name their relations.
UNNAMED_RELATION_QUERY = "network-relations-unnamed"
ACTOR_QUERY = "network-actors"


def fetch_relations(
    store: ox.Store, library: QueryLibrary, *, named: bool = True
) -> list[Relation]:
    """Every agreement and partnership with at least one party, with types, years and sectors.

    With ``named=False`` the relations' IRIs are not read (about 15 % less time on large stores),
    and are empty but for partnerships that some resource formalises; for graphs that do not name
    their relations (partnership, country)."""
    with collector_paused():
        if named:
            return relations_from_rows(all_rows(library, store, RELATION_QUERY))
        return relations_from_rows(all_rows(library, store, UNNAMED_RELATION_QUERY), named=False)


def fetch_actors(store: ox.Store, library: QueryLibrary) -> dict[str, Actor]:
    """Every party of an agreement or partnership, keyed by IRI; English label first, then French."""
    with collector_paused():
        return actors_from_rows(all_rows(library, store, ACTOR_QUERY))


def fetch_relations_and_actors(
    store: ox.Store, library: QueryLibrary
) -> tuple[list[Relation], dict[str, Actor]]:
    """:func:`fetch_relations` and :func:`fetch_actors` with their two queries run side by side,
    one per core."""
    with collector_paused(), ThreadPoolExecutor(max_workers=1) as background:
        actors = background.submit(all_rows, library, store, ACTOR_QUERY)
        relations = relations_from_rows(all_rows(library, store, RELATION_QUERY))
        return relations, actors_from_rows(actors.result())


def relations_from_rows(found: Iterable[list[Any]], *, named: bool = True) -> list[Relation]:
    """Assemble :class:`Relation` objects from the rows of :data:`RELATION_QUERY`, sorted by IRI,
    or with ``named=False`` from those of :data:`UNNAMED_RELATION_QUERY`, sorted by their facts (a
    stable order, so that the graphs built from them are the same from run to run).

    Only resources typed kgc:Agreement or kgc:Partnership (an agreement when typed both ways) and
    with at least one party are kept.

    >>> a, b = "https://w3id.org/kgci/id/agreement/a", "https://w3id.org/kgci/id/agreement/b"
    >>> found = [[a, "py px py A d2018-11-19 tx/twinning sv/culture"], [b, "px py"]]
    >>> [r] = relations_from_rows(found)
    >>> r.iri == a, r.kind, r.parties, r.types, r.sectors, r.year
    (True, 'agreement', ('x', 'y'), {'twinning'}, {'v/culture'}, 2018)
    >>> [r.iri for r in relations_from_rows([["P pa pb"], ["P pc pd i" + b]], named=False)]
    ['', 'https://w3id.org/kgci/id/agreement/b']
    """
    relations: list[Relation] = []
    for row in found if named else sorted(found, key=lambda row: row[0] or ""):
        relation = Relation(row[0] if named else "", "", ())
        parties = _add_facts(relation, (row[-1] or "").split())
        if parties and relation.kind:
            relation.parties = tuple(sorted(parties))
            relations.append(relation)
    if named:
        relations.sort(key=lambda r: r.iri)
    return relations


def _add_facts(relation: Relation, facts: list[str]) -> set[str]:
    """Set the kind, types, sectors, formalised partnerships and years of ``relation`` from its
    tagged values; return its parties."""
    parties: set[str] = set()
    for fact in facts:
        tag, value = fact[0], fact[1:]
        if tag == "p":
            parties.add(value)
        elif tag == "A":
            relation.kind = "agreement"
        elif tag == "P":
            relation.kind = relation.kind or "partnership"
        elif tag == "t":
            relation.types.add(local_name(value))
        elif tag == "s":
            relation.sectors.add(value)
        elif tag == "f":
            relation.formalises.add(value)
        elif tag == "i":
            relation.iri = value
        elif (year := year_of(value)) is not None:
            if tag == "d":
                relation.signed = year if relation.signed is None else min(relation.signed, year)
            elif tag == "b":
                relation.started = year if relation.started is None else min(relation.started, year)
            elif tag == "e":
                relation.ended = year if relation.ended is None else max(relation.ended, year)
    return parties


def _kind(classes: set[str], iri: str) -> str:
    for cls, kind in _KINDS:
        if cls in classes:
            return kind
    return "country" if iri.startswith(COUNTRY_PREFIX) else "organisation"


def actors_from_rows(found: Iterable[list[Any]]) -> dict[str, Actor]:
    """Assemble :class:`Actor` objects from the rows of ``network-actors``: the English label
    first, then the French one, then any; the smallest value where the store gives several.

    >>> row = ["https://w3id.org/kgci/id/collectivity/x", "\x1f".join(
    ...     ["lfr@Ville", "len-gb@Town", "n@https://w3id.org/kgci/id/country/jp",
    ...      "c@https://w3id.org/kgci/def/Collectivity"])]
    >>> actor = actors_from_rows([row])["https://w3id.org/kgci/id/collectivity/x"]
    >>> actor.label, actor.kind, actor.country, actor.scope
    ('Town', 'collectivity', 'jp', 'foreign')
    """
    actors: dict[str, Actor] = {}
    for iri, facts in found:
        classes: set[str] = set()
        labels: dict[str, list[str]] = {"en": [], "fr": [], "": []}
        countries: list[str] = []
        types: list[str] = []
        for fact in (facts or "").split(_UNIT_SEPARATOR):
            tag = fact[:1]
            lang, _, value = fact[1:].partition("@")
            if tag == "c":
                classes.add(value)
            elif tag == "l":
                primary = lang.split("-")[0].lower()
                if primary in ("en", "fr"):
                    labels[primary].append(value)
                labels[""].append(value)
            elif tag == "n":
                countries.append(value)
            elif tag == "t":
                types.append(value)
        kind = _kind(classes, iri)
        label = next((min(texts) for texts in labels.values() if texts), local_name(iri))
        country = min(countries) if countries else None
        actors[iri] = Actor(
            iri=iri,
            label=label,
            kind=kind,
            country=country_code(iri) if kind == "country" else country_code(country),
            collectivity_type=local_name(min(types)) if types else None,
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
