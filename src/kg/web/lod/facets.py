"""Facets of a list of resources (``/browse``, ``/search``): a registry of named facets, each reading
the values of one resource from the store's default graph (class, collectivity type, région or
département, country, sector, agreement type, year, source graph), the counts of each value over
the list, and the filtering of the list by URL parameters (``?country=<iri>&year=2019``), so a
filtered view is a link to share and its CSV/JSON export applies the same filters.

The values of a whole list are read once per catalogue snapshot and list (cached by the caller's
key), then counting and filtering are set operations in memory.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from kg.namespaces import ID, KGC
from kg.web.lod import vocab as v
from kg.web.lod.objects import iris as _objects
from kg.web.lod.objects import literals

COUNTRY_IRI = f"{ID}country/"
DATASET_IRI = f"{ID}dataset/"

Reader = Callable[[ox.Store, ox.NamedNode], set[str]]
Values = dict[str, frozenset[str]]


def _property(prop: str) -> Reader:
    node = ox.NamedNode(prop)
    return lambda store, subject: _objects(store, subject, node)


def _within(store: ox.Store, subject: ox.NamedNode) -> set[str]:
    """The places a resource lies in, two levels up (a commune's département and région)."""
    first = _objects(store, subject, v.LOCATED_IN)
    second = {up for place in first for up in _objects(store, place, v.LOCATED_IN)}
    return first | second


def _countries(store: ox.Store, subject: ox.NamedNode) -> set[str]:
    """Its own country, or (an agreement, a partnership) the countries of its parties."""
    own = _objects(store, subject, v.COUNTRY)
    if own:
        return own
    found: set[str] = set()
    for party in _objects(store, subject, v.PARTY):
        found |= {party} if party.startswith(COUNTRY_IRI) else _objects(store, party, v.COUNTRY)
    return found


def _years(store: ox.Store, subject: ox.NamedNode) -> set[str]:
    """The year of its signing date or start date (the first four digits of the lexical form)."""
    years = set()
    for prop in (v.SIGNING_DATE, v.START_DATE):
        years |= {
            lit.value[:4] for lit in literals(store, subject, prop) if lit.value[:4].isdigit()
        }
    return years


def _sources(store: ox.Store, subject: ox.NamedNode) -> set[str]:
    """The named graphs that type it (where it comes from) and the source datasets it is derived
    from."""
    graphs = {
        q.graph_name.value
        for q in store.quads_for_pattern(subject, v.TYPE, None, None)
        if isinstance(q.graph_name, ox.NamedNode)
    }
    datasets = {d for d in _objects(store, subject, v.DERIVED_FROM) if d.startswith(DATASET_IRI)}
    return graphs | datasets  # not the passages a fact is derived from: one per sentence


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
    Facet("class", "Classe", "Class", _property(v.TYPE.value)),
    Facet(
        "type", "Type de collectivité", "Collectivity type", _property(v.COLLECTIVITY_TYPE.value)
    ),
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


def _passes(values: Values, filters: Mapping[str, frozenset[str]]) -> bool:
    return all(values[name] & wanted for name, wanted in filters.items())


def apply(rows: Sequence[tuple[str, Values]], filters: Mapping[str, frozenset[str]]) -> list[str]:
    """The IRIs of ``rows`` that have, for each filtered facet, one of the asked values."""
    return [iri for iri, values in rows if _passes(values, filters)]


def counts(
    rows: Sequence[tuple[str, Values]], filters: Mapping[str, frozenset[str]]
) -> dict[str, Counter[str]]:
    """Per facet, how many resources of the list (filtered by the OTHER facets) have each value,
    so a facet shows what choosing another of its values would give. One pass over the rows: a row
    failing no filter counts for every facet, a row failing exactly one counts for that one."""
    out: dict[str, Counter[str]] = {f.param: Counter() for f in FACETS}
    for _, values in rows:
        failed = [name for name, wanted in filters.items() if not values[name] & wanted]
        if not failed:
            for name, counter in out.items():
                counter.update(values[name])
        elif len(failed) == 1:
            out[failed[0]].update(values[failed[0]])
    return out


class FacetList:
    """The facet values of one list, with its filtered views and counts remembered (a few dozen
    filter combinations), so paging through a filtered list does not recount it."""

    KEEP = 64

    def __init__(self, rows: list[tuple[str, Values]]) -> None:
        self.rows = rows
        self._lock = threading.Lock()
        self._seen: dict[
            frozenset[tuple[str, frozenset[str]]], tuple[list[str], dict[str, Counter[str]]]
        ] = {}

    def view(
        self, filters: Mapping[str, frozenset[str]]
    ) -> tuple[list[str], dict[str, Counter[str]]]:
        """The IRIs passing ``filters`` and the facet counts under them."""
        key = frozenset(filters.items())
        found = self._seen.get(key)
        if found is not None:
            return found
        fresh = (apply(self.rows, filters), counts(self.rows, filters))
        with self._lock:
            while len(self._seen) >= self.KEEP:
                self._seen.pop(next(iter(self._seen)))
            return self._seen.setdefault(key, fresh)
