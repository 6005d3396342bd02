"""PROV-O load records in ``graph/provenance``, and the one-transaction update that replaces graphs.

Each load of a batch is a ``prov:Activity`` (IRI ``id/load/<uuid>``) that ``prov:generated`` the named
graph(s) it wrote and ``prov:used`` the input (file name, sha256, triple count, licence...) and the
shapes (version), ``prov:wasAssociatedWith`` the validator. There is one record per graph: re-loading
a graph replaces its record, so the provenance graph says how each graph's current content came in.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.namespaces import BASE, PROVENANCE_GRAPH
from kg.queries import QueryLibrary

if TYPE_CHECKING:
    from kg.ingest import Batch
    from kg.validation import ValidationReport

PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
RDFS_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
XSD = "http://www.w3.org/2001/XMLSchema#"
VOID_TRIPLES = ox.NamedNode("http://rdfs.org/ns/void#triples")
SHA256 = ox.NamedNode(BASE + "def/sha256")
PROV_GRAPH = ox.NamedNode(str(PROVENANCE_GRAPH))

#: ``extra`` keys with a standard property; any other key is kept as an ``rdfs:comment "key: value"``.
EXTRA_PROPERTIES = {
    "licence": DCT + "license",
    "license": DCT + "license",
    "vintage": DCT + "temporal",
    "source": DCT + "source",
    "publisher": DCT + "publisher",
    "modified": DCT + "modified",
}


@dataclass(frozen=True)
class Record:
    """A load record: its activity IRI and its quads."""

    iri: str
    quads: tuple[ox.Quad, ...]


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _lit(value: str, datatype: str | None = None) -> ox.Literal:
    return ox.Literal(value, datatype=_n(XSD + datatype) if datatype else None)


def record(batch: Batch, graphs: Sequence[str], triples: int, report: ValidationReport) -> Record:
    """The PROV-O record of loading ``batch`` into ``graphs``."""
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    act = f"{BASE}id/load/{uuid.uuid4()}"
    inp, agent, shapes = _n(act + "/input"), _n(act + "/validator"), _n(act + "/shapes")
    a = _n(act)
    validated = batch.validate
    triples_out: list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]] = [
        (a, RDF_TYPE, _n(PROV + "Activity")),
        (a, RDFS_LABEL, ox.Literal(f"kg load {batch.source_name}", language="en")),
        (a, _n(PROV + "endedAtTime"), _lit(now, "dateTime")),
        (a, _n(PROV + "used"), inp),
        (inp, RDF_TYPE, _n(PROV + "Entity")),
        (inp, _n(DCT + "identifier"), _lit(batch.source_name)),
        (inp, SHA256, _lit(batch.sha256, "hexBinary")),
        (inp, VOID_TRIPLES, _lit(str(triples), "integer")),
        (inp, _n(DCT + "format"), _lit(batch.format.media_type)),
    ]
    for graph in graphs:
        triples_out.append((a, _n(PROV + "generated"), _n(graph)))
    if validated:
        triples_out += [
            (a, _n(PROV + "wasAssociatedWith"), agent),
            (agent, RDF_TYPE, _n(PROV + "SoftwareAgent")),
            (agent, RDFS_LABEL, _lit(report.validator)),
            (a, _n(PROV + "used"), shapes),
            (shapes, RDF_TYPE, _n(PROV + "Entity")),
            (shapes, _n(DCT + "identifier"), _lit("shapes.ttl")),
            (shapes, _n(DCT + "hasVersion"), _lit(report.shapes_version)),
        ]
    else:
        note = "loaded without SHACL validation (ontology, shapes or vocabulary file)"
        triples_out.append((a, RDFS_COMMENT, ox.Literal(note, language="en")))
    for key, value in sorted(batch.extra.items()):
        prop = EXTRA_PROPERTIES.get(key.lower())
        if prop:
            triples_out.append((inp, _n(prop), _lit(value)))
        else:
            triples_out.append((inp, RDFS_COMMENT, _lit(f"{key}: {value}")))
    return Record(act, tuple(ox.Quad(s, p, o, PROV_GRAPH) for s, p, o in triples_out))


def record_quads(store: ox.Store, queries: QueryLibrary, graph: str) -> list[ox.Quad]:
    """The statements of the load record(s) that generated ``graph``."""
    return [
        ox.Quad(row["s"], row["p"], row["o"], PROV_GRAPH)
        for row in queries.run(store, "ingest-record-of-graph", graph=graph)
    ]


def replace_update(
    drop: Sequence[str], delete: Sequence[ox.Quad], insert: Sequence[ox.Quad]
) -> str:
    """A SPARQL Update request (one transaction) that drops graphs, deletes and inserts quads.

    This is serialisation of data, not a query: terms are written in their N-Triples form.
    """
    parts = [f"DROP SILENT GRAPH <{g}>" for g in drop]
    if delete:
        parts.append("DELETE DATA {\n" + _quad_block(delete) + "\n}")
    if insert:
        parts.append("INSERT DATA {\n" + _quad_block(insert) + "\n}")
    return " ;\n".join(parts)


def _quad_block(quads: Sequence[ox.Quad]) -> str:
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        by_graph.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    return "\n".join(f"GRAPH {g} {{\n" + "\n".join(lines) + "\n}" for g, lines in by_graph.items())
