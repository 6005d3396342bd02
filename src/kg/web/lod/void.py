"""The dataset's own description in VoID and DCAT: title, description, licence, publisher, dates,
size, class and property partitions, named-graph subsets, SPARQL endpoint, dumps, vocabularies."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from kg.namespaces import ONTOLOGY_IRI
from kg.queries import QueryLibrary
from kg.web.lod import vocab as v
from kg.web.lod.catalogue import Snapshot
from kg.web.lod.dumps import DATASET_FILE, published

LICENCE = "https://creativecommons.org/licenses/by/4.0/"
SD_ENDPOINT = "http://www.w3.org/ns/sparql-service-description#endpoint"
TITLE = {
    "fr": "kgci : graphe de connaissances de l'action internationale des collectivités territoriales",
    "en": "kgci: knowledge graph of the international action of territorial collectivities",
}
DESCRIPTION = {
    "fr": "Collectivités territoriales françaises et leurs partenaires étrangers : accords de "
    "coopération décentralisée, jumelages, déclarations d'intention, missions, secteurs, personnes "
    "et fonctions, chiffres cités, chacun relié au document ou au jeu de données source.",
    "en": "French territorial collectivities and their foreign partners: decentralised cooperation "
    "agreements, twinnings, declarations of intent, missions, sectors, people and roles, quoted "
    "figures, each linked to its source document or dataset.",
}


def namespace_of(iri: str) -> str:
    """The vocabulary namespace of a term IRI (up to its last ``#`` or ``/``).

    >>> namespace_of("http://www.w3.org/ns/org#member"), namespace_of("https://schema.org/Event")
    ('http://www.w3.org/ns/org#', 'https://schema.org/')
    """
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


def last_change(store_path: Path | None) -> datetime:
    """When the on-disk store last changed (its newest file), for stores without load records."""
    if store_path is not None and store_path.is_dir():
        stamps = [p.stat().st_mtime for p in store_path.iterdir() if p.is_file()]
        if stamps:
            return datetime.fromtimestamp(max(stamps), UTC)
    return datetime.now(UTC)


def _lit(value: str | int, datatype: str | None = None, lang: str | None = None) -> ox.Literal:
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=v.n(v.XSD + "integer"))
    if lang:
        return ox.Literal(value, language=lang)
    return ox.Literal(value, datatype=v.n(datatype) if datatype else None)


def void_triples(
    store: ox.Store,
    queries: QueryLibrary,
    snapshot: Snapshot,
    property_counts: list[tuple[str, int]],
    server: str,
    dumps_dir: Path,
    base: str,
    store_path: Path | None = None,
) -> list[ox.Triple]:
    """VoID + DCAT triples describing the dataset served at ``server`` (absolute, no final slash)."""
    ds = v.n(f"{server}/.well-known/void#dataset")
    out: list[ox.Triple] = []

    def add(
        s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal
    ) -> None:
        out.append(ox.Triple(s, v.n(p), o))

    add(ds, v.RDF + "type", v.n(v.VOID + "Dataset"))
    add(ds, v.RDF + "type", v.n(v.DCAT + "Dataset"))
    for lang in ("fr", "en"):
        add(ds, v.DCT + "title", _lit(TITLE[lang], lang=lang))
        add(ds, v.DCT + "description", _lit(DESCRIPTION[lang], lang=lang))
    add(ds, v.DCT + "license", v.n(LICENCE))
    publisher = ox.BlankNode()
    add(ds, v.DCT + "publisher", publisher)
    add(publisher, v.RDF + "type", v.n(v.FOAF + "Organization"))
    add(publisher, v.FOAF + "name", _lit("Projet kgci", lang="fr"))
    add(publisher, v.FOAF + "name", _lit("kgci project", lang="en"))
    created = [
        q.object
        for q in store.quads_for_pattern(
            v.n(ONTOLOGY_IRI), v.n(v.DCT + "created"), None, ox.DefaultGraph()
        )
    ]
    if created and isinstance(created[0], ox.Literal):
        add(ds, v.DCT + "created", created[0])
    modified = next(iter(queries.run(store, "lod-last-load")), None)
    stamp = modified["modified"] if modified is not None else None
    if not isinstance(stamp, ox.Literal):
        stamp = _lit(last_change(store_path).isoformat(timespec="seconds"), v.XSD + "dateTime")
    add(ds, v.DCT + "modified", stamp)
    add(ds, v.FOAF + "homepage", v.n(f"{server}/"))
    add(ds, v.VOID + "uriSpace", _lit(base))
    add(ds, v.VOID + "triples", _lit(snapshot.triples))  # counted once per snapshot
    add(ds, v.VOID + "entities", _lit(len(snapshot.labels)))
    add(ds, v.VOID + "sparqlEndpoint", v.n(f"{server}/sparql"))
    service = ox.BlankNode()
    add(ds, v.DCAT + "accessService", service)
    add(service, v.RDF + "type", v.n(v.DCAT + "DataService"))
    add(service, v.DCAT + "endpointURL", v.n(f"{server}/sparql"))
    add(service, SD_ENDPOINT, v.n(f"{server}/sparql"))
    add(ds, v.VOID + "rootResource", v.n(ONTOLOGY_IRI))
    vocabularies: set[str] = set()
    for cls, n in snapshot.class_counts:
        part = ox.BlankNode()
        add(ds, v.VOID + "classPartition", part)
        add(part, v.VOID + "class", v.n(cls))
        add(part, v.VOID + "entities", _lit(n))
        vocabularies.add(namespace_of(cls))
    for prop, n in property_counts:
        part = ox.BlankNode()
        add(ds, v.VOID + "propertyPartition", part)
        add(part, v.VOID + "property", v.n(prop))
        add(part, v.VOID + "triples", _lit(n))
        vocabularies.add(namespace_of(prop))
    for ns in sorted(vocabularies):
        add(ds, v.VOID + "vocabulary", v.n(ns))
    for row in queries.run(store, "lod-graphs"):
        graph = row["graph"]
        add(ds, v.VOID + "subset", graph)
        add(graph, v.RDF + "type", v.n(v.VOID + "Dataset"))
        add(graph, v.VOID + "triples", row["n"])
    _, files = published(dumps_dir)
    for f in files:
        url = v.n(f"{server}/dumps/{f.name}")
        if f.name == DATASET_FILE:
            add(ds, v.VOID + "dataDump", url)
        dist = ox.BlankNode()
        add(ds, v.DCAT + "distribution", dist)
        add(dist, v.RDF + "type", v.n(v.DCAT + "Distribution"))
        add(dist, v.DCAT + "downloadURL", url)
        add(dist, v.DCAT + "mediaType", _lit(f.media_type.split(";")[0]))
        add(dist, v.DCAT + "byteSize", _lit(f.size))
        add(dist, "http://spdx.org/rdf/terms#checksum", _lit(f.sha256))
        if f.graph:
            add(dist, v.DCT + "source", v.n(f.graph))
    return out
