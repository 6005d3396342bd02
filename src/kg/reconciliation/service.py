"""Answers of the reconciliation service: query batches, data extension, suggest and the preview's
facts. Names are reconciled by the importers' own :class:`~kg.importers.twinnings.Resolver` (so the
service and the importers agree), and only entities the store describes become candidates."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.importers.cog import commune_iri
from kg.importers.curation import Curation
from kg.importers.ntriples import ID, KGC, OWL
from kg.importers.reconcile import MATCHED, Match
from kg.importers.reconcile.communes import Commune, CommuneIndex
from kg.importers.reconcile.countries import FRENCH_CODES, match_country
from kg.importers.twinnings import Resolver, Side
from kg.reconciliation.entities import Entity, EntityReader, Value, to_id, to_iri
from kg.reconciliation.vocabulary import COLLECTIVITY_TYPE, EXTENSIBLE, PROPERTIES, TYPES

MAX_BATCH = 100
MAX_LIMIT = 25
DEFAULT_LIMIT = 5
GEONAMES = "https://sws.geonames.org/"
_FRENCH_TYPES = {
    COLLECTIVITY_TYPE + t
    for t in (
        "commune",
        "arrondissement-municipal",
        "departement",
        "region",
        "collectivite-unique",
        "collectivite-a-statut-particulier",
    )
}
#: The INSEE code properties, by the words a description shows before the code.
_CODE_WORDS = (
    ("INSEE", KGC + "inseeCommuneCode"),
    ("INSEE département", KGC + "inseeDepartementCode"),
    ("INSEE région", KGC + "inseeRegionCode"),
)


@dataclass(frozen=True)
class Query:
    """One reconciliation query of a batch."""

    text: str
    type: str | None
    limit: int
    properties: dict[str, list[str]]


def _load(raw: str, what: str) -> Any:
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"the {what} parameter is not JSON: {exc.msg} at character {exc.pos}"
        ) from None


def parse_batch(raw: str) -> dict[str, Query]:
    """Parse the ``queries`` parameter; a malformed batch is one :class:`InputError` sentence."""
    batch = _load(raw, "queries")
    if not isinstance(batch, dict) or not batch:
        raise InputError("the queries parameter must be a non-empty JSON object of queries")
    if len(batch) > MAX_BATCH:
        raise InputError(f"the queries parameter holds {len(batch)} queries; at most {MAX_BATCH}")
    parsed = {}
    for key, query in batch.items():
        if not isinstance(query, dict) or not isinstance(query.get("query"), str):
            raise InputError(f"query {key!r} has no 'query' string")
        kind = query.get("type")
        if kind is not None and not isinstance(kind, str):
            raise InputError(f"query {key!r}: 'type' must be a string")
        limit = query.get("limit", DEFAULT_LIMIT)
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            raise InputError(f"query {key!r}: 'limit' must be a positive integer")
        properties: dict[str, list[str]] = {}
        for prop in query.get("properties") or []:
            if not isinstance(prop, dict) or not isinstance(prop.get("pid"), str):
                raise InputError(f"query {key!r}: each property needs a 'pid' string")
            if prop["pid"] not in PROPERTIES:
                known = ", ".join(PROPERTIES)
                raise InputError(
                    f"query {key!r}: unknown property {prop['pid']!r} (known: {known})"
                )
            values = prop.get("v")
            for value in values if isinstance(values, list) else [values]:
                if isinstance(value, dict):  # an entity value {"id": ...}
                    value = value.get("id")
                if value is not None:
                    properties.setdefault(prop["pid"], []).append(str(value))
        parsed[key] = Query(query["query"], kind, min(limit, MAX_LIMIT), properties)
    return parsed


def _coordinates(values: list[str]) -> tuple[float, float] | None:
    if not values:
        return None
    try:
        lat, lng = (float(part) for part in values[0].split(","))
    except ValueError:
        raise InputError(
            f"the coordinates property must be 'latitude,longitude', not {values[0]!r}"
        ) from None
    return lat, lng


def index_from_store(reader: EntityReader) -> CommuneIndex:
    """A commune index from the store's communes (no former communes: the store has none)."""
    return CommuneIndex([Commune(*row) for row in reader.commune_rows()], {})


