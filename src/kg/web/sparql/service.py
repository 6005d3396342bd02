"""The SPARQL 1.1 Service Description of ``/sparql``, answered when RDF is asked without a query."""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import Request, Response

from kg.namespaces import PREFIXES
from kg.settings import Settings
from kg.store import default_graph
from kg.web.negotiation import RESULT_FORMATS, rdf_format
from kg.web.sparql.prefixes import declaration_triples
from kg.web.sparql.protocol import GRAPH_FORMATS, ProtocolRequest, result_format

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_FORMAT_IRIS = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
    "turtle": "Turtle",
    "ntriples": "N-Triples",
    "jsonld": "JSON-LD",
    "rdfxml": "RDF_XML",
    "trig": "TriG",
    "nquads": "N-Quads",
}


RDFS_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
VOID_TRIPLES = ox.NamedNode("http://rdfs.org/ns/void#triples")
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
RDFS_SEE_ALSO = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso")
CONFORMS_TO = ox.NamedNode("http://purl.org/dc/terms/conformsTo")
GRAPH_STORE_SPEC = ox.NamedNode("http://www.w3.org/TR/sparql11-http-rdf-update/")
GRAPH_STORE_NOTE = (
    "SPARQL 1.1 Graph Store HTTP Protocol: GET and HEAD ?graph=<IRI> or ?default (the merge, "
    "read-only) in every RDF format; PUT, POST and DELETE ?graph=<IRI> with the update token."
)
DEFAULT_GRAPH_NOTE = (
    "The RDF merge, as a set, of every named graph except graph/provenance (load records) and "
    "graph/shapes (SHACL shapes): a fact stated by several sources is counted once."
)


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def description_triples(
    endpoint: str, settings: Settings, store: ox.Store, graph_store: str | None = None
) -> list[ox.Triple]:
    """The service description as triples: languages, formats, features, the dataset and, when
    given, the Graph Store Protocol endpoint (SD has no term for it: rdfs:seeAlso + conformsTo)."""
    service = ox.NamedNode(endpoint)
    dataset = ox.BlankNode("dataset")
    default = ox.BlankNode("default")
    triples = [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), service),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        # Not sd:UnionDefaultGraph: the load records and the shapes are kept out of the merge.
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default),
        ox.Triple(default, RDF_TYPE, _sd("Graph")),
        ox.Triple(default, RDFS_COMMENT, ox.Literal(DEFAULT_GRAPH_NOTE, language="en")),
        ox.Triple(
            default, VOID_TRIPLES, ox.Literal(str(default_graph.size(store)), datatype=XSD_INTEGER)
        ),
    ]
    if settings.update_token:
        triples.append(ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Update")))
    for fmt in (*RESULT_FORMATS, *GRAPH_FORMATS):
        triples.append(
            ox.Triple(service, _sd("resultFormat"), ox.NamedNode(FORMATS + _FORMAT_IRIS[fmt.name]))
        )
    if graph_store is not None:
        store_node = ox.NamedNode(graph_store)
        triples += [
            ox.Triple(service, RDFS_SEE_ALSO, store_node),
            ox.Triple(store_node, CONFORMS_TO, GRAPH_STORE_SPEC),
            ox.Triple(store_node, RDFS_COMMENT, ox.Literal(GRAPH_STORE_NOTE, language="en")),
        ]
    triples += declaration_triples(service)  # the prefixes a query may use undeclared
    for index, graph in enumerate(sorted(store.named_graphs(), key=str)):
        named = ox.BlankNode(f"g{index}")
        triples += [
            ox.Triple(dataset, _sd("namedGraph"), named),
            ox.Triple(named, RDF_TYPE, _sd("NamedGraph")),
            ox.Triple(named, _sd("name"), graph),
        ]
    return triples


def service_description(
    request: Request,
    settings: Settings,
    store: ox.Store,
    parsed: ProtocolRequest,
    accept: str | None,
) -> Response:
    """Answer the service description in the RDF format the client asks for (Turtle by default)."""
    fmt = result_format(parsed, "describe", accept)
    endpoint = str(request.url_for("sparql"))
    graph_store = str(request.url_for("graph_store"))
    triples = description_triples(endpoint, settings, store, graph_store)
    items: list[ox.Triple] | list[ox.Quad] = triples
    if fmt.name in ("trig", "nquads"):  # dataset formats want quads
        items = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
    body = ox.serialize(
        items,
        format=rdf_format(fmt),
        prefixes=None if fmt.name in ("ntriples", "nquads") else {"sd": SD, **PREFIXES},
    )
    return Response(body, media_type=fmt.media_type, headers={"Vary": "Accept"})
