"""A reader for the W3C SPARQL 1.1 Protocol manifest (``tests/w3c/sparql11/protocol``): each test as
its HTTP requests, with the response each must get, and the graph data to load first."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

PROTOCOL_DIR = Path(__file__).parent / "w3c" / "sparql11" / "protocol"
MANIFEST_BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

#: What the test names' "expect one of: ..." lists stand for, as media types.
MEDIA_TYPES: dict[str, tuple[str, ...]] = {
    "XML": ("application/sparql-results+xml",),
    "JSON": ("application/sparql-results+json",),
    "CSV": ("text/csv",),
    "TSV": ("text/tab-separated-values",),
    "RDF/XML": ("application/rdf+xml",),
    "Turtle": ("text/turtle",),
    "N-Triples": ("application/n-triples", "text/plain"),
    "RDFa": ("text/html", "application/xhtml+xml"),
}


@dataclass(frozen=True)
class HttpRequest:
    """One request of a test and what its response must be."""

    method: str
    path_and_query: str  # the manifest's ht:absolutePath, "/sparql/..."
    headers: dict[str, str]
    body: bytes | None
    statuses: frozenset[int]  # acceptable status classes: 2, 3, 4
    boolean: bool | None = None
    is_update: bool = False


@dataclass
class ProtocolCase:
    """A protocol test: its id, name, graph data (file -> graph IRI) and requests in order."""

    id: str
    name: str
    graph_data: dict[Path, str] = field(default_factory=dict)
    requests: list[HttpRequest] = field(default_factory=list)

    @property
    def content_types(self) -> tuple[str, ...]:
        """The media types the name's "expect one of: ..." allows (empty when it names none)."""
        found = re.search(r"expect one of: ([^)]*)\)", self.name)
        if found is None:
            return ()
        return tuple(t for n in found.group(1).split(", ") for t in MEDIA_TYPES[n.strip()])


def _request(graph: Graph, node: object) -> HttpRequest:
    method = str(graph.value(node, HT.methodName))
    path = str(graph.value(node, HT.absolutePath))
    headers: dict[str, str] = {}
    header_list = graph.value(node, HT.headers)
    if header_list is not None:
        for header in Collection(graph, header_list):
            headers[str(graph.value(header, HT.fieldName))] = str(
                graph.value(header, HT.fieldValue)
            )
    body_node = graph.value(node, HT.body)
    body: bytes | None = None
    if body_node is not None:
        encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(graph.value(body_node, CNT.chars)).encode(encoding.lower())
    response = graph.value(node, HT.resp)
    statuses = frozenset(
        int(str(code).rsplit("StatusCode", 1)[1][0])
        for code in graph.objects(response, MF.expectedStatus)
    )
    expected = graph.value(response, MF.expectedBoolean)
    content_type = headers.get("content-type", "")
    is_update = "sparql-update" in content_type or (body or b"").startswith(b"update=")
    is_update = is_update or "update=" in path
    return HttpRequest(
        method,
        path,
        headers,
        body,
        statuses,
        None if expected is None else bool(expected.toPython()),
        is_update,
    )


def protocol_tests() -> list[ProtocolCase]:
    """Every test of the manifest, in its order."""
    graph = Graph().parse(PROTOCOL_DIR / "manifest.ttl", format="turtle", publicID=MANIFEST_BASE)
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    cases: list[ProtocolCase] = []
    for entry in Collection(graph, graph.value(manifest, MF.entries)):
        assert isinstance(entry, URIRef)
        case = ProtocolCase(str(entry).rsplit("#", 1)[1], str(graph.value(entry, MF.name)))
        for data in graph.objects(entry, UT.graphData):
            file = str(graph.value(data, UT.graph)).rsplit("/", 1)[1]
            case.graph_data[PROTOCOL_DIR / file] = str(graph.value(data, RDFS.label))
        action = graph.value(entry, MF.action)
        for request in Collection(graph, graph.value(action, HT.requests)):
            case.requests.append(_request(graph, request))
        cases.append(case)
    return cases