def build_resolver(reader: EntityReader, cog: Path | None, curation: Path | None) -> Resolver:
    """The importers' resolver: on the COG folder the importers read when it is at hand (same
    answers as the import), else on the store's communes."""
    if cog is not None and (cog / "communes.json").is_file():
        index = CommuneIndex.from_cog(cog)
    else:
        index = index_from_store(reader)
    return Resolver(index, Curation.read(curation if curation and curation.is_file() else None))


class ReconciliationService:
    """The service over one store (through ``reader``) and one resolver."""

    def __init__(self, reader: EntityReader, resolver: Resolver) -> None:
        self.reader = reader
        self.resolver = resolver

    # -- reconciliation -------------------------------------------------------------------------
    def reconcile(self, batch: dict[str, Query]) -> dict[str, dict[str, list[dict[str, Any]]]]:
        """Candidates of every query of a batch."""
        return {key: {"result": self.candidates(query)} for key, query in batch.items()}

    def candidates(self, query: Query) -> list[dict[str, Any]]:
        """The store entities the query's name reconciles to, best first."""
        found: list[tuple[str, float, bool]] = []
        for code in query.properties.get("inseeCommuneCode", []):
            commune = self.resolver.communes.by_code.get(code)
            if commune is not None:
                found.append((commune_iri(commune.name, commune.code), 100.0, True))
        if not found:
            found = self._by_name(query)
        result: list[dict[str, Any]] = []
        for iri, score, match in found:
            entity = self.reader.describe(iri)
            if entity is None or (query.type and query.type not in entity.types()):
                continue
            result.append(
                {
                    "id": entity.id,
                    "name": entity.name(),
                    "description": self.description(entity),
                    "score": round(score, 2),
                    "match": match,
                    "type": [
                        {"id": t, "name": TYPES[t].name} for t in entity.types() if t in TYPES
                    ],
                }
            )
        if sum(bool(c["match"]) for c in result) != 1:  # "match" only when unambiguous
            for candidate in result:
                candidate["match"] = False
        return result[: query.limit]

    def _by_name(self, query: Query) -> list[tuple[str, float, bool]]:
        coordinates = _coordinates(query.properties.get("coordinates", []))
        country = (query.properties.get("country") or ["France"])[0]
        if query.type in _FRENCH_TYPES:
            country = "France"
        departements = query.properties.get("departement") or []
        departement = departements[0] if departements else None
        if departement and departement.startswith(ID):
            departement = departement.rsplit("-", 1)[-1].upper()  # its IRI ends in its code
        iso = match_country(country).key
        if departement and iso in FRENCH_CODES:
            match: Match = self.resolver.communes.match(query.text, coordinates, departement)
            if match.matched and match.key in self.resolver.communes.by_code:
                commune = self.resolver.communes.by_code[match.key]
                return [(commune_iri(commune.name, commune.code), 100 * match.score, True)]
            candidates = [
                commune_iri(self.resolver.communes.by_code[c].name, c) for c in match.candidates
            ]
            return [(iri, 100 * match.score, False) for iri in candidates]
        resolved = self.resolver.resolve(Side(query.text, country, coordinates))
        if resolved.match.status == MATCHED:
            return [(resolved.iri, 100 * resolved.match.score, True)]
        return [
            (iri, 100 * resolved.match.score, False)
            for iri in resolved.candidates
            if iri.startswith(ID)
        ]

    def description(self, entity: Entity) -> str:
        """A one-line description: type, INSEE code, where it is."""
        parts = [TYPES[t].name for t in entity.types() if t in TYPES and t != KGC + "Collectivity"]
        for words, predicate in _CODE_WORDS:
            code = entity.first(predicate)
            if code:
                parts.append(f"{words} {code.value}")
        place = entity.first(KGC + "locatedIn") or entity.first(KGC + "country")
        if place and place.label:
            parts.append(place.label)
        return ", ".join(parts)

    # -- data extension -------------------------------------------------------------------------
    def extend(self, raw: str) -> dict[str, Any]:
        """The answer to an ``extend`` parameter: ``meta`` and ``rows``."""
        request = _load(raw, "extend")
        if not isinstance(request, dict) or not isinstance(request.get("ids"), list):
            raise InputError(
                "the extend parameter must be a JSON object with 'ids' and 'properties'"
            )
        ids = [str(i) for i in request["ids"]]
        if len(ids) > MAX_BATCH:
            raise InputError(f"the extend parameter names {len(ids)} ids; at most {MAX_BATCH}")
        wanted = []
        for prop in request.get("properties") or []:
            pid = prop.get("id") if isinstance(prop, dict) else None
            if pid not in EXTENSIBLE:
                known = ", ".join(EXTENSIBLE)
                raise InputError(f"the extend parameter asks for property {pid!r}; known: {known}")
            wanted.append(pid)
        meta = []
        for pid in wanted:
            item: dict[str, Any] = {"id": pid, "name": PROPERTIES[pid].name}
            if PROPERTIES[pid].entity:
                item["type"] = {"id": KGC + "Collectivity", "name": "Collectivity"}
            meta.append(item)
        rows = {}
        for entity_id in ids:
            entity = self.reader.describe(to_iri(entity_id))
            rows[entity_id] = {pid: self._values(entity, pid) for pid in wanted}
        return {"meta": meta, "rows": rows}

    def _values(self, entity: Entity | None, pid: str) -> list[dict[str, Any]]:
        if entity is None:
            return []
        if pid == "partners":
            return [self._ref(v) for v in self.reader.partners(entity.iri)]
        if pid == "geonames":
            return [
                {"str": v.value.removeprefix(GEONAMES).strip("/")}
                for v in entity.values.get(OWL + "sameAs", [])
                if v.value.startswith(GEONAMES)
            ]
        if pid in ("departement", "region"):
            found = self._up(entity, pid)
            return [self._ref(found)] if found else []
        predicate = PROPERTIES[pid].predicate or ""
        values = entity.values.get(predicate, [])
        if pid == "population":
            return [{"int": int(v.value)} for v in values]
        if PROPERTIES[pid].entity:
            return [self._ref(v) for v in values]
        return [{"str": v.value} for v in values]

    def _up(self, entity: Entity, kind: str) -> Value | None:
        """The département or région an entity lies in, climbing ``kgc:locatedIn``."""
        current: Entity | None = entity
        for _ in range(3):
            parent = current.first(KGC + "locatedIn") if current else None
            if parent is None:
                return None
            current = self.reader.describe(parent.value)
            if current and COLLECTIVITY_TYPE + kind in current.types():
                return Value(parent.value, True, current.name())
        return None

    @staticmethod
    def _ref(value: Value) -> dict[str, str]:
        return {"id": to_id(value.value), "name": value.label or to_id(value.value)}

    # -- suggest --------------------------------------------------------------------------------
    def suggest_entities(self, prefix: str, type_: str | None, limit: int) -> list[dict[str, str]]:
        """Entities whose label starts with ``prefix`` (of ``type_``, if given)."""
        result = []
        for iri, name in self.reader.suggest(prefix):
            entity = self.reader.describe(iri)
            if entity is None or (type_ and type_ not in entity.types()):
                continue
            result.append({"id": to_id(iri), "name": name, "description": self.description(entity)})
        return result[:limit]


def suggest_types(prefix: str) -> list[dict[str, str]]:
    """Types whose name or id contains ``prefix`` (case-insensitive)."""
    low = prefix.lower()
    return [
        {"id": t.id, "name": t.name} for t in TYPES.values() if low in t.name.lower() or low in t.id
    ]


def suggest_properties(prefix: str) -> list[dict[str, str]]:
    """Properties whose name or id contains ``prefix`` (case-insensitive)."""
    low = prefix.lower()
    return [
        {"id": p.id, "name": p.name, "description": p.description or p.name}
        for p in PROPERTIES.values()
        if low in p.name.lower() or low in p.id.lower()
    ]
