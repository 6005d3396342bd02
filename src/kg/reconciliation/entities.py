"""Entities as the reconciliation service sees them, read from the store through named queries
(``queries/reconcile-*.rq``); the store and the query library are injected."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.importers.ntriples import ID, KGC, RDF_TYPE, RDFS
from kg.queries import QueryLibrary

COLLECTIVITY_TYPE = KGC + "collectivityType"


@dataclass(frozen=True)
class Value:
    """One value of a property: an IRI (with its English label, if any) or a literal."""

    value: str
    is_iri: bool
    label: str | None = None
    datatype: str | None = None
    lang: str | None = None


@dataclass
class Entity:
    """What the store says of one entity, by predicate IRI."""

    iri: str
    values: dict[str, list[Value]] = field(default_factory=lambda: defaultdict(list))

    @property
    def id(self) -> str:
        """The reconciliation id: the IRI relative to the identifier space."""
        return to_id(self.iri)

    def name(self, lang: str = "en") -> str:
        """The label in ``lang`` (else any label, else the IRI)."""
        labels = self.values.get(RDFS + "label", [])
        return next((v.value for v in labels if v.lang == lang), None) or (
            labels[0].value if labels else self.iri
        )

    def first(self, predicate: str) -> Value | None:
        """The first value of a predicate, or None."""
        found = self.values.get(predicate)
        return found[0] if found else None

    def types(self) -> list[str]:
        """Classes and collectivity types (both are types for the API)."""
        return [v.value for p in (RDF_TYPE, COLLECTIVITY_TYPE) for v in self.values.get(p, [])]


def to_id(iri: str) -> str:
    """An entity IRI as a reconciliation id (relative to ``identifierSpace``).

    >>> to_id("https://w3id.org/kgci/id/collectivity/dijon-21231")
    'collectivity/dijon-21231'
    """
    return iri.removeprefix(ID)


def to_iri(entity_id: str) -> str:
    """A reconciliation id (or a full IRI, as some clients send) as an entity IRI."""
    return entity_id if entity_id.startswith(("http://", "https://")) else ID + entity_id


class EntityReader:
    """Reads entities, partners and label prefixes from the store with the named queries."""

    def __init__(self, store: ox.Store, queries: QueryLibrary) -> None:
        self.store = store
        self.queries = queries

    def describe(self, iri: str) -> Entity | None:
        """The entity with this IRI, or None when the store says nothing of it."""
        entity = Entity(iri)
        for row in self.queries.run(self.store, "reconcile-describe", entity=iri):
            value, label = row["value"], row["valueLabel"]
            if isinstance(value, ox.Literal):
                entity.values[row["property"].value].append(
                    Value(value.value, False, None, value.datatype.value, value.language)
                )
            else:
                entity.values[row["property"].value].append(
                    Value(value.value, True, label.value if label is not None else None)
                )
        return entity if entity.values else None

    def partners(self, iri: str) -> list[Value]:
        """Other parties of the entity's agreements."""
        return [
            Value(
                row["partner"].value,
                True,
                row["partnerLabel"].value if row["partnerLabel"] is not None else None,
            )
            for row in self.queries.run(self.store, "reconcile-partners", entity=iri)
        ]

    def suggest(self, prefix: str) -> list[tuple[str, str]]:
        """(IRI, name) of entities whose label starts with ``prefix``."""
        return [
            (row["entity"].value, row["name"].value)
            for row in self.queries.run(self.store, "reconcile-suggest", prefix=prefix)
        ]

    def commune_rows(self) -> list[tuple[str, str, str, str, int, str]]:
        """(code, name, département, région, population, commune) of every commune and municipal
        arrondissement of the store (``commune``: an arrondissement's commune code, else empty)."""
        rows = []
        for row in self.queries.run(self.store, "reconcile-communes"):
            region = row["region"].value if row["region"] is not None else ""
            population = int(row["population"].value) if row["population"] is not None else 0
            parent = row["parent"].value if row["parent"] is not None else ""
            rows.append(
                (
                    row["code"].value,
                    row["name"].value,
                    row["departement"].value,
                    region,
                    population,
                    parent,
                )
            )
        return rows
