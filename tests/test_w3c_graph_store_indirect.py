"""The current W3C Graph Store Protocol tests with indirect graph identification
(``tests/w3c/sparql11/graph-store-protocol/manifest-indirect.ttl``, the tests that replace the
deprecated ``http-rdf-update`` ones): each test is a connection of ``ht:Request`` s with the
response each must get, sent in order to a real server of its own (fresh store, update token).

The manifest's ``/gsp`` is the endpoint's ``/rdf-graph-store``. Statuses must be one of those the
test lists; a response's expected Content-Type and body (Turtle, compared as graphs: isomorphism)
are checked when given. Direct identification (``manifest-direct.ttl``) is not served (the paths
below ``/`` are the linked-data site) and not vendored. Strict xfails say why a test fails.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import RDF
from rdflib.term import Node

from server_helpers import LiveServer
from w3c_update import conformance_server, with_expected_failures

MANIFEST = (
    Path(__file__).parent / "w3c" / "sparql11" / "graph-store-protocol" / "manifest-indirect.ttl"
)
BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/graph-store-protocol/"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
TOKEN = "w3c-gsp-indirect-token"
SUITE = "SPARQL 1.1 Graph Store Protocol (graph-store-protocol, indirect)"
STATUS = {"OK": 200, "Created": 201, "NoContent": 204, "NotFound": 404}

EXPECTED_FAILURES = {
    "put_get_default": (
        "refused by design: the default graph is the merge of the data graphs, read-only "
        "(PUT ?default answers 400)"
    ),
    "post_get_post_get_indirect": (
        "not served: a POST body must be one RDF document; its multipart/form-data POST answers 415"
    ),
    "post_get_new_graph": (
        "not served: POST to the service itself (the store naming a new graph, Location header) "
        "answers 400; graphs are named by the client with ?graph="
    ),
}


@dataclass(frozen=True)
class Exchange:
    """One request of a test and what its response must be."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: frozenset[int]
    content_type: str | None
    expected: str | None  # Turtle


@dataclass(frozen=True)
class Connection:
    """A test: its id and its requests, in order."""

    id: str
    exchanges: tuple[Exchange, ...]


def _headers(graph: Graph, node: Node) -> dict[str, str]:
    found = graph.value(node, HT.headers)
    if found is None:
        return {}
    return {
        str(graph.value(h, HT.fieldName)).lower(): str(graph.value(h, HT.fieldValue))
        for h in Collection(graph, found)
    }


def _body(graph: Graph, node: Node) -> str | None:
    found = graph.value(node, HT.body)
    return None if found is None else textwrap.dedent(str(graph.value(found, CNT.chars)))


def connections() -> list[Connection]:
    """Every test of the manifest, in its order."""
    graph = Graph().parse(MANIFEST, format="turtle", publicID=BASE + "manifest-indirect.ttl")
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in Collection(graph, graph.value(manifest, MF.entries)):
        assert isinstance(entry, URIRef)
        exchanges = []
        for request in Collection(graph, graph.value(graph.value(entry, MF.action), HT.requests)):
            response = graph.value(request, HT.resp)
            body = _body(graph, request)
            exchanges.append(
                Exchange(
                    method=str(graph.value(request, HT.methodName)),
                    path=str(graph.value(request, HT.absolutePath)),
                    headers=_headers(graph, request),
                    body=None if body is None else body.encode(),
                    statuses=frozenset(
                        STATUS[str(s).removeprefix(str(HTS))]
                        for s in graph.objects(response, MF.expectedStatus)
                    ),
                    content_type=_headers(graph, response).get("content-type"),
                    expected=_body(graph, response),
                )
            )
        tests.append(Connection(str(entry).rsplit("#", 1)[1], tuple(exchanges)))
    return tests


CONNECTIONS = connections()


def test_the_manifest_is_read_whole() -> None:
    assert len(CONNECTIONS) == 9
    assert set(EXPECTED_FAILURES) <= {c.id for c in CONNECTIONS}
    assert sum(len(c.exchanges) for c in CONNECTIONS) >= 20
    assert all(e.statuses for c in CONNECTIONS for e in c.exchanges)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    with conformance_server(tmp_path, TOKEN) as live:
        yield live


@pytest.mark.parametrize("connection", with_expected_failures(CONNECTIONS, EXPECTED_FAILURES))
def test_graph_store_protocol(
    connection: Connection, server: LiveServer, record_property: object
) -> None:
    record_property("w3c_suite", SUITE)  # type: ignore[operator]
    with httpx.Client(base_url=server.url, timeout=60) as client:
        for number, exchange in enumerate(connection.exchanges, start=1):
            path = "/rdf-graph-store" + exchange.path.removeprefix("/gsp")
            response = client.request(
                exchange.method,
                path,
                headers={**exchange.headers, "authorization": f"Bearer {TOKEN}"},
                content=exchange.body,
            )
            where = (
                f"{connection.id} request {number}: {response.status_code} {response.text[:300]}"
            )
            assert response.status_code in exchange.statuses, where
            if exchange.content_type and response.status_code == 200:
                got = response.headers["content-type"].replace(" ", "").lower()
                assert got == exchange.content_type.replace(" ", "").lower(), where
            if exchange.expected is not None and exchange.method == "GET":
                want = Graph().parse(data=exchange.expected, format="turtle")
                assert isomorphic(Graph().parse(data=response.text, format="turtle"), want), where
