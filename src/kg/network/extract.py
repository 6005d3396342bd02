"""Read what the network graphs need from the store, through the named ``network-*`` queries.

Only the facts a graph is built from cross into Python (parties, types, dates, sectors, labels), never
a copy of the RDF graph. Dates are kept at their year, whatever the source's precision (``xsd:date``,
``xsd:gYearMonth``, ``xsd:gYear`` or ``xsd:dateTime``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
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


#: The queries the partnership graph is read from. They run in threads side by side: reading the
#: store, mostly turning stored IRIs back into strings, is what takes the time. (Reading sectors
#: apart, to balance the threads, was slower: one more pass over the relations.)
RELATION_QUERIES = (
    "network-relation-facts",
    "network-relation-parties",
    "network-relation-classes",
)
ACTOR_QUERY = "network-actors"


def fetch_relations(store: ox.Store, library: QueryLibrary) -> list[Relation]:
    """Every agreement and partnership with at least one party, with types, years and sectors."""
    with collector_paused():
        return relations_from_rows(_side_by_side(store, library, RELATION_QUERIES))


def fetch_actors(store: ox.Store, library: QueryLibrary) -> dict[str, Actor]:
    """Every party of an agreement or partnership, keyed by IRI; English label first, then French."""
    with collector_paused():
        return actors_from_rows(all_rows(library, store, ACTOR_QUERY))


def fetch_relations_and_actors(
    store: ox.Store, library: QueryLibrary
) -> tuple[list[Relation], dict[str, Actor]]:
    """:func:`fetch_relations` and :func:`fetch_actors` with their four queries run side by side,
    which on a two-core machine nearly halves the time of reading them."""
    with collector_paused():
        found = _side_by_side(store, library, (*RELATION_QUERIES, ACTOR_QUERY))
        return relations_from_rows(found), actors_from_rows(found[ACTOR_QUERY])


def _side_by_side(
    store: ox.Store, library: QueryLibrary, names: tuple[str, ...]
) -> dict[str, list[list[Any]]]:
    """The rows of each named query, the queries run at once in threads.

    One thread per query rather than one per core: the operating system then keeps both cores
    busy until the end, where a pool of two would leave one idle behind the longest query."""
    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        results = pool.map(lambda name: all_rows(library, store, name), names)
        return dict(zip(names, results, strict=True))


def relations_from_rows(found: Mapping[str, list[list[Any]]]) -> list[Relation]:
    """Assemble :class:`Relation` objects from the rows of :data:`RELATION_QUERIES`.

    Only resources typed kgc:Agreement or kgc:Partnership (an agreement when typed both ways) and
    with at least one party are kept.

    >>> a = "https://w3id.org/kgci/id/agreement/a"
    >>> found = {"network-relation-parties": [[a, "y x y"]],
    ...          "network-relation-facts": [[a, "d2018-11-19 tx/twinning sv/culture"]],
    ...          "network-relation-classes": [[a, "true"]]}
    >>> r = relations_from_rows(found)[0]
    >>> r.kind, r.parties, r.types, r.sectors, r.year
    ('agreement', ('x', 'y'), {'twinning'}, {'v/culture'}, 2018)
    """
    agreement: dict[str, bool] = {}
    for iri, is_agreement in found["network-relation-classes"]:
        agreement[iri] = agreement.get(iri, False) or is_agreement == "true"
    relations: dict[str, Relation] = {}
    for iri, parties in found["network-relation-parties"]:
        if iri in agreement and parties:
            kind = "agreement" if agreement[iri] else "partnership"
            relations[iri] = Relation(iri, kind, tuple(sorted(set(parties.split()))))
    for iri, facts in found["network-relation-facts"]:
        relation = relations.get(iri)
        if relation is not None and facts:
            _add_facts(relation, facts.split())
    return sorted(relations.values(), key=lambda r: r.iri)


def _add_facts(relation: Relation, facts: list[str]) -> None:
    for fact in facts:
        tag, value = fact[0], fact[1:]
        if tag == "t":
            relation.types.add(local_name(value))
        elif tag == "s":
            relation.sectors.add(value)
        elif tag == "f":
            relation.formalises.add(value)
        elif (year := year_of(value)) is not None:
            if tag == "d":
                relation.signed = year if relation.signed is None else min(relation.signed, year)
            elif tag == "b":
                relation.started = year if relation.started is None else min(relation.started, year)
            elif tag == "e":
                relation.ended = year if relation.ended is None else max(relation.ended, year)


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
