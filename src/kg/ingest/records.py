"""PROV-O load records in ``graph/provenance``, and the one-transaction update that replaces graphs.

Each load of a batch is a ``prov:Activity`` (IRI ``id/load/<uuid>``) that ``prov:generated`` the named
graph(s) it wrote and ``prov:used`` the input (file name, sha256, triple count, licence...) and the
shapes (version), ``prov:wasAssociatedWith`` the validator. For each graph it also generated a
*version* of that graph (``<activity>/output/<hash of the graph IRI>``, ``prov:specializationOf`` the
graph). Nothing is ever deleted from the provenance graph: re-loading or dropping a graph gives the
version it replaces a ``prov:invalidatedAtTime`` and ``prov:wasInvalidatedBy``, so the current record of
a graph is the one whose version is still valid, and ``kg graphs --history`` lists every load.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.namespaces import BASE, PROVENANCE_GRAPH
from kg.queries import QueryLibrary
from kg.store.default_graph import merged, retract_update

if TYPE_CHECKING:
    from kg.ingest.batch import Batch
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
    #: The graphs whose versions the activity generated.
    graphs: tuple[str, ...] = ()


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _lit(value: str, datatype: str | None = None) -> ox.Literal:
    return ox.Literal(value, datatype=_n(XSD + datatype) if datatype else None)


def record(batch: Batch, graphs: Sequence[str], triples: int, report: ValidationReport) -> Record:
    """The PROV-O record of loading ``batch`` into ``graphs``."""
    now = timestamp()
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
        version = output_iri(act, graph)
        triples_out += [
            (a, _n(PROV + "generated"), _n(graph)),
            (version, RDF_TYPE, _n(PROV + "Entity")),
            (version, _n(PROV + "specializationOf"), _n(graph)),
            (version, _n(PROV + "wasGeneratedBy"), a),
        ]
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
    return Record(
        act, tuple(ox.Quad(s, p, o, PROV_GRAPH) for s, p, o in triples_out), tuple(graphs)
    )


def timestamp() -> str:
    """Now, as an ``xsd:dateTime`` lexical form in UTC with milliseconds."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def output_iri(activity: str, graph: str) -> ox.NamedNode:
    """The version of ``graph`` that ``activity`` generated (deterministic, so that a later load can
    invalidate it, even for a record written before versions were recorded).

    >>> output_iri("https://w3id.org/kgci/id/load/x", "https://w3id.org/kgci/graph/a").value
    'https://w3id.org/kgci/id/load/x/output/1c92db9bd6c5'
    """
    return _n(f"{activity}/output/{hashlib.sha256(graph.encode()).hexdigest()[:12]}")


def current_activities(store: ox.Store, queries: QueryLibrary, graph: str) -> list[str]:
    """The load activities whose version of ``graph`` is still valid (one, normally)."""
    return sorted(
        row["activity"].value for row in queries.run(store, "ingest-current-loads", graph=graph)
    )


def invalidation(activity: str, graph: str, at: str, by: str | None = None) -> list[ox.Quad]:
    """The statements saying that the version of ``graph`` generated by ``activity`` ended ``at``."""
    version = output_iri(activity, graph)
    triples: list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]] = [
        (version, RDF_TYPE, _n(PROV + "Entity")),
        (version, _n(PROV + "specializationOf"), _n(graph)),
        (version, _n(PROV + "wasGeneratedBy"), _n(activity)),
        (version, _n(PROV + "invalidatedAtTime"), _lit(at, "dateTime")),
    ]
    if by:
        triples.append((version, _n(PROV + "wasInvalidatedBy"), _n(by)))
    return [ox.Quad(s, p, o, PROV_GRAPH) for s, p, o in triples]


def invalidations(
    store: ox.Store,
    queries: QueryLibrary,
    graphs: Iterable[str],
    at: str,
    by: Mapping[str, str],
) -> list[ox.Quad]:
    """End the current version of each of ``graphs`` at ``at``; ``by`` names, per graph, the
    activity that replaces or drops it."""
    return [
        q
        for graph in sorted(set(graphs))
        for activity in current_activities(store, queries, graph)
        for q in invalidation(activity, graph, at, by.get(graph))
    ]


def drop_record(graphs: Sequence[str], at: str) -> Record:
    """The PROV-O record of ``kg drop``: an activity that invalidated the graphs' versions."""
    act = f"{BASE}id/load/{uuid.uuid4()}"
    a = _n(act)
    triples_out: list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]] = [
        (a, RDF_TYPE, _n(PROV + "Activity")),
        (a, RDFS_LABEL, ox.Literal(f"kg drop {' '.join(graphs)}", language="en")),
        (a, _n(PROV + "endedAtTime"), _lit(at, "dateTime")),
    ]
    return Record(act, tuple(ox.Quad(s, p, o, PROV_GRAPH) for s, p, o in triples_out))


def replace_update(replaced: Sequence[str], drop: Sequence[str], insert: Sequence[ox.Quad]) -> str:
    """A SPARQL Update request (one transaction) that replaces graphs and keeps the default graph.

    First what only the ``replaced`` graphs state leaves the default graph, then the ``drop`` graphs
    (those of ``replaced`` that exist) are dropped, then ``insert`` goes in with a default-graph copy
    of each data quad. Nothing is deleted from the provenance graph. This is serialisation of data,
    not a query: terms are written in their N-Triples form.
    """
    parts = [retract_update(replaced)] if replaced else []
    parts += [f"DROP SILENT GRAPH <{g}>" for g in drop]
    if insert:
        parts.append("INSERT DATA {\n" + _quad_block(list(merged(insert))) + "\n}")
    return " ;\n".join(p for p in parts if p)


def _quad_block(quads: Sequence[ox.Quad]) -> str:
    by_graph: dict[str | None, list[str]] = {}
    for q in quads:
        key = None if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name)
        by_graph.setdefault(key, []).append(f"{q.subject} {q.predicate} {q.object} .")
    blocks = [
        "\n".join(lines) if g is None else f"GRAPH {g} {{\n" + "\n".join(lines) + "\n}"
        for g, lines in by_graph.items()
    ]
    return "\n".join(blocks)
