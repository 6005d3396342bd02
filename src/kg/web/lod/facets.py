"""Facets of a list of resources (``/browse``, ``/search``): a registry of named facets, each reading
the values of one resource from the store's default graph (class, collectivity type, région or
département, country, sector, agreement type, year, source graph), the counts of each value over
the list, and the filtering of the list by URL parameters (``?country=<iri>&year=2019``), so a
filtered view is a link to share and its CSV/JSON export applies the same filters.

The values of a whole list are read once per catalogue snapshot and list (cached by the caller's
key), then counting and filtering are set operations in memory.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from kg.namespaces import ID, KGC

TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
PROV_DERIVED = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
SCHEMA_START = ox.NamedNode("https://schema.org/startDate")
LOCATED_IN = ox.NamedNode(f"{KGC}locatedIn")
COUNTRY = ox.NamedNode(f"{KGC}country")
PARTY = ox.NamedNode(f"{KGC}party")
SIGNING_DATE = ox.NamedNode(f"{KGC}signingDate")
COUNTRY_IRI = f"{ID}country/"

Reader = Callable[[ox.Store, ox.NamedNode], set[str]]
Values = dict[str, frozenset[str]]


def _objects(store: ox.Store, subject: ox.NamedNode, prop: ox.NamedNode) -> set[str]:
    return {
        q.object.value
        for q in store.quads_for_pattern(subject, prop, None, ox.DefaultGraph())
        if isinstance(q.object, ox.NamedNode)
    }


def _property(prop: str) -> Reader:
    node = ox.NamedNode(prop)
    return lambda store, subject: _objects(store, subject, node)


def _within(store: ox.Store, subject: ox.NamedNode) -> set[str]:
    """The places a resource lies in, two levels up (a commune's département and région)."""
    first = _objects(store, subject, LOCATED_IN)
    second = {up for place in first for up in _objects(store, ox.NamedNode(place), LOCATED_IN)}
    return first | second


def _countries(store: ox.Store, subject: ox.NamedNode) -> set[str]:
    """Its own country, or (an agreement, a partnership) the countries of its parties."""
    own = _objects(store, subject, COUNTRY)
    if own:
        return own
    found: set[str] = set()
    for party in _objects(store, subject, PARTY):
        found |= (
            {party}
            if party.startswith(COUNTRY_IRI)
            else _objects(store, ox.NamedNode(party), COUNTRY)
        )
    return found


def _years(store: ox.Store, subject: ox.NamedNode) -> set[str]:
    """The year of its signing date or start date (the first four digits of the lexical form)."""
    years = set()
    for prop in (SIGNING_DATE, SCHEMA_START):
        for q in store.quads_for_pattern(subject, prop, None, ox.DefaultGraph()):
            if isinstance(q.object, ox.Literal) and q.object.value[:4].isdigit():
                years.add(q.object.value[:4])
    return years


def _sources(store: ox.Store, subject: ox.NamedNode) -> set[str]:
    """The named graphs that type it (where it comes from) and the datasets it is derived from."""
    graphs = {
        q.graph_name.value
        for q in store.quads_for_pattern(subject, TYPE, None, None)
        if isinstance(q.graph_name, ox.NamedNode)
    }
    return graphs | _objects(store, subject, PROV_DERIVED)


@dataclass(frozen=True)
class Facet:
    """One facet: its URL parameter, its titles, how to read a resource's values, and whether its
    values are IRIs (shown by label, linked) or plain text (years)."""

    param: str
    fr: str
    en: str
    read: Reader
    iris: bool = True


#: Every facet, in the order they are shown.
FACETS: tuple[Facet, ...] = (
    Facet("class", "Classe", "Class", _property(str(TYPE.value))),
    Facet("type", "Type de collectivité", "Collectivity type", _property(f"{KGC}collectivityType")),
    Facet("in", "Région / département", "Région / département", _within),
    Facet("country", "Pays", "Country", _countries),
    Facet("sector", "Secteur", "Sector", _property(f"{KGC}sector")),
    Facet("agreement-type", "Type d'accord", "Agreement type", _property(f"{KGC}agreementType")),
    Facet("year", "Année", "Year", _years, iris=False),
    Facet("source", "Source", "Source", _sources),
)
BY_PARAM: dict[str, Facet] = {f.param: f for f in FACETS}


def read_values(store: ox.Store, iris: Iterable[str]) -> list[tuple[str, Values]]:
    """Every facet's values of each resource, in the list's order."""
    out = []
    for iri in iris:
        node = ox.NamedNode(iri)
        out.append((iri, {f.param: frozenset(f.read(store, node)) for f in FACETS}))
    return out


def chosen(params: Mapping[str, Sequence[str]]) -> dict[str, frozenset[str]]:
    """The facet filters of a request: facet parameter -> the values asked for (ANDed across
    facets, ORed within one)."""
    return {
        name: frozenset(v for v in values if v)
        for name, values in params.items()
        if name in BY_PARAM and any(values)
    }


def apply(rows: Sequence[tuple[str, Values]], filters: Mapping[str, frozenset[str]]) -> list[str]:
    """The IRIs of ``rows`` that have, for each filtered facet, one of the asked values."""
    return [
        iri
        for iri, values in rows
        if all(values[name] & wanted for name, wanted in filters.items())
    ]


def counts(
    rows: Sequence[tuple[str, Values]], filters: Mapping[str, frozenset[str]]
) -> dict[str, Counter[str]]:
    """Per facet, how many resources of the list (filtered by the OTHER facets) have each value,
    so a facet shows what choosing another of its values would give."""
    out: dict[str, Counter[str]] = {}
    for facet in FACETS:
        others = {k: v for k, v in filters.items() if k != facet.param}
        counter: Counter[str] = Counter()
        for _, values in rows:
            if all(values[name] & wanted for name, wanted in others.items()):
                counter.update(values[facet.param])
        out[facet.param] = counter
    return out
